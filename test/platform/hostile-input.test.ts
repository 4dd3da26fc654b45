import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiClient, auditSince, countRows, lastAuditId, signedIn, testConcord } from '../support/app.js';
import { notesWorld, TOM } from '../notes/world.js';
import { notesPaths } from '../../src/modules/notes/paths.js';
import { peopleApiPaths } from '../../src/modules/people/paths.js';
import type { RouteSpec } from '../../src/platform/http/route-table.js';

/*
 * Input PostgreSQL cannot store (NUL), the audit trail's JSON cannot carry (a lone surrogate), or that
 * is not UTF-8 at all, sent to every route of the route table in its query and its body: refused
 * with 400 (or 403/404 where the route refuses first), never 500, and nothing written.
 */

const t = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await notesWorld(t);
const person = await world.person();
const browser = await signedIn(t.app, TOM);
const api = await apiClient(t, TOM);

const TABLES = ['person', 'person_alias', 'child_link', 'inquiry', 'referral', 'record_note', 'consent_decision', 'sharing_restriction', 'involvement', 'agency', 'team', 'app_user', 'api_token', 'idempotent_request'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));

const routes = (t.app.registeredRoutes.map((r) => r.spec).filter(Boolean) as RouteSpec[]).filter((spec) => spec.kind !== 'system');
const urlOf = (spec: RouteSpec) => spec.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'personId' ? person.id : randomUUID()));

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };

const QUERIES = { nul: 'q=a%00b', surrogate: 'q=%ED%A0%80', notUtf8: 'q=%FF%FE' };
const JSON_BODIES = { nul: '{"title":"a\\u0000b"}', surrogate: '{"givenName":"\\ud800"}', notUtf8: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) };
const FORM_BODIES = { nul: 'title=a%00b', surrogate: 'givenName=%ED%A0%80', notUtf8: Buffer.from('title=\xff', 'latin1') };

function send(spec: RouteSpec, url: string, body?: string | Buffer): Promise<Response> {
  if (spec.kind === 'api') {
    return t.app.inject({ method: spec.method, url, headers: { authorization: `Bearer ${api.secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: body }) });
  }
  if (body === undefined || spec.method === 'GET') return browser.get(url);
  const csrf = `_csrf=${encodeURIComponent(browser.csrf ?? '')}&`;
  const payload = typeof body === 'string' ? csrf + body : Buffer.concat([Buffer.from(csrf), body]);
  return t.app.inject({ method: spec.method, url, headers: { cookie: (browser as unknown as { cookieHeader(): string }).cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload });
}

async function assertRefusedEverywhere(kind: keyof typeof QUERIES) {
  const problems: string[] = [];
  const before = { counts: await counts(), audit: await lastAuditId(t) };
  for (const spec of routes) {
    const url = urlOf(spec);
    const attempts: [string, string, string | Buffer | undefined][] = [[`${spec.method} ${spec.url}?${kind}`, `${url}?${QUERIES[kind]}`, spec.method === 'GET' ? undefined : spec.kind === 'api' ? '{}' : '']];
    if (spec.method !== 'GET') attempts.push([`${spec.method} ${spec.url} body ${kind}`, url, (spec.kind === 'api' ? JSON_BODIES : FORM_BODIES)[kind]]);
    for (const [what, sent, body] of attempts) {
      const response = await send(spec, sent, body);
      // A form's refusal is post-redirect-get back to the form, which shows the error summary.
      const refused = [400, 403, 404].includes(response.statusCode) || (response.statusCode === 303 && spec.kind === 'page' && String(response.headers.location) === sent);
      if (!refused) problems.push(`${what}: ${response.statusCode} ${response.body.slice(0, 120)}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(await counts(), before.counts);
  const written = (await auditSince(t, before.audit)).filter((e) => e.outcome === 'success');
  assert.deepEqual([...new Set(written.map((e) => e.action))], []);
}

describe('hostile input, on every route', () => {
  test('a NUL byte in the query or the body', () => assertRefusedEverywhere('nul'));
  test('a lone surrogate in the query or the body', () => assertRefusedEverywhere('surrogate'));
  test('invalid UTF-8 in the query or the body', () => assertRefusedEverywhere('notUtf8'));

  test('the API names the field in problem+json', async () => {
    const response = await api.post(peopleApiPaths.aliases(person.id), { givenName: 'Noelle', familyName: 'Smith\u0000' });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual(JSON.parse(response.body).errors.map((e: { field: string }) => e.field), ['familyName']);
    const surrogate = await api.post(peopleApiPaths.aliases(person.id), { givenName: '\ud800', familyName: 'Smith' });
    assert.equal(surrogate.statusCode, 400, surrogate.body);
    assert.deepEqual(JSON.parse(surrogate.body).errors.map((e: { field: string }) => e.field), ['givenName']);
  });

  test('a form with a NUL: back to the form with the error summary naming the field, what was typed kept without the NUL', async () => {
    const notes = await countRows(t, 'record_note');
    await browser.get(notesPaths.noteNew(person.id));
    const posted = await browser.post(notesPaths.noteNew(person.id), { category: 'mental_health', title: 'Home\u0000 visit', text: 'Seen at home.' });
    assert.equal(posted.statusCode, 303, posted.body);
    const page = await browser.get(String(posted.headers.location));
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /govuk-error-summary/);
    assert.match(page.body, /href="#title"/);
    assert.match(page.body, /value="Home visit"/);
    assert.ok(!page.body.includes('\u0000'));
    assert.equal(await countRows(t, 'record_note'), notes);
  });

  test('a number is a number: true, [] and "" are refused, not taken as 1 or 0', async () => {
    const current = JSON.parse((await api.get(peopleApiPaths.person(person.id))).body).person;
    const details = { givenName: current.givenName, familyName: current.familyName, dateOfBirth: current.dateOfBirth, gender: current.gender ?? undefined };
    for (const version of [true, [], '', [1], '1e0', null]) {
      const before = await t.pool.query('select * from person where id = $1', [person.id]);
      const response = await api.put(peopleApiPaths.person(person.id), { ...details, familyName: 'Changed', version });
      assert.equal(response.statusCode, 400, `${JSON.stringify(version)}: ${response.body}`);
      assert.deepEqual(JSON.parse(response.body).errors.map((e: { field: string }) => e.field), ['version']);
      assert.deepEqual((await t.pool.query('select * from person where id = $1', [person.id])).rows, before.rows);
    }
    const ok = await api.put(peopleApiPaths.person(person.id), { ...details, version: String(current.version) });
    assert.equal(ok.statusCode, 200, ok.body);
  });
});
