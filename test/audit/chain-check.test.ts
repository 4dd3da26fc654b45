import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { apiClient, auditSince, Browser, countRows, DEMO_PASSWORD, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { freshDatabase } from '../support/database.js';
import { PROBLEMS } from '../../src/platform/audit/chain.js';

const HELEN = 'helen.marsh@riverside-nhs.example'; // auditor / Caldicott guardian
const ALEX = 'alex.morgan@northshire-care.example'; // partnership administrator
const TOM = 'tom.okafor@riverside-nhs.example';
const root = path.resolve(import.meta.dirname, '../..');

const t: TestConcord = await testConcord();

/** What someone with the database superuser's password could do: switch the guard off, change the past, switch it on. */
async function tamper(pool: pg.Pool, statement: string, params: unknown[]) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('alter table audit_event disable trigger audit_event_no_update');
    const result = await client.query(statement, params);
    assert.equal(result.rowCount, 1, 'the tampering touched exactly one event');
    await client.query('alter table audit_event enable trigger audit_event_no_update');
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** Seals every event written so far, as the worker's sealer does within seconds; only sealed events are protected. */
async function sealAll(target: TestConcord) {
  const outcome = await target.services.audit.seal();
  assert.equal(outcome.waiting, false, 'nothing older was still running');
}

async function middleEventId(pool: pg.Pool): Promise<number> {
  const rows = await pool.query('select id from audit_event order by id offset (select count(*) / 2 from audit_event) limit 1');
  return rows.rows[0].id as number;
}

const noticeOf = (html: string) => /data-qa="notice"[\s\S]*?<p class="govuk-notification-banner__heading">\s*([\s\S]*?)\s*<\/p>/.exec(html)?.[1];

/** Checks the chain the way an auditor does: the button, then the page it comes back to. */
async function checkThroughThePage(target: TestConcord) {
  target.clock.advance(1000); // each check its own moment, so "latest" is unambiguous
  const browser = await new Browser(target.app).signIn(HELEN);
  const posted = await browser.post('/audit/verify');
  assert.equal(posted.statusCode, 303);
  assert.equal(posted.headers.location, '/audit');
  return browser.get('/audit');
}

describe('checking the chain', () => {
  test('an intact chain: the button reports it, the page shows the latest check, and both are recorded', async () => {
    const checksBefore = await countRows(t, 'audit_verification');
    const page = await checkThroughThePage(t);
    const verified = (await t.pool.query(`select * from audit_event where action = 'audit.verified' order by id desc limit 1`)).rows[0];
    const checked = verified.details.eventsChecked as number;
    assert.equal(checked, (await t.pool.query('select count(*)::int as n from audit_event where id < $1', [verified.id])).rows[0].n);
    assert.equal(noticeOf(page.body), `The audit chain is intact: ${checked} events checked.`);
    assert.match(page.body, /data-qa="chain-status"[^>]*>\s*Intact/);
    assert.match(page.body, /Events checked\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*\d+ \(the whole chain\)/);
    // The check's own event and the page's reads were written after it sealed: they wait for the sealer.
    assert.match(page.body, /data-qa="unsealed">\d+ newer events? (is|are) not sealed yet; the oldest was written \d+ seconds? ago/);
    assert.match(page.body, /Checked by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Helen Marsh/);
    assert.equal(verified.outcome, 'success');
    assert.equal(verified.actor_name, 'Helen Marsh');
    assert.deepEqual(verified.details, { intact: true, eventsChecked: checked, full: true });
    assert.equal(await countRows(t, 'audit_verification'), checksBefore + 1);
  });

  test('through the API: the result, continuing from the check before, then the latest check', async () => {
    const api = await apiClient(t, HELEN);
    t.clock.advance(1000);
    const before = (await t.pool.query('select checked_at, through_seal_id, (select through_event_id from audit_seal s where s.id = v.through_seal_id) as through from audit_verification v order by seq desc limit 1')).rows[0];
    const result = await api.post('/api/v1/audit/verify');
    assert.equal(result.statusCode, 200);
    const head = (await t.pool.query('select id, head_hash, through_event_id from audit_seal order by id desc limit 1')).rows[0];
    const checked = (await t.pool.query('select count(*)::int as n from audit_event where id > $1 and id <= $2', [before.through, head.through_event_id])).rows[0].n;
    const body = result.json();
    assert.deepEqual(
      { ...body, unsealed: undefined },
      {
        intact: true,
        eventsChecked: checked,
        firstBroken: null,
        broken: [],
        brokenCount: 0,
        full: false,
        continuedFrom: { checkedAt: before.checked_at.toISOString(), throughSealId: before.through_seal_id },
        throughSealId: head.id,
        headHash: head.head_hash,
        checkedAt: t.clock.now().toISOString(),
        unsealed: undefined,
      },
    );
    assert.ok(checked > 0 && checked < (await countRows(t, 'audit_event')), 'only what was sealed since the last check');
    const latest = await api.get('/api/v1/audit/verification');
    assert.equal(latest.statusCode, 200);
    assert.deepEqual(latest.json().verification, {
      checkedAt: t.clock.now().toISOString(),
      checkedBy: 'Helen Marsh',
      eventsChecked: checked,
      intact: true,
      firstBrokenId: null,
      problem: null,
      headHash: head.head_hash,
      fullCheck: false,
      brokenCount: 0,
      broken: [],
      throughSealId: head.id,
    });
    assert.ok(latest.json().unsealed.events >= 1, 'the check itself was recorded after it sealed');
  });

  test('the latest check is null before the chain was ever checked', async () => {
    const fresh = await testConcord();
    const latest = await (await apiClient(fresh, HELEN)).get('/api/v1/audit/verification');
    assert.equal(latest.json().verification, null);
    const page = await new Browser(fresh.app).signIn(HELEN).then((b) => b.get('/audit'));
    assert.match(page.body, /The chain has not been checked yet/);
  });
});

describe('tampering is detected', () => {
  test('an event whose details were changed behind the triggers’ back: the page and the API name it', async () => {
    const target = await testConcord();
    await sealAll(target);
    const altered = await middleEventId(target.pool);
    await tamper(target.pool, `update audit_event set details = details || '{"name": "Someone else"}' where id = $1`, [altered]);

    const page = await checkThroughThePage(target);
    assert.equal(noticeOf(page.body), `The audit chain is broken at event ${altered}: its contents no longer match its hash (the event was altered). Tell your information governance lead.`);
    assert.match(page.body, /data-qa="chain-status"[^>]*>\s*Broken/);
    assert.match(page.body, new RegExp(`href="/audit\\?beforeId=${altered + 1}" data-qa="first-broken">Event ${altered}<`));

    const api = await apiClient(target, HELEN);
    const result = (await api.post('/api/v1/audit/verify')).json();
    assert.equal(result.intact, false);
    assert.equal(result.headHash, null);
    assert.deepEqual(result.firstBroken, { id: altered, problem: 'its contents no longer match its hash (the event was altered)' });
    assert.deepEqual(result.broken, [result.firstBroken]);
    assert.equal(result.brokenCount, 1);
    const latest = (await api.get('/api/v1/audit/verification')).json().verification;
    assert.equal(latest.intact, false);
    assert.equal(latest.firstBrokenId, altered);

    const recorded = (await target.pool.query(`select outcome, details from audit_event where action = 'audit.verified' order by id`)).rows;
    assert.ok(recorded.length >= 2);
    for (const row of recorded) {
      assert.equal(row.outcome, 'failure', 'a broken chain stands out in the trail');
      assert.equal(row.details.firstBrokenId, altered);
    }
  });

  test('an event deleted from the middle: the event after the gap is named', async () => {
    const target = await testConcord();
    await sealAll(target);
    const removed = await middleEventId(target.pool);
    await tamper(target.pool, 'delete from audit_event where id = $1', [removed]);

    const page = await checkThroughThePage(target);
    assert.equal(noticeOf(page.body), `The audit chain is broken at event ${removed}: ${PROBLEMS.removed}. Tell your information governance lead.`);
    const result = (await (await apiClient(target, HELEN)).post('/api/v1/audit/verify')).json();
    assert.deepEqual(result.firstBroken, { id: removed, problem: PROBLEMS.removed });
  });
});

describe('PostgreSQL keeps the trail append-only', () => {
  for (const [what, statement] of [
    ['UPDATE', `update audit_event set details = '{}' where id = (select min(id) from audit_event)`],
    ['DELETE', 'delete from audit_event where id = (select min(id) from audit_event)'],
    ['TRUNCATE', 'truncate audit_event'],
  ] as const) {
    test(`refuses ${what} on audit_event, even for the superuser`, async () => {
      const before = await countRows(t, 'audit_event');
      const first = (await t.pool.query('select details from audit_event order by id limit 1')).rows[0];
      await assert.rejects(t.pool.query(statement), new RegExp(`audit events are append-only: ${what} is not allowed on audit_event`));
      assert.equal(await countRows(t, 'audit_event'), before);
      assert.deepEqual((await t.pool.query('select details from audit_event order by id limit 1')).rows[0], first);
    });
  }

  test('refuses changing or removing a recorded chain check', async () => {
    await t.services.audit.verify('test');
    await assert.rejects(t.pool.query('update audit_verification set intact = false'), /append-only/);
    await assert.rejects(t.pool.query('delete from audit_verification'), /append-only/);
  });
});

describe('if the audit write fails, the action fails', () => {
  /** Makes PostgreSQL refuse to record one action, as a full disk or a lost privilege would, for the length of `work`. */
  async function whileRecordingFails(action: string, work: () => Promise<void>) {
    await t.pool.query(`alter table audit_event add constraint test_refuse_recording check (action <> '${action}') not valid`);
    try {
      await work();
    } finally {
      await t.pool.query('alter table audit_event drop constraint test_refuse_recording');
    }
  }

  test('creating an API token (signed in, with the password again): the person gets an error with a reference, and no token exists', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    await browser.get('/account/tokens');
    const tokens = await countRows(t, 'api_token');
    const before = await lastAuditId(t);
    const form = { name: 'Never made', expiresInDays: '30', scope: 'read', currentPassword: DEMO_PASSWORD };
    await whileRecordingFails('auth.token_created', async () => {
      const response = await browser.post('/account/tokens', form);
      assert.equal(response.statusCode, 500);
      assert.match(response.body, /quote reference <strong data-qa="error-reference">[0-9A-F]{8}<\/strong>/);
      assert.doesNotMatch(response.body, /constraint|audit_event|insert/i, 'no SQL is shown');
    });
    assert.equal(await countRows(t, 'api_token'), tokens);
    assert.deepEqual(await auditSince(t, before), []);
    // The same request succeeds once recording works again: the refusal was the audit write's.
    await browser.get('/account/tokens');
    assert.equal((await browser.post('/account/tokens', { ...form, name: 'Made' })).statusCode, 201, 'the page showing the new token once');
    assert.equal(await countRows(t, 'api_token'), tokens + 1);
  });

  test('a directory change: the team is not created', async () => {
    const alex = await apiClient(t, ALEX);
    const teams = await countRows(t, 'team');
    await whileRecordingFails('directory.team_created', async () => {
      await assert.rejects(t.services.directory.createTeam(alex.actor, alex.actor.agencyId, { name: 'Audit-less team' }), (error: Error) =>
        /violates check constraint "test_refuse_recording"/.test(`${error.message} ${String(error.cause)}`),
      );
    });
    assert.equal(await countRows(t, 'team'), teams);
    assert.equal((await t.pool.query(`select count(*)::int as n from team where name = 'Audit-less team'`)).rows[0].n, 0);
    await t.services.directory.createTeam(alex.actor, alex.actor.agencyId, { name: 'Audit-less team' });
    assert.equal(await countRows(t, 'team'), teams + 1);
  });
});

