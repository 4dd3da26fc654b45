import { withQuery } from '../../src/platform/http/paths.js';
import { peopleApiPaths } from '../../src/modules/people/paths.js';
import type { Services } from '../../src/services.js';
import { personalApiToken, startConcordOn, timedGet, type ApiAnswer } from '../api.js';
import { withDataFolder } from '../server.js';
import type { SearchCase } from './inputs.js';
import { line, searchLines, SEARCHER, type Line, type SearchSample } from './measure.js';

/**
 * Person search and the person record as a partner system calls them: a real Concord process on the
 * bench database, the searcher's personal API token, one request at a time, each timed by the client
 * to the last byte of the answer (HTTP, token check, access decision, audit events and JSON all in it).
 */

type Get = (path: string) => Promise<ApiAnswer>;
/** `toOpen`: the person sought if the searcher may open their record, else the first result they may open. */
type HttpSearchSample = SearchSample & { status: number; toOpen: string | null };
type RecordSample = { ms: number; status: number };
type SearchAnswer = { people?: { id: string; canOpenRecord: boolean }[] };

export type HttpPhases = { warmUpSearches: SearchCase[]; searches: SearchCase[]; searchWithinMs: number; warmUpRecordReads: number; recordReads: number };
export type OverHttp = {
  searches: Line[];
  /** Null when no search found a person the searcher may open, so there was no record to read. */
  record: Line | null;
  /** Answers other than 200, searches and records together. */
  notOk: number;
};

export async function measureOverHttp(services: Services, databaseUrl: string, phases: HttpPhases): Promise<OverHttp> {
  const token = await personalApiToken(services, SEARCHER, 'people benchmark over HTTP', 'read');
  return withDataFolder(async (dataDir) => {
    const server = await startConcordOn(dataDir, databaseUrl);
    try {
      const get: Get = (path) => timedGet(server.baseUrl, token, path);
      await searchOverHttp(get, phases.warmUpSearches, phases.searchWithinMs);
      const searches = await searchOverHttp(get, phases.searches, phases.searchWithinMs);
      const people = openablePeople(searches);
      await readRecords(get, people, phases.warmUpRecordReads);
      const records = await readRecords(get, people, phases.recordReads);
      const notOk = [...searches, ...records].filter((s) => s.status !== 200).length;
      return { searches: searchLines(searches, (group) => `; ${statuses(group)}`), record: recordLine(records, people.length), notOk };
    } finally {
      await server.stop();
    }
  });
}

/** Each search once, the kinds taking turns, stopping early past `withinMs` as the in-process phase does. */
async function searchOverHttp(get: Get, cases: SearchCase[], withinMs: number): Promise<HttpSearchSample[]> {
  const samples: HttpSearchSample[] = [];
  const stopAt = performance.now() + withinMs;
  for (const { kind, input, personId } of cases) {
    if (performance.now() > stopAt) break;
    const { status, ms, body } = await get(withQuery(peopleApiPaths.people(), input));
    const people = (status === 200 && (body as SearchAnswer).people) || [];
    const openable = people.filter((p) => p.canOpenRecord).map((p) => p.id);
    const toOpen = openable.includes(personId) ? personId : (openable[0] ?? null);
    samples.push({ kind, ms, status, results: people.length, found: people.some((p) => p.id === personId), toOpen });
  }
  return samples;
}

/** One person from each search that found someone the searcher may open, each once. */
function openablePeople(samples: HttpSearchSample[]): string[] {
  return [...new Set(samples.flatMap((s) => s.toOpen ?? []))];
}

/** `reads` record reads, going round the people in turn. */
async function readRecords(get: Get, people: string[], reads: number): Promise<RecordSample[]> {
  const samples: RecordSample[] = [];
  for (let i = 0; i < reads && people.length > 0; i++) {
    const { status, ms } = await get(peopleApiPaths.person(people[i % people.length]!));
    samples.push({ status, ms });
  }
  return samples;
}

function recordLine(samples: RecordSample[], people: number): Line | null {
  if (samples.length === 0) return null;
  return line('person record', samples.map((s) => s.ms), `${statuses(samples)}; ${people} different people, each found by a search and openable by the searcher`);
}

/** "200 ×498, 404 ×2": every answer counted, so a run that failed quietly shows it. */
function statuses(samples: { status: number }[]): string {
  const counts = new Map<number, number>();
  for (const { status } of samples) counts.set(status, (counts.get(status) ?? 0) + 1);
  const ok = counts.get(200) ?? 0;
  const others = [...counts].filter(([status]) => status !== 200).map(([status, n]) => `${status} ×${n}`);
  return `${ok}/${samples.length} answered 200${others.length ? `; NOT 200: ${others.join(', ')}` : ''}`;
}
