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
  const body = canonicalJson([
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
  ]);
  return createHash('sha256').update(body).digest('hex');
}

export type StoredEvent = ChainedFields & { prevHash: string; hash: string };
export type ChainBreak = { id: number; problem: string };

/**
 * Checks one run of events, in id order, that follows `expectedPrev`.
 * Returns the first broken link, or the hash the next run must follow.
 */
export function checkLinks(expectedPrev: string, events: StoredEvent[]): { head: string } | { broken: ChainBreak } {
  let prev = expectedPrev;
  for (const event of events) {
    if (event.prevHash !== prev) {
      return { broken: { id: event.id, problem: 'does not follow the event before it (an event was removed, inserted or reordered)' } };
    }
    if (eventHash(prev, event) !== event.hash) {
      return { broken: { id: event.id, problem: 'its contents no longer match its hash (the event was altered)' } };
    }
    prev = event.hash;
  }
  return { head: prev };
}