describe('concord audit verify (command line)', () => {
  const verifyCommand = (url: string, ...options: string[]) =>
    promisify(execFile)(process.execPath, ['bin/concord.mjs', 'audit', 'verify', ...options], { cwd: root, env: { ...process.env, DATABASE_URL: url } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  test('exits 0 saying "intact" on a good chain, and 1 naming the first broken event after tampering', async () => {
    const database = await freshDatabase('demo');
    const events = (await database.pool.query('select count(*)::int as n from audit_event')).rows[0].n;
    const good = await verifyCommand(database.url);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, new RegExp(`Audit chain intact: ${events} events checked \\(the whole chain\\)\\. Head hash [0-9a-f]{64}\\. Every event is sealed\\.`));

    const altered = await middleEventId(database.pool);
    await tamper(database.pool, `update audit_event set actor_name = 'Someone else' where id = $1`, [altered]);
    // A check continues from the last intact one, so tampering before it is found by a full check.
    const continued = await verifyCommand(database.url);
    assert.equal(continued.code, 0, continued.stderr);
    assert.match(continued.stdout, /Audit chain intact: 1 events checked \(continued from the check of /);
    const bad = await verifyCommand(database.url, '--full');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`Audit chain BROKEN at event ${altered}: its contents no longer match its hash.*1 broken in all:\n  event ${altered}: `));
    const recorded = (await database.pool.query('select intact, full_check, first_broken_id from audit_verification order by seq')).rows;
    assert.deepEqual(recorded, [
      { intact: true, full_check: true, first_broken_id: null },
      { intact: true, full_check: false, first_broken_id: null },
      { intact: false, full_check: true, first_broken_id: altered },
    ]);
  });
});
