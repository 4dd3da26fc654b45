import fs from 'node:fs';

/** Memory figures from Linux's /proc, in KiB. */
export type ProcessMemory = { rssKiB: number; peakRssKiB: number };

/** Resident set (VmRSS) and its high-water mark (VmHWM) of one process. */
export function memoryOf(pid: number): ProcessMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssKiB: statusField(status, 'VmRSS'), peakRssKiB: statusField(status, 'VmHWM') };
}

/**
 * The proportional set size summed over every process below `pid` (the embedded PostgreSQL server
 * and its backends). PSS, not RSS: PostgreSQL's processes share their buffers, and summing RSS
 * would count that shared memory once per process.
 */
export function descendantsPss(pid: number): { processes: number; pssKiB: number } {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const below: number[] = [];
  const visit = (p: number) => (children.get(p) ?? []).forEach((child) => (below.push(child), visit(child)));
  visit(pid);
  let pssKiB = 0;
  for (const child of below) pssKiB += ifStillRunning(() => statusField(fs.readFileSync(`/proc/${child}/smaps_rollup`, 'utf8'), 'Pss')) ?? 0;
  return { processes: below.length, pssKiB };
}

function parentOf(pid: number): number | null {
  // /proc/<pid>/stat is "pid (command) state ppid …"; the command may itself contain spaces or brackets.
  const stat = ifStillRunning(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (stat === null) return null;
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

function statusField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!match) throw new Error(`No ${field} in /proc; this benchmark needs Linux.`);
  return Number(match[1]);
}

/** A process may exit between listing /proc and reading it. */
function ifStillRunning<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
