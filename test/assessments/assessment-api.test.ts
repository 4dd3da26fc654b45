import { describe, test } from 'node:test';
import { assertApiRefused } from '../support/refused.js';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { assessmentsApiPaths as api } from '../../src/modules/assessments/paths.js';
import { DOMAINS } from '../../src/modules/assessments/rules.js';
import { HELEN, KOFI, RAJ, TOM } from '../notes/world.js';
import { AGREED, ANSWERED, assessmentsWorld, OUTCOME } from './world.js';
import { momentOf } from '../../src/platform/access/facts.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await assessmentsWorld(t);

const tom = await apiClient(t, TOM);
const kofi = await apiClient(t, KOFI);
const raj = await apiClient(t, RAJ);
const helen = await apiClient(t, HELEN);

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);
const fieldsOf = (response: Response) => Object.fromEntries(json(response).errors.map((e: { field: string; message: string }) => [e.field, e.message]));

const assertRefused = (personId: string, call: () => Promise<Response>, status: number) => assertApiRefused(t, () => world.rows(personId), call, status);

describe('assessments (API)', () => {
  test('start, save each domain and the outcome against the version read, complete: 201 with the signed assessment, each step audited', async () => {
    const person = await world.person();
    const before = await lastAuditId(t);
    const started = await tom.post(api.drafts(person.id), AGREED);
    assert.equal(started.statusCode, 201, started.body);
    let draft = json(started);
    assert.equal(draft.version, 1);
    for (const { key } of DOMAINS) {
      const saved = await tom.put(api.domain(person.id, draft.id, key), { ...ANSWERED, version: draft.version });
      assert.equal(saved.statusCode, 200, saved.body);
      draft = json(saved);
    }
    draft = json(await tom.put(api.outcome(person.id, draft.id), { ...OUTCOME, version: draft.version }));
    const read = json(await tom.get(api.draft(person.id, draft.id)));
    assert.deepEqual([read.outcomeState, read.sections.every((s: { state: string }) => s.state === 'completed'), read.mine], ['completed', true, true]);
    const done = await tom.post(api.completion(person.id, draft.id), { version: draft.version });
    assert.equal(done.statusCode, 201, done.body);
    const signed = json(done);
    assert.deepEqual([signed.signedName, signed.authorRole, signed.signedAgencyName, signed.completedAt], ['Tom Okafor', 'care_coordinator', 'Riverside NHS Mental Health Trust', '2026-03-03T10:00:00.000Z']);
    const actions = (await auditSince(t, before)).map((e) => e.action);
    assert.deepEqual([actions[0], actions.filter((a) => a === 'assessment.draft_saved').length, actions.at(-1)], ['assessment.started', 17, 'assessment.completed']);
    const listed = json(await tom.get(api.assessments(person.id)));
    assert.deepEqual([listed.assessments.map((a: { id: string }) => a.id), listed.drafts], [[signed.id], []]);
  });

  test('a save against a version someone has saved since answers 409 and writes nothing', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tom.actor, person.id, AGREED);
    assert.equal((await tom.put(api.domain(person.id, draft.id, 'risk'), { ...ANSWERED, version: 1 })).statusCode, 200);
    const stale = await assertRefused(person.id, () => tom.put(api.domain(person.id, draft.id, 'risk'), { ...ANSWERED, needs: 'Other', version: 1 }), 409);
    assert.equal(json(stale).code, 'ASSESSMENTS.DRAFT_CHANGED');
    await assertRefused(person.id, () => tom.put(api.outcome(person.id, draft.id), { ...OUTCOME, version: 1 }), 409);
  });

  test('bad input: missing, malformed and too long are named field by field; 400, nothing written', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tom.actor, person.id, AGREED);
    assert.deepEqual(fieldsOf(await assertRefused(person.id, () => tom.post(api.drafts(person.id), { kind: 'weekly' }), 400)), {
      kind: 'Select what kind of assessment this is',
      assessmentAgreement: 'Select whether the person agreed to be assessed',
      sharingAgreement: 'Select whether the person agreed to their information being shared',
    });
    assert.deepEqual(fieldsOf(await assertRefused(person.id, () => tom.put(api.domain(person.id, draft.id, 'risk'), { ...ANSWERED, needs: 'x'.repeat(5001), verified: 'perhaps' }), 400)), {
      version: 'Reload the draft and save again: the version of the draft you changed is missing or wrong',
      needs: 'The needs must be 5,000 characters or fewer',
      verified: 'Select whether the information was verified',
    });
    assert.deepEqual(fieldsOf(await assertRefused(person.id, () => tom.put(api.domain(person.id, draft.id, 'risk'), { status: 'assessed', needs: 'Some', version: 1 }), 400)), {
      source: 'Enter where this information came from',
      verified: 'Select whether the information was verified',
    });
    // "later" keeps a part-answer.
    assert.equal((await tom.put(api.domain(person.id, draft.id, 'risk'), { status: 'assessed', needs: 'Some', version: 1, mode: 'later' })).statusCode, 200);
    const incomplete = await assertRefused(person.id, () => tom.post(api.completion(person.id, draft.id), { version: 2 }), 400);
    assert.equal(json(incomplete).code, 'ASSESSMENTS.INCOMPLETE');
    assert.equal(fieldsOf(incomplete)['domain-abuse'], 'Ask about abuse: it is asked of everyone (ASSESS-2)');
    assert.equal(fieldsOf(incomplete)['domain-risk'], 'Risk: enter where this information came from');
    await assertRefused(person.id, () => tom.put(api.domain(person.id, draft.id, 'astrology'), { ...ANSWERED, version: 2 }), 404);
  });

  test('wrong agency or no access: a draft is its team’s (404 to a partner), a person not involved is 404, an auditor 403; nothing written', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tom.actor, person.id, AGREED);
    await assertRefused(person.id, () => kofi.get(api.draft(person.id, draft.id)), 404);
    await assertRefused(person.id, () => kofi.put(api.domain(person.id, draft.id, 'risk'), { ...ANSWERED, version: 1 }), 404);
    await assertRefused(person.id, () => kofi.post(api.completion(person.id, draft.id), { version: 1 }), 404);
    await assertRefused(person.id, () => raj.post(api.drafts(person.id), AGREED), 404);
    await assertRefused(person.id, () => raj.get(api.assessments(person.id)), 404);
    await assertRefused(person.id, () => helen.post(api.drafts(person.id), AGREED), 403);
  });

  test('a partner reads each domain only as far as consent allows; hidden domains carry their category and why, never their content', async () => {
    const person = await world.person();
    const done = await world.completed(tom.actor, person.id);
    await world.consentForHousing(person.id, ['housing']);
    const shown = json(await kofi.get(api.assessment(person.id, done.id)));
    const housing = shown.domains.find((d: { key: string }) => d.key === 'housing_household');
    const mental = shown.domains.find((d: { key: string }) => d.key === 'mental_health');
    assert.equal(housing.answer.needs, 'housing_household: needs');
    assert.deepEqual([mental.answer, mental.hidden], [null, { section: 'mental_health', category: 'mental_health', why: 'no_consent' }]);
    assert.deepEqual([shown.outcome, shown.outcomeHidden?.category], [null, 'care_plan']);
    assert.doesNotMatch(JSON.stringify(shown), /mental_health: needs/);
  });

  test('a completed assessment is an entry in the registry: its summary says what it is, never what it holds, and stands beside notes', async () => {
    const person = await world.person();
    const done = await world.completed(tom.actor, person.id, { kind: 'short_term' });
    const at = momentOf(t.clock);
    const [summary] = await t.services.entryKinds.latestOf(t.db, kofi.actor, at, person.id, 5);
    assert.deepEqual(
      { ...summary, recordedAt: summary!.recordedAt.toISOString() },
      { type: 'assessment', id: done.id, personId: person.id, title: 'Assessment for short-term work', category: 'basic_details', owningAgencyId: tom.actor.agencyId, recordedAt: done.completedAt.toISOString(), significant: true },
    );
    assert.deepEqual(await t.services.entryKinds.latestOf(t.db, raj.actor, at, person.id, 5), []);
  });

  test('the OpenAPI document describes the assessment endpoints', async () => {
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const paths = Object.keys(doc.paths).filter((p) => p.includes('assessment'));
    assert.deepEqual(paths.sort(), [
      '/api/v1/people/{personId}/assessment-drafts',
      '/api/v1/people/{personId}/assessment-drafts/{draftId}',
      '/api/v1/people/{personId}/assessment-drafts/{draftId}/completion',
      '/api/v1/people/{personId}/assessment-drafts/{draftId}/domains/{domain}',
      '/api/v1/people/{personId}/assessment-drafts/{draftId}/outcome',
      '/api/v1/people/{personId}/assessments',
      '/api/v1/people/{personId}/assessments/{assessmentId}',
    ]);
    assert.ok(doc.paths['/api/v1/people/{personId}/assessment-drafts/{draftId}/domains/{domain}'].put);
  });
});
