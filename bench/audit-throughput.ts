/**
 * Audited transactions a second at 1, 4 and 16 clients: the sealed chain (events inserted freely,
 * a sealer chaining them every 2 s) against a plain insert, and against one global advisory lock
 * held to commit (the old design). Uses DATABASE_URL (default: the PostgreSQL at 127.0.0.1:5432),
 * in a scratch database of its own that it drops afterwards.
 *   node --import tsx bench/audit-throughput.ts [seconds per setting, default 10]
 */
import os from 'node:os';
import pg from 'pg';
import { AuditTrail } from '../src/platform/audit/trail.js';
import { systemClock } from '../src/platform/clocks/clock.js';
import { connectDatabase } from '../src/platform/db/database.js';
import { runMigrations } from '../src/platform/db/migrations.js';

const seconds = Number(process.argv[2] ?? 10);
const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `concord_bench_audit_${process.pid}`;

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function measure(clients: number, once: () => Promise<void>): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        await once();
        done++;
      }
    }),
  );
  return done / seconds;
}

await adminQuery(`create database ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const handle = connectDatabase(url.toString(), 20);
try {
  await runMigrations(handle.pool);
  await handle.pool.query('create table bench_plain (id bigserial primary key, at timestamptz not null, details jsonb not null)');
  const audit = new AuditTrail(handle.db, systemClock);
  const event = { action: 'bench.viewed', subject: { type: 'person', id: 'p-1' }, details: { filters: { q: 'smith' }, shown: 20 } };
  const kinds: Record<string, () => Promise<void>> = {
    'sealed chain (this design)': () => audit.recordNow(null, event),
    'plain insert': async () => {
      await handle.pool.query(`begin; insert into bench_plain (at, details) values (now(), '{"shown": 20}'); commit`);
    },
    'one global lock (the old design)': async () => {
      await handle.pool.query(`begin; select pg_advisory_xact_lock(724110002); insert into bench_plain (at, details) values (now(), '{"shown": 20}'); commit`);
    },
  };
  let sealing = true;
  const sealer = (async () => {
    while (sealing) {
      await audit.seal(2000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  console.log(`${seconds} s per setting; ${os.cpus().length} CPUs`);
  console.log('| clients | kind | transactions/s | load average (1 min) |');
  console.log('| --- | --- | --- | --- |');
  for (const clients of [1, 4, 16]) {
    for (const [kind, once] of Object.entries(kinds)) {
      const rate = await measure(clients, once);
      console.log(`| ${clients} | ${kind} | ${rate.toFixed(0)} | ${os.loadavg()[0]!.toFixed(2)} |`);
    }
  }
  sealing = false;
  await sealer;
  const result = await audit.verify('bench', { full: true });
  console.log(`chain check after the run: ${result.intact ? 'intact' : 'BROKEN'}, ${result.eventsChecked} events, ${result.unsealed.events} unsealed`);
} finally {
  await handle.close();
  await adminQuery(`drop database if exists ${name} with (force)`);
}
