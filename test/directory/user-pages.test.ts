import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { directoryPaths as paths } from '../../src/modules/directory/paths.js';

/** The version an edit form carries, as the browser would send it back. */
const versionOn = async (browser: Browser, url: string) => /name="version" value="(\d+)"/.exec((await browser.get(url)).body)![1]!;


const t: TestConcord = await testConcord();
const alex = await new Browser(t.app).signIn('alex.morgan@northshire-care.example');

async function one(sql: string, params: unknown[]): Promise<string> {
  const rows = await t.pool.query(sql, params);
  assert.equal(rows.rowCount, 1, `${sql} ${params.join(', ')}`);
  return rows.rows[0].id as string;
}
const agencyId = (name: string) => one('select id from agency where name = $1', [name]);
const teamId = (name: string) => one('select id from team where name = $1', [name]);
const userId = (email: string) => one('select id from app_user where email = $1', [email]);
const membershipId = (email: string, team: string) =>
  one('select m.id from team_membership m join app_user u on u.id = m.user_id join team t on t.id = m.team_id where u.email = $1 and t.name = $2 and m.active', [email, team]);



const RIVERSIDE = await agencyId('Riverside NHS Mental Health Trust');
const CMHT = await teamId('Riverside Community Mental Health Team');
const CRISIS = await teamId('Crisis Resolution and Home Treatment');
const DUTY = await teamId('Adult Social Care Duty Team');
const GOOD_PASSWORD = 'lantern orchard pebble';

const newStarter = (overrides: Record<string, string | string[]> = {}) => ({
  name: 'Ruth Adeyemi',
  email: 'Ruth.Adeyemi@riverside-nhs.example',
  jobTitle: 'Community mental health nurse',
  phone: '01632 960 123',
  teamId: CMHT,
  roles: ['practitioner', 'care_coordinator'],
  password: GOOD_PASSWORD,
  ...overrides,
});

/** Counts that must not move when a submission is refused. */
async function snapshot() {
  return { users: await countRows(t, 'app_user'), credentials: await countRows(t, 'credential'), memberships: await countRows(t, 'team_membership'), audit: await lastAuditId(t) };
}
async function assertNothingWritten(before: Awaited<ReturnType<typeof snapshot>>) {
  const { audit, ...counts } = before;
  const { audit: _now, ...after } = await snapshot();
  assert.deepEqual(after, counts);
  assert.deepEqual((await auditSince(t, audit)).map((e) => e.action), []);
}

