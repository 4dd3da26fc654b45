/**
 * EXPLAIN (ANALYZE, BUFFERS) of person search's own statement, as search runs it (prepared, with
 * its generic plan), against a bench database kept with `npm run bench -- people --keep`:
 *
 *   node --import tsx bench/people/explain.ts "John Smith" [date of birth] [NHS number] [postcode]
 *
 * It prepares the product's statement (candidatesStatement in src/modules/people/store.ts) by running
 * findCandidates once, then explains executing that prepared statement with these values.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { nameQuery, normaliseNhsNumber, normalisePostcode } from '../../src/modules/people/rules.js';
import { candidatesStatement, EVERYONE, findCandidates, SEARCH_SETTINGS, type SearchAmong, type SearchCriteria } from '../../src/modules/people/store.js';
import { connectDatabase, parametersOf, runTransaction } from '../../src/platform/db/database.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/concord_bench';
const [name, dateOfBirth, nhsNumber, postcode] = process.argv.slice(2);
if (!name && !dateOfBirth && !nhsNumber && !postcode) {
  console.error('Usage: node --import tsx bench/people/explain.ts "<name>" [YYYY-MM-DD] [NHS number] [postcode]');
  process.exit(2);
}
const query = name ? nameQuery(name) : null;
const criteria: SearchCriteria = {
  given: query?.given ?? [],
  family: query?.family ?? null,
  dateOfBirth: dateOfBirth || null,
  nhsNumber: nhsNumber ? normaliseNhsNumber(nhsNumber) : null,
  postcode: postcode ? normalisePostcode(postcode) : null,
};
const literal = (value: unknown): string =>
  value === null || value === undefined ? 'null' : Array.isArray(value) ? `array[${value.map(literal).join(', ')}]::text[]` : pg.escapeLiteral(String(value));

const handle = connectDatabase(url, 1);
try {
  // EXPLAIN_AS=<email> explains the search as that user's relationship search (among the people they may open), as a name-only search runs.
  const as = process.env.EXPLAIN_AS;
  const user = as ? (await handle.pool.query<{ id: string; agency_id: string }>('select id, agency_id from app_user where email = $1', [as])).rows[0] : undefined;
  if (as && !user) throw new Error(`No user ${as}`);
  const now = new Date();
  const among: SearchAmong = user ? { kind: 'related', agencyId: user.agency_id, userId: user.id, today: now.toISOString().slice(0, 10), now } : EVERYONE;
  const plan = await runTransaction(handle.db, SEARCH_SETTINGS, async (tx) => {
    await findCandidates(tx, criteria, 20, among);
    const { statement, values } = candidatesStatement(criteria, 20, among);
    const result = await tx.execute<{ 'QUERY PLAN': string }>(
      sql.raw(`explain (analyze, buffers) execute ${statement.name}(${parametersOf(statement, values).map(literal).join(', ')})`),
    );
    return { result: result.rows.map((row) => row['QUERY PLAN']) };
  });
  console.log(plan.join('\n'));
} finally {
  await handle.close();
}
