import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql, type SQL } from 'drizzle-orm';
import { testConcord } from '../support/app.js';
import { decideItemAccess, decidePersonAccess, type PersonAccessFacts } from '../../src/platform/access/person-access.js';
import { canSeeItem, canSeeRecord } from '../../src/platform/access/person-filter.js';
import { loadAccessFacts } from '../../src/platform/access/facts.js';
import { INVOLVEMENT_ROLES } from '../../src/platform/access/schema.js';
import { INFORMATION_CATEGORIES, type InformationCategory } from '../../src/platform/access/sharing-terms.js';
import { ROLES, type Role } from '../../src/platform/access/policy.js';
import type { Actor } from '../../src/platform/access/actor.js';
import type { Transaction } from '../../src/platform/db/database.js';
import { itemAccess, recordAccess, type RefWorld } from './reference-model.js';
import { insertFacts, insertPerson, type Facts } from './world.js';

/*
 * The product's access decision — the pure `decidePersonAccess`/`decideItemAccess` and their SQL
 * twins `canSeeRecord`/`canSeeItem` — against the reference model (reference-model.ts), over random
 * people, involvements, consents, exceptions, restrictions and break-glass, seen by random actors
 * asking about random items. Every disagreement is a failure; fast-check shrinks it to a small case.
 */

const t = await testConcord();

const POOL = ['Riverside NHS Mental Health Trust', 'Northshire County Council Adult Social Care', 'Harbour Housing Options', 'Open Door Voluntary Services'];
const agencies = (await t.pool.query(`select a.id, a.type, a.name, (select min(t.id::text) from team t where t.agency_id = a.id) as team_id from agency a where a.name = any($1) order by a.name`, [POOL]))
  .rows as { id: string; type: string; name: string; team_id: string }[];
const users = (await t.pool.query(`select id, agency_id from app_user where email = any($1) order by email`, [['tom.okafor@riverside-nhs.example', 'grace.whitfield@riverside-nhs.example', 'kofi.mensah@harbour-housing.example']]))
  .rows as { id: string; agency_id: string }[];
assert.equal(agencies.length, 4);
assert.equal(users.length, 3);
const recorder = { userId: users[0]!.id, agencyId: users[0]!.agency_id, teamId: agencies.find((a) => a.id === users[0]!.agency_id)!.team_id };

const agencyIds = agencies.map((a) => a.id);
/** The pool's kinds of agency, and one kind no agency in the pool is. */
const AGENCY_TYPES = [...agencies.map((a) => a.type), 'police'];
const ENTRIES = [randomUUID(), randomUUID(), randomUUID()];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Midday in winter, so the London date is the UTC date.
const NOW = new Date('2026-01-15T12:00:00.000Z');
const at = { now: NOW, today: '2026-01-15' };
const REVIEW_DATES = ['2025-06-30', '2026-01-14', '2026-01-15', '2026-01-16', '2027-01-01'];

