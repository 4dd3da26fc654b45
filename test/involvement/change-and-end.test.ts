import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { textOf } from '../support/casework.js';
import { involvementPaths as paths } from '../../src/modules/involvement/paths.js';
import { DANIEL, housingForm, involvementWorld, JADE, KOFI, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const w = await involvementWorld(t);
const tom = await w.browser(TOM);

/** A person in Riverside's care with Harbour Housing added as a partner leading on housing. */
async function withHousing(name: [string, string]) {
  const personId = await w.personInCare(name);
  await w.consent(personId, { agencyIds: [w.ids.housing, w.ids.pathways] });
  const { posted } = await submit(tom, paths.add(personId), housingForm(w.ids));
  assert.equal(posted.statusCode, 303);
  const housing = (await w.involvementOf(personId, w.ids.housing))!;
  const riverside = (await w.involvementOf(personId, w.ids.riverside, 'lead_agency'))!;
  return { personId, housing, riverside };
}

/** The person's involvement rows as they stand, to compare before and after a refusal. */
const snapshot = async (personId: string) => JSON.stringify(await w.involvements(personId));
const actions = async (since: number) => (await auditSince(t, since)).map((e) => e.action);

async function refusedPost(url: string, personId: string, form: Record<string, string | string[]>, expected: string[], status = 400) {
  const before = await snapshot(personId);
  const audit = await lastAuditId(t);
  const { posted, landed } = await submit(tom, url, form);
  assert.equal(posted.statusCode, 303);
  assert.equal(landed.statusCode, status);
  assert.deepEqual(errorSummary(landed.body), expected);
  assert.equal(await snapshot(personId), before, 'nothing is written');
  assert.deepEqual((await actions(audit)).filter((a) => a === 'involvement.changed' || a === 'involvement.ended'), []);
  return landed;
}

describe('the agencies involved page', () => {
  test('lists who is involved and in what role, marks every aspect of care with no lead, and records the read', async () => {
    const personId = await w.personInCare(['Iwan', 'Viewed']);
    const before = await lastAuditId(t);
    const page = await tom.get(paths.agencies(personId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /aria-current="page"[^>]*>\s*Agencies involved/, 'the record frame marks the section');
    const rows = page.body.match(/<tr class="govuk-table__row" data-qa="involvement"[\s\S]*?<\/tr>/g)!.map(textOf);
    assert.equal(rows.length, 3);
    assert.match(rows.join('\n'), /Riverside NHS Mental Health Trust Riverside Community Mental Health Team Received a referral Not recorded None Not recorded Not recorded 3 March 2026/);
    assert.match(rows.join('\n'), /Riverside NHS Mental Health Trust Riverside Community Mental Health Team Lead agency/);
    assert.match(rows.join('\n'), /Northshire County Council Adult Social Care Adult Social Care Duty Team Referred/);
    assert.equal((page.body.match(/data-qa="no-lead"/g) ?? []).length, 10);
    assert.match(page.body, /No agency’s involvement has ended/);
    assert.match(page.body, /data-qa="add-agency"/);
    const viewed = (await auditSince(t, before)).filter((e) => e.action === 'involvement.viewed');
    assert.equal(viewed.length, 1);
    assert.equal((await t.pool.query('select person_id from audit_event where id = $1', [viewed[0]!.id])).rows[0].person_id, personId);
  });

  test('the involvements a referral or case started can be changed but not ended here', async () => {
    const { personId, housing, riverside } = await withHousing(['Jac', 'Links']);
    const page = await tom.get(paths.agencies(personId));
    assert.match(page.body, new RegExp(`href="${paths.change(personId, riverside.id)}"`));
    assert.doesNotMatch(page.body, new RegExp(`href="${paths.end(personId, riverside.id)}"`));
    assert.match(page.body, new RegExp(`href="${paths.end(personId, housing.id)}"`));
  });
});

describe('changing an agency’s involvement', () => {
  test('the form shows what is recorded; the change is saved and recorded field by field, from and to', async () => {
    const { personId, housing } = await withHousing(['Kian', 'Changes']);
    const form = await tom.get(paths.change(personId, housing.id));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="domains" type="checkbox" value="money" checked/);
    assert.match(form.body, /name="leadDomains" type="checkbox" value="housing" checked/);
    assert.match(form.body, /value="Kofi Mensah"/);

    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.change(personId, housing.id), {
      ...housingForm(w.ids),
      version: await w.versionOf(housing.id),
      domains: ['housing', 'money', 'daily_living'],
      leadDomains: ['housing', 'money'],
      contactPhone: '01632 960 399',
    });
    assert.equal(posted.statusCode, 303);
    assert.match(landed.body, /Harbour Housing Options’s involvement has been updated/);
    const row = (await w.involvementOf(personId, w.ids.housing))!;
    assert.deepEqual(row.domains, ['housing', 'money', 'daily_living']);
    assert.deepEqual(row.lead_domains, ['housing', 'money']);
    const changed = (await auditSince(t, before)).find((e) => e.action === 'involvement.changed')!;
    assert.equal(changed.subject_id, housing.id);
    assert.deepEqual(changed.details.changes, {
      domains: { from: ['housing', 'money'], to: ['housing', 'money', 'daily_living'] },
      leadDomains: { from: ['housing'], to: ['housing', 'money'] },
      contactPhone: { from: '01632 960 300', to: '01632 960 399' },
    });
    assert.match(textOf(/data-qa="domain-money">[\s\S]*?<\/div>/.exec(landed.body)![0]), /Harbour Housing Options/);
  });

  test('a second lead is refused naming the agency that leads; the coordinator changes that one first, then the handover goes through', async () => {
    const { personId, housing, riverside } = await withHousing(['Lowri', 'Handover']);
    await refusedPost(paths.change(personId, riverside.id), personId, { domains: ['mental_health', 'housing'], leadDomains: ['mental_health', 'housing'], version: await w.versionOf(riverside.id) }, [
      'leadDomains: Harbour Housing Options already leads on housing: change Harbour Housing Options’s involvement first, then make this agency the lead',
    ]);
    assert.equal((await submit(tom, paths.change(personId, housing.id), { ...housingForm(w.ids), leadDomains: [], version: await w.versionOf(housing.id) })).posted.statusCode, 303);
    const handover = { domains: ['mental_health', 'housing'], leadDomains: ['mental_health', 'housing'], version: await w.versionOf(riverside.id) };
    assert.equal((await submit(tom, paths.change(personId, riverside.id), handover)).posted.statusCode, 303);
    assert.deepEqual((await w.involvementOf(personId, w.ids.riverside, 'lead_agency'))!.lead_domains, ['mental_health', 'housing']);
  });

  test('missing aspects, a lead outside what it covers and text too long are refused with what was typed kept', async () => {
    const { personId, housing } = await withHousing(['Macsen', 'Mistakes']);
    const url = paths.change(personId, housing.id);
    const version = await w.versionOf(housing.id);
    await refusedPost(url, personId, { ...housingForm(w.ids), version, domains: [], leadDomains: [] }, ['domains: Select which aspects of care the agency covers']);
    await refusedPost(url, personId, { ...housingForm(w.ids), version, domains: ['money'], leadDomains: ['housing'] }, [
      'leadDomains: An agency can only lead on what it covers: also select housing under what it covers, or do not make it the lead',
    ]);
    const landed = await refusedPost(url, personId, { ...housingForm(w.ids), version, contactPhone: '0'.repeat(201), contactRole: 'r'.repeat(201) }, [
      'contactRole: The key contact’s role must be 200 characters or fewer',
      'contactPhone: The key contact’s telephone number must be 200 characters or fewer',
    ]);
    assert.match(landed.body, new RegExp(`value="${'0'.repeat(201)}"`));
  });

  test('a practitioner is refused (403), an agency not involved is told there is no such person (404), an unknown involvement is not found', async () => {
    const { personId, housing } = await withHousing(['Nia', 'Guarded']);
    const before = await snapshot(personId);
    const daniel = await w.browser(DANIEL);
    assert.equal((await daniel.get(paths.change(personId, housing.id))).statusCode, 403);
    assert.equal((await daniel.post(paths.change(personId, housing.id), housingForm(w.ids))).statusCode, 403);
    const jade = await w.browser(JADE);
    assert.equal((await jade.get(paths.change(personId, housing.id))).statusCode, 404);
    assert.equal((await jade.post(paths.change(personId, housing.id), housingForm(w.ids))).statusCode, 404);
    assert.equal((await tom.get(paths.change(personId, '00000000-0000-4000-8000-000000000000'))).statusCode, 404);
    assert.equal((await tom.get(paths.change(personId, 'not-a-reference'))).statusCode, 404);
    assert.equal(await snapshot(personId), before);
  });
});

