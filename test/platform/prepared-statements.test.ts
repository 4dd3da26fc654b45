import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { testConcord } from '../support/app.js';
import { prepare, runPrepared } from '../../src/platform/db/database.js';

const t = await testConcord();

const double = prepare(sql`select (${sql.placeholder('n')}::int * 2) as doubled`);
const triple = prepare(sql`select (${sql.placeholder('n')}::int * 3) as tripled`);

test('a prepared statement runs with each run’s values, on the pool and inside a transaction', async () => {
  assert.deepEqual(await runPrepared(t.db, double, { n: 4 }), [{ doubled: 8 }]);
  // The same connection prepared it already: it runs again by name with the new value.
  const inside = await t.db.transaction(async (tx) => [await runPrepared(tx, double, { n: 5 }), await runPrepared(tx, double, { n: 6 })]);
  assert.deepEqual(inside, [[{ doubled: 10 }], [{ doubled: 12 }]]);
});

test('statements with different texts are prepared under different names', async () => {
  assert.notEqual(double.name, triple.name);
  assert.deepEqual(await runPrepared(t.db, triple, { n: 4 }), [{ tripled: 12 }]);
  assert.equal(prepare(sql`select (${sql.placeholder('n')}::int * 2) as doubled`).name, double.name, 'the name follows from the text alone');
});

test('a run with a bad value fails like any statement, and the connection is usable afterwards', async () => {
  await assert.rejects(
    t.db.transaction((tx) => runPrepared(tx, double, { n: 'not a number' })),
    (error: Error & { cause?: Error }) => /invalid input syntax/.test(error.cause?.message ?? ''),
  );
  assert.deepEqual(await runPrepared(t.db, double, { n: 1 }), [{ doubled: 2 }]);
});
