import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import { invalid, type FieldError } from '../errors.js';
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

/** The password-change form's fields as strings ('' when missing), so every problem can be named at once. */
function passwordChangeFields(input: unknown) {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return { currentPassword: text('currentPassword'), newPassword: text('newPassword'), confirmPassword: text('confirmPassword') };
}

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

  /**
   * The signed-in user changes their own password. Every problem with the form is reported at once;
   * a wrong current password counts towards the same lockout as a failed sign-in, so a borrowed
   * session cannot be used to guess it. On success every other session of the user ends.
   */
  async changeOwnPassword(actor: Actor, keepSessionIdHash: string, input: unknown): Promise<{ otherSessionsEnded: number }> {
    const form = passwordChangeFields(input);
    const errors: FieldError[] = [];
    if (!form.currentPassword) errors.push({ field: 'currentPassword', message: 'Enter your current password' });
    else {
      const current = await this.checkOwnPassword(actor, form.currentPassword);
      if (current !== 'ok') errors.push({ field: 'currentPassword', message: current });
    }
    const context = { email: actor.email, name: actor.name };
    const problem = form.newPassword ? passwordProblem(form.newPassword, context) : 'Enter a new password';
    if (problem) errors.push({ field: 'newPassword', message: problem });
    else if (form.newPassword === form.currentPassword) {
      errors.push({ field: 'newPassword', message: 'Your new password must be different from your current password' });
    }
    if (!form.confirmPassword) errors.push({ field: 'confirmPassword', message: 'Enter your new password again' });
    else if (form.newPassword && form.confirmPassword !== form.newPassword) {
      errors.push({ field: 'confirmPassword', message: 'The passwords do not match. Enter your new password again' });
    }
    if (errors.length) throw invalid('AUTH.PASSWORD_CHANGE_INVALID', errors);
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      // The policy was checked above; setPassword checks again, so it can never be skipped.
      const refused = await this.setPassword(tx, actor.userId, form.newPassword, context);
      if (refused) throw invalid('AUTH.PASSWORD_CHANGE_INVALID', [{ field: 'newPassword', message: refused }]);
      const otherSessionsEnded = await this.sessions.endOthersFor(tx, actor.userId, keepSessionIdHash);
      record({ action: 'auth.password_changed', subject: { type: 'user', id: actor.userId }, details: { otherSessionsEnded } });
      return { otherSessionsEnded };
    });
  }

  /** 'ok', or the message to show against the current-password field (the failure is recorded). */
  private async checkOwnPassword(actor: Actor, password: string): Promise<'ok' | string> {
    const [stored] = await this.db.select().from(credential).where(eq(credential.userId, actor.userId)).limit(1);
    const now = this.clock.now();
    const locked = stored?.lockedUntil != null && stored.lockedUntil > now;
    if (!stored) await spendTimeLikeAVerify(password);
    const matches = stored ? await passwordMatches(stored.passwordHash, password) : false;
    if (matches && !locked) return 'ok';
    await this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      record({
        action: 'auth.password_change_failed',
        outcome: 'failure',
        subject: { type: 'user', id: actor.userId },
        details: { reason: locked ? 'account locked' : 'wrong current password' },
      });
      if (!locked) await this.countFailure(tx, actor.userId, now, record);
    });
    return locked
      ? `Your password has been entered wrongly too many times. Wait ${this.policy.lockoutMinutes} minutes and try again`
      : 'Your current password is not correct';
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
