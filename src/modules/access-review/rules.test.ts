import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakGlassExpiry, ITEM_ACCESS_WORDS, manyRecordsWindow } from './rules.js';

test('emergency access ends a whole number of hours after it starts', () => {
  assert.equal(breakGlassExpiry(new Date('2026-03-03T22:15:30Z'), 4).toISOString(), '2026-03-04T02:15:30.000Z');
  assert.equal(breakGlassExpiry(new Date('2026-03-29T00:30:00Z'), 12).toISOString(), '2026-03-29T12:30:00.000Z', 'elapsed hours, whatever the clocks do');
});

test('"many records" counts the last hour up to and including now, and is raised once per clock hour', () => {
  const window = manyRecordsWindow(new Date('2026-03-03T10:20:15.500Z'));
  assert.equal(window.from.toISOString(), '2026-03-03T09:20:15.500Z');
  assert.equal(window.to.toISOString(), '2026-03-03T10:20:15.501Z', 'an event at this very moment counts');
  assert.equal(window.hourStart.toISOString(), '2026-03-03T10:00:00.000Z');
  assert.equal(manyRecordsWindow(new Date('2026-07-01T10:59:59.999Z')).hourStart.toISOString(), '2026-07-01T10:00:00.000Z', 'summer time: UK hours start on UTC hours');
});

test('every item decision has plain words, and only the allowed ones say yes', () => {
  for (const [via, words] of Object.entries(ITEM_ACCESS_WORDS)) {
    assert.ok(words.explanation.length > 10, via);
    assert.equal(words.shown.startsWith('Yes'), !['restricted', 'no_consent', 'no_record'].includes(via), via);
  }
});
