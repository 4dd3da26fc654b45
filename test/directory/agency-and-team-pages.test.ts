import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { directoryPaths as paths } from '../../src/modules/directory/paths.js';

/** The version an edit form carries, as the browser would send it back. */
const versionOn = async (browser: Browser, url: string) => /name="version" value="(\d+)"/.exec((await browser.get(url)).body)![1]!;


const t: TestConcord = await testConcord();
const alex = await new Browser(t.app).signIn('alex.morgan@northshire-care.example');
const tom = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example');

const ALEX_ID = (await t.pool.query(`select id from app_user where email = 'alex.morgan@northshire-care.example'`)).rows[0].id as string;

async function idOf(table: 'agency' | 'team', name: string): Promise<string> {
  const rows = await t.pool.query(`select id from ${table} where name = $1`, [name]);
  assert.equal(rows.rowCount, 1, `one ${table} named ${name}`);
  return rows.rows[0].id as string;
}



describe('the agencies list', () => {
  test('everyone signed in sees every agency with its counts of active teams and users, and a way to find people', async () => {
    const page = await tom.get(paths.index());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-qa="agencies"/);
    assert.match(page.body, /Riverside NHS Mental Health Trust<\/a>[\s\S]*?NHS mental health service[\s\S]*?>\s*5\s*<[\s\S]*?>\s*6\s*</, 'Riverside: 5 teams, 6 active users');
    assert.match(page.body, new RegExp(`href="${paths.users()}"[^>]*data-qa="find-people"`));
    assert.doesNotMatch(page.body, /Add an agency/, 'only partnership administrators add agencies');
  });

  test('a partnership administrator is offered "Add an agency"', async () => {
    const page = await alex.get(paths.index());
    assert.match(page.body, new RegExp(`href="${paths.agencyNew()}"[^>]*data-qa="add-agency"`));
  });
});

describe('adding and changing an agency', () => {
  test('a partnership administrator adds an agency: it is saved, the audit trail names it, and its page says so', async () => {
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(alex, paths.agencyNew(), { name: '  Northshire Hospice ', type: 'voluntary_sector', email: 'office@northshire-hospice.example', phone: '' });
    assert.equal(posted.statusCode, 303);
    const id = await idOf('agency', 'Northshire Hospice');
    assert.equal(posted.headers.location, paths.agency(id));
    assert.equal(landed.statusCode, 200);
    assert.match(landed.body, /data-qa="notice"[\s\S]*Northshire Hospice has been added/);
    assert.match(landed.body, /office@northshire-hospice\.example/);
    assert.match(landed.body, /Northshire Hospice has no teams yet/);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id, e.actor_user_id]), [['directory.agency_created', 'agency', id, ALEX_ID]]);
    assert.equal(events[0]!.details.type, 'voluntary_sector');
  });

  test('a name over 120 characters, a bad email and no type each get a message; what was typed is kept and nothing is written', async () => {
    const agencies = await countRows(t, 'agency');
    const before = await lastAuditId(t);
    const longName = 'Northshire '.repeat(11) + 'Trust';
    const { posted, landed } = await submit(alex, paths.agencyNew(), { name: longName, email: 'office at hospice', phone: '01632 960 999' });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.agencyNew(), 'back to the same form');
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), [
      'name: The agency name must be 120 characters or fewer',
      'type: Select the type of agency',
      'email: Enter an email address in the correct format, like name@example.org',
    ]);
    assert.match(landed.body, /<title>Error: Add an agency/);
    assert.match(landed.body, new RegExp(`value="${longName}"`));
    assert.match(landed.body, /value="office at hospice"/);
    assert.match(landed.body, /value="01632 960 999"/);
    assert.equal(await countRows(t, 'agency'), agencies);
    assert.deepEqual(await auditSince(t, before), []);
  });

  test('a second agency with the same name is refused with a clear message and nothing is written', async () => {
    const agencies = await countRows(t, 'agency');
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.agencyNew(), { name: 'Harbour Housing Options', type: 'housing' });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['name: An agency with that name is already in the partnership']);
    assert.equal(await countRows(t, 'agency'), agencies);
    assert.deepEqual(await auditSince(t, before), []);
  });

  test('changing an agency shows its current details, saves the change and records what changed', async () => {
    const id = await idOf('agency', 'Millbrook Medical Practice');
    const form = await alex.get(paths.agencyEdit(id));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Millbrook Medical Practice"/);
    assert.match(form.body, /value="gp_practice" checked/);
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.agencyEdit(id), { name: 'Millbrook Medical Practice', type: 'gp_practice', phone: '01632 960 555', email: '', version: await versionOn(alex, paths.agencyEdit(id)) });
    assert.match(landed.body, /Millbrook Medical Practice has been updated/);
    assert.match(landed.body, /01632 960 555/);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['directory.agency_updated', id]]);
    assert.deepEqual(events[0]!.details.changes, { phone: { from: '01632 960 500', to: '01632 960 555' } });
  });

  test('deactivating an agency asks first, then marks it deactivated; reactivating brings it back', async () => {
    const id = await idOf('agency', 'Open Door Voluntary Services');
    const question = await alex.get(paths.agencyDeactivate(id));
    assert.equal(question.statusCode, 200);
    assert.match(question.body, /Deactivate Open Door Voluntary Services\?/);
    assert.match(question.body, new RegExp(`action="${paths.agencyDeactivate(id)}"`));
    const before = await lastAuditId(t);
    const deactivated = await alex.post(paths.agencyDeactivate(id));
    assert.equal(deactivated.statusCode, 303);
    const page = await alex.get(paths.agency(id));
    assert.match(page.body, /Open Door Voluntary Services has been deactivated/);
    assert.match(page.body, /govuk-tag--grey" data-qa="status">Deactivated/);
    assert.match(page.body, new RegExp(`href="${paths.agencyReactivate(id)}"`));
    assert.equal((await t.pool.query('select active from agency where id = $1', [id])).rows[0].active, false);

    await alex.get(paths.agencyReactivate(id));
    await alex.post(paths.agencyReactivate(id));
    assert.equal((await t.pool.query('select active from agency where id = $1', [id])).rows[0].active, true);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [
      ['directory.agency_deactivated', 'agency', id],
      ['directory.agency_reactivated', 'agency', id],
    ]);
  });

  test('an agency reference that is not a UUID, or that does not exist, is "Page not found"', async () => {
    assert.equal((await tom.get('/directory/agencies/1')).statusCode, 404);
    assert.equal((await tom.get("/directory/agencies/' or 1=1 --")).statusCode, 404);
    assert.equal((await tom.get(paths.agency('00000000-0000-4000-8000-000000000000'))).statusCode, 404);
    assert.equal((await alex.get('/directory/agencies/not-an-id/edit')).statusCode, 404);
  });
});

