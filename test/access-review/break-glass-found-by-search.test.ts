import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { accessReviewApiPaths } from '../../src/modules/access-review/paths.js';
import { countOf, EMAIL, knownCheck, knownCheckApi, UNKNOWN_ID, worldFor } from './world.js';

/*
 * Emergency access is not a way to find out who exists (issue 9): "is this person known?" is a purpose,
 * not a browse. It is only for a person a search showed the asker in the last hour, or one their agency
 * already has a relationship with. Any other id, real or made up, answers exactly as a missing person
 * does, on the form, when the form is sent and through the API, with the same refusal recorded and
 * nothing else written.
 */

// Long sessions, so that the clock can move past the hour a search counts for without signing out;
// a generous hourly allowance, so that every emergency access here starts rather than waits.
const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z', env: { SESSION_IDLE_MINUTES: '600', BREAK_GLASS_PER_HOUR: '20' } });
const world = await worldFor(t);
const { tom, raj: rajActor, kofi } = world.actors;
const raj = await new Browser(t.app).signIn(EMAIL.raj);
const rajApi = await apiClient(t, EMAIL.raj);

const GOOD = { reason: 'risk_to_life', explanation: 'The police are with her now and need to know who coordinates her care.' };
const written = async () => ({ glass: await countOf(t, 'break_glass'), alerts: await countOf(t, 'access_alert'), requests: await countOf(t, 'break_glass_request') });

/** The per-response tokens, and the id asked about, masked: what is left must not tell two people apart. */
const masked = (body: string, id: string) =>
  body.split(id).join('ID').replace(/nonce="[^"]+"/g, 'nonce=""').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""').replace(/Reference:? [A-Za-z0-9-]+/g, 'Reference');

/**
 * Everything Raj is told when he asks for emergency access to this id (the form, sending it, and the
 * API), what was recorded of it (the id itself masked) and what else was written.
 */
async function askFor(personId: string, body: Record<string, string> = GOOD) {
  const before = { audit: await lastAuditId(t), rows: await written() };
  const form = await raj.get(recordPaths.breakGlass(personId));
  const sent = await raj.post(recordPaths.breakGlass(personId), body);
  const api = await rajApi.post(accessReviewApiPaths.breakGlass(personId), body);
  const events = (await auditSince(t, before.audit)).map((e) => ({
    action: e.action,
    outcome: e.outcome,
    subject: [e.subject_type, e.subject_id === personId ? 'ID' : e.subject_id],
    person: (e as unknown as { person_id: string | null }).person_id === personId ? 'ID' : 'another',
    details: e.details,
  }));
  return {
    form: { status: form.statusCode, body: masked(form.body, personId) },
    sent: { status: sent.statusCode, body: masked(sent.body, personId) },
    api: { status: api.statusCode, type: api.headers['content-type'], body: masked(api.body, personId) },
    events,
    wrote: await written(),
    before: before.rows,
  };
}

/** The refusal recorded for a person id that answers as missing: one for each of the three requests. */
const REFUSED = { action: 'person.view_refused', outcome: 'denied', subject: ['person', 'ID'], person: 'ID', details: { answered: 'not found' } };

function assertAnsweredAsMissing(asked: Awaited<ReturnType<typeof askFor>>, missing: Awaited<ReturnType<typeof askFor>>, name: string) {
  assert.deepEqual([asked.form.status, asked.sent.status, asked.api.status], [404, 404, 404]);
  assert.equal(JSON.parse(asked.api.body).code, 'PEOPLE.NOT_FOUND');
  for (const answer of [asked.form.body, asked.sent.body, asked.api.body]) assert.ok(!answer.includes(name.split(' ')[1]!), 'the person is not named');
  assert.deepEqual(asked.events, [REFUSED, REFUSED, REFUSED]);
  assert.deepEqual(asked.wrote, asked.before, 'no emergency access, no alert, no request');
  const { before: _b1, wrote: _w1, ...answered } = asked;
  const { before: _b2, wrote: _w2, ...missingAnswered } = missing;
  assert.deepEqual(answered, missingAnswered, 'the same answers and the same refusals as for an id no one has');
}