describe('adding a user', () => {
  test('the form offers the agency’s active teams, every role to a partnership administrator, and states the password policy', async () => {
    const form = await alex.get(paths.userNew(RIVERSIDE));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`<option value="${CMHT}">Riverside Community Mental Health Team</option>`));
    assert.doesNotMatch(form.body, new RegExp(DUTY), 'no teams of other agencies');
    assert.match(form.body, /value="partnership_administrator"/);
    assert.match(form.body, /At least 12 characters\. Do not use a common password/);
    assert.match(form.body, /type="password"[^>]*autocomplete="new-password"|autocomplete="new-password"[^>]*type="password"/);
  });

  test('a partnership administrator adds a user with a team and roles; they can then sign in with the initial password', async () => {
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(alex, paths.userNew(RIVERSIDE), newStarter());
    assert.equal(posted.statusCode, 303);
    const id = await userId('ruth.adeyemi@riverside-nhs.example');
    assert.equal(posted.headers.location, paths.user(id));
    assert.match(landed.body, /Ruth Adeyemi has been added/);
    assert.match(landed.body, /data-qa="memberships"[\s\S]*Riverside Community Mental Health Team[\s\S]*Practitioner[\s\S]*Care coordinator/);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [['directory.user_created', 'user', id]]);
    assert.deepEqual(events[0]!.details.roles, ['practitioner', 'care_coordinator']);
    assert.doesNotMatch(JSON.stringify(events[0]!.details), new RegExp(GOOD_PASSWORD), 'the password is never audited');

    const ruth = await new Browser(t.app).signIn('ruth.adeyemi@riverside-nhs.example', GOOD_PASSWORD);
    assert.match((await ruth.get('/')).body, /Ruth Adeyemi · Riverside Community Mental Health Team/);
  });

  const refusals: [string, Record<string, string | string[]>, string][] = [
    ['a name over 120 characters', { name: 'R'.repeat(121) }, 'name: The full name must be 120 characters or fewer'],
    ['no name', { name: '  ' }, 'name: Enter the full name'],
    ['a malformed email address', { email: 'ruth.adeyemi@' }, 'email: Enter an email address in the correct format, like name@example.org'],
    ['no roles', { roles: [] }, 'roles: Select at least one role'],
    ['an unknown role', { roles: ['practitioner', 'superuser'] }, 'roles: Select a role from the list'],
    ['no team', { teamId: '' }, 'teamId: Select a team'],
    ['a team of another agency', { teamId: DUTY }, 'teamId: Select a team in this agency'],
    ['a password under 12 characters', { password: 'short pass' }, 'password: Password must be 12 characters or more'],
    ['a common password', { password: 'password1234' }, 'password: That password is too common. Choose one that is harder to guess, such as three random words'],
    ['a telephone number with letters', { phone: 'ring reception' }, 'phone: Enter a telephone number, like 01632 960 001'],
  ];
  for (const [what, overrides, message] of refusals) {
    test(`${what} is refused with a message by the field, what was typed is kept, and nothing is written`, async () => {
      const before = await snapshot();
      const form = newStarter({ email: 'sam.kerr@riverside-nhs.example', ...overrides });
      const { posted, landed } = await submit(alex, paths.userNew(RIVERSIDE), form);
      assert.equal(posted.statusCode, 303);
      assert.equal(posted.headers.location, paths.userNew(RIVERSIDE));
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), [message]);
      assert.match(landed.body, new RegExp(`id="${message.split(':')[0]}-error"`), 'the message also sits by the field');
      if (typeof form.email === 'string' && !('email' in overrides)) assert.match(landed.body, /value="sam\.kerr@riverside-nhs\.example"/);
      assert.match(landed.body, /value="Community mental health nurse"/);
      assert.doesNotMatch(landed.body, new RegExp(String(form.password)), 'a password is never sent back');
      await assertNothingWritten(before);
    });
  }

  test('an empty form names every missing field at once, the password included, and writes nothing', async () => {
    const before = await snapshot();
    const { landed } = await submit(alex, paths.userNew(RIVERSIDE), {});
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body).map((line) => line.split(':')[0]), ['name', 'email', 'teamId', 'roles', 'password']);
    await assertNothingWritten(before);
  });

  test('the roles that were ticked stay ticked after a refusal', async () => {
    const { landed } = await submit(alex, paths.userNew(RIVERSIDE), newStarter({ email: 'not an email', roles: ['team_manager'] }));
    assert.match(landed.body, /value="team_manager" checked/);
    assert.doesNotMatch(landed.body, /value="practitioner" checked/);
  });

  test('an email address already in use (in any letter case) is refused with a clear message and nothing is written', async () => {
    const before = await snapshot();
    const { landed } = await submit(alex, paths.userNew(RIVERSIDE), newStarter({ email: 'TOM.OKAFOR@riverside-nhs.example' }));
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['email: A user with that email address already exists']);
    await assertNothingWritten(before);
  });
});