describe('teams', () => {
  test('a partnership administrator adds a team to an agency; it appears on the agency page and in the audit trail', async () => {
    const agencyId = await idOf('agency', 'Harbour Housing Options');
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(alex, paths.teamNew(agencyId), { name: 'Tenancy Sustainment', description: 'Helps people keep their homes.', email: '', phone: '' });
    const teamId = await idOf('team', 'Tenancy Sustainment');
    assert.equal(posted.headers.location, paths.team(teamId));
    assert.match(landed.body, /Tenancy Sustainment has been added/);
    assert.match(landed.body, /Helps people keep their homes\./);
    assert.match(landed.body, /Tenancy Sustainment has no active members/);
    const agencyPage = await tom.get(paths.agency(agencyId));
    assert.match(agencyPage.body, new RegExp(`href="${paths.team(teamId)}">Tenancy Sustainment<`));
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [['directory.team_created', 'team', teamId]]);
    assert.equal(events[0]!.details.agencyId, agencyId);
  });

  test('a team needs a name; a description over 500 characters is refused; nothing is written', async () => {
    const agencyId = await idOf('agency', 'Harbour Housing Options');
    const teams = await countRows(t, 'team');
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.teamNew(agencyId), { name: '', description: 'x'.repeat(501) });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['name: Enter the team name', 'description: The description must be 500 characters or fewer']);
    assert.match(landed.body, new RegExp(`>${'x'.repeat(501)}</textarea>`), 'the description stays typed');
    assert.equal(await countRows(t, 'team'), teams);
    assert.deepEqual(await auditSince(t, before), []);
  });

  test('an agency cannot have two teams with the same name, but another agency can use it', async () => {
    const riverside = await idOf('agency', 'Riverside NHS Mental Health Trust');
    const teams = await countRows(t, 'team');
    const { landed } = await submit(alex, paths.teamNew(riverside), { name: 'Business Support' });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['name: Riverside NHS Mental Health Trust already has a team with that name']);
    assert.equal(await countRows(t, 'team'), teams);

    const police = await idOf('agency', 'Northshire Police');
    const elsewhere = await submit(alex, paths.teamNew(police), { name: 'Business Support' });
    assert.equal(elsewhere.landed.statusCode, 200);
    assert.equal(await countRows(t, 'team'), teams + 1);
  });

  test('a team page lists its active members with their roles in that team', async () => {
    const teamId = await idOf('team', 'Riverside Community Mental Health Team');
    const page = await tom.get(paths.team(teamId));
    assert.equal(page.statusCode, 200);
    const members = /data-qa="members"[\s\S]*?<\/table>/.exec(page.body)![0];
    assert.match(members, /Priya Raman[\s\S]*?Team manager/);
    assert.match(members, /Tom Okafor[\s\S]*?Care coordinator/);
    assert.doesNotMatch(members, /Peter Quinn/, 'deactivated users are not listed');
    assert.doesNotMatch(page.body, /Change team details/, 'a care coordinator cannot manage the team');
  });

  test('changing a team and deactivating it are recorded against the team', async () => {
    const teamId = await idOf('team', 'Pathways Recovery Team');
    const before = await lastAuditId(t);
    const changed = await submit(alex, paths.teamEdit(teamId), { name: 'Pathways Recovery Team', description: 'Community recovery support.', phone: '01632 960 600', version: await versionOn(alex, paths.teamEdit(teamId)) });
    assert.match(changed.landed.body, /Pathways Recovery Team has been updated/);
    const question = await alex.get(paths.teamDeactivate(teamId));
    assert.match(question.body, /Deactivate Pathways Recovery Team\?/);
    await alex.post(paths.teamDeactivate(teamId));
    const page = await alex.get(paths.team(teamId));
    assert.match(page.body, /Pathways Recovery Team has been deactivated/);
    assert.match(page.body, new RegExp(`href="${paths.teamReactivate(teamId)}"`));
    await alex.get(paths.teamReactivate(teamId));
    await alex.post(paths.teamReactivate(teamId));
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [
      ['directory.team_updated', 'team', teamId],
      ['directory.team_deactivated', 'team', teamId],
      ['directory.team_reactivated', 'team', teamId],
    ]);
  });

  test('a form sent without its CSRF token is refused and nothing is written', async () => {
    const agencyId = await idOf('agency', 'Harbour Housing Options');
    const teams = await countRows(t, 'team');
    const refused = await alex.post(paths.teamNew(agencyId), { name: 'Forged Team' }, { csrf: 'forged' });
    assert.equal(refused.statusCode, 403);
    assert.equal(await countRows(t, 'team'), teams);
  });
});