describe('emergency access only for someone a search showed', () => {
  test('a person never shown to the asker answers exactly as a made-up id, on the form, when it is sent and through the API', async () => {
    const stranger = await world.person('Imogen', 'Strand');
    // Neither a search by name alone (it finds only people Raj's agency works with) nor someone else's known check shows her to Raj.
    assert.match((await raj.get(`/people/search?name=${encodeURIComponent(stranger.name)}`)).body, /data-qa="no-results"/);
    await world.found(kofi, stranger);
    assertAnsweredAsMissing(await askFor(stranger.id), await askFor(UNKNOWN_ID), stranger.name);
  });

  test('nor does what was sent tell them apart: a reason not on the list is refused as a missing person, before it is read', async () => {
    const stranger = await world.person('Jasmine', 'Strand');
    const nonsense = { reason: 'curiosity', explanation: 'x' };
    assertAnsweredAsMissing(await askFor(stranger.id, nonsense), await askFor(UNKNOWN_ID, nonsense), stranger.name);
  });

  test('once a known check has shown the person, emergency access starts as before, through the API and the form', async () => {
    const [byApi, byForm] = [await world.person('Kit', 'Strand'), await world.person('Lena', 'Strand')];
    const before = await written();

    const found = (await rajApi.get(knownCheckApi(byApi))).json() as { purpose: string; people: { id: string }[] };
    assert.deepEqual([found.purpose, found.people.some((p) => p.id === byApi.id)], ['known_check', true]);
    const granted = await rajApi.post(accessReviewApiPaths.breakGlass(byApi.id), GOOD);
    assert.equal(granted.statusCode, 201, granted.body);
    assert.deepEqual([granted.json().status, granted.json().personId], ['started', byApi.id]);

    assert.match((await raj.get(knownCheck(byForm))).body, new RegExp(`href="${recordPaths.breakGlass(byForm.id)}"[^>]*data-qa="break-glass"`));
    const form = await raj.get(recordPaths.breakGlass(byForm.id));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Lena Strand/);
    const sent = await raj.post(recordPaths.breakGlass(byForm.id), GOOD);
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, recordPaths.person(byForm.id));
    assert.equal((await raj.get(recordPaths.person(byForm.id))).statusCode, 200);

    assert.deepEqual(await written(), { ...before, glass: before.glass + 2, alerts: before.alerts + 2 });
  });

  test('a search counts for an hour: a moment later the person answers as missing again, until a new search shows them', async () => {
    const sought = await world.person('Maud', 'Strand');
    await raj.get(knownCheck(sought));
    t.clock.advance(60 * 60_000);
    assert.equal((await raj.get(recordPaths.breakGlass(sought.id))).statusCode, 200, 'an hour to the millisecond: the search still counts');
    t.clock.advance(1);
    assertAnsweredAsMissing(await askFor(sought.id), await askFor(UNKNOWN_ID), sought.name);

    await rajApi.get(knownCheckApi(sought));
    assert.equal((await rajApi.post(accessReviewApiPaths.breakGlass(sought.id), GOOD)).statusCode, 201);
  });

  test('an agency that referred the person knows they exist: it may ask for emergency access without searching', async () => {
    const referred = await world.person('Nell', 'Strand', [{ actor: tom, role: 'receiving_service' }, { actor: rajActor, role: 'referrer' }]);
    assert.equal((await raj.get(recordPaths.person(referred.id))).statusCode, 404, 'a referrer sees its referral’s status, not the record');
    const form = await raj.get(recordPaths.breakGlass(referred.id));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Nell Strand/);
    assert.equal((await rajApi.post(accessReviewApiPaths.breakGlass(referred.id), GOOD)).statusCode, 201);
  });

  test('the API description says emergency access is only for someone a search showed, and answers 404 otherwise', async () => {
    const spec = (await rajApi.get('/api/openapi.json')).json() as { paths: Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>> };
    const operation = spec.paths['/api/v1/people/{personId}/emergency-access']!.post!;
    assert.match(operation.summary, /Only for a person a search \(GET \/api\/v1\/people, or the search page\) showed you in the last hour/);
    assert.match(operation.summary, /any other reference answers 404 PEOPLE\.NOT_FOUND, exactly as one that does not exist/);
    assert.ok('404' in operation.responses);
  });
});
