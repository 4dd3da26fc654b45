import { test } from 'node:test';
import assert from 'node:assert/strict';
import { param, sql } from 'drizzle-orm';
import { testConcord } from '../support/app.js';
import { EXACT_NAME_BONUS, findCandidates, SEARCH_SETTINGS, type SearchCriteria } from '../../src/modules/people/store.js';
import { runTransaction } from '../../src/platform/db/database.js';
import { nameQuery, normaliseName } from '../../src/modules/people/rules.js';

const t = await testConcord();

const PEOPLE = [
  ['Robert', 'Smith', '1984-06-12', 'NE1 4ST', '9434765919'],
  ['Roberta', 'Smithson', '1990-01-01', 'NE2 1AA', null],
  ['Aisling', 'O’Sullivan', '1979-11-30', 'SR1 3QD', null],
  ['John', 'Smyth', '1984-06-12', 'DH1 3LE', null],
  ['Elizabeth', 'Ward', '2001-02-14', 'NE1 4ST', null],
  ['Mohammed', 'Khan', '1975-09-09', 'TS1 2AB', null],
] as const;

for (const [given, family, dob, postcode, nhs] of PEOPLE) {
  await t.db.execute(sql`insert into person (given_name, family_name, date_of_birth, postcode, nhs_number, search_given, search_family, created_at, updated_at)
    values (${given}, ${family}, ${dob}, ${postcode}, ${nhs}, ${normaliseName(given)}, ${normaliseName(family)}, now(), now())`);
}
const wardId = (await t.pool.query(`select id from person where family_name = 'Ward'`)).rows[0].id;
await t.db.execute(sql`insert into person_alias (person_id, given_name, family_name, search_given, search_family, recorded_at) values (${wardId}, 'Elizabeth', 'Hartley', 'elizabeth', 'hartley', now())`);

function criteriaFor(name: string | null, extra: Partial<SearchCriteria> = {}): SearchCriteria {
  const q = name ? nameQuery(name) : null;
  return { given: q?.given ?? [], family: q?.family ?? null, dateOfBirth: null, nhsNumber: null, postcode: null, ...extra };
}

async function candidates(criteria: SearchCriteria, limit?: number) {
  return runTransaction(t.db, SEARCH_SETTINGS, async (tx) => ({ result: await findCandidates(tx, criteria, limit) }));
}

async function search(name: string | null, extra: Partial<SearchCriteria> = {}) {
  return (await candidates(criteriaFor(name, extra))).map((r) => `${r.givenName} ${r.familyName}`);
}

/**
 * What search is defined to find, by brute force: every name of every person (their own and their
 * other names) scored, the best name counting, identifiers added. The search finds the same
 * without scoring everyone.
 */
async function everyoneScored(c: SearchCriteria, limit = 20) {
  const given = c.given.length ? c.given : [''];
  const variants = sql`${param(given)}::text[]`;
  const best = sql`(select coalesce(max(similarity(n.search_given, g)), 0) from unnest(${variants}) g)`;
  const matched = c.family
    ? sql`select n.person_id, max(greatest(
            similarity(n.search_family, ${c.family}) + ${best},
            similarity(n.search_given, ${c.family}) + similarity(n.search_family, ${given[0]!}),
            case when dmetaphone(n.search_family) = dmetaphone(${c.family}) then 0.8 else 0 end + ${best})
            + case when n.search_family = ${c.family} and n.search_given = ${given[0]!} then ${EXACT_NAME_BONUS}::float8 else 0 end) as name_score
          from (select id as person_id, search_given, search_family from person union all select person_id, search_given, search_family from person_alias) n
          where n.search_family % ${c.family} or n.search_given % ${c.family} or n.search_given = any(${variants}) or dmetaphone(n.search_family) = dmetaphone(${c.family})
          group by n.person_id`
    : sql`select null::uuid as person_id, 0 as name_score where false`;
  const { rows } = await runTransaction(t.db, SEARCH_SETTINGS, async (tx) => ({
    result: await tx.execute<{ id: string; score: number }>(sql`
      with matched as (${matched})
      select p.id, (coalesce(m.name_score, 0)
               + case when p.nhs_number = ${c.nhsNumber} then 10 else 0 end
               + case when p.date_of_birth = ${c.dateOfBirth}::date then 3 else 0 end
               + case when p.postcode = ${c.postcode} then 1 else 0 end)::float8 as score
      from person p left join matched m on m.person_id = p.id
      where m.person_id is not null or p.nhs_number = ${c.nhsNumber} or p.date_of_birth = ${c.dateOfBirth}::date or p.postcode = ${c.postcode}
      order by score desc, p.search_family, p.search_given, p.id
      limit ${limit}`),
  }));
  return rows;
}

