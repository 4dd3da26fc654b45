import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/db/embedded-server.js';

/** The machine's PostgreSQL; BENCH_POSTGRES_URL points the benchmark at another server. */
const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const DATABASE = 'concord_bench';

export type BenchDatabase = {
  url: string;
  /** "PostgreSQL 15.20 on 127.0.0.1:5432" or "embedded PostgreSQL 18.1", for the results. */
  server: string;
  /** Drops the database (and stops the embedded server, if one was started). Safe to call twice. */
  remove(): Promise<void>;
};

// What this run created, so an interrupted or timed-out run can still clean up.
let current: BenchDatabase | null = null;

/**
 * A new, empty `concord_bench` database: on the machine's PostgreSQL when it answers (dropping a
 * leftover one first), otherwise on an embedded PostgreSQL in a temporary folder.
 */
export async function freshBenchDatabase(): Promise<BenchDatabase> {
  const serverUrl = new URL(SERVER_URL);
  const admin = await connectOrNull(withDatabase(serverUrl, 'postgres'));
  if (admin) {
    try {
      await recreate(admin);
      const server = `${await versionOf(admin)} on ${serverUrl.host}`;
      const url = withDatabase(serverUrl, DATABASE);
      return track({ url, server, remove: once(() => dropOn(withDatabase(serverUrl, 'postgres'))) });
    } finally {
      await admin.end();
    }
  }
  console.log(`  ${serverUrl.host} does not answer: using an embedded PostgreSQL instead.`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-people-'));
  let embedded: EmbeddedServer | null = null;
  try {
    embedded = await startEmbeddedPostgres({ dataDir });
    const embeddedUrl = new URL(embedded.url);
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    const server = `embedded ${await versionOf(client)}`;
    await recreate(client);
    await client.end();
    const stop = embedded.stop.bind(embedded);
    return track({
      url: withDatabase(embeddedUrl, DATABASE),
      server,
      remove: once(async () => {
        await stop();
        fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
      }),
    });
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    throw error;
  }
}

/** For the watchdog and Ctrl+C: drops whatever database this run created. */
export async function removeBenchDatabase(): Promise<void> {
  await current?.remove();
}

function track(database: BenchDatabase): BenchDatabase {
  current = database;
  return database;
}

async function recreate(admin: pg.Client) {
  // WITH (FORCE) ends the sessions of an earlier run that was killed before it could clean up.
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.query(`create database ${DATABASE}`);
}

async function dropOn(adminUrl: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
  } finally {
    await admin.end();
  }
}

async function versionOf(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ v: string }>(`select 'PostgreSQL ' || current_setting('server_version') as v`);
  return rows[0]!.v;
}

async function connectOrNull(url: string): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return client;
  } catch {
    await client.end().catch(() => undefined);
    return null;
  }
}

function withDatabase(server: URL, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}
