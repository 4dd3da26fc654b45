import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countRows } from '../support/app.js';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { Header, SignInPage, signIn } from './support/pages.js';
import { DirectoryPage, type NewUser } from './support/directory-pages.js';

const ALEX = 'alex.morgan@northshire-care.example';

const concord = await browserConcord();

const NEW_HOUSING_OFFICER: NewUser = {
  name: 'Morgan Achebe',
  email: 'morgan.achebe@harbour-housing.example',
  jobTitle: 'Tenancy sustainment officer',
  team: 'Housing Options and Homelessness',
  roles: ['Practitioner'],
  password: 'Lantern-orchard-42',
};

describe('adding and deactivating a user in a browser', () => {
  test('a partnership administrator adds a user to an agency, and deactivating them ends the session they had open', async () => {
    const admin = await concord.newPage();
    const header = await signIn(admin, ALEX);
    await header.open('Directory');
    const directory = await DirectoryPage.arrive(admin);
    await expectAccessible(admin, 'directory');

    const agency = await directory.openAgency('Harbour Housing Options');
    await expectAccessible(admin, 'agency');

    // An empty form is refused with a message for each thing to fix, and adds nobody.
    const usersBefore = await countRows(concord.t, 'app_user');
    const form = await (await agency.addUser()).submitExpectingErrors();
    await form.errors.expectProblems({ name: 'Enter the full name', email: 'Enter an email address', teamId: 'Select a team', roles: 'Select at least one role' });
    assert.equal(await countRows(concord.t, 'app_user'), usersBefore);
    await expectAccessible(admin, 'add user, with errors');

    const userPage = await form.add(NEW_HOUSING_OFFICER);
    assert.match(await userPage.notice(), /Morgan Achebe has been added/);
    assert.equal(await userPage.status(), 'Active');
    assert.match(await userPage.details(), /morgan\.achebe@harbour-housing\.example/);
    assert.match(await userPage.memberships(), /Housing Options and Homelessness .*Practitioner/);
    assert.equal(await countRows(concord.t, 'app_user'), usersBefore + 1);
    await expectAccessible(admin, 'new user');

    // The new user signs in on their own computer with the password they were given.
    const newUser = await concord.newPage();
    const theirHeader = await signIn(newUser, NEW_HOUSING_OFFICER.email, NEW_HOUSING_OFFICER.password);
    assert.equal(await theirHeader.signedInAs(), 'Morgan Achebe · Housing Options and Homelessness, Harbour Housing Options');

    const confirmation = await userPage.deactivate();
    assert.match(await confirmation.warning(), /Any session they have open .* end immediately/);
    await expectAccessible(admin, 'deactivate confirmation');
    await confirmation.confirm();
    await userPage.page.getByTestId('notice').filter({ hasText: 'has been deactivated' }).waitFor();
    assert.equal(await userPage.status(), 'Deactivated');
    assert.match(await userPage.notice(), /Morgan Achebe has been deactivated: 1 session and 0 API tokens ended/);
    await expectAccessible(admin, 'deactivated user');

    // Their next page load finds the session gone, and they are asked to sign in...
    await newUser.reload();
    const signInAgain = await SignInPage.arrive(newUser);
    assert.equal(new URL(newUser.url()).pathname, '/sign-in');
    // ...which their old password no longer lets them do.
    await signInAgain.fillIn(NEW_HOUSING_OFFICER.email, NEW_HOUSING_OFFICER.password);
    await signInAgain.submit();
    await signInAgain.errors.expectProblems({ email: /^Enter a correct email address and password/ });

    // The administrator's own session is untouched.
    assert.match(await new Header(admin).signedInAs(), /^Alex Morgan/);
  });
});