test('an exact name comes first', async () => {
  assert.equal((await search('Robert Smith'))[0], 'Robert Smith');
});

test('typos, swapped names and nicknames still find the person', async () => {
  assert.equal((await search('Robert Smiht'))[0], 'Robert Smith', 'transposed letters');
  assert.equal((await search('Smith Robert'))[0], 'Robert Smith', 'first and last swapped');
  assert.equal((await search('Bob Smith'))[0], 'Robert Smith', 'nickname');
  assert.equal((await search('Liz Ward'))[0], 'Elizabeth Ward', 'nickname, the other way');
  assert.equal((await search('aisling osullivan'))[0], 'Aisling O’Sullivan', 'apostrophe and case');
  assert.equal((await search('Muhammed Khan'))[0], 'Mohammed Khan', 'another spelling');
});

test('a previous name finds the person', async () => {
  assert.equal((await search('Elizabeth Hartley'))[0], 'Elizabeth Ward');
});

test('an NHS number or date of birth outranks a near name', async () => {
  assert.equal((await search('Smith', { nhsNumber: '9434765919' }))[0], 'Robert Smith');
  assert.equal((await search('Smith', { dateOfBirth: '1984-06-12' }))[0], 'Robert Smith');
  assert.deepEqual((await search(null, { dateOfBirth: '1984-06-12' })).sort(), ['John Smyth', 'Robert Smith']);
  assert.deepEqual((await search(null, { postcode: 'NE1 4ST' })).sort(), ['Elizabeth Ward', 'Robert Smith']);
});

test('unrelated people are not returned', async () => {
  const found = await search('Robert Smith');
  assert.ok(!found.includes('Mohammed Khan'));
  assert.ok(!found.includes('Aisling O’Sullivan'));
});

test('finds exactly the people, scores and order that scoring everyone gives', async () => {
  const searches: [string | null, Partial<SearchCriteria>][] = [
    ['Robert Smith', {}], ['Robert Smiht', {}], ['Smith Robert', {}], ['Bob Smith', {}], ['Liz Ward', {}], ['aisling osullivan', {}],
    ['Muhammed Khan', {}], ['Elizabeth Hartley', {}], ['Smith', {}], ['Smyth', {}], ['John', {}], ['Ward Elizabeth', {}], ['Roberta Smithson', {}],
    ['Smith', { dateOfBirth: '1984-06-12' }], ['Khan', { postcode: 'NE1 4ST' }], ['Liz Ward', { nhsNumber: '9434765919' }], [null, { postcode: 'NE1 4ST' }],
  ];
  for (const [name, extra] of searches) {
    const c = criteriaFor(name, extra);
    const found = (await candidates(c)).map((r) => [r.id, r.score]);
    assert.deepEqual(found, (await everyoneScored(c)).map((r) => [r.id, r.score]), `${name} ${JSON.stringify(extra)}`);
  }
});

test('with a short list, everyone scoring 1.25 or more, or with a matching identifier, is still exactly where scoring everyone puts them', async () => {
  for (const [name, extra] of [['Robert Smith', {}], ['Smith', { dateOfBirth: '1984-06-12' }], ['Elizabeth Ward', { postcode: 'NE1 4ST' }]] as const) {
    const c = criteriaFor(name, extra);
    const exact = (rows: { id: string; score: number }[]) => rows.filter((r) => r.score >= 1.25).map((r) => [r.id, r.score]);
    assert.deepEqual(exact(await candidates(c, 2)), exact(await everyoneScored(c, 2)), name);
  }
});

