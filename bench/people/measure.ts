import type { Actor } from '../../src/platform/access/actor.js';
import type { Services } from '../../src/services.js';
import { millis, percentile } from '../stats.js';
import { SEARCH_KINDS, type SearchCase, type SearchKind } from './inputs.js';

export type SearchSample = { kind: SearchKind; ms: number; results: number; found: boolean };
export type QueueSample = { who: string; ms: number; items: number };

/** The practitioners the benchmark acts as: a CMHT care coordinator searches; he and an ASC duty social worker read their duty queues. */
export const SEARCHER = 'tom.okafor@riverside-nhs.example';
export const DUTY_WORKERS = ['tom.okafor@riverside-nhs.example', 'raj.patel@northshire-council.example'];

export async function actorFor(services: Services, email: string): Promise<Actor> {
  const account = await services.directory.findAccountByEmail(email);
  const actor = account && (await services.directory.loadActor(account.userId, null, { kind: 'session', sessionId: 'bench' }));
  if (!actor) throw new Error(`The demo user ${email} is missing or inactive.`);
  return actor;
}

/**
 * Each search through the real service, one at a time, as one duty worker searches: the access
 * check, input parsing, the candidate query, the description of each result (involvement, cases,
 * names) and the audit events for the search and every person in its results, in one transaction.
 */
export async function timeSearches(services: Services, actor: Actor, cases: SearchCase[], withinMs = Infinity): Promise<SearchSample[]> {
  const samples: SearchSample[] = [];
  const stopAt = performance.now() + withinMs;
  for (const { kind, input, personId } of cases) {
    // The kinds take turns, so stopping early still leaves an even mix.
    if (performance.now() > stopAt) break;
    const startedAt = performance.now();
    const { results } = await services.people.search(actor, input);
    samples.push({ kind, ms: performance.now() - startedAt, results: results.length, found: results.some((r) => r.id === personId) });
  }
  return samples;
}

/** `reads` duty queue reads, the duty workers taking turns. */
export async function timeDutyQueues(services: Services, workers: Actor[], reads: number): Promise<QueueSample[]> {
  const samples: QueueSample[] = [];
  for (let i = 0; i < reads; i++) {
    const actor = workers[i % workers.length]!;
    const startedAt = performance.now();
    const queue = await services.referrals.dutyQueue(actor);
    samples.push({ who: `${actor.name}, ${actor.teamName}`, ms: performance.now() - startedAt, items: queue.length });
  }
  return samples;
}

/**
 * The duty section of the My work page, as the service behind it builds it: the duty queue, the
 * still-due clocks on each referral, the names the actor may see, and a "seen" audit event per person.
 */
export async function timeMyWorkDuty(services: Services, workers: Actor[], reads: number): Promise<QueueSample[]> {
  const samples: QueueSample[] = [];
  for (let i = 0; i < reads; i++) {
    const actor = workers[i % workers.length]!;
    const startedAt = performance.now();
    const work = await services.myWork.gather(actor, { kind: ['duty'], urgency: [] });
    samples.push({ who: `${actor.name}, ${actor.teamName}`, ms: performance.now() - startedAt, items: work.sections.reduce((n, s) => n + s.items.length, 0) });
  }
  return samples;
}

export type Line = { label: string; count: number; p50: number; p95: number; p99: number; max: number; detail: string };

export function line(label: string, ms: number[], detail: string): Line {
  return { label, count: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: Math.max(...ms), detail };
}

/** One line per kind of search, then all of them; `more` adds to each line's answers (the HTTP statuses, say). */
export function searchLines<S extends SearchSample>(samples: S[], more: (group: S[]) => string = () => ''): Line[] {
  const describe = (group: S[]) => {
    const results = group.map((s) => s.results);
    const found = group.filter((s) => s.found).length;
    return `results median ${percentile(results, 50)}, max ${Math.max(...results)}; person sought found ${found}/${group.length}${more(group)}`;
  };
  const kinds = SEARCH_KINDS.map((kind) => samples.filter((s) => s.kind === kind)).filter((group) => group.length > 0);
  return [...kinds.map((group) => line(group[0]!.kind, group.map((s) => s.ms), describe(group))), line('all searches', samples.map((s) => s.ms), describe(samples))];
}

export function queueLines(samples: QueueSample[], overall = 'all duty queue reads'): Line[] {
  const who = [...new Set(samples.map((s) => s.who))];
  const describe = (group: QueueSample[]) => `${[...new Set(group.map((s) => s.items))].join(', ')} items shown`;
  return [...who.map((w) => samples.filter((s) => s.who === w)).map((group) => line(group[0]!.who, group.map((s) => s.ms), describe(group))), line(overall, samples.map((s) => s.ms), describe(samples))];
}

/** A budget is a p95 to stay under. */
export const meets = (l: Line, budgetMs: number) => l.p95 < budgetMs;

export const timings = (l: Line) => [l.p50, l.p95, l.p99, l.max].map(millis).join(' / ');
