import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { correctionRefusal, happenedOnProblem, linesOf, noteInput, noteSchema } from './rules.js';

const TODAY = '2026-03-03';
const input = noteInput(TODAY, ['basic_details', 'mental_health'] as const);
const problems = (value: unknown) => {
  const parsed = input.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('a note (NOTE-1)', () => {
  test('needs a kind of information, a title and the note; the date it happened is optional', () => {
    assert.deepEqual(input.parse({ category: 'mental_health', title: ' Seen at home ', text: 'Calm.' }), { category: 'mental_health', title: 'Seen at home', text: 'Calm.', happenedOn: null });
    assert.deepEqual(problems({}), ['category: Select what kind of information the note holds', 'title: Enter a title', 'text: Enter the note']);
    assert.deepEqual(problems({ category: 'gossip', title: ' ', text: '' }), ['category: Select what kind of information the note holds', 'title: Enter a title', 'text: Enter the note']);
  });

  test('a title of 120 characters and a note of 10,000 are accepted; one more is refused', () => {
    assert.deepEqual(problems({ category: 'basic_details', title: 'x'.repeat(120), text: 'y'.repeat(10_000) }), []);
    assert.deepEqual(problems({ category: 'basic_details', title: 'x'.repeat(121), text: 'y'.repeat(10_001) }), [
      'title: The title must be 120 characters or fewer',
      'text: The note must be 10,000 characters or fewer',
    ]);
  });

  test('what it describes happened today or before, on a real date', () => {
    assert.equal(happenedOnProblem(TODAY, TODAY), null);
    assert.equal(happenedOnProblem('2026-03-04', TODAY), 'The date it happened must be today or in the past');
    assert.equal(happenedOnProblem('2026-02-30', TODAY), 'Enter the date it happened as a real date, like 27 3 2026');
    assert.equal(happenedOnProblem('3/3/2026', TODAY), 'Enter the date it happened as a real date, like 27 3 2026');
    assert.deepEqual(problems({ category: 'basic_details', title: 'T', text: 'N', happenedOn: '2027-01-01' }), ['happenedOn: The date it happened must be today or in the past']);
  });
});

describe('corrections (NOTE-2)', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 3, 10, minute));
  const note = { id: 'a', corrects: null, recordedAt: at(0) };
  const first = { id: 'b', corrects: 'a', recordedAt: at(1) };
  const second = { id: 'c', corrects: 'b', recordedAt: at(2) };

  test('only the owning agency corrects, and only the latest version', () => {
    assert.equal(correctionRefusal({ owningAgencyId: 'riverside' }, null, 'riverside'), null);
    assert.equal(correctionRefusal({ owningAgencyId: 'riverside' }, null, 'housing')?.code, 'NOTES.NOT_OWNER');
    assert.equal(correctionRefusal({ owningAgencyId: 'riverside' }, first, 'riverside')?.code, 'NOTES.ALREADY_CORRECTED');
  });

  test('each version knows what corrected it; the last of the line is the latest', () => {
    const lines = linesOf([note, first, second]);
    assert.deepEqual([...lines].map(([id, place]) => [id, place.correctedBy?.id ?? null, place.latest]), [
      ['a', 'b', false],
      ['b', 'c', false],
      ['c', null, true],
    ]);
  });
});

test('the note schema is built once a day, and a new day gets a schema that knows the new today', () => {
  const monday = noteSchema('2026-03-02');
  assert.equal(noteSchema('2026-03-02'), monday, 'the same schema for every note written that day');
  const tuesday = noteSchema('2026-03-03');
  assert.notEqual(tuesday, monday);
  const note = { category: 'mental_health', title: 'Visit', text: 'Seen at home', happenedOn: '2026-03-03' };
  assert.equal(monday.safeParse(note).success, false, 'on Monday, Tuesday is in the future');
  assert.equal(tuesday.safeParse(note).success, true);
});
