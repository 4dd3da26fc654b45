import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { sharingApiPaths as api } from '../../src/modules/sharing/paths.js';
import { KOFI, OWEN, PRIYA, RAJ, TOM, sharingWorld } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await sharingWorld(t);
const { kofi, owen } = world;
const tom = await apiClient(t, TOM);
const priya = await apiClient(t, PRIYA);
const housing = await apiClient(t, KOFI);
const childrens = await apiClient(t, OWEN);
const raj = await apiClient(t, RAJ);
const helen = await apiClient(t, 'helen.marsh@riverside-nhs.example');

const TODAY = '2026-03-03';
const json = (response: LightMyRequestResponse) => JSON.parse(response.body);
const consent = (over: Record<string, unknown> = {}) => ({
  decision: 'given', agencyIds: [kofi.agencyId], categories: ['mental_health'], purposes: ['housing_support'], obtainedHow: 'written', obtainedOn: TODAY, reviewDate: '2027-03-01', ...over,
});
const exception = (over: Record<string, unknown> = {}) => ({
  lawfulBasis: 'adult_protection',
  justification: 'She is being financially exploited by a lodger; the council’s safeguarding team must be told to act.',
  categories: ['finance', 'risk'],
  agencyIds: [world.raj.agencyId],
  reviewDate: '2026-09-01',
  personInformed: 'no',
  notInformedReason: 'The lodger reads her post and would learn of it',
  checklist: ['necessary', 'proportionate', 'consent_not_sought', 'recipients_told', 'advice_sought'],
  ...over,
});

/** A refusal: its status, problem+json with the fields at fault, and no sharing record written. */
async function refused(personId: string, call: () => Promise<LightMyRequestResponse>, status: number, errors?: Record<string, string>) {
  const before = await world.written(personId);
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = json(response);
  if (errors) assert.deepEqual(Object.fromEntries(problem.errors.map((e: { field: string; message: string }) => [e.field, e.message])), errors);
  assert.deepEqual(await world.written(personId), before);
  return problem;
}

