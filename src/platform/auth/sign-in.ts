import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import type { ActorSource } from './actor-source.js';
import { hashPassword, passwordMatches, passwordProblem, spendTimeLikeAVerify } from './passwords.js';
import { credential } from './schema.js';
import type { Sessions } from './sessions.js';
import { digest } from './tokens.js';

export type SignInPolicy = { maxFailures: number; lockoutMinutes: number };

export const signInInput = z.object({
  email: z.string({ error: 'Enter your email address' }).trim().min(1, 'Enter your email address').max(254, 'Enter your email address'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(256, 'Enter your password'),
});

export type SignInResult = { ok: true; token: string; actor: Actor } | { ok: false };

/**
 * Sign-in with lockout. Every failure looks the same from outside, whether the account is
 * missing, deactivated, locked or the password is wrong, so nobody can probe for accounts.
 */
export class SignIn {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly actors: ActorSource,
    private readonly sessions: Sessions,
    private readonly policy: SignInPolicy,
  ) {}

  async attempt(email: string, password: string): Promise<SignInResult> {
    const account = await this.actors.findAccountByEmail(email);
    const [stored] = account
      ? await this.db.select().from(credential).where(eq(credential.userId, account.userId)).limit(1)
      : [];
    if (!account || !stored) {
      await spendTimeLikeAVerify(password);
      await this.audit.recordNow(null, {
        action: 'auth.sign_in_failed',
        outcome: 'failure',
        details: { reason: 'no such account', emailDigest: digest(email.toLowerCase()).slice(0, 16) },
      });
      return { ok: false };
    }
    const who = { userId: account.userId, name: account.name, agencyId: account.agencyId, teamId: null };
    const now = this.clock.now();
    const locked = stored.lockedUntil !== null && stored.lockedUntil > now;
    const matches = await passwordMatches(stored.passwordHash, password);
    if (locked || !account.active || !matches) {
      const reason = locked ? 'account locked' : !account.active ? 'account deactivated' : 'wrong password';
      await this.audit.transaction(who, async (tx, record) => {
        record({ action: 'auth.sign_in_failed', outcome: 'failure', subject: { type: 'user', id: account.userId }, details: { reason } });
        if (!locked && account.active) await this.countFailure(tx, account.userId, now, record);
      });
      return { ok: false };
    }
    const actor = await this.actors.loadActor(account.userId, null, { kind: 'session', sessionId: 'pending' });
    if (!actor) {
      await this.audit.recordNow(who, {
        action: 'auth.sign_in_failed',
        outcome: 'failure',
        subject: { type: 'user', id: account.userId },
        details: { reason: 'no active team membership' },
      });
      return { ok: false };
    }
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      await tx.update(credential).set({ failedSignIns: 0, lockedUntil: null }).where(eq(credential.userId, account.userId));
      const started = await this.sessions.start(tx, account.userId, actor.teamId);
      record({ action: 'auth.sign_in', subject: { type: 'user', id: account.userId }, details: { teamId: actor.teamId } });
      return { ok: true as const, token: started.token, actor: { ...actor, via: { kind: 'session' as const, sessionId: started.record.idHash } } };
    });
  }

  private async countFailure(tx: Queryable, userId: string, now: Date, record: (e: { action: string; outcome?: 'failure'; subject?: { type: string; id: string }; details?: Record<string, unknown> }) => void) {
    const [row] = await tx
      .update(credential)
      .set({ failedSignIns: sql`${credential.failedSignIns} + 1` })
      .where(eq(credential.userId, userId))
      .returning({ failures: credential.failedSignIns });
    if (row && row.failures >= this.policy.maxFailures) {
      const lockedUntil = new Date(now.getTime() + this.policy.lockoutMinutes * 60_000);
      await tx.update(credential).set({ lockedUntil, failedSignIns: 0 }).where(eq(credential.userId, userId));
      record({ action: 'auth.locked_out', outcome: 'failure', subject: { type: 'user', id: userId }, details: { lockedUntil: lockedUntil.toISOString(), failures: row.failures } });
    }
  }

  /** Sets a password after checking it against the policy. Returns the problem, or null when it was set. */
  async setPassword(tx: Queryable, userId: string, password: string, context: { email?: string; name?: string }): Promise<string | null> {
    const problem = passwordProblem(password, context);
    if (problem) return problem;
    const passwordHash = await hashPassword(password);
    const now = this.clock.now();
    await tx
      .insert(credential)
      .values({ userId, passwordHash, passwordChangedAt: now })
      .onConflictDoUpdate({ target: credential.userId, set: { passwordHash, passwordChangedAt: now, failedSignIns: 0, lockedUntil: null } });
    return null;
  }
}
