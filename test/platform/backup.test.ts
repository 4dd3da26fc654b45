import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { writeBackup } from '../../src/platform/db/backup.js';
import { BackupError } from '../../src/platform/db/backup-format.js';
import { checkRestorable, restoreBackup } from '../../src/platform/db/restore.js';
import { buildConcord } from '../../src/concord.js';
import { createTestClock } from '../../src/platform/clocks/clock.js';
import { loadConfig } from '../../src/config.js';
import { Browser, testConcord } from '../support/app.js';
import { freshDatabase } from '../support/database.js';

const CLI = path.resolve(import.meta.dirname, '../../bin/concord.mjs');
const TOM = 'tom.okafor@riverside-nhs.example';
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-backup-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(folder, `backup-${++files}.concord`);

/** A database with nothing in it, not even the schema: what `createdb` gives an administrator. */
async function blankDatabase(): Promise<DatabaseHandle & { url: string }> {
  const adminUrl = process.env.CONCORD_TEST_ADMIN_URL!;
  const name = `concord_b_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = connectDatabase(url.toString(), 3);
  after(async () => {
    await handle.close();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });
  return { ...handle, url: url.toString() };
}

/** Every table a backup should hold, with its row count and an md5 of its rows in a fixed order. */
async function fingerprint(pool: pg.Pool): Promise<Record<string, { rows: number; md5: string | null }>> {
  const tables = await pool.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p') order by 1`,
  );
  const result: Record<string, { rows: number; md5: string | null }> = {};
  for (const { name } of tables.rows) {
    const { rows } = await pool.query(`select count(*)::int as rows, md5(string_agg(t::text, '|' order by t::text)) as md5 from ${name} t`);
    result[name] = rows[0];
  }
  return result;
}

const flipBit = (bytes: Buffer, at: number, bit: number) => bytes.writeUInt8(bytes.readUInt8(at) ^ bit, at);

