import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import type { Clock } from '../clocks/clock.js';
import { prepare, runPrepared, type Database, type PreparedStatement, type Queryable } from '../db/database.js';
import { actorFromRow, type ActorRow, type ActorSource } from './actor-source.js';
import { session } from './schema.js';
import { digest, newSecret } from './tokens.js';

export type SessionLimits = { idleMinutes: number; absoluteHours: number };
export type SessionRecord = typeof session.$inferSelect;
/** A live session and the actor behind it: null when its user may no longer act (deactivated, no team left). */
export type ResumedSession = SessionRecord & { actor: Actor | null };

type ResumedRow = Omit<SessionRecord, 'createdAt' | 'lastSeenAt' | 'expiresAt'> & { createdAt: string; lastSeenAt: string; expiresAt: string; actor: ActorRow | null };
export type Flash = { errors?: { field: string; message: string }[]; values?: Record<string, unknown>; notice?: string; noticeKind?: 'success' | 'important' };

// Writing last_seen_at on every request would make every page view a write; a minute's slack is harmless.
const TOUCH_AFTER_MS = 60_000;

export class Sessions {
  private resumeStatement: PreparedStatement | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
    private readonly actors: Pick<ActorSource, 'actorSql'>,
  ) {}

  async start(tx: Queryable, userId: string, teamId: string): Promise<{ token: string; record: SessionRecord }> {
    const token = newSecret();
    const now = this.clock.now();
    const [record] = await tx
      .insert(session)
      .values({
        idHash: digest(token),
        userId,
        teamId,
        csrfToken: newSecret(),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.limits.absoluteHours * 3_600_000),
      })
      .returning();
    return { token, record: record! };
  }

  /**
   * The live session for this cookie and its actor, or null when it is unknown, idle too long or past
   * its absolute limit. One statement: it finds the session, loads the actor for the team it acts for,
   * and touches last_seen_at when that is more than a minute old.
   */
  async resume(token: string): Promise<ResumedSession | null> {
    const now = this.clock.now();
    const [row] = await runPrepared<ResumedRow>(this.db, this.resumeQuery(), {
      idHash: digest(token),
      now: now.toISOString(),
      idleCutoff: new Date(now.getTime() - this.limits.idleMinutes * 60_000).toISOString(),
      touchBefore: new Date(now.getTime() - TOUCH_AFTER_MS).toISOString(),
    });
    if (!row) return null;
    const record: SessionRecord = { ...row, createdAt: new Date(row.createdAt), lastSeenAt: new Date(row.lastSeenAt), expiresAt: new Date(row.expiresAt) };
    return { ...record, actor: actorFromRow(row.actor, { kind: 'session', sessionId: row.idHash }) };
  }

  private resumeQuery(): PreparedStatement {
    const now = sql`${sql.placeholder('now')}::timestamptz`;
    this.resumeStatement ??= prepare(sql`
      with found as (
        select s.id_hash, s.user_id, s.team_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.flash,
          ${this.actors.actorSql(sql`s.user_id`, sql`s.team_id`)} as actor
        from ${session} s
        where s.id_hash = ${sql.placeholder('idHash')} and s.expires_at > ${now} and s.last_seen_at > ${sql.placeholder('idleCutoff')}::timestamptz
      ), touched as (
        update ${session} set last_seen_at = ${now}
        from found
        where ${session.idHash} = found.id_hash and found.last_seen_at < ${sql.placeholder('touchBefore')}::timestamptz
        returning ${session.idHash}
      )
      select id_hash as "idHash", user_id as "userId", team_id as "teamId", csrf_token as "csrfToken", created_at as "createdAt",
        last_seen_at as "lastSeenAt", expires_at as "expiresAt", flash, actor
      from found`);
    return this.resumeStatement;
  }

  async setFlash(idHash: string, flash: Flash | null): Promise<void> {
    await this.db.update(session).set({ flash }).where(eq(session.idHash, idHash));
  }

  /** Pass a transaction to switch in the same transaction as the audit event that records it. */
  async switchTeam(idHash: string, teamId: string, db: Queryable = this.db): Promise<void> {
    await db.update(session).set({ teamId }).where(eq(session.idHash, idHash));
  }

  async end(tx: Queryable, idHash: string): Promise<void> {
    await tx.delete(session).where(eq(session.idHash, idHash));
  }

  async endNow(idHash: string): Promise<void> {
    await this.end(this.db, idHash);
  }

  async endAllFor(tx: Queryable, userId: string): Promise<number> {
    const ended = await tx.delete(session).where(eq(session.userId, userId)).returning({ idHash: session.idHash });
    return ended.length;
  }

  /** Ends every session of the user but the one given: after a password change, only the browser that made it stays in. */
  async endOthersFor(tx: Queryable, userId: string, keepIdHash: string): Promise<number> {
    const ended = await tx
      .delete(session)
      .where(and(eq(session.userId, userId), ne(session.idHash, keepIdHash)))
      .returning({ idHash: session.idHash });
    return ended.length;
  }

  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.limits.idleMinutes * 60_000);
    const purged = await this.db
      .delete(session)
      .where(or(lt(session.expiresAt, now), lt(session.lastSeenAt, idleCutoff)))
      .returning({ idHash: session.idHash });
    return purged.length;
  }
}
