import type { Role } from './policy.js';

/** A signed-in user acting for one team in one agency, with the roles that membership gives them. */
export type Actor = {
  userId: string;
  name: string;
  email: string;
  agencyId: string;
  agencyName: string;
  /** Consent and restrictions may name a kind of agency ("any housing provider") rather than one agency. */
  agencyType: string;
  teamId: string;
  teamName: string;
  roles: readonly Role[];
  /** How they reached us: a browser session or a personal API token (read only, or read and write). */
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string; scope: 'read' | 'write' };
};

export function auditActorOf(actor: Actor | null) {
  return actor
    ? { userId: actor.userId, name: actor.name, agencyId: actor.agencyId, teamId: actor.teamId }
    : null;
}
