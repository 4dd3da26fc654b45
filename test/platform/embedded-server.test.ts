import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DataFolderInUseError, startEmbeddedPostgres } from '../../src/platform/db/embedded-server.js';

test('the embedded PostgreSQL keeps its data, listens on loopback only, and refuses a second Concord on the same folder', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-embedded-'));
  try {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      const url = new URL(first.url);
      assert.equal(url.hostname, '127.0.0.1');
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      const settings = await client.query(`select name, setting from pg_settings where name in ('fsync', 'listen_addresses', 'unix_socket_directories') order by name`);
      assert.deepEqual(
        Object.fromEntries(settings.rows.map((r: { name: string; setting: string }) => [r.name, r.setting])),
        { fsync: 'on', listen_addresses: '127.0.0.1', unix_socket_directories: '' },
      );
      await client.query('create table kept (note text)');
      await client.query(`insert into kept values ('still here')`);
      await client.end();

      await assert.rejects(startEmbeddedPostgres({ dataDir }), (error: Error) => {
        assert.ok(error instanceof DataFolderInUseError);
        assert.match(error.message, new RegExp(`Another Concord \\(process ${process.pid}\\) is already using the data folder`));
        return true;
      });
    } finally {
      await first.stop();
    }
    assert.equal(fs.existsSync(path.join(dataDir, 'concord.lock')), false, 'the lock is released on stop');

    // A lock left by a process that died is stale and taken over.
    fs.writeFileSync(path.join(dataDir, 'concord.lock'), '999999');
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      const rows = await client.query('select note from kept');
      assert.deepEqual(rows.rows, [{ note: 'still here' }], 'data survives a restart');
      await client.end();
    } finally {
      await second.stop();
    }
    const password = fs.statSync(path.join(dataDir, 'postgres-password'));
    assert.equal(password.mode & 0o077, 0, 'the database password file is private');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('as root, a data folder inside a private folder still starts: the postgres user is let through, and the change is logged', { skip: os.userInfo().uid !== 0 && 'only root runs PostgreSQL as another user' }, async () => {
  const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-private-'));
  fs.chmodSync(privateDir, 0o700);
  const lines: string[] = [];
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(privateDir, 'data'), fsync: false, onLog: (line) => lines.push(line) });
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      assert.equal((await client.query('select 1 as one')).rows[0].one, 1);
      await client.end();
    } finally {
      await server.stop();
    }
    assert.equal(fs.statSync(privateDir).mode & 0o777, 0o701, 'search only, for others: nothing in it can be listed');
    assert.ok(lines.some((line) => line.includes(`Let the postgres user pass through ${privateDir} `)), lines.join('\n'));
  } finally {
    fs.rmSync(privateDir, { recursive: true, force: true });
  }
});
