import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { buildConcord } from '../../src/concord.js';
import { createTestClock } from '../../src/platform/clocks/clock.js';
import { loggerOptions, safeError } from '../../src/platform/logging.js';
import { freshDatabase } from '../support/database.js';
import { apiClient, type TestConcord } from '../support/app.js';

// Item 9 of issue 9: a failing query logged its SQL with every parameter, and PostgreSQL's own
// fields (detail, where, hint) quoted the row. Concord is built here with the logger `serve` uses,
// writing into memory, and made to fail queries with values nobody could mistake.
const lines: string[] = [];
const database = await freshDatabase('demo');
const config = loadConfig({ NODE_ENV: 'test', COOKIE_SECURE: 'true' });
const { app, services } = await buildConcord(database, createTestClock(new Date().toISOString()), config, {
  ...loggerOptions('info'),
  stream: { write: (line: string) => lines.push(line) },
});
await app.ready();
const t = { app, services, db: database.db, pool: database.pool } as unknown as TestConcord;

const GIVEN = 'Zebedee';
const FAMILY = 'Quirkington';
const { rows } = await t.pool.query(
  `select c.person_id from care_case c join app_user u on u.id = c.coordinator_user_id where u.email = 'tom.okafor@riverside-nhs.example' and c.state = 'open' limit 1`,
);
const personId = rows[0].person_id as string;
const tom = await apiClient(t, 'tom.okafor@riverside-nhs.example');

function errorLogs() {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.level === 50);
}

/** Paths carry record ids, as README says logs do; the names are what must never appear. */
function assertNoValues(text: string) {
  for (const value of [GIVEN, FAMILY]) assert.ok(!text.toLowerCase().includes(value.toLowerCase()), `the log holds ${value}:\n${text}`);
}

test('a unique violation is logged by its code, constraint and statement, never the values it quotes', async () => {
  await t.pool.query('create unique index test_alias_once on person_alias (person_id, family_name)');
  assert.equal((await tom.post(`/api/v1/people/${personId}/aliases`, { givenName: GIVEN, familyName: FAMILY })).statusCode, 201);
  const before = lines.length;
  const failed = await tom.post(`/api/v1/people/${personId}/aliases`, { givenName: GIVEN, familyName: FAMILY });
  assert.equal(failed.statusCode, 500);
  const logged = lines.slice(before).join('\n');
  assertNoValues(logged);
  const [entry] = errorLogs().slice(-1) as [{ err: Record<string, unknown>; reference: string }];
  assert.equal(entry.reference, failed.json().reference, 'the reference the user quotes finds the entry');
  const cause = (entry.err.cause ?? entry.err) as Record<string, unknown>;
  assert.equal(cause.code, '23505');
  assert.equal(cause.constraint, 'test_alias_once');
  assert.match(String(entry.err.statement ?? cause.statement), /^concord_[0-9a-f]{24}$/, 'the statement is named by its fingerprint');
  await t.pool.query('drop index test_alias_once');
});

test('an error whose message, detail and hint quote the row is logged without any of them', async () => {
  await t.pool.query(`
    create function test_refuse_alias() returns trigger language plpgsql as $$
    begin
      raise exception 'alias % % for % refused', new.given_name, new.family_name, new.person_id
        using detail = 'row: ' || new.family_name, hint = new.given_name;
    end $$`);
  await t.pool.query('create trigger test_refuse_alias before insert on person_alias for each row execute function test_refuse_alias()');
  const before = lines.length;
  const failed = await tom.post(`/api/v1/people/${personId}/aliases`, { givenName: GIVEN, familyName: FAMILY });
  assert.equal(failed.statusCode, 500);
  assertNoValues(failed.body);
  const logged = lines.slice(before).join('\n');
  assertNoValues(logged);
  assert.match(logged, /"code":"P0001"/, 'the SQLSTATE is logged');
  assert.match(logged, /"routine":"exec_stmt_raise"/);
  await t.pool.query('drop trigger test_refuse_alias on person_alias');
});

test('what the log keeps of an error: type, codes, names and the stack without its message', () => {
  const cause = Object.assign(new Error(`duplicate key: Key (nhs_number)=(9434765919) already exists`), { code: '23505', constraint: 'person_nhs_number_key', detail: 'Key (nhs_number)=(9434765919)' });
  const failure = Object.assign(new Error('Failed query: insert into person … params: Robert,Smith,9434765919'), { query: 'insert into person values ($1, $2, $3)', params: ['Robert', 'Smith', '9434765919'], cause });
  const safe = safeError(failure);
  assert.doesNotMatch(JSON.stringify(safe), /Robert|Smith|9434765919/);
  assert.equal(safe.cause?.code, '23505');
  assert.equal(safe.cause?.constraint, 'person_nhs_number_key');
  assert.match(String(safe.stack), /^\s+at /);
  assert.equal(safeError(new TypeError('x.map is not a function')).message, 'x.map is not a function', 'a programming error keeps its message');
});
