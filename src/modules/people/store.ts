import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { prepare, runPrepared, type PreparedStatement, type Queryable } from '../../platform/db/database.js';
import { recordVisibleTo } from '../../platform/access/person-filter.js';
import { involvement } from '../../platform/access/schema.js';
import { rowAsJson } from '../../platform/db/row-json.js';
import { childLink, inquiry, person, personAlias, personNameWord } from './schema.js';

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
 *
 * A name (given g, family f) matches when f is like the family name sought (F) or sounds like it, g is
 * like F (the names swapped) or g is one of the given-name variants (G, the first G0). It scores the
 * best of: sim(f,F) + best sim(g,G); sim(g,F) + sim(f,G0); 0.8 if f sounds like F, + best sim(g,G).
 *
 * Rather than scoring a million people, the fuzzy matching is done on the lexicon of name words
 * (person_name_word) and people are looked up by exact words through btree indexes:
 * - a name scoring 1.25 or more has both words among the family words like F, G0 or sounding like F
 *   and the given words like F or G (a word outside them is under 0.25 like anything sought), so the
 *   matching pairs of those words are scored from the words alone and people looked up pair by pair,
 *   best first, until there are enough; other names (aliases) likewise, for every pair scoring at
 *   least as much as the last of those people (a name scoring less cannot enter the list);
 * - names where one word matches on its own and the other is like nothing sought (under 1.25) are
 *   taken a bounded number per word, best word first, then in name order;
 * - everyone with the NHS number, date of birth or postcode sought.
 * Each candidate is then scored on all their names. So everyone scoring 1.25 or more, and everyone
 * with a matching identifier, ranks exactly as if every person had been scored; below that, the list
 * is filled from a bounded set. Ties go in name order, then by id.
 */
export async function findCandidates(db: Queryable, criteria: SearchCriteria, limit = 20, among: SearchAmong = EVERYONE): Promise<Candidate[]> {
  const { statement, values } = candidatesStatement(criteria, limit, among);
  return runPrepared<Candidate>(db, statement, values);
}

/**
 * Whom a search looks among: everyone (the known check and the duplicate check, REF-8), or only the
 * people a practising actor may open the record of (canSeeRecord), for everyone else's searches.
 */
export type SearchAmong = { kind: 'everyone' } | { kind: 'related'; agencyId: string; userId: string; today: string; now: Date };
export const EVERYONE: SearchAmong = { kind: 'everyone' };

/**
 * The relationship filter, as the placeholders of a prepared statement. It sits wherever the statement
 * takes people (each name pair's people, aliases, the bounded one-word names, the identifiers), before
 * any limit: so the first twenty are the first twenty the actor may see, and people they may not see
 * change neither who is found nor their order.
 */
const relatedViewer = {
  agencyId: sql`${sql.placeholder('viewerAgencyId')}::uuid`,
  userId: sql`${sql.placeholder('viewerUserId')}::uuid`,
  today: sql`${sql.placeholder('viewerToday')}::date`,
  now: sql`${sql.placeholder('viewerNow')}::timestamptz`,
};
/** The condition on a person id, qualified by its table: the filter's own sub-selects have columns named id and person_id. */
type Keep = (personId: SQL) => SQL;
const keepEveryone: Keep = () => sql``;
/**
 * The access decision's own SQL twin on each person a name or detail finds, three index probes each.
 * (A set of the actor's people read once per search looked cheaper, but the planner, unable to estimate
 * it, joined it by a nested loop: at 1,000,000 people a name search took a second.)
 */
const keepRelated: Keep = (personId) => sql`and ${recordVisibleTo(relatedViewer, personId)}`;

const statements = new Map<string, PreparedStatement>();

/**
 * The statement findCandidates runs and the values it runs it with (bench/people/explain.ts shows
 * its plan). The statement's text depends only on whether a name is sought, the limit and whom it looks
 * among (the actor and moment are placeholders), so it is built once for each: building it took longer
 * than running it.
 */
