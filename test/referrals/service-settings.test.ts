import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import type { DomainError } from '../../src/platform/errors.js';

const t = await testConcord();
const priya = await new Browser(t.app).signIn('priya.raman@riverside-nhs.example'); // CMHT team manager
const tom = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example'); // care coordinator
const millbrook = (await t.pool.query(`select id from agency where name = 'Millbrook Medical Practice'`)).rows[0].id as string;
const cmht = (await t.pool.query(`select id from team where name = 'Riverside Community Mental Health Team'`)).rows[0].id as string;
/** The version of the CMHT's settings that a manager opening them now would send back (0 while none are saved). */
const version = async () => ((await t.pool.query('select version from receiving_service where team_id = $1', [cmht])).rows[0]?.version ?? 0) as number;

test('a team manager sets what their service requires, whose referrals are automatically urgent, and the intervals', async () => {
  const before = await lastAuditId(t);
  const { posted, landed } = await submit(priya, '/referrals/settings', {
    acceptsReferrals: 'yes',
    requiredInformation: ['reason', 'risk_assessment', 'nhs_number'],
    automaticallyUrgentAgencies: millbrook,
    informationRequestWorkingDays: '3',
    waitingRiskCheckDays: '7',
    version: String(await version()),
  });
  assert.equal(posted.statusCode, 303);
  assert.match(landed.body, /Your team’s referral settings have been saved/);
  const settings = await t.services.referrals.settingsFor(t.db, cmht);
  assert.deepEqual(settings.requiredInformation, ['reason', 'risk_assessment', 'nhs_number']);
  assert.deepEqual(settings.automaticallyUrgentAgencies, [millbrook]);
  assert.equal(settings.waitingRiskCheckDays, 7);
  assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['referral.service_settings_changed', cmht]]);
});

test('referrals from an automatically urgent agency are suggested urgent', async () => {
  const account = await t.services.directory.findAccountByEmail('sarah.lin@millbrook-gp.example');
  const gp = (await t.services.directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 't' }))!;
  const row = await t.services.referrals.receive(gp, {
    receivingTeamId: cmht, sourceType: 'agency', channel: 'electronic', reason: 'Worsening psychosis', consentToReferral: 'yes', consentToShare: 'yes',
    risks: { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' },
    person: { givenName: 'Ottoline', familyName: 'Fenwick-Brae', dateOfBirth: '1988-04-04' },
  });
  assert.equal(row.suggestedCategory, 'urgent');
});

test('the page shows the team’s re-referral rate over the last 12 months (REF-7)', async () => {
  const counts = (await t.pool.query(`select count(*)::int as total, count(*) filter (where is_re_referral)::int as re from referral where receiving_team_id = $1 and received_at >= now() - interval '1 year'`, [cmht])).rows[0];
  const page = await priya.get('/referrals/settings');
  assert.match(page.body, new RegExp(`Re-referrals in the last 12 months: <strong>${counts.re} of ${counts.total}</strong>`));
  assert.ok(counts.re >= 1, 'the demo has a re-referral');
});

test('bad settings are refused with a message per field and nothing is changed', async () => {
  const before = await t.services.referrals.settingsFor(t.db, cmht);
  const { landed } = await submit(priya, '/referrals/settings', { acceptsReferrals: 'maybe', requiredInformation: 'gp_letter', informationRequestWorkingDays: '0', waitingRiskCheckDays: 'soon', version: String(await version()) });
  assert.equal(landed.statusCode, 400);
  assert.deepEqual(errorSummary(landed.body).map((line) => line.split(':')[0]), ['acceptsReferrals', 'requiredInformation', 'informationRequestWorkingDays', 'waitingRiskCheckDays']);
  assert.deepEqual(await t.services.referrals.settingsFor(t.db, cmht), before);
});

test('only managers change them: a coordinator is refused (page and API) and the refusal recorded', async () => {
  assert.equal((await tom.get('/referrals/settings')).statusCode, 403);
  const api = await apiClient(t, 'tom.okafor@riverside-nhs.example');
  const response = await api.put('/api/v1/referral-settings', { acceptsReferrals: 'no', informationRequestWorkingDays: 5, waitingRiskCheckDays: 14 });
  assert.equal(response.statusCode, 403);
  await assert.rejects(t.services.referrals.updateOwnSettings(api.actor, {}), (e: DomainError) => e.kind === 'forbidden');
});

test('the API reads and changes the manager’s own team’s settings', async () => {
  const api = await apiClient(t, 'priya.raman@riverside-nhs.example');
  const { version: before } = (await api.get('/api/v1/referral-settings')).json();
  const changed = await api.put('/api/v1/referral-settings', { acceptsReferrals: 'yes', requiredInformation: ['reason'], automaticallyUrgentAgencies: [], informationRequestWorkingDays: 5, waitingRiskCheckDays: 14, version: before });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().version, before + 1);
  const read = (await api.get('/api/v1/referral-settings')).json();
  assert.deepEqual(read, { acceptsReferrals: true, requiredInformation: ['reason'], automaticallyUrgentAgencies: [], informationRequestWorkingDays: 5, waitingRiskCheckDays: 14, version: before + 1 });
  const bad = await api.put('/api/v1/referral-settings', { acceptsReferrals: 'yes', informationRequestWorkingDays: 99, waitingRiskCheckDays: 14, version: before + 1 });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].field, 'informationRequestWorkingDays');
});
