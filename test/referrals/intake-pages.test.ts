import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, countRows, lastAuditId, testConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { referralPaths as paths } from '../../src/modules/referrals/paths.js';

// Monday 2 March 2026, 10:00 in London (GMT).
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const raj = await new Browser(t.app).signIn('raj.patel@northshire-council.example'); // adult social care: refers to other agencies
const tom = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example'); // CMHT: records referrals the team receives
const alex = await new Browser(t.app).signIn('alex.morgan@northshire-care.example'); // partnership administrator: no casework

const one = async (sql: string, params: unknown[]) => (await t.pool.query(sql, params)).rows[0];
const CMHT = (await one('select id from team where name = $1', ['Riverside Community Mental Health Team'])).id as string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const TABLES = ['referral', 'person', 'referral_event', 'obligation', 'involvement'];
async function snapshot() {
  return { counts: Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)]))), audit: await lastAuditId(t) };
}
/** Nothing was written: no rows, and no audit event beyond the record of reading a page. */
async function assertNothingWritten(before: Awaited<ReturnType<typeof snapshot>>, reads: string[] = []) {
  assert.deepEqual((await snapshot()).counts, before.counts);
  const recorded = (await auditSince(t, before.audit)).map((e) => e.action);
  assert.deepEqual(recorded.filter((a) => a !== 'referral.person_viewed' && !reads.includes(a)), []);
}
const referralId = (location: unknown) => /\/referrals\/([0-9a-f-]{36})$/.exec(String(location))?.[1];

const noRisk = { 'risks.unintentionalSelfHarm': 'none', 'risks.intentionalSelfHarm': 'none', 'risks.harmToOthers': 'none', 'risks.abuseByOthers': 'none' };
/** A telephone referral from a GP, recorded by the team that received it. */
const gpReferral = (overrides: Record<string, string | string[]> = {}) => ({
  'person.givenName': 'Ottoline',
  'person.familyName': 'Quarrington',
  'person.dateOfBirth-day': '4',
  'person.dateOfBirth-month': '11',
  'person.dateOfBirth-year': '1983',
  receivingTeamId: CMHT,
  sourceType: 'professional',
  referrerName: 'Dr Sarah Lin',
  referrerRole: 'GP partner',
  referrerOrganisation: 'Millbrook Medical Practice',
  referrerContact: '01632 960 500',
  channel: 'phone',
  reason: 'Hearing voices for three weeks; stopped going out',
  ...noRisk,
  consentToReferral: 'yes',
  consentToShare: 'not_asked',
  ...overrides,
});