export function candidatesStatement(criteria: SearchCriteria, limit = 20, among: SearchAmong = EVERYONE) {
  const byName = criteria.family !== null;
  const key = `${byName}:${limit}:${among.kind}`;
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = prepare(candidatesQuery(byName, limit, among.kind === 'related'))));
  const given = criteria.given.length ? criteria.given : [''];
  const viewer = among.kind === 'related' ? { viewerAgencyId: among.agencyId, viewerUserId: among.userId, viewerToday: among.today, viewerNow: among.now.toISOString() } : {};
  return {
    statement,
    values: { family: criteria.family ?? '', first: given[0]!, variants: given, nhsNumber: criteria.nhsNumber, dateOfBirth: criteria.dateOfBirth, postcode: criteria.postcode, ...viewer },
  };
}

function candidatesQuery(byName: boolean, limit: number, related: boolean): SQL {
  const keep = related ? keepRelated : keepEveryone;
  const nhsNumber = sql`${sql.placeholder('nhsNumber')}::text`;
  const dateOfBirth = sql`${sql.placeholder('dateOfBirth')}::date`;
  const postcode = sql`${sql.placeholder('postcode')}::text`;
  const sought: Sought = { family: sql`${sql.placeholder('family')}::text`, first: sql`${sql.placeholder('first')}::text`, variants: sql`${sql.placeholder('variants')}::text[]` };
  return sql`
    with
    ${byName ? sql`${nameCandidates(sought, limit, keep)},` : sql``}
    candidates as (
      ${byName ? sql`select person_id from by_name union` : sql``}
      select id as person_id from ${person} where nhs_number = ${nhsNumber} ${keep(sql`${person.id}`)}
      union select id from ${person} where date_of_birth = ${dateOfBirth} ${keep(sql`${person.id}`)}
      union select id from ${person} where postcode = ${postcode} ${keep(sql`${person.id}`)}
    ),
    ${byName ? sql`${nameScores(sought)},` : sql`matched as (select null::uuid as person_id, 0::real as name_score where false),`}
    found as (
      select p.id, p.given_name, p.family_name, p.date_of_birth, p.postcode, p.nhs_number, p.search_given, p.search_family,
             coalesce(m.name_score, 0) as name_score
      from candidates c
      join ${person} p on p.id = c.person_id
      left join matched m on m.person_id = c.person_id
      -- canSeeRecord itself decides who is answered; the set above only finds them faster.
      ${related ? sql`where ${recordVisibleTo(relatedViewer, sql`p.id`)}` : sql``}
    )
    select id, given_name as "givenName", family_name as "familyName", date_of_birth::text as "dateOfBirth",
           postcode, nhs_number as "nhsNumber", name_score::float8 as "nameScore",
           (name_score
             + case when ${nhsNumber} is not null and nhs_number = ${nhsNumber} then 10 else 0 end
             + case when ${dateOfBirth} is not null and date_of_birth = ${dateOfBirth} then 3 else 0 end
             + case when ${postcode} is not null and postcode = ${postcode} then 1 else 0 end)::float8 as score
    from found
    order by score desc, search_family, search_given, id
    limit ${sql.raw(String(limit))}`;
}

/** What is sought, as parameters of the statement: the family name, the first given name, and every variant of the given names. */
type Sought = { family: SQL; first: SQL; variants: SQL };

// A sub-select, so that it is read once per search (an InitPlan), not once per word or pair.
const threshold = sql`(select current_setting('pg_trgm.similarity_threshold')::float8)`;

/**
 * How each family word of `words` (word, sound) compares with what is sought, as the name score
 * counts it, and whether it matches whatever the given name. (OFFSET 0 keeps the planner from
 * inlining the similarities into every expression that uses them.)
 */
function familyFeatures(words: SQL, { family, first }: Sought, toFirst: SQL = sql`similarity(w.word, ${first})`) {
  return sql`
    select word, to_family, sound_bonus, to_first, to_family >= ${threshold} or sound_bonus > 0 as matches_alone
    from (
      select w.word, similarity(w.word, ${family}) as to_family, case when w.sound = dmetaphone(${family}) then 0.8 else 0 end as sound_bonus,
             ${toFirst} as to_first
      from (${words}) w
      offset 0
    ) x`;
}

