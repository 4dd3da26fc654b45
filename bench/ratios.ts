import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/platform/clocks/clock.js';
import { connectDatabase } from '../src/platform/db/database.js';
import { runMigrations } from '../src/platform/db/migrations.js';
import { loadDemoPartnership } from '../src/demo/load.js';
import { createServices } from '../src/services.js';
import { personalApiToken, startConcordOn } from './api.js';
import { loadAverage, machine, replaceSection, type SectionMarkers } from './results.js';
import { withDataFolder } from './server.js';
import { consoleTable, markdownTable, type Row } from './table.js';

/**
 * Concord's throughput as a share of PostgreSQL's own, measured in one run on one server, so a slow or
 * busy machine slows both sides alike (issue 9's targets are ratios): pgbench's TPC-B beside Concord's
 * audited note write at 1, 4 and 16 clients, pgbench's select-only beside reading a person's record and
 * searching for a person at 1 and 4 clients. Each pair runs back to back, three rounds interleaved, and
 * the medians are compared. Concord runs as `npm start` would with DATABASE_URL, its clients over HTTP
 * with a personal API token (the way a partner system calls it).
 */

const run = promisify(execFile);
const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONCORD_DB = 'concord_bench_ratios';
const PGBENCH_DB = 'concord_bench_pgbench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PGBENCH_SCALE = 10;
const WRITE_CLIENTS = [1, 4, 16];
const READ_CLIENTS = [1, 4];
export const RATIOS_SECTION: SectionMarkers = { start: '<!-- ratios benchmark: written by `npm run bench -- ratios` -->', end: '<!-- end of ratios benchmark -->' };

const withDatabase = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function pgbenchArgs(database: string): string[] {
  const url = new URL(withDatabase(SERVER, database));
  return ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), database];
}

async function pgbench(clients: number, selectOnly: boolean): Promise<number> {
  const { stdout } = await run('pgbench', ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS), ...(selectOnly ? ['-S'] : []), ...pgbenchArgs(PGBENCH_DB)], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(new URL(SERVER).password) },
  });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return Number(tps[1]);
}

type Call = { method: 'GET' | 'POST'; path: string; body?: string };

async function concord(baseUrl: string, token: string, call: Call, clients: number): Promise<{ rps: number; failures: number; p99: number }> {
  const result = await autocannon({
    url: `${baseUrl}${call.path}`,
    method: call.method,
    connections: clients,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: call.body,
  });
  return { rps: result.requests.average, failures: result.non2xx + result.errors + result.timeouts, p99: result.latency.p99 };
}

