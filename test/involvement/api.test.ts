import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { involvementApiPaths as api } from '../../src/modules/involvement/paths.js';
import { DANIEL, housingForm, involvementWorld, JADE, KOFI, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const w = await involvementWorld(t);
const tom = await apiClient(t, TOM);
const kofi = await apiClient(t, KOFI);
const daniel = await apiClient(t, DANIEL);
const jade = await apiClient(t, JADE);

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** A housing addition as an API client sends it: no team field when there is none, JSON arrays. */
const housing = (overrides: Record<string, unknown> = {}) => ({ ...housingForm(w.ids), ...overrides });
/** The involvement's version, as a client that read it now would send it back. */
const versionOf = async (involvementId: string) => Number(await w.versionOf(involvementId));

/** A refused call: the status, problem+json naming each field, and nothing written to the person's involvements nor recorded as done. */
async function assertProblem(personId: string, call: () => Promise<Response>, status: number, errors?: Record<string, string>) {
  const rows = JSON.stringify(await w.involvements(personId));
  const audit = await lastAuditId(t);
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = json(response);
  if (errors) assert.deepEqual(Object.fromEntries(problem.errors.map((e: { field: string; message: string }) => [e.field, e.message])), errors);
  assert.equal(JSON.stringify(await w.involvements(personId)), rows, 'nothing is written');
  assert.deepEqual((await auditSince(t, audit)).filter((e) => e.outcome === 'success').map((e) => e.action), []);
  return problem;
}

describe('agencies involved (API)', () => {
  test('the list: current and ended involvements, who leads on each aspect, and whether you may manage them; the read is recorded', async () => {
    const personId = await w.personInCare(['Ursula', 'Listed']);
    const before = await lastAuditId(t);
    const response = await tom.get(api.involvements(personId));
    assert.equal(response.statusCode, 200, response.body);
    const body = json(response);
    assert.deepEqual(body.current.map((i: { agencyName: string; role: string }) => `${i.agencyName}: ${i.role}`).sort(), [
      'Northshire County Council Adult Social Care: referrer',
      'Riverside NHS Mental Health Trust: lead_agency',
      'Riverside NHS Mental Health Trust: receiving_service',
    ]);
    assert.deepEqual(body.ended, []);
    assert.equal(body.leads.length, 10);
    assert.ok(body.leads.every((l: { lead: unknown }) => l.lead === null));
    assert.equal(body.canManage, true);
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['involvement.viewed']);
    assert.equal(json(await daniel.get(api.involvements(personId))).canManage, false);
    await assertProblem(personId, () => jade.get(api.involvements(personId)), 404);
  });

  test('add, change and end: each answers the involvement, and the ended agency cannot open the record on its next call', async () => {
    const personId = await w.personInCare(['Vaughan', 'Lifecycle']);
    await w.consent(personId, { agencyIds: [w.ids.housing] });

    const added = await tom.post(api.involvements(personId), housing());
    assert.equal(added.statusCode, 201, added.body);
    const involvement = json(added);
    assert.equal(involvement.agencyName, 'Harbour Housing Options');
    assert.equal(involvement.teamName, 'Housing Options and Homelessness');
    assert.deepEqual(involvement.keyContact, { name: 'Kofi Mensah', role: 'Housing options officer', phone: '01632 960 300' });
    assert.equal(involvement.current, true);
    assert.equal(involvement.endRefusal, null);
    assert.equal((await kofi.get(`/api/v1/people/${personId}`)).statusCode, 200);
    const leads = json(await tom.get(api.involvements(personId))).leads;
    assert.deepEqual(leads.find((l: { domain: string }) => l.domain === 'housing').lead, { involvementId: involvement.id, agencyName: 'Harbour Housing Options', keyContact: involvement.keyContact });

    const changed = await tom.patch(api.involvement(personId, involvement.id), { domains: ['housing'], leadDomains: ['housing'], contactName: 'Duty officer', communication: null, version: involvement.version });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(json(changed).domains, ['housing']);
    assert.deepEqual(json(changed).keyContact, { name: 'Duty officer', role: null, phone: null });
    assert.equal(json(changed).communication, null);

    assert.equal(json(changed).version, involvement.version + 1, 'a change raises the version');
    const ended = await tom.post(api.end(personId, involvement.id), { reason: 'Rehoused out of the area', version: json(changed).version });
    assert.equal(ended.statusCode, 200, ended.body);
    assert.equal(json(ended).current, false);
    assert.equal(json(ended).endedReason, 'Rehoused out of the area');
    assert.equal((await kofi.get(`/api/v1/people/${personId}`)).statusCode, 404, 'access ends with the involvement');
    assert.equal((await kofi.get(api.involvements(personId))).statusCode, 404);
    assert.equal(json(await tom.get(api.involvements(personId))).ended[0].id, involvement.id);
  });

  test('adding is refused, with problem+json naming the field, for every bad input', async () => {
    const personId = await w.personInCare(['Wyn', 'Refusals']);
    await w.consent(personId, { agencyIds: [w.ids.housing, w.ids.pathways] });
    const add = (body: unknown) => () => tom.post(api.involvements(personId), body);
    await assertProblem(personId, add(housing({ domains: [], leadDomains: [] })), 400, { domains: 'Select which aspects of care the agency covers' });
    await assertProblem(personId, add(housing({ domains: 'housing' })), 400, { domains: 'Select which aspects of care the agency covers' });
    await assertProblem(personId, add(housing({ leadDomains: ['safety'] })), 400, {
      leadDomains: 'An agency can only lead on what it covers: also select safety and risk under what it covers, or do not make it the lead',
    });
    await assertProblem(personId, add(housing({ communication: 'c'.repeat(1001) })), 400, { communication: 'How the agencies communicate must be 1000 characters or fewer' });
    await assertProblem(personId, add(housing({ agencyId: UNKNOWN })), 400, { agencyId: 'Select an agency from the list' });
    await assertProblem(personId, add(housing({ agencyId: 'housing' })), 400, { agencyId: 'Select the agency' });
    const noConsent = await assertProblem(personId, add(housing({ agencyId: w.ids.probation, teamId: null })), 409, {
      agencyId: 'There is no consent in force to share Wyn Refusals’s information with Northshire Probation Delivery Unit: record Wyn Refusals’s consent first, on the Consent and sharing page',
    });
    assert.equal(noConsent.code, 'INVOLVEMENT.NO_CONSENT');
    assert.match(noConsent.title, new RegExp(`/people/${personId}/sharing`));
    await assertProblem(personId, add(housing({ agencyId: w.ids.riverside, teamId: null, leadDomains: [] })), 409, {
      agencyId: 'Riverside NHS Mental Health Trust is already involved in Wyn Refusals’s care: change its involvement instead of adding it again',
    });
    assert.equal((await tom.post(api.involvements(personId), housing())).statusCode, 201);
    await assertProblem(personId, add(housing({ agencyId: w.ids.pathways, teamId: w.ids.pathwaysTeam, domains: ['housing'], leadDomains: ['housing'] })), 409, {
      leadDomains: 'Harbour Housing Options already leads on housing: change Harbour Housing Options’s involvement first, then make this agency the lead',
    });
    await assertProblem(personId, () => daniel.post(api.involvements(personId), housing({ agencyId: w.ids.pathways })), 403);
    await assertProblem(personId, () => jade.post(api.involvements(personId), housing({ agencyId: w.ids.pathways })), 404);
    await assertProblem(personId, () => tom.post(api.involvements(UNKNOWN), housing()), 404);
  });

  test('changing and ending are refused for a lead already held, a referrer, the referral’s own involvement, an unknown one or no reason', async () => {
    const personId = await w.personInCare(['Ynyr', 'Refusals']);
    await w.consent(personId, { agencyIds: [w.ids.housing] });
    assert.equal((await tom.post(api.involvements(personId), housing())).statusCode, 201);
    const lead = (await w.involvementOf(personId, w.ids.riverside, 'lead_agency'))!;
    const receiving = (await w.involvementOf(personId, w.ids.riverside, 'receiving_service'))!;
    const referrer = (await w.involvementOf(personId, w.ids.council, 'referrer'))!;
    const housingRow = (await w.involvementOf(personId, w.ids.housing))!;

    const [leadVersion, receivingVersion, referrerVersion, housingVersion] = await Promise.all([lead, receiving, referrer, housingRow].map((i) => versionOf(i.id)));
    await assertProblem(personId, () => tom.patch(api.involvement(personId, lead.id), { domains: ['housing'], leadDomains: ['housing'], version: leadVersion }), 409, {
      leadDomains: 'Harbour Housing Options already leads on housing: change Harbour Housing Options’s involvement first, then make this agency the lead',
    });
    await assertProblem(personId, () => tom.patch(api.involvement(personId, lead.id), { domains: ['housing'], leadDomains: ['money'], version: leadVersion }), 400, {
      leadDomains: 'An agency can only lead on what it covers: also select money and benefits under what it covers, or do not make it the lead',
    });
    await assertProblem(personId, () => tom.patch(api.involvement(personId, referrer.id), { domains: ['housing'], version: referrerVersion }), 409);
    await assertProblem(personId, () => tom.patch(api.involvement(personId, UNKNOWN), { domains: ['housing'], version: 1 }), 404);
    await assertProblem(personId, () => daniel.patch(api.involvement(personId, housingRow.id), { domains: ['housing'] }), 403);

    const refusal = await assertProblem(personId, () => tom.post(api.end(personId, receiving.id), { reason: 'Trying', version: receivingVersion }), 409);
    assert.equal(refusal.code, 'INVOLVEMENT.ENDS_ELSEWHERE');
    await assertProblem(personId, () => tom.post(api.end(personId, housingRow.id), { version: housingVersion }), 400, { reason: 'Enter why the agency’s involvement is ending' });
    await assertProblem(personId, () => tom.post(api.end(personId, housingRow.id), { reason: 'r'.repeat(1001), version: housingVersion }), 400, { reason: 'The reason must be 1000 characters or fewer' });
    await assertProblem(personId, () => jade.post(api.end(personId, housingRow.id), { reason: 'Not ours', version: housingVersion }), 404);
    assert.equal((await tom.post(api.end(personId, housingRow.id), { reason: 'Done', version: housingVersion })).statusCode, 200);
    const endedVersion = await versionOf(housingRow.id);
    const again = await assertProblem(personId, () => tom.post(api.end(personId, housingRow.id), { reason: 'Again', version: endedVersion }), 409);
    assert.equal(again.code, 'INVOLVEMENT.ENDED');
  });

  test('the OpenAPI document describes the four endpoints, with the aspects of care named', async () => {
    const document = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const operations = Object.entries(document.paths as Record<string, Record<string, { tags: string[] }>>)
      .filter(([path]) => path.includes('/involvements'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.tags.join()}`));
    assert.deepEqual(operations.sort(), [
      'GET /api/v1/people/{personId}/involvements Agencies involved',
      'PATCH /api/v1/people/{personId}/involvements/{involvementId} Agencies involved',
      'POST /api/v1/people/{personId}/involvements Agencies involved',
      'POST /api/v1/people/{personId}/involvements/{involvementId}/end Agencies involved',
    ]);
    assert.match(JSON.stringify(document.paths['/api/v1/people/{personId}/involvements'].post), /"mental_health"/);
  });
});
