import { spawn } from 'node:child_process';

export type Watchdog = { cancel(): void };

/**
 * A tiny process that asks the postmaster for a fast shutdown (SIGINT) as soon as Concord is gone,
 * however it went: it reads a pipe only Concord holds open, and the read ends when the pipe's other
 * end closes, which the kernel does even after kill -9. Without it the postmaster is re-parented and
 * outlives Concord. A clean stop cancels it first. It runs in its own process group, so a signal to
 * Concord's group (Ctrl+C) does not take it down before it has done its job.
 */
export function watchPostmaster(pid: number, log: (line: string) => void): Watchdog {
  if (process.platform === 'win32') return { cancel() {} };
  const child = spawn('/bin/sh', ['-c', 'read -r _; kill -INT "$1" 2>/dev/null', 'concord-postmaster-watchdog', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.on('error', (error) => log(`The watchdog that stops PostgreSQL if Concord dies could not run: ${error.message}`));
  child.stdin?.on('error', () => undefined);
  // Neither the watchdog nor its pipe keeps Concord running.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    cancel() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
