import type { SQL } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { ROLES, type Role } from '../access/policy.js';

/** The actor as one row of JSON, as the directory's `actorSql` gives it (everything but how they came). */
export type ActorRow = Omit<Actor, 'roles' | 'via'> & { roles: string[] };

/** What authentication needs from the directory, handed in at wiring time so the platform imports no module. */
export type ActorSource = {
  findAccountByEmail(email: string): Promise<{ userId: string; name: string; agencyId: string; active: boolean } | null>;
  /** The actor for this user acting for this team (or their first team), or null when they may not act at all. */
  loadActor(userId: string, teamId: string | null, via: Actor['via']): Promise<Actor | null>;
  /**
   * The same actor as a SQL expression over the caller's user and team expressions (a jsonb ActorRow,
   * or null), so a session or token and the actor behind it are found in one statement.
   */
  actorSql(userId: SQL, teamId: SQL): SQL;
};

/** An ActorRow read from the database, with how the actor came; roles the code no longer knows are dropped. */
export function actorFromRow(row: ActorRow | null, via: Actor['via']): Actor | null {
  if (!row) return null;
  return { ...row, roles: row.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)), via };
}
