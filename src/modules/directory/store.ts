import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { ActorRow } from '../../platform/auth/actor-source.js';
import { prepare, runPrepared, type Queryable } from '../../platform/db/database.js';
import { escapeLike } from '../../platform/audit/trail.js';
import { agency, appUser, team, teamMembership } from './schema.js';

export type AgencyRow = typeof agency.$inferSelect;
export type TeamRow = typeof team.$inferSelect;
export type UserRow = typeof appUser.$inferSelect;
export type MembershipRow = typeof teamMembership.$inferSelect;

export async function listAgencies(db: Queryable) {
  return db
    .select({
      id: agency.id,
      name: agency.name,
      type: agency.type,
      active: agency.active,
      // Correlated subqueries are written out in full: in a single-table query Drizzle leaves columns
      // unqualified, and inside the subquery an unqualified "id" would mean the subquery's own table.
      teamCount: sql<number>`(select count(*)::int from team t where t.agency_id = agency.id and t.active)`,
      userCount: sql<number>`(select count(*)::int from app_user u where u.agency_id = agency.id and u.active)`,
    })
    .from(agency)
    .orderBy(asc(agency.name));
}

export async function findAgency(db: Queryable, id: string): Promise<AgencyRow | null> {
  const [row] = await db.select().from(agency).where(eq(agency.id, id)).limit(1);
  return row ?? null;
}

export async function listTeams(db: Queryable, agencyId: string) {
  return db
    .select({
      id: team.id,
      agencyId: team.agencyId,
      name: team.name,
      description: team.description,
      active: team.active,
      // Active members who can still sign in, as the team page lists them (see listAgencies on the subquery).
      memberCount: sql<number>`(select count(*)::int from team_membership m join app_user u on u.id = m.user_id where m.team_id = team.id and m.active and u.active)`,
    })
    .from(team)
    .where(eq(team.agencyId, agencyId))
    .orderBy(asc(team.name));
}

/** Every team with its agency's name, agency by agency. */
export async function listAllTeams(db: Queryable) {
  return db
    .select({ id: team.id, agencyId: team.agencyId, agencyName: agency.name, name: team.name, active: team.active })
    .from(team)
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .orderBy(asc(agency.name), asc(team.name));
}

export async function findTeam(db: Queryable, id: string): Promise<(TeamRow & { agencyName: string }) | null> {
  const [row] = await db
    .select({ team, agencyName: agency.name })
    .from(team)
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .where(eq(team.id, id))
    .limit(1);
  return row ? { ...row.team, agencyName: row.agencyName } : null;
}

export async function findUser(db: Queryable, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(appUser).where(eq(appUser.id, id)).limit(1);
  return row ?? null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(appUser).where(eq(appUser.email, email)).limit(1);
  return row ?? null;
}

export type UserFilters = {
  agencyId?: string;
  teamId?: string;
  text?: string;
  /** Whose deactivated users to include as well: every agency's, one agency's, or none. */
  inactiveOf?: 'all' | string | null;
};

export async function listUsers(db: Queryable, filters: UserFilters, limit = 200) {
  const conditions = [];
  if (filters.agencyId) conditions.push(eq(appUser.agencyId, filters.agencyId));
  if (filters.inactiveOf && filters.inactiveOf !== 'all') {
    conditions.push(or(eq(appUser.active, true), eq(appUser.agencyId, filters.inactiveOf))!);
  } else if (!filters.inactiveOf) {
    conditions.push(eq(appUser.active, true));
  }
  if (filters.text) {
    const pattern = `%${escapeLike(filters.text)}%`;
    conditions.push(or(ilike(appUser.name, pattern), ilike(appUser.email, pattern))!);
  }
  if (filters.teamId) {
    conditions.push(
      sql`exists (select 1 from ${teamMembership} where ${teamMembership.userId} = ${appUser.id} and ${teamMembership.teamId} = ${filters.teamId} and ${teamMembership.active})`,
    );
  }
  return db
    .select({
      id: appUser.id,
      name: appUser.name,
      email: appUser.email,
      jobTitle: appUser.jobTitle,
      active: appUser.active,
      agencyId: appUser.agencyId,
      agencyName: agency.name,
    })
    .from(appUser)
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(appUser.name))
    .limit(limit);
}

