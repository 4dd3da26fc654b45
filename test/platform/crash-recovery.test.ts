import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isRunning } from '../../src/platform/db/orphan-postmaster.js';
import { startConcordProcess, type ConcordProcess } from '../support/concord-process.js';

/*
 * kill -9 of either process, over and over, with writes in flight: Concord comes back with no human
 * step and every acknowledged write is there. Killing Concord leaves its postmaster re-parented: the
 * watchdog stops it, and when the watchdog is killed too the next start finds the orphan of its data
 * folder and stops it (before, the next start failed on postmaster.pid). Killing the postmaster
 * leaves Concord running: it starts PostgreSQL again itself and the pool reconnects.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-crash-'));
const databaseDir = path.join(dataDir, 'postgres');

type Running = ConcordProcess;

const startConcord = (): Promise<Running> => startConcordProcess({ CONCORD_DATA_DIR: dataDir });

const postmasterPid = () => Number.parseInt(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]!, 10);

/** A connection straight to the embedded server, as its superuser, wherever it listens now. */
async function connect(): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce();
    } catch (error) {
      // Just restarted: recovering, or not listening yet.
      if (attempt === 50) throw error;
      await sleep(200);
    }
  }
}

async function connectOnce(): Promise<pg.Client> {
  const port = fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[3]!.trim();
  const password = fs.readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
  const client = new pg.Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', password, database: 'postgres', application_name: 'crash-test' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  for (let waited = 0; waited < ms; waited += 100) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`still waiting after ${ms / 1000} s: ${what}`);
}

const ready = async (address: string) => {
  try {
    return (await fetch(`${address}/health/ready`)).status === 200;
  } catch {
    return false;
  }
};

/** The watchdog of this postmaster, found by its command line. */
function watchdogOf(pid: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('concord-postmaster-watchdog') && args.includes(String(pid))) return Number(entry);
    } catch {
      // gone already
    }
  }
  return undefined;
}

const acknowledged: number[] = [];
let next = 0;

/**
 * Writes rows one after another, kills, and goes on writing until the connection fails or a moment
 * has passed (a postmaster left running by a killed Concord still takes writes). Only rows whose
 * insert returned count as acknowledged.
 */
async function writeUntilKilled(kill: () => void) {
  const client = await connect();
  await client.query('create table if not exists crash_probe (n integer primary key)');
  let stop = false;
  const writing = (async () => {
    while (!stop) {
      const n = ++next;
      try {
        await client.query('insert into crash_probe values ($1)', [n]);
      } catch {
        return;
      }
      acknowledged.push(n);
    }
  })();
  await sleep(300);
  kill();
  await sleep(300);
  stop = true;
  await writing;
  await client.end().catch(() => undefined);
}

async function assertEveryAcknowledgedWriteKept() {
  const client = await connect();
  try {
    const { rows } = await client.query('select n from crash_probe');
    const kept = new Set(rows.map((row: { n: number }) => row.n));
    assert.deepEqual(acknowledged.filter((n) => !kept.has(n)), [], 'acknowledged writes lost');
  } finally {
    await client.end();
  }
}

test('kill -9 of Concord (with and without its watchdog) and of its postmaster, three times each: it comes back by itself and keeps every acknowledged write', { timeout: 240_000 }, async () => {
  let concord = await startConcord();
  try {
    for (let cycle = 0; cycle < 3; cycle++) {
      // Concord dies; its watchdog stops the postmaster (the first time), or the watchdog dies too and the next start stops the orphan.
      const postmaster = postmasterPid();
      const killWatchdog = cycle > 0;
      await writeUntilKilled(() => {
        if (killWatchdog) process.kill(watchdogOf(postmaster)!, 'SIGKILL');
        concord.child.kill('SIGKILL');
      });
      await waitUntil('Concord has died', () => concord.child.exitCode !== null || concord.child.signalCode !== null);
      if (!killWatchdog) await waitUntil('the watchdog has stopped the orphan postmaster', () => !isRunning(postmaster), 20_000);
      else assert.ok(isRunning(postmaster), 'without its watchdog the postmaster outlives Concord');
      concord = await startConcord();
      assert.ok(!isRunning(postmaster), 'the orphan has been stopped');
      await assertEveryAcknowledgedWriteKept();

      // The postmaster dies; Concord lives, starts it again, and answers again.
      await writeUntilKilled(() => process.kill(postmasterPid(), 'SIGKILL'));
      await waitUntil('Concord answers again after its postmaster was killed', () => ready(concord.address));
      assert.equal(concord.child.exitCode, null, `Concord kept running\n${concord.output()}`);
      await assertEveryAcknowledgedWriteKept();
    }
    assert.ok(acknowledged.length > 100, `writes were acknowledged (${acknowledged.length})`);

    const last = postmasterPid();
    concord.child.kill('SIGTERM');
    await waitUntil('Concord has stopped', () => concord.child.exitCode !== null);
    assert.equal(concord.child.exitCode, 0, concord.output());
    assert.ok(!isRunning(last), 'a clean stop stops PostgreSQL');
    assert.equal(fs.existsSync(path.join(dataDir, 'concord.lock')), false);
  } finally {
    if (concord.child.exitCode === null) concord.child.kill('SIGKILL');
    const left = fs.existsSync(path.join(databaseDir, 'postmaster.pid')) ? postmasterPid() : undefined;
    if (left && isRunning(left)) process.kill(left, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
