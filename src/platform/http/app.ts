import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type pg from 'pg';
import type { Actor } from '../access/actor.js';
import { auditActorOf } from '../access/actor.js';
import { hasPermission } from '../access/decide.js';
import type { AccessGuard } from '../access/guard.js';
import type { ApiTokens } from '../auth/api-tokens.js';
import type { Sessions } from '../auth/sessions.js';
import { refuseOutOfScope } from '../auth/token-scope.js';
import type { AuditTrail } from '../audit/trail.js';
import { enterRequestContext } from '../context.js';
import type { ViewEnvironment } from '../views/render.js';
import { registerAssets } from './assets.js';
import { clearCookie, cookieNames } from './cookies.js';
import { csrfTokenFor, csrfTokenIsValid } from './csrf.js';
import { handleError, renderNotFound } from './errors.js';
import { registerInputGuard } from './input-guard.js';
import { sendProblem } from './problem.js';
import { apiRateLimit } from './api-rate-limit.js';
import { clientErrors } from './client-errors.js';
import { setUpLoadShedding, type OverloadLimits } from './load-shedding.js';
import { answerWrongMethod } from './wrong-method.js';
import type { RouteSpec } from './route-table.js';
import './types.js';

export type AppOptions = {
  routes: RouteSpec[];
  /** The installation's secret for the sign-in form's token (platform/auth/server-secrets). */
  csrfSecret: string;
  sessions: Sessions;
  apiTokens: ApiTokens;
  guard: AccessGuard;
  audit: AuditTrail;
  views: ViewEnvironment;
  cookieSecure: boolean;
  trustProxy?: boolean;
  logger?: boolean | Record<string, unknown>;
  /** The main menu for a signed-in actor; it may need the database (a count of things waiting), so it is worked out once per request. */
  navigation?: (actor: Actor) => NavigationItem[] | Promise<NavigationItem[]>;
  /** The database pool, watched for overload: requests are shed when its queue is too slow. */
  pool: pg.Pool;
  overload: OverloadLimits;
  apiRateLimitPerMinute: number;
};

export type NavigationItem = { href: string; text: string };

const API_PREFIX = '/api/';

/** The Fastify app: cross-cutting concerns in a fixed order, then every route from the route tables. */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const refusals = clientErrors();
  const app = Fastify({
    ...refusals.options,
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 256 * 1024,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Every route that ends up registered, including plugins' (static assets), so a test can check
  // that nothing is served outside the route tables.
  const registered: { method: string | string[]; url: string; spec?: RouteSpec }[] = [];
  app.decorate('registeredRoutes', registered);
  app.decorate('csrfSecret', options.csrfSecret);
  app.addHook('onRoute', (route) => {
    registered.push({ method: route.method, url: route.url, spec: (route.config as { spec?: RouteSpec } | undefined)?.spec });
  });

  setUpRequestContext(app);
  await setUpSecurityHeaders(app);
  await app.register(cookie);
  refusals.setUp(app);
  // Bodies decoded strictly and every route's input checked, before any handler reads it.
  registerInputGuard(app, options.cookieSecure);
  await registerAssets(app);
  setUpRendering(app, options);
  setUpLoadShedding(app, options.pool, options.overload);
  const rateLimit = apiRateLimit(options.apiRateLimitPerMinute);
  app.addHook('onRequest', rateLimit.beforeAuthentication);
  setUpAuthentication(app, options);
  app.addHook('onRequest', rateLimit.afterAuthentication);
  registerRoutes(app, options);
  app.setNotFoundHandler((request, reply) => answerWrongMethod(request, reply) ?? renderNotFound(request, reply));
  app.setErrorHandler((error, request, reply) => handleError(error as Error, request, reply, options));
  return app;
}

function setUpRequestContext(app: FastifyInstance) {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('flash', null);
  app.decorateRequest('navigation', null);
  app.addHook('onRequest', async (request, reply) => {
    enterRequestContext({ requestId: request.id, sourceIp: request.ip ?? null });
    reply.header('x-request-id', request.id);
  });
}

async function setUpSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
    // DENY, as frame-ancestors 'none' says: SAMEORIGIN would let a page of the same origin frame Concord.
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // Assets are the same for everyone; everything else may hold personal data and must not be cached.
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

function setUpRendering(app: FastifyInstance, options: AppOptions) {
  app.decorateReply('view', function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status?: number) {
    const request = this.request;
    const nonce = (this as unknown as { cspNonce?: { script: string } }).cspNonce?.script;
    const actor = request.actor;
    const html = options.views.render(template, {
      ...data,
      actor,
      cspNonce: nonce,
      csrfToken: csrfTokenFor(request, this, options.cookieSecure),
      currentPath: request.url.split('?')[0],
      navigation: actor ? (request.navigation ?? []) : [],
      notice: request.flash?.notice,
      noticeKind: request.flash?.noticeKind ?? 'success',
      errors: data.errors ?? request.flash?.errors,
      values: request.flash?.values ?? data.values ?? {},
    });
    const hasErrors = Array.isArray(data.errors ?? request.flash?.errors) && ((data.errors ?? request.flash?.errors) as unknown[]).length > 0;
    // A page showing what was wrong with the last submission answers 400, so tools and tests see the refusal.
    return this.code(status ?? (hasErrors ? 400 : 200)).type('text/html; charset=utf-8').send(html);
  });
  app.decorateReply('redirectWithNotice', async function (this: FastifyReply, url: string, notice: string, noticeKind: 'success' | 'important' = 'success') {
    const session = this.request.session;
    if (session) await options.sessions.setFlash(session.idHash, { notice, noticeKind });
    return this.code(303).redirect(url);
  });
}

