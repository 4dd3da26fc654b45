import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import type { Database } from '../db/database.js';
import { clearCookie, cookieNames, cookieOptions } from '../http/cookies.js';
import type { RouteSpec } from '../http/route-table.js';
import { fieldErrorsOf } from '../validation.js';
import { countHit } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import { signInInput, type SignIn } from './sign-in.js';

export type SignInDeps = {
  db: Database;
  clock: Clock;
  audit: AuditTrail;
  signIn: SignIn;
  sessions: Sessions;
  cookieSecure: boolean;
  policy: { maxFailures: number; lockoutMinutes: number; rateLimitPerMinute: number };
};

const GENERIC_FAILURE =
  'Enter a correct email address and password. If you have tried several times, your account may be locked for a while.';

/** Only paths on this site: an open redirect after sign-in would make a convincing phishing link. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%~]*$/.test(value) ? value : '/';
}

export function signInRoutes(deps: SignInDeps): RouteSpec[] {
  const names = cookieNames(deps.cookieSecure);
  const page = (reply: FastifyReply, data: Record<string, unknown>, status?: number) =>
    reply.view('auth/sign-in.njk', { ...data, maxFailures: deps.policy.maxFailures, lockoutMinutes: deps.policy.lockoutMinutes }, status);

  return [
    {
      method: 'GET',
      url: '/sign-in',
      access: { public: 'the way in' },
      audit: { none: 'shows a form; nothing is read or changed' },
      kind: 'page',
      summary: 'Sign-in form',
      handler: async (request, reply) => {
        const query = request.query as Record<string, string | undefined>;
        if (request.actor) return reply.code(303).redirect(safeReturnPath(query.returnTo));
        return page(reply, { returnTo: query.returnTo ? safeReturnPath(query.returnTo) : undefined, signedOut: query.signedOut !== undefined });
      },
    },
    {
      method: 'POST',
      url: '/sign-in',
      access: { public: 'the way in' },
      audit: { action: 'auth.sign_in' },
      kind: 'page',
      summary: 'Sign in with email and password',
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const returnTo = safeReturnPath((request.query as Record<string, unknown>).returnTo);
        const hits = await countHit(deps.db, deps.clock, `sign-in:${request.ip}`);
        if (hits > deps.policy.rateLimitPerMinute) {
          await deps.audit.recordNow(null, { action: 'auth.sign_in_rate_limited', outcome: 'denied', details: { attemptsThisMinute: hits } });
          reply.header('retry-after', '60');
          return page(reply, { errors: [{ field: 'email', message: 'Too many sign-in attempts from your network. Wait a minute and try again.' }] }, 429);
        }
        const parsed = signInInput.safeParse(request.body);
        const email = typeof (request.body as Record<string, unknown>)?.email === 'string' ? (request.body as { email: string }).email.slice(0, 254) : '';
        if (!parsed.success) return page(reply, { errors: fieldErrorsOf(parsed.error), values: { email }, returnTo }, 400);
        const result = await deps.signIn.attempt(parsed.data.email, parsed.data.password, request.ip);
        // No redirect on failure: there is no session to carry the message, and the email must stay typed.
        if (!result.ok) return page(reply, { errors: [{ field: 'email', message: GENERIC_FAILURE }], values: { email }, returnTo }, 401);
        // A fresh session every sign-in: a session id planted before sign-in is never promoted.
        const previous = request.session;
        if (previous) await deps.sessions.endNow(previous.idHash);
        reply.setCookie(names.session, result.token, cookieOptions(deps.cookieSecure));
        clearCookie(reply, names.csrf, deps.cookieSecure);
        return reply.code(303).redirect(returnTo);
      },
    },
    {
      method: 'POST',
      url: '/sign-out',
      access: { permission: 'workspace.view' },
      audit: { action: 'auth.sign_out' },
      kind: 'page',
      summary: 'Sign out',
      handler: async (request, reply) => {
        const session = request.session;
        await deps.audit.transaction(auditActorOf(request.actor), async (tx, record) => {
          if (session) await deps.sessions.end(tx, session.idHash);
          record({ action: 'auth.sign_out', subject: { type: 'user', id: request.actor!.userId } });
        });
        clearCookie(reply, names.session, deps.cookieSecure);
        return reply.code(303).redirect('/sign-in?signedOut');
      },
    },
  ];
}
