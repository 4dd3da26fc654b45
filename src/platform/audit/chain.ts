import { createHash } from 'node:crypto';

/** The fields of an audit event that the chain protects. */
export type ChainedFields = {
  id: number;
  occurredAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  actorAgencyId: string | null;
  actorTeamId: string | null;
  action: string;
  outcome: string;
  subjectType: string | null;
  subjectId: string | null;
  personId: string | null;
  requestId: string | null;
  sourceIp: string | null;
  details: Record<string, unknown>;
};

export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every depth, so the same event always hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(prevHash: string, event: ChainedFields): string {
  return sha256(
    canonicalJson([
      prevHash,
      event.id,
      event.occurredAt.toISOString(),
      event.actorUserId,
      event.actorName,
      event.actorAgencyId,
      event.actorTeamId,
      event.action,
      event.outcome,
      event.subjectType,
      event.subjectId,
      event.personId,
      event.requestId,
      event.sourceIp,
      event.details,
    ]),
  );
}

/**
 * A seal: a run of event ids, after the one the seal before it ended at, each with its hash over the
 * hash before it. The seal's own hash covers the seal before it and the head of the run, and through
 * the head every event of the run (each hash covers its event's id and the hash before).
 */
export type Seal = {
  id: number;
  afterEventId: number;
  throughEventId: number;
  eventIds: number[];
  eventHashes: string[];
  prevHead: string;
  headHash: string;
  prevSealHash: string;
  sealHash: string;
};

/** The same text as the migration's SQL that sealed the events written before seals existed. */
export function sealHash(seal: Omit<Seal, 'sealHash' | 'eventHashes' | 'eventIds'> & { eventCount: number }): string {
  return sha256([seal.prevSealHash, seal.id, seal.afterEventId, seal.throughEventId, seal.eventCount, seal.prevHead, seal.headHash].join('|'));
}

/** The seal before the first one. */
export const ORIGIN: Pick<Seal, 'id' | 'throughEventId' | 'headHash' | 'sealHash'> = { id: 0, throughEventId: 0, headHash: GENESIS_HASH, sealHash: GENESIS_HASH };

/** Seals `events` (in id order, all after `previous`), up to and including the id `throughEventId`. */
export function makeSeal(previous: Pick<Seal, 'id' | 'throughEventId' | 'headHash' | 'sealHash'>, events: ChainedFields[], throughEventId: number): Seal {
  let head = previous.headHash;
  const eventHashes = events.map((event) => (head = eventHash(head, event)));
  const fields = {
    id: previous.id + 1,
    afterEventId: previous.throughEventId,
    throughEventId,
    eventIds: events.map((e) => e.id),
    prevHead: previous.headHash,
    headHash: head,
    prevSealHash: previous.sealHash,
  };
  return { ...fields, eventHashes, sealHash: sealHash({ ...fields, eventCount: events.length }) };
}

export type ChainBreak = { id: number; problem: string };

export const PROBLEMS = {
  altered: 'its contents no longer match its hash (the event was altered)',
  removed: 'it was sealed but is missing (the event was removed, or its time was changed)',
  inserted: 'it is in no seal although its number was sealed (the event was inserted afterwards)',
  seal: (id: number, what: string) => `seal ${id}, which begins here, ${what} (a seal was altered, removed or inserted)`,
};

/**
 * Checks one seal against the seal before it and the events stored with ids in its range (any order).
 * Names every broken event, not only the first: an altered event, a sealed one that is missing, one
 * that is there but was never sealed; and the seal's own first event when the seal itself is wrong.
 */
export function checkSeal(previous: Pick<Seal, 'id' | 'throughEventId' | 'headHash' | 'sealHash'>, seal: Seal, stored: ChainedFields[]): ChainBreak[] {
  const problems: ChainBreak[] = [];
  const firstId = seal.eventIds[0] ?? seal.afterEventId + 1;
  const sealProblem = (what: string) => problems.push({ id: firstId, problem: PROBLEMS.seal(seal.id, what) });
  if (seal.id !== previous.id + 1) sealProblem(`does not follow seal ${previous.id}`);
  else if (seal.prevSealHash !== previous.sealHash || seal.prevHead !== previous.headHash || seal.afterEventId !== previous.throughEventId) {
    sealProblem(`does not follow the seal before it`);
  }
  const inOrder = seal.eventIds.every((id, i) => id > (i === 0 ? seal.afterEventId : seal.eventIds[i - 1]!)) && seal.eventIds.at(-1)! <= seal.throughEventId;
  if (!inOrder || seal.eventIds.length !== seal.eventHashes.length || seal.headHash !== seal.eventHashes.at(-1)) sealProblem('is not well formed');
  else if (sealHash({ ...seal, eventCount: seal.eventIds.length }) !== seal.sealHash) sealProblem('no longer matches its hash');

  // Ids are unique only with the time (the partition key), so a forged copy may share a sealed id.
  const byId = new Map<number, ChainedFields[]>();
  for (const event of stored) byId.set(event.id, [...(byId.get(event.id) ?? []), event]);
  seal.eventIds.forEach((id, i) => {
    const candidates = byId.get(id) ?? [];
    byId.delete(id);
    if (candidates.length === 0) return problems.push({ id, problem: PROBLEMS.removed });
    const prev = i === 0 ? seal.prevHead : seal.eventHashes[i - 1]!;
    const genuine = candidates.findIndex((event) => eventHash(prev, event) === seal.eventHashes[i]);
    if (genuine < 0) problems.push({ id, problem: PROBLEMS.altered });
    const kept = Math.max(genuine, 0);
    candidates.forEach((_, c) => c !== kept && problems.push({ id, problem: PROBLEMS.inserted }));
  });
  for (const [id, events] of byId) events.forEach(() => problems.push({ id, problem: PROBLEMS.inserted }));
  return problems.sort((a, b) => a.id - b.id);
}
