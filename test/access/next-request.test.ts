import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, Browser, testConcord, type TestConcord } from '../support/app.js';
import { actorFor, openCase } from '../support/casework.js';
import { peoplePaths, recordPaths } from '../../src/modules/people/paths.js';
import { notesApiPaths } from '../../src/modules/notes/paths.js';
import { sharingApiPaths } from '../../src/modules/sharing/paths.js';
import { involvementApiPaths } from '../../src/modules/involvement/paths.js';
import { directoryPaths } from '../../src/modules/directory/paths.js';

/*
 * A change to what someone may see takes effect on their very next request: nothing about access is
 * cached in a session, a token or a page. Each test asks, changes one fact through Concord's own
 * routes (or moves the clock), and asks again with the same session and the same token.
 */

// Sessions outlive the clock moves below, so only access can change between two requests.
const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z', env: { SESSION_IDLE_MINUTES: '6000', SESSION_ABSOLUTE_HOURS: '200' } });

const EMAIL = {
  tom: 'tom.okafor@riverside-nhs.example', // Riverside CMHT care coordinator: holds the case
  priya: 'priya.raman@riverside-nhs.example', // Riverside CMHT team manager
  raj: 'raj.patel@northshire-council.example', // the referrer
  kofi: 'kofi.mensah@harbour-housing.example', // Harbour Housing: added as a partner
  ben: 'ben.carter@opendoor.example', // Open Door: added as a partner, then deactivated
  jade: 'jade.robinson@pathways.example', // Pathways: no relationship, finds the person by a known check and uses break-glass
  alex: 'alex.morgan@northshire-care.example', // partnership administrator
};
const actors = { tom: await actorFor(t, EMAIL.tom), priya: await actorFor(t, EMAIL.priya), raj: await actorFor(t, EMAIL.raj), kofi: await actorFor(t, EMAIL.kofi), ben: await actorFor(t, EMAIL.ben) };
const tom = await apiClient(t, EMAIL.tom);
const priya = await apiClient(t, EMAIL.priya);

type Viewer = { browser: Browser; api: Awaited<ReturnType<typeof apiClient>> };
const viewer = async (email: string): Promise<Viewer> => ({ browser: await new Browser(t.app).signIn(email), api: await apiClient(t, email) });

let made = 0;
/** A person with an open case at Riverside CMHT (referred by the council), and a note Riverside wrote about their housing. */
async function person() {
  made += 1;
  const family = `Nextrequest${'abcdefgh'[made]}`;
  const { referral } = await openCase(t, actors.raj, actors.priya, actors.tom, { name: ['Dana', family] });
  const secret = `Rent arrears of £${made}12; the landlord has served notice`;
  const note = await tom.post(notesApiPaths.notes(referral.personId), { category: 'housing', title: 'Tenancy at risk', text: secret });
  assert.equal(note.statusCode, 201, note.body);
  return { id: referral.personId, name: `Dana ${family}`, secret };
}

const today = () => t.clock.now().toISOString().slice(0, 10);

