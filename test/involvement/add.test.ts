import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { textOf } from '../support/casework.js';
import { involvementPaths as paths } from '../../src/modules/involvement/paths.js';
import { DANIEL, housingForm, involvementWorld, JADE, KOFI, SOPHIE, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const w = await involvementWorld(t);
const tom = await w.browser(TOM);
const kofi = await w.browser(KOFI);

const actions = async (since: number) => (await auditSince(t, since)).map((e) => e.action);

/** Posts the add form and checks the refusal: a 400 page with these messages, and nothing written. */
async function refused(personId: string, form: Record<string, string | string[]>, expected: string[]) {
  const rows = await countRows(t, 'involvement');
  const before = await lastAuditId(t);
  const { posted, landed } = await submit(tom, paths.add(personId), form);
  assert.equal(posted.statusCode, 303, 'a refused form goes back to itself');
  assert.equal(landed.statusCode, 400);
  assert.deepEqual(errorSummary(landed.body), expected);
  assert.equal(await countRows(t, 'involvement'), rows, 'no involvement is written');
  assert.ok(!(await actions(before)).includes('involvement.started'));
  return landed;
}

describe('adding an agency to a person’s care (COORD-6)', () => {
  test('the coordinator adds housing, with consent: it is listed with what it covers and leads on, recorded, and housing can now open the record', async () => {
    const personId = await w.personInCare(['Aled', 'Jones']);
    const consentId = await w.consent(personId, { agencyIds: [w.ids.housing] });
    assert.equal((await kofi.get(`/people/${personId}`)).statusCode, 404, 'housing cannot open the record before it is involved');

    const form = await tom.get(paths.add(personId));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Adding an agency shares Aled Jones’s record with it/);
    assert.match(form.body, new RegExp(`href="/people/${personId}/sharing"`));
    assert.match(form.body, /<option value="[^"]+">Harbour Housing Options<\/option>/);
    assert.doesNotMatch(form.body, />Riverside NHS Mental Health Trust<\/option>/, 'an agency already involved is not offered');

    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.add(personId), housingForm(w.ids));
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.agencies(personId));
    assert.equal(landed.statusCode, 200);
    assert.match(landed.body, /Harbour Housing Options has been added as a partner agency/);

    const row = (await w.involvementOf(personId, w.ids.housing))!;
    assert.equal(row.role, 'partner');
    assert.equal(row.team_id, w.ids.housingTeam);
    assert.deepEqual(row.domains, ['housing', 'money']);
    assert.deepEqual(row.lead_domains, ['housing']);
    assert.deepEqual(JSON.parse(row.key_contact!), { name: 'Kofi Mensah', role: 'Housing options officer', phone: '01632 960 300' });
    assert.equal(row.source_type, 'coordinator');

    const events = await auditSince(t, before);
    const started = events.find((e) => e.action === 'involvement.started')!;
    assert.equal(started.subject_id, row.id);
    assert.equal(started.details.agencyId, w.ids.housing);
    assert.deepEqual(started.details.sharedUnder, { kind: 'consent', id: consentId });

    const shown = landed.body.match(/<tr class="govuk-table__row" data-qa="involvement" data-involvement-id="[^"]+">[\s\S]*?<\/tr>/g)!.map(textOf);
    const housing = shown.find((r) => r.startsWith('Harbour Housing Options'))!;
    assert.match(housing, /Housing Options and Homelessness Partner agency Housing Money and benefits Housing Kofi Mensah Housing options officer 01632 960 300 Monthly MDT; urgent matters by phone to the housing duty worker 3 March 2026/);
    const housingLead = textOf(/<div class="govuk-summary-list__row" data-qa="domain-housing">[\s\S]*?<\/div>/.exec(landed.body)![0]);
    assert.match(housingLead, /^Housing Harbour Housing Options\s?: Kofi Mensah, 01632 960 300$/);

    assert.equal((await kofi.get(`/people/${personId}`)).statusCode, 200, 'housing sees the record from its next request');
  });

  test('consent to a kind of agency, or an exception naming it, also lets it be added; a later refusal or an expired consent does not', async () => {
    const byKind = await w.personInCare(['Bethan', 'Kind']);
    await w.consent(byKind, { agencyTypes: ['housing'] });
    assert.equal((await submit(tom, paths.add(byKind), housingForm(w.ids))).posted.statusCode, 303);

    const refusedLater = await w.personInCare(['Carys', 'Refused']);
    await w.consent(refusedLater, { agencyIds: [w.ids.housing] }, { obtainedAt: '2026-01-01T10:00:00Z' });
    await w.consent(refusedLater, { agencyIds: [w.ids.housing] }, { decision: 'refused', obtainedAt: '2026-02-01T10:00:00Z' });
    await refused(refusedLater, housingForm(w.ids), ['agencyId: There is no consent in force to share Carys Refused’s information with Harbour Housing Options: record Carys Refused’s consent first, on the Consent and sharing page']);

    const expired = await w.personInCare(['Dai', 'Expired']);
    await w.consent(expired, { agencyIds: [w.ids.housing] }, { reviewDate: '2026-03-02' });
    await refused(expired, housingForm(w.ids), ['agencyId: There is no consent in force to share Dai Expired’s information with Harbour Housing Options: record Dai Expired’s consent first, on the Consent and sharing page']);

    const underException = await w.personInCare(['Efa', 'Exception']);
    await t.pool.query(
      `insert into sharing_exception (person_id, lawful_basis, justification, categories, agency_ids, checklist, decided_by, decided_by_agency, decided_at, review_date, person_informed)
       values ($1, 'serious_harm_to_person', 'Imminent eviction with risk to life', '{housing}', $2, '{}', $3, $4, now(), '2026-04-01', 'not_yet')`,
      [underException, [w.ids.housing], w.actors.priya.userId, w.ids.riverside],
    );
    assert.equal((await submit(tom, paths.add(underException), housingForm(w.ids))).posted.statusCode, 303);
  });

  describe('what is refused, with a message, a 400 page and nothing written', () => {
    let personId = '';
    test('setup: a person who consented to share with housing, drug and alcohol services and probation', async () => {
      personId = await w.personInCare(['Ffion', 'Refusals']);
      await w.consent(personId, { agencyIds: [w.ids.housing, w.ids.pathways, w.ids.probation] });
    });

    test('no aspect of care, no agency and no role', async () => {
      await refused(personId, { agencyId: '', role: '' }, [
        'agencyId: Select the agency',
        'role: Select whether the agency is a partner or the lead agency',
        'domains: Select which aspects of care the agency covers',
      ]);
    });

    test('leading on an aspect it does not cover; what was typed is kept', async () => {
      const landed = await refused(personId, { ...housingForm(w.ids), domains: 'housing', leadDomains: ['housing', 'safety'] }, [
        'leadDomains: An agency can only lead on what it covers: also select safety and risk under what it covers, or do not make it the lead',
      ]);
      assert.match(landed.body, /value="Kofi Mensah"/);
      assert.match(landed.body, /name="domains" type="checkbox" value="housing" checked/);
      assert.match(landed.body, /name="leadDomains" type="checkbox" value="safety" checked/);
      assert.match(landed.body, new RegExp(`<option value="${w.ids.housing}" selected>Harbour Housing Options</option>`));
    });

    test('text that is too long', async () => {
      await refused(personId, { ...housingForm(w.ids), contactName: 'x'.repeat(201), communication: 'y'.repeat(1001) }, [
        'contactName: The key contact’s name must be 200 characters or fewer',
        'communication: How the agencies communicate must be 1000 characters or fewer',
      ]);
    });

    test('an agency that does not exist, and a team of another agency', async () => {
      await refused(personId, { ...housingForm(w.ids), agencyId: '00000000-0000-4000-8000-000000000000' }, ['agencyId: Select an agency from the list']);
      await refused(personId, { ...housingForm(w.ids), teamId: w.ids.pathwaysTeam }, ['teamId: Select a team of Harbour Housing Options, or no team']);
    });

    test('no consent for the agency: the person’s consent must be recorded first', async () => {
      const landed = await refused(personId, { ...housingForm(w.ids), agencyId: w.ids.council, teamId: '' }, [
        'agencyId: There is no consent in force to share Ffion Refusals’s information with Northshire County Council Adult Social Care: record Ffion Refusals’s consent first, on the Consent and sharing page',
      ]);
      assert.match(landed.body, new RegExp(`href="/people/${personId}/sharing"`));
    });

    test('an agency already involved cannot be added twice', async () => {
      await refused(personId, { ...housingForm(w.ids), agencyId: w.ids.riverside, teamId: '', leadDomains: [] }, [
        'agencyId: Riverside NHS Mental Health Trust is already involved in Ffion Refusals’s care: change its involvement instead of adding it again',
      ]);
      assert.equal((await submit(tom, paths.add(personId), housingForm(w.ids))).posted.statusCode, 303);
      await refused(personId, { ...housingForm(w.ids), leadDomains: [] }, ['agencyId: Harbour Housing Options is already involved in Ffion Refusals’s care: change its involvement instead of adding it again']);
    });

    test('a second lead on an aspect of care is refused, naming the agency that leads on it', async () => {
      await refused(personId, { ...housingForm(w.ids), agencyId: w.ids.pathways, teamId: w.ids.pathwaysTeam, domains: ['housing', 'substance_use'], leadDomains: ['housing', 'substance_use'] }, [
        'leadDomains: Harbour Housing Options already leads on housing: change Harbour Housing Options’s involvement first, then make this agency the lead',
      ]);
    });
  });

  describe('who may add an agency', () => {
    test('a practitioner without involvement.manage is refused (403), on the form and when posting', async () => {
      const personId = await w.personInCare(['Gwen', 'Practitioner']);
      await w.consent(personId, { agencyIds: [w.ids.housing] });
      const daniel = await w.browser(DANIEL);
      assert.equal((await daniel.get(paths.agencies(personId))).statusCode, 200, 'he can see who is involved');
      assert.doesNotMatch((await daniel.get(paths.agencies(personId))).body, /data-qa="add-agency"/);
      assert.equal((await daniel.get(paths.add(personId))).statusCode, 403);
      const rows = await countRows(t, 'involvement');
      assert.equal((await daniel.post(paths.add(personId), housingForm(w.ids))).statusCode, 403);
      assert.equal(await countRows(t, 'involvement'), rows);
    });

    test('a coordinator whose agency is not involved gets “not found” (404), as does the referrer’s agency, and nothing is written', async () => {
      const personId = await w.personInCare(['Huw', 'Elsewhere']);
      await w.consent(personId, { agencyIds: [w.ids.housing] });
      const rows = await countRows(t, 'involvement');
      for (const email of [JADE, SOPHIE]) {
        const outsider = await w.browser(email);
        assert.equal((await outsider.get(paths.agencies(personId))).statusCode, 404, email);
        assert.equal((await outsider.get(paths.add(personId))).statusCode, 404, email);
        await outsider.get('/');
        assert.equal((await outsider.post(paths.add(personId), housingForm(w.ids))).statusCode, 404, email);
      }
      assert.equal(await countRows(t, 'involvement'), rows);
      const refusals = (await t.pool.query(`select count(*)::int as n from audit_event where action = 'person.view_refused' and person_id = $1`, [personId])).rows[0].n;
      assert.equal(refusals, 6, 'every refusal is recorded for the Caldicott guardian');
    });
  });
});
