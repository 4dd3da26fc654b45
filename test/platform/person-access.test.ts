import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { testConcord } from '../support/app.js';
import { decidePersonAccess, type InvolvementFact } from '../../src/platform/access/person-access.js';
import { canSeeRecord } from '../../src/platform/access/person-filter.js';
import { INVOLVEMENT_ROLES } from '../../src/platform/access/schema.js';
import { ROLES, type Role } from '../../src/platform/access/policy.js';
import type { Actor } from '../../src/platform/access/actor.js';

const t = await testConcord();
const agencies = (await t.pool.query(`select id from agency order by name limit 4`)).rows.map((r: { id: string }) => r.id);
const teamOf = (await t.pool.query(`select id, agency_id from team`)).rows as { id: string; agency_id: string }[];

function actorIn(agencyId: string, roles: Role[]): Actor {
  return { userId: '00000000-0000-4000-8000-000000000001', name: 'A', email: 'a@x.example', agencyId, agencyName: 'Agency', agencyType: 'other', teamId: teamOf.find((t) => t.agency_id === agencyId)!.id, teamName: 'Team', roles, via: { kind: 'session', sessionId: 's' } };
}

test('the SQL filter and the decision agree, for random involvements and actors', async () => {
  const involvementArb = fc.record({ agencyId: fc.constantFrom(...agencies), role: fc.constantFrom(...INVOLVEMENT_ROLES), active: fc.boolean() });
  await fc.assert(
    fc.asyncProperty(fc.array(involvementArb, { maxLength: 5 }), fc.constantFrom(...agencies), fc.subarray([...ROLES], { minLength: 1 }), async (involvements: InvolvementFact[], agencyId, roles) => {
      const actor = actorIn(agencyId, roles as Role[]);
      const at = { now: new Date(), today: new Date().toISOString().slice(0, 10) };
      const expected = decidePersonAccess(actor, { involvements }, at).level === 'record';
      // Each case runs in a transaction that is rolled back, so cases do not see each other's rows.
      let actual: boolean | undefined;
      await t.db.transaction(async (tx) => {
        const person = await tx.execute<{ id: string }>(
          sql`insert into person (given_name, family_name, search_given, search_family, created_at, updated_at) values ('Test', 'Person', 'test', 'person', now(), now()) returning id`,
        );
        const personId = person.rows[0]!.id;
        for (const i of involvements) {
          await tx.execute(sql`insert into involvement (person_id, agency_id, role, source_type, source_id, started_at, ended_at)
            values (${personId}, ${i.agencyId}, ${i.role}, 'test', gen_random_uuid(), now(), ${i.active ? null : new Date().toISOString()})`);
        }
        const seen = await tx.execute<{ n: number }>(sql`select count(*)::int as n from person where id = ${personId} and ${canSeeRecord(actor, sql`person.id`, at)}`);
        actual = seen.rows[0]!.n === 1;
        tx.rollback();
      }).catch((error: Error) => {
        if (error.message !== 'Rollback') throw error;
      });
      assert.equal(actual, expected);
    }),
    { numRuns: 150 },
  );
});
