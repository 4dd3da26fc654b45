import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What a start finds of an earlier PostgreSQL on the same data folder. When Concord is killed
 * (kill -9, out of memory) its postmaster is re-parented and lives on, holding postmaster.pid, and
 * when the postmaster itself is killed its postmaster.pid stays behind. Either way the next start
 * would fail. Concord holds the data folder's own lock (concord.lock) by then, so a postmaster
 * still serving this folder is an orphan of a Concord that has gone, and is safe to stop.
 */
export type OrphanFinding = 'none' | 'stale-pid-file' | 'orphan-stopped';

export class OrphanPostmasterError extends Error {}

type Log = (line: string) => void;

const FAST_SHUTDOWN_MS = 15_000;
const IMMEDIATE_SHUTDOWN_MS = 5_000;

/** Stops an orphan postmaster of `databaseDir`, or removes a postmaster.pid whose process has gone. */
export async function clearOrphanPostmaster(databaseDir: string, log: Log): Promise<OrphanFinding> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const pid = postmasterPidOf(pidFile);
  if (pid === null) return 'none';
  const ours = servesDataFolder(pid, databaseDir);
  if (ours === 'unknown') {
    throw new OrphanPostmasterError(
      `A PostgreSQL process (${pid}) named in ${pidFile} is still running and Concord cannot tell which data folder it serves. ` +
        `If it is an old Concord's database, stop it (kill -INT ${pid}) and start Concord again; if it is not, delete ${pidFile}.`,
    );
  }
  if (!ours) {
    // The postmaster died and its process id now belongs to something else (or to nothing).
    fs.rmSync(pidFile, { force: true });
    log(`Removed a stale ${pidFile} left by PostgreSQL process ${pid}, which is no longer running.`);
    return 'stale-pid-file';
  }
  log(`Stopping PostgreSQL process ${pid}, left running on ${databaseDir} by a Concord that has stopped (fast shutdown; committed data is kept).`);
  // Fast shutdown ends the sessions and writes a checkpoint; immediate shutdown (SIGQUIT) and SIGKILL
  // skip the checkpoint and leave the next start to crash recovery, which replays the WAL: committed
  // transactions survive either way.
  for (const [signal, waitMs] of [['SIGINT', FAST_SHUTDOWN_MS], ['SIGQUIT', IMMEDIATE_SHUTDOWN_MS], ['SIGKILL', IMMEDIATE_SHUTDOWN_MS]] as const) {
    signalProcess(pid, signal);
    if (await exited(pid, waitMs)) return 'orphan-stopped';
    log(`PostgreSQL process ${pid} had not stopped ${waitMs / 1000} s after ${signal}.`);
  }
  throw new OrphanPostmasterError(`PostgreSQL process ${pid} on ${databaseDir} could not be stopped. Stop it by hand, then start Concord again.`);
}

function postmasterPidOf(pidFile: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Is `pid` a live PostgreSQL serving `databaseDir`? PostgreSQL runs in its data folder, so its
 * working directory says which folder it serves; its command line (`-D folder`) says so too.
 * 'unknown' when the process is alive and cannot be inspected (another user's, no /proc).
 */
export function servesDataFolder(pid: number, databaseDir: string): boolean | 'unknown' {
  if (!isRunning(pid)) return false;
  const wanted = realpathOrSelf(databaseDir);
  try {
    if (realpathOrSelf(fs.readlinkSync(`/proc/${pid}/cwd`)) === wanted) return true;
  } catch {
    // Fall back to the command line, readable for more processes than the working directory.
  }
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const dataArg = args.indexOf('-D');
    if (dataArg === -1) return false;
    return realpathOrSelf(args[dataArg + 1] ?? '') === wanted;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && !isRunning(pid) ? false : 'unknown';
  }
}

/** Alive and not a zombie: a killed orphan is re-parented, and a container's first process may never reap it. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const POLL_MS = 100;

// Counted in polls rather than read from a clock: this waits on another process, not on casework time.
async function exited(pid: number, waitMs: number): Promise<boolean> {
  for (let waited = 0; waited < waitMs; waited += POLL_MS) {
    if (!isRunning(pid)) return true;
    await sleep(POLL_MS);
  }
  return !isRunning(pid);
}

function realpathOrSelf(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