/** How each given word of `words` (word) compares with what is sought, and whether it matches whatever the family name. */
function givenFeatures(words: SQL, { family, variants }: Sought) {
  return sql`
    select word, to_given, to_family, to_family >= ${threshold} or word = any(${variants}) as matches_alone
    from (
      select w.word, (select coalesce(max(similarity(w.word, v)), 0) from unnest(${variants}) v) as to_given, similarity(w.word, ${family}) as to_family
      from (${words}) w
      offset 0
    ) x`;
}

/**
 * The name score of a pair of words, from their features (f: family word, g: given word). Both words
 * exactly as sought add EXACT_NAME_BONUS: a nickname ("Jack" for John) or a likeness scores as much as
 * the name itself, and without it a common name's own people could be crowded out of the list by them.
 */
const pairScore = ({ family, first }: Sought) =>
  sql`(greatest(f.to_family + g.to_given, g.to_family + f.to_first, f.sound_bonus + g.to_given) + case when f.word = ${family} and g.word = ${first} then ${sql.raw(String(EXACT_NAME_BONUS))} else 0 end)`;
/** Less than any identifier adds (a date of birth adds 3), so an exact name alone outranks only other names. */
export const EXACT_NAME_BONUS = 0.5;
/** A pair of words matches when either matches on its own. */
const pairMatches = sql`(f.matches_alone or g.matches_alone)`;
/** Below this a name has a word like nothing sought; at or above it, both words are among the words found. */
const BOTH_WORDS_MATCH = 1.25;
/** How many of the best pairs are looked through before sorting them all. */
const BEST_PAIRS = 256;

/** The CTEs that find people by name, ending in by_name(person_id). */
function nameCandidates(sought: Sought, limit: number, keep: Keep) {
  const { family, first, variants } = sought;
  return sql`
    given_words as materialized (${givenFeatures(
      sql`
        select word from ${personNameWord} where role = 'given' and word % ${family}
        union select x.word from unnest(${variants}) v cross join lateral (select word from ${personNameWord} where role = 'given' and word % v) x
        union select word from ${personNameWord} where role = 'given' and word = any(${variants})`,
      sought,
    )}),
    family_words as materialized (${familyFeatures(
      sql`
        -- One trigram search per word sought: an OR would test every word found against them all.
        select word, sound from ${personNameWord} where role = 'family' and word % ${family}
        union select word, sound from ${personNameWord} where role = 'family' and sound = dmetaphone(${family})
        -- With the names swapped, a family name like the first given name scores 1.25 or more only beside a given name like the family name sought.
        union select word, sound from ${personNameWord}
        where role = 'family' and word % ${first} and exists (select from given_words where to_family >= ${threshold})`,
      sought,
      // Likewise, with no given word like the family name sought at all, a family word's likeness to the first
      // given name cannot lift a pair to 1.25; left out, it only orders pairs below that (scored exactly at the end).
      sql`case when exists (select from given_words where to_family > 0) then similarity(w.word, ${first}) else 0 end`,
    )}),
    name_pairs as materialized (
      select f.word as family, g.word as given, ${pairScore(sought)} as score
      from family_words f join given_words g on ${pairMatches}
    ),
    -- Pairs best first, each pair's people in id order: the first rows are the best, ties in name order.
    -- Most searches find enough people among the best few hundred pairs, which are picked without
    -- sorting them all; only when they do not are all the pairs sorted (the same order, so the same people).
    ${pairPeople('people_of_best_pairs', sql`(select family, given, score from name_pairs order by score desc, family, given limit ${BEST_PAIRS})`, limit, keep)},
    ${pairPeople('people_of_all_pairs', sql`(select family, given, score from name_pairs order by score desc, family, given offset 0)`, limit, keep, sql`
      where (select count(*) < ${limit} from people_of_best_pairs) and (select count(*) > ${BEST_PAIRS} from name_pairs)`)},
    person_pairs as (
      select person_id, score from people_of_best_pairs where (select count(*) = ${limit} from people_of_best_pairs) or (select count(*) <= ${BEST_PAIRS} from name_pairs)
      union all
      select person_id, score from people_of_all_pairs
    ),
    -- The 20th best score among those people (minus infinity when there are fewer): a name scoring
    -- less cannot put anyone into the list, so other names (aliases) are looked up pair by pair above it.
    twentieth as (
      select case when count(*) = ${limit} then min(score) else '-infinity'::float8 end as score from person_pairs
    ),
    alias_pairs as (
      select a.person_id
      from (select family, given from name_pairs where score >= (select score from twentieth)) np
      -- OFFSET 0: looked up pair by pair through the index, never by reading every alias.
      cross join lateral (select person_id from ${personAlias} where search_family = np.family and search_given = np.given ${keep(sql`${personAlias.personId}`)} offset 0) a
      where (select score from twentieth) > '-infinity'::float8
      union all
      select a.person_id
      from ${personAlias} a join name_pairs np on np.family = a.search_family and np.given = a.search_given
      where a.search_family = any(array(select word from family_words)) and (select score from twentieth) = '-infinity'::float8 ${keep(sql`a.person_id`)}
    ),
    -- Names with only one word matching score under ${sql.raw(String(BOTH_WORDS_MATCH))}: not needed when that many people score more.
    one_word_needed as (
      select count(*) < ${limit} as needed from person_pairs where score >= ${BOTH_WORDS_MATCH}
    ),
    ${onlyOneWord('person', sql`${person}`, sql`id`, limit, keep(sql`${person.id}`))},
    ${onlyOneWord('alias', sql`${personAlias}`, sql`person_id`, limit, keep(sql`${personAlias.personId}`))},
    by_name as (
      select person_id from person_pairs union select person_id from alias_pairs
      union select person_id from person_family_only union select person_id from person_given_only
      union select person_id from alias_family_only union select person_id from alias_given_only
    )`;
}

