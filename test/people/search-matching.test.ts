import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { testConcord } from '../support/app.js';
import { findCandidates, useSearchThreshold, type SearchCriteria } from '../../src/modules/people/store.js';
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

async function search(name: string | null, extra: Partial<SearchCriteria> = {}) {
  const q = name ? nameQuery(name) : null;
  return t.db.transaction(async (tx) => {
    await useSearchThreshold(tx);
    const rows = await findCandidates(tx, { given: q?.given ?? [], family: q?.family ?? null, dateOfBirth: null, nhsNumber: null, postcode: null, ...extra });
    return rows.map((r) => `${r.givenName} ${r.familyName}`);
  });
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
