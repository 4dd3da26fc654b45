import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import { invalid, notFound } from '../errors.js';
import type { ActorSource } from './actor-source.js';
import { apiToken } from './schema.js';
import { API_TOKEN_PREFIX, digest, newSecret } from './tokens.js';

export const newTokenInput = (maxDays: number) =>
  z.object({
    name: z
      .string({ error: 'Enter a name for the token' })
      .trim()
      .min(1, 'Enter a name for the token')
      .max(80, 'The name must be 80 characters or fewer'),
    expiresInDays: z.coerce
      .number({ error: 'Enter how many days the token lasts, as a number' })
      .int('Enter a whole number of days')
      .min(1, 'A token must last at least 1 day')
      .max(maxDays, `A token can last at most ${maxDays} days`),
  });
export type NewTokenInput = z.infer<ReturnType<typeof newTokenInput>>;

export type TokenSummary = {
  id: string;
  name: string;
  displayPrefix: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

const TOKEN_COLUMNS = {
  id: apiToken.id,
  name: apiToken.name,
  displayPrefix: apiToken.displayPrefix,
  createdAt: apiToken.createdAt,
  expiresAt: apiToken.expiresAt,
  revokedAt: apiToken.revokedAt,
  lastUsedAt: apiToken.lastUsedAt,
};

/** Personal API tokens: shown once, stored as a digest, bound to the team the user was acting for. */
export class ApiTokens {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly actors: ActorSource,
    readonly maxDays: number,
  ) {}

  async create(actor: Actor, input: unknown): Promise<{ secret: string; token: TokenSummary }> {
    const parsed = newTokenInput(this.maxDays).safeParse(input);
    if (!parsed.success) {
      throw invalid(
        'TOKEN.INVALID',
        parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'name'), message: i.message })),
      );
    }
    const secret = `${API_TOKEN_PREFIX}${newSecret()}`;
    const now = this.clock.now();
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [token] = await tx
        .insert(apiToken)
        .values({
          userId: actor.userId,
          teamId: actor.teamId,
          name: parsed.data.name,
          tokenHash: digest(secret),
          displayPrefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
          createdAt: now,
          expiresAt: new Date(now.getTime() + parsed.data.expiresInDays * 86_400_000),
        })
        .returning(TOKEN_COLUMNS);
      record({ action: 'auth.token_created', subject: { type: 'api_token', id: token!.id }, details: { name: token!.name, expiresAt: token!.expiresAt.toISOString() } });
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

  async revokeAllFor(tx: Queryable, userId: string): Promise<number> {
    const revoked = await tx
      .update(apiToken)
      .set({ revokedAt: this.clock.now() })
      .where(and(eq(apiToken.userId, userId), isNull(apiToken.revokedAt)))
      .returning({ id: apiToken.id });
    return revoked.length;
  }

  /** The actor a bearer token stands for, or null if it is unknown, revoked, expired or its user may no longer act. */
  async authenticate(secret: string): Promise<Actor | null> {
    if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 100) return null;
    const now = this.clock.now();
    const [token] = await this.db
      .select({ id: apiToken.id, userId: apiToken.userId, teamId: apiToken.teamId, lastUsedAt: apiToken.lastUsedAt })
      .from(apiToken)
      .where(and(eq(apiToken.tokenHash, digest(secret)), isNull(apiToken.revokedAt), gt(apiToken.expiresAt, now)))
      .limit(1);
    if (!token) return null;
    const actor = await this.actors.loadActor(token.userId, token.teamId, { kind: 'token', tokenId: token.id });
    if (actor && (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000)) {
      await this.db.update(apiToken).set({ lastUsedAt: now }).where(eq(apiToken.id, token.id));
    }
    return actor;
  }
}
