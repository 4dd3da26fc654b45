import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummaryHtml as errorSummaryOf } from '../support/pages.js';

const HELEN = 'helen.marsh@riverside-nhs.example'; // auditor / Caldicott guardian
const TOM = 'tom.okafor@riverside-nhs.example'; // care coordinator: no audit.view

const t: TestConcord = await testConcord({ now: '2030-06-30T21:00:00Z' });
const helenApi = await apiClient(t, HELEN);
const tomApi = await apiClient(t, TOM);

type ApiEvent = { id: number; occurredAt: string; action: string; outcome: string; actor: { userId: string | null; name: string | null }; subject: { type: string; id: string | null } | null; details: Record<string, unknown> };
type ApiPage = { events: ApiEvent[]; nextBeforeId: number | null };

const eventIdsOn = (html: string) => [...html.matchAll(/data-event-id="(\d+)"/g)].map((m) => Number(m[1]));
const unescapeHref = (href: string) => href.replace(/&amp;/g, '&');

async function searchApi(query: Record<string, string>): Promise<ApiPage> {
  const response = await helenApi.get(`/api/v1/audit-events?${new URLSearchParams(query)}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as ApiPage;
}

async function record(action: string, count: number, at?: string) {
  if (at) t.clock.set(at);
  for (let i = 0; i < count; i++) await t.services.audit.recordNow(null, { action, details: { n: i } });
}

describe('who may see the audit trail', () => {
  test('a care coordinator is refused the page, the check and the API, and each refusal is recorded', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const checksBefore = await countRows(t, 'audit_verification');
    const before = await lastAuditId(t);

    const page = await browser.get('/audit');
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /You do not have access to this page/);
    assert.doesNotMatch(page.body, /data-qa="audit-events"/);
    await browser.get('/account'); // a page that reads nobody's record (My work records each person it shows)
    assert.equal((await browser.post('/audit/verify')).statusCode, 403);
    for (const response of [await tomApi.get('/api/v1/audit-events'), await tomApi.post('/api/v1/audit/verify'), await tomApi.get('/api/v1/audit/verification')]) {
      assert.equal(response.statusCode, 403);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.equal(response.json().code, 'ACCESS.DENIED');
    }

    const events = await auditSince(t, before);
    assert.deepEqual(
      events.map((e) => [e.action, e.outcome, e.subject_id]),
      [
        ['access.denied', 'denied', 'GET /audit'],
        ['access.denied', 'denied', 'POST /audit/verify'],
        ['access.denied', 'denied', 'GET /api/v1/audit-events'],
        ['access.denied', 'denied', 'POST /api/v1/audit/verify'],
        ['access.denied', 'denied', 'GET /api/v1/audit/verification'],
      ],
    );
    assert.ok(events.every((e) => e.details.permission === 'audit.view'));
    assert.equal(await countRows(t, 'audit_verification'), checksBefore, 'a refused check checks nothing');
  });

  test('a signed-out visitor is sent to sign in, and the API asks for a token', async () => {
    assert.equal((await new Browser(t.app).get('/audit')).statusCode, 303);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events' });
    assert.equal(api.statusCode, 401);
    assert.match(String(api.headers['www-authenticate']), /^Bearer/);
  });
});

describe('the audit trail page', () => {
  test('shows events newest first, with outcomes, and records that the auditor looked, with the filters used', async () => {
    const browser = await new Browser(t.app).signIn(HELEN);
    await new Browser(t.app).signIn(TOM).then((tom) => tom.get('/audit'));
    const before = await lastAuditId(t);
    const page = await browser.get('/audit?action=access.denied&who=Tom');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Audit trail<\/h1>/);
    const ids = eventIdsOn(page.body);
    assert.ok(ids.length >= 1);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    assert.match(page.body, /govuk-tag--red[^>]*>\s*Denied/);
    const who = [...page.body.matchAll(/data-qa="event-who">\s*([^<\n]+)/g)].map((m) => m[1]);
    assert.deepEqual(new Set(who), new Set(['Tom Okafor']), 'only Tom’s events');
    const actions = [...page.body.matchAll(/data-qa="event-action">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(new Set(actions), new Set(['access.denied']), 'only refusals');
    assert.equal(who.length, ids.length);
    assert.match(page.body, /<option value="access.denied" selected>/, 'the chosen action stays selected');
    assert.match(page.body, /30 June 2030 at 10:00pm/, 'times are shown in UK time (BST)');

    const viewed = await auditSince(t, before);
    assert.deepEqual(viewed.map((e) => e.action), ['audit.viewed']);
    assert.deepEqual(viewed[0]!.details, { filters: { who: 'Tom', action: 'access.denied' }, eventsShown: ids.length });
  });

  test('offers every action the trail holds, and "Any action"', async () => {
    const browser = await new Browser(t.app).signIn(HELEN);
    const page = await browser.get('/audit');
    const options = [...page.body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    const distinct = await t.pool.query('select distinct action from audit_event order by action');
    assert.equal(options[0], '');
    assert.deepEqual(options.slice(1), distinct.rows.map((r) => r.action));
    assert.ok(options.includes('directory.user_created') && options.includes('auth.sign_in'));
  });

  test('pages through older events with the filters kept, and no event is shown twice or missed', async () => {
    await record('test.paged', 60);
    const browser = await new Browser(t.app).signIn(HELEN);
    const first = await browser.get('/audit?action=test.paged');
    const firstIds = eventIdsOn(first.body);
    assert.equal(firstIds.length, 50);
    const older = /<a [^>]*href="([^"]+)"[^>]*data-qa="older-events"/.exec(first.body);
    assert.ok(older, 'an "Older events" link');
    const href = unescapeHref(older[1]!);
    assert.equal(href, `/audit?action=test.paged&beforeId=${firstIds[49]}`);
    const second = await browser.get(href);
    const secondIds = eventIdsOn(second.body);
    assert.equal(secondIds.length, 10);
    assert.doesNotMatch(second.body, /Older events/);
    assert.match(second.body, /Newest events/);
    const all = [...firstIds, ...secondIds];
    assert.equal(new Set(all).size, 60);
    assert.deepEqual(all, [...all].sort((a, b) => b - a));
  });

  test('refuses filters it cannot use with a message for each, keeps what was typed, reads and records nothing', async () => {
    const browser = await new Browser(t.app).signIn(HELEN);
    const cases: [string, string, string][] = [
      ['from=2030-02-30', 'from', 'From date must be a real date'],
      ['to=yesterday', 'to', 'To date must be a real date'],
      ['from=2030-07-02&to=2030-07-01', 'from', 'From date must be the same as or before the to date'],
      [`who=${'x'.repeat(121)}`, 'who', 'Name or user ID must be 120 characters or fewer'],
      [`subjectType=${'x'.repeat(41)}`, 'subjectType', 'Subject type must be 40 characters or fewer'],
      [`subjectId=${'x'.repeat(121)}`, 'subjectId', 'Subject ID must be 120 characters or fewer'],
      [`action=${'x'.repeat(81)}`, 'action', 'Action must be 80 characters or fewer'],
      ['beforeId=abc', 'beforeId', 'Older events must start from an event number'],
      ['beforeId=-4', 'beforeId', 'Older events must start from an event number above 0'],
    ];
    for (const [query, field, message] of cases) {
      const before = await lastAuditId(t);
      const page = await browser.get(`/audit?${query}`);
      assert.equal(page.statusCode, 400, query);
      assert.match(errorSummaryOf(page.body), new RegExp(`href="#${field}">${message}`), query);
      assert.doesNotMatch(page.body, /data-qa="audit-events"/, query);
      assert.deepEqual(await auditSince(t, before), [], `${query}: nothing read, nothing recorded`);

      const api = await helenApi.get(`/api/v1/audit-events?${query}`);
      assert.equal(api.statusCode, 400, query);
      assert.match(String(api.headers['content-type']), /application\/problem\+json/);
      assert.equal(api.json().code, 'AUDIT.FILTERS_INVALID');
      assert.equal(api.json().errors[0].field, field, query);
      assert.match(api.json().errors[0].message, new RegExp(message), query);
    }
    const typed = await browser.get('/audit?from=2030-02-30&who=Helen');
    assert.match(typed.body, /id="from" name="from" type="date" value="2030-02-30"/);
    assert.match(typed.body, /id="who" name="who" type="text" spellcheck="false" value="Helen"/);
  });
});

describe('filtering the trail through the API', () => {
  test('by action', async () => {
    const page = await searchApi({ action: 'directory.team_created' });
    assert.equal(page.events.length, await countRows(t, 'team'));
    assert.ok(page.events.every((e) => e.action === 'directory.team_created'));
  });

  test('by who: part of a name, in any case, or exactly a user id', async () => {
    await new Browser(t.app).signIn(TOM);
    const byName = await searchApi({ who: 'hELEN mar' });
    assert.ok(byName.events.length > 0);
    assert.ok(byName.events.every((e) => e.actor.name === 'Helen Marsh'));
    const byId = await searchApi({ who: tomApi.actor.userId });
    assert.ok(byId.events.some((e) => e.action === 'auth.sign_in'));
    assert.ok(byId.events.every((e) => e.actor.userId === tomApi.actor.userId));
    assert.deepEqual((await searchApi({ who: '%' })).events, [], 'wildcards are matched literally');
  });

  test('by subject type and id', async () => {
    const page = await searchApi({ subjectType: 'user', subjectId: tomApi.actor.userId });
    const actions = new Set(page.events.map((e) => e.action));
    assert.ok(actions.has('directory.user_created'));
    assert.ok(page.events.every((e) => e.subject?.type === 'user' && e.subject.id === tomApi.actor.userId));
  });

  test('by dates, which are whole days in UK time, summer and winter', async () => {
    const start = t.clock.now();
    await record('test.dated', 1, '2030-06-30T22:30:00Z'); // 11:30pm on 30 June, BST
    await record('test.dated', 1, '2030-06-30T23:30:00Z'); // 12:30am on 1 July
    await record('test.dated', 1, '2030-07-01T22:59:59.999Z'); // the last moment of 1 July
    await record('test.dated', 1, '2030-07-01T23:00:00Z'); // midnight, 2 July
    await record('test.dated', 1, '2030-11-30T23:30:00Z'); // 11:30pm on 30 November, GMT
    await record('test.dated', 1, '2030-12-01T00:30:00Z'); // 12:30am on 1 December
    t.clock.set(start);
    const when = async (query: Record<string, string>) => (await searchApi({ action: 'test.dated', ...query })).events.map((e) => e.occurredAt).sort();
    assert.deepEqual(await when({ from: '2030-07-01', to: '2030-07-01' }), ['2030-06-30T23:30:00.000Z', '2030-07-01T22:59:59.999Z']);
    assert.deepEqual(await when({ to: '2030-06-30' }), ['2030-06-30T22:30:00.000Z']);
    assert.deepEqual(await when({ from: '2030-12-01' }), ['2030-12-01T00:30:00.000Z']);
    assert.equal((await when({ from: '2030-07-02', to: '2030-11-30' })).length, 2);
  });

  test('a page at a time, newest first, with nextBeforeId until there are no more', async () => {
    const first = await searchApi({ action: 'test.paged' });
    assert.equal(first.events.length, 50);
    assert.equal(first.nextBeforeId, first.events[49]!.id);
    const second = await searchApi({ action: 'test.paged', beforeId: String(first.nextBeforeId) });
    assert.equal(second.events.length, 10);
    assert.equal(second.nextBeforeId, null);
    assert.ok(second.events[0]!.id < first.events[49]!.id);
  });

  test('each read through the API is itself recorded, with its filters', async () => {
    const before = await lastAuditId(t);
    await searchApi({ action: 'auth.sign_in', from: '2030-06-01' });
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.actor_user_id]), [['audit.viewed', helenApi.actor.userId]]);
    assert.deepEqual(events[0]!.details.filters, { action: 'auth.sign_in', from: '2030-06-01' });
  });

  test('is described in the OpenAPI document under Audit', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const operation = document.paths['/api/v1/audit-events'].get;
    assert.deepEqual(operation.tags, ['Audit']);
    assert.deepEqual(
      operation.parameters.map((p: { name: string }) => p.name).sort(),
      ['action', 'beforeId', 'from', 'subjectId', 'subjectType', 'to', 'who'],
    );
    assert.ok(document.paths['/api/v1/audit/verify'].post);
    assert.ok(document.paths['/api/v1/audit/verification'].get);
  });
});