export async function membershipsOf(db: Queryable, userId: string, onlyActive = true) {
  return db
    .select({
      id: teamMembership.id,
      teamId: team.id,
      teamName: team.name,
      agencyId: agency.id,
      agencyName: agency.name,
      agencyType: agency.type,
      roles: teamMembership.roles,
      active: teamMembership.active,
      version: teamMembership.version,
      createdAt: teamMembership.createdAt,
      endedAt: teamMembership.endedAt,
    })
    .from(teamMembership)
    .innerJoin(team, eq(team.id, teamMembership.teamId))
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .where(and(eq(teamMembership.userId, userId), onlyActive ? eq(teamMembership.active, true) : undefined))
    .orderBy(asc(teamMembership.createdAt));
}

export async function membersOf(db: Queryable, teamId: string) {
  return db
    .select({ membershipId: teamMembership.id, userId: appUser.id, name: appUser.name, email: appUser.email, roles: teamMembership.roles })
    .from(teamMembership)
    .innerJoin(appUser, eq(appUser.id, teamMembership.userId))
    .where(and(eq(teamMembership.teamId, teamId), eq(teamMembership.active, true), eq(appUser.active, true)))
    .orderBy(asc(appUser.name));
}

/** The roles a user's current memberships give, in any team (one since deactivated may be reactivated). */
export async function rolesHeldBy(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.select({ roles: teamMembership.roles }).from(teamMembership).where(and(eq(teamMembership.userId, userId), eq(teamMembership.active, true)));
  return [...new Set(rows.flatMap((r) => r.roles))];
}

/** Active users' current memberships of any team of an agency, with the roles each gives. */
export async function membersOfAgency(db: Queryable, agencyId: string) {
  return db
    .select({ userId: appUser.id, roles: teamMembership.roles })
    .from(teamMembership)
    .innerJoin(team, eq(team.id, teamMembership.teamId))
    .innerJoin(appUser, eq(appUser.id, teamMembership.userId))
    .where(and(eq(team.agencyId, agencyId), eq(teamMembership.active, true), eq(appUser.active, true)));
}

export async function countActiveMemberships(db: Queryable, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(teamMembership)
    .where(and(eq(teamMembership.userId, userId), eq(teamMembership.active, true)));
  return row?.n ?? 0;
}

export async function teamsByIds(db: Queryable, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(team).where(inArray(team.id, ids));
}

/** The teams a user can act for: active memberships of active teams in active agencies. */
export async function actingOptions(db: Queryable, userId: string) {
  return db
    .select({
      teamId: team.id,
      teamName: team.name,
      agencyId: agency.id,
      agencyName: agency.name,
      agencyType: agency.type,
      roles: teamMembership.roles,
    })
    .from(teamMembership)
    .innerJoin(team, eq(team.id, teamMembership.teamId))
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .where(and(eq(teamMembership.userId, userId), eq(teamMembership.active, true), eq(team.active, true), eq(agency.active, true)))
    .orderBy(asc(teamMembership.createdAt));
}

/**
 * The actor for a user acting for a team, as one jsonb value (null when they may not act): the same
 * rules as actingOptions (active user, active membership of an active team in an active agency), the
 * team asked for when it is one of those, otherwise their first. SQL over the caller's expressions, so
 * authentication finds a session or token and its actor in one statement.
 */
export function actorSql(userId: SQL, teamId: SQL): SQL {
  // Aliases no caller's statement would use, since the caller's expressions sit inside this one.
  return sql`(select jsonb_build_object('userId', actor_u.id, 'name', actor_u.name, 'email', actor_u.email, 'agencyId', actor_a.id,
      'agencyName', actor_a.name, 'agencyType', actor_a.type, 'teamId', actor_t.id, 'teamName', actor_t.name, 'roles', actor_m.roles)
    from ${appUser} actor_u
    join ${teamMembership} actor_m on actor_m.user_id = actor_u.id and actor_m.active
    join ${team} actor_t on actor_t.id = actor_m.team_id and actor_t.active
    join ${agency} actor_a on actor_a.id = actor_t.agency_id and actor_a.active
    where actor_u.id = ${userId} and actor_u.active
    order by coalesce(actor_m.team_id = ${teamId}, false) desc, actor_m.created_at
    limit 1)`;
}

const actorStatement = prepare(sql`select ${actorSql(sql`${sql.placeholder('userId')}::uuid`, sql`${sql.placeholder('teamId')}::uuid`)} as actor`);

