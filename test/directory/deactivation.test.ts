import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, DEMO_PASSWORD, apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { directoryApiPaths as api, directoryPaths as paths } from '../../src/modules/directory/paths.js';

/** Deactivating a user stops their access at once: the session they have open and their API tokens end with it. */
const t: TestConcord = await testConcord();
const alex = await new Browser(t.app).signIn('alex.morgan@northshire-care.example');
const alexApi = await apiClient(t, 'alex.morgan@northshire-care.example');

const userId = async (email: string) => (await t.pool.query('select id from app_user where email = $1', [email])).rows[0].id as string;

async function cannotSignIn(email: string) {
  const browser = new Browser(t.app);
  await browser.get('/sign-in');
  const attempt = await browser.post('/sign-in', { email, password: DEMO_PASSWORD });
  assert.equal(attempt.statusCode, 401);
}

describe('deactivating a user from the pages', () => {
  test('the confirmation page explains that sessions and API tokens end immediately', async () => {
    const page = await alex.get(paths.userDeactivate(await userId('raj.patel@northshire-council.example')));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Deactivate Raj Patel\?/);
    assert.match(page.body, /data-qa="warning"[\s\S]*Any session they have open and all their API tokens end immediately/);
    assert.match(page.body, /govuk-button--warning[^>]*data-qa="confirm"|data-qa="confirm"[^>]*govuk-button--warning/);
  });

  test('their open session ends on the very next request, their API token is refused, and they cannot sign in', async () => {
    const email = 'tom.okafor@riverside-nhs.example';
    const tom = await new Browser(t.app).signIn(email);
    const tomApi = await apiClient(t, email);
    assert.equal((await tom.get(paths.index())).statusCode, 200);
    assert.equal((await tomApi.get(api.agencies())).statusCode, 200);

    const id = await userId(email);
    const before = await lastAuditId(t);
    await alex.get(paths.userDeactivate(id));
    const done = await alex.post(paths.userDeactivate(id));
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, paths.user(id));
    const page = await alex.get(paths.user(id));
    assert.match(page.body, /Tom Okafor has been deactivated: 1 session and 1 API token ended/);
    assert.match(page.body, /govuk-tag--grey" data-qa="status">Deactivated/);

    const next = await tom.get(paths.index());
    assert.equal(next.statusCode, 303);
    assert.match(String(next.headers.location), /^\/sign-in/);
    const call = await tomApi.get(api.agencies());
    assert.equal(call.statusCode, 401);
    await cannotSignIn(email);

    const events = await auditSince(t, before);
    const deactivated = events.filter((e) => e.action === 'directory.user_deactivated');
    assert.equal(deactivated.length, 1);
    assert.equal(deactivated[0]!.subject_id, id);
    assert.deepEqual(deactivated[0]!.details, { sessionsEnded: 1, tokensRevoked: 1 });
  });

  test('a deactivated user disappears from the directory for everyone but administrators', async () => {
    const raj = await new Browser(t.app).signIn('raj.patel@northshire-council.example');
    const search = await raj.get(paths.userSearch({ q: 'okafor' }));
    assert.doesNotMatch(search.body, /Tom Okafor/);
    const adminSearch = await alex.get(paths.userSearch({ q: 'okafor', includeInactive: true }));
    assert.match(adminSearch.body, /Tom Okafor<\/a> <strong class="govuk-tag govuk-tag--grey"/);
  });

  test('reactivating lets them sign in again', async () => {
    const id = await userId('tom.okafor@riverside-nhs.example');
    await alex.get(paths.userReactivate(id));
    await alex.post(paths.userReactivate(id));
    await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example');
  });
});

describe('deactivating a user through the API', () => {
  test('ends their session and token at once and answers with the deactivated user', async () => {
    const email = 'kofi.mensah@harbour-housing.example';
    const kofi = await new Browser(t.app).signIn(email);
    const kofiApi = await apiClient(t, email);
    const id = await userId(email);
    const response = await alexApi.post(api.userDeactivate(id));
    assert.equal(response.statusCode, 200);
    const body = JSON.parse(response.body);
    assert.equal(body.active, false);
    assert.match(body.deactivatedAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal((await kofi.get(paths.index())).statusCode, 303);
    assert.equal((await kofiApi.get(api.agencies())).statusCode, 401);
  });

  test('deactivating someone already deactivated, or yourself, is a 409 and writes nothing', async () => {
    const before = await lastAuditId(t);
    const again = await alexApi.post(api.userDeactivate(await userId('kofi.mensah@harbour-housing.example')));
    assert.equal(again.statusCode, 409);
    assert.equal(JSON.parse(again.body).code, 'DIRECTORY.USER_ALREADY_INACTIVE');
    const self = await alexApi.post(api.userDeactivate(alexApi.actor.userId));
    assert.equal(self.statusCode, 409);
    assert.equal(JSON.parse(self.body).code, 'DIRECTORY.CANNOT_DEACTIVATE_SELF');
    assert.deepEqual(await auditSince(t, before), []);
    assert.equal((await alexApi.get(api.agencies())).statusCode, 200, 'the administrator’s own token still works');
  });
});

describe('setting a new password', () => {
  test('also ends the user’s open session and API tokens, since it is often done when an account may be compromised', async () => {
    const email = 'jade.robinson@pathways.example';
    const jade = await new Browser(t.app).signIn(email);
    const jadeApi = await apiClient(t, email);
    const response = await alexApi.put(api.userPassword(await userId(email)), { password: 'thistle quarry beacon' });
    assert.equal(response.statusCode, 204);
    assert.equal((await jade.get(paths.index())).statusCode, 303);
    assert.equal((await jadeApi.get(api.agencies())).statusCode, 401);
    await new Browser(t.app).signIn(email, 'thistle quarry beacon');
  });
});
