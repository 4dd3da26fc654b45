import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordMatches, passwordProblem } from './passwords.js';

describe('passwordProblem', () => {
  test('accepts a long passphrase of unrelated words', () => {
    assert.equal(passwordProblem('copper kettle orchard'), null);
    assert.equal(passwordProblem('Northshire-demo-2026'), null);
  });

  test('needs 12 characters or more, and no more than 256', () => {
    assert.equal(MIN_PASSWORD_LENGTH, 12);
    assert.equal(passwordProblem('kettle orch'), 'Password must be 12 characters or more');
    assert.equal(passwordProblem('kettle orcha'), null, 'exactly 12 is enough');
    assert.equal(passwordProblem(''), 'Password must be 12 characters or more');
    const longest = 'copper kettle orchard '.repeat(12).slice(0, MAX_PASSWORD_LENGTH);
    assert.equal(passwordProblem(longest), null);
    assert.equal(passwordProblem(`${longest}x`), 'Password must be 256 characters or fewer');
  });

  test('refuses passwords from the common-password list, whatever their case', () => {
    assert.match(passwordProblem('qwerty123456')!, /too common/);
    assert.match(passwordProblem('LeaveMeAlone')!, /too common/);
  });

  test('refuses a common word with digits or symbols added to the end', () => {
    assert.match(passwordProblem('password1234!')!, /common word with numbers or symbols added/);
    assert.match(passwordProblem('Football2026!!')!, /common word with numbers or symbols added/);
    assert.match(passwordProblem('sunshine_12345')!, /common word with numbers or symbols added/);
  });

  test('refuses a password of one or two repeated characters', () => {
    assert.match(passwordProblem('aaaaaaaaaaaaaa')!, /repeats the same characters/);
    assert.match(passwordProblem('abababababababab')!, /repeats the same characters/);
  });

  test('refuses a simple sequence, up or down', () => {
    assert.match(passwordProblem('abcdefghijklmn')!, /simple sequence/);
    assert.match(passwordProblem('zyxwvutsrqpo')!, /simple sequence/);
  });

  test('refuses a password containing the local part of the user’s email address', () => {
    const context = { email: 'helen.marsh@riverside-nhs.example' };
    assert.equal(passwordProblem('my name is helen.marsh ok', context), 'Password must not contain your email address or any part of it');
    assert.equal(passwordProblem('HELEN.MARSH walks far', context), 'Password must not contain your email address or any part of it');
    assert.equal(passwordProblem('walks far with marsh', context), 'Password must not contain your email address or any part of it', 'a part of it is enough');
    assert.equal(passwordProblem('copper kettle orchard', context), null);
    // A very short local part would refuse too much, so it is not checked.
    assert.equal(passwordProblem('copper kettle ab orchard', { email: 'ab@x.example' }), null);
  });

  test('refuses a password containing the name of the service, however it is written', () => {
    for (const password of ['my concord password', 'CONCORD walks far', 'con-cord kettle orchard', 'kettle C0ncord? no: Con.Cord']) {
      assert.equal(passwordProblem(password), 'Password must not contain the name of this service (Concord)', password);
    }
  });

  test('refuses a password containing any part of the user’s name of 3 letters or more', () => {
    const context = { name: 'Tom Okafor-Byrne', email: 'tom.okafor@riverside-nhs.example' };
    for (const password of ['copper tom kettle', 'kettle OKAFOR orchard', 'byrne copper kettle', 'tomokafor kettle']) {
      assert.equal(passwordProblem(password, { name: context.name }), 'Password must not contain your name or any part of it', password);
    }
    assert.equal(passwordProblem('copper kettle orchard', context), null);
    // Parts shorter than 3 letters would refuse almost everything, so they are not checked.
    assert.equal(passwordProblem('copper kettle orchard', { name: 'Al Ng' }), null);
    // Accents do not hide a name: Zoë in "zoe" is still her name.
    assert.equal(passwordProblem('zoe kettle orchard', { name: 'Zoë Müller' }), 'Password must not contain your name or any part of it');
    assert.equal(passwordProblem('kettle muller orchard', { name: 'Zoë Müller' }), 'Password must not contain your name or any part of it');
  });

  test('refuses a password containing the distinctive words of the user’s agency name, not the words every agency shares', () => {
    const context = { agencyName: 'Riverside NHS Foundation Trust' };
    assert.equal(passwordProblem('Riverside-2026-kettle', context), 'Password must not contain the name of your organisation');
    assert.equal(passwordProblem('copper trust kettle foundation', context), null);
    assert.equal(passwordProblem('Northshire-demo-2026', { agencyName: 'Northshire County Council' }), 'Password must not contain the name of your organisation');
    assert.equal(passwordProblem('Northshire-demo-2026', { agencyName: 'Harbour Housing' }), null);
  });
});

describe('hashPassword and passwordMatches', () => {
  test('round trip: the password matches its hash, another does not, and a damaged hash matches nothing', async () => {
    const stored = await hashPassword('copper kettle orchard');
    assert.match(stored, /^\$argon2id\$/);
    assert.equal(await passwordMatches(stored, 'copper kettle orchard'), true);
    assert.equal(await passwordMatches(stored, 'copper kettle orchard '), false);
    assert.equal(await passwordMatches('not a hash', 'copper kettle orchard'), false);
  });

  test('salts every hash, so the same password never hashes the same twice', async () => {
    assert.notEqual(await hashPassword('copper kettle orchard'), await hashPassword('copper kettle orchard'));
  });
});
