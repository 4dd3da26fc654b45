import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(import.meta.dirname, '../..');

export type ConcordProcess = { child: ChildProcess; address: string; output: () => string };

/**
 * `concord serve` as a real process, as `npm start` runs it, on a port of its own choosing; resolves
 * once it says where it listens. No DATABASE_URL in `settings` means the embedded server, even when
 * the suite itself runs against an external one.
 */
export async function startConcordProcess(settings: NodeJS.ProcessEnv): Promise<ConcordProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', PORT: '0', WORKER_ENABLED: 'false', LOG_LEVEL: 'warn', ...settings };
  if (!settings.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(root, 'bin/concord.mjs'), 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  for (let waited = 0; waited < 90_000; waited += 100) {
    const address = /Concord is running at (http:\/\/\S+)/.exec(output)?.[1];
    if (address) return { child, address, output: () => output };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`Concord did not start:\n${output}`);
}
