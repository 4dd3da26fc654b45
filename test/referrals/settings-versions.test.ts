import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { actorFor } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import type { DomainError } from '../../src/platform/errors.js';

/**
 * No silent overwrites (issue 9, item 7) for how a team takes referrals: two managers (or one in two
 * tabs) open the same version of the settings; the first saves, the second is refused with 409 (API)
 * or the form again with the error and what is saved now (page), and nothing of the second is written.
 * A team with no settings saved is at version 0: its first save makes version 1, and of two first
 * saves at once the second is refused too.
 */
const t: TestConcord = await testConcord();
const PRIYA = 'priya.raman@riverside-nhs.example'; // CMHT team manager
const teamOf = async (name: string) => (await t.pool.query('select id from team where name = $1', [name])).rows[0].id as string;
const CMHT = await teamOf('Riverside Community Mental Health Team');
const DUTY = await teamOf('Adult Social Care Duty Team');
const MASH = await teamOf('Children’s Front Door (MASH)');
const PAGE = '/referrals/settings';
const API = '/api/v1/referral-settings';

const versionIn = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!;
const CHANGED = /This team’s way of taking referrals changed since you opened it/;
const stored = async (teamId: string) => (await t.pool.query('select * from receiving_service where team_id = $1', [teamId])).rows;

/** A complete form as the page sends it, told apart by the days to answer a request for information. */
const form = (days: number) => ({ acceptsReferrals: 'yes', requiredInformation: ['reason', 'consent'], informationRequestWorkingDays: String(days), waitingRiskCheckDays: '14' });
const body = (days: number) => ({ acceptsReferrals: 'yes', requiredInformation: ['reason'], automaticallyUrgentAgencies: [], informationRequestWorkingDays: days, waitingRiskCheckDays: 14 });

/** The settings row and the audit trail: the second editor's refusal changes neither. */
async function unchangedBy(teamId: string, refuse: () => Promise<void>) {
  const rows = JSON.stringify(await stored(teamId));
  const audit = await lastAuditId(t);
  await refuse();
  assert.equal(JSON.stringify(await stored(teamId)), rows, 'nothing of the second editor is written');
  assert.deepEqual(await auditSince(t, audit), []);
}

describe('two managers with the same version of the referral settings', () => {
  test('in the page: a team with none saved is at version 0; the first save makes 1; the second is shown the error and what is saved now', async () => {
    const first = await new Browser(t.app).signIn(PRIYA);
    const second = await new Browser(t.app).signIn(PRIYA);
    assert.deepEqual(await stored(CMHT), [], 'the demo saves no settings for the team');
    const a = await first.get(PAGE);
    const b = await second.get(PAGE);
    assert.equal(versionIn(a.body), '0');
    assert.equal(versionIn(b.body), '0');
    const saved = await first.post(PAGE, { ...form(3), version: versionIn(a.body) });
    assert.equal(saved.statusCode, 303);
    assert.equal((await stored(CMHT))[0].version, 1);

    await unchangedBy(CMHT, async () => {
      const refused = await second.post(PAGE, { ...form(9), version: versionIn(b.body) });
      assert.equal(refused.statusCode, 303);
      const landed = await second.get(String(refused.headers.location));
      assert.equal(landed.statusCode, 400);
      assert.match(errorSummary(landed.body).join('\n'), CHANGED);
      assert.equal(versionIn(landed.body), '1', 'the form now carries the saved version');
      assert.match(landed.body, /name="informationRequestWorkingDays" type="text" value="3"/, 'and shows what is saved');
      assert.doesNotMatch(landed.body, /value="9"/);
    });

    // Once saved, two editors of version 1: the same again.
    const c = await first.get(PAGE);
    const d = await second.get(PAGE);
    assert.equal((await first.post(PAGE, { ...form(4), version: versionIn(c.body) })).statusCode, 303);
    await unchangedBy(CMHT, async () => {
      const refused = await second.post(PAGE, { ...form(8), version: versionIn(d.body) });
      assert.match((await second.get(String(refused.headers.location))).body, CHANGED);
    });
    assert.deepEqual([(await stored(CMHT))[0].version, (await stored(CMHT))[0].information_request_working_days], [2, 4]);
  });

  test('through the API: the answers carry the version; a stale one is 409 problem+json and writes nothing', async () => {
    const first = await apiClient(t, 'mark.ellison@northshire-council.example');
    const second = await apiClient(t, 'mark.ellison@northshire-council.example');
    const read = (await first.get(API)).json();
    assert.equal(read.version, 0, 'no settings saved yet');
    assert.equal((await second.get(API)).json().version, 0);
    const ok = await first.put(API, { ...body(3), version: 0 });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().version, 1);
    assert.equal((await first.get(API)).json().version, 1);

    await unchangedBy(DUTY, async () => {
      for (const stale of [0, 2]) {
        const refused = await second.put(API, { ...body(9), version: stale });
        assert.equal(refused.statusCode, 409, refused.body);
        assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
        assert.equal(refused.json().code, 'REFERRALS.SETTINGS_CHANGED');
        assert.match(refused.json().title, CHANGED);
      }
    });
    const again = await second.put(API, { ...body(5), version: 1 });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().version, 2);
  });

  test('two first saves at once: one is saved, the other refused as changed', async () => {
    const owen = await actorFor(t, 'owen.price@northshire-childrens.example');
    const audit = await lastAuditId(t);
    const results = await Promise.allSettled([t.services.referrals.updateOwnSettings(owen, { ...body(3), version: 0 }), t.services.referrals.updateOwnSettings(owen, { ...body(7), version: 0 })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected')!.reason as DomainError;
    assert.equal(refused.code, 'REFERRALS.SETTINGS_CHANGED');
    const saved = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ informationRequestWorkingDays: number }>).value;
    const rows = await stored(MASH);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].version, rows[0].information_request_working_days], [1, saved.informationRequestWorkingDays]);
    assert.equal((await auditSince(t, audit)).filter((e) => e.action === 'referral.service_settings_changed').length, 1);
  });

  test('a missing or malformed version is 400 naming the field `version`, API and page; nothing is written', async () => {
    const api = await apiClient(t, PRIYA);
    const page = await new Browser(t.app).signIn(PRIYA);
    await unchangedBy(CMHT, async () => {
      for (const bad of [undefined, '', true, 1.5, 'abc', -1, null, '1; drop', [1]]) {
        const response = await api.put(API, { ...body(3), version: bad });
        assert.equal(response.statusCode, 400, `${JSON.stringify(bad)}: ${response.body}`);
        assert.deepEqual(response.json().errors.map((e: { field: string }) => e.field), ['version']);
      }
      for (const bad of ['', '1.5', 'abc', '-1']) {
        await page.get(PAGE);
        const posted = await page.post(PAGE, { ...form(3), version: bad });
        const landed = await page.get(String(posted.headers.location));
        assert.equal(landed.statusCode, 400);
        assert.deepEqual(errorSummary(landed.body).map((line) => line.split(':')[0]), ['version']);
      }
      await page.get(PAGE);
      const posted = await page.post(PAGE, form(3));
      assert.deepEqual(errorSummary((await page.get(String(posted.headers.location))).body).map((line) => line.split(':')[0]), ['version']);
    });
  });
});
