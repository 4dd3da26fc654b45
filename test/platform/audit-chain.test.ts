import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testConcord } from '../support/app.js';

const t = await testConcord();

test('concurrent writers keep one unbroken chain', async () => {
  const writers = Array.from({ length: 25 }, (_, i) =>
    t.services.audit.transaction(null, async (_tx, record) => {
      record({ action: 'test.concurrent', details: { writer: i } });
      record({ action: 'test.concurrent', details: { writer: i, second: true } });
    }),
  );
  await Promise.all(writers);
  const result = await t.services.audit.verify('test');
  assert.equal(result.intact, true);
  const count = await t.pool.query(`select count(*)::int as n from audit_event where action = 'test.concurrent'`);
  assert.equal(count.rows[0].n, 50);
});

test('events are stored exactly as recorded, whatever their text holds, and the chain still verifies', async () => {
  // The events travel as one JSON literal: quotes, backslashes, a dollar-quote and SQL must arrive as text.
  const awkward = { text: `O'Brien \\ "quoted" $1 $$ '); drop table audit_event; --`, nested: { list: ['é', '’', 'a\nb'], n: 1.5, none: null } };
  await t.services.audit.transaction({ userId: '00000000-0000-4000-8000-000000000001', name: `Ann "Nan" O'Neil`, agencyId: null, teamId: null }, async (_tx, record) => {
    record({ action: 'test.awkward', subject: { type: 'note', id: "id-with-'quote" }, details: awkward });
  });
  const { rows } = await t.pool.query(`select actor_name, subject_id, details from audit_event where action = 'test.awkward'`);
  assert.deepEqual(rows, [{ actor_name: `Ann "Nan" O'Neil`, subject_id: "id-with-'quote", details: awkward }]);
  assert.equal((await t.services.audit.verify('test')).intact, true);
});

test('a rolled-back action leaves no audit event, and a failed audit write fails the action', async () => {
  await assert.rejects(
    t.services.audit.transaction(null, async (tx, record) => {
      await tx.execute(`insert into rate_limit_window (key, window_start, hits) values ('rolled-back', now(), 1)` as never);
      record({ action: 'test.rolled_back' });
      throw new Error('the action failed');
    }),
  );
  const events = await t.pool.query(`select count(*)::int as n from audit_event where action = 'test.rolled_back'`);
  assert.equal(events.rows[0].n, 0);

  // An audit event that cannot be stored (details that are not valid JSON for jsonb) must take the action down with it.
  await assert.rejects(
    t.services.audit.transaction(null, async (tx, record) => {
      await tx.execute(`insert into rate_limit_window (key, window_start, hits) values ('audit-failed', now(), 1)` as never);
      record({ action: 'test.bad_event', details: { text: 'nul \u0000 byte' } });
    }),
  );
  const rows = await t.pool.query(`select count(*)::int as n from rate_limit_window where key = 'audit-failed'`);
  assert.equal(rows.rows[0].n, 0, 'the change was rolled back with its audit event');
});

test('PostgreSQL itself refuses to change or remove audit events', async () => {
  await assert.rejects(t.pool.query(`update audit_event set action = 'x'`), /append-only/);
  await assert.rejects(t.pool.query(`delete from audit_event`), /append-only/);
  await assert.rejects(t.pool.query(`truncate audit_event`), /append-only/);
});