describe('a user’s page and details', () => {
  test('shows details, status and current teams with roles, and the actions a manager can take', async () => {
    const grace = await userId('grace.whitfield@riverside-nhs.example');
    const page = await alex.get(paths.user(grace));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Grace Whitfield <strong class="govuk-tag govuk-tag--green" data-qa="status">Active/);
    assert.match(page.body, /Riverside Community Mental Health Team[\s\S]*Care coordinator[\s\S]*Early Intervention in Psychosis[\s\S]*Practitioner/);
    for (const action of [paths.userEdit(grace), paths.userPassword(grace), paths.membershipNew(grace), paths.userDeactivate(grace)]) {
      assert.match(page.body, new RegExp(`href="${action}"`), action);
    }
  });

  test('changing details saves them and records what changed', async () => {
    const daniel = await userId('daniel.hughes@riverside-nhs.example');
    const form = await alex.get(paths.userEdit(daniel));
    assert.match(form.body, /value="Crisis practitioner"/);
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.userEdit(daniel), { name: 'Daniel Hughes', email: 'daniel.hughes@riverside-nhs.example', jobTitle: 'Senior crisis practitioner', phone: '', version: await versionOn(alex, paths.userEdit(daniel)) });
    assert.match(landed.body, /Daniel Hughes’s details have been updated/);
    assert.match(landed.body, /Senior crisis practitioner/);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['directory.user_updated', daniel]]);
    assert.deepEqual(events[0]!.details.changes, { jobTitle: { from: 'Crisis practitioner', to: 'Senior crisis practitioner' } });
  });

  test('changing someone’s email to one already in use is refused and nothing changes', async () => {
    const daniel = await userId('daniel.hughes@riverside-nhs.example');
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.userEdit(daniel), { name: 'Daniel Hughes', email: 'priya.raman@riverside-nhs.example', version: await versionOn(alex, paths.userEdit(daniel)) });
    assert.deepEqual(errorSummary(landed.body), ['email: A user with that email address already exists']);
    assert.match(landed.body, /value="priya\.raman@riverside-nhs\.example"/, 'what was typed is kept');
    assert.equal((await t.pool.query('select email from app_user where id = $1', [daniel])).rows[0].email, 'daniel.hughes@riverside-nhs.example');
    assert.deepEqual(await auditSince(t, before), []);
  });

  test('setting a new password: a weak one is refused; a good one works at sign-in and is recorded', async () => {
    const sophie = await userId('sophie.turner@northshire-council.example');
    const weak = await submit(alex, paths.userPassword(sophie), { password: 'abcdefghijklmnop' });
    assert.equal(weak.landed.statusCode, 400);
    assert.deepEqual(errorSummary(weak.landed.body), ['password: That password is a simple sequence. Choose one that is harder to guess']);
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.userPassword(sophie), { password: 'velvet harbour compass' });
    assert.match(landed.body, /The new password has been set/);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['directory.password_reset', sophie]]);
    await new Browser(t.app).signIn('sophie.turner@northshire-council.example', 'velvet harbour compass');
  });
});

