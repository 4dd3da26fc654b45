import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { testConcord } from '../support/app.js';
import { normaliseName } from '../../src/modules/people/rules.js';
import type { Actor } from '../../src/platform/access/actor.js';

/*
 * A relationship search (everyone's but a receiving team's identifying query) looks only among the
 * people the searcher may open: so its answer (who, in what order, how many) is the same whether or
 * not other people exist. Random searchers search, random people they have no relationship with are
 * added (with names, birth dates, postcodes and other names like those sought, known to other
 * agencies, or to the searcher's agency only as its referrer or in the past), and they search again.
 */
const t = await testConcord();
const { people, directory } = t.services;

const SEARCHERS = [
  'tom.okafor@riverside-nhs.example', // receiving team: non-identifying queries only
  'raj.patel@northshire-council.example',
  'kofi.mensah@harbour-housing.example',
  'laura.evans@northshire-police.example', // not a front door: any query is a relationship search
  'michael.dunn@northshire-probation.example',
  'sarah.lin@millbrook-gp.example',
];
const NOT_RECEIVING = new Set(['laura.evans@northshire-police.example', 'michael.dunn@northshire-probation.example', 'sarah.lin@millbrook-gp.example']);
const searchers: Actor[] = [];
for (const email of SEARCHERS) {
  const account = await directory.findAccountByEmail(email);
  searchers.push((await directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' }))!);
}
const agencies = (await t.pool.query(`select id from agency order by name`)).rows.map((r) => r.id as string);

const GIVEN = ['John', 'Jon', 'Jack', 'Johnny', 'Mary', 'Maria', 'Robert', 'Bob', 'Aisha'];
const FAMILY = ['Smith', 'Smyth', 'Smithson', 'Khan', 'Kahn', 'Jones', 'Morgan'];
const BORN = ['1980-01-01', '1984-06-12', '1990-09-09'];
const POSTCODES = ['NE1 4ST', 'NE2 1AA', 'SR1 3QD'];

type NewPerson = { given: string; family: string; born: string | null; postcode: string | null; alias: [string, string] | null };
const newPerson = fc.record({
  given: fc.constantFrom(...GIVEN),
  family: fc.constantFrom(...FAMILY),
  born: fc.option(fc.constantFrom(...BORN)),
  postcode: fc.option(fc.constantFrom(...POSTCODES)),
  alias: fc.option(fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)), { freq: 3 }),
});

async function add(p: NewPerson): Promise<string> {
  const { rows } = await t.pool.query(
    `insert into person (given_name, family_name, date_of_birth, postcode, search_given, search_family, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, now(), now()) returning id`,
    [p.given, p.family, p.born, p.postcode, normaliseName(p.given), normaliseName(p.family)],
  );
  const id = rows[0].id as string;
  if (p.alias) {
    await t.pool.query(`insert into person_alias (person_id, given_name, family_name, search_given, search_family, recorded_at) values ($1, $2, $3, $4, $5, now())`, [
      id, p.alias[0], p.alias[1], normaliseName(p.alias[0]), normaliseName(p.alias[1]),
    ]);
  }
  return id;
}
const involve = (personId: string, agencyId: string, role: string, ended: boolean) =>
  t.db.execute(sql`insert into involvement (person_id, agency_id, role, source_type, source_id, started_at, ended_at)
    values (${personId}, ${agencyId}, ${role}, 'test', gen_random_uuid(), now() - interval '1 year', ${ended ? sql`now()` : sql`null`})`);

// People the searchers work with: enough sharing names that the lists fill (20) and some are left out.
await fc.assert(
  fc.asyncProperty(fc.array(fc.tuple(newPerson, fc.subarray(searchers, { minLength: 1 })), { minLength: 120, maxLength: 120 }), async (related) => {
    for (const [p, knownTo] of related) {
      const id = await add(p);
      for (const s of new Set(knownTo.map((a) => a.agencyId))) await involve(id, s, 'partner', false);
    }
  }),
  { numRuns: 1, seed: 12 },
);

const query = fc.oneof(
  fc.record({ name: fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)).map(([g, f]) => `${g} ${f}`) }),
  fc.record({ name: fc.constantFrom(...FAMILY) }),
  fc.record({ name: fc.constantFrom(...FAMILY), dateOfBirth: fc.constantFrom(...BORN) }),
  fc.record({ dateOfBirth: fc.constantFrom(...BORN) }),
  fc.record({ postcode: fc.constantFrom(...POSTCODES) }),
  fc.record({ name: fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)).map(([g, f]) => `${g} ${f}`), postcode: fc.constantFrom(...POSTCODES) }),
  // Identifying: a relationship search only for a team that does not receive referrals.
  fc.record({ name: fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)).map(([g, f]) => `${g} ${f}`), dateOfBirth: fc.constantFrom(...BORN), identifying: fc.constant(true) }),
);
/** How an unrelated person may still touch the searcher's agency: not at all, as its referrer, or in the past. */
const tie = fc.constantFrom('other agency', 'referrer', 'ended', 'none');

test('a relationship search answers the same ids, in the same order, whether or not unrelated people exist', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...searchers), query, fc.array(fc.tuple(newPerson, tie, fc.constantFrom(...agencies)), { minLength: 1, maxLength: 40 }), async (searcher, q, unrelated) => {
      const { identifying, ...input } = q as typeof q & { identifying?: boolean };
      fc.pre(!identifying || NOT_RECEIVING.has(searcher.email));
      const before = await people.search(searcher, input);
      assert.equal(before.purpose, 'relationship');
      for (const [p, how, agencyId] of unrelated) {
        const id = await add(p);
        if (how === 'other agency' && agencyId !== searcher.agencyId) await involve(id, agencyId, 'partner', false);
        if (how === 'referrer') await involve(id, searcher.agencyId, 'referrer', false);
        if (how === 'ended') await involve(id, searcher.agencyId, 'partner', true);
      }
      const after = await people.search(searcher, input);
      assert.deepEqual(after.results.map((r) => r.id), before.results.map((r) => r.id), `${searcher.email} searching ${JSON.stringify(input)}`);
      assert.equal(after.purpose, 'relationship');
    }),
    { numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 100_000) },
  );
});

test('the searchers do find people: the property is not about empty answers', async () => {
  const answers = await Promise.all(searchers.map((s) => people.search(s, { name: 'Smith' })));
  assert.ok(answers.every((a) => a.results.length > 0));
  assert.ok(answers.some((a) => a.results.length === 20), 'some lists are full, so the limit is exercised');
});