describe('consent over the API', () => {
  test('record, list with names and status, withdraw once; each write and read is audited', async () => {
    const maria = await world.person();
    const before = await lastAuditId(t);
    const created = await tom.post(api.consents(maria.id), consent());
    assert.equal(created.statusCode, 201, created.body);
    const row = json(created);
    assert.deepEqual([row.decision, row.agencyIds, row.obtainedAt, row.reviewDate, row.recordedByAgency], ['given', [kofi.agencyId], '2026-03-03T10:00:00.000Z', '2027-03-01', world.tom.agencyId]);

    const listed = json(await housing.get(api.consents(maria.id)));
    assert.equal(listed.consents.length, 1);
    assert.deepEqual(listed.consents[0].agencies, [{ id: kofi.agencyId, name: 'Harbour Housing Options' }]);
    assert.equal(listed.consents[0].status, 'given');
    assert.deepEqual(listed.consents[0].recordedBy, { id: world.tom.userId, name: 'Tom Okafor' });

    const withdrawn = await housing.post(api.withdrawal(maria.id, row.id), { withdrawnOn: TODAY, obtainedHow: 'phone', notes: 'She rang' });
    assert.equal(withdrawn.statusCode, 201, withdrawn.body);
    assert.deepEqual([json(withdrawn).decision, json(withdrawn).withdraws], ['withdrawn', row.id]);
    const after = json(await housing.get(api.consents(maria.id))).consents;
    assert.deepEqual(after.map((c: { decision: string; status: string | null }) => [c.decision, c.status]), [['withdrawn', null], ['given', 'withdrawn']]);

    const again = await refused(maria.id, () => housing.post(api.withdrawal(maria.id, row.id), { withdrawnOn: TODAY, obtainedHow: 'phone' }), 409);
    assert.deepEqual([again.code, again.title], ['SHARING.NOT_WITHDRAWABLE', 'This consent has already been withdrawn.']);

    const actions = (await auditSince(t, before)).filter((e) => e.outcome === 'success').map((e) => e.action);
    assert.deepEqual(actions, ['consent.recorded', 'sharing.viewed', 'consent.withdrawn', 'sharing.viewed']);
  });

  test('a refusal carries its consequences and the services that cannot receive the information (CON-5)', async () => {
    const maria = await world.person();
    const created = await tom.post(api.consents(maria.id), consent({ decision: 'refused', reviewDate: null, agencyIds: [], agencyTypes: ['drug_and_alcohol'], consequences: 'Pathways cannot plan around her medication' }));
    assert.equal(created.statusCode, 201, created.body);
    const { consequences } = json(await tom.get(api.consents(maria.id)));
    assert.deepEqual(consequences.map((c: { parties: unknown; personWasTold: string; services: unknown }) => [c.parties, c.personWasTold, c.services]), [[
      [{ agencyType: 'drug_and_alcohol', name: 'any agency of the kind “Drug and alcohol service”', categories: ['mental_health'] }],
      'Pathways cannot plan around her medication',
      [{ teamId: (await t.pool.query(`select id from team where name = 'Pathways Recovery Team'`)).rows[0].id, teamName: 'Pathways Recovery Team', agencyName: 'Pathways Drug and Alcohol Service' }],
    ]]);
  });

  test('bad input: every field named, 400, nothing written', async () => {
    const maria = await world.person();
    await refused(maria.id, () => tom.post(api.consents(maria.id), { decision: 'maybe', agencyIds: 'all', categories: [], notes: 'n'.repeat(2001), obtainedOn: '2026-02-30' }), 400, {
      decision: 'Select whether the person gave or refused consent',
      agencyIds: 'Select agencies from the list',
      categories: 'Select the information the decision covers',
      purposes: 'Select what the information may be used for',
      obtainedHow: 'Select how the decision was given',
      obtainedOn: 'The date of the decision must be a real date',
      notes: 'The notes must be 2000 characters or fewer',
    });
    await refused(maria.id, () => tom.post(api.consents(maria.id), consent({ obtainedOn: '2026-03-04' })), 400, { obtainedOn: 'The date of the decision cannot be in the future' });
  });

  test('a person you cannot see answers 404 like one that does not exist, and an auditor (no casework) 403; nothing written', async () => {
    const maria = await world.person();
    const hidden = await refused(maria.id, () => raj.post(api.consents(maria.id), consent()), 404);
    const missing = json(await raj.get(api.consents('6f1c1c3e-8a55-4d61-9b3a-5d0f7c2a1b90')));
    assert.deepEqual(hidden, missing);
    assert.equal((await raj.get(api.consents(maria.id))).statusCode, 404);
    await refused(maria.id, () => helen.post(api.consents(maria.id), consent()), 403);
    assert.equal((await helen.get(api.consents(maria.id))).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: api.consents(maria.id) })).statusCode, 401);
  });
});

