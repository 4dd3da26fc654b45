import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import { countHit, hitsSince } from './rate-limit.js';
import { credential, signInThrottle } from './schema.js';

export type ThrottlePolicy = { maxFailures: number; lockoutMinutes: number };

/** ASVS 2.2.1: no more than 100 failed attempts an hour on one account, from anywhere. */
export const ACCOUNT_FAILURES_PER_HOUR = 100;
const LONGEST_WAIT_MS = 24 * 3_600_000;
// An address that stops failing for a day starts afresh.
const FORGET_AFTER_MS = 24 * 3_600_000;

export type Blocked = { until: Date; by: 'address' | 'account' };
type Record = (e: { action: string; outcome?: 'failure'; subject?: { type: string; id: string }; details?: { [key: string]: unknown } }) => void;

/**
 * Failed sign-ins counted per account and address. Every `maxFailures` failures from one address make
 * that address wait before trying that account again, twice as long each time (15, 30, 60 minutes …,
 * at most a day); other addresses are not held back, so nobody can lock a known user out from one
 * address. Only when an account has had 100 failures in an hour, which needs many addresses, is it
 * locked for everyone for an hour.
 */
export class SignInThrottle {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy,
  ) {}

  /** Whether this address must wait before trying this account, and until when. */
  async blocked(userId: string, address: string, lockedUntil: Date | null): Promise<Blocked | null> {
    const now = this.clock.now();
    if (lockedUntil && lockedUntil > now) return { until: lockedUntil, by: 'account' };
    const [row] = await this.db
      .select({ blockedUntil: signInThrottle.blockedUntil })
      .from(signInThrottle)
      .where(and(eq(signInThrottle.userId, userId), eq(signInThrottle.address, address)))
      .limit(1);
    return row?.blockedUntil && row.blockedUntil > now ? { until: row.blockedUntil, by: 'address' } : null;
  }

  /** Counts a failure (not made while blocked) and starts a wait when it reaches a limit, recording it. */
  async recordFailure(tx: Queryable, userId: string, address: string, record: Record): Promise<void> {
    const now = this.clock.now();
    const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
    const [row] = await tx
      .insert(signInThrottle)
      .values({ userId, address, failures: 1, lastFailedAt: now })
      .onConflictDoUpdate({
        target: [signInThrottle.userId, signInThrottle.address],
        set: {
          failures: sql`case when ${signInThrottle.lastFailedAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`,
          lastFailedAt: now,
        },
      })
      .returning({ failures: signInThrottle.failures });
    const failures = row!.failures;
    if (failures % this.policy.maxFailures === 0) {
      const waitMs = Math.min(this.policy.lockoutMinutes * 60_000 * 2 ** (failures / this.policy.maxFailures - 1), LONGEST_WAIT_MS);
      const blockedUntil = new Date(now.getTime() + waitMs);
      await tx.update(signInThrottle).set({ blockedUntil }).where(and(eq(signInThrottle.userId, userId), eq(signInThrottle.address, address)));
      record({ action: 'auth.locked_out', outcome: 'failure', subject: { type: 'user', id: userId }, details: { by: 'address', lockedUntil: blockedUntil.toISOString(), failures } });
    }
    const key = `sign-in-failures:${userId}`;
    await countHit(tx, this.clock, key);
    const lastHour = await hitsSince(tx, key, new Date(now.getTime() - 3_600_000));
    if (lastHour >= ACCOUNT_FAILURES_PER_HOUR) {
      const lockedUntil = new Date(now.getTime() + 3_600_000);
      await tx.update(credential).set({ lockedUntil }).where(eq(credential.userId, userId));
      record({ action: 'auth.locked_out', outcome: 'failure', subject: { type: 'user', id: userId }, details: { by: 'account', lockedUntil: lockedUntil.toISOString(), failures: lastHour } });
    }
  }

  /** The right password from this address: it starts afresh there. */
  async recordSuccess(tx: Queryable, userId: string, address: string): Promise<void> {
    await tx.delete(signInThrottle).where(and(eq(signInThrottle.userId, userId), eq(signInThrottle.address, address)));
  }

  /** A new password (a reset, often after an attack) lifts every wait on the account. */
  async forget(tx: Queryable, userId: string): Promise<void> {
    await tx.delete(signInThrottle).where(eq(signInThrottle.userId, userId));
  }
}
