import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { buildConcord } from '../../src/concord.js';
import { createTestClock } from '../../src/platform/clocks/clock.js';
import { isGuarded } from '../../src/platform/http/idempotency.js';
import { workOnce } from '../../src/platform/jobs/worker.js';
import { referralApiPaths } from '../../src/modules/referrals/paths.js';
import { notesApiPaths } from '../../src/modules/notes/paths.js';
import { allRoutes } from '../../src/routes.js';
import { freshDatabase } from '../support/database.js';
import { apiClient, countRows, lastAuditId, auditSince, type TestConcord } from '../support/app.js';
import { notesWorld, TOM } from '../notes/world.js';

// The real app, built here rather than by testConcord so that a test can lose an answer after the
// commit (the onSend hook below), as a dropped connection would.
const database = await freshDatabase('demo');
const clock = createTestClock('2026-03-02T10:00:00Z');
const config = loadConfig({ NODE_ENV: 'test', COOKIE_SECURE: 'true' });
const { app, services } = await buildConcord(database, clock, config);
const DROP = 'x-test-drop-answer';
app.addHook('onSend', async (request) => {
  if (request.headers[DROP]) throw new Error('the connection was lost after the commit');
});
await app.ready();
const t: TestConcord = { app, services, clock, config, db: database.db, pool: database.pool, url: database.url };
const world = await notesWorld(t);

type Client = Awaited<ReturnType<typeof apiClient>>;
const raj = await apiClient(t, 'raj.patel@northshire-council.example');
const kofi = await apiClient(t, 'kofi.mensah@harbour-housing.example');
const tom = await apiClient(t, TOM);

function post(client: Client, url: string, body: unknown, key?: string, extra: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url, payload: body as object, headers: { authorization: `Bearer ${client.secret}`, ...(key === undefined ? {} : { 'idempotency-key': key }), ...extra } });
}

const noRisk = { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' };
let made = 0;
/** A referral that creates a new person, with a name of its own each time. */
function intake(overrides: Record<string, unknown> = {}) {
  made += 1;
  return {
    receivingTeamId: tom.actor.teamId,
    sourceType: 'agency',
    channel: 'electronic',
    reason: 'Low mood and not eating; lives alone',
    risks: noRisk,
    consentToReferral: 'yes',
    consentToShare: 'yes',
    // Names differ only by a letter, so the duplicate check is answered up front.
    confirmedNewPerson: 'yes',
    person: { givenName: 'Marjorie', familyName: `Idempotent${'abcdefghijklmnopqrstuvwxyz'[made]}`, dateOfBirth: '1951-08-19', postcode: 'NE1 4ST' },
    ...overrides,
  };
}
const peopleNamed = async (familyName: string) => Number((await t.pool.query('select count(*)::int as n from person where family_name = $1', [familyName])).rows[0].n);
const TABLES = ['person', 'referral', 'record_note', 'obligation', 'idempotent_request'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));

