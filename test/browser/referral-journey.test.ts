import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { onPage, signIn, textOf } from './support/pages.js';
import { FindAPersonPage, ReferralPage, ukDateTimeOf, type NewPersonReferral } from './support/casework-pages.js';

// Issue 3: one browser journey from search to allocation, with no axe violations on any page on the way.

const RAJ = 'raj.patel@northshire-council.example'; // adult social care duty practitioner: the referrer
const TOM = 'tom.okafor@riverside-nhs.example'; // CMHT care coordinator: screens and assesses
const PRIYA = 'priya.raman@riverside-nhs.example'; // CMHT team manager: allocates

const concord = await browserConcord();

const OTTOLINE: NewPersonReferral = {
  givenName: 'Ottoline',
  familyName: 'Brackenbury',
  dateOfBirth: { day: '14', month: '6', year: '1958' },
  postcode: 'NE2 1AB',
  service: 'Riverside Community Mental Health Team',
  reason: 'Low mood since her husband died; has spoken of ending her life',
  risks: {
    'Unintentional self-harm (for example self-neglect)': 'None',
    'Intentional self-harm': 'Potential',
    'Harm to others': 'None',
    'Abuse by others (physical, sexual, emotional or financial)': 'None',
  },
  consentToReferral: 'Yes',
  consentToShare: 'Yes',
  referrerRole: 'Duty social worker',
};

describe('a referral from search to allocation, in a browser', () => {
  test('Raj refers someone not known to the CMHT, Tom screens and assesses, Priya allocates, and Raj sees it allocated', async () => {
    // 1. Raj checks whether Ottoline is known, finds nobody, and refers her.
    const rajPage = await concord.newPage();
    const raj = await signIn(rajPage, RAJ);
    await expectAccessible(rajPage, 'My work (Raj)');
    await raj.open('Find a person');
    const search = await FindAPersonPage.arrive(rajPage);
    await expectAccessible(rajPage, 'Find a person');
    await search.searchByName('Ottoline Brackenbury');
    assert.equal(await search.resultCount(), 'No one matching was found');
    await expectAccessible(rajPage, 'Find a person, no results');

    const intake = await search.makeAReferral();
    await expectAccessible(rajPage, 'Record a referral');
    await intake.fillIn(OTTOLINE);
    const receivedAt = concord.t.clock.now();
    const status = await intake.submit();
    const reference = await status.reference();
    assert.match(await status.notice(), new RegExp(`Referral ${reference} has been recorded`));
    assert.equal(await status.status(), 'Received');
    assert.equal(await status.personName(), 'Ottoline Brackenbury');
    await expectAccessible(rajPage, 'referral status (referrer)');

    // 2. Tom, at his own computer, finds it on My work and takes it through screening, assessment and the MDT.
    // The app's clock stands still in tests: move it on so the assessment, an hour after the referral, is in the past.
    concord.t.clock.advance(2 * 60 * 60 * 1000);
    const tomPage = await concord.newPage();
    await signIn(tomPage, TOM);
    await expectAccessible(tomPage, 'My work (Tom)');
    await tomPage.getByRole('link', { name: reference, exact: true }).first().click();
    let referral = await ReferralPage.arrive(tomPage);
    await expectAccessible(tomPage, 'referral (receiving team)');

    const screening = await referral.takeStep('Screen referral', 'Screen the referral');
    assert.match(await screening.suggestion(), /^Concord suggests urgent\./);
    await expectAccessible(tomPage, 'Screen the referral');
    referral = await screening.screen('Urgent (suggested)');
    assert.match(await referral.notice(), /screened as urgent/);
    await expectAccessible(tomPage, 'referral, screened');

    const contact = await referral.takeStep('Record contact or assessment', 'Record contact or assessment');
    await expectAccessible(tomPage, 'Record contact or assessment');
    referral = await contact.recordContact({
      kind: 'Face-to-face assessment',
      at: ukDateTimeOf(new Date(receivedAt.getTime() + 60 * 60 * 1000)),
      method: 'Home visit',
      summary: 'Assessed at home with her daughter present.',
    });
    assert.equal(await referral.status(), 'Assessing');
    await expectAccessible(tomPage, 'referral, assessing');

    const eligibility = await referral.takeStep('Record eligibility decision', 'Record the eligibility decision');
    await expectAccessible(tomPage, 'Record the eligibility decision');
    referral = await eligibility.decideEligibility({
      illness: 'Yes',
      risks: 'Yes',
      levelOfNeed: 'Substantial',
      eligible: 'Yes',
      participants: ['Priya Raman, team manager', 'Tom Okafor, CPN'],
      basis: 'Severe depression with thoughts of suicide',
    });
    assert.equal(await referral.status(), 'Eligible');
    await expectAccessible(tomPage, 'referral, eligible');

    // 3. Priya allocates Grace as care coordinator, and the case opens.
    const priyaPage = await concord.newPage();
    await signIn(priyaPage, PRIYA);
    await expectAccessible(priyaPage, 'My work (Priya)');
    await priyaPage.getByRole('link', { name: reference, exact: true }).first().click();
    referral = await ReferralPage.arrive(priyaPage);
    const allocation = await referral.takeStep('Allocate care coordinator', 'Allocate a care coordinator');
    assert.match(await textOf(allocation.candidates()), /Grace Whitfield \d+ open cases?/);
    await expectAccessible(priyaPage, 'Allocate a care coordinator');
    referral = await allocation.allocate({
      coordinator: 'Grace Whitfield',
      considerations: ['Expertise and experience', 'Current caseload'],
      reasons: 'Grace has worked with older adults after bereavement and has room on her caseload',
      leadAgency: 'Riverside NHS Mental Health Trust',
      agreed: 'Yes',
    });
    assert.equal(await referral.status(), 'Allocated');
    assert.match(await referral.notice(), /A care coordinator has been allocated and the case is open/);
    const caseSummary = await referral.caseSummary();
    assert.match(caseSummary, /Case CASE-\d{4}-\d{6} Care coordinator Grace Whitfield Lead agency Riverside NHS Mental Health Trust/);
    const caseReference = /CASE-\d{4}-\d{6}/.exec(caseSummary)![0];
    await expectAccessible(priyaPage, 'referral, allocated');

    await referral.openPerson('Ottoline Brackenbury');
    await expectAccessible(priyaPage, 'person record');
    await priyaPage.getByTestId('cases').getByRole('link', { name: caseReference, exact: true }).click();
    await onPage(priyaPage, `Case ${caseReference}`);
    assert.match(await textOf(priyaPage.getByTestId('coordinator')), /^Grace Whitfield/);
    assert.equal(await textOf(priyaPage.getByTestId('lead-agency')), 'Riverside NHS Mental Health Trust');
    await expectAccessible(priyaPage, 'case');

    // 4. Raj, back hours later (his first session has timed out), sees it allocated in the referrals his agency made.
    const rajLater = await concord.newPage();
    await (await signIn(rajLater, RAJ)).open('Referrals made');
    await onPage(rajLater, 'Referrals your agency made');
    const row = rajLater.getByRole('table', { name: 'Referrals made' }).getByRole('row').filter({ hasText: reference });
    assert.match(await textOf(row), new RegExp(`^${reference} Ottoline Brackenbury Riverside Community Mental Health Team, Riverside NHS Mental Health Trust .* Allocated$`));
    await expectAccessible(rajLater, 'Referrals made');
  });
});
