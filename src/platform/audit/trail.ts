import { and, desc, eq, getTableColumns, gte, ilike, lt, lte, or, sql, asc, gt, type SQL } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import { currentRequest } from '../context.js';
import pg from 'pg';
import { prepare, runTransaction, type Database, type Queryable, type Transaction, type TransactionSettings } from '../db/database.js';
import { auditEvent, auditVerification } from './schema.js';
import { checkLinks, eventHash, GENESIS_HASH, type ChainBreak } from './chain.js';

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

export type VerificationResult = {
  intact: boolean;
  eventsChecked: number;
  firstBroken: ChainBreak | null;
  headHash: string;
  checkedAt: Date;
};

// Every writer takes this lock before reading the chain's head, so links are made one at a time.
const CHAIN_LOCK = 724_110_002;

const eventColumns = Object.entries(getTableColumns(auditEvent));
/**
 * Every event of a transaction in one insert, their rows as one JSON value: a search records
 * twenty-odd events, and binding each value as a parameter of its own cost more than writing them.
 * The JSON goes in as a literal, so that the insert is sent with the commit.
 */
const insertEvents = prepare(sql`
  insert into ${auditEvent} (${sql.join(eventColumns.map(([, column]) => sql.identifier(column.name)), sql`, `)})
  select ${sql.join(eventColumns.map(([, column]) => sql.identifier(column.name)), sql`, `)}
  from jsonb_to_recordset(${sql.placeholder('events')}::jsonb)
    as e(${sql.join(eventColumns.map(([, column]) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`), sql`, `)})`);
const VERIFY_BATCH = 5000;

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
      const events = await this.link(tx, actor, pending);
      return { result, last: insertEvents.sql.replace('$1', () => pg.escapeLiteral(events)) };
    });
  }

  /** Records events in a transaction of their own: refusals and failures, whose action wrote nothing else. */
  async recordNow(actor: AuditActor, ...events: AuditEventInput[]): Promise<void> {
    await this.transaction(actor, async (_tx, record) => events.forEach(record));
  }

  /**
   * Links events onto the chain, under its lock (held until the transaction ends): their ids, the
   * hash of each over the one before, as the JSON rows insertEvents takes.
   */
  private async link(tx: Transaction, actor: AuditActor, events: AuditEventInput[]): Promise<string> {
    const request = currentRequest();
    // The lock and the read of the chain's head are two statements, sent together (no parameters, so
    // in one message): a statement's snapshot is taken before it runs, so the head must be read by the
    // statement after the lock, or an event committed while we waited would be missed. The ids for
    // every event are taken under the lock too, so they follow the chain's order; then one insert.
    const [, next] = (await tx.execute(
      sql.raw(`select pg_advisory_xact_lock(${CHAIN_LOCK});
        select (select hash from audit_event order by id desc limit 1) as head,
               array(select nextval(pg_get_serial_sequence('audit_event', 'id'))::text from generate_series(1, ${events.length})) as ids`),
    )) as unknown as [unknown, { rows: { head: string | null; ids: string[] }[] }];
    const { head, ids } = next.rows[0]!;
    let prevHash = head ?? GENESIS_HASH;
    const occurredAt = this.clock.now();
    const sequence = ids.map(Number).sort((a, b) => a - b);
    const rows = events.map((input, index) => {
      const fields = {
        id: sequence[index]!,
        occurredAt,
        actorUserId: actor?.userId ?? null,
        actorName: actor?.name ?? null,
        actorAgencyId: actor?.agencyId ?? null,
        actorTeamId: actor?.teamId ?? null,
        action: input.action,
        outcome: input.outcome ?? 'success',
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        personId: input.personId ?? null,
        requestId: request?.requestId ?? null,
        sourceIp: request?.sourceIp ?? null,
        details: input.details ?? {},
      };
      const hash = eventHash(prevHash, fields);
      const row = { ...fields, prevHash, hash };
      prevHash = hash;
      return row;
    });
    return JSON.stringify(rows.map((row) => Object.fromEntries(eventColumns.map(([key, column]) => [column.name, row[key as keyof typeof row]]))));
  }

  /** Re-computes every link of the chain, oldest first, and records the result. */
  async verify(checkedBy: string): Promise<VerificationResult> {
    let expectedPrev = GENESIS_HASH;
    let afterId = 0;
    let checked = 0;
    let firstBroken: ChainBreak | null = null;
    for (;;) {
      const batch = await this.db
        .select()
        .from(auditEvent)
        .where(gt(auditEvent.id, afterId))
        .orderBy(asc(auditEvent.id))
        .limit(VERIFY_BATCH);
      if (batch.length === 0) break;
      const outcome = checkLinks(expectedPrev, batch);
      if ('broken' in outcome) {
        firstBroken = outcome.broken;
        checked += batch.findIndex((e) => e.id === outcome.broken.id) + 1;
        break;
      }
      checked += batch.length;
      expectedPrev = outcome.head;
      afterId = batch[batch.length - 1]!.id;
    }
    const result: VerificationResult = {
      intact: firstBroken === null,
      eventsChecked: checked,
      firstBroken,
      headHash: expectedPrev,
      checkedAt: this.clock.now(),
    };
    await this.db.insert(auditVerification).values({
      checkedAt: result.checkedAt,
      checkedBy,
      eventsChecked: checked,
      intact: result.intact,
      firstBrokenId: firstBroken?.id ?? null,
      problem: firstBroken?.problem ?? null,
      headHash: result.intact ? expectedPrev : null,
    });
    return result;
  }

  /**
   * Checks the chain for someone who asked, and records that they did. The verification row lives
   * outside the chain, so the check also leaves an `audit.verified` event in it; a broken chain is
   * recorded as a failure, so it stands out when auditors filter the trail.
   */
  async verifyAndRecord(actor: AuditActor, checkedBy: string): Promise<VerificationResult> {
    const result = await this.verify(checkedBy);
    await this.recordNow(actor, {
      action: 'audit.verified',
      outcome: result.intact ? 'success' : 'failure',
      details: {
        intact: result.intact,
        eventsChecked: result.eventsChecked,
        ...(result.firstBroken ? { firstBrokenId: result.firstBroken.id, problem: result.firstBroken.problem } : {}),
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