async function consentFor(personId: string, agencyId: string, reviewDate: string, obtainedOn = today()) {
  const response = await tom.post(sharingApiPaths.consents(personId), {
    decision: 'given',
    agencyIds: [agencyId],
    agencyTypes: [],
    categories: ['housing'],
    purposes: ['housing_support'],
    obtainedHow: 'in_person',
    obtainedOn,
    reviewDate,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id as string;
}

async function addPartner(personId: string, agencyId: string) {
  const response = await tom.post(involvementApiPaths.involvements(personId), { agencyId, role: 'partner', domains: ['housing'] });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id as string;
}

/** What a viewer gets of the person now: the record page and API, and whether the housing note's text reaches them. */
async function seen(who: Viewer, p: { id: string; name: string; secret: string }) {
  const page = await who.browser.get(recordPaths.person(p.id));
  const notesPage = await who.browser.get(recordPaths.notes(p.id));
  const api = await who.api.get(`/api/v1/people/${p.id}`);
  const notesApi = await who.api.get(notesApiPaths.notes(p.id));
  const bodies = [page.body, notesPage.body, api.body, notesApi.body];
  return {
    record: [page.statusCode, notesPage.statusCode, api.statusCode, notesApi.statusCode],
    note: bodies.some((b) => b.includes(p.secret.replace('£', '&#163;')) || b.includes(p.secret)),
    name: bodies.some((b) => b.includes(p.name)),
  };
}

const OPEN = [200, 200, 200, 200];
const MISSING = [404, 404, 404, 404];

describe('a change to access takes effect on the very next request', () => {
  test('withdrawal of consent: the partner’s next request no longer shows what the consent shared', async () => {
    const p = await person();
    const consentId = await consentFor(p.id, actors.kofi.agencyId, '2026-09-30');
    await addPartner(p.id, actors.kofi.agencyId);
    const kofi = await viewer(EMAIL.kofi);
    assert.deepEqual(await seen(kofi, p), { record: OPEN, note: true, name: true });

    const withdrawn = await tom.post(sharingApiPaths.withdrawal(p.id, consentId), { withdrawnOn: today(), obtainedHow: 'phone' });
    assert.equal(withdrawn.statusCode, 201, withdrawn.body);
    // Still involved, so the record opens; the housing note is no longer shared.
    assert.deepEqual(await seen(kofi, p), { record: OPEN, note: false, name: true });
  });

  test('end of involvement: the agency’s next request finds no such person', async () => {
    const p = await person();
    await consentFor(p.id, actors.kofi.agencyId, '2026-09-30');
    const involvementId = await addPartner(p.id, actors.kofi.agencyId);
    const kofi = await viewer(EMAIL.kofi);
    assert.deepEqual(await seen(kofi, p), { record: OPEN, note: true, name: true });
    const before = await kofi.api.get(`/api/v1/people?name=${encodeURIComponent(p.name)}`);
    assert.equal(before.json().people.find((r: { id: string }) => r.id === p.id)?.canOpenRecord, true, before.body);

    const ended = await tom.post(involvementApiPaths.end(p.id, involvementId), { reason: 'Housing found; support no longer needed', version: 1 }); // as added
    assert.equal(ended.statusCode, 200, ended.body);
    assert.deepEqual(await seen(kofi, p), { record: MISSING, note: false, name: false });
    const after = await kofi.api.get(`/api/v1/people?name=${encodeURIComponent(p.name)}`);
    assert.ok(!after.json().people.some((r: { id: string }) => r.id === p.id), 'a search by name alone finds only the people the agency works with: no longer them');
  });

  test('user deactivation: the user’s open session and token stop on the very next request', async () => {
    const p = await person();
    await consentFor(p.id, actors.ben.agencyId, '2026-09-30');
    await addPartner(p.id, actors.ben.agencyId);
    const ben = await viewer(EMAIL.ben);
    assert.deepEqual(await seen(ben, p), { record: OPEN, note: true, name: true });

    const alex = await new Browser(t.app).signIn(EMAIL.alex);
    await alex.get(directoryPaths.userDeactivate(actors.ben.userId));
    assert.equal((await alex.post(directoryPaths.userDeactivate(actors.ben.userId))).statusCode, 303);

    const page = await ben.browser.get(recordPaths.person(p.id));
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/sign-in/);
    const api = await ben.api.get(`/api/v1/people/${p.id}`);
    assert.equal(api.statusCode, 401);
    for (const body of [page.body, api.body]) assert.ok(!body.includes(p.name) && !body.includes(p.secret));
  });

  test('expiry, by the clock: consent past its review date, an exception past its review date, break-glass past its hours', async () => {
    // Consent given yesterday for review today shares until midnight; an exception reviewed tomorrow opens the record until the day after.
    const shared = await person();
    await consentFor(shared.id, actors.kofi.agencyId, today(), '2026-03-02');
    await addPartner(shared.id, actors.kofi.agencyId);
    const excepted = await person();
    const exception = await priya.post(sharingApiPaths.exceptions(excepted.id), {
      lawfulBasis: 'serious_harm_to_others',
      justification: 'Threats made against a housing officer; the housing team must know the risk before the next visit.',
      categories: ['risk', 'housing'],
      agencyIds: [actors.kofi.agencyId],
      reviewDate: '2026-03-04',
      personInformed: 'no',
      notInformedReason: 'Telling them now would increase the risk',
      checklist: ['necessary', 'proportionate', 'consent_not_sought', 'recipients_told', 'advice_sought'],
    });
    assert.equal(exception.statusCode, 201, exception.body);
    const glassed = await person();
    const kofi = await viewer(EMAIL.kofi);
    const jade = await viewer(EMAIL.jade);
    // Every person here is born on 1 January 1970 (support/casework.ts): name and date of birth make a known check.
    assert.match((await jade.browser.get(peoplePaths.searchFor({ name: glassed.name, dateOfBirth: '1970-01-01' }))).body, /data-qa="break-glass"/);
    await jade.browser.get(recordPaths.breakGlass(glassed.id));
    const broke = await jade.browser.post(recordPaths.breakGlass(glassed.id), { reason: 'risk_to_life', explanation: 'Called by the hospital: Dana has taken an overdose and needs her care plan now.' });
    assert.equal(broke.statusCode, 303, broke.body);

    t.clock.set('2026-03-03T23:59:00Z');
    assert.deepEqual(await seen(kofi, shared), { record: OPEN, note: true, name: true }, 'consent stands on its review date');
    assert.deepEqual(await seen(kofi, excepted), { record: OPEN, note: true, name: true }, 'the exception stands before its review date');

    t.clock.set('2026-03-04T00:01:00Z');
    assert.deepEqual(await seen(kofi, shared), { record: OPEN, note: false, name: true }, 'the day after its review date, consent has expired');
    assert.deepEqual(await seen(kofi, excepted), { record: OPEN, note: true, name: true }, 'the exception stands on its review date');

    t.clock.set('2026-03-05T00:01:00Z');
    assert.deepEqual(await seen(kofi, excepted), { record: MISSING, note: false, name: false }, 'the day after its review date, the exception no longer opens the record');

    // Jade broke the glass at 10:00 on the 3rd for 4 hours: move back to just inside, then just past.
    t.clock.set('2026-03-03T13:59:59Z');
    assert.deepEqual(await seen(jade, glassed), { record: OPEN, note: true, name: true });
    t.clock.set('2026-03-03T14:00:00Z');
    assert.deepEqual(await seen(jade, glassed), { record: MISSING, note: false, name: false });
  });
});
