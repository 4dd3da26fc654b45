import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine } from '../results.js';
import { millis, seconds } from '../stats.js';
import type { Generation } from './generate.js';
import type { OverHttp } from './http.js';
import { meets, type Line } from './measure.js';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const START = '<!-- people benchmark: written by `npm run bench -- people`; rerun it rather than editing the figures -->';
const END = '<!-- end of people benchmark -->';

export type PeopleFigures = {
  options: { people: number; referrals: number; searches: number; queueReads: number; myWorkReads: number; recordReads: number };
  warmUp: { searches: number; queueReads: number; recordReads: number };
  searchPhaseMinutes: number;
  server: string;
  settings: string;
  loadBefore: string;
  loadAfter: string;
  generation: Generation;
  searches: Line[];
  queues: Line[];
  myWork: Line[];
  overHttp: OverHttp;
  budgets: { searchP95Ms: number; dutyQueueP95Ms: number; recordP95Ms: number };
};

/**
 * Replaces the people section of RESULTS.md where it stands (or adds it at the end), leaving the rest
 * of the file as it was, so a run's diff is its own figures and nothing moves.
 */
export function writePeopleSection(figures: PeopleFigures): string {
  const before = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '# Concord benchmark results\n';
  const start = before.indexOf(START);
  const end = before.indexOf(END);
  const after = start >= 0 && end > start ? before.slice(0, start) + section(figures).trimEnd() + before.slice(end + END.length) : `${before.trimEnd()}\n\n${section(figures)}`;
  fs.writeFileSync(RESULTS, after);
  return RESULTS;
}

/**
 * Runs `write`, which rewrites the whole of RESULTS.md (the full run does), then puts the people
 * section back: the full run does not measure it, so its last figures must survive.
 */
export function keepingPeopleSection<T>(write: () => T): T {
  const before = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '';
  const start = before.indexOf(START);
  const end = before.indexOf(END);
  const result = write();
  if (start >= 0 && end > start) {
    const kept = before.slice(start, end + END.length);
    fs.writeFileSync(RESULTS, `${withoutPeopleSection(fs.readFileSync(RESULTS, 'utf8')).trimEnd()}\n\n${kept}\n`);
  }
  return result;
}

function withoutPeopleSection(text: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  return start >= 0 && end > start ? text.slice(0, start) + text.slice(end + END.length) : text;
}

