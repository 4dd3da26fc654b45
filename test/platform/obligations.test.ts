import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testConcord } from '../support/app.js';
import { workOnce } from '../../src/platform/jobs/worker.js';
import { DomainError } from '../../src/platform/errors.js';

const t = await testConcord({ now: '2026-03-02T09:00:00Z' });
const { obligations } = t.services;
const team = (await t.pool.query(`select id, agency_id from team where name = 'Adult Social Care Duty Team'`)).rows[0] as { id: string; agency_id: string };
const subject = { type: 'referral', id: '0b9c4a52-6f0e-4f3e-8a31-3d1d5e6f7a80' };

async function startOne(dueInHours: number, kind = 'referral.first_contact') {
  return obligations.start(t.db, {
    kind,
    ruleId: 'REF-3',
    title: 'First contact (urgent)',
    subject,
    owner: { kind: 'team', teamId: team.id, agencyId: team.agency_id },
    dueAt: new Date(t.clock.now().getTime() + dueInHours * 3_600_000),
  });
}

test('an obligation past its due time is marked breached by the worker, once, however many workers run', async () => {
  const due = await startOne(2);
  t.clock.advance(3 * 3_600_000);
  await Promise.all([workOnce(t.services), workOnce(t.services)]);
  const [row] = (await t.pool.query(`select state, breached_at from obligation where id = $1`, [due.id])).rows;
  assert.equal(row.state, 'breached');
  assert.equal(new Date(row.breached_at).toISOString(), t.clock.now().toISOString());
});

test('meeting a breached obligation needs the reason for the delay; then it is closed as late', async () => {
  const late = await startOne(1);
  t.clock.advance(2 * 3_600_000);
  await obligations.markBreached();
  await assert.rejects(
    t.db.transaction((tx) => obligations.meet(tx, late.id, null, '')),
    (error: DomainError) => error.code === 'CLOCK.REF-3' && /reason for the delay/.test(error.message),
  );
  const met = await t.db.transaction((tx) => obligations.meet(tx, late.id, null, 'Person was in hospital until today'));
  assert.equal(met.state, 'met');
  assert.equal(met.late, true);
  assert.equal(met.reason, 'Person was in hospital until today');
});

test('waiving needs a reason; a closed obligation cannot be changed again', async () => {
  const one = await startOne(24);
  await assert.rejects(t.db.transaction((tx) => obligations.waive(tx, one.id, null, 'no')), /10 characters or more/);
  await t.db.transaction((tx) => obligations.waive(tx, one.id, null, 'Referral withdrawn by the GP'));
  await assert.rejects(t.db.transaction((tx) => obligations.meet(tx, one.id, null)), /already waived/);
});

test('all still-due obligations of a kind on a subject can be met together', async () => {
  const a = await startOne(24, 'referral.screen');
  const b = await startOne(48, 'referral.screen');
  const other = await startOne(48, 'referral.assess');
  const closed = await t.db.transaction((tx) => obligations.meetAllFor(tx, subject, ['referral.screen'], null));
  assert.equal(closed, 2);
  const states = await t.pool.query(`select id, state from obligation where id = any($1)`, [[a.id, b.id, other.id]]);
  const byId = Object.fromEntries(states.rows.map((r: { id: string; state: string }) => [r.id, r.state]));
  assert.deepEqual([byId[a.id], byId[b.id], byId[other.id]], ['met', 'met', 'open']);
});