/** A CTE `name`: the first `limit` people whose own names are among `pairs`, taken in the pairs' order. */
function pairPeople(name: string, pairs: SQL, limit: number, keep: Keep, when: SQL = sql``) {
  return sql`
    ${sql.raw(name)} as materialized (
      select t.person_id, np.score
      from ${pairs} np
      cross join lateral (select id as person_id from ${person} where search_family = np.family and search_given = np.given ${keep(sql`${person.id}`)} order by id) t
      ${when}
      order by np.score desc, np.family, np.given, t.person_id
      limit ${limit}
    )`;
}

/** The two ways a name can have only one word matching: its family word, or its given word. */
const ONE_WORD_SIDES = [
  { side: 'family', words: 'family_words', best: 'greatest(to_family, sound_bonus, to_first)', column: 'search_family', other: 'search_given', otherWords: 'given_words' },
  { side: 'given', words: 'given_words', best: 'greatest(to_given, to_family)', column: 'search_given', other: 'search_family', otherWords: 'family_words' },
] as const;

/**
 * Names where one word matches on its own and the other is like nothing sought: for each matching
 * word, best first, its first names in name order.
 */
function onlyOneWord(prefix: 'person' | 'alias', table: SQL, id: SQL, limit: number, kept: SQL) {
  return sql.join(
    ONE_WORD_SIDES.map(
      ({ side, words, best, column, other, otherWords }) => sql`
    ${sql.raw(`${prefix}_${side}_only`)} as (
      select t.person_id
      from (select word from ${sql.raw(words)} where matches_alone and (select needed from one_word_needed)
            order by ${sql.raw(best)} desc, word) ${sql.raw(side[0]!)}
      cross join lateral (
        select ${id} as person_id from ${table}
        where ${sql.raw(column)} = ${sql.raw(side[0]!)}.word and ${sql.raw(other)} <> all(array(select word from ${sql.raw(otherWords)})) ${kept}
        order by ${sql.raw(other)}, ${id}
        limit ${limit}
      ) t
      limit ${limit}
    )`,
    ),
    sql`,`,
  );
}

