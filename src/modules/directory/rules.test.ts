import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { fieldErrorsOf } from '../../platform/validation.js';
import {
  accountChangeRefusal,
  agencyInput,
  canEndMembership,
  membershipInput,
  newUserInput,
  privilegeRefusal,
  roleList,
  switchRefusal,
  teamInput,
  userInput,
  type AccountChange,
} from './rules.js';

const TEAM = '6f1c1c3e-8a55-4d61-9b3a-5d0f7c2a1b90';

/** The message a form would show for each field, or null when the input is accepted. */
function messages(schema: z.ZodType, input: unknown): Record<string, string> | null {
  const parsed = schema.safeParse(input);
  return parsed.success ? null : Object.fromEntries(fieldErrorsOf(parsed.error).map((e) => [e.field, e.message]));
}

describe('agency details', () => {
  test('a name and a type are enough; blank optional fields become null and text is trimmed', () => {
    assert.deepEqual(agencyInput.parse({ name: '  Northshire Hospice ', type: 'voluntary_sector', email: '', phone: '' }), {
      name: 'Northshire Hospice',
      type: 'voluntary_sector',
      email: null,
      phone: null,
    });
  });

  test('a missing or blank name and a missing type each get their own message', () => {
    assert.deepEqual(messages(agencyInput, {}), { name: 'Enter the agency name', type: 'Select the type of agency' });
    assert.deepEqual(messages(agencyInput, { name: '   ', type: 'housing' }), { name: 'Enter the agency name' });
  });

  test('a name of 120 characters is accepted and one of 121 is not', () => {
    assert.equal(messages(agencyInput, { name: 'a'.repeat(120), type: 'housing' }), null);
    assert.deepEqual(messages(agencyInput, { name: 'a'.repeat(121), type: 'housing' }), { name: 'The agency name must be 120 characters or fewer' });
  });

  test('an unknown type, a malformed email and a malformed telephone number are refused', () => {
    assert.deepEqual(messages(agencyInput, { name: 'A', type: 'hospital', email: 'not-an-email', phone: 'call me' }), {
      type: 'Select the type of agency',
      email: 'Enter an email address in the correct format, like name@example.org',
      phone: 'Enter a telephone number, like 01632 960 001',
    });
  });
});

describe('team details', () => {
  test('a description over 500 characters is refused; blank description becomes null', () => {
    assert.deepEqual(messages(teamInput, { name: 'Duty', description: 'x'.repeat(501) }), { description: 'The description must be 500 characters or fewer' });
    assert.equal(teamInput.parse({ name: 'Duty', description: '' }).description, null);
  });

  test('a team needs a name', () => {
    assert.deepEqual(messages(teamInput, { name: '' }), { name: 'Enter the team name' });
  });
});

describe('user details', () => {
  test('the email address is trimmed and lower-cased, so it matches how people type it at sign-in', () => {
    assert.equal(userInput.parse({ name: 'Ada Lovelace', email: '  Ada.Lovelace@Riverside-NHS.example ' }).email, 'ada.lovelace@riverside-nhs.example');
  });

  test('a missing email, a malformed one and one with spaces are refused', () => {
    assert.deepEqual(messages(userInput, { name: 'Ada' }), { email: 'Enter an email address' });
    for (const email of ['ada', 'ada@example', 'ada lovelace@example.org', '@example.org']) {
      assert.deepEqual(messages(userInput, { name: 'Ada', email }), { email: 'Enter an email address in the correct format, like name@example.org' }, email);
    }
  });

  test('a new user needs a team reference and at least one known role', () => {
    const base = { name: 'Ada', email: 'ada@example.org' };
    assert.deepEqual(messages(newUserInput, base), { teamId: 'Select a team', roles: 'Select at least one role' });
    assert.deepEqual(messages(newUserInput, { ...base, teamId: 'not-a-team', roles: [] }), { teamId: 'Select a team', roles: 'Select at least one role' });
    assert.deepEqual(messages(newUserInput, { ...base, teamId: TEAM, roles: ['practitioner', 'chief_executive'] }), { roles: 'Select a role from the list' });
    assert.equal(messages(newUserInput, { ...base, teamId: TEAM, roles: ['practitioner'] }), null);
  });
});

describe('roles', () => {
  test('a role chosen twice is kept once', () => {
    assert.deepEqual(roleList.parse(['practitioner', 'team_manager', 'practitioner']), ['practitioner', 'team_manager']);
  });

  test('a single role sent as a string, not a list, is refused rather than guessed at', () => {
    assert.deepEqual(messages(membershipInput, { teamId: TEAM, roles: 'practitioner' }), { roles: 'Select at least one role' });
  });
});

