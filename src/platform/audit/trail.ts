import { and, desc, eq, getTableColumns, gte, ilike, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import { currentRequest } from '../context.js';
import pg from 'pg';
import { prepare, runOnConnection, runTransaction, type Database, type Queryable, type SessionSettings, type Transaction, type TransactionSettings } from '../db/database.js';
import { auditEvent, auditVerification } from './schema.js';
import { addPartitionsAhead, sealPending, unsealedEvents } from './sealer.js';
import { verifyChain, type VerificationResult } from './verifier.js';

/** Who is acting, as the audit trail records them. Null for the system or an anonymous caller. */
export type AuditActor = { userId: string; name: string; agencyId: string | null; teamId: string | null } | null;

export type AuditEventInput = {
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  subject?: { type: string; id: string };
  personId?: string;
  details?: Record<string, unknown>;
};

export type RecordEvent = (event: AuditEventInput) => void;

export type AuditFilters = {
  who?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
};

export type { VerificationResult } from './verifier.js';

/** How long a check waits for transactions older than it to end before sealing what they may hold. */
const SEAL_WAIT_MS = 5000;

const eventColumns = Object.entries(getTableColumns(auditEvent)).filter(([key]) => key !== 'id' && key !== 'xid');
const names = sql.join(eventColumns.map(([, column]) => sql.identifier(column.name)), sql`, `);
/**
 * Every event of a transaction in one insert, their rows as one JSON value: a search records
 * twenty-odd events, and binding each value as a parameter of its own cost more than writing them.
 * The JSON goes in as a literal, so that the insert is sent with the commit. No lock: the sealer
 * chains the events later. The transaction's xid is taken (in the subquery) before the ids are,
 * which is what lets the sealer know when every id up to a point is final (see sealer.ts).
 */
const insertEventsSql = sql`
  insert into ${auditEvent} (id, xid, ${names})
  select nextval('audit_event_id_seq'), x.xid, ${names}
  from (select pg_current_xact_id() as xid offset 0) x,
    rows from (jsonb_to_recordset(${sql.placeholder('events')}::jsonb)
      as (${sql.join(eventColumns.map(([, column]) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`), sql`, `)}))
    with ordinality as e(${names}, ord)
  order by e.ord`;
const insertEvents = prepare(insertEventsSql);

export class AuditTrail {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `work` in one transaction; the events it records are written in that same transaction,
   * just before it commits (sent with the commit). If they cannot be written, the whole action
   * fails. `settings` apply to this transaction only (person search sets its similarity threshold).
   */
  async transaction<T>(actor: AuditActor, work: (tx: Transaction, record: RecordEvent) => Promise<T>, settings: TransactionSettings = {}): Promise<T> {
    return runTransaction(this.db, settings, async (tx) => {
      const pending: AuditEventInput[] = [];
      const result = await work(tx, (event) => pending.push(event));
      if (pending.length === 0) return { result };
      const events = this.rowsOf(actor, pending);
      return { result, last: insertEvents.sql.replace('$1', () => pg.escapeLiteral(events)) };
    });
  }

  /**
   * Records events in one statement, which is its own transaction: refusals and failures, whose action
   * wrote nothing else (one round trip, where begin, insert and commit took two).
   */
  async recordNow(actor: AuditActor, ...events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.$client.query(insertEvents.sql.replace('$1', () => pg.escapeLiteral(this.rowsOf(actor, events))));
  }

  /**
   * A change whose statements are all known before it is sent (whole rows, as insertAsText writes
   * them) and the events that record it, in one round trip: statements sent together in one message
   * run as one transaction, so the rows and their record commit together or not at all. A request
   * with an Idempotency-Key stores its answer (from `result`, what the caller answers) in the same
   * transaction, so it takes the ordinary path.
   */
  async writeWithRecord<T>(actor: AuditActor, statements: readonly string[], events: AuditEventInput[], result: T): Promise<T> {
    if (currentRequest()?.beforeCommit) {
      return this.transaction(actor, async (tx, record) => {
        for (const statement of statements) await tx.execute(sql.raw(statement));
        for (const event of events) record(event);
        return result;
      });
    }
    const recorded = insertEvents.sql.replace('$1', () => pg.escapeLiteral(this.rowsOf(actor, events)));
    await this.db.$client.query([...statements, recorded].join(';\n'));
    return result;
  }

  /**
   * An audited read: `work` reads on one connection with no transaction around it, then the events it
   * recorded are written in one statement. A read changes nothing, so there is nothing its record must
   * be atomic with; if the record cannot be written the read fails and its answer is never sent, as
   * before. `work` must not write: every change goes through transaction().
   */
  async read<T>(actor: AuditActor, work: (db: Queryable, record: RecordEvent) => Promise<T>, settings?: SessionSettings): Promise<T> {
    return runOnConnection(this.db, async (connection) => {
      const pending: AuditEventInput[] = [];
      const result = await work(connection, (event) => pending.push(event));
      if (pending.length > 0) await connection.execute(sql.raw(insertEvents.sql.replace('$1', () => pg.escapeLiteral(this.rowsOf(actor, pending)))));
      return result;
    }, settings);
  }

  /**
   * A read that records itself in the same statement: `query` runs with the events in a data-modifying
   * WITH, which runs to completion whatever the query reads, so the answer and its record are one
   * statement, one round trip, and one transaction. The events go in the `events` placeholder, as
   * eventsFor gives them. For a read whose events are known before it runs (a search's, once the people
   * it found are known); a record read, which decides what to record on what it reads, cannot.
   */
  static recordingWith(query: SQL): SQL {
    return sql`with recorded as (${insertEventsSql}) ${query}`;
  }

  /** The value of recordingWith's `events` placeholder. */
  eventsFor(actor: AuditActor, events: AuditEventInput[]): string {
    return this.rowsOf(actor, events);
  }

  /** The events as the JSON rows insertEvents takes. */
  private rowsOf(actor: AuditActor, events: AuditEventInput[]): string {
    const request = currentRequest();
    const occurredAt = this.clock.now().toISOString();
    return JSON.stringify(
      events.map((input) => ({
        occurred_at: occurredAt,
        actor_user_id: actor?.userId ?? null,
        actor_name: actor?.name ?? null,
        actor_agency_id: actor?.agencyId ?? null,
        actor_team_id: actor?.teamId ?? null,
        action: input.action,
        outcome: input.outcome ?? 'success',
        subject_type: input.subject?.type ?? null,
        subject_id: input.subject?.id ?? null,
        person_id: input.personId ?? null,
        request_id: request?.requestId ?? null,
        source_ip: request?.sourceIp ?? null,
        details: input.details ?? {},
      })),
    );
  }

  /** Seals what can be sealed now (the worker does this every few seconds; a check does it first). */
  seal(waitMs = SEAL_WAIT_MS) {
    return sealPending(this.db, this.clock, waitMs);
  }

  unsealed() {
    return unsealedEvents(this.db);
  }

  addPartitionsAhead() {
    return addPartitionsAhead(this.db, this.clock);
  }

  /**
   * Seals what it can, then checks the sealed chain from the last intact checkpoint (every seal and
   * every event, when `full`), and records the check as the next checkpoint.
   */
  async verify(checkedBy: string, options: { full?: boolean } = {}): Promise<VerificationResult> {
    await this.seal();
    return verifyChain(this.db, this.clock, checkedBy, options);
  }

  /**
   * Checks the chain for someone who asked, and records that they did. The verification row lives
   * outside the chain, so the check also leaves an `audit.verified` event in it; a broken chain is
   * recorded as a failure, so it stands out when auditors filter the trail.
   */
  async verifyAndRecord(actor: AuditActor, checkedBy: string, options: { full?: boolean } = {}): Promise<VerificationResult> {
    const result = await this.verify(checkedBy, options);
    await this.recordNow(actor, {
      action: 'audit.verified',
      outcome: result.intact ? 'success' : 'failure',
      details: {
        intact: result.intact,
        eventsChecked: result.eventsChecked,
        full: result.full,
        ...(result.firstBroken ? { firstBrokenId: result.firstBroken.id, problem: result.firstBroken.problem, brokenCount: result.brokenCount } : {}),
      },
    });
    return result;
  }

  /**
   * Every action the trail holds, in order. A loose index scan over (action, id): one index probe per
   * distinct action, so it stays quick however many millions of events there are.
   */
  async knownActions(): Promise<string[]> {
    const result = await this.db.execute<{ action: string }>(sql`
      with recursive actions(action) as (
        (select action from audit_event order by action limit 1)
        union all
        select (select e.action from audit_event e where e.action > actions.action order by e.action limit 1)
        from actions where actions.action is not null
      )
      select action from actions where action is not null`);
    return result.rows.map((row) => row.action);
  }

  async latestVerification() {
    const [row] = await this.db.select().from(auditVerification).orderBy(desc(auditVerification.checkedAt)).limit(1);
    return row ?? null;
  }

  /** Newest first, a page at a time (keyset on id, so deep pages stay fast). */
  async search(filters: AuditFilters, pageSize = 50, db: Queryable = this.db) {
    const conditions: SQL[] = [];
    if (filters.who) {
      const pattern = `%${escapeLike(filters.who)}%`;
      conditions.push(or(ilike(auditEvent.actorName, pattern), sql`${auditEvent.actorUserId}::text = ${filters.who}`)!);
    }
    if (filters.action) conditions.push(eq(auditEvent.action, filters.action));
    if (filters.subjectType) conditions.push(eq(auditEvent.subjectType, filters.subjectType));
    if (filters.subjectId) conditions.push(eq(auditEvent.subjectId, filters.subjectId));
    if (filters.from) conditions.push(gte(auditEvent.occurredAt, filters.from));
    if (filters.to) conditions.push(lte(auditEvent.occurredAt, filters.to));
    if (filters.beforeId) conditions.push(lt(auditEvent.id, filters.beforeId));
    const rows = await db
      .select()
      .from(auditEvent)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(auditEvent.id))
      .limit(pageSize + 1);
    const hasMore = rows.length > pageSize;
    const events = hasMore ? rows.slice(0, pageSize) : rows;
    return { events, nextBeforeId: hasMore ? events[events.length - 1]!.id : null };
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