test('a family name shared by more people than the list holds fills the list', async () => {
  const given = ['Ada', 'Bea', 'Cyd', 'Dot', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jem', 'Kit', 'Lou', 'Max', 'Ned', 'Olu', 'Pip', 'Quin', 'Ray', 'Sol', 'Tam', 'Uma', 'Val', 'Wyn', 'Xan', 'Yan'];
  await t.db.execute(sql`insert into person (given_name, family_name, search_given, search_family, created_at, updated_at)
    select g, 'Pemberton', lower(g), 'pemberton', now(), now() from unnest(${param(given)}::text[]) g`);
  const found = await candidates(criteriaFor('Pemberton'));
  assert.equal(found.length, 20);
  assert.ok(found.every((r) => r.familyName === 'Pemberton'));
});

test('a new person, a changed name and another name are found at once', async () => {
  const { people, directory } = t.services;
  const account = await directory.findAccountByEmail('tom.okafor@riverside-nhs.example');
  const tom = (await directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' }))!;
  const added = await t.db.transaction((tx) =>
    people.createInTransaction(tx, tom, people.parsePerson({ givenName: 'Zephyrine', familyName: 'Quennell' }), () => undefined),
  );
  await t.db.execute(sql`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values (${added.id}, ${tom.agencyId}, ${tom.teamId}, 'receiving_service', 'test', gen_random_uuid(), now())`);
  const firstFound = async (name: string) => (await people.search(tom, { name })).results[0]?.id;

  assert.equal(await firstFound('Zephyrine Quennell'), added.id, 'a name never seen before');
  await people.update(tom, added.id, { givenName: 'Zephyrine', familyName: 'Vandermolen' }, added.version);
  assert.equal(await firstFound('Zephyrine Vandermolen'), added.id, 'a changed family name');
  assert.equal(await firstFound('Zephyrine Vandermolne'), added.id, 'and with a typo');
  await people.addAlias(tom, added.id, { givenName: 'Zeph', familyName: 'Oyelaran-Brightwater' });
  assert.equal(await firstFound('Zeph Oyelaran-Brightwater'), added.id, 'another name');
});

test('with hundreds of family names like the one sought, the people found are still those scoring everyone finds', async () => {
  // 300 family names like "Hargreaves", so there are more pairs of words than search looks through
  // before sorting them all. Bobs on the first few, Zeds (a name like nothing sought) on the rest;
  // some Zeds were once Bobs (another name), on family names near the start and the end.
  const families = Array.from({ length: 300 }, (_, i) => `Hargreaves${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`);
  const bobs = (from: number, count: number) => families.slice(from, from + count);
  await t.db.execute(sql`insert into person (given_name, family_name, search_given, search_family, created_at, updated_at)
    select g, f, lower(g), lower(f), now(), now()
    from unnest(${param(families.map((_, i) => (i % 12 === 0 ? 'Bob' : 'Zed')))}::text[], ${param(families)}::text[]) as x(g, f)`);
  await t.db.execute(sql`insert into person_alias (person_id, given_name, family_name, search_given, search_family, recorded_at)
    select p.id, 'Bob', p.family_name, 'bob', p.search_family, now() from person p
    where p.search_given = 'zed' and p.search_family = any(${param([...bobs(1, 3), ...bobs(290, 3)].map((f) => f.toLowerCase()))}::text[])`);

  for (const name of ['Robert Hargreaves', 'Bob Hargreavesaa', 'Zed Hargreaveslz', 'Hargreaves Bob', 'Hargreaves']) {
    for (const limit of [20, 5]) {
      const c = criteriaFor(name);
      const exact = (rows: { id: string; score: number }[]) => rows.filter((r) => r.score >= 1.25).map((r) => [r.id, r.score]);
      assert.deepEqual(exact(await candidates(c, limit)), exact(await everyoneScored(c, limit)), `${name}, ${limit} shown`);
    }
  }
});

test('among hundreds of people with a common name, its nicknames and likenesses, the exact name fills the list first', async () => {
  // As at 1,000,000 people: "Jack" scores as much as "John" (a nickname), and Jacks, Johnnys and Smyths sort ahead of Johns.
  const insert = (given: string, family: string, count: number) =>
    t.db.execute(sql`insert into person (given_name, family_name, search_given, search_family, created_at, updated_at)
      select ${given}, ${family}, ${normaliseName(given)}, ${normaliseName(family)}, now(), now() from generate_series(1, ${count})`);
  await insert('John', 'Smith', 300);
  await insert('Jack', 'Smith', 40);
  await insert('Johnny', 'Smith', 40);
  await insert('John', 'Smyth', 40);
  await insert('Jon', 'Smith', 40);
  await insert('John', 'Aardvark', 40);
  for (const limit of [20, 5]) {
    const found = await candidates(criteriaFor('John Smith'), limit);
    assert.equal(found.length, limit);
    assert.deepEqual(found.map((r) => `${r.givenName} ${r.familyName}`), Array(limit).fill('John Smith'), `${limit} shown`);
    const c = criteriaFor('John Smith');
    assert.deepEqual(found.map((r) => [r.id, r.score]), (await everyoneScored(c, limit)).map((r) => [r.id, r.score]), 'as scoring everyone');
  }
  assert.ok((await candidates(criteriaFor('Jack Smith'))).every((r) => r.givenName === 'Jack'), 'and the nickname sought exactly finds its own first');
});