describe('ending a membership', () => {
  test('a user keeps at least one team: the last membership cannot be ended', () => {
    assert.equal(canEndMembership(1), false);
    assert.equal(canEndMembership(0), false);
    assert.equal(canEndMembership(2), true);
  });
});

describe('privileges: nobody raises their own', () => {
  const partnershipAdmin = { userId: 'alex', roles: ['partnership_administrator'] as const };
  const agencyAdmin = { userId: 'aisha', roles: ['agency_administrator'] as const };
  const ruleOf = (refusal: { rule: string } | null) => refusal?.rule ?? null;

  test('a membership change for yourself is refused, whoever you are; one giving or taking a partnership-wide role needs a partnership administrator', () => {
    assert.equal(ruleOf(privilegeRefusal(partnershipAdmin, { kind: 'change', subjectUserId: 'alex', before: ['partnership_administrator'], after: [] })), 'DIRECTORY.OWN_PRIVILEGES');
    assert.equal(ruleOf(privilegeRefusal(agencyAdmin, { kind: 'add', subjectUserId: 'aisha', before: [], after: ['practitioner'] })), 'DIRECTORY.OWN_PRIVILEGES');
    assert.equal(ruleOf(privilegeRefusal(agencyAdmin, { kind: 'change', subjectUserId: 'dan', before: ['practitioner'], after: ['practitioner', 'auditor'] })), 'DIRECTORY.PARTNERSHIP_ROLES_ONLY');
    assert.equal(ruleOf(privilegeRefusal(agencyAdmin, { kind: 'end', subjectUserId: 'helen', before: ['auditor'], after: [] })), 'DIRECTORY.PARTNERSHIP_ROLES_ONLY');
    assert.equal(privilegeRefusal(agencyAdmin, { kind: 'change', subjectUserId: 'helen', before: ['auditor'], after: ['auditor', 'practitioner'] }), null, 'the auditor role itself untouched');
    assert.equal(privilegeRefusal(partnershipAdmin, { kind: 'add', subjectUserId: 'dan', before: [], after: ['auditor'] }), null);
  });

  test('an auditor’s or partnership administrator’s account is changed only by a partnership administrator, in every way', () => {
    const changes: AccountChange[] = ['details', 'password', 'deactivate', 'reactivate'];
    for (const roles of [['auditor'], ['practitioner', 'partnership_administrator']] as const) {
      for (const change of changes) {
        assert.equal(ruleOf(accountChangeRefusal(agencyAdmin, { userId: 'helen', roles }, change)), 'DIRECTORY.PARTNERSHIP_ROLES_ONLY', `${roles} ${change}`);
        assert.equal(accountChangeRefusal(partnershipAdmin, { userId: 'helen', roles }, change), null, `${roles} ${change}`);
      }
    }
    for (const change of changes) assert.equal(accountChangeRefusal(agencyAdmin, { userId: 'dan', roles: ['team_manager', 'agency_administrator'] }, change), null, change);
  });

  test('nobody sets their own password here, without the current one; their own details they may change', () => {
    assert.equal(ruleOf(accountChangeRefusal(agencyAdmin, { userId: 'aisha', roles: ['agency_administrator'] }, 'password')), 'DIRECTORY.OWN_PASSWORD');
    assert.equal(ruleOf(accountChangeRefusal(partnershipAdmin, { userId: 'alex', roles: ['partnership_administrator'] }, 'password')), 'DIRECTORY.OWN_PASSWORD');
    assert.equal(accountChangeRefusal(agencyAdmin, { userId: 'aisha', roles: ['agency_administrator'] }, 'details'), null);
  });

  test('switching a team or agency off or on is held to the membership rules for each member', () => {
    const members = (...holders: [string, string[]][]) => holders.map(([userId, roles]) => ({ userId, roles: roles as ('practitioner' | 'auditor' | 'agency_administrator')[] }));
    for (const active of [false, true]) {
      assert.equal(ruleOf(switchRefusal(agencyAdmin, members(['dan', ['practitioner']], ['aisha', ['practitioner']]), active)), 'DIRECTORY.OWN_PRIVILEGES', `a team you are in (${active})`);
      assert.equal(ruleOf(switchRefusal(agencyAdmin, members(['dan', ['practitioner']], ['helen', ['auditor']]), active)), 'DIRECTORY.PARTNERSHIP_ROLES_ONLY', `an auditor’s team (${active})`);
      assert.equal(switchRefusal(partnershipAdmin, members(['helen', ['auditor']]), active), null);
      assert.equal(switchRefusal(agencyAdmin, members(['dan', ['practitioner']], ['nina', ['agency_administrator']]), active), null);
      assert.equal(switchRefusal(agencyAdmin, [], active), null, 'an empty team');
    }
  });
});
