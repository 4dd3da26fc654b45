import { and, eq, gt, lt, ne, or } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import { session } from './schema.js';
import { digest, newSecret } from './tokens.js';

export type SessionLimits = { idleMinutes: number; absoluteHours: number };
export type SessionRecord = typeof session.$inferSelect;
export type Flash = { errors?: { field: string; message: string }[]; values?: Record<string, unknown>; notice?: string; noticeKind?: 'success' | 'important' };

// Writing last_seen_at on every request would make every page view a write; a minute's slack is harmless.
const TOUCH_AFTER_MS = 60_000;

export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
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

  /** The live session for this cookie, or null when it is unknown, idle too long or past its absolute limit. */
  async resume(token: string): Promise<SessionRecord | null> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.limits.idleMinutes * 60_000);
    const [record] = await this.db
      .select()
      .from(session)
      .where(and(eq(session.idHash, digest(token)), gt(session.expiresAt, now), gt(session.lastSeenAt, idleCutoff)))
      .limit(1);
    if (!record) return null;
    if (now.getTime() - record.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await this.db.update(session).set({ lastSeenAt: now }).where(eq(session.idHash, record.idHash));
    }
    return record;
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
