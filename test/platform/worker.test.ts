import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testConcord } from '../support/app.js';
import { enqueue, workOnce } from '../../src/platform/jobs/worker.js';
import { nextDue, retryDelayMs } from '../../src/platform/jobs/schedule.js';
import { loadConfig } from '../../src/config.js';

const t = await testConcord();

test('periodic tasks run once per interval however many workers run at the same moment', async () => {
  const results = await Promise.all([workOnce(t.services), workOnce(t.services), workOnce(t.services)]);
  const periodic = results.reduce((sum, r) => sum + r.periodic, 0);
  assert.equal(periodic, 6, 'six tasks, each run by exactly one worker');
  const again = await workOnce(t.services);
  assert.equal(again.periodic, 0, 'nothing is due straight after');
  t.clock.advance(60_000 + 1);
  assert.equal((await workOnce(t.services)).periodic, 1, 'the one-minute breach check is due again');
  t.clock.advance(4 * 60_000);
  assert.equal((await workOnce(t.services)).periodic, 4, 'then the five-minute tasks too; the nightly one is not');
  const checks = await t.pool.query(`select checked_by, intact from audit_verification`);
  assert.deepEqual(checks.rows, [{ checked_by: 'Concord (nightly check)', intact: true }]);
});

test('a queued job is claimed by one worker only', async () => {
  await enqueue(t.services, { kind: 'audit.verify', requestedBy: 'Helen Marsh' });
  const before = (await t.pool.query(`select count(*)::int as n from audit_verification`)).rows[0].n;
  const results = await Promise.all([workOnce(t.services), workOnce(t.services)]);
  assert.equal(results.reduce((s, r) => s + r.jobs, 0), 1);
  const after = (await t.pool.query(`select count(*)::int as n from audit_verification`)).rows[0].n;
  assert.equal(after - before, 1);
  const job = await t.pool.query(`select completed_at, attempts from job`);
  assert.ok(job.rows[0].completed_at);
  assert.equal(job.rows[0].attempts, 1);
});

test('expired sessions are purged by the worker', async () => {
  await t.pool.query(`delete from schedule_run`);
  const account = await t.services.directory.findAccountByEmail('tom.okafor@riverside-nhs.example');
  const actor = await t.services.directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'x' });
  await t.services.sessions.start(t.db, account!.userId, actor!.teamId);
  t.clock.advance(31 * 60_000);
  await workOnce(t.services);
  const left = await t.pool.query(`select count(*)::int as n from session where user_id = $1`, [account!.userId]);
  assert.equal(left.rows[0].n, 0);
});

test('schedules and retries are computed by pure functions', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  assert.equal(nextDue('sessions.purge-expired', at).toISOString(), '2026-01-01T00:05:00.000Z');
  assert.equal(nextDue('audit.verify-chain', at).toISOString(), '2026-01-02T00:00:00.000Z');
  // A breach is marked within half a minute of its due time: every 15 s, with a pass every 10 s by default.
  assert.equal(nextDue('obligations.mark-breached', at).toISOString(), '2026-01-01T00:00:15.000Z');
  assert.equal(loadConfig({ NODE_ENV: 'test' }).worker.intervalSeconds, 10);
  assert.deepEqual([1, 2, 3, 4, 10].map(retryDelayMs), [60_000, 120_000, 240_000, 480_000, 3_600_000]);
});