export async function loadActorRow(db: Queryable, userId: string, teamId: string | null): Promise<ActorRow | null> {
  const [row] = await runPrepared<{ actor: ActorRow | null }>(db, actorStatement, { userId, teamId });
  return row?.actor ?? null;
}

/** Names (and contact details) for ids gathered elsewhere, in three small queries. */
type AgencyName = Pick<AgencyRow, 'id' | 'name' | 'type'>;
type TeamName = Pick<TeamRow, 'id' | 'name' | 'agencyId' | 'phone' | 'email'>;
type UserName = Pick<UserRow, 'id' | 'name' | 'phone' | 'email' | 'jobTitle'>;
type NameRow = { kind: 'agency'; named: AgencyName } | { kind: 'team'; named: TeamName } | { kind: 'user'; named: UserName };

const among = (column: unknown, list: string) => sql`${column} = any(${sql.placeholder(list)}::uuid[])`;
const agencyNamed = sql`jsonb_build_object('id', ${agency.id}, 'name', ${agency.name}, 'type', ${agency.type})`;
const teamNamed = sql`jsonb_build_object('id', ${team.id}, 'name', ${team.name}, 'agencyId', ${team.agencyId}, 'phone', ${team.phone}, 'email', ${team.email})`;
const userNamed = sql`jsonb_build_object('id', ${appUser.id}, 'name', ${appUser.name}, 'phone', ${appUser.phone}, 'email', ${appUser.email}, 'jobTitle', ${appUser.jobTitle})`;
// Built once: lists of people ask it on every page.
const namesStatement = prepare(sql`
  select 'agency' as kind, ${agencyNamed} as named from ${agency} where ${among(agency.id, 'agencyIds')}
  union all
  select 'team', ${teamNamed} from ${team} where ${among(team.id, 'teamIds')}
  union all
  select 'user', ${userNamed} from ${appUser} where ${among(appUser.id, 'userIds')}`);

export type Names = { agencies: Map<string, AgencyName>; teams: Map<string, TeamName>; users: Map<string, UserName> };

function namesFromRows(rows: readonly NameRow[]): Names {
  const named = <K extends NameRow['kind']>(kind: K) =>
    new Map(rows.flatMap((row) => (row.kind === kind ? [[row.named.id, row.named as Extract<NameRow, { kind: K }>['named']] as const] : [])));
  return { agencies: named('agency'), teams: named('team'), users: named('user') };
}

/**
 * The names (and contact details) behind these ids, in one statement: lists of people ask this on
 * every page, and inside a transaction each statement waits for the one before.
 */
export async function namesFor(db: Queryable, ids: { agencyIds?: string[]; teamIds?: string[]; userIds?: string[] }): Promise<Names> {
  const anything = [ids.agencyIds, ids.teamIds, ids.userIds].some((list) => list?.length);
  const rows = anything ? await runPrepared<NameRow>(db, namesStatement, { agencyIds: ids.agencyIds ?? [], teamIds: ids.teamIds ?? [], userIds: ids.userIds ?? [] }) : [];
  return namesFromRows(rows);
}

/** Where the ids to name come from, as subqueries of one column each, for names read alongside other rows. */
export type NameSources = { agencyIds: SQL; teamIds: SQL; userIds: SQL };

const NAMED_KIND = { agency_name: 'agency', team_name: 'team', user_name: 'user' } as const;

/**
 * The names behind ids that other SQL finds, as rows for a reader that reads several kinds of row in
 * one statement (the access facts' reader): kinds `agency_name`, `team_name` and `user_name`.
 */
export function namesAlongside(from: NameSources): SQL {
  return sql`
    select 'agency_name' as kind, null::uuid as "personId", ${agencyNamed} as fact from ${agency} where ${agency.id} in (${from.agencyIds})
    union all
    select 'team_name', null::uuid, ${teamNamed} from ${team} where ${team.id} in (${from.teamIds})
    union all
    select 'user_name', null::uuid, ${userNamed} from ${appUser} where ${appUser.id} in (${from.userIds})`;
}

/** The names among rows read alongside others (see namesAlongside), as namesFor answers. */
export function namesFromRead(read: readonly { kind: string; fact: unknown }[]): Names {
  return namesFromRows(read.flatMap((row) => (row.kind in NAMED_KIND ? [{ kind: NAMED_KIND[row.kind as keyof typeof NAMED_KIND], named: row.fact } as NameRow] : [])));
}
