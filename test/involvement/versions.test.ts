import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { involvementApiPaths as api, involvementPaths as paths } from '../../src/modules/involvement/paths.js';
import { housingForm, involvementWorld, JADE, TOM } from './world.js';

/**
 * No silent overwrites (issue 9, item 7): two coordinators open the same version of an agency's
 * involvement; the first changes it, the second's change or end is refused with 409 (API) or the form
 * again with the error and what is saved now (pages), and nothing of the second is written.
 */
const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const w = await involvementWorld(t);
const tom = await w.browser(TOM);
const jade = await w.browser(JADE); // Pathways' coordinator: an agency in the person's care, so she manages it too
const tomApi = await apiClient(t, TOM);
const jadeApi = await apiClient(t, JADE);

const versionIn = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!;
const CHANGED = /This agency’s involvement changed since you opened it/;

/** A person in Riverside's care with Harbour Housing (a partner leading on housing) and Pathways involved. */
async function withHousing(name: [string, string]) {
  const personId = await w.personInCare(name);
  await w.consent(personId, { agencyIds: [w.ids.housing, w.ids.pathways] });
  assert.equal((await submit(tom, paths.add(personId), housingForm(w.ids))).posted.statusCode, 303);
  const pathways = { ...housingForm(w.ids), agencyId: w.ids.pathways, teamId: w.ids.pathwaysTeam, domains: ['substance_use'], leadDomains: [] };
  assert.equal((await submit(tom, paths.add(personId), pathways)).posted.statusCode, 303);
  return { personId, housing: (await w.involvementOf(personId, w.ids.housing))! };
}

/** The involvement rows and the audit trail: the second editor's refusal changes neither. */
async function unchangedBy(personId: string, refuse: () => Promise<void>) {
  const rows = JSON.stringify(await w.involvements(personId));
  const audit = await lastAuditId(t);
  await refuse();
  assert.equal(JSON.stringify(await w.involvements(personId)), rows, 'nothing of the second editor is written');
  // Opening a form is a recorded read; nothing else is recorded.
  assert.deepEqual((await auditSince(t, audit)).filter((e) => e.action !== 'involvement.viewed'), []);
}