/** Facts and items over these categories; few of them make it likely that a consent, exception or restriction is about the item asked for. */
function arbitraries(categoryPool: readonly InformationCategory[]) {
  const categories = fc.subarray([...categoryPool]);
  const someCategories = fc.subarray([...categoryPool], { minLength: 1 });
  const involvementArb = fc.record({ agencyId: fc.constantFrom(...agencyIds), role: fc.constantFrom(...INVOLVEMENT_ROLES), active: fc.integer({ min: 0, max: 3 }).map((n) => n > 0) });
  const consentArb = fc.record({
    decision: fc.constantFrom('given' as const, 'refused' as const),
    agencyIds: fc.subarray(agencyIds),
    agencyTypes: fc.subarray(AGENCY_TYPES),
    categories: someCategories,
    // Few distinct instants, so a refusal and a consent often carry the same time.
    obtainedAt: fc.constantFrom(3, 2, 1).map((days) => new Date(NOW.getTime() - days * DAY)),
    reviewDate: fc.constantFrom(null, ...REVIEW_DATES),
    withdrawn: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  });
  const exceptionArb = fc.record({ agencyIds: fc.subarray(agencyIds, { minLength: 1 }), categories: someCategories, reviewDate: fc.constantFrom(...REVIEW_DATES), ended: fc.boolean() });
  const restrictionArb = fc.record({
    entryId: fc.constantFrom(null, ...ENTRIES.slice(0, 2)),
    categories,
    agencyIds: fc.subarray(agencyIds),
    agencyTypes: fc.subarray(AGENCY_TYPES),
    ended: fc.boolean(),
  });
  // Starting from 5 hours ago to an hour ahead, lasting 1 or 4 hours: expired, ending exactly now, in force, not yet started.
  const glassArb = fc
    .record({ userId: fc.constantFrom(...users.map((u) => u.id)), startHoursAgo: fc.constantFrom(5, 4, 1, 0, -1), hours: fc.constantFrom(1, 4) })
    .map(({ userId, startHoursAgo, hours }) => ({ userId, startedAt: new Date(NOW.getTime() - startHoursAgo * HOUR), expiresAt: new Date(NOW.getTime() + (hours - startHoursAgo) * HOUR) }));
  // Mostly one casework role (the interesting decisions), sometimes any mix including administrators and auditors.
  const roles = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<Role[]>(['practitioner'], ['care_coordinator'], ['team_manager']) },
    { weight: 1, arbitrary: fc.subarray([...ROLES], { minLength: 1 }) },
  );
  return {
    facts: fc.record({
      involvements: fc.array(involvementArb, { maxLength: 6 }),
      consents: fc.array(consentArb, { maxLength: 6 }),
      exceptions: fc.array(exceptionArb, { maxLength: 2 }),
      restrictions: fc.array(restrictionArb, { maxLength: 3 }),
      breakGlass: fc.array(glassArb, { maxLength: 2 }),
    }),
    actors: fc.array(fc.record({ agency: fc.constantFrom(...agencies), userId: fc.constantFrom(...users.map((u) => u.id)), roles }), { minLength: 1, maxLength: 4 }),
    items: fc.array(fc.record({ category: fc.constantFrom(...categoryPool), owningAgencyId: fc.constantFrom(...agencyIds), entryId: fc.constantFrom(null, ...ENTRIES) }), { minLength: 1, maxLength: 6 }),
  };
}

type GeneratedActor = { agency: (typeof agencies)[number]; userId: string; roles: Role[] };
type GeneratedItem = { category: InformationCategory; owningAgencyId: string; entryId: string | null };

const actorOf = (a: GeneratedActor): Actor => ({
  userId: a.userId,
  name: 'Tester',
  email: 'tester@example.org',
  agencyId: a.agency.id,
  agencyName: a.agency.name,
  agencyType: a.agency.type,
  teamId: a.agency.team_id,
  teamName: 'Team',
  roles: a.roles,
  via: { kind: 'session', sessionId: 'property' },
});

/** The same facts with the ids the product's decision reports (the database makes its own on insert otherwise). */
const withIds = (facts: Facts): PersonAccessFacts & Facts => ({
  involvements: facts.involvements,
  consents: facts.consents.map((c) => ({ ...c, id: randomUUID() })),
  exceptions: facts.exceptions.map((e) => ({ ...e, id: randomUUID() })),
  restrictions: facts.restrictions.map((r) => ({ ...r, id: randomUUID() })),
  breakGlass: facts.breakGlass.map((b) => ({ ...b, id: randomUUID() })),
});

async function rolledBack<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await t.db
    .transaction(async (tx) => {
      result = await work(tx);
      tx.rollback();
    })
    .catch((error: Error) => {
      if (error.message !== 'Rollback') throw error;
    });
  return result as T;
}

const tally = { cases: 0, recordChecks: 0, itemChecks: 0, reasons: new Map<string, number>() };
const count = (reason: string) => tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);

const every = arbitraries(INFORMATION_CATEGORIES);
const few = arbitraries(['basic_details', 'risk', 'mental_health', 'housing']);

test('the pure decision agrees with the reference model (many cases, no database)', () => {
  let checks = 0;
  fc.assert(
    fc.property(every.facts, every.actors, every.items, (generated, actors, items) => {
      const facts = withIds(generated as Facts);
      for (const a of actors) {
        const actor = actorOf(a as GeneratedActor);
        const person = decidePersonAccess(actor, facts, at);
        const expected = recordAccess(actor, facts as RefWorld, at);
        assert.deepEqual({ level: person.level, via: person.via }, { level: expected.level, via: expected.because });
        for (const item of items as GeneratedItem[]) {
          const decided = decideItemAccess(actor, facts, item, at);
          const reference = itemAccess(actor, facts as RefWorld, item, at);
          assert.deepEqual({ allowed: decided.allowed, via: decided.via }, { allowed: reference.allowed, via: reference.because });
          checks += 1;
        }
      }
    }),
    { numRuns: 20_000 },
  );
  console.log(`pure decision vs reference: ${checks} item decisions, 0 disagreements`);
});

