import type pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/platform/clocks/clock.js';
import { connectDatabase } from '../../src/platform/db/database.js';
import { createServices } from '../../src/services.js';
import { loadAverage } from '../results.js';
import type { Row } from '../table.js';
import { freshBenchDatabase } from './database.js';
import { generate } from './generate.js';
import { measureOverHttp } from './http.js';
import { searchCases, SEARCH_KINDS } from './inputs.js';
import { actorFor, DUTY_WORKERS, meets, queueLines, SEARCHER, searchLines, timeDutyQueues, timeMyWorkDuty, timeSearches, timings, type Line } from './measure.js';
import { writePeopleSection, type PeopleFigures } from './report.js';

export type PeopleOptions = { people: number; referrals: number; searches: number; queueReads: number; myWorkReads: number; recordReads: number; keep: boolean };

const DEFAULTS: PeopleOptions = { people: 1_000_000, referrals: 300_000, searches: 500, queueReads: 500, myWorkReads: 100, recordReads: 500, keep: false };
const WARM_UP_SEARCHES = SEARCH_KINDS.length * 6;
const WARM_UP_QUEUE_READS = 20;
const WARM_UP_RECORD_READS = 20;
/** The seed the searches are drawn with: every run (and bench/people/profile.ts) asks the same questions. */
export const SEARCH_SEED = 20_261_123;
/**
 * A search phase stops early past these, so a slow query cannot take the run past its watchdog (the
 * count measured is reported). At a second a search, 500 searches still fit.
 */
const WARM_UP_MS = 60_000;
const SEARCH_PHASE_MS = 10 * 60_000;
/** The person record's is issue 10's; over HTTP, search is held to the same budget as in-process. */
export const BUDGETS = { searchP95Ms: 30, dutyQueueP95Ms: 25, recordP95Ms: 25 };

/**
 * `--keep` leaves the bench database for EXPLAIN afterwards; `--people=N` (referrals 30 % of it)
 * tries a smaller size quickly. Only a run at the full size writes RESULTS.md.
 */
export function peopleOptions(flags: string[]): PeopleOptions {
  const options = { ...DEFAULTS };
  for (const flag of flags) {
    const size = /^--people=(\d+)$/.exec(flag);
    if (flag === '--keep') options.keep = true;
    else if (size && Number(size[1]) >= 1000) {
      options.people = Number(size[1]);
      options.referrals = Math.round(options.people * 0.3);
    } else throw new Error(`Unknown option ${flag}. The people benchmark takes --keep and --people=N (N at least 1000).`);
  }
  return options;
}

/** Generates the partnership in a fresh database, measures person search and the duty queue, and reports against the budgets. */
export async function benchPeople(options: PeopleOptions): Promise<Row[]> {
  const loadBefore = loadAverage();
  const database = await freshBenchDatabase();
  const handle = connectDatabase(database.url);
  try {
    const services = createServices(handle.db, systemClock, loadConfig({ NODE_ENV: 'test' }));
    console.log(`  generating in ${database.server}…`);
    const generation = await generate(handle, services, { ...options, searcherEmail: SEARCHER });
    console.log(`  generated in ${(generation.totalMs / 1000).toFixed(1)} s; measuring…`);

    const searcher = await actorFor(services, SEARCHER);
    const workers = await Promise.all(DUTY_WORKERS.map((email) => actorFor(services, email)));
    const cases = await searchCases(handle.pool, WARM_UP_SEARCHES + options.searches, options.people, SEARCH_SEED);
    await timeSearches(services, searcher, cases.slice(0, WARM_UP_SEARCHES), WARM_UP_MS);
    await timeDutyQueues(services, workers, WARM_UP_QUEUE_READS);
    const searches = searchLines(await timeSearches(services, searcher, cases.slice(WARM_UP_SEARCHES), SEARCH_PHASE_MS));
    const queues = queueLines(await timeDutyQueues(services, workers, options.queueReads));
    const myWork = queueLines(await timeMyWorkDuty(services, workers, options.myWorkReads), 'all My work duty sections');
    console.log('  measuring over HTTP…');
    const overHttp = await measureOverHttp(services, database.url, {
      warmUpSearches: cases.slice(0, WARM_UP_SEARCHES),
      searches: cases.slice(WARM_UP_SEARCHES),
      searchWithinMs: SEARCH_PHASE_MS,
      warmUpRecordReads: WARM_UP_RECORD_READS,
      recordReads: options.recordReads,
    });

    const settings = await serverSettings(handle.pool);
    const figures: PeopleFigures = {
      options,
      warmUp: { searches: WARM_UP_SEARCHES, queueReads: WARM_UP_QUEUE_READS, recordReads: WARM_UP_RECORD_READS },
      searchPhaseMinutes: SEARCH_PHASE_MS / 60_000,
      server: database.server,
      settings,
      loadBefore,
      loadAfter: loadAverage(),
      generation,
      searches,
      queues,
      myWork,
      overHttp,
      budgets: BUDGETS,
    };
    const rows = headlineRows(figures);
    if (options.people === DEFAULTS.people) console.log(`  wrote ${writePeopleSection(figures)}`);
    else console.log('  (a smaller size than the benchmark\'s: RESULTS.md left alone)');
    const httpLines = [...overHttp.searches, ...(overHttp.record ? [overHttp.record] : [])].map((l) => ({ ...l, label: `HTTP ${l.label}` }));
    for (const l of [...searches, ...queues, ...myWork, ...httpLines]) console.log(`  ${l.label.padEnd(56)} ${timings(l)}  ${l.detail}`);
    return rows;
  } finally {
    await handle.close();
    if (options.keep) console.log(`  kept the bench database: ${database.url}`);
    else await database.remove();
  }
}

export function headlineRows(figures: PeopleFigures): Row[] {
  const search = figures.searches.at(-1)!;
  const queue = figures.queues.at(-1)!;
  const { overHttp } = figures;
  const httpSearch = overHttp.searches.at(-1)!;
  const verdict = (line: Line, budget: number) => (meets(line, budget) ? `met (under ${budget} ms)` : `MISSED (budget ${budget} ms)`);
  const notOk = overHttp.notOk ? ` · ${overHttp.notOk} answers NOT 200` : '';
  return [
    { figure: `Generation, ${figures.options.people.toLocaleString('en-GB')} people`, value: `${(figures.generation.totalMs / 1000).toFixed(1)} s` },
    { figure: `Person search p50 / p95 / p99 / max (${search.count})`, value: `${timings(search)} · p95 ${verdict(search, BUDGETS.searchP95Ms)}` },
    { figure: `Duty queue p50 / p95 / p99 / max (${queue.count})`, value: `${timings(queue)} · p95 ${verdict(queue, BUDGETS.dutyQueueP95Ms)}` },
    { figure: `Person search over HTTP p50 / p95 / p99 / max (${httpSearch.count})`, value: `${timings(httpSearch)} · p95 ${verdict(httpSearch, BUDGETS.searchP95Ms)}${notOk}` },
    overHttp.record
      ? { figure: `Person record over HTTP p50 / p95 / p99 / max (${overHttp.record.count})`, value: `${timings(overHttp.record)} · p95 ${verdict(overHttp.record, BUDGETS.recordP95Ms)}${notOk}` }
      : { figure: 'Person record over HTTP', value: 'NOT MEASURED: no search found a person the searcher may open' },
  ];
}

async function serverSettings(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ name: string; setting: string }>(
    `select name, current_setting(name) as setting from unnest(array['shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'fsync', 'synchronous_commit']) name`,
  );
  return rows.map((r) => `${r.name} ${r.setting}`).join(', ');
}