describe('two coordinators with the same version of an involvement', () => {
  test('in the pages, change then change: the second is shown the error and what is saved now', async () => {
    const { personId, housing } = await withHousing(['Aled', 'Twice']);
    const url = paths.change(personId, housing.id);
    const a = await tom.get(url);
    const b = await jade.get(url);
    assert.equal(versionIn(a.body), versionIn(b.body));
    const saved = await tom.post(url, { ...housingForm(w.ids), contactPhone: '01632 960 111', version: versionIn(a.body) });
    assert.equal(saved.statusCode, 303);
    const after = (await w.involvementOf(personId, w.ids.housing))!;

    await unchangedBy(personId, async () => {
      const refused = await jade.post(url, { ...housingForm(w.ids), contactPhone: '01632 960 222', version: versionIn(b.body) });
      assert.equal(refused.statusCode, 303);
      const landed = await jade.get(String(refused.headers.location));
      assert.equal(landed.statusCode, 400);
      assert.match(errorSummary(landed.body).join('\n'), CHANGED);
      assert.equal(versionIn(landed.body), String(Number(versionIn(a.body)) + 1), 'the form now carries the saved version');
      assert.match(landed.body, /value="01632 960 111"/, 'and shows what is saved');
      assert.doesNotMatch(landed.body, /01632 960 222/);
    });
    assert.match(JSON.parse(after.key_contact!).phone, /960 111/);
  });

  test('in the pages, change then end: the end is refused and the end page shows what is saved', async () => {
    const { personId, housing } = await withHousing(['Bethan', 'Ended']);
    const opened = await jade.get(paths.end(personId, housing.id));
    assert.match(opened.body, /Housing<br>Money and benefits/);
    const changed = await submit(tom, paths.change(personId, housing.id), { ...housingForm(w.ids), domains: ['housing', 'safety'], version: await w.versionOf(housing.id) });
    assert.equal(changed.posted.statusCode, 303);

    await unchangedBy(personId, async () => {
      const refused = await jade.post(paths.end(personId, housing.id), { reason: 'Tenancy secured', version: versionIn(opened.body) });
      assert.equal(refused.statusCode, 303);
      const landed = await jade.get(String(refused.headers.location));
      assert.equal(landed.statusCode, 400);
      assert.match(errorSummary(landed.body).join('\n'), CHANGED);
      assert.match(landed.body, /Housing<br>Safety and risk/, 'the change made meanwhile is shown');
      assert.equal(versionIn(landed.body), await w.versionOf(housing.id));
    });
    assert.equal((await w.involvementOf(personId, w.ids.housing))!.ended_at, null, 'still involved');
  });

  test('through the API: a stale change or end is 409 and writes nothing; the answers carry the version', async () => {
    const { personId, housing } = await withHousing(['Cerys', 'Api']);
    const listed = (await tomApi.get(api.involvements(personId))).json();
    const version = listed.current.find((i: { id: string }) => i.id === housing.id).version as number;
    assert.equal(version, Number(await w.versionOf(housing.id)), 'the list answers each involvement’s version');

    const first = await tomApi.patch(api.involvement(personId, housing.id), { domains: ['housing'], leadDomains: ['housing'], version });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().version, version + 1);

    await unchangedBy(personId, async () => {
      const change = await jadeApi.patch(api.involvement(personId, housing.id), { domains: ['housing', 'money'], version });
      assert.equal(change.statusCode, 409, change.body);
      assert.match(String(change.headers['content-type']), /^application\/problem\+json/);
      assert.equal(change.json().code, 'INVOLVEMENT.CHANGED');
      assert.match(change.json().title, CHANGED);
      const end = await jadeApi.post(api.end(personId, housing.id), { reason: 'Not needed', version });
      assert.equal(end.statusCode, 409, end.body);
      assert.equal(end.json().code, 'INVOLVEMENT.CHANGED');
    });

    const ended = await jadeApi.post(api.end(personId, housing.id), { reason: 'Not needed', version: version + 1 });
    assert.equal(ended.statusCode, 200, ended.body);
    assert.equal(ended.json().version, version + 2, 'ending raises the version too');
  });

  test('a missing or malformed version is 400 naming the field `version`, for a change and an end, API and pages', async () => {
    const { personId, housing } = await withHousing(['Dafydd', 'Malformed']);
    for (const bad of [undefined, '', true, 0, 1.5, 'abc', -1, '1; drop']) {
      await unchangedBy(personId, async () => {
        const change = await tomApi.patch(api.involvement(personId, housing.id), { domains: ['housing'], version: bad });
        assert.equal(change.statusCode, 400, `${String(bad)}: ${change.body}`);
        assert.deepEqual(change.json().errors.map((e: { field: string }) => e.field), ['version']);
        const end = await tomApi.post(api.end(personId, housing.id), { reason: 'Not needed', version: bad });
        assert.equal(end.statusCode, 400, `${String(bad)}: ${end.body}`);
        assert.deepEqual(end.json().errors.map((e: { field: string }) => e.field), ['version']);
      });
    }
    for (const bad of ['', '0', '1.5', 'abc']) {
      await unchangedBy(personId, async () => {
        const change = await submit(tom, paths.change(personId, housing.id), { ...housingForm(w.ids), version: bad });
        assert.equal(change.landed.statusCode, 400);
        assert.deepEqual(errorSummary(change.landed.body).map((line) => line.split(':')[0]), ['version']);
        const end = await submit(tom, paths.end(personId, housing.id), { reason: 'Not needed', version: bad });
        assert.equal(end.landed.statusCode, 400);
        assert.deepEqual(errorSummary(end.landed.body).map((line) => line.split(':')[0]), ['version']);
      });
    }
    const noVersion = await submit(tom, paths.end(personId, housing.id), { reason: 'Not needed' });
    assert.deepEqual(errorSummary(noVersion.landed.body).map((line) => line.split(':')[0]), ['version']);
  });
});