test('the SQL filters, the pure decision and the facts loader agree with the reference model', async () => {
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(few.facts, few.actors, few.items, async (generated, generatedActors, generatedItems) => {
      const facts = withIds(generated as Facts);
      const world = facts as RefWorld;
      const actors = (generatedActors as GeneratedActor[]).map(actorOf);
      const items = generatedItems as GeneratedItem[];
      const disagreements: string[] = [];
      const compare = (what: string, expected: unknown, actual: unknown, context: () => unknown) => {
        if (expected !== actual) disagreements.push(`${what}: reference says ${String(expected)}, got ${String(actual)} — ${JSON.stringify(context())}`);
      };
      const { seen, loaded } = await rolledBack(async (tx) => {
        const person = await insertPerson(tx);
        await insertFacts(tx, person.id, facts, recorder, NOW);
        const questions: SQL[] = [];
        for (const actor of actors) {
          questions.push(canSeeRecord(actor, sql`person.id`, at));
          for (const item of items) {
            questions.push(canSeeItem(actor, { personId: sql`person.id`, category: item.category, owningAgencyId: sql`${item.owningAgencyId}::uuid`, entryId: item.entryId ? sql`${item.entryId}::uuid` : undefined }, at));
          }
        }
        const columns = questions.map((q, k) => sql`${q} as ${sql.identifier(`q${k}`)}`);
        const row = (await tx.execute<Record<string, boolean>>(sql`select ${sql.join(columns, sql`, `)} from person where id = ${person.id}`)).rows[0]!;
        return { seen: questions.map((_, k) => row[`q${k}`]), loaded: (await loadAccessFacts(tx, [person.id])).get(person.id)! };
      });
      let k = 0;
      for (const actor of actors) {
        const context = () => ({ actor: { agency: actor.agencyName, type: actor.agencyType, user: actor.userId, roles: actor.roles }, facts: generated });
        const expected = recordAccess(actor, world, at);
        const pure = decidePersonAccess(actor, facts, at);
        compare('record level (pure)', expected.level, pure.level, context);
        compare('record reason (pure)', expected.because, pure.via, context);
        compare('record level (pure, facts as loaded)', expected.level, decidePersonAccess(actor, loaded, at).level, context);
        compare('record (SQL canSeeRecord)', expected.level === 'record', seen[k++], context);
        tally.recordChecks += 1;
        count(`record:${expected.because}`);
        for (const item of items) {
          const itemContext = () => ({ ...(context() as object), item });
          const reference = itemAccess(actor, world, item, at);
          const decided = decideItemAccess(actor, facts, item, at);
          compare('item (pure)', reference.allowed, decided.allowed, itemContext);
          compare('item reason (pure)', reference.because, decided.via, itemContext);
          compare('item (pure, facts as loaded)', reference.allowed, decideItemAccess(actor, loaded, item, at).allowed, itemContext);
          compare('item (SQL canSeeItem)', reference.allowed, seen[k++], itemContext);
          tally.itemChecks += 1;
          count(`item:${reference.because}`);
        }
      }
      tally.cases += 1;
      // fast-check shrinks a failing case and reports the smallest one's disagreements.
      assert.deepEqual(disagreements, []);
    }),
    { numRuns: 400 },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`SQL and pure vs reference: ${tally.cases} people, ${tally.recordChecks} record decisions, ${tally.itemChecks} item decisions, 0 disagreements, ${seconds}s`);
  console.log(`decided by each row of the reference tables: ${JSON.stringify(Object.fromEntries([...tally.reasons].sort()))}`);
  // Every row of both tables was reached, so none of the rules went untested.
  for (const row of ['record:role', 'record:involvement', 'record:exception', 'record:break_glass', 'record:referrer', 'record:none', 'item:no_record', 'item:own_agency', 'item:exception', 'item:restricted', 'item:basic_details', 'item:consent', 'item:break_glass', 'item:no_consent']) {
    assert.ok((tally.reasons.get(row) ?? 0) > 0, `no case was decided by ${row}`);
  }
});
