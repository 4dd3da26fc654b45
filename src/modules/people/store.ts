import { and, asc, eq, inArray, isNull, param, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { involvement } from '../../platform/access/schema.js';
import { childLink, inquiry, person, personAlias } from './schema.js';

export type PersonRow = typeof person.$inferSelect;

export type SearchCriteria = {
  given: string[];
  family: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  postcode: string | null;
};

export type Candidate = {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  postcode: string | null;
  nhsNumber: string | null;
  nameScore: number;
  score: number;
};

// Lower than pg_trgm's default 0.3 so that a transposed pair of letters ("Smiht") still matches.
const SIMILARITY_THRESHOLD = 0.25;

/**
 * Finds people who may be the one described, best first. Names match in either order, with
 * typos (trigram similarity), sound-alikes (double metaphone) and nicknames (the `given` variants);
 * an NHS number, date of birth or postcode each raise the score. Other names (aliases) count too.
 */
export async function findCandidates(db: Queryable, criteria: SearchCriteria, limit = 20): Promise<Candidate[]> {
  const family = criteria.family;
  const given = criteria.given.length ? criteria.given : [''];
  const givenArray = sql`${param(given)}::text[]`;
  const nameMatch = family
    ? sql`(n.search_family % ${family} or n.search_given % ${family} or n.search_given = any(${givenArray}) or dmetaphone(n.search_family) = dmetaphone(${family}))`
    : sql`false`;
  const nameScore = family
    ? sql`greatest(
        similarity(n.search_family, ${family}) + (select coalesce(max(similarity(n.search_given, g)), 0) from unnest(${givenArray}) g),
        similarity(n.search_given, ${family}) + similarity(n.search_family, ${given[0]!}),
        case when dmetaphone(n.search_family) = dmetaphone(${family}) then 0.8 else 0 end
          + (select coalesce(max(similarity(n.search_given, g)), 0) from unnest(${givenArray}) g)
      )`
    : sql`0`;
  const result = await db.execute<Candidate>(sql`
    with names as (
      select p.id as person_id, p.search_given, p.search_family from ${person} p
      union all
      select a.person_id, a.search_given, a.search_family from ${personAlias} a
    ),
    matched as (
      select n.person_id, max(${nameScore}) as name_score
      from names n
      where ${nameMatch}
      group by n.person_id
    ),
    identified as (
      select p.id as person_id from ${person} p
      where (${criteria.nhsNumber}::text is not null and p.nhs_number = ${criteria.nhsNumber})
         or (${criteria.dateOfBirth}::date is not null and p.date_of_birth = ${criteria.dateOfBirth}::date)
         or (${criteria.postcode}::text is not null and p.postcode = ${criteria.postcode})
    ),
    candidates as (
      select person_id from matched union select person_id from identified
    )
    select p.id, p.given_name as "givenName", p.family_name as "familyName", p.date_of_birth::text as "dateOfBirth",
           p.postcode, p.nhs_number as "nhsNumber", coalesce(m.name_score, 0)::float8 as "nameScore",
           (coalesce(m.name_score, 0)
             + case when ${criteria.nhsNumber}::text is not null and p.nhs_number = ${criteria.nhsNumber} then 10 else 0 end
             + case when ${criteria.dateOfBirth}::date is not null and p.date_of_birth = ${criteria.dateOfBirth}::date then 3 else 0 end
             + case when ${criteria.postcode}::text is not null and p.postcode = ${criteria.postcode} then 1 else 0 end)::float8 as score
    from candidates c
    join ${person} p on p.id = c.person_id
    left join matched m on m.person_id = c.person_id
    order by score desc, p.family_name, p.given_name
    limit ${limit}`);
  return result.rows;
}

/** Sets the similarity threshold for this transaction only. */
export async function useSearchThreshold(tx: Queryable) {
  await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(SIMILARITY_THRESHOLD)}, true)`);
}

export async function involvementsOf(db: Queryable, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .select({ personId: involvement.personId, agencyId: involvement.agencyId, teamId: involvement.teamId, role: involvement.role, startedAt: involvement.startedAt, endedAt: involvement.endedAt })
    .from(involvement)
    .where(inArray(involvement.personId, personIds))
    .orderBy(asc(involvement.startedAt));
}

export async function findPerson(db: Queryable, id: string): Promise<PersonRow | null> {
  const [row] = await db.select().from(person).where(eq(person.id, id)).limit(1);
  return row ?? null;
}

export async function aliasesOf(db: Queryable, personId: string) {
  return db.select().from(personAlias).where(eq(personAlias.personId, personId)).orderBy(asc(personAlias.recordedAt));
}

export async function childrenOf(db: Queryable, personId: string) {
  return db.select().from(childLink).where(eq(childLink.personId, personId)).orderBy(asc(childLink.recordedAt));
}

export async function inquiriesFor(db: Queryable, agencyId: string, limit = 100) {
  return db.select().from(inquiry).where(eq(inquiry.recordedByAgency, agencyId)).orderBy(sql`${inquiry.recordedAt} desc`).limit(limit);
}

export async function activeInvolvement(db: Queryable, personId: string, agencyId: string) {
  return db
    .select()
    .from(involvement)
    .where(and(eq(involvement.personId, personId), eq(involvement.agencyId, agencyId), isNull(involvement.endedAt)));
}
