import type { Actor } from './actor.js';
import type { InvolvementRole } from './schema.js';
import type { Role } from './policy.js';

/**
 * Who may see a person's record. Starts from the relationship: an agency involved in the
 * person's care sees the record; an agency that only referred sees the status of its referral;
 * anyone else sees nothing (and a record they may not see answers as one that does not exist).
 * Consent, exceptions, restrictions and break-glass (CON-1 … CON-6) narrow and widen this in one
 * place: these facts and this function, mirrored in SQL by `person-filter.ts`.
 */
export type InvolvementFact = { agencyId: string; role: InvolvementRole; active: boolean };
export type PersonAccessFacts = { involvements: InvolvementFact[] };

export type PersonAccess =
  | { level: 'record'; basis: string }
  | { level: 'referral-status'; basis: string }
  | { level: 'none'; basis: string };

/** Roles that do casework. Administrators and auditors have no casework access of their own. */
export const PRACTICE_ROLES: readonly Role[] = ['practitioner', 'care_coordinator', 'team_manager'];

export function practises(actor: Actor): boolean {
  return actor.roles.some((role) => PRACTICE_ROLES.includes(role));
}

const ROLE_WORDS: Record<InvolvementRole, string> = {
  referrer: 'referred this person',
  receiving_service: 'received a referral for this person',
  lead_agency: 'is the lead agency for this person',
  partner: 'is involved in this person’s care',
};

export function decidePersonAccess(actor: Actor, facts: PersonAccessFacts): PersonAccess {
  if (!practises(actor)) return { level: 'none', basis: 'Your role does not include casework.' };
  const ours = facts.involvements.filter((i) => i.active && i.agencyId === actor.agencyId);
  const involved = ours.find((i) => i.role !== 'referrer');
  if (involved) return { level: 'record', basis: `${actor.agencyName} ${ROLE_WORDS[involved.role]}.` };
  if (ours.some((i) => i.role === 'referrer')) return { level: 'referral-status', basis: `${actor.agencyName} ${ROLE_WORDS.referrer}.` };
  return { level: 'none', basis: `${actor.agencyName} is not involved with this person.` };
}
