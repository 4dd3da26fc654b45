import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import { prepare, runPrepared, type Database, type PreparedStatement, type Queryable } from '../db/database.js';
import { forbidden, invalid, notFound, type FieldError } from '../errors.js';
import { actorFromRow, type ActorRow, type ActorSource } from './actor-source.js';
import { apiToken } from './schema.js';
import { API_TOKEN_PREFIX, digest, newSecret } from './tokens.js';
import { wholeNumber } from '../input-rules.js';

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const TOKEN_SCOPE_NAMES: Record<TokenScope, string> = { read: 'Read only', write: 'Read and write' };

export const newTokenInput = (maxDays: number) =>
  z.object({
    name: z
      .string({ error: 'Enter a name for the token' })
      .trim()
      .min(1, 'Enter a name for the token')
      .max(80, 'The name must be 80 characters or fewer'),
    expiresInDays: wholeNumber({
      invalid: 'Enter how many days the token lasts, as a number',
      notWhole: 'Enter a whole number of days',
      min: [1, 'A token must last at least 1 day'],
      max: [maxDays, `A token can last at most ${maxDays} days`],
    }),
    scope: z.enum(TOKEN_SCOPES, { error: 'Select what the token may do: read only, or read and write' }),
  });
export type NewTokenInput = z.infer<ReturnType<typeof newTokenInput>>;

/** Whoever checks the signed-in user's password (and counts a wrong one towards their lockout). */
export type PasswordConfirmer = { confirmPassword(actor: Actor, password: string): Promise<'ok' | string> };