describe('restrictions over the API', () => {
  test('recorded and listed for the recording agency only; lifted by it once; another agency is told it does not exist', async () => {
    const maria = await world.person();
    const created = await tom.post(api.restrictions(maria.id), { categories: ['risk'], agencyIds: [kofi.agencyId], otherParties: 'Her brother', reason: 'Her brother works at the housing office' });
    assert.equal(created.statusCode, 201, created.body);
    const id = json(created).id;
    assert.deepEqual(json(await tom.get(api.restrictions(maria.id))).restrictions.map((r: { id: string; otherParties: string; lifted: unknown }) => [r.id, r.otherParties, r.lifted]), [[id, 'Her brother', null]]);
    assert.deepEqual(json(await housing.get(api.restrictions(maria.id))), { restrictions: [] });

    await refused(maria.id, () => housing.post(api.restrictionEnd(maria.id, id), { reason: 'We need it' }), 404);
    await refused(maria.id, () => tom.post(api.restrictionEnd(maria.id, id), {}), 400, { reason: 'Enter the reason' });
    const lifted = await tom.post(api.restrictionEnd(maria.id, id), { reason: 'She asked us to lift it' });
    assert.equal(lifted.statusCode, 201, lifted.body);
    assert.equal(json(lifted).restrictionId, id);
    assert.equal(json(await tom.get(api.restrictions(maria.id))).restrictions[0].lifted.reason, 'She asked us to lift it');
    const twice = await refused(maria.id, () => tom.post(api.restrictionEnd(maria.id, id), { reason: 'Again' }), 409);
    assert.equal(twice.title, 'This restriction has already been lifted.');
  });

  test('one entry by its reference; basic details cannot be restricted', async () => {
    const maria = await world.person();
    const entryId = await world.noteAbout(maria.id);
    const created = await tom.post(api.restrictions(maria.id), { entryType: 'note', entryId, agencyTypes: ['police'], reason: 'About her son' });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual([json(created).entryId, json(created).categories], [entryId, []]);
    const someoneElses = await world.noteAbout((await world.person()).id);
    await refused(maria.id, () => tom.post(api.restrictions(maria.id), { entryType: 'note', entryId: someoneElses, agencyIds: [kofi.agencyId], reason: 'x' }), 400, {
      entryId: 'Only Riverside NHS Mental Health Trust’s own notes about this person can be restricted here: open the note and choose “Restrict who can see this” again',
    });
    await refused(maria.id, () => tom.post(api.restrictions(maria.id), { categories: ['basic_details'], agencyIds: [kofi.agencyId], reason: 'x' }), 400, {
      categories: 'Basic details cannot be restricted: every agency involved needs them to help the person',
    });
  });
});

describe('exceptions over the API', () => {
  test('a team manager decides; a care coordinator cannot; bad input names the unconfirmed checklist points', async () => {
    const maria = await world.person();
    await refused(maria.id, () => tom.post(api.exceptions(maria.id), exception()), 403);
    const problem = await refused(maria.id, () => priya.post(api.exceptions(maria.id), exception({ checklist: ['necessary'], justification: 'Too short' })), 400);
    assert.deepEqual(problem.errors.map((e: { field: string }) => e.field), ['justification', 'checklist']);
    assert.match(problem.errors[1].message, /Not confirmed: it is proportionate.*; seeking consent.*; the recipients are told.*; advice was sought/);
    const created = await priya.post(api.exceptions(maria.id), exception());
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual([json(created).decidedBy, json(created).reviewDate], [world.priya.userId, '2026-09-01']);
  });

  test('every agency with the record sees it, the recipient included; only the deciding agency ends it, once', async () => {
    const maria = await world.person({ childrens: true });
    const id = json(await priya.post(api.exceptions(maria.id), exception({ agencyIds: [owen.agencyId] }))).id;
    const seen = json(await housing.get(api.exceptions(maria.id))).exceptions;
    assert.deepEqual(seen.map((e: { id: string; status: string; personInformed: unknown; decidedBy: { name: string } }) => [e.id, e.status, e.personInformed, e.decidedBy.name]), [
      [id, 'in_force', { informed: false, whyNot: 'The lodger reads her post and would learn of it' }, 'Priya Raman'],
    ]);
    assert.equal(json(await childrens.get(api.exceptions(maria.id))).exceptions.length, 1);

    const notTheirs = await refused(maria.id, () => childrens.post(api.exceptionEnd(maria.id, id), { reason: 'Not needed' }), 403);
    assert.equal(notTheirs.code, 'SHARING.NOT_DECIDING_AGENCY');
    const ended = await priya.post(api.exceptionEnd(maria.id, id), { reason: 'Safeguarding enquiry closed' });
    assert.equal(ended.statusCode, 201, ended.body);
    assert.equal(json(await housing.get(api.exceptions(maria.id))).exceptions[0].status, 'ended');
    await refused(maria.id, () => priya.post(api.exceptionEnd(maria.id, id), { reason: 'Again' }), 409);
  });
});
