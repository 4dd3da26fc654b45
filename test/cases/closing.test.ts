import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, lastAuditId, testConcord } from '../support/app.js';
import { actorFor, closeCase, openCase } from '../support/casework.js';
import type { DomainError } from '../../src/platform/errors.js';

// Closing is the last step of discharge (DCH-1 to DCH-4 come with that journey); the primitive it
// will call is checked here: what closes, that it is recorded, and that access ends with the involvement (COORD-6).
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const raj = await actorFor(t, 'raj.patel@northshire-council.example');
const priya = await actorFor(t, 'priya.raman@riverside-nhs.example');
const tom = await actorFor(t, 'tom.okafor@riverside-nhs.example');

const opened = await openCase(t, raj, priya, tom, { name: ['Septimus', 'Closewell'], leadAgencyId: raj.agencyId });

test('closing a case ends its allocation and the involvements it and its referral gave, so access ends too', async () => {
  const at = new Date('2026-06-01T12:00:00Z');
  const before = await lastAuditId(t);
  const closed = await closeCase(t, priya, { caseId: opened.caseId, at, reason: 'Discharged to the GP' });
  assert.deepEqual([closed.state, closed.closedAt?.toISOString(), closed.version], ['closed', at.toISOString(), 2]);
  const recorded = (await auditSince(t, before)).map((e) => [e.action, e.subject_id, (e as unknown as { person_id: string }).person_id, e.details]);
  assert.deepEqual(recorded, [['case.closed', opened.caseId, opened.referral.personId, { reason: 'Discharged to the GP' }]]);
  const allocation = (await t.pool.query('select ended_at from coordinator_allocation where case_id = $1', [opened.caseId])).rows[0];
  assert.equal(new Date(allocation.ended_at).toISOString(), at.toISOString());
  const open = (await t.pool.query('select role from involvement where person_id = $1 and ended_at is null', [opened.referral.personId])).rows;
  assert.deepEqual(open, []);
  assert.equal((await t.services.people.accessTo(t.db, tom, opened.referral.personId)).level, 'none');
  assert.deepEqual(await t.services.cases.openCasesCoordinatedBy(tom.userId).then((cases) => cases.filter((c) => c.id === opened.caseId)), []);
  assert.equal((await t.services.cases.lastClosedAt(t.db, opened.referral.personId, tom.teamId))?.id, opened.caseId, 'a referral within a year is a re-referral (REF-7)');
});

test('a closed case cannot be closed again; an unknown one is not found; neither writes anything', async () => {
  const before = await lastAuditId(t);
  await assert.rejects(closeCase(t, priya, { caseId: opened.caseId, at: new Date(), reason: 'again' }), (e: DomainError) => e.code === 'CASES.ALREADY_CLOSED' && e.kind === 'conflict');
  await assert.rejects(closeCase(t, priya, { caseId: '6d3f3f0e-1111-4222-8333-444455556666', at: new Date(), reason: 'none' }), (e: DomainError) => e.code === 'CASES.NOT_FOUND' && e.kind === 'not_found');
  assert.deepEqual(await auditSince(t, before), []);
  const { rows } = await t.pool.query('select state, version from care_case where id = $1', [opened.caseId]);
  assert.deepEqual(rows, [{ state: 'closed', version: 2 }]);
});