function section(f: PeopleFigures): string {
  const g = f.generation;
  const search = f.searches.at(-1)!;
  const queue = f.queues.at(-1)!;
  const verdict = (line: Line, budget: number) => (meets(line, budget) ? `**met** (under ${budget} ms)` : `**missed** (budget ${budget} ms)`);
  const httpSearch = f.overHttp.searches.at(-1)!;
  const record = f.overHttp.record;
  const stopped = [search, httpSearch]
    .filter((l) => l.count < f.options.searches)
    .map((l) => ` Only ${l.count} of the ${f.options.searches} searches ran${l === httpSearch ? ' over HTTP' : ''}: the phase stops after ${f.searchPhaseMinutes} minutes.`)
    .join('');
  const notOk = f.overHttp.notOk ? ` **${f.overHttp.notOk} answers over HTTP were not 200** (see the table).` : ' Every answer over HTTP was 200.';
  const recordBudget = record
    ? `Person record over HTTP p95 ${millis(record.p95)}: ${verdict(record, f.budgets.recordP95Ms)}.`
    : 'Person record over HTTP: **not measured**, no search found a person the searcher may open.';
  const percent = (n: number) => `${(n * 100).toFixed(1)} %`;
  const n = (value: number) => value.toLocaleString('en-GB');
  const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${START}
## Person search, person record and duty queue at ${n(f.options.people)} people

- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${machine()}
- Load average (1, 5 and 15 minutes): ${f.loadBefore} before the run; ${f.loadAfter} after
- Database: ${f.server} (${f.settings}), shared with other work on the machine
- Code: ${codeVersion()}
- Command: \`npm run bench -- people\`

**Budgets.** Person search p95 ${millis(search.p95)}: ${verdict(search, f.budgets.searchP95Ms)}.
Duty queue p95 ${millis(queue.p95)}: ${verdict(queue, f.budgets.dutyQueueP95Ms)}.
Person search over HTTP p95 ${millis(httpSearch.p95)}: ${verdict(httpSearch, f.budgets.searchP95Ms)}. ${recordBudget}${notOk}${stopped}

**Data.** ${n(f.options.people)} people (${n(g.checks.familyNames)} family names, Smith ${percent(g.checks.smithShare)};
NHS number ${percent(g.checks.withNhsNumber)}, all valid: ${g.checks.nhsNumbersValid ? 'yes' : 'NO'}; postcode ${percent(g.checks.withPostcode)}),
${n(f.options.referrals)} referrals, ${mib(g.databaseBytes)} in all. Open referrals per duty queue (before its 200-row limit):
${g.dutyQueues.map((q) => `${q.team} ${n(q.open)}`).join(', ')}.

**Generation** took ${seconds(g.totalMs)}: ${g.steps.map((s) => `${s.name} ${seconds(s.ms)}`).join(' · ')}.

| Measured | Runs | p50 | p95 | p99 | max | Answers |
| --- | --- | --- | --- | --- | --- | --- |
${[...f.searches.map((l) => ({ ...l, label: `Search: ${l.label}` })), ...f.queues.map((l) => ({ ...l, label: `Duty queue: ${l.label}` })),
  ...f.myWork.map((l) => ({ ...l, label: `My work, duty section: ${l.label}` })),
  ...f.overHttp.searches.map((l) => ({ ...l, label: `Search over HTTP: ${l.label}` })),
  ...(record ? [{ ...record, label: 'Person record over HTTP' }] : [])]
  .map((l) => `| ${l.label} | ${l.count} | ${[l.p50, l.p95, l.p99, l.max].map(millis).join(' | ')} | ${l.detail} |`)
  .join('\n')}

| Table | Rows | Size with indexes |
| --- | --- | --- |
${g.tables.map((t) => `| ${t.table} | ${n(t.rows)} | ${mib(t.bytes)} |`).join('\n')}

### What these figures mean

- **The data** is synthetic, generated by \`bench/people/generate.ts\` into a new \`concord_bench\` database after the
  migrations and the demo partnership: family names follow a Zipf-like curve over about 300 common British surnames
  and a long tail of some 30,000 rarer place-name surnames, so a common name matches thousands of people and a rare
  one a handful, as they would; given names (about 250, fewer than a real population has) likewise; dates of birth
  1930–2010. Referrals go mostly to the Riverside CMHT and the Adult Social Care Duty Team
  over ten years; recent ones are still open (with open or breached screening, information, first-contact and
  assessment obligations), older ones allocated (with a case), signposted, not eligible or withdrawn. Consent and
  sharing are recorded as a partnership would: consent given by 55 % of the people referred (to the kinds of agency
  that share care; reviewed a year on, so older consents have expired; 5 % later withdrawn), refused by 10 % (to the
  police and probation), restrictions for 3 % (a fifth since lifted), exceptions naming the police or the mental
  health trust for 0.7 % (under a third ended) and the searcher's own break-glass for 0.2 %: the rows in the
  table below are what the access decision reads for every person shown.
- **Person search** calls \`services.people.search\` as Tom Okafor (Riverside CMHT care coordinator): the real
  service, with its candidate query, the description of every result (involvement, cases, names), the access
  decision for each (whether the searcher may open their record, from their involvement, consent and sharing) and the audit
  events for the search and for each person in its results. Each kind of search looks for a person really in the
  data, drawn from everyone with a fixed seed, so every run asks the same questions. Since REF-8's two purposes,
  only a search that identifies someone ("name and date of birth", "NHS number only") is a known check answered
  from everyone; every other kind is a relationship search, which finds only people Tom's agency may open and filters
  by that before its limit, so for those "person sought found" counts the sought people he may open (most he may
  not), not whether the matching still finds them. "Family name only" cannot rank one Smith among thousands, and a
  common full name is shared by more than the 20 shown.
- **Duty queue** calls \`services.referrals.dutyQueue\` for Tom Okafor (Riverside CMHT) and Raj Patel (Adult Social
  Care Duty Team), taking turns: the query the budget is about. **My work, duty section** is what the My work page
  builds from it (\`services.myWork.gather\` with only the duty queue): the still-due clocks on each referral, the
  names the reader may see, and a "seen" audit event for every person listed. It has no budget of its own; it is
  there because it is what a duty worker waits for.
- In process, searches and reads run one at a time after a warm-up (${f.warmUp.searches} searches and ${f.warmUp.queueReads} queue reads, not
  counted); latency is the wall time of the service call in the Node process, percentiles nearest-rank. Node and
  PostgreSQL share the machine's cores with whatever else runs there (see the load average). The machine's
  PostgreSQL runs with its default settings (above), not a production server's; Concord's embedded PostgreSQL is
  version 18, this one may be older.
- **Over HTTP** is the same, as a partner system sees it: Concord runs as its own process
  (\`concord serve\`, NODE_ENV=test so templates are cached as in production, DATABASE_URL at the bench database,
  logging at \`warn\`, the API rate limit lifted), and the benchmark calls it from the same machine with a personal
  API token (read scope) made for Tom Okafor, one request at a time over a keep-alive connection. **Search over
  HTTP** sends the same searches (\`GET /api/v1/people\`) after the same warm-up; **Person record over HTTP**
  reads \`GET /api/v1/people/:id\` ${f.options.recordReads} times (after ${f.warmUp.recordReads} not counted), going round one person from each of
  those searches: the person sought when Tom may open their record, else the first result he may open
  (\`canOpenRecord\`), so every read should answer 200. Latency is measured by the client from sending the request to
  the last byte of the answer, so it includes the HTTP round trip, the token check, loading the actor, the access
  decision, the queries, the audit events written for the read (and for each person a search shows), parsing the
  answer with its response schema and writing it as JSON (the client parses the JSON after the clock stops). Every answer's
  status is counted in the Answers column; one that is not 200 is counted in the percentiles as it came.
- **Looking closer.** \`npm run bench -- people --keep\` keeps the database; then
  \`node --import tsx bench/people/profile.ts\` times each statement of the same searches (and the slowest searches,
  part by part), and \`node --import tsx bench/people/explain.ts "John Smith"\` shows the plan of the candidate
  statement as search runs it. Shared machines vary from minute to minute: compare figures taken together.
${END}
`;
}

function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    return `commit ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' plus uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
