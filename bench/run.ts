import { benchMemory, memoryRows } from './memory.js';
import { benchPeople, peopleOptions } from './people/bench.js';
import { benchOverload, OVERLOAD_SECTION } from './overload.js';
import { benchRatios, RATIOS_SECTION } from './ratios.js';
import { removeBenchDatabase } from './people/database.js';
import { keepingPeopleSection } from './people/report.js';
import { keepingSections, loadAverage, machine, writeResults } from './results.js';
import { cleanUpEverything } from './server.js';
import { benchStart, startRows } from './start.js';
import { consoleTable, type Row } from './table.js';

// The whole run must end on its own: a hung start or stop must not leave a server or a folder behind.
const WATCHDOG_MS = 6 * 60_000;
// Generating a million people and measuring at that size takes about 15 minutes on 2 cores.
const PEOPLE_WATCHDOG_MS = 25 * 60_000;
const RATIOS_WATCHDOG_MS = 15 * 60_000;
const COMMAND = 'npm run bench';
const BENCHES = {
  start: async (): Promise<Row[]> => startRows(await benchStart(3)),
  memory: async (): Promise<Row[]> => memoryRows(await benchMemory(), 'npm start'),
  // The same load with templates cached, as production serves them: see ServerOptions.nodeEnv.
  'memory-cached': async (): Promise<Row[]> => memoryRows(await benchMemory({ nodeEnv: 'test' }), 'templates cached'),
};
// Run only when named: it needs a PostgreSQL server and a quarter of an hour, and writes its own section of RESULTS.md.
const ON_REQUEST = {
  people: (flags: string[]) => benchPeople(peopleOptions(flags)),
  // pgbench and Concord side by side on the PostgreSQL at 127.0.0.1:5432 (or BENCH_POSTGRES_URL): about 8 minutes.
  ratios: () => benchRatios(),
  // 200 signed-in page loads at once against a pool of 10: what is shed, what is served, readiness: under a minute.
  overload: () => benchOverload(),
};
type BenchName = keyof typeof BENCHES | keyof typeof ON_REQUEST;

async function main(args: string[]): Promise<number> {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((arg) => !Object.hasOwn(BENCHES, arg) && !Object.hasOwn(ON_REQUEST, arg));
  if (unknown.length > 0 || (flags.length > 0 && !names.includes('people'))) {
    console.error(`Unknown benchmark ${[...unknown, ...flags].join(', ')}. Usage: ${COMMAND} [-- ${Object.keys(BENCHES).join(' | ')} | people [--keep] | ratios | overload]`);
    return 2;
  }
  const chosen = (names.length > 0 ? names : Object.keys(BENCHES)) as BenchName[];
  const loadBefore = loadAverage();
  console.log(`Concord benchmarks on ${machine()}\nLoad average (1, 5, 15 minutes) ${loadBefore}\n`);
  const rows: Row[] = [];
  for (const name of chosen) {
    console.log(`${name}…`);
    rows.push(...(await (name === 'people' ? ON_REQUEST[name](flags) : name === 'ratios' || name === 'overload' ? ON_REQUEST[name]() : BENCHES[name]())));
  }
  const loadAfter = loadAverage();
  console.log(`\nResults (load average now ${loadAfter})\n${consoleTable(rows)}\n`);
  if (Object.keys(BENCHES).every((name) => chosen.includes(name as BenchName))) {
    console.log(`Wrote ${keepingSections([RATIOS_SECTION, OVERLOAD_SECTION], () => keepingPeopleSection(() => writeResults(rows, { command: COMMAND, loadBefore, loadAfter })))}`);
  }
  return 0;
}

async function abandon(reason: string): Promise<never> {
  console.error(`\n${reason}; stopping the servers and removing the data folders and the bench database.`);
  await Promise.allSettled([cleanUpEverything(), removeBenchDatabase()]);
  process.exit(1);
}

const watchdogMs = WATCHDOG_MS + (process.argv.includes('people') ? PEOPLE_WATCHDOG_MS : 0) + (process.argv.includes('ratios') ? RATIOS_WATCHDOG_MS : 0);
const watchdog = setTimeout(() => void abandon(`The benchmark took longer than ${watchdogMs / 60_000} minutes`), watchdogMs);
process.once('SIGINT', () => void abandon('Interrupted'));
process.once('SIGTERM', () => void abandon('Terminated'));
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await cleanUpEverything();
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
}
