import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  dateOfBirthProblem,
  followsOnFromSearch,
  formatNhsNumber,
  givenNameVariants,
  isValidNhsNumber,
  nameQuery,
  normaliseName,
  normaliseNhsNumber,
  normalisePostcode,
  personInput,
  searchInput,
  SHOWN_BY_SEARCH_FOR_MS,
  shownBySearchWindow,
} from './rules.js';

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


describe('person input', () => {
  const today = '2026-11-23';

  test('a minimal person is a first and last name', () => {
    const parsed = personInput(today).parse({ givenName: ' Ada ', familyName: 'Okoro' });
    assert.equal(parsed.givenName, 'Ada');
    assert.equal(parsed.dateOfBirth, null);
    assert.equal(parsed.nhsNumber, null);
  });

  test('identifiers are checked and normalised', () => {
    const parsed = personInput(today).parse({ givenName: 'Ada', familyName: 'Okoro', nhsNumber: '943 476 5919', postcode: 'ne14st', dateOfBirth: '1980-03-27' });
    assert.equal(parsed.nhsNumber, '9434765919');
    assert.equal(parsed.postcode, 'NE1 4ST');
    const bad = personInput(today).safeParse({ givenName: '', familyName: 'x'.repeat(101), nhsNumber: '1234567890', postcode: 'nowhere', dateOfBirth: '2030-01-01' });
    assert.equal(bad.success, false);
    const messages = Object.fromEntries(bad.error!.issues.map((i) => [String(i.path[0]), i.message]));
    assert.deepEqual(messages, {
      givenName: 'Enter the first name',
      familyName: 'The last name must be 100 characters or fewer',
      nhsNumber: 'Enter a valid NHS number: 10 digits, like 943 476 5919',
      postcode: 'Enter a real postcode, like NE1 4ST',
      dateOfBirth: 'The date of birth must be in the past',
    });
  });

  test('dates of birth must be real dates', () => {
    assert.match(dateOfBirthProblem('1980-02-30', today)!, /real date/);
    assert.match(dateOfBirthProblem('27/03/1980', today)!, /real date/);
    assert.match(dateOfBirthProblem('1899-12-31', today)!, /after 1900/);
    assert.equal(dateOfBirthProblem('2024-02-29', today), null);
  });
});

describe('search input', () => {
  test('needs at least one thing to search by, and two letters of a name', () => {
    assert.equal(searchInput('2026-11-23').safeParse({}).success, false);
    assert.equal(searchInput('2026-11-23').safeParse({ name: 'a' }).success, false);
    assert.equal(searchInput('2026-11-23').safeParse({ postcode: 'NE1 4ST' }).success, true);
  });

  test('names match first-and-last in either order, with nicknames', () => {
    assert.deepEqual(nameQuery('Bob  Smith'), { given: ['bob', 'robert'], family: 'smith' });
    assert.deepEqual(nameQuery('Okoro'), { given: ['okoro'], family: 'okoro' });
    assert.equal(nameQuery('  '), null);
  });
});

describe('pages and actions that follow on from a search', () => {
  test('a relationship of any kind, or a search that just showed the person, lets the page go on; nothing else does', () => {
    assert.equal(followsOnFromSearch('record', false), true);
    assert.equal(followsOnFromSearch('referral-status', false), true, 'the agency referred them, so it knows they exist');
    assert.equal(followsOnFromSearch('none', true), true);
    assert.equal(followsOnFromSearch('none', false), false, 'a bare id answers as a missing person');
  });

  test('a search counts for an hour, up to and including the present instant', () => {
    const now = new Date('2026-03-03T10:00:00Z');
    const { from, to } = shownBySearchWindow(now);
    assert.equal(now.getTime() - from.getTime(), SHOWN_BY_SEARCH_FOR_MS);
    assert.equal(SHOWN_BY_SEARCH_FOR_MS, 60 * 60_000);
    assert.ok(to > now, 'a search recorded in this very millisecond counts');
  });
});
