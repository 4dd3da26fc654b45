import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POLL_MS = 50;
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

export type ServerOptions = {
  /**
   * 'development' (the default, as `npm start`) re-reads and recompiles every template on every page;
   * 'test' differs from it only in caching them, as production does (production needs DATABASE_URL).
   */
  nodeEnv?: 'development' | 'test';
  /** An existing PostgreSQL to run on instead of the embedded one (the pgbench comparison needs both on one server). */
  databaseUrl?: string;
  /** Further settings, e.g. limits a load test must lift. */
  env?: Record<string, string>;
};

export type RunningServer = {
  pid: number;
  baseUrl: string;
  /** Wall time from spawn until /health/ready first answered 200. */
  readyMs: number;
  /** Sends SIGTERM and waits for a clean exit; returns how long that took. Forces it after a timeout. */
  stop(): Promise<number>;
};

// Everything this bench has started or created, so an interrupted or timed-out run can still clean up.
const liveServers = new Set<RunningServer>();
const dataFolders = new Set<string>();

/** Runs `work` with a new, empty CONCORD_DATA_DIR, removed afterwards whatever happens. */
export async function withDataFolder<T>(work: (dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-'));
  dataFolders.add(dataDir);
  try {
    return await work(dataDir);
  } finally {
    removeDataFolder(dataDir);
  }
}

/**
 * Starts `concord serve --demo-if-empty` as a child process, exactly as `npm start` does, and waits
 * until /health/ready answers 200. PORT=0 lets the OS choose the port, read from the welcome message.
 */
export async function startServer(dataDir: string, options: ServerOptions = {}): Promise<RunningServer> {
  const startedAt = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: options.nodeEnv ?? 'development', // what `npm start` runs as
    HOST: '127.0.0.1',
    PORT: '0',
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'warn', // a log line per request would be part of what is measured
    CONCORD_DATA_DIR: dataDir,
  };
  Object.assign(env, options.env ?? {});
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL; // the point is to measure the embedded PostgreSQL
  // BENCH_NODE_ARGS passes options to Concord's node (`--cpu-prof` to profile what a benchmark measures).
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), 'bin/concord.mjs', 'serve', '--demo-if-empty'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = outputTail(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const announced = new Promise<string>((resolve) => {
    output.onStdoutLine((line) => {
      const match = /Concord is running at (http:\/\/\S+)/.exec(line);
      // It listens on 127.0.0.1 but prints "localhost", which may resolve to ::1 first.
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
  });
  let baseUrl: string | undefined;
  void announced.then((url) => (baseUrl = url));

  let stopping: Promise<number> | undefined;
  const server: RunningServer = {
    pid: child.pid!,
    baseUrl: '',
    readyMs: 0,
    // Once only: Concord handles one SIGTERM, and a second would kill it mid-shutdown.
    stop: () => (stopping ??= stopChild(child, exited, dataDir, output, server)),
  };
  liveServers.add(server);
  try {
    for (;;) {
      const url = baseUrl;
      if (url && (await answersReady(url))) break;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Concord exited before it was ready.\n${output.text()}`);
      if (performance.now() - startedAt > START_TIMEOUT_MS) throw new Error(`Concord was not ready after ${START_TIMEOUT_MS / 1000} s.\n${output.text()}`);
      // Poll every 50 ms, but look at once when the port is announced so the figure is not rounded up.
      await (url ? sleep(POLL_MS) : Promise.race([sleep(POLL_MS), announced, exited]));
    }
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  server.readyMs = performance.now() - startedAt;
  server.baseUrl = baseUrl!;
  return server;
}

/** Stops every server this bench started and removes its data folders: for timeouts and Ctrl+C. */
export async function cleanUpEverything(): Promise<void> {
  await Promise.allSettled([...liveServers].map((server) => server.stop()));
  for (const dataDir of dataFolders) removeDataFolder(dataDir);
}

async function answersReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false; // not listening yet
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, dataDir: string, output: OutputTail, server: RunningServer): Promise<number> {
  const startedAt = performance.now();
  try {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
    if (!stopped) {
      await forceStop(child, dataDir);
      await exited;
      throw new Error(`Concord did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; it was killed.\n${output.text()}`);
    }
    if (child.exitCode !== 0) throw new Error(`Concord exited with ${child.exitCode ?? child.signalCode} on SIGTERM.\n${output.text()}`);
    return performance.now() - startedAt;
  } finally {
    liveServers.delete(server);
  }
}

/** Kills Concord and its PostgreSQL, which would otherwise outlive it and keep writing to the data folder. */
async function forceStop(child: ChildProcess, dataDir: string) {
  child.kill('SIGKILL');
  let postmasterPid: number;
  try {
    postmasterPid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8'), 10);
    process.kill(postmasterPid, 'SIGQUIT'); // PostgreSQL's immediate shutdown
  } catch {
    return; // no postmaster.pid, or no such process: PostgreSQL never started or has already gone
  }
  for (let waited = 0; waited < STOP_TIMEOUT_MS && fs.existsSync(`/proc/${postmasterPid}`); waited += POLL_MS) await sleep(POLL_MS);
}

function removeDataFolder(dataDir: string) {
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  dataFolders.delete(dataDir);
}

type OutputTail = { text(): string; onStdoutLine(listener: (line: string) => void): void };

/** Keeps the last lines the server printed, to explain a failure; reading the pipes also stops them filling up. */
function outputTail(child: ChildProcess): OutputTail {
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 30) lines.shift();
  };
  const stdout = createInterface({ input: child.stdout! });
  stdout.on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  return {
    text: () => `Its last output:\n  ${lines.join('\n  ')}`,
    onStdoutLine: (listener) => stdout.on('line', listener),
  };
}
