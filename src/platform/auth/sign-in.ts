import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import { invalid, type FieldError } from '../errors.js';
import type { ActorSource } from './actor-source.js';
import { currentRequest } from '../context.js';
import { revokeTokensOf } from './api-tokens.js';
import { hashPassword, passwordMatches, passwordProblem, spendTimeLikeAVerify, type PasswordContext } from './passwords.js';
import { SignInThrottle } from './sign-in-throttle.js';
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
  ) {
    this.throttle = new SignInThrottle(db, clock, policy);
  }

  private readonly throttle: SignInThrottle;

  async attempt(email: string, password: string, address: string): Promise<SignInResult> {
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
    const blocked = await this.throttle.blocked(account.userId, address, stored.lockedUntil);
    const matches = await passwordMatches(stored.passwordHash, password);
    if (blocked || !account.active || !matches) {
      const reason = blocked ? (blocked.by === 'account' ? 'account locked' : 'address waiting after failures') : !account.active ? 'account deactivated' : 'wrong password';
      await this.audit.transaction(who, async (tx, record) => {
        record({ action: 'auth.sign_in_failed', outcome: 'failure', subject: { type: 'user', id: account.userId }, details: { reason } });
        if (!blocked && account.active) await this.throttle.recordFailure(tx, account.userId, address, record);
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
      await this.throttle.recordSuccess(tx, account.userId, address);
      const started = await this.sessions.start(tx, account.userId, actor.teamId);
      record({ action: 'auth.sign_in', subject: { type: 'user', id: account.userId }, details: { teamId: actor.teamId } });
      return { ok: true as const, token: started.token, actor: { ...actor, via: { kind: 'session' as const, sessionId: started.record.idHash } } };
    });
  }

  /**
   * The signed-in user changes their own password. Every problem with the form is reported at once;
   * a wrong current password counts towards the same lockout as a failed sign-in, so a borrowed
   * session cannot be used to guess it. On success every other session of the user ends, and every
   * API token: whoever made the change may be shutting out someone who learnt the old password.
   */
  async changeOwnPassword(actor: Actor, keepSessionIdHash: string, input: unknown): Promise<{ otherSessionsEnded: number; tokensRevoked: number }> {
    const form = passwordChangeFields(input);
    const errors: FieldError[] = [];
    if (!form.currentPassword) errors.push({ field: 'currentPassword', message: 'Enter your current password' });
    else {
      const current = await this.confirmPassword(actor, form.currentPassword);
      if (current !== 'ok') errors.push({ field: 'currentPassword', message: current });
    }
    const context = { email: actor.email, name: actor.name, agencyName: actor.agencyName };
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
      const tokensRevoked = await revokeTokensOf(tx, actor.userId, this.clock.now());
      record({ action: 'auth.password_changed', subject: { type: 'user', id: actor.userId }, details: { otherSessionsEnded, tokensRevoked } });
      return { otherSessionsEnded, tokensRevoked };
    });
  }

  /**
   * The signed-in user's password again, before something a borrowed session must not do: 'ok', or the
   * message to show against the password field. A wrong one counts towards the sign-in throttle of
   * the address it came from, and is recorded.
   */
  async confirmPassword(actor: Actor, password: string): Promise<'ok' | string> {
    const [stored] = await this.db.select().from(credential).where(eq(credential.userId, actor.userId)).limit(1);
    const address = currentRequest()?.sourceIp ?? 'unknown';
    const blocked = stored ? await this.throttle.blocked(actor.userId, address, stored.lockedUntil) : null;
    if (!stored) await spendTimeLikeAVerify(password);
    const matches = stored ? await passwordMatches(stored.passwordHash, password) : false;
    if (matches && !blocked) return 'ok';
    await this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      record({
        action: 'auth.password_change_failed',
        outcome: 'failure',
        subject: { type: 'user', id: actor.userId },
        details: { reason: blocked ? 'account locked' : 'wrong current password' },
      });
      if (!blocked) await this.throttle.recordFailure(tx, actor.userId, address, record);
    });
    if (!blocked) return 'Your current password is not correct';
    const minutes = Math.max(1, Math.ceil((blocked.until.getTime() - this.clock.now().getTime()) / 60_000));
    return `Your password has been entered wrongly too many times. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`;
  }

  /** Sets a password after checking it against the policy. Returns the problem, or null when it was set. */
  async setPassword(tx: Queryable, userId: string, password: string, context: PasswordContext): Promise<string | null> {
    const problem = passwordProblem(password, context);
    if (problem) return problem;
    const passwordHash = await hashPassword(password);
    const now = this.clock.now();
    await tx
      .insert(credential)
      .values({ userId, passwordHash, passwordChangedAt: now })
      .onConflictDoUpdate({ target: credential.userId, set: { passwordHash, passwordChangedAt: now, failedSignIns: 0, lockedUntil: null } });
    await this.throttle.forget(tx, userId);
    return null;
  }
}
