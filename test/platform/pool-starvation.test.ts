import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, testConcord } from '../support/app.js';

// A request that holds a transaction must not ask the pool for a second connection: with as many such
// requests in flight as there are connections, every one would wait for ever. The test pool is small,
// so three times as many reads at once as it has connections would hang if any of them did.
const t = await testConcord();

test('many record reads at once all answer: no request waits on a second connection while holding one', async () => {
  const tom = await apiClient(t, 'tom.okafor@riverside-nhs.example');
  const { rows } = await t.pool.query(`select person_id from care_case where state = 'open' limit 1`);
  const personId = rows[0].person_id as string;
  const { rows: cases } = await t.pool.query(`select id from care_case where person_id = $1`, [personId]);
  const urls = [`/api/v1/people/${personId}`, `/api/v1/people?name=Whitlock`, `/api/v1/people/${personId}/involvements`, `/api/v1/cases/${cases[0].id}`, `/api/v1/people/${personId}/notes`];
  const size = (t.pool as unknown as { options: { max: number } }).options.max;
  const calls = Array.from({ length: size * 3 }, (_, i) => tom.get(urls[i % urls.length]!));
  const answers = await Promise.race([
    Promise.all(calls),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('requests still waiting after 20 s: the pool is starved')), 20_000).unref()),
  ]);
  assert.deepEqual([...new Set(answers.map((a) => a.statusCode))], [200]);
});
