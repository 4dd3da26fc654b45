import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { Clock } from '../clocks/clock.js';
import { currentRequest, runInRequestContext } from '../context.js';
import type { Database, Queryable, Transaction } from '../db/database.js';
import { sendProblem } from './problem.js';
import type { RouteSpec } from './route-table.js';

/** How long a key is kept: a client retrying after a lost answer does so within minutes, not days. */
export const IDEMPOTENCY_KEY_HOURS = 24;
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** An answer as it was sent: what a retry with the same key gets back. */
export type StoredAnswer = { status: number; body: unknown; location: string | null };

/** How a route's answer is built from the result of the transaction that made its change. */
export type AnswerFromResult = (result: unknown) => StoredAnswer | null;

const answerBuilders = new WeakMap<RouteSpec['handler'], AnswerFromResult>();
const guardedHandlers = new WeakSet<RouteSpec['handler']>();

/**
 * A route builder says how its answer follows from its service's result, so the answer can be
 * stored inside the transaction that made the change. Keyed by the handler, which a wrapped spec
 * keeps.
 */
export function answersFromResult(handler: RouteSpec['handler'], build: AnswerFromResult): void {
  answerBuilders.set(handler, build);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]{1,255}$/;

/** The key as sent, or a reason to refuse it. */
export function readKey(header: string | string[] | undefined): { key: string } | { problem: string } | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) return { problem: 'Send one Idempotency-Key header, not several' };
  if (!PRINTABLE_ASCII.test(header)) return { problem: 'An Idempotency-Key is 1 to 255 printable ASCII characters (a UUID is a good choice)' };
  return { key: header };
}

/** Object keys sorted at every depth, so the same request hashes the same however its JSON was written. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([method, url, canonical(body ?? null)])).digest('hex');
}

/** An API token's secret is shown once and stored only as a digest: an answer holding one is never kept. */
function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, v]) => key === 'secret' || holdsSecret(v));
  return false;
}

function keepable(answer: StoredAnswer | null): StoredAnswer | null {
  return answer && !holdsSecret(answer.body) ? answer : null;
}

type StoredRow = { requestHash: string; requestId: string; status: number | null; body: unknown; location: string | null };

type Claim = { userId: string; key: string; hash: string; requestId: string; createdAt: Date; expiresAt: Date };

/** A concurrent request with the same key committed first: this one's transaction must not commit. */
class KeyTakenMeanwhile extends Error {
  constructor() {
    super('Idempotency-Key taken by a concurrent request');
  }
}

const bodyJson = (answer: StoredAnswer | null) => (answer && answer.body !== undefined ? JSON.stringify(answer.body) : null);

/** The keys of API POSTs and their answers. */
export class IdempotentRequests {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async find(userId: string, key: string, db: Queryable = this.db): Promise<StoredRow | null> {
    const result = await db.execute<{ request_hash: string; request_id: string; status: number | null; body: unknown; location: string | null }>(sql`
      select request_hash, request_id, status, body, location from idempotent_request
      where user_id = ${userId} and key = ${key} and expires_at > ${this.clock.now().toISOString()}`);
    const row = result.rows[0];
    return row ? { requestHash: row.request_hash, requestId: row.request_id, status: row.status, body: row.body, location: row.location } : null;
  }

  /**
   * Stores the key, and the answer if known, in this transaction, if it changed anything: a
   * transaction that only read, or only recorded a refusal in the audit trail (whose insert comes
   * after this, with the commit), holds no change to guard. The primary key makes a concurrent
   * request with the same key wait for this one, then fail here (KeyTakenMeanwhile) and roll back.
   * An expired row left by the clean-up is taken over.
   */
  async store(db: Queryable, claim: Claim, answer: StoredAnswer | null, onlyIfChanged: boolean): Promise<'stored' | 'nothing to guard'> {
    const result = await db.execute<{ changed: boolean; stored: number }>(sql`
      with w as (select ${!onlyIfChanged} or txid_current_if_assigned() is not null as changed),
      ins as (
        insert into idempotent_request (user_id, key, request_hash, request_id, status, body, location, created_at, expires_at)
        select ${claim.userId}, ${claim.key}, ${claim.hash}, ${claim.requestId}, ${answer?.status ?? null}, ${bodyJson(answer)}::json,
               ${answer?.location ?? null}, ${claim.createdAt.toISOString()}, ${claim.expiresAt.toISOString()}
        from w where w.changed
        on conflict (user_id, key) do update set request_hash = excluded.request_hash, request_id = excluded.request_id,
          status = excluded.status, body = excluded.body, location = excluded.location, created_at = excluded.created_at, expires_at = excluded.expires_at
        where idempotent_request.request_id = excluded.request_id or idempotent_request.expires_at <= excluded.created_at
        returning 1)
      select (select changed from w) as changed, (select count(*) from ins)::int as stored`);
    const { changed, stored } = result.rows[0]!;
    if (!changed) return 'nothing to guard';
    if (stored === 0) throw new KeyTakenMeanwhile();
    return 'stored';
  }

