import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { buildConcord, openDatabase } from '../../src/concord.js';
import { createTestClock } from '../../src/platform/clocks/clock.js';
import { loadDemoPartnershipIfEmpty } from '../../src/demo/load.js';
import { Browser } from '../support/app.js';

/*
 * On the embedded server the app connects as concord_app, not the superuser: it reads and writes
 * rows, but holds no UPDATE, DELETE or TRUNCATE on any audit_ table, so PostgreSQL refuses them at
 * the grant (permission denied, 42501) before any trigger runs, and a table added later is covered
 * at the next start. Before, the app was the superuser and only the trigger stood in the way.
 */

async function refusal(pool: pg.Pool, statement: string): Promise<string | undefined> {
  try {
    await pool.query(statement);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

test('embedded: the app connects as concord_app, which cannot change or remove audit rows even at the grant level, and Concord works', { timeout: 180_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-least-privilege-'));
  const config = loadConfig({ NODE_ENV: 'test', CONCORD_DATA_DIR: dataDir, WORKER_ENABLED: 'false' });
  try {
    let database = await openDatabase(config);
    try {
      const who = await database.pool.query(`select current_user as name, (select rolsuper from pg_roles where rolname = current_user) as superuser`);
      assert.deepEqual(who.rows[0], { name: 'concord_app', superuser: false });
      assert.equal(fs.statSync(path.join(dataDir, 'concord-app-password')).mode & 0o077, 0, 'its password file is private');

      // Concord works as that role: the demo loads (audited), a user signs in and opens their work.
      const { app, services } = await buildConcord(database, createTestClock(new Date().toISOString()), config);
      try {
        const demo = await loadDemoPartnershipIfEmpty(services);
        assert.equal(demo?.loadedNow, true);
        const tom = await new Browser(app).signIn('tom.okafor@riverside-nhs.example');
        assert.equal((await tom.get('/')).statusCode, 200);
        assert.equal((await services.audit.verify('test')).intact, true);
      } finally {
        await app.close();
      }

      const { rows } = await database.pool.query(`select tablename from pg_tables where schemaname = 'public' and tablename like 'audit\\_%' order by 1`);
      const auditTables = rows.map((row: { tablename: string }) => row.tablename);
      assert.ok(auditTables.includes('audit_event'), auditTables.join(', '));
      for (const table of auditTables) {
        for (const statement of [`update ${table} set id = id`, `delete from ${table}`, `truncate ${table}`]) {
          assert.equal(await refusal(database.pool, statement), '42501', `${statement}: permission denied`);
        }
      }
      assert.equal(await refusal(database.pool, 'create table not_allowed (id int)'), '42501', 'no schema changes');
      assert.equal(await refusal(database.pool, 'alter table audit_event disable trigger all'), '42501', 'the audit triggers cannot be dropped');

      // A table added later (as a migration would) is covered at the next start.
      const admin = new pg.Client({ connectionString: database.embedded!.url });
      await admin.connect();
      await admin.query('create table audit_later (id int); insert into audit_later values (1); create table later_work (id int)');
      await admin.end();
      await database.close();
      database = await openDatabase(config);
      assert.equal(await refusal(database.pool, 'delete from audit_later'), '42501');
      assert.equal(await refusal(database.pool, 'insert into audit_later values (2)'), undefined, 'audit tables take new rows');
      assert.equal(await refusal(database.pool, 'update later_work set id = 1'), undefined, 'other new tables are writable');
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
