import { test } from 'node:test';
import assert from 'node:assert/strict';
import { riskChart } from './chart.js';

test('the chart spreads reviews by time, higher risk higher up, and describes them in words', () => {
  const chart = riskChart([
    { at: new Date('2026-01-05T10:00:00Z'), level: 'low' },
    { at: new Date('2026-02-05T10:00:00Z'), level: 'high' },
    { at: new Date('2026-03-05T10:00:00Z'), level: 'medium' },
  ]);
  // 31 of 59 days along 530 pixels from 90.
  assert.deepEqual(chart.dots.map((d) => d.x), [90, 368.5, 620]);
  const [low, high, medium] = chart.dots.map((d) => d.y);
  assert.ok(high! < medium! && medium! < low!, 'higher risk is drawn higher');
  assert.equal(chart.line, `M90 ${low} L368.5 ${high} L620 ${medium}`);
  assert.deepEqual(chart.levels.map((l) => l.name), ['Low', 'Medium', 'High', 'Very high']);
  assert.equal(chart.description, '3 risk reviews from 5 Jan 2026 to 5 Mar 2026. 5 Jan 2026: low; 5 Feb 2026: high; 5 Mar 2026: medium. Latest: medium.');
});

test('one review sits in the middle with no line; none says so', () => {
  const one = riskChart([{ at: new Date('2026-01-05T10:00:00Z'), level: 'very_high' }]);
  assert.equal(one.dots.length, 1);
  assert.equal(one.line, '');
  assert.equal(one.dots[0]!.y, 20);
  assert.equal(riskChart([]).description, 'No risk reviews yet.');
});