describe('ending an agency’s involvement', () => {
  test('the coordinator ends it with a reason: it is listed as ended, recorded, and the agency loses access on its very next request', async () => {
    const { personId, housing } = await withHousing(['Owain', 'Ended']);
    const kofi = await w.browser(KOFI);
    assert.equal((await kofi.get(`/people/${personId}`)).statusCode, 200);

    const form = await tom.get(paths.end(personId, housing.id));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Harbour Housing Options will no longer be able to open Owain Ended’s record/);
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.end(personId, housing.id), { reason: 'Tenancy secured; housing support no longer needed', version: await w.versionOf(housing.id) });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.agencies(personId));
    assert.match(landed.body, /Harbour Housing Options’s involvement has ended/);
    const ended = textOf(/<tr class="govuk-table__row" data-qa="ended-involvement">[\s\S]*?<\/tr>/.exec(landed.body)![0]);
    assert.equal(ended, 'Harbour Housing Options Housing Options and Homelessness Partner agency 3 March 2026 3 March 2026 Tenancy secured; housing support no longer needed');
    assert.doesNotMatch(textOf(/data-qa="domain-housing">[\s\S]*?<\/div>/.exec(landed.body)![0]), /Harbour/, 'its lead ends with it');
    const events = await auditSince(t, before);
    const endedEvent = events.find((e) => e.action === 'involvement.ended')!;
    assert.equal(endedEvent.subject_id, housing.id);
    assert.equal(endedEvent.details.reason, 'Tenancy secured; housing support no longer needed');

    assert.equal((await kofi.get(`/people/${personId}`)).statusCode, 404, 'housing cannot open the record any more');
    assert.equal((await kofi.get(paths.agencies(personId))).statusCode, 404);
  });

  test('a reason is needed, of 1000 characters or fewer; an involvement already ended cannot be ended again', async () => {
    const { personId, housing } = await withHousing(['Pryderi', 'Reasons']);
    const url = paths.end(personId, housing.id);
    const version = await w.versionOf(housing.id);
    await refusedPost(url, personId, { reason: '  ', version }, ['reason: Enter why the agency’s involvement is ending']);
    const landed = await refusedPost(url, personId, { reason: 'z'.repeat(1001), version }, ['reason: The reason must be 1000 characters or fewer']);
    assert.match(landed.body, /z{1001}<\/textarea>/);
    assert.equal((await submit(tom, url, { reason: 'No longer needed', version })).posted.statusCode, 303);
    const again = await submit(tom, url, { reason: 'Again', version: await w.versionOf(housing.id) });
    assert.equal(again.posted.statusCode, 303);
    assert.equal(again.landed.statusCode, 409);
    assert.match(again.landed.body, /Harbour Housing Options’s involvement has already ended/);
  });

  test('a receiving service’s involvement ends with its referral, not here, and the page says why', async () => {
    const personId = await w.personInCare(['Rhodri', 'Referral']);
    const receiving = (await w.involvementOf(personId, w.ids.riverside, 'receiving_service'))!;
    const url = paths.end(personId, receiving.id);
    const form = await tom.get(url);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /data-qa="ends-elsewhere"/);
    assert.doesNotMatch(form.body, /data-qa="end-form"/);
    await refusedPost(url, personId, { reason: 'Trying anyway', version: await w.versionOf(receiving.id) }, [
      'main-content: Riverside NHS Mental Health Trust received a referral for this person that is still open: its involvement ends when the referral is closed (signposted, not eligible or withdrawn) or, once allocated, when the case is discharged.',
    ]);
    const lead = (await w.involvementOf(personId, w.ids.riverside, 'lead_agency'))!;
    await refusedPost(paths.end(personId, lead.id), personId, { reason: 'Trying anyway', version: await w.versionOf(lead.id) }, [
      'main-content: Riverside NHS Mental Health Trust is the lead agency for an open case: its involvement ends when the case is discharged, or passes to another agency by a transfer of care.',
    ]);
  });

  test('a coordinator who ends their own agency’s part is sent to search, and can no longer open the record', async () => {
    const { personId } = await withHousing(['Siân', 'Stepping-Back']);
    assert.equal((await submit(tom, paths.add(personId), { ...housingForm(w.ids), agencyId: w.ids.pathways, teamId: w.ids.pathwaysTeam, leadDomains: [], domains: ['substance_use'] })).posted.statusCode, 303);
    const pathways = (await w.involvementOf(personId, w.ids.pathways))!;
    const jade = await w.browser(JADE);
    assert.equal((await jade.get(paths.agencies(personId))).statusCode, 200);
    const { posted, landed } = await submit(jade, paths.end(personId, pathways.id), { reason: 'Not using substances; discharged from Pathways', version: await w.versionOf(pathways.id) });
    assert.equal(posted.headers.location, '/people/search');
    assert.match(landed.body, /Your agency is no longer involved, so you can no longer open the record/);
    assert.equal((await jade.get(paths.agencies(personId))).statusCode, 404);
  });

  test('a practitioner cannot end an involvement (403), nor can an agency not involved (404)', async () => {
    const { personId, housing } = await withHousing(['Tegid', 'Guarded']);
    const before = await snapshot(personId);
    const daniel = await w.browser(DANIEL);
    assert.equal((await daniel.get(paths.end(personId, housing.id))).statusCode, 403);
    assert.equal((await daniel.post(paths.end(personId, housing.id), { reason: 'No' })).statusCode, 403);
    const jade = await w.browser(JADE);
    assert.equal((await jade.post(paths.end(personId, housing.id), { reason: 'No' })).statusCode, 404);
    assert.equal(await snapshot(personId), before);
  });
});