const publicTables = async (pool: pg.Pool) => (await pool.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`)).rows[0].n as number;

function concord(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const fullEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', ...env };
    if (!('DATABASE_URL' in env)) delete fullEnv.DATABASE_URL;
    const child = spawn(process.execPath, [CLI, ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

// The demo partnership, with a sign-in on top so sessions and fresh audit events are in it too.
const source = await testConcord();
await new Browser(source.app).signIn(TOM);
const backupFile = newFile();
const written = await writeBackup(source.pool, backupFile, new Date('2026-03-02T09:00:00Z'));

describe('a backup', () => {
  test('has a header naming its format, migration level, time and every table with its rows, and only its owner may read it', async () => {
    assert.equal(written.header.format, 'concord-backup');
    assert.equal(written.header.version, 1);
    assert.equal(written.header.createdAt, '2026-03-02T09:00:00.000Z');
    const applied = (await source.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0].n;
    assert.equal(written.header.migrations.applied, applied);
    const expected = await fingerprint(source.pool);
    const listed = Object.fromEntries(written.header.tables.map((t) => [`${t.schema}.${t.name}`, t.rows]));
    for (const [name, { rows }] of Object.entries(expected)) {
      const partition = written.header.partitions.some((p) => `${p.schema}.${p.name}` === name);
      // Partitions' rows are copied once, through their parent.
      if (partition) assert.equal(listed[name], undefined, name);
      else assert.equal(listed[name], rows, name);
    }
    assert.ok(listed['public.audit_event']! > 0);
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600);
    assert.match(written.checksum, /^[0-9a-f]{64}$/);
  });

  test('never overwrites a file', async () => {
    await assert.rejects(writeBackup(source.pool, backupFile, new Date()), (error: Error) => error instanceof BackupError && /already exists/.test(error.message));
  });
});

describe('a restore', () => {
  test('into a database with no schema: migrations applied, every table equal, the chain verifies and a demo user can sign in', async () => {
    const target = await blankDatabase();
    await checkRestorable(backupFile);
    const summary = await restoreBackup(target.pool, backupFile);
    assert.equal(summary.rows, written.rows - written.header.migrations.applied);
    assert.deepEqual(await fingerprint(target.pool), await fingerprint(source.pool));

    const copy = await buildConcord(target, createTestClock(new Date().toISOString()), loadConfig({ NODE_ENV: 'test', COOKIE_SECURE: 'true' }));
    after(() => copy.app.close());
    const chain = await copy.services.audit.verify('backup test');
    assert.equal(chain.intact, true, chain.firstBroken?.problem);
    assert.ok(chain.eventsChecked > 0);
    // Signing in writes a session and audit events: the sequences carry on past the restored ids.
    const browser = await new Browser(copy.app).signIn(TOM);
    const home = await browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Tom Okafor/);
    assert.equal((await copy.services.audit.verify('backup test, after a sign-in')).intact, true);
  });

  test('refuses a file with one byte flipped, naming the problem, and writes nothing', async () => {
    const bytes = fs.readFileSync(backupFile);
    flipBit(bytes, Math.floor(bytes.length / 2), 0x01);
    const tampered = newFile();
    fs.writeFileSync(tampered, bytes);
    await assert.rejects(checkRestorable(tampered), (error: Error) => error instanceof BackupError && /damaged|checksum/.test(error.message));
    const target = await blankDatabase();
    await assert.rejects(restoreBackup(target.pool, tampered), BackupError);
    assert.equal(await publicTables(target.pool), 0);
  });

  test('refuses a file whose content was changed and compressed again: the checksum fails', async () => {
    const content = gunzipSync(fs.readFileSync(backupFile));
    const at = content.indexOf('Tom Okafor');
    assert.ok(at > 0);
    content.write('Tim', at);
    const altered = newFile();
    fs.writeFileSync(altered, gzipSync(content));
    await assert.rejects(checkRestorable(altered), /fails its checksum: it records SHA-256 [0-9a-f]{64}, its content has [0-9a-f]{64}/);
    const truncated = newFile();
    fs.writeFileSync(truncated, gzipSync(content.subarray(0, content.length - 40)));
    await assert.rejects(checkRestorable(truncated), /incomplete: it ends before its checksum/);
  });

  test('refuses a database that already holds Concord data, and changes nothing in it', async () => {
    const target = await freshDatabase('demo');
    const before = await fingerprint(target.pool);
    await assert.rejects(restoreBackup(target.pool, backupFile), /already holds data \(in .*\)\. A restore goes only into an empty database/);
    assert.deepEqual(await fingerprint(target.pool), before);
  });

  test('into a database with the schema but no rows (made by migrate) works too', async () => {
    const target = await freshDatabase('empty');
    await restoreBackup(target.pool, backupFile);
    assert.deepEqual(await fingerprint(target.pool), await fingerprint(source.pool));
  });
});

describe('partitioned tables', () => {
  test('are copied once, through the parent, and partitions the target lacks are created with their own triggers', async () => {
    const origin = await freshDatabase('empty');
    await origin.pool.query(`create table backup_probe (id int primary key, at date not null, note text) partition by range (id)`);
    await origin.pool.query(`create table backup_probe_low partition of backup_probe for values from (minvalue) to (100)`);
    await origin.pool.query(`create table backup_probe_high partition of backup_probe for values from (100) to (maxvalue)`);
    await origin.pool.query(`create function backup_probe_refuse() returns trigger language plpgsql as $$ begin raise exception 'no'; end $$`);
    await origin.pool.query(`create trigger backup_probe_no_truncate before truncate on backup_probe_high for each statement execute function backup_probe_refuse()`);
    await origin.pool.query(`insert into backup_probe select i, date '2026-01-01' + i, 'row ' || i from generate_series(1, 250) i`);
    const file = newFile();
    const probe = await writeBackup(origin.pool, file, new Date());
    assert.equal(probe.header.tables.find((t) => t.name === 'backup_probe')?.rows, 250);
    assert.equal(probe.header.tables.some((t) => t.name.startsWith('backup_probe_')), false);

    const target = await blankDatabase();
    await target.pool.query(`create table backup_probe (id int primary key, at date not null, note text) partition by range (id)`);
    await target.pool.query(`create function backup_probe_refuse() returns trigger language plpgsql as $$ begin raise exception 'no'; end $$`);
    await restoreBackup(target.pool, file);
    const counts = await target.pool.query(`select tableoid::regclass::text as part, count(*)::int as n from backup_probe group by 1 order by 1`);
    assert.deepEqual(counts.rows, [{ part: 'backup_probe_high', n: 151 }, { part: 'backup_probe_low', n: 99 }]);
    await assert.rejects(target.pool.query('truncate backup_probe_high'), /no/);
  });
});

describe('the command line', () => {
  test('backup FILE and restore FILE round trip over DATABASE_URL, reporting the chain check', async () => {
    const file = newFile();
    const backedUp = await concord(['backup', file], { DATABASE_URL: source.url });
    assert.equal(backedUp.code, 0, backedUp.stderr);
    assert.match(backedUp.stdout, /Backup written to .*: \d+ tables, \d+ rows, at \d+ migrations\. SHA-256 [0-9a-f]{64}/);
    const recorded = await source.pool.query(`select details from audit_event where action = 'database.backed_up'`);
    assert.equal(recorded.rows.length, 1);

    const target = await blankDatabase();
    const restored = await concord(['restore', file], { DATABASE_URL: target.url });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /Restored \d+ rows in \d+ tables/);
    assert.match(restored.stdout, /The restored audit chain is intact: \d+ events checked/);

    const again = await concord(['restore', file], { DATABASE_URL: target.url });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds data/);

    const bytes = fs.readFileSync(file);
    flipBit(bytes, bytes.length - 12, 0x80);
    const tampered = newFile();
    fs.writeFileSync(tampered, bytes);
    const fresh = await blankDatabase();
    const refused = await concord(['restore', tampered], { DATABASE_URL: fresh.url });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /damaged|checksum/);
    assert.equal(await publicTables(fresh.pool), 0);

    const usage = await concord(['backup'], { DATABASE_URL: source.url });
    assert.equal(usage.code, 2);
  });

  test('a restore whose audit chain does not verify exits non-zero, saying where it breaks', async () => {
    const broken = await freshDatabase('demo');
    // Events are chained when sealed, which a check does first: tampering after it breaks the chain.
    assert.equal((await concord(['audit', 'verify'], { DATABASE_URL: broken.url })).code, 0);
    const client = await broken.pool.connect();
    await client.query('set session_replication_role = replica');
    await client.query(`update audit_event set actor_name = 'Someone Else' where id = (select min(id) + 3 from audit_event)`);
    client.release(true);
    const file = newFile();
    assert.equal((await concord(['backup', file], { DATABASE_URL: broken.url })).code, 0);
    const target = await blankDatabase();
    const restored = await concord(['restore', file], { DATABASE_URL: target.url });
    assert.equal(restored.code, 1, restored.stdout);
    assert.match(restored.stderr, /The restored audit chain is BROKEN at event \d+/);
  });

  test('restore into a new embedded data folder, then serve the copy', async () => {
    const dataDir = fs.mkdtempSync(path.join(folder, 'data-'));
    const restored = await concord(['restore', backupFile], { CONCORD_DATA_DIR: dataDir });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /The restored audit chain is intact/);
    const checked = await concord(['audit', 'verify'], { CONCORD_DATA_DIR: dataDir });
    assert.equal(checked.code, 0, checked.stderr);
    const file = newFile();
    const backedUp = await concord(['backup', file], { CONCORD_DATA_DIR: dataDir });
    assert.equal(backedUp.code, 0, backedUp.stderr);
  });
});
