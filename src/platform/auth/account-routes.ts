import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { auditActorOf, type Actor } from '../access/actor.js';
import { hasPermission } from '../access/decide.js';
import { ROLE_PERMISSIONS, type Permission } from '../access/policy.js';
import { invalid } from '../errors.js';
import type { RouteSpec } from '../http/route-table.js';
import { actorOf } from '../http/request-actor.js';
import { parseOrThrow, referenceOrNotFound } from '../validation.js';
import { TOKEN_SCOPE_NAMES, TOKEN_SCOPES, type TokenSummary } from './api-tokens.js';

export const accountPaths = {
  account: '/account',
  team: '/account/team',
  password: '/account/password',
  tokens: '/account/tokens',
  revokeToken: (tokenId: string) => `/account/tokens/${tokenId}/revoke`,
  apiMe: '/api/v1/me',
  apiTokens: '/api/v1/tokens',
};

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(token: Pick<TokenSummary, 'revokedAt' | 'expiresAt'>, now: Date): TokenStatus {
  if (token.revokedAt) return 'revoked';
  return token.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

export function permissionsOf(actor: Pick<Actor, 'roles'>): Permission[] {
  return [...new Set(actor.roles.flatMap((role) => ROLE_PERMISSIONS[role]))].sort();
}

const teamChoice = z.object({ teamId: z.string({ error: 'Select the team you want to act for' }).trim().min(1, 'Select the team you want to act for') });

/** Every account page gets the section's paths and knows whether to offer API tokens. */
function accountView(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}, status?: number) {
  const canUseTokens = hasPermission(actorOf(request), 'account.tokens');
  return reply.view(`account/${template}`, { ...data, paths: accountPaths, canUseTokens }, status);
}

/** A session route: the page hooks only find an actor through a session, so one is always there. */
function sessionOf(request: FastifyRequest) {
  if (!request.session) throw new Error('account pages need a browser session');
  return request.session;
}

/**
 * Switches the team the session acts for, in the same transaction as its audit event. Choosing a team
 * the user does not belong to is refused and recorded: the form only offers their own teams.
 */
async function switchTeam(services: Services, request: FastifyRequest) {
  const actor = actorOf(request);
  const session = sessionOf(request);
  const { teamId } = parseOrThrow(teamChoice, request.body, 'ACCOUNT.TEAM_INVALID');
  const chosen = (await services.directory.actingOptions(actor)).find((option) => option.teamId === teamId);
  if (!chosen) {
    await services.audit.recordNow(auditActorOf(actor), {
      action: 'access.denied',
      outcome: 'denied',
      details: { reason: 'tried to act for a team they are not an active member of', teamId: teamId.slice(0, 64) },
    });
    throw invalid('ACCOUNT.NOT_A_MEMBER', [{ field: 'teamId', message: 'You are not a member of that team. Select one of your teams' }]);
  }
  if (chosen.teamId !== actor.teamId) {
    await services.audit.transaction(auditActorOf(actor), async (tx, record) => {
      await services.sessions.switchTeam(session.idHash, chosen.teamId, tx);
      record({
        action: 'auth.team_switched',
        subject: { type: 'team', id: chosen.teamId },
        details: { fromTeamId: actor.teamId, toTeamId: chosen.teamId, agencyId: chosen.agencyId, roles: chosen.roles },
      });
    });
  }
  return chosen;
}

// ---- API shapes ----------------------------------------------------------------------------

const apiToken = z.object({
  id: z.string(),
  name: z.string(),
  displayPrefix: z.string().describe('The start of the token, to tell tokens apart; never the whole secret'),
  scope: z.enum(TOKEN_SCOPES).describe('read: GET requests only; write: everything your roles allow'),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});

const apiMe = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  agency: z.object({ id: z.string(), name: z.string() }),
  team: z.object({ id: z.string(), name: z.string() }).describe('The team this token acts for'),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});

const tokenIdParams = z.object({ tokenId: z.string().describe('The token’s id (not its secret)') });

function toApiToken(token: TokenSummary, now: Date): z.infer<typeof apiToken> {
  return {
    id: token.id,
    name: token.name,
    displayPrefix: token.displayPrefix,
    scope: token.scope,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    status: tokenStatus(token, now),
  };
}

// ---- Routes --------------------------------------------------------------------------------

