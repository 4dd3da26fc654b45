import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { fieldErrorsOf } from '../../platform/validation.js';
import { agencyInput, canEndMembership, membershipInput, newUserInput, roleList, teamInput, userInput } from './rules.js';

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
