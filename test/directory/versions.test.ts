import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { directoryApiPaths as api, directoryPaths as paths } from '../../src/modules/directory/paths.js';

/**
 * No silent overwrites (issue 9, item 7): two editors open the same version of an agency, a team, a
 * user or a membership's roles; the first saves, the second is refused with 409 (API) or the form again
 * with the error and what is saved now (pages), and nothing of the second is written.
 */
const t: TestConcord = await testConcord();
const ALEX = 'alex.morgan@northshire-care.example';
const first = await new Browser(t.app).signIn(ALEX);
const second = await new Browser(t.app).signIn('aisha.bello@riverside-nhs.example');
const client = await apiClient(t, ALEX);

const one = async (sql: string, value: string) => (await t.pool.query(sql, [value])).rows[0];
const RIVERSIDE = (await one('select id from agency where name = $1', 'Riverside NHS Mental Health Trust')).id as string;
const POLICE = (await one('select id from agency where name = $1', 'Northshire Police')).id as string;
const CRISIS = (await one('select id from team where name = $1', 'Crisis Resolution and Home Treatment')).id as string;
const DANIEL = (await one('select id from app_user where email = $1', 'daniel.hughes@riverside-nhs.example')).id as string;
const DANIELS = (await one('select id from team_membership where user_id = $1 and active', DANIEL)).id as string;
const versionIn = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!;

type Case = { what: string; table: string; id: string; form: (mark: string) => Record<string, string | string[]>; edit: string; apiPut: string; column: string; message: RegExp };
const CASES: Case[] = [
  { what: 'an agency', table: 'agency', id: POLICE, edit: paths.agencyEdit(POLICE), apiPut: api.agency(POLICE), column: 'phone', message: /This agency changed since you opened it/, form: (mark) => ({ name: 'Northshire Police', type: 'police', phone: mark }) },
  { what: 'a team', table: 'team', id: CRISIS, edit: paths.teamEdit(CRISIS), apiPut: api.team(CRISIS), column: 'phone', message: /This team changed since you opened it/, form: (mark) => ({ name: 'Crisis Resolution and Home Treatment', phone: mark }) },
  { what: 'a user', table: 'app_user', id: DANIEL, edit: paths.userEdit(DANIEL), apiPut: api.user(DANIEL), column: 'phone', message: /This user changed since you opened it/, form: (mark) => ({ name: 'Daniel Hughes', email: 'daniel.hughes@riverside-nhs.example', phone: mark }) },
  { what: 'a membership’s roles', table: 'team_membership', id: DANIELS, edit: paths.membershipRoles(DANIELS), apiPut: api.membershipRoles(DANIELS), column: 'roles', message: /This membership changed since you opened it/, form: (mark) => ({ roles: mark === '01632 960 111' ? ['practitioner', 'care_coordinator'] : ['care_coordinator'] }) },
];
// The police agency is the partnership's to change; the others Aisha (Riverside's administrator) may change too.
const secondFor = (c: Case) => (c.table === 'agency' ? new Browser(t.app).signIn(ALEX) : Promise.resolve(second));
const stored = async (c: Case) => (await t.pool.query(`select ${c.column} as value, version from ${c.table} where id = $1`, [c.id])).rows[0];

describe('two editors of the same version', () => {
  for (const c of CASES) {
    test(`${c.what}, in the pages: the second is shown the error and what is saved now; nothing of theirs is written`, async () => {
      const other = await secondFor(c);
      const a = await first.get(c.edit);
      const b = await other.get(c.edit);
      assert.equal(versionIn(a.body), versionIn(b.body));
      const saved = await first.post(c.edit, { ...c.form('01632 960 111'), version: versionIn(a.body) });
      assert.equal(saved.statusCode, 303);
      const after = await stored(c);
      const before = await lastAuditId(t);
      const refused = await other.post(c.edit, { ...c.form('01632 960 222'), version: versionIn(b.body) });
      assert.equal(refused.statusCode, 303);
      const landed = await other.get(String(refused.headers.location));
      assert.equal(landed.statusCode, 400);
      assert.match(landed.body, c.message);
      assert.equal(versionIn(landed.body), String(after.version), 'the form now carries the saved version');
      if (c.column === 'phone') {
        assert.match(landed.body, /value="01632 960 111"/, 'and shows what is saved');
        assert.doesNotMatch(landed.body, /01632 960 222/);
      }
      assert.deepEqual(await stored(c), after);
      assert.deepEqual(await auditSince(t, before), []);
    });

    test(`${c.what}, through the API: 409, and a missing or malformed version is 400`, async () => {
      const { version } = await stored(c);
      const ok = await client.put(c.apiPut, { ...c.form('01632 960 333'), version });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(JSON.parse(ok.body).version, version + 1);
      const after = await stored(c);
      const before = await lastAuditId(t);
      const stale = await client.put(c.apiPut, { ...c.form('01632 960 444'), version });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.equal(JSON.parse(stale.body).code, 'DIRECTORY.CHANGED');
      assert.match(JSON.parse(stale.body).title, c.message);
      for (const bad of [undefined, 'two', true, 0, 1.5, '']) {
        const response = await client.put(c.apiPut, { ...c.form('01632 960 555'), version: bad });
        assert.equal(response.statusCode, 400, `${String(bad)}: ${response.body}`);
        assert.deepEqual(JSON.parse(response.body).errors.map((e: { field: string }) => e.field), ['version']);
      }
      assert.deepEqual(await stored(c), after);
      assert.deepEqual(await auditSince(t, before), []);
    });
  }

  test('deactivating and reactivating raise the version, so a form opened before is refused', async () => {
    const form = await first.get(paths.teamEdit(CRISIS));
    await first.post(paths.teamDeactivate(CRISIS));
    await first.post(paths.teamReactivate(CRISIS));
    const refused = await first.post(paths.teamEdit(CRISIS), { name: 'Crisis Team', version: versionIn(form.body) });
    assert.match((await first.get(String(refused.headers.location))).body, /This team changed since you opened it/);
    assert.equal((await one('select name from team where id = $1', CRISIS)).name, 'Crisis Resolution and Home Treatment');
    assert.ok(RIVERSIDE);
  });
});