describe('Idempotency-Key on API POSTs', () => {
  test('every API POST in the route table is guarded', () => {
    const routes = allRoutes(services, database.pool, config.cookieSecure).filter((r) => r.kind === 'api' && r.method === 'POST');
    assert.ok(routes.length > 20);
    assert.deepEqual(routes.filter((r) => !isGuarded(r)).map((r) => r.url), []);
  });

  test('a referral creating a person, retried with the same key: one person, one referral, the identical answer replayed', async () => {
    const key = randomUUID();
    const body = intake();
    const first = await post(raj, referralApiPaths.referrals(), body, key);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const before = { counts: await counts(), audit: await lastAuditId(t) };
    const again = await post(raj, referralApiPaths.referrals(), { ...body, risks: { ...noRisk } }, key);
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(JSON.parse(again.body), JSON.parse(first.body));
    assert.equal(again.headers.location, first.headers.location);
    assert.deepEqual(await counts(), before.counts);
    assert.deepEqual((await auditSince(t, before.audit)).map((e) => e.action), []);
    assert.equal(await peopleNamed(body.person.familyName), 1);
  });

  test('the key is stored in the same transaction as the change it guards', async () => {
    const key = randomUUID();
    const response = await post(raj, referralApiPaths.referrals(), intake(), key);
    assert.equal(response.statusCode, 201, response.body);
    const { personId, id } = JSON.parse(response.body);
    const xmin = async (sql: string, value: string) => (await t.pool.query(sql, [value])).rows[0].xmin as string;
    const keyXmin = await xmin('select xmin::text from idempotent_request where key = $1', key);
    assert.equal(keyXmin, await xmin('select xmin::text from person where id = $1', personId));
    assert.equal(keyXmin, await xmin('select xmin::text from referral where id = $1', id));
  });

  test('a note retried with the same key: one note, the identical answer', async () => {
    const person = await world.person();
    const key = randomUUID();
    const body = { category: 'mental_health', title: 'Medication review', text: 'Dose reduced.', happenedOn: '2026-03-01' };
    const first = await post(tom, notesApiPaths.notes(person.id), body, key);
    assert.equal(first.statusCode, 201, first.body);
    const again = await post(tom, notesApiPaths.notes(person.id), body, key);
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body, first.body);
    assert.equal((await world.noteRows(person.id)).length, 1);
  });

  test('the same key with a different body, or another address: 422 problem+json, nothing written', async () => {
    const person = await world.person();
    const other = await world.person();
    const key = randomUUID();
    const body = { category: 'mental_health', title: 'First visit', text: 'Seen at home.' };
    assert.equal((await post(tom, notesApiPaths.notes(person.id), body, key)).statusCode, 201);
    for (const [url, changed] of [
      [notesApiPaths.notes(person.id), { ...body, text: 'Seen at the clinic.' }],
      [notesApiPaths.notes(other.id), body],
    ] as const) {
      const before = { counts: await counts(), audit: await lastAuditId(t) };
      const refused = await post(tom, url, changed, key);
      assert.equal(refused.statusCode, 422, refused.body);
      assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
      assert.equal(JSON.parse(refused.body).code, 'IDEMPOTENCY.KEY_REUSED');
      assert.deepEqual(await counts(), before.counts);
      assert.deepEqual(await auditSince(t, before.audit), []);
    }
    assert.equal((await world.noteRows(other.id)).length, 0);
  });

  test('keys are per user: another user’s same key acts for them, and never replays the first user’s answer', async () => {
    const key = randomUUID();
    const first = await post(raj, referralApiPaths.referrals(), intake(), key);
    assert.equal(first.statusCode, 201, first.body);
    const theirs = intake();
    const second = await post(kofi, referralApiPaths.referrals(), theirs, key);
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.headers['idempotent-replayed'], undefined);
    assert.notEqual(JSON.parse(second.body).id, JSON.parse(first.body).id);
    assert.equal(await peopleNamed(theirs.person.familyName), 1);
  });

  test('the answer lost after the commit: the retry replays it and creates nothing more', async () => {
    const key = randomUUID();
    const body = intake();
    const lost = await post(raj, referralApiPaths.referrals(), body, key, { [DROP]: 'yes' });
    assert.equal(lost.statusCode, 500);
    assert.equal(await peopleNamed(body.person.familyName), 1);
    const before = await counts();
    const retry = await post(raj, referralApiPaths.referrals(), body, key);
    assert.equal(retry.statusCode, 201, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(JSON.parse(retry.body).person?.familyName ?? body.person.familyName, body.person.familyName);
    const stored = (await t.pool.query('select person_id::text from referral where id = $1', [JSON.parse(retry.body).id])).rows[0];
    assert.equal(stored.person_id, JSON.parse(retry.body).personId);
    assert.deepEqual(await counts(), before);
    assert.equal(await peopleNamed(body.person.familyName), 1);
  });

  test('a key committed without its answer is never acted on again: 409, nothing written', async () => {
    const key = randomUUID();
    const body = intake();
    assert.equal((await post(raj, referralApiPaths.referrals(), body, key)).statusCode, 201);
    await t.pool.query('update idempotent_request set status = null, body = null where key = $1', [key]);
    const before = { counts: await counts(), audit: await lastAuditId(t) };
    const retry = await post(raj, referralApiPaths.referrals(), body, key);
    assert.equal(retry.statusCode, 409, retry.body);
    assert.equal(JSON.parse(retry.body).code, 'IDEMPOTENCY.ANSWER_NOT_KEPT');
    assert.deepEqual(await counts(), before.counts);
    assert.deepEqual(await auditSince(t, before.audit), []);
  });

  test('concurrent requests with the same key: one person, one note, every answer the same', async () => {
    const key = randomUUID();
    const body = intake();
    const answers = await Promise.all([1, 2, 3].map(() => post(raj, referralApiPaths.referrals(), body, key)));
    assert.deepEqual(answers.map((a) => a.statusCode), [201, 201, 201], answers.map((a) => a.body).join('\n'));
    assert.equal(new Set(answers.map((a) => a.body)).size, 1);
    assert.equal(answers.filter((a) => a.headers['idempotent-replayed'] !== 'true').length, 1);
    assert.equal(await peopleNamed(body.person.familyName), 1);

    const person = await world.person();
    const noteKey = randomUUID();
    const note = { category: 'mental_health', title: 'Home visit', text: 'All well.' };
    const notes = await Promise.all([1, 2, 3].map(() => post(tom, notesApiPaths.notes(person.id), note, noteKey)));
    assert.deepEqual(notes.map((a) => a.statusCode), [201, 201, 201], notes.map((a) => a.body).join('\n'));
    assert.equal(new Set(notes.map((a) => a.body)).size, 1);
    assert.equal((await world.noteRows(person.id)).length, 1);
  });

  test('a key that is not 1 to 255 printable ASCII characters: 400 naming the header, nothing written', async () => {
    const person = await world.person();
    for (const key of ['', 'x'.repeat(256), 'tab\there', 'café']) {
      const before = { counts: await counts(), audit: await lastAuditId(t) };
      const refused = await app.inject({ method: 'POST', url: notesApiPaths.notes(person.id), payload: { category: 'mental_health', title: 'T', text: 'T' }, headers: { authorization: `Bearer ${tom.secret}`, 'idempotency-key': key } });
      assert.equal(refused.statusCode, 400, `${JSON.stringify(key)}: ${refused.body}`);
      const problem = JSON.parse(refused.body);
      assert.equal(problem.code, 'IDEMPOTENCY.KEY_INVALID');
      assert.equal(problem.errors[0].field, 'Idempotency-Key');
      assert.deepEqual(await counts(), before.counts);
      assert.deepEqual(await auditSince(t, before.audit), []);
    }
    assert.equal((await post(tom, notesApiPaths.notes(person.id), { category: 'mental_health', title: 'T', text: 'T' }, 'x'.repeat(255))).statusCode, 201);
  });

  test('creating a token through the API is refused every time: the refusal is not kept, a retry is refused afresh, no token is made', async () => {
    const key = randomUUID();
    const tokens = await countRows(t, 'api_token');
    const before = await lastAuditId(t);
    for (const attempt of ['first', 'retry']) {
      const refused = await post(tom, '/api/v1/tokens', { name: 'sync', expiresInDays: 10 }, key);
      assert.equal(refused.statusCode, 403, `${attempt}: ${refused.body}`);
      assert.equal(JSON.parse(refused.body).code, 'TOKEN.CREATE_NEEDS_SIGN_IN', attempt);
      assert.equal(refused.headers['idempotent-replayed'], undefined, `${attempt}: judged afresh, not replayed`);
    }
    assert.equal((await t.pool.query('select count(*)::int as n from idempotent_request where key = $1', [key])).rows[0].n, 0);
    assert.equal(await countRows(t, 'api_token'), tokens);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.details.reason]), [
      ['access.denied', 'an API token tried to create a token'],
      ['access.denied', 'an API token tried to create a token'],
    ]);
  });

  test('keys are kept for 24 hours, then the worker removes them and the key may be used afresh', async () => {
    const person = await world.person();
    const key = randomUUID();
    const note = { category: 'mental_health', title: 'Kept a day', text: 'Then forgotten.' };
    assert.equal((await post(tom, notesApiPaths.notes(person.id), note, key)).statusCode, 201);
    clock.advance(23 * 3_600_000);
    await workOnce(services);
    assert.equal((await post(tom, notesApiPaths.notes(person.id), note, key)).headers['idempotent-replayed'], 'true');
    clock.advance(2 * 3_600_000);
    await workOnce(services);
    assert.equal((await t.pool.query('select count(*)::int as n from idempotent_request where key = $1', [key])).rows[0].n, 0);
    const fresh = await post(tom, notesApiPaths.notes(person.id), note, key);
    assert.equal(fresh.statusCode, 201, fresh.body);
    assert.equal(fresh.headers['idempotent-replayed'], undefined);
    assert.equal((await world.noteRows(person.id)).length, 2);
  });

  test('the OpenAPI document offers the header on every POST, and says what a reused key answers', async () => {
    const document = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body);
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const offered = (operation.parameters ?? []).some((p) => p.name === 'Idempotency-Key' && p.in === 'header');
        assert.equal(offered, method === 'post', `${method} ${path}`);
        assert.equal('422' in operation.responses, method === 'post', `${method} ${path}`);
      }
    }
  });
});
