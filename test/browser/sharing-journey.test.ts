import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible, expectAccessibleWithoutJavaScript } from './support/accessibility.js';
import { signIn } from './support/pages.js';
import {
  AccessAlertsPage,
  AddAgencyForm,
  ConsentForm,
  EmergencyAccessForm,
  NoteForm,
  PersonRecord,
  RestrictionForm,
  searchFor,
  ukDateOf,
} from './support/record-pages.js';

/**
 * Issue 4, in a real browser, with no WCAG 2.2 AA violations on any page on the way: a care
 * coordinator records consent to share with housing, adds housing to the person's care and
 * restricts one note from it; housing sees the rest and is told why; an agency with no relationship
 * uses emergency access; the Caldicott guardian reviews it.
 *
 * Yasmin Farah is a demo person the community mental health team assessed (she lost her tenancy),
 * referred by probation: no consent, restriction or other agency of the demo's sharing stories is
 * about her, so everything the journey shows is what it did.
 */

const GRACE = 'grace.whitfield@riverside-nhs.example'; // care coordinator, Riverside CMHT
const KOFI = 'kofi.mensah@harbour-housing.example'; // Harbour Housing Options
const BEN = 'ben.carter@opendoor.example'; // Open Door outreach: nothing to do with Yasmin
const HELEN = 'helen.marsh@riverside-nhs.example'; // auditor, Caldicott guardian

const YASMIN = 'Yasmin Farah';
const HOUSING = 'Harbour Housing Options';

const SHARED_NOTE = {
  kind: 'Mental health',
  title: 'Mood and sleep since the tenancy ended',
  text: 'Yasmin is sleeping four hours a night and says the worry about where she will live keeps her awake. No thoughts of self-harm today. She wants housing to know how the uncertainty is affecting her.',
};
const RESTRICTED_NOTE = {
  kind: 'Mental health',
  title: 'What Yasmin told me about her brother',
  text: 'Yasmin described how her brother took her money and why she left the family home. She asked that this is not shared with housing, because her brother knows someone in the estate office.',
};

const concord = await browserConcord();

