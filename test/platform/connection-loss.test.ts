import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { apiClient, Browser, testConcord } from '../support/app.js';
import { notesApiPaths } from '../../src/modules/notes/paths.js';
import { isConnectionLoss } from '../../src/platform/db/connection-errors.js';
import { notesWorld, TOM } from '../notes/world.js';

/*
 * Connections dropping under load (an administrator's pg_terminate_backend, a failover, the server
 * restarting) must not end the process: each request in flight fails with 503 and Retry-After, and
 * the pool reconnects for the next. Before, a client checked out by a transaction had no 'error'
 * listener, and the first dropped connection crashed the whole process, failing this file.
 */

const t = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await notesWorld(t);
const tom = await apiClient(t, TOM);
const person = await world.person();
const page = await new Browser(t.app).signIn(TOM);

/** Ends every connection of Concord's pool to this database, from a connection of its own. */
async function terminateConcordBackends(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'concord' and pid <> pg_backend_pid()`,
  );
  return rows[0].n as number;
}

const noteCount = async () => (await t.pool.query('select count(*)::int as n from record_note where person_id = $1', [person.id])).rows[0].n as number;

test('connections terminated under a write load: the process lives, requests in flight answer 503 with Retry-After, later requests succeed', { timeout: 60_000 }, async () => {
  const admin = new pg.Client({ connectionString: t.url, application_name: 'concord-test-admin' });
  await admin.connect();
  const unavailable: { headers: Record<string, unknown>; body: string; type: string }[] = [];
  const others: string[] = [];
  let created = 0;
  let stop = false;
  const writer = async (index: number) => {
    for (let i = 0; !stop && i < 500; i++) {
      const api = index % 2 === 0;
      const response = api
        ? await tom.post(notesApiPaths.notes(person.id), { category: 'mental_health', title: `Visit ${index}.${i}`, text: 'Seen at home.', happenedOn: '2026-03-01' })
        : await page.get(`/people/${person.id}`);
      if (response.statusCode === 201) created++;
      if (![200, 201, 503].includes(response.statusCode)) others.push(`${response.statusCode} ${response.body.slice(0, 300)}`);
      if (response.statusCode === 503) unavailable.push({ headers: response.headers, body: response.body, type: api ? 'api' : 'page' });
    }
  };
  try {
    const before = await noteCount();
    const writers = Array.from({ length: 6 }, (_, i) => writer(i));
    let terminated = 0;
    for (let round = 0; round < 25; round++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      terminated += await terminateConcordBackends(admin);
    }
    stop = true;
    await Promise.all(writers);

    assert.ok(terminated > 10, `backends were terminated (${terminated})`);
    assert.deepEqual(others, [], 'only successes and 503s');
    assert.ok(unavailable.length > 0, 'some requests in flight lost their connection');
    for (const answer of unavailable) {
      assert.equal(answer.headers['retry-after'], '5');
      if (answer.type === 'api') {
        assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
        assert.equal(JSON.parse(answer.body).code, 'UNAVAILABLE');
      } else {
        assert.match(answer.body, /Sorry, there is a problem with Concord/);
      }
    }
    // Every acknowledged note is there; an unacknowledged one may or may not be (the commit may have landed).
    assert.ok((await noteCount()) - before >= created);

    // The pool has reconnected: the next requests answer normally.
    const after = await tom.post(notesApiPaths.notes(person.id), { category: 'mental_health', title: 'After the outage', text: 'Seen again.', happenedOn: '2026-03-02' });
    assert.equal(after.statusCode, 201, after.body);
    assert.equal((await page.get(`/people/${person.id}`)).statusCode, 200);
  } finally {
    stop = true;
    await admin.end();
  }
});

test('what counts as a lost connection: server shutdown codes, class 08, broken sockets, and drizzle wrapping them; not a statement error', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  for (const lost of [withCode('57P01'), withCode('57P02'), withCode('57P03'), withCode('08006'), withCode('08003'), withCode('ECONNRESET'), withCode('ECONNREFUSED'), new Error('Connection terminated unexpectedly'), new Error('Failed query: insert …', { cause: withCode('57P01') })]) {
    assert.equal(isConnectionLoss(lost), true, String((lost as { code?: string }).code ?? lost.message));
  }
  for (const other of [withCode('23505'), withCode('42501'), withCode('40001'), new Error('Failed query: select …', { cause: withCode('22P02') }), 'Connection terminated', null]) {
    assert.equal(isConnectionLoss(other), false, String(other));
  }
});
