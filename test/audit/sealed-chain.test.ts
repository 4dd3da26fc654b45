import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { createTestClock } from '../../src/platform/clocks/clock.js';
import { eventHash, GENESIS_HASH, PROBLEMS, type ChainedFields } from '../../src/platform/audit/chain.js';
import { AuditTrail } from '../../src/platform/audit/trail.js';
import { MIGRATIONS_FOLDER } from '../../src/platform/db/migrations.js';
import { Browser, testConcord } from '../support/app.js';
import { freshDatabase } from '../support/database.js';

const HELEN = 'helen.marsh@riverside-nhs.example';

/** What someone with the superuser's password could do: write with the append-only triggers bypassed. */
async function asSuperuserBypassingTriggers(pool: pg.Pool, statements: [string, unknown[]][]) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    for (const [statement, params] of statements) {
      const result = await client.query(statement, params);
      assert.ok((result.rowCount ?? 0) >= 1, `the tampering touched an event: ${statement}`);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

const sealedIds = async (pool: pg.Pool) => (await pool.query('select id from audit_event order by id')).rows.map((r) => r.id as number);

describe('tampering with sealed events: every one is named', () => {
  test('K of K: an altered field, a removed event, a forged insert and two reordered events are all reported', async () => {
    const t = await testConcord();
    await t.services.audit.seal();
    const ids = await sealedIds(t.pool);
    const pick = (fraction: number) => ids[Math.floor(ids.length * fraction)]!;
    const [altered, removed, forged, swapA, swapB] = [pick(0.1), pick(0.3), pick(0.5), pick(0.7), pick(0.7) + 1];
    await asSuperuserBypassingTriggers(t.pool, [
      [`update audit_event set outcome = 'denied' where id = $1`, [altered]],
      ['delete from audit_event where id = $1', [removed]],
      // A forged copy of a sealed event under the same number, a second later (ids are unique only with the time).
      [
        `insert into audit_event (id, occurred_at, actor_name, action, outcome, details)
         select id, occurred_at + interval '1 second', 'Forger', action, outcome, details from audit_event where id = $1`,
        [forged],
      ],
      // Reordered: the two events exchange their numbers.
      ['update audit_event set id = -id where id in ($1, $2)', [swapA, swapB]],
      ['update audit_event set id = $1 where id = -$2::bigint', [swapB, swapA]],
      ['update audit_event set id = $1 where id = -$2::bigint', [swapA, swapB]],
    ]);

    const result = await t.services.audit.verify('test', { full: true });
    assert.equal(result.intact, false);
    assert.deepEqual(result.broken, [
      { id: altered, problem: PROBLEMS.altered },
      { id: removed, problem: PROBLEMS.removed },
      { id: forged, problem: PROBLEMS.inserted },
      { id: swapA, problem: PROBLEMS.altered },
      { id: swapB, problem: PROBLEMS.altered },
    ]);
    assert.equal(result.brokenCount, 5);

    // The page lists them all.
    const browser = await new Browser(t.app).signIn(HELEN);
    const page = await browser.get('/audit');
    assert.match(page.body, /Broken events\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5\s*</);
    for (const id of [altered, removed, forged, swapA, swapB]) assert.match(page.body, new RegExp(`href="/audit\\?beforeId=${id + 1}">Event ${id}<`));
  });

  test('a changed checkpoint and a changed seal are found', async () => {
    const t = await testConcord();
    const first = await t.services.audit.verify('first');
    assert.equal(first.intact, true);
    const checkpoint = (await t.pool.query('select seq from audit_verification order by seq limit 1')).rows[0].seq;
    await asSuperuserBypassingTriggers(t.pool, [[`update audit_verification set events_checked = events_checked + 1 where seq = $1`, [checkpoint]]]);
    const broken = await t.services.audit.verify('second');
    assert.equal(broken.intact, false);
    assert.match(broken.firstBroken!.problem, /the record of the chain check of .* was altered, or one before it removed/);
    assert.equal(broken.full, true, 'a broken checkpoint cannot be continued from, so everything was checked');

    // A seal changed after it was sealed.
    const t2 = await testConcord();
    await t2.services.audit.seal();
    const seal2 = (await t2.pool.query('select id, event_ids[1] as first from audit_seal order by id desc limit 1')).rows[0];
    await asSuperuserBypassingTriggers(t2.pool, [[`update audit_seal set through_event_id = through_event_id + 1 where id = $1`, [seal2.id]]]);
    const result = await t2.services.audit.verify('test');
    assert.deepEqual(result.broken[0], { id: seal2.first, problem: PROBLEMS.seal(seal2.id, 'no longer matches its hash') });
  });
});

describe('incremental checks from checkpoints', () => {
  test('a check continues from the last intact one; a full check sees tampering from before it', async () => {
    const t = await testConcord();
    const first = await t.services.audit.verify('first');
    assert.equal(first.full, true);
    await t.services.audit.recordNow(null, { action: 'test.after' }, { action: 'test.after' });
    const second = await t.services.audit.verify('second');
    assert.equal(second.full, false);
    assert.deepEqual(second.continuedFrom, { checkedAt: first.checkedAt, throughSealId: first.throughSealId });
    assert.equal(second.eventsChecked, 2, 'only the events sealed since');
    const early = (await sealedIds(t.pool))[3]!;
    await asSuperuserBypassingTriggers(t.pool, [[`update audit_event set action = 'x' where id = $1`, [early]]]);
    assert.equal((await t.services.audit.verify('third')).intact, true, 'before the checkpoint, so not re-read');
    const full = await t.services.audit.verify('full', { full: true });
    assert.deepEqual(full.broken, [{ id: early, problem: PROBLEMS.altered }]);
    const hashes = (await t.pool.query('select prev_checkpoint_hash, checkpoint_hash from audit_verification order by seq')).rows;
    hashes.forEach((row, i) => assert.equal(row.prev_checkpoint_hash, i === 0 ? GENESIS_HASH : hashes[i - 1].checkpoint_hash, 'each checkpoint hashes the one before'));
  });
});

describe('the sealer', () => {
  test('an event whose transaction commits after a higher-numbered one is not skipped: sealing waits for it', async () => {
    const t = await testConcord();
    await t.services.audit.seal();
    const slow = await t.pool.connect();
    try {
      await slow.query('begin');
      await slow.query('select pg_current_xact_id()');
      const low = (await slow.query(`insert into audit_event (occurred_at, action, outcome, details) values (now(), 'test.slow', 'success', '{}') returning id`)).rows[0].id;
      await t.services.audit.recordNow(null, { action: 'test.fast' });
      const high = (await t.pool.query(`select id from audit_event where action = 'test.fast'`)).rows[0].id;
      assert.ok(high > low, 'the later commit holds the higher number');
      const waiting = await t.services.audit.seal(100);
      assert.deepEqual(waiting, { seals: 0, events: 0, waiting: true }, 'nothing is sealed while a lower number may still commit');
      await slow.query('commit');
    } finally {
      slow.release();
    }
    const sealed = await t.services.audit.seal();
    assert.equal(sealed.events, 2);
    const result = await t.services.audit.verify('test', { full: true });
    assert.equal(result.intact, true, JSON.stringify(result.broken));
    assert.equal((await t.services.audit.unsealed()).events, 0, 'the check seals first; its own event is recorded after');
  });

  test('writers do not wait for one another: two audited transactions are open at once', async () => {
    const t = await testConcord();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered = 0;
    const both = Promise.all(
      [1, 2].map((n) =>
        t.services.audit.transaction(null, async (tx, record) => {
          await tx.execute(`select 1` as never);
          record({ action: 'test.parallel', details: { n } });
          entered++;
          if (entered === 2) release();
          await held;
        }),
      ),
    );
    await both;
    assert.equal(entered, 2);
    assert.equal((await t.pool.query(`select count(*)::int as n from audit_event where action = 'test.parallel'`)).rows[0].n, 2);
  });

  test('the unsealed window is reported: how many events wait and how old the oldest is', async () => {
    const t = await testConcord();
    await t.services.audit.seal();
    await t.services.audit.recordNow(null, { action: 'test.waiting' });
    t.clock.advance(7000);
    const page = await new Browser(t.app).signIn(HELEN).then((b) => b.get('/audit'));
    assert.match(page.body, /data-qa="unsealed">\d+ newer events? (is|are) not sealed yet; the oldest was written 7 seconds ago/);
    await t.services.audit.seal();
    assert.deepEqual(await t.services.audit.unsealed(), { events: 0, oldestAt: null });
  });
});

describe('partitions', () => {
  test('audit_event is partitioned by month, every partition refuses changes, and partitions are made ahead', async () => {
    const t = await testConcord({ now: '2031-01-15T10:00:00Z' });
    assert.equal(await t.services.audit.addPartitionsAhead(), 4, 'January to April 2031');
    assert.equal(await t.services.audit.addPartitionsAhead(), 0, 'made once');
    await t.services.audit.recordNow(null, { action: 'test.partitioned' });
    const where = (await t.pool.query(`select tableoid::regclass::text as partition from audit_event where action = 'test.partitioned'`)).rows[0].partition;
    assert.equal(where, 'audit_event_2031_01');
    await assert.rejects(t.pool.query('truncate audit_event_2031_01'), /append-only/);
    await assert.rejects(t.pool.query(`delete from audit_event_2031_01`), /append-only/);
  });
});

describe('the migration carries the old chain over', () => {
  test('events written under the old per-event chain become the first seals and verify; one altered before is still found', async () => {
    const database = await freshDatabase('empty');
    // Back to the schema before 0014: a throwaway database of our own, built from the SQL files.
    await database.pool.query('drop schema public cascade; create schema public; drop schema if exists drizzle cascade');
    const journal = JSON.parse(await readFile(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const tags = journal.entries.map((e) => e.tag);
    const run = async (tag: string) => {
      const text = await readFile(path.join(MIGRATIONS_FOLDER, `${tag}.sql`), 'utf8');
      for (const statement of text.split('--> statement-breakpoint')) if (statement.trim()) await database.pool.query(statement);
    };
    for (const tag of tags.slice(0, tags.indexOf('0014_audit_sealed_chain'))) await run(tag);
    let prev = GENESIS_HASH;
    const legacy: (ChainedFields & { hash: string })[] = [];
    for (let id = 1; id <= 2500; id++) {
      const event: ChainedFields = {
        id, occurredAt: new Date(Date.UTC(2025, 10 + Math.floor(id / 1000), 1 + (id % 27), 9)), actorUserId: null, actorName: `User ${id % 7}`, actorAgencyId: null, actorTeamId: null,
        action: 'legacy.event', outcome: 'success', subjectType: null, subjectId: null, personId: null, requestId: `r${id}`, sourceIp: null, details: { n: id },
      };
      prev = eventHash(prev, event);
      legacy.push({ ...event, hash: prev });
    }
    const altered = 1234;
    await database.pool.query(
      `insert into audit_event (id, occurred_at, actor_name, action, outcome, request_id, details, prev_hash, hash)
       select (e->>'id')::bigint, (e->>'occurredAt')::timestamptz, e->>'actorName', e->>'action', e->>'outcome', e->>'requestId',
              case when (e->>'id')::int = ${altered} then '{"n": 0}'::jsonb else e->'details' end, e->>'prevHash', e->>'hash'
       from jsonb_array_elements($1::jsonb) e`,
      [JSON.stringify(legacy.map((e, i) => ({ ...e, prevHash: i === 0 ? GENESIS_HASH : legacy[i - 1]!.hash })))],
    );
    await run('0014_audit_sealed_chain');

    const partitions = (await database.pool.query(`select count(*)::int as n from pg_inherits where inhparent = 'audit_event'::regclass`)).rows[0].n;
    assert.ok(partitions >= 4, 'November 2025 to January 2026, and the months ahead');
    const seals = (await database.pool.query('select count(*)::int as n, sum(cardinality(event_ids))::int as events from audit_seal')).rows[0];
    assert.deepEqual(seals, { n: 3, events: 2500 });
    const trail = new AuditTrail(database.db, createTestClock('2026-02-01T00:00:00Z'));
    const result = await trail.verify('test');
    assert.equal(result.eventsChecked, 2500);
    assert.deepEqual(result.broken, [{ id: altered, problem: PROBLEMS.altered }], 'altered before the migration, and still found');
    await trail.recordNow(null, { action: 'test.after-migration' });
    const next = (await database.pool.query(`select id from audit_event where action = 'test.after-migration'`)).rows[0].id;
    assert.equal(next, 2501, 'numbers continue after the old events');
  });
});