describe('recording a referral the team received', () => {
  test('an empty form: a message for each question, in the order the page asks them, each by its field; nothing written', async () => {
    const before = await snapshot();
    const { posted, landed } = await submit(tom, paths.intake(), {});
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.intake());
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), [
      'person.givenName: Enter the first name',
      'person.familyName: Enter the last name',
      'receivingTeamId: Select the service the referral is to',
      'sourceType: Select who made the referral',
      'channel: Select how the referral was made',
      'reason: Enter the reason for the referral',
      'risks.unintentionalSelfHarm: Select whether the risk of unintentional self-harm is immediate, potential, none or not known',
      'risks.intentionalSelfHarm: Select whether the risk of intentional self-harm is immediate, potential, none or not known',
      'risks.harmToOthers: Select whether the risk of harm to others is immediate, potential, none or not known',
      'risks.abuseByOthers: Select whether the risk of abuse by others is immediate, potential, none or not known',
      'consentToReferral: Select whether the person agreed to the referral',
      'consentToShare: Select whether the person agreed to information being shared',
    ]);
    for (const field of ['person.givenName', 'receivingTeamId', 'risks.harmToOthers', 'consentToShare']) assert.match(landed.body, new RegExp(`id="${field.replace('.', '\\.')}-error"`), `${field} has its message by it`);
    await assertNothingWritten(before);
  });

  const refusals: [string, Record<string, string | string[]>, string][] = [
    ['a reason over 2,000 characters', { reason: 'r'.repeat(2001) }, 'reason: The reason for the referral must be 2000 characters or fewer'],
    ['a channel not on the list', { channel: 'pigeon' }, 'channel: Select how the referral was made'],
    ['a risk answer not on the list', { 'risks.harmToOthers': 'maybe' }, 'risks.harmToOthers: Select whether the risk of harm to others is immediate, potential, none or not known'],
    ['no referrer named, for a referral the team received', { referrerName: '' }, 'referrerName: Enter the referrer’s name'],
    ['contact details over 200 characters', { referrerContact: '0'.repeat(201) }, 'referrerContact: The referrer’s contact details must be 200 characters or fewer'],
    ['a service that takes no referrals', { receivingTeamId: UNKNOWN }, 'receivingTeamId: Select a service that takes referrals'],
    ['a service that is not a reference', { receivingTeamId: 'the CMHT' }, 'receivingTeamId: Select the service the referral is to'],
    ['an NHS number with a wrong check digit', { 'person.nhsNumber': '943 476 5910' }, 'person.nhsNumber: Enter a valid NHS number: 10 digits, like 943 476 5919'],
    ['a date of birth that is not a real date', { 'person.dateOfBirth-day': '31', 'person.dateOfBirth-month': '2' }, 'person.dateOfBirth: Enter the date of birth as a real date, like 27 3 1980'],
    ['a date of birth half typed', { 'person.dateOfBirth-year': '' }, 'person.dateOfBirth: Enter the date of birth as a real date, like 27 3 1980'],
    ['a time received in the future', { 'receivedAt-day': '2', 'receivedAt-month': '3', 'receivedAt-year': '2026', 'receivedAt-time': '10:30am' }, 'receivedAt: The time received cannot be in the future'],
    ['a time received that is not a time', { 'receivedAt-day': '2', 'receivedAt-month': '3', 'receivedAt-year': '2026', 'receivedAt-time': '25:00' }, 'receivedAt: Enter when the referral was received as a date and time'],
    ['a date received with no time', { 'receivedAt-day': '2', 'receivedAt-month': '3', 'receivedAt-year': '2026' }, 'receivedAt: Enter when the referral was received as a date and time'],
    ['a consent answer not on the list', { consentToShare: 'perhaps' }, 'consentToShare: Select whether the person agreed to information being shared'],
  ];
  for (const [what, overrides, message] of refusals) {
    test(`${what} is refused with a message by the field, what was typed is kept, and nothing is written`, async () => {
      const before = await snapshot();
      const { posted, landed } = await submit(tom, paths.intake(), gpReferral(overrides));
      assert.equal(posted.statusCode, 303);
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), [message]);
      assert.match(landed.body, /value="Quarrington"/, 'what was typed is still there');
      assert.match(landed.body, /Millbrook Medical Practice/);
      await assertNothingWritten(before);
    });
  }

  test('a telephone referral from a GP, received earlier: who made it, how and when (read as UK time) are kept as given', async () => {
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.intake(), gpReferral({ 'receivedAt-day': '1', 'receivedAt-month': '7', 'receivedAt-year': '2025', 'receivedAt-time': '2:30pm' }));
    assert.equal(posted.statusCode, 303, errorSummary(landed.body).join('; '));
    const row = await one('select source_type, channel, referrer_name, referrer_organisation, referrer_agency_id, received_at, consent_to_share from referral where id = $1', [referralId(posted.headers.location)]);
    assert.deepEqual({ ...row, received_at: row.received_at.toISOString() }, {
      source_type: 'professional', channel: 'phone', referrer_name: 'Dr Sarah Lin', referrer_organisation: 'Millbrook Medical Practice', referrer_agency_id: null,
      received_at: '2025-07-01T13:30:00.000Z', consent_to_share: 'not_asked',
    }, '2:30pm in July is 13:30 UTC');
    assert.match(landed.body.replace(/\s+/g, ' '), /Referred by <\/dt> <dd class="govuk-summary-list__value"> Dr Sarah Lin, GP partner<br>Millbrook Medical Practice/);
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['person.created', 'referral.received', 'referral.viewed']);
  });
});

