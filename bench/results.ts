import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { markdownTable, type Row } from './table.js';

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

export function machine(): string {
  const cpus = os.cpus();
  const memory = `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`;
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${memory} memory, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Other work on the machine slows every figure down, so the run records how busy it was. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
}

/** Which code was measured: the commit, and whether the working tree differed from it. */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    return `commit ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' plus uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Rewrites bench/RESULTS.md from a full run, so the figures there are always ones a run printed. */
export function writeResults(rows: Row[], run: { command: string; loadBefore: string; loadAfter: string }): string {
  const text = `# Concord benchmark results

Written by \`${run.command}\` at the end of a full run; rerun it rather than editing the figures.
\`npm run bench -- start\`, \`-- memory\` or \`-- memory-cached\` runs one benchmark and leaves this file alone.

- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${machine()}
- Load average (1, 5 and 15 minutes): ${run.loadBefore} before the run; ${run.loadAfter} after
- Code: ${codeVersion()}
- Command: \`${run.command}\`

${markdownTable(rows)}

## What the figures mean

- **Cold start to ready**: wall time from spawning \`node bin/concord.mjs serve --demo-if-empty\` with a new, empty
  CONCORD_DATA_DIR until \`GET /health/ready\` first answers 200 (polled every 50 ms, and at once when the port is
  announced). It includes Node and tsx starting, initdb of the embedded PostgreSQL, the migrations and loading the
  demo partnership (which hashes each demo user's password with argon2id): what someone trying Concord first waits for.
- **Warm restart to ready**: the same on the same folder after a clean stop: PostgreSQL starts on existing data,
  no migrations are pending and the demo is already there. This is what a restart costs.
- **Stop**: SIGTERM to process exit, including the worker, the HTTP server and the embedded PostgreSQL shutting down.
- **Concord RSS**: resident memory (VmRSS in /proc/<pid>/status) of the Node process running Concord, on a warm
  start: when first ready, after signing in and loading \`/\` once, and after the page loads; peak is VmHWM, the most
  it ever held. The embedded PostgreSQL runs in separate processes and is not in it.
- **PostgreSQL PSS**: proportional set size summed over the PostgreSQL processes Concord started. PSS shares out
  pages the processes share (PostgreSQL's shared buffers), so unlike summed RSS it does not count them many times.
- **Throughput and latency**: one demo care coordinator, signed in once over real HTTP (CSRF cookie and form field),
  loads \`/\`, \`/directory\`, \`/account\` and \`/directory/users\` in turn, 10 requests in flight at a time, over
  keep-alive connections from the same machine. Latency is per request, to the last byte of the body, measured by
  the client; percentiles are nearest-rank; requests per second is page loads over the wall time of the run. There
  is no warm-up, so first-request costs (JIT, template compilation) are in the maximum. Logging is at \`warn\`.
- **Responses** says which pages were really rendered (200) and which do not exist yet (404, a small error page),
  so compare two runs only when it matches.
- **npm start** is the default NODE_ENV (development), in which Concord re-reads and recompiles every Nunjucks
  template on every page so that template edits show at once. **templates cached** runs with NODE_ENV=test, which
  differs only in caching templates, as production does (production refuses the embedded PostgreSQL, so it cannot
  be measured this way).
- The client, Concord and PostgreSQL share the machine's ${os.cpus().length} cores, and other work on the machine (see
  the load average) slows everything down: these figures compare one version of Concord with the next on one
  machine; they are not a capacity plan.
`;
  fs.writeFileSync(RESULTS, text);
  return RESULTS;
}

/** The markers around a section of RESULTS.md that one on-request benchmark writes and no other run touches. */
export type SectionMarkers = { start: string; end: string };

const sectionBounds = (text: string, markers: SectionMarkers) => {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  return start >= 0 && end > start ? { start, end: end + markers.end.length } : null;
};

/** Replaces a benchmark's own section of RESULTS.md (or adds it at the end), leaving the rest of the file as it was. */
export function replaceSection(markers: SectionMarkers, body: string): string {
  const text = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '# Concord benchmark results\n';
  const section = `${markers.start}\n${body.trim()}\n${markers.end}`;
  const bounds = sectionBounds(text, markers);
  fs.writeFileSync(RESULTS, bounds ? text.slice(0, bounds.start) + section + text.slice(bounds.end) : `${text.trimEnd()}\n\n${section}\n`);
  return RESULTS;
}

/** Runs `write`, which rewrites the whole of RESULTS.md (the full run does), then puts back these sections as they were. */
export function keepingSections<T>(markers: SectionMarkers[], write: () => T): T {
  const before = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '';
  const kept = markers.flatMap((m) => {
    const bounds = sectionBounds(before, m);
    return bounds ? [{ m, body: before.slice(bounds.start + m.start.length, bounds.end - m.end.length) }] : [];
  });
  const result = write();
  for (const { m, body } of kept) replaceSection(m, body);
  return result;
}
