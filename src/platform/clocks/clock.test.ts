import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTestClock, fixedClock, systemClock } from './clock.js';
import { addWorkingDays } from './working-days.js';

describe('systemClock', () => {
  test('reports the current time', () => {
    const before = new Date().getTime();
    const now = systemClock.now().getTime();
    const after = new Date().getTime();
    assert.ok(before <= now && now <= after);
  });
});

describe('fixedClock', () => {
  test('always reports the instant it was given', () => {
    const clock = fixedClock('2025-03-03T10:00:00Z');
    assert.equal(clock.now().toISOString(), '2025-03-03T10:00:00.000Z');
    assert.equal(clock.now().toISOString(), '2025-03-03T10:00:00.000Z');
  });

  test('accepts a Date and is not affected by mutating it or its results', () => {
    const start = new Date('2025-03-03T10:00:00Z');
    const clock = fixedClock(start);
    start.setUTCFullYear(2000);
    clock.now().setUTCFullYear(1999);
    assert.equal(clock.now().toISOString(), '2025-03-03T10:00:00.000Z');
  });

  test('accepts an explicit offset', () => {
    assert.equal(fixedClock('2025-07-01T09:00:00+01:00').now().toISOString(), '2025-07-01T08:00:00.000Z');
  });

  test('rejects strings that depend on the host time zone, and invalid values', () => {
    for (const bad of ['2025-03-03T10:00:00', '2025-03-03', 'tomorrow', '']) {
      assert.throws(() => fixedClock(bad), RangeError, bad);
    }
    assert.throws(() => fixedClock(new Date('nonsense')), RangeError);
  });
});

describe('createTestClock', () => {
  test('can be set and advanced', () => {
    const clock = createTestClock('2025-03-03T10:00:00Z');
    clock.advance(90 * 60_000);
    assert.equal(clock.now().toISOString(), '2025-03-03T11:30:00.000Z');
    clock.set('2024-01-01T00:00:00Z');
    assert.equal(clock.now().toISOString(), '2024-01-01T00:00:00.000Z');
    clock.set(new Date('2026-06-01T12:00:00Z'));
    assert.equal(clock.now().toISOString(), '2026-06-01T12:00:00.000Z');
  });

  test('refuses to run backwards or by a non-finite amount', () => {
    const clock = createTestClock('2025-03-03T10:00:00Z');
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => clock.advance(bad), RangeError, String(bad));
    }
    assert.throws(() => clock.set('not a date'), RangeError);
    assert.equal(clock.now().toISOString(), '2025-03-03T10:00:00.000Z');
  });

  test('drives deadline calculations', () => {
    const clock = createTestClock('2025-03-07T16:00:00Z'); // Friday
    assert.equal(addWorkingDays(clock.now(), 1).toISOString(), '2025-03-10T23:59:59.999Z');
    clock.advance(24 * 3_600_000); // Saturday: the next working day is still Monday
    assert.equal(addWorkingDays(clock.now(), 1).toISOString(), '2025-03-10T23:59:59.999Z');
  });
});
