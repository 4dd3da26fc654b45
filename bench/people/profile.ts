/**
 * Where a person search's time goes, statement by statement, against a bench database kept with
 * `npm run bench -- people --keep`:
 *
 *   node --import tsx bench/people/profile.ts [searches] [--people=N]
 *
 * --people gives the size it was generated at (as given to the benchmark; 1,000,000 by default),
 * so that the searches are the benchmark's own.
 * Runs the benchmark's own searches through the real service and times every statement the
 * database is sent (from send to rows back); the rest of each search's wall time is Node's.
 */
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/platform/clocks/clock.js';
import { connectDatabase } from '../../src/platform/db/database.js';
import { createServices } from '../../src/services.js';
import { millis, percentile } from '../stats.js';
import { searchCases, SEARCH_KINDS } from './inputs.js';
import { actorFor, SEARCHER } from './measure.js';
import { SEARCH_SEED } from './bench.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/concord_bench';
const args = process.argv.slice(2);
const count = Number(args.find((arg) => !arg.startsWith('--')) ?? 200);
const people = Number(/^--people=(\d+)$/.exec(args.find((arg) => arg.startsWith('--people=')) ?? '')?.[1] ?? 1_000_000);

type Timed = { label: string; ms: number };
let current: Timed[] | null = null;

// Statements are labelled by their first words, so that each kind of statement adds up across searches.
const labelOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 70);
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  const startedAt = performance.now();
  const result = query.apply(this, args);
  if (current && result instanceof Promise) {
    const log = current;
    result.then(() => log.push({ label: labelOf(text), ms: performance.now() - startedAt }), () => undefined);
  }
  return result;
} as typeof pg.Client.prototype.query;

const handle = connectDatabase(url, 2);
try {
  const services = createServices(handle.db, systemClock, loadConfig({ NODE_ENV: 'test' }));
  const searcher = await actorFor(services, SEARCHER);
  const cases = await searchCases(handle.pool, SEARCH_KINDS.length * 6 + count, people, SEARCH_SEED);
  for (const c of cases.slice(0, SEARCH_KINDS.length * 6)) await services.people.search(searcher, c.input);
  const walls: number[] = [];
  const slowest: { ms: number; kind: string; parts: string }[] = [];
  const byLabel = new Map<string, number[]>();
  for (const c of cases.slice(SEARCH_KINDS.length * 6)) {
    current = [];
    const startedAt = performance.now();
    await services.people.search(searcher, c.input);
    walls.push(performance.now() - startedAt);
    const perLabel = new Map<string, number>();
    for (const t of current) perLabel.set(t.label, (perLabel.get(t.label) ?? 0) + t.ms);
    for (const [label, ms] of perLabel) byLabel.set(label, [...(byLabel.get(label) ?? []), ms]);
    const wall = walls.at(-1)!;
    const candidates = [...perLabel].filter(([label]) => label.startsWith('with')).reduce((n, [, ms]) => n + ms, 0);
    const statements = [...perLabel.values()].reduce((n, ms) => n + ms, 0);
    slowest.push({ ms: wall, kind: c.kind, parts: `candidates ${millis(candidates)}, other statements ${millis(statements - candidates)}, Node ${millis(wall - statements)}` });
    current = null;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  console.log(`${walls.length} searches: wall p50 ${millis(percentile(sorted(walls), 50))}, p95 ${millis(percentile(sorted(walls), 95))}, mean ${millis(mean(walls))}`);
  let inDatabase = 0;
  for (const [label, ms] of [...byLabel].sort((a, b) => mean(b[1]) * b[1].length - mean(a[1]) * a[1].length)) {
    const perSearch = (mean(ms) * ms.length) / walls.length;
    inDatabase += perSearch;
    console.log(`  ${millis(perSearch).padStart(9)} per search  p95 ${millis(percentile(sorted(ms), 95)).padStart(9)}  ×${ms.length}  ${label}`);
  }
  console.log('Slowest searches:');
  for (const s of slowest.sort((a, b) => b.ms - a.ms).slice(0, Math.ceil(walls.length / 20))) console.log(`  ${millis(s.ms)} ${s.kind}: ${s.parts}`);
  console.log(`  ${millis(mean(walls) - inDatabase).padStart(9)} per search in Node, between statements`);
} finally {
  await handle.close();
}
