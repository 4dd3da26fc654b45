import type { Actor } from '../access/actor.js';

/** What authentication needs from the directory, handed in at wiring time so the platform imports no module. */
export type ActorSource = {
  findAccountByEmail(email: string): Promise<{ userId: string; name: string; agencyId: string; active: boolean } | null>;
  /** The actor for this user acting for this team (or their first team), or null when they may not act at all. */
  loadActor(userId: string, teamId: string | null, via: Actor['via']): Promise<Actor | null>;
};
