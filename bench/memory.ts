import { DEMO_PASSWORD } from '../src/demo/load.js';
import { SignedInClient, type PageLoad } from './client.js';
import { descendantsPss, memoryOf, type ProcessMemory } from './proc.js';
import { startServer, withDataFolder, type ServerOptions } from './server.js';
import { mebibytes, millis, percentile, seconds } from './stats.js';
import type { Row } from './table.js';

const DEMO_USER = 'tom.okafor@riverside-nhs.example'; // a care coordinator: an ordinary practitioner's pages
// Pages that do not exist yet answer 404; they are counted and reported, and still load the server.
const PAGES = ['/', '/directory', '/account', '/directory/users'];
const PAGE_LOADS = 1_000;
const AT_A_TIME = 10;

export type MemoryFigures = {
  atReady: ProcessMemory;
  beforeLoad: ProcessMemory;
  afterLoad: ProcessMemory;
  postgresBefore: { processes: number; pssKiB: number };
  postgresAfter: { processes: number; pssKiB: number };
  loads: PageLoad[];
  loadMs: number;
};

/** A warm server, one sign-in, then PAGE_LOADS signed-in page loads, AT_A_TIME in flight; memory read from /proc around them. */
export async function benchMemory(options: ServerOptions = {}): Promise<MemoryFigures> {
  return withDataFolder(async (dataDir) => {
    await (await startServer(dataDir, options)).stop(); // the first start creates the database and loads the demo
    const server = await startServer(dataDir, options);
    try {
      const atReady = memoryOf(server.pid);
      const client = await SignedInClient.signIn(server.baseUrl, DEMO_USER, DEMO_PASSWORD);
      const home = await client.get('/');
      if (home.status !== 200) throw new Error(`GET / answered ${home.status} after signing in, so the session did not work.`);
      const beforeLoad = memoryOf(server.pid);
      const postgresBefore = descendantsPss(server.pid);
      const startedAt = performance.now();
      const loads = await loadPages(client);
      const loadMs = performance.now() - startedAt;
      return { atReady, beforeLoad, afterLoad: memoryOf(server.pid), postgresBefore, postgresAfter: descendantsPss(server.pid), loads, loadMs };
    } finally {
      await server.stop();
    }
  });
}

/** PAGE_LOADS requests cycling through PAGES, with AT_A_TIME workers each waiting for its last answer. */
async function loadPages(client: SignedInClient): Promise<PageLoad[]> {
  const loads: PageLoad[] = [];
  let next = 0;
  const worker = async () => {
    while (next < PAGE_LOADS) loads.push(await client.get(PAGES[next++ % PAGES.length]!));
  };
  await Promise.all(Array.from({ length: AT_A_TIME }, worker));
  return loads;
}

/** `mode` names how the server ran, e.g. "npm start", so two runs can sit in one table. */
export function memoryRows(figures: MemoryFigures, mode: string): Row[] {
  const ms = figures.loads.map((load) => load.ms);
  const { atReady, beforeLoad, afterLoad, postgresBefore, postgresAfter, loads, loadMs } = figures;
  return [
    {
      figure: `Concord RSS, ${mode}`,
      value: `ready ${mebibytes(atReady.rssKiB)} → signed in ${mebibytes(beforeLoad.rssKiB)} → after load ${mebibytes(afterLoad.rssKiB)} (peak ${mebibytes(afterLoad.peakRssKiB)})`,
    },
    {
      figure: `PostgreSQL PSS, ${mode}`,
      value: `before load ${mebibytes(postgresBefore.pssKiB)} (${postgresBefore.processes} processes) → after ${mebibytes(postgresAfter.pssKiB)} (${postgresAfter.processes})`,
    },
    {
      figure: `Throughput, ${mode}`,
      value: `${((loads.length / loadMs) * 1000).toFixed(0)} requests/s (${loads.length.toLocaleString('en-GB')} page loads, ${AT_A_TIME} at a time, ${seconds(loadMs)})`,
    },
    { figure: `Latency p50 / p95 / p99 / max, ${mode}`, value: [...[50, 95, 99].map((p) => percentile(ms, p)), Math.max(...ms)].map(millis).join(' / ') },
    { figure: `Responses, ${mode}`, value: statusesByPage(loads) },
  ];
}

/** "/ 250×200 · /directory 250×404 …": shows at a glance which pages were really rendered. */
function statusesByPage(loads: PageLoad[]): string {
  return PAGES.map((page) => {
    const counts = new Map<number, number>();
    for (const load of loads) if (load.path === page) counts.set(load.status, (counts.get(load.status) ?? 0) + 1);
    return `${page} ${[...counts].map(([status, count]) => `${count}×${status}`).join(', ')}`;
  }).join(' · ');
}
