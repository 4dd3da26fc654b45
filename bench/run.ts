import { benchMemory, memoryRows } from './memory.js';
import { loadAverage, machine, writeResults } from './results.js';
import { cleanUpEverything } from './server.js';
import { benchStart, startRows } from './start.js';
import { consoleTable, type Row } from './table.js';

// The whole run must end on its own: a hung start or stop must not leave a server or a folder behind.
const WATCHDOG_MS = 6 * 60_000;
const COMMAND = 'npm run bench';
const BENCHES = {
  start: async (): Promise<Row[]> => startRows(await benchStart(3)),
  memory: async (): Promise<Row[]> => memoryRows(await benchMemory(), 'npm start'),
  // The same load with templates cached, as production serves them: see ServerOptions.nodeEnv.
  'memory-cached': async (): Promise<Row[]> => memoryRows(await benchMemory({ nodeEnv: 'test' }), 'templates cached'),
};
type BenchName = keyof typeof BENCHES;

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((arg) => !Object.hasOwn(BENCHES, arg));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}. Usage: ${COMMAND} [-- ${Object.keys(BENCHES).join(' | ')}]`);
    return 2;
  }
  const chosen = (args.length > 0 ? args : Object.keys(BENCHES)) as BenchName[];
  const loadBefore = loadAverage();
  console.log(`Concord benchmarks on ${machine()}\nLoad average (1, 5, 15 minutes) ${loadBefore}\n`);
  const rows: Row[] = [];
  for (const name of chosen) {
    console.log(`${name}…`);
    rows.push(...(await BENCHES[name]()));
  }
  const loadAfter = loadAverage();
  console.log(`\nResults (load average now ${loadAfter})\n${consoleTable(rows)}\n`);
  if (chosen.length === Object.keys(BENCHES).length) console.log(`Wrote ${writeResults(rows, { command: COMMAND, loadBefore, loadAfter })}`);
  return 0;
}

async function abandon(reason: string): Promise<never> {
  console.error(`\n${reason}; stopping the servers and removing the data folders.`);
  await cleanUpEverything();
  process.exit(1);
}

const watchdog = setTimeout(() => void abandon(`The benchmark took longer than ${WATCHDOG_MS / 60_000} minutes`), WATCHDOG_MS);
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
