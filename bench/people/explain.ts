/**
 * EXPLAIN (ANALYZE, BUFFERS) of the exact SQL person search runs, against a bench database kept
 * with `npm run bench -- people --keep`:
 *
 *   node --import tsx bench/people/explain.ts "John Smith" [date of birth] [NHS number] [postcode]
 *
 * It calls the product's own findCandidates, with a stand-in for the database that asks for the
 * plan instead of the rows, so the plan is of the query as written in src/modules/people/store.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { nameQuery, normaliseNhsNumber, normalisePostcode } from '../../src/modules/people/rules.js';
import { findCandidates, useSearchThreshold } from '../../src/modules/people/store.js';
import { connectDatabase, type Queryable } from '../../src/platform/db/database.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/concord_bench';
const [name, dateOfBirth, nhsNumber, postcode] = process.argv.slice(2);
if (!name && !dateOfBirth && !nhsNumber && !postcode) {
  console.error('Usage: node --import tsx bench/people/explain.ts "<name>" [YYYY-MM-DD] [NHS number] [postcode]');
  process.exit(2);
}
const query = name ? nameQuery(name) : null;
const handle = connectDatabase(url, 1);
try {
  const plan = await handle.db.transaction(async (tx) => {
    await useSearchThreshold(tx);
    let lines: string[] = [];
    const planner = {
      execute: async (statement: SQL) => {
        const result = await tx.execute<{ 'QUERY PLAN': string }>(sql`explain (analyze, buffers) ${statement}`);
        lines = result.rows.map((row) => row['QUERY PLAN']);
        return { rows: [] };
      },
    } as unknown as Queryable;
    await findCandidates(planner, {
      given: query?.given ?? [],
      family: query?.family ?? null,
      dateOfBirth: dateOfBirth || null,
      nhsNumber: nhsNumber ? normaliseNhsNumber(nhsNumber) : null,
      postcode: postcode ? normalisePostcode(postcode) : null,
    });
    return lines;
  });
  console.log(plan.join('\n'));
} finally {
  await handle.close();
}