describe('consent and need-to-know, in a browser', () => {
  test('Grace shares with housing and restricts a note, Kofi sees the rest, Ben breaks the glass, Helen reviews it', async () => {
    const today = concord.t.clock.now();
    const inAYear = new Date(today.getTime() + 365 * 86_400_000);

    // 1. Grace records Yasmin's consent to share with housing, adds Harbour Housing to her care,
    //    writes two notes and restricts one of them from housing.
    const gracePage = await concord.newPage();
    await signIn(gracePage, GRACE);
    const grace = await PersonRecord.find(gracePage, YASMIN);
    await expectAccessible(gracePage, 'person record, details (Grace)');
    const personId = /\/people\/([^/?#]+)/.exec(gracePage.url())![1]!;

    await grace.openSection('Consent and sharing');
    await expectAccessible(gracePage, 'consent and sharing, nothing recorded');
    const consentForm = await ConsentForm.open(grace);
    await expectAccessible(gracePage, 'record a consent decision');
    await consentForm.submit();
    await consentForm.errors.expectProblems({ decision: /^Select/ });
    await expectAccessible(gracePage, 'record a consent decision, with errors');
    await consentForm.recordGiven({
      agencies: [HOUSING],
      categories: ['Basic details', 'Housing', 'Mental health'],
      purposes: ['Finding or keeping a home', 'Coordinating care and support'],
      how: 'In person',
      decidedOn: ukDateOf(today),
      reviewOn: ukDateOf(inAYear),
      notes: 'Discussed with a Somali interpreter. Yasmin wants housing to understand how losing her tenancy affected her mental health.',
    });
    await PersonRecord.arrive(gracePage, YASMIN);
    const consents = gracePage.getByTestId('consents');
    assert.match(await consents.innerText(), /Harbour Housing Options/);
    assert.match(await consents.innerText(), /^Given\s+Harbour Housing Options\s+Basic details, Mental health and Housing\s/m);
    await expectAccessible(gracePage, 'consent and sharing, consent given to housing');

    await grace.openSection('Agencies involved');
    await expectAccessible(gracePage, 'agencies involved (Grace)');
    const agencyForm = await AddAgencyForm.open(grace);
    await expectAccessible(gracePage, 'add an agency');
    await agencyForm.add({
      agency: HOUSING,
      team: 'Housing Options and Homelessness (Harbour Housing Options)',
      role: 'Partner agency',
      domains: ['Housing'],
      leadDomains: ['Housing'],
      contactName: 'Kofi Mensah',
      communication: 'A call every fortnight with the care coordinator',
    });
    assert.match(await grace.notice(), /Harbour Housing Options has been added as a partner agency/);
    assert.match(await gracePage.getByTestId('domain-housing').innerText(), /Harbour Housing Options: Kofi Mensah/);
    await expectAccessible(gracePage, 'agencies involved, housing added');

    await grace.openSection('Notes');
    await expectAccessible(gracePage, 'notes, none yet');
    for (const note of [SHARED_NOTE, RESTRICTED_NOTE]) {
      const form = await NoteForm.open(grace);
      await expectAccessible(gracePage, 'add a note');
      await form.add(note);
      await PersonRecord.arrive(gracePage, YASMIN);
      assert.match(await grace.notice(), /Your note has been added/);
      // The test clock stands still: move it on, as real time would, so "newest first" has an order to show.
      concord.t.clock.advance(60_000);
    }
    assert.deepEqual(await grace.noteTitles(), [RESTRICTED_NOTE.title, SHARED_NOTE.title]);
    await expectAccessible(gracePage, 'notes, two written');

    const restriction = await RestrictionForm.openForNote(grace, RESTRICTED_NOTE.title);
    await expectAccessible(gracePage, 'restrict this entry');
    await restriction.record({
      agencies: [HOUSING],
      otherParties: 'Her brother',
      reason: 'Yasmin asked that what she said about her brother is not shared with housing: he knows someone in the estate office.',
    });
    await PersonRecord.arrive(gracePage, YASMIN);
    await expectAccessible(gracePage, 'after restricting a note');
    await grace.openSection('Notes');
    const restricted = gracePage.getByTestId('note').filter({ hasText: RESTRICTED_NOTE.title });
    assert.equal(await restricted.getByTestId('note-restricted').count(), 1, 'Grace sees her note marked restricted');
    assert.match(await restricted.getByTestId('restrictions').innerText(), /This note is not shared with Harbour Housing Options/);
    assert.equal(await gracePage.getByTestId('note').filter({ hasText: SHARED_NOTE.title }).getByTestId('note-restricted').count(), 0);
    await expectAccessible(gracePage, 'notes, one restricted');

    // 2. Kofi, at Harbour Housing, opens Yasmin's record: the note shared with him, not the one kept from him.
    const kofiPage = await concord.newPage();
    await signIn(kofiPage, KOFI);
    const kofi = await PersonRecord.find(kofiPage, YASMIN);
    await expectAccessible(kofiPage, 'person record, details (Kofi)');
    await kofi.openSection('Notes');
    assert.deepEqual(await kofi.noteTitles(), [SHARED_NOTE.title]);
    const notesHtml = await kofiPage.content();
    assert.ok(notesHtml.includes(SHARED_NOTE.text.slice(0, 40)), 'the shared note is shown in full');
    assert.ok(!notesHtml.includes(RESTRICTED_NOTE.title), 'the restricted note’s title is nowhere in the page');
    assert.ok(!notesHtml.includes('her brother'), 'nor anything of its text or the restriction’s reason');
    assert.equal(await kofiPage.getByRole('link', { name: /Restrict who can see this/ }).count(), 0, 'only the recording agency may restrict its notes');
    // A restriction on one note hides that the note exists: nothing says something was kept back on her request.
    assert.equal(await kofiPage.getByTestId('withheld-restricted').count(), 0);
    assert.doesNotMatch(await kofiPage.getByTestId('withheld-no-consent').innerText(), /mental health|housing/);
    await expectAccessible(kofiPage, 'notes, as housing, one withheld');

    await kofi.openSection('Who can see this');
    assert.match(await kofi.myAccess(), /Harbour Housing Options is involved in this person’s care\./);
    assert.match(await kofi.categoryAccess('mental_health'), /The person consented to sharing mental health with Harbour Housing Options\./);
    assert.match(await kofi.categoryAccess('housing'), /The person consented to sharing housing with Harbour Housing Options\./);
    assert.match(await kofi.categoryAccess('risk'), /There is no consent in force to share risk with Harbour Housing Options\./);
    assert.doesNotMatch(await kofiPage.content(), new RegExp(RESTRICTED_NOTE.title));
    await expectAccessible(kofiPage, 'who can see this (Kofi)');

    // 3. Ben, at Open Door, has no relationship with Yasmin. His browser runs no JavaScript: the
    //    search, the emergency access form and its errors must all work without it.
    const benPage = await concord.newPage({ javaScriptEnabled: false });
    await signIn(benPage, BEN);
    assert.equal((await benPage.goto(`/people/${personId}`))?.status(), 404, 'without a relationship the record answers as if missing');
    // Open Door receives referrals: with her date of birth its known check finds her (by name alone it would not).
    await searchFor(benPage, YASMIN, { day: '5', month: '9', year: '1990' });
    assert.match(await benPage.getByTestId('no-record-access').innerText(), /Your agency is not involved with Yasmin Farah/);
    await expectAccessibleWithoutJavaScript(benPage, 'find a person, no relationship (Ben)');
    const emergency = await EmergencyAccessForm.fromSearchResult(benPage, YASMIN);
    assert.match(await emergency.warning(), /recorded, sent to the Caldicott guardian and reviewed/);
    await expectAccessibleWithoutJavaScript(benPage, 'emergency access form');

    const reason = 'Immediate risk to the person’s life or safety';
    await emergency.ask(reason, 'She is unwell');
    await emergency.errors.expectProblems({ explanation: 'Explain why you need emergency access in at least 20 characters' });
    assert.equal(await benPage.getByLabel(reason, { exact: true }).isChecked(), true, 'the reason chosen is kept');
    assert.equal(await benPage.getByLabel(/What has happened/).inputValue(), 'She is unwell', 'the explanation is kept');
    await expectAccessibleWithoutJavaScript(benPage, 'emergency access form, explanation too short');

    const explanation = 'Yasmin came to the drop-in at 9pm saying she has taken tablets; the ambulance crew asked who coordinates her care.';
    await emergency.ask(reason, explanation);
    const ben = await PersonRecord.arrive(benPage, YASMIN);
    assert.match(await ben.emergencyBanner(), /You are using emergency access to this record until .*Your reason has been sent to the Caldicott guardian/);
    await expectAccessibleWithoutJavaScript(benPage, 'person record, emergency access (Ben)');
    await ben.openSection('Who can see this');
    assert.match(await ben.myAccess(), /Emergency access .*You used emergency access \(break-glass\), for a limited time\./);
    await expectAccessibleWithoutJavaScript(benPage, 'who can see this, emergency access (Ben)');

    // 4. Helen, the Caldicott guardian, finds the alert, reviews it as justified, and it shows as reviewed.
    const helenPage = await concord.newPage();
    await signIn(helenPage, HELEN);
    await expectAccessible(helenPage, 'My work (Helen)');
    const alerts = await AccessAlertsPage.open(helenPage);
    const waiting = await alerts.toReview();
    assert.match(await alerts.row(YASMIN, 'Ben Carter').innerText(), /Emergency access[\s\S]*To review/);
    await expectAccessible(helenPage, 'access alerts');

    const alert = await alerts.openAlert(YASMIN, 'Ben Carter');
    const details = await alert.details();
    assert.match(details, /Ben Carter, Outreach worker/);
    assert.match(details, /Open Door Voluntary Services/);
    assert.ok(details.includes(explanation), 'Ben’s explanation is shown to the reviewer');
    assert.match(await alert.activity(), /person\.viewed/);
    assert.equal(await alert.status(), 'To review');
    await expectAccessible(helenPage, 'an access alert, to review');

    await alert.recordReview('Justified', 'Confirmed with the ambulance service: they took Yasmin to A&E at 21:20 and asked Open Door for her coordinator.');
    assert.match(await helenPage.getByTestId('notice').innerText(), /Your review has been recorded/);
    assert.equal(await alert.status(), 'Reviewed: Justified');
    assert.match(await alert.review(), /Justified .*Confirmed with the ambulance service.*Helen Marsh/);
    assert.equal(await helenPage.getByRole('button', { name: 'Record review' }).count(), 0, 'a review is recorded once');
    await expectAccessible(helenPage, 'an access alert, reviewed');

    const after = await alert.backToAlerts();
    assert.match(await after.row(YASMIN, 'Ben Carter').innerText(), /Reviewed: Justified/);
    assert.equal(await after.toReview(), waiting - 1);
    await expectAccessible(helenPage, 'access alerts, one reviewed');
  });
});