function setUpAuthentication(app: FastifyInstance, options: AppOptions) {
  const names = cookieNames(options.cookieSecure);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/assets/') || request.url.startsWith('/health/')) return;
    if (request.url.startsWith(API_PREFIX)) {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        request.actor = await options.apiTokens.authenticate(header.slice(7).trim());
        if (!request.actor) {
          await options.audit.recordNow(null, {
            action: 'auth.token_rejected',
            outcome: 'denied',
            details: { reason: 'unknown, expired or revoked API token, or its user may no longer act', path: request.url.split('?')[0] },
          });
        }
      }
      return;
    }
    const token = request.cookies[names.session];
    if (!token) return;
    const session = await options.sessions.resume(token);
    if (!session) {
      clearCookie(reply, names.session, options.cookieSecure);
      return;
    }
    const actor = session.actor;
    if (!actor) {
      // The user was deactivated or lost every team since the session began.
      await options.sessions.endNow(session.idHash);
      clearCookie(reply, names.session, options.cookieSecure);
      return;
    }
    request.session = session;
    request.actor = actor;
    request.navigation = (await options.navigation?.(actor)) ?? [];
    if (session.flash && request.method === 'GET') {
      request.flash = session.flash;
      await options.sessions.setFlash(session.idHash, null);
    }
  });
}

function registerRoutes(app: FastifyInstance, options: AppOptions) {
  for (const spec of options.routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: { spec },
      preHandler: async (request, reply) => {
        if (spec.kind === 'page' && request.method !== 'GET' && !csrfTokenIsValid(request, options.cookieSecure)) {
          await options.audit.recordNow(auditActorOf(request.actor), {
            action: 'access.denied',
            outcome: 'denied',
            details: { reason: 'form token missing or wrong (CSRF)', route: spec.url },
          });
          return reply.view('errors/form-expired.njk', {}, 403);
        }
        if (!('permission' in spec.access)) return;
        if (!request.actor) return refuseUnauthenticated(request, reply, spec);
        if (await refuseOutOfScope(request, reply, spec, options.audit)) return;
        const permission = spec.access.permission;
        if (!hasPermission(request.actor, permission)) {
          await options.guard.require(request.actor, permission, {}, { type: 'route', id: `${spec.method} ${spec.url}` });
        }
      },
      handler: spec.handler,
    });
  }
}

function refuseUnauthenticated(request: FastifyRequest, reply: FastifyReply, spec: RouteSpec) {
  if (spec.kind === 'api') {
    reply.header('www-authenticate', 'Bearer realm="concord"');
    return sendProblem(reply, {
      status: 401,
      title: 'Sign-in required',
      detail: 'Send a personal API token as "Authorization: Bearer <token>". Create one on your account page.',
      code: 'AUTH.TOKEN_REQUIRED',
    });
  }
  const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : '';
  return reply.code(303).redirect(`/sign-in${returnTo}`);
}
