import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatNhsNumber, givenNameVariants, isValidNhsNumber, normaliseName, normaliseNhsNumber, normalisePostcode } from './rules.js';

/** An independent computation of the check digit, to test the rule against. */
function withCheckDigit(nine: string): string | null {
  const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : nine + String(check);
}

describe('NHS numbers (modulus 11)', () => {
  test('published valid examples pass and a changed digit fails', () => {
    assert.equal(isValidNhsNumber('9434765919'), true);
    assert.equal(isValidNhsNumber('943 476 5919'), true);
    assert.equal(isValidNhsNumber('943-476-5919'), true);
    assert.equal(isValidNhsNumber('9434765918'), false);
    assert.equal(isValidNhsNumber('4010232137'), true);
  });

  test('wrong lengths and non-digits fail', () => {
    for (const bad of ['', '123', '94347659190', 'abcdefghij', '94347 6591x']) assert.equal(isValidNhsNumber(bad), false, bad);
  });

  test('any nine digits with their computed check digit pass; any other last digit fails', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 9 }), (nine, other) => {
        const valid = withCheckDigit(nine);
        if (valid === null) return !isValidNhsNumber(nine + String(other));
        const wrong = nine + String(other);
        return isValidNhsNumber(valid) && (wrong === valid || !isValidNhsNumber(wrong));
      }),
    );
  });

  test('formatting and normalising', () => {
    assert.equal(normaliseNhsNumber(' 943 476-5919 '), '9434765919');
    assert.equal(formatNhsNumber('9434765919'), '943 476 5919');
  });
});

describe('postcodes', () => {
  test('UK postcodes are normalised to the usual form', () => {
    assert.equal(normalisePostcode('sw1a1aa'), 'SW1A 1AA');
    assert.equal(normalisePostcode(' NE1  4ST '), 'NE1 4ST');
    assert.equal(normalisePostcode('b337ha'), 'B33 7HA');
    assert.equal(normalisePostcode('not a postcode'), null);
    assert.equal(normalisePostcode('12345'), null);
  });
});

describe('names', () => {
  test('accents, case, apostrophes and hyphens do not stop a match', () => {
    assert.equal(normaliseName("  O'Brien-Smyth "), 'obriensmyth');
    assert.equal(normaliseName('Zoë  ANDERSEN'), 'zoe andersen');
  });

  test('nicknames expand both ways', () => {
    assert.deepEqual(givenNameVariants('Bob').sort(), ['bob', 'robert']);
    assert.ok(givenNameVariants('Robert').includes('bob'));
    assert.ok(givenNameVariants('Elizabeth').includes('liz'));
    assert.deepEqual(givenNameVariants('Zebedee'), ['zebedee']);
    assert.deepEqual(givenNameVariants('  '), []);
  });
});