  /** Keys past their time go; the worker runs this. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.execute(sql`delete from idempotent_request where expires_at <= ${this.clock.now().toISOString()}`);
    return result.rowCount ?? 0;
  }

  /**
   * Wraps an API POST's handler. Without the header it runs as before. With a key it has seen from
   * this user, it replays the stored answer (or refuses a different request, or one whose answer was
   * not kept) and never runs the handler again. With a new key, every transaction the handler runs
   * that changes something stores the key and answer before it commits (RequestContext.beforeCommit).
   */
  guard(spec: RouteSpec): RouteSpec {
    const handler = spec.handler;
    const fromResult = answerBuilders.get(handler) ?? defaultAnswer(spec);
    const guarded: RouteSpec['handler'] = async (request, reply) => {
      const read = readKey(request.headers[IDEMPOTENCY_HEADER]);
      if (read === null || !request.actor) return handler(request, reply);
      if ('problem' in read) {
        return sendProblem(reply, {
          status: 400,
          title: read.problem,
          code: 'IDEMPOTENCY.KEY_INVALID',
          errors: [{ field: 'Idempotency-Key', message: read.problem }],
        });
      }
      const now = this.clock.now();
      const claim: Claim = {
        userId: request.actor.userId,
        key: read.key,
        hash: requestHash(request.method, request.url, request.body),
        requestId: request.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_HOURS * 3_600_000),
      };
      const earlier = await this.find(claim.userId, claim.key);
      if (earlier) return answerAgain(reply, earlier, claim.hash);

      let storedInTransaction: StoredAnswer | null | undefined;
      const context = currentRequest() ?? { requestId: request.id, sourceIp: request.ip ?? null };
      const beforeCommit = async (tx: Transaction, result: unknown) => {
        const answer = keepable(safely(fromResult, result));
        if ((await this.store(tx, claim, answer, true)) === 'stored') storedInTransaction = answer;
      };
      const captured = captureSent(reply);
      let returned: unknown;
      try {
        returned = await runInRequestContext({ ...context, beforeCommit }, () => handler(request, reply));
      } catch (error) {
        // A concurrent request with this key may have finished first (its change made this one fail,
        // or the key did): answer as it did.
        const winner = await this.find(claim.userId, claim.key);
        if (winner && winner.requestId !== claim.requestId) return answerAgain(reply, winner, claim.hash);
        throw error;
      }
      const sent = captured(returned);
      const answer = keepable(sent);
      // The answer the handler sent, when the transaction could not know it (a Location header, a
      // reshaped result), or when nothing changed in a transaction of this request (the key still
      // stands for what was answered). Outside the transaction: if it is lost, a retry is told so.
      // A refusal sent without changing anything is not kept: the retry is judged afresh.
      const changed = storedInTransaction !== undefined;
      if ((changed || sent.status < 400) && (!changed || JSON.stringify(storedInTransaction) !== JSON.stringify(answer))) {
        await this.store(this.db, claim, answer, false).catch(() => undefined);
      }
      return returned;
    };
    guardedHandlers.add(guarded);
    return { ...spec, handler: guarded };
  }
}

/** For hand-built routes: the documented response schema applied to the result, as their handlers do. */
function defaultAnswer(spec: RouteSpec): AnswerFromResult {
  const response = spec.api?.response;
  return (result) => {
    if (!response) return null;
    const parsed = response.safeParse(result);
    return parsed.success ? { status: spec.api?.successStatus ?? 200, body: parsed.data, location: null } : null;
  };
}

/** A builder that cannot make the answer from this result leaves it to the handler's own reply. */
function safely(build: AnswerFromResult, result: unknown): StoredAnswer | null {
  try {
    return build(result);
  } catch {
    return null;
  }
}

/**
 * Whatever the handler sends, by reply.send or by returning it, with the status and Location as they
 * were then (an error after the send, in an onSend hook, changes the reply but not what was answered).
 */
function captureSent(reply: FastifyReply): (returned: unknown) => StoredAnswer {
  let sent: StoredAnswer | undefined;
  const now = (body: unknown): StoredAnswer => {
    const location = reply.getHeader('location');
    return { status: reply.statusCode, body: body ?? null, location: typeof location === 'string' ? location : null };
  };
  const send = reply.send.bind(reply);
  reply.send = ((body?: unknown) => {
    sent ??= now(body);
    return send(body);
  }) as FastifyReply['send'];
  return (returned) => sent ?? now(returned === reply ? undefined : returned);
}

function answerAgain(reply: FastifyReply, row: StoredRow, hash: string) {
  if (row.requestHash !== hash) {
    return sendProblem(reply, {
      status: 422,
      title: 'This Idempotency-Key was used for a different request',
      detail: 'A retry must send the same method, address and body as the first request. Use a new key for a new request.',
      code: 'IDEMPOTENCY.KEY_REUSED',
    });
  }
  if (row.status === null) {
    return sendProblem(reply, {
      status: 409,
      title: 'This request was already done; its answer was not kept',
      detail: 'Nothing was done again. Read the current state to see the result (an API token’s secret is never kept: revoke it and create another).',
      code: 'IDEMPOTENCY.ANSWER_NOT_KEPT',
    });
  }
  reply.code(row.status).header(REPLAYED_HEADER, 'true');
  if (row.location) reply.header('location', row.location);
  return row.body === null ? reply.send() : reply.send(row.body);
}

/** Every API POST in the table, guarded. */
export function withIdempotency(routes: RouteSpec[], requests: IdempotentRequests): RouteSpec[] {
  return routes.map((spec) => (spec.kind === 'api' && spec.method === 'POST' ? requests.guard(spec) : spec));
}

/** True for a handler this guard wrapped: every API POST must be one (a test walks the route table). */
export function isGuarded(spec: RouteSpec): boolean {
  return guardedHandlers.has(spec.handler);
}
