import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, testConcord } from '../support/app.js';
import { actorFor, onTheWaitingList, refer } from '../support/casework.js';

const t = await testConcord({ now: '2026-03-02T10:00:00Z' });

const MARK = 'mark.ellison@northshire-council.example'; // Adult Social Care duty team manager
const markApi = await apiClient(t, MARK);
const rajApi = await apiClient(t, 'raj.patel@northshire-council.example');
const alexApi = await apiClient(t, 'alex.morgan@northshire-care.example');
const raj = await actorFor(t, 'raj.patel@northshire-council.example');
const mark = await actorFor(t, MARK);
const kofi = await actorFor(t, 'kofi.mensah@harbour-housing.example');

const toScreen = await refer(t, kofi, mark, { name: ['Bronwen', 'Apiary'] });
const waiting = await onTheWaitingList(t, kofi, raj, mark, ['Cuthbert', 'Apiary']);

type Deadline = { id: string; kind: string; ruleId: string; title: string; dueAt: string; urgency: string; owner: string };
type Item = { person: { id: string; name: string } | null; subject: { type: string; id: string; reference: string | null }; stage: string; urgency: string | null; next: Deadline | null; deadlines: Deadline[] };
type Answer = { asAt: string; queues: { queue: string; name: string; items: Item[] }[] };

test('the same queues as the page: a manager gets the duty queue, the allocation queue and the deadlines, each row with its next deadline', async () => {
  const response = await markApi.get('/api/v1/my-work');
  assert.equal(response.statusCode, 200, response.body);
  const answer = response.json() as Answer;
  assert.equal(answer.asAt, '2026-03-02T10:00:00.000Z');
  assert.deepEqual(answer.queues.map((q) => [q.queue, q.name]), [['duty', 'Duty queue'], ['allocation', 'Allocation and waiting list'], ['deadlines', 'Deadlines near or passed']]);
  const duty = answer.queues[0]!.items.find((i) => i.subject.id === toScreen.id)!;
  assert.deepEqual(duty.person, { id: toScreen.personId, name: 'Bronwen Apiary' });
  assert.deepEqual(duty.subject, { type: 'referral', id: toScreen.id, reference: toScreen.reference });
  assert.equal(duty.stage, 'To screen');
  assert.equal(duty.urgency, 'on-time');
  assert.deepEqual({ ...duty.next, id: undefined }, { id: undefined, kind: 'referral.screen', ruleId: 'REF-3', title: 'Screen the referral', dueAt: '2026-03-03T23:59:59.999Z', urgency: 'on-time', owner: 'your team' });
  const allocation = answer.queues[1]!.items.find((i) => i.subject.id === waiting.id)!;
  assert.deepEqual(allocation.deadlines.map((d) => [d.kind, d.ruleId, d.dueAt]), [
    ['waiting.risk_check', 'WAIT-1', '2026-03-16T23:59:59.999Z'],
    ['referral.allocation', 'REF-3', '2026-05-25T22:59:59.999Z'],
  ]);
});

test('each person in the answer is recorded as seen by the caller', async () => {
  const before = await lastAuditId(t);
  const answer = (await markApi.get('/api/v1/my-work')).json() as Answer;
  const people = [...new Set(answer.queues.flatMap((q) => q.items.flatMap((i) => (i.person ? [i.person.id] : []))))].sort();
  const events = await auditSince(t, before);
  assert.ok(events.every((e) => e.action === 'work.viewed' && e.actor_user_id === markApi.actor.userId));
  assert.deepEqual(events.map((e) => e.subject_id).sort(), people);
});

test('filters by kind and urgency, as query parameters', async () => {
  const answer = (await markApi.get('/api/v1/my-work?kind=allocation&urgency=on-time')).json() as Answer;
  assert.deepEqual(answer.queues.map((q) => q.queue), ['allocation']);
  assert.ok(answer.queues[0]!.items.some((i) => i.subject.id === waiting.id));
  assert.ok(answer.queues[0]!.items.every((i) => i.urgency === 'on-time'));
  const none = (await markApi.get('/api/v1/my-work?urgency=overdue&kind=duty')).json() as Answer;
  assert.ok(!none.queues[0]!.items.some((i) => i.subject.id === toScreen.id));
});

test('a practitioner gets no allocation queue, even when asking for it; an administrator gets no queues', async () => {
  const asked = (await rajApi.get('/api/v1/my-work?kind=allocation')).json() as Answer;
  assert.deepEqual(asked.queues, []);
  const all = (await rajApi.get('/api/v1/my-work')).json() as Answer;
  assert.deepEqual(all.queues.map((q) => q.queue), ['duty', 'deadlines']);
  const admin = await alexApi.get('/api/v1/my-work');
  assert.equal(admin.statusCode, 200);
  assert.deepEqual((admin.json() as Answer).queues, []);
});

test('a filter value not on the list is refused as problem+json naming the field, and nothing is recorded', async () => {
  const before = await lastAuditId(t);
  const response = await markApi.get('/api/v1/my-work?kind=everything&urgency=late');
  assert.equal(response.statusCode, 400);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  const problem = response.json();
  assert.equal(problem.code, 'MY_WORK.FILTER_INVALID');
  assert.deepEqual(problem.errors, [
    { field: 'kind', message: 'Select the kinds of work to show from the list' },
    { field: 'urgency', message: 'Select overdue, due soon or on time' },
  ]);
  assert.deepEqual(await auditSince(t, before), []);
});

test('without a token the API asks for one', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/my-work' });
  assert.equal(response.statusCode, 401);
  assert.equal(response.json().code, 'AUTH.TOKEN_REQUIRED');
});

test('the OpenAPI document describes it under "My work", with its filters', async () => {
  const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const operation = document.paths['/api/v1/my-work'].get;
  assert.deepEqual(operation.tags, ['My work']);
  assert.deepEqual(operation.parameters.map((p: { name: string; in: string }) => [p.name, p.in]), [['kind', 'query'], ['urgency', 'query']]);
  assert.ok(operation.responses['200'].content['application/json'].schema.properties.queues);
});