export type TokenSummary = {
  id: string;
  name: string;
  displayPrefix: string;
  scope: TokenScope;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

const TOKEN_COLUMNS = {
  id: apiToken.id,
  name: apiToken.name,
  displayPrefix: apiToken.displayPrefix,
  scope: apiToken.scope,
  createdAt: apiToken.createdAt,
  expiresAt: apiToken.expiresAt,
  revokedAt: apiToken.revokedAt,
  lastUsedAt: apiToken.lastUsedAt,
};

// Writing last_used_at on every call would make every API read a write; a minute's slack is harmless.
const TOUCH_AFTER_MS = 60_000;

/**
 * Revokes the user's live tokens (only those acting for `teamId`, when given), in the caller's
 * transaction: a password change, a reset or an ended membership ends them with the change itself.
 */
export async function revokeTokensOf(tx: Queryable, userId: string, now: Date, teamId?: string): Promise<number> {
  const revoked = await tx
    .update(apiToken)
    .set({ revokedAt: now })
    .where(and(eq(apiToken.userId, userId), isNull(apiToken.revokedAt), teamId ? eq(apiToken.teamId, teamId) : undefined))
    .returning({ id: apiToken.id });
  return revoked.length;
}

/** Personal API tokens: shown once, stored as a digest, bound to the team the user was acting for, with a scope. */
export class ApiTokens {
  private authenticateStatement: PreparedStatement | undefined;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly actors: ActorSource,
    readonly maxDays: number,
  ) {}

  /**
   * A token from the account page: needs a browser session and the user's password again, so neither a
   * token nor a session left open on a shared computer can mint a credential that outlives it.
   * Every problem with the form is reported at once.
   */
  async createFromAccount(actor: Actor, input: unknown, passwords: PasswordConfirmer): Promise<{ secret: string; token: TokenSummary }> {
    await this.refuseTokenCaller(actor);
    const parsed = newTokenInput(this.maxDays).safeParse(input);
    const errors: FieldError[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'name'), message: i.message }));
    const password = (input as { currentPassword?: unknown } | null)?.currentPassword;
    if (typeof password !== 'string' || password.length === 0) errors.push({ field: 'currentPassword', message: 'Enter your password' });
    else if (parsed.success) {
      // Checked only when the rest is right, so a typing slip elsewhere does not count towards a lockout.
      const confirmed = await passwords.confirmPassword(actor, password);
      if (confirmed !== 'ok') errors.push({ field: 'currentPassword', message: confirmed });
    }
    if (errors.length || !parsed.success) throw invalid('TOKEN.INVALID', errors);
    return this.issue(actor, parsed.data);
  }

  /**
   * A token made by code (the command line, tests), with no form to confirm a password on. Leaving
   * the scope out gives read and write, what every token could do before scopes existed.
   */
  async create(actor: Actor, input: unknown): Promise<{ secret: string; token: TokenSummary }> {
    await this.refuseTokenCaller(actor);
    const withScope = input && typeof input === 'object' && !('scope' in input) ? { ...input, scope: 'write' } : input;
    const parsed = newTokenInput(this.maxDays).safeParse(withScope);
    if (!parsed.success) {
      throw invalid(
        'TOKEN.INVALID',
        parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'name'), message: i.message })),
      );
    }
    return this.issue(actor, parsed.data);
  }

  private async refuseTokenCaller(actor: Actor) {
    if (actor.via.kind === 'token') await this.refuseCreationByToken(actor);
  }

  /**
   * A token cannot create tokens: a stolen one would otherwise renew itself for ever. The refusal is
   * recorded, and says where tokens are made (the API's POST /api/v1/tokens answers only this).
   */
  async refuseCreationByToken(actor: Actor): Promise<never> {
    await this.audit.recordNow(auditActorOf(actor), {
      action: 'access.denied',
      outcome: 'denied',
      // Only a token reaches the API, so the refused caller is always one; named when it can be.
      subject: actor.via.kind === 'token' ? { type: 'api_token', id: actor.via.tokenId } : undefined,
      details: { reason: 'an API token tried to create a token' },
    });
    throw forbidden('TOKEN.CREATE_NEEDS_SIGN_IN', 'An API token cannot create tokens. Sign in to Concord and create one under Your account, API tokens, with your password.');
  }

  private async issue(actor: Actor, input: NewTokenInput): Promise<{ secret: string; token: TokenSummary }> {
    const secret = `${API_TOKEN_PREFIX}${newSecret()}`;
    const now = this.clock.now();
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [token] = await tx
        .insert(apiToken)
        .values({
          userId: actor.userId,
          teamId: actor.teamId,
          name: input.name,
          tokenHash: digest(secret),
          displayPrefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
          scope: input.scope,
          createdAt: now,
          expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
        })
        .returning(TOKEN_COLUMNS);
      record({
        action: 'auth.token_created',
        subject: { type: 'api_token', id: token!.id },
        details: { name: token!.name, expiresAt: token!.expiresAt.toISOString(), scope: token!.scope },
      });
      return { secret, token: token! };
    });
  }

  async listOwn(actor: Actor): Promise<TokenSummary[]> {
    return this.db.select(TOKEN_COLUMNS).from(apiToken).where(eq(apiToken.userId, actor.userId)).orderBy(desc(apiToken.createdAt));
  }

  async revoke(actor: Actor, tokenId: string): Promise<TokenSummary> {
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [token] = await tx
        .update(apiToken)
        .set({ revokedAt: this.clock.now() })
        .where(and(eq(apiToken.id, tokenId), eq(apiToken.userId, actor.userId), isNull(apiToken.revokedAt)))
        .returning(TOKEN_COLUMNS);
      if (!token) throw notFound('TOKEN.NOT_FOUND', 'There is no active token of yours with that reference.');
      record({ action: 'auth.token_revoked', subject: { type: 'api_token', id: token.id }, details: { name: token.name } });
      return token;
    });
  }

  async revokeAllFor(tx: Queryable, userId: string, teamId?: string): Promise<number> {
    return revokeTokensOf(tx, userId, this.clock.now(), teamId);
  }

  /**
   * The actor a bearer token stands for, or null if it is unknown, revoked, expired or its user may no
   * longer act: one statement, which also notes the token's use at most once a minute.
   */
  async authenticate(secret: string): Promise<Actor | null> {
    if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 100) return null;
    const now = this.clock.now();
    const [found] = await runPrepared<{ id: string; teamId: string; scope: TokenScope; actor: ActorRow | null }>(this.db, this.authenticateQuery(), {
      tokenHash: digest(secret),
      now: now.toISOString(),
      touchBefore: new Date(now.getTime() - TOUCH_AFTER_MS).toISOString(),
    });
    // A token acts for the team it was made for, never silently for another of its user's teams.
    if (!found || found.actor?.teamId !== found.teamId) return null;
    return actorFromRow(found.actor, { kind: 'token', tokenId: found.id, scope: found.scope });
  }

  private authenticateQuery(): PreparedStatement {
    const now = sql`${sql.placeholder('now')}::timestamptz`;
    this.authenticateStatement ??= prepare(sql`
      with found as (
        select t.id, t.team_id, t.scope, t.last_used_at, ${this.actors.actorSql(sql`t.user_id`, sql`t.team_id`)} as actor
        from ${apiToken} t
        where t.token_hash = ${sql.placeholder('tokenHash')} and t.revoked_at is null and t.expires_at > ${now}
      ), touched as (
        update ${apiToken} set last_used_at = ${now}
        from found
        where ${apiToken.id} = found.id and found.actor->>'teamId' = found.team_id::text
          and (found.last_used_at is null or found.last_used_at < ${sql.placeholder('touchBefore')}::timestamptz)
        returning ${apiToken.id}
      )
      select id, team_id as "teamId", scope, actor from found`);
    return this.authenticateStatement;
  }
}