/** matched(person_id, name_score): each candidate's best matching name, their own or another. */
function nameScores(sought: Sought) {
  return sql`
    names as (
      select p.id as person_id, p.search_given, p.search_family from candidates c join ${person} p on p.id = c.person_id
      union all
      -- An array of ids, so that the planner looks each one up rather than reading every alias to join them.
      select a.person_id, a.search_given, a.search_family from ${personAlias} a where a.person_id = any(array(select person_id from candidates))
    ),
    -- Candidates share words: each is compared with what is sought once.
    family_features as (${familyFeatures(sql`select distinct search_family as word, dmetaphone(search_family) as sound from names`, sought)}),
    given_features as (${givenFeatures(sql`select distinct search_given as word from names`, sought)}),
    matched as (
      select n.person_id, max(${pairScore(sought)}) as name_score
      from names n
      join family_features f on f.word = n.search_family
      join given_features g on g.word = n.search_given
      where ${pairMatches}
      group by n.person_id
    )`;
}

/**
 * Settings for searching for people: given to runTransaction (SET LOCAL), or to the audit trail's read
 * (SET for the rest of the connection's life, which every other statement can live with: the threshold
 * matters only to the similarity operator, which only the search uses; JIT is a cost no statement of
 * Concord's repays; a generic plan is what its other prepared statements, each a lookup by id, would
 * get anyway). The similarity threshold; no JIT compilation (the
 * planner's row estimates for the word pairs can pass the JIT threshold; compiling costs more than
 * the search itself); and the prepared statement's generic plan, planned once per connection rather
 * than once per search (planning took about 2 ms of a 8 ms search; the generic plan, measured over
 * the benchmark's 500 searches at 1,000,000 people, runs faster and finds the same people).
 */
export const SEARCH_SETTINGS = {
  'pg_trgm.similarity_threshold': String(SIMILARITY_THRESHOLD),
  jit: 'off',
  plan_cache_mode: 'force_generic_plan',
} as const;


export async function findPerson(db: Queryable, id: string): Promise<PersonRow | null> {
  const [row] = await db.select().from(person).where(eq(person.id, id)).limit(1);
  return row ?? null;
}

export async function aliasesOf(db: Queryable, personId: string) {
  return db.select().from(personAlias).where(eq(personAlias.personId, personId)).orderBy(asc(personAlias.recordedAt));
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

// ---- Rows read alongside the access facts (see factsReader), each kind among the people in `ids` ----

const amongIds = (column: unknown) => sql`${column} = any(${sql.placeholder('ids')}::uuid[])`;

/** Each person's name as a JSON string (kind `name`): what opening a record shows at the top of every page. */
export const nameAlongside = sql`
  select 'name' as kind, ${person.id} as "personId", to_jsonb(${person.givenName} || ' ' || ${person.familyName}) as fact
  from ${person} where ${amongIds(person.id)}`;

/**
 * The whole record (kinds `person`, `alias` and `child`): every child is read, and the record shows
 * only those the access decision shares (REC-3), decided on the facts read in the same statement.
 */
export const personAlongside = sql`select 'person' as kind, ${person.id} as "personId", ${rowAsJson(person)} as fact from ${person} where ${amongIds(person.id)}`;
export const recordAlongside = sql`
  ${personAlongside}
  union all
  select 'alias', ${personAlias.personId}, ${rowAsJson(personAlias)} from ${personAlias} where ${amongIds(personAlias.personId)}
  union all
  select 'child', ${childLink.personId}, ${rowAsJson(childLink)} from ${childLink} where ${amongIds(childLink.personId)}`;

/** The involvements' agencies or teams of those people, as a subquery: whose names a list of them shows. */
export const involvedAmong = (column: 'agencyId' | 'teamId') => sql`select ${involvement[column]} from ${involvement} where ${amongIds(involvement.personId)}`;