describe('team memberships', () => {
  test('adding a user to another team of their agency; a team of another agency is refused', async () => {
    const tom = await userId('tom.okafor@riverside-nhs.example');
    const form = await alex.get(paths.membershipNew(tom));
    assert.match(form.body, new RegExp(`<option value="${CRISIS}">`));
    assert.doesNotMatch(form.body, new RegExp(`<option value="${CMHT}">`), 'not a team they are already in');

    const before = await snapshot();
    const wrong = await submit(alex, paths.membershipNew(tom), { teamId: DUTY, roles: ['practitioner'] });
    assert.equal(wrong.landed.statusCode, 400);
    assert.deepEqual(errorSummary(wrong.landed.body), ['teamId: Select an active team in Tom Okafor’s agency']);
    await assertNothingWritten(before);

    const { landed } = await submit(alex, paths.membershipNew(tom), { teamId: CRISIS, roles: 'practitioner' });
    assert.match(landed.body, /The team membership has been added/);
    const events = await auditSince(t, before.audit);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [['directory.membership_added', 'user', tom]]);
    assert.equal(events[0]!.details.teamId, CRISIS);
  });

  test('changing roles needs at least one role, and records the roles before and after', async () => {
    const membership = await membershipId('tom.okafor@riverside-nhs.example', 'Crisis Resolution and Home Treatment');
    const form = await alex.get(paths.membershipRoles(membership));
    assert.match(form.body, /value="practitioner" checked/);
    const before = await lastAuditId(t);
    const version = await versionOn(alex, paths.membershipRoles(membership));
    const none = await submit(alex, paths.membershipRoles(membership), { version });
    assert.equal(none.landed.statusCode, 400);
    assert.deepEqual(errorSummary(none.landed.body), ['roles: Select at least one role']);
    assert.deepEqual(await auditSince(t, before), []);

    const { landed } = await submit(alex, paths.membershipRoles(membership), { roles: ['practitioner', 'team_manager'], version });
    assert.match(landed.body, /Tom Okafor’s roles in Crisis Resolution and Home Treatment have been changed/);
    const events = await auditSince(t, before);
    // Team manager is a sensitive role: the Caldicott guardian is alerted in the same transaction.
    assert.deepEqual(events.map((e) => e.action), ['alert.raised', 'directory.membership_changed']);
    assert.deepEqual([events[1]!.details.before, events[1]!.details.after], [['practitioner'], ['practitioner', 'team_manager']]);
  });

  test('ending a membership asks first and is recorded; the last one cannot be ended', async () => {
    const tom = await userId('tom.okafor@riverside-nhs.example');
    const crisis = await membershipId('tom.okafor@riverside-nhs.example', 'Crisis Resolution and Home Treatment');
    const question = await alex.get(paths.membershipEnd(crisis));
    assert.match(question.body, /Remove Tom Okafor from Crisis Resolution and Home Treatment\?/);
    const before = await lastAuditId(t);
    await alex.post(paths.membershipEnd(crisis));
    const page = await alex.get(paths.user(tom));
    assert.match(page.body, /Tom Okafor is no longer a member of Crisis Resolution and Home Treatment/);
    assert.match(page.body, /data-qa="past-memberships"[\s\S]*Crisis Resolution and Home Treatment/);
    // The membership gave team manager (a sensitive role): ending it alerts the Caldicott guardian.
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['alert.raised', 'directory.membership_ended']);
    assert.deepEqual((await auditSince(t, before)).at(-1)!.subject_id, tom);

    const last = await membershipId('tom.okafor@riverside-nhs.example', 'Riverside Community Mental Health Team');
    const lastQuestion = await alex.get(paths.membershipEnd(last));
    assert.match(lastQuestion.body, /is Tom Okafor’s only team/);
    assert.doesNotMatch(lastQuestion.body, /data-qa="confirm"/, 'no button to press');
    const forced = await submit(alex, paths.membershipEnd(last), {});
    assert.equal(forced.landed.statusCode, 400);
    assert.match(forced.landed.body, /This is the user’s only team/);
    assert.equal((await t.pool.query('select active from team_membership where id = $1', [last])).rows[0].active, true);
  });
});

describe('deactivating and reactivating from the pages', () => {
  test('an administrator cannot deactivate themself: no link, and a forced attempt is refused', async () => {
    const self = await userId('alex.morgan@northshire-care.example');
    assert.doesNotMatch((await alex.get(paths.user(self))).body, new RegExp(`href="${paths.userDeactivate(self)}"`));
    const before = await lastAuditId(t);
    const { landed } = await submit(alex, paths.userDeactivate(self), {});
    assert.equal(landed.statusCode, 400);
    assert.match(landed.body, /You cannot deactivate your own account/);
    assert.equal((await t.pool.query('select active from app_user where id = $1', [self])).rows[0].active, true);
    assert.deepEqual(await auditSince(t, before), []);
  });

  test('reactivating a deactivated user asks first, then records it', async () => {
    const peter = await userId('peter.quinn@riverside-nhs.example');
    const page = await alex.get(paths.user(peter));
    assert.match(page.body, /govuk-tag--grey" data-qa="status">Deactivated/);
    assert.match((await alex.get(paths.userReactivate(peter))).body, /Reactivate Peter Quinn\?/);
    const before = await lastAuditId(t);
    await alex.post(paths.userReactivate(peter));
    assert.match((await alex.get(paths.user(peter))).body, /Peter Quinn has been reactivated/);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['directory.user_reactivated', peter]]);
    const again = await submit(alex, paths.userReactivate(peter), {});
    assert.equal(again.landed.statusCode, 400);
    assert.match(again.landed.body, /Peter Quinn is already active/);
  });
});