describe('is this person already known? (REF-8)', () => {
  const marjorie = {
    'person.givenName': 'Marjorie', 'person.familyName': 'Ellerby', 'person.dateOfBirth-day': '19', 'person.dateOfBirth-month': '8', 'person.dateOfBirth-year': '1951',
    receivingTeamId: CMHT, reason: 'Low mood and not eating', ...noRisk, consentToReferral: 'yes', consentToShare: 'yes',
  };
  let personId = '';

  test('a person who looks like someone known is stopped with the possible matches and a box to confirm they are new', async () => {
    const created = await submit(raj, paths.intake(), marjorie);
    assert.equal(created.posted.statusCode, 303, errorSummary(created.landed.body).join('; '));
    personId = (await one('select person_id from referral where id = $1', [referralId(created.posted.headers.location)])).person_id;

    const before = await snapshot();
    const typo = { ...marjorie, 'person.givenName': 'Marjory' };
    const { posted, landed } = await submit(raj, paths.intake(), typo);
    assert.equal(posted.statusCode, 303);
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['person: Possible matches: Marjorie Ellerby (born 1951-08-19): contact Riverside Community Mental Health Team, Riverside NHS Mental Health Trust, who hold their record']);
    assert.match(landed.body, /<input class="govuk-checkboxes__input" id="person" name="confirmedNewPerson" type="checkbox" value="yes"/);
    assert.match(landed.body, /I have checked: this is a new person/);
    assert.match(landed.body, /value="Marjory"/, 'what was typed is kept');
    // Showing the possible match is a read of that person, and recorded as one; nothing else is written.
    const shown = (await auditSince(t, before.audit)).filter((e) => e.action === 'person.search_result');
    assert.deepEqual(shown.map((e) => [e.subject_id, e.details.purpose]), [[personId, 'duplicate check']]);
    await assertNothingWritten(before, ['person.search_result']);

    const confirmed = await raj.post(paths.intake(), { ...typo, confirmedNewPerson: 'yes' });
    assert.equal(confirmed.statusCode, 303);
    assert.ok(referralId(confirmed.headers.location));
    assert.equal(await countRows(t, 'person'), before.counts.person! + 1, 'a second person is recorded once confirmed');
  });

  test('a person found by search: the form says who, and the referral is for them, with no new record', async () => {
    const before = await lastAuditId(t);
    const people = await countRows(t, 'person');
    const form = await raj.get(paths.intakeFor(personId));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /data-qa="person"[\s\S]*Marjorie Ellerby[\s\S]*19 August 1951/);
    assert.match(form.body, new RegExp(`<form method="post" action="/referrals/new\\?personId=${personId}"`));
    assert.doesNotMatch(form.body, /name="person\.givenName"/, 'no new-person fields');
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['referral.person_viewed', personId]], 'showing who it is, is a recorded read');

    const posted = await raj.post(paths.intakeFor(personId), { personId, receivingTeamId: CMHT, reason: 'Still not eating', ...noRisk, consentToReferral: 'yes', consentToShare: 'yes' });
    assert.equal(posted.statusCode, 303);
    assert.equal((await one('select person_id from referral where id = $1', [referralId(posted.headers.location)])).person_id, personId);
    assert.equal(await countRows(t, 'person'), people);
  });

  test('a person who does not exist, or a reference that is not one, is not found; a role without casework is refused', async () => {
    assert.equal((await raj.get(paths.intakeFor(UNKNOWN))).statusCode, 404);
    assert.equal((await raj.get(paths.intakeFor('marjorie'))).statusCode, 404);
    assert.equal((await alex.get(paths.intake())).statusCode, 403);
    const before = await snapshot();
    await alex.get('/');
    assert.equal((await alex.post(paths.intake(), gpReferral())).statusCode, 403);
    assert.deepEqual((await snapshot()).counts, before.counts);
  });
});
