import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { assessmentsApiPaths as api, assessmentsPaths as paths } from '../../src/modules/assessments/paths.js';
import { HELEN, KOFI, RAJ, TOM } from '../notes/world.js';
import { assessmentsWorld } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await assessmentsWorld(t);
const tom = await new Browser(t.app).signIn(TOM);
const kofi = await new Browser(t.app).signIn(KOFI);
const tomApi = await apiClient(t, TOM);
const kofiApi = await apiClient(t, KOFI);
const rajApi = await apiClient(t, RAJ);
const helenApi = await apiClient(t, HELEN);

const FIRST = { heldBy: 'Northshire GP practice', informationSought: 'Medication history for the assessment', step: 'supervisor', escalatedTo: 'Priya Raman, team manager', answer: 'She will call the practice manager', resolved: 'no' };
const steps = async (personId: string) => (await t.pool.query('select step, resolved, difficulty_id from information_escalation where person_id = $1 order by recorded_at', [personId])).rows;

async function assertNothingWritten(personId: string, call: () => Promise<{ statusCode: number; body: string }>, status: number) {
  const before = { rows: await steps(personId), audit: await lastAuditId(t) };
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.deepEqual(await steps(personId), before.rows);
  assert.deepEqual((await auditSince(t, before.audit)).filter((e) => e.outcome === 'success').map((e) => e.action), []);
  return response;
}

describe('escalating difficulty getting information (ASSESS-6)', () => {
  test('each step is recorded with its answer, up the ladder until resolved, and shown in order', async () => {
    const person = await world.person();
    await tom.get(paths.escalationNew(person.id));
    const before = await lastAuditId(t);
    assert.equal((await tom.post(paths.escalationNew(person.id), FIRST)).statusCode, 303);
    const [{ difficulty_id: difficultyId }] = await steps(person.id);
    t.clock.advance(60_000);
    await tom.get(paths.escalationStep(person.id, difficultyId));
    assert.equal((await tom.post(paths.escalationStep(person.id, difficultyId), { step: 'manager', escalatedTo: 'Dr Lin, service manager', answer: 'Wrote to the practice', resolved: 'no' })).statusCode, 303);
    assert.equal((await tom.post(paths.escalationStep(person.id, difficultyId), { step: 'onward', escalatedTo: 'Head of service', answer: 'The practice sent the history', resolved: 'yes' })).statusCode, 303);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action !== 'person.viewed').map((e) => e.action), ['assessment.escalated', 'assessment.escalated', 'assessment.escalated']);
    assert.deepEqual((await steps(person.id)).map((s) => [s.step, s.resolved]), [['supervisor', false], ['manager', false], ['onward', true]]);

    const page = textOf((await tom.get(paths.escalations(person.id))).body);
    assert.match(page, /Information held by Northshire GP practice Resolved Medication history for the assessment/);
    assert.match(page, /Taken to the supervisor: Priya Raman, team manager, 3 March 2026 at 10:00am, recorded by Tom Okafor\. Answer: She will call the practice manager/);
    assert.match(page, /Taken to the onward .*Answer: The practice sent the history/);
    assert.doesNotMatch(page, /Record the next step/, 'a resolved difficulty goes no further');
    await assert.rejects(t.pool.query(`update information_escalation set answer = 'changed' where person_id = $1`, [person.id]), /never changed/);
  });

  test('refused, with nothing written: missing answers, going back down the ladder, onward first, a step after it is resolved', async () => {
    const person = await world.person();
    await tom.get(paths.escalationNew(person.id));
    await assertNothingWritten(person.id, () => tom.post(paths.escalationNew(person.id), {}), 303);
    assert.deepEqual(errorSummary((await tom.get(paths.escalationNew(person.id))).body), [
      'step: Select who it was taken to',
      'escalatedTo: Enter who it was taken to (name and role)',
      'answer: Enter what they said or did',
      'resolved: Select whether the information has now been obtained',
      'heldBy: Enter the agency or service that holds the information',
      'informationSought: Enter what information is needed and why',
    ]);
    await assertNothingWritten(person.id, () => tom.post(paths.escalationNew(person.id), { ...FIRST, step: 'onward' }), 303);
    assert.match(errorSummary((await tom.get(paths.escalationNew(person.id))).body)[0]!, /supervisor or manager first/);

    const first = await t.services.escalations.escalate(world.tom, person.id, { ...FIRST, step: 'manager' });
    const back = await assertNothingWritten(person.id, () => tomApi.post(api.escalationSteps(person.id, first.id), { step: 'supervisor', escalatedTo: 'A supervisor', answer: 'None', resolved: 'no' }), 409);
    assert.match(JSON.parse(back.body).title, /already been taken to the manager: take it further/);
    await t.services.escalations.escalateFurther(world.tom, person.id, first.id, { step: 'onward', escalatedTo: 'Head of service', answer: 'Sent', resolved: 'yes' });
    await assertNothingWritten(person.id, () => tomApi.post(api.escalationSteps(person.id, first.id), { step: 'onward', escalatedTo: 'Director', answer: 'None', resolved: 'no' }), 409);
    await assertNothingWritten(person.id, () => tomApi.post(api.escalations(person.id), { ...FIRST, answer: 'x'.repeat(5001) }), 400);
  });

  test('another agency neither sees nor takes further a difficulty it has no consent to see; a person not involved is 404; an auditor 403', async () => {
    const person = await world.person();
    const first = await t.services.escalations.escalate(world.tom, person.id, FIRST);
    const theirs = await kofi.get(paths.escalations(person.id));
    assert.equal(theirs.statusCode, 200);
    assert.doesNotMatch(theirs.body, /Northshire GP practice/);
    assert.deepEqual(JSON.parse((await kofiApi.get(api.escalations(person.id))).body).difficulties, []);
    await assertNothingWritten(person.id, () => kofiApi.post(api.escalationSteps(person.id, first.id), { step: 'manager', escalatedTo: 'X', answer: 'Y', resolved: 'no' }), 404);
    await assertNothingWritten(person.id, () => rajApi.post(api.escalations(person.id), FIRST), 404);
    await assertNothingWritten(person.id, () => helenApi.post(api.escalations(person.id), FIRST), 403);
    assert.equal((await tom.get(paths.escalationStep(person.id, '6d3f3f0e-1111-4222-8333-444455556666'))).statusCode, 404);
  });
});
