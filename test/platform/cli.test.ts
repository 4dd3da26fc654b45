import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from '../support/database.js';

const CLI = path.resolve(import.meta.dirname, '../../bin/concord.mjs');

function concord(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A test that names no database means the embedded one, even when the suite runs with DATABASE_URL.
    const fullEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', ...env };
    if (!('DATABASE_URL' in env)) delete fullEnv.DATABASE_URL;
    const child = spawn(process.execPath, [CLI, ...args], { env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(input);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

test('seed --demo loads the demo partnership into an empty database, and only an empty one', async () => {
  const db = await freshDatabase('empty');
  const first = await concord(['seed', '--demo'], { DATABASE_URL: db.url });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Demo partnership loaded: 10 agencies, \d+ teams, 21 users/);
  const second = await concord(['seed', '--demo'], { DATABASE_URL: db.url });
  assert.equal(second.code, 1);
  assert.match(second.stderr, /only loaded into an empty database/);
});

test('user create adds the first administrator, reading the password from standard input', async () => {
  const db = await freshDatabase('empty');
  const args = ['user', 'create', '--email', 'First.Admin@council.example', '--name', 'First Admin', '--agency', 'Northshire Council', '--agency-type', 'la_adult_social_care', '--team', 'Digital', '--role', 'partnership_administrator'];
  const weak = await concord(args, { DATABASE_URL: db.url }, 'password123\n');
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /Password must be 12 characters or more|too common/);
  const created = await concord(args, { DATABASE_URL: db.url }, 'Kestrel-harbour-lamp-9\n');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Created first.admin@council.example in Digital, Northshire Council/);
  const rows = await db.pool.query(`select u.email, m.roles from app_user u join team_membership m on m.user_id = u.id`);
  assert.deepEqual(rows.rows, [{ email: 'first.admin@council.example', roles: ['partnership_administrator'] }]);
  const duplicate = await concord(args, { DATABASE_URL: db.url }, 'Kestrel-harbour-lamp-9\n');
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /already exists/);
  const badRole = await concord([...args.slice(0, -1), 'superuser'], { DATABASE_URL: db.url });
  assert.equal(badRole.code, 2);
  assert.match(badRole.stderr, /Unknown role "superuser"/);
});

test('a second Concord on the same data folder is refused with a clear message', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-cli-'));
  const env = { ...process.env, CONCORD_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', WORKER_ENABLED: 'false' } as Record<string, string>;
  delete env.DATABASE_URL;
  const server = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start')), 60_000);
      server.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Concord is running at')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const second = await concord(['migrate'], env);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`Another Concord \\(process ${server.pid}\\) is already using the data folder`));
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a wrong setting stops Concord before it starts, naming the setting', async () => {
  const result = await concord(['migrate'], { PORT: 'not-a-port' });
  assert.equal(result.code, 78);
  assert.match(result.stderr, /PORT/);
});