/** A fresh Concord database with the demo partnership, and a personal API token for Grace, Chloe's care coordinator. */
async function prepareConcord(): Promise<{ url: string; token: string; personId: string; name: string }> {
  await admin(`drop database if exists ${CONCORD_DB} with (force)`);
  await admin(`create database ${CONCORD_DB}`);
  const url = withDatabase(SERVER, CONCORD_DB);
  const handle = connectDatabase(url, 2);
  try {
    await runMigrations(handle.pool);
    const services = createServices(handle.db, systemClock, loadConfig({ NODE_ENV: 'test' }));
    await loadDemoPartnership(services);
    const secret = await personalApiToken(services, 'grace.whitfield@riverside-nhs.example', 'pgbench comparison', 'write');
    const person = (await handle.pool.query<{ id: string }>(`select id from person where given_name = 'Chloe' and family_name = 'Penrose'`)).rows[0]!;
    return { url, token: secret, personId: person.id, name: 'Chloe Penrose' };
  } finally {
    await handle.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;

export async function benchRatios(): Promise<Row[]> {
  const loadBefore = loadAverage();
  await admin(`drop database if exists ${PGBENCH_DB} with (force)`);
  await admin(`create database ${PGBENCH_DB}`);
  await run('pgbench', ['-i', '-q', '-s', String(PGBENCH_SCALE), ...pgbenchArgs(PGBENCH_DB)], { env: { ...process.env, PGPASSWORD: decodeURIComponent(new URL(SERVER).password) } });
  const prepared = await prepareConcord();
  const calls: Record<'note' | 'record' | 'search', Call> = {
    note: {
      method: 'POST',
      path: `/api/v1/people/${prepared.personId}/notes`,
      body: JSON.stringify({ category: 'mental_health', title: 'Home visit', text: 'Seen at home with her sister; mood brighter, sleeping better, taking medication as prescribed.' }),
    },
    record: { method: 'GET', path: `/api/v1/people/${prepared.personId}` },
    search: { method: 'GET', path: `/api/v1/people?name=${encodeURIComponent(prepared.name)}` },
  };
  const samples = new Map<string, number[]>();
  const failures = new Map<string, number>();
  const keep = (key: string, value: number, failed = 0) => {
    samples.set(key, [...(samples.get(key) ?? []), value]);
    failures.set(key, (failures.get(key) ?? 0) + failed);
  };
  try {
    await withDataFolder(async (dataDir) => {
      const server = await startConcordOn(dataDir, prepared.url);
      try {
        for (let round = 1; round <= ROUNDS; round++) {
          console.log(`  round ${round} of ${ROUNDS} (load average ${loadAverage()})`);
          for (const clients of WRITE_CLIENTS) {
            keep(`tpcb:${clients}`, await pgbench(clients, false));
            const note = await concord(server.baseUrl, prepared.token, calls.note, clients);
            keep(`note:${clients}`, note.rps, note.failures);
          }
          for (const clients of READ_CLIENTS) {
            keep(`select:${clients}`, await pgbench(clients, true));
            for (const kind of ['record', 'search'] as const) {
              const read = await concord(server.baseUrl, prepared.token, calls[kind], clients);
              keep(`${kind}:${clients}`, read.rps, read.failures);
            }
          }
        }
      } finally {
        await server.stop();
      }
    });
  } finally {
    await admin(`drop database if exists ${CONCORD_DB} with (force)`).catch(() => undefined);
    await admin(`drop database if exists ${PGBENCH_DB} with (force)`).catch(() => undefined);
  }
  const m = (key: string) => median(samples.get(key)!);
  const rows: Row[] = [];
  const fails = (key: string) => (failures.get(key) ? ` (${failures.get(key)} answers not 2xx)` : '');
  for (const clients of WRITE_CLIENTS) {
    rows.push({
      figure: `Note write, ${clients} client${clients > 1 ? 's' : ''}`,
      value: `${m(`note:${clients}`).toFixed(0)}/s against TPC-B ${m(`tpcb:${clients}`).toFixed(0)} TPS: ${percent(m(`note:${clients}`), m(`tpcb:${clients}`))}${fails(`note:${clients}`)}`,
    });
  }
  for (const kind of ['record', 'search'] as const) {
    for (const clients of READ_CLIENTS) {
      rows.push({
        figure: `${kind === 'record' ? 'Person record read' : 'Person search'}, ${clients} client${clients > 1 ? 's' : ''}`,
        value: `${m(`${kind}:${clients}`).toFixed(0)}/s against select-only ${m(`select:${clients}`).toFixed(0)} TPS: ${percent(m(`${kind}:${clients}`), m(`select:${clients}`))}${fails(`${kind}:${clients}`)}`,
      });
    }
    rows.push({ figure: `${kind === 'record' ? 'Person record read' : 'Person search'}, 4 clients against 1`, value: `${(m(`${kind}:4`) / m(`${kind}:1`)).toFixed(2)}×` });
  }
  const loadAfter = loadAverage();
  rows.push({ figure: 'Load average (1, 5, 15 min) before; after', value: `${loadBefore}; ${loadAfter}` });
  writeSection(rows);
  return rows;
}

/** This benchmark's own section of RESULTS.md. */
function writeSection(rows: Row[]) {
  replaceSection(
    RATIOS_SECTION,
    `## Throughput as a share of PostgreSQL's own (\`npm run bench -- ratios\`)

- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; machine: ${machine()}
- One PostgreSQL server (${new URL(SERVER).host}) for both: pgbench (scale ${PGBENCH_SCALE}, \`-T ${SECONDS}\`) and Concord (demo partnership,
  DATABASE_URL, over HTTP with an API token); medians of ${ROUNDS} interleaved rounds of ${SECONDS} s each.
- Targets at 4 clients (issue 9): note write at least 25 % of TPC-B; record read and search at least 1.6 % of
  select-only; reads at 4 clients at least twice one client.

${markdownTable(rows)}`,
  );
  console.log(`\n${consoleTable(rows)}\n`);
}