export function accountRoutes(services: Services): RouteSpec[] {
  const { apiTokens, clock, signIn } = services;
  const defaultDays = Math.min(90, apiTokens.maxDays);

  return [
    {
      method: 'GET',
      url: accountPaths.account,
      access: { permission: 'workspace.view' },
      audit: { none: 'shows the signed-in user their own account' },
      kind: 'page',
      summary: 'Your account: who you are, the teams you can act for',
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const teams = await services.directory.actingOptions(actor);
        return accountView(request, reply, 'account.njk', { teams });
      },
    },
    {
      method: 'POST',
      url: accountPaths.team,
      access: { permission: 'workspace.view' },
      audit: { action: 'auth.team_switched' },
      kind: 'page',
      summary: 'Act for another of your teams',
      handler: async (request, reply) => {
        const chosen = await switchTeam(services, request);
        return reply.redirectWithNotice(accountPaths.account, `You are now acting for ${chosen.teamName}, ${chosen.agencyName}.`);
      },
    },
    {
      method: 'GET',
      url: accountPaths.password,
      access: { permission: 'workspace.view' },
      audit: { none: 'shows a form' },
      kind: 'page',
      summary: 'Change your password: the form',
      handler: async (request, reply) => accountView(request, reply, 'password.njk'),
    },
    {
      method: 'POST',
      url: accountPaths.password,
      access: { permission: 'workspace.view' },
      audit: { action: 'auth.password_changed' },
      kind: 'page',
      summary: 'Change your password; your other sessions end',
      handler: async (request, reply) => {
        const { otherSessionsEnded, tokensRevoked } = await services.signIn.changeOwnPassword(actorOf(request), sessionOf(request).idHash, request.body);
        const elsewhere = otherSessionsEnded === 1 ? ' You have been signed out of 1 other session.' : otherSessionsEnded > 1 ? ` You have been signed out of ${otherSessionsEnded} other sessions.` : '';
        const tokens = tokensRevoked === 1 ? ' Your API token has been revoked.' : tokensRevoked > 1 ? ` Your ${tokensRevoked} API tokens have been revoked.` : '';
        return reply.redirectWithNotice(accountPaths.account, `Your password has been changed.${elsewhere}${tokens}`);
      },
    },
    {
      method: 'GET',
      url: accountPaths.tokens,
      access: { permission: 'account.tokens' },
      audit: { none: 'lists the user’s own tokens, never their secrets' },
      kind: 'page',
      summary: 'Your API tokens',
      handler: async (request, reply) => {
        const now = clock.now();
        const tokens = (await apiTokens.listOwn(actorOf(request))).map((token) => ({ ...token, status: tokenStatus(token, now) }));
        return accountView(request, reply, 'tokens.njk', { tokens, scopeNames: TOKEN_SCOPE_NAMES, maxDays: apiTokens.maxDays, values: { expiresInDays: String(defaultDays) } });
      },
    },
    {
      method: 'POST',
      url: accountPaths.tokens,
      access: { permission: 'account.tokens' },
      audit: { action: 'auth.token_created' },
      kind: 'page',
      summary: 'Create an API token, with your password again (its secret is shown once, on this response)',
      handler: async (request, reply) => {
        const { secret, token } = await apiTokens.createFromAccount(actorOf(request), request.body, signIn);
        // Rendered, not redirected: the secret must never be kept in the session to show after a redirect.
        return accountView(request, reply, 'token-created.njk', { secret, token, scopeNames: TOKEN_SCOPE_NAMES }, 201);
      },
    },
    {
      method: 'POST',
      url: '/account/tokens/:tokenId/revoke',
      access: { permission: 'account.tokens' },
      audit: { action: 'auth.token_revoked' },
      kind: 'page',
      summary: 'Revoke one of your API tokens',
      handler: async (request, reply) => {
        const tokenId = referenceOrNotFound((request.params as { tokenId?: string }).tokenId, 'TOKEN.NOT_FOUND');
        const token = await apiTokens.revoke(actorOf(request), tokenId);
        return reply.redirectWithNotice(accountPaths.tokens, `The token ‘${token.name}’ has been revoked. Anything using it can no longer reach Concord.`);
      },
    },
    {
      method: 'GET',
      url: accountPaths.apiMe,
      access: { permission: 'workspace.view' },
      audit: { none: 'tells the caller who they are; reads no one else' },
      kind: 'api',
      summary: 'Who this token acts as: user, agency, team, roles and permissions',
      api: { tags: ['Account'], response: apiMe },
      handler: async (request): Promise<z.infer<typeof apiMe>> => {
        const actor = actorOf(request);
        return {
          user: { id: actor.userId, name: actor.name, email: actor.email },
          agency: { id: actor.agencyId, name: actor.agencyName },
          team: { id: actor.teamId, name: actor.teamName },
          roles: [...actor.roles],
          permissions: permissionsOf(actor),
        };
      },
    },
    {
      method: 'GET',
      url: accountPaths.apiTokens,
      access: { permission: 'account.tokens' },
      audit: { none: 'lists the caller’s own tokens, never their secrets' },
      kind: 'api',
      summary: 'Your API tokens',
      api: { tags: ['Account'], response: z.object({ tokens: z.array(apiToken) }) },
      handler: async (request) => {
        const now = clock.now();
        return { tokens: (await apiTokens.listOwn(actorOf(request))).map((token) => toApiToken(token, now)) };
      },
    },
    {
      // Never succeeds, so it is not offered in the OpenAPI document (no `api` description): a client
      // generated from it would have a method that always fails. It stays to answer a client that
      // tries anyway with a 403 saying where tokens are made, rather than a bare 405.
      method: 'POST',
      url: accountPaths.apiTokens,
      access: { permission: 'account.tokens' },
      audit: { none: 'never succeeds; the refusal is recorded as access.denied' },
      kind: 'api',
      summary: 'Refused (403 TOKEN.CREATE_NEEDS_SIGN_IN): tokens are created on the account page, signed in, with your password',
      handler: async (request) => apiTokens.refuseCreationByToken(actorOf(request)),
    },
    {
      method: 'POST',
      url: '/api/v1/tokens/:tokenId/revoke',
      access: { permission: 'account.tokens' },
      audit: { action: 'auth.token_revoked' },
      kind: 'api',
      summary: 'Revoke one of your API tokens',
      api: { tags: ['Account'], params: tokenIdParams, response: z.object({ token: apiToken }) },
      handler: async (request) => {
        const tokenId = referenceOrNotFound((request.params as { tokenId?: string }).tokenId, 'TOKEN.NOT_FOUND');
        const token = await apiTokens.revoke(actorOf(request), tokenId);
        return { token: toApiToken(token, clock.now()) };
      },
    },
  ];
}
