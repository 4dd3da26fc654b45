import type { TokenScope } from '../src/platform/auth/api-tokens.js';
import type { Services } from '../src/services.js';
import { startServer, type RunningServer } from './server.js';

/**
 * What the benchmarks that call Concord's API over HTTP share: a personal API token (the way a
 * partner system calls it), a Concord process on the benchmark's own database, and one request
 * timed to the last byte.
 */

/** A benchmark is many calls from one token and one address: lift the limits meant for people. */
const LIFTED_LIMITS = { API_RATE_LIMIT_PER_MINUTE: '1000000', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' };

/** Concord as `npm start` runs it with DATABASE_URL (templates cached, as in production), on an existing database. */
export function startConcordOn(dataDir: string, databaseUrl: string): Promise<RunningServer> {
  return startServer(dataDir, { nodeEnv: 'test', databaseUrl, env: LIFTED_LIMITS });
}

/** A day's personal API token for a demo user, made through the service as the account page makes one. */
export async function personalApiToken(services: Services, email: string, name: string, scope: TokenScope): Promise<string> {
  const account = await services.directory.findAccountByEmail(email);
  const actor = account && (await services.directory.loadActor(account.userId, null, { kind: 'session', sessionId: 'bench' }));
  if (!actor) throw new Error(`The demo user ${email} is missing or inactive.`);
  const { secret } = await services.apiTokens.create(actor, { name, expiresInDays: 1, scope });
  return secret;
}

export type ApiAnswer = { status: number; ms: number; body: unknown };

/** GET with the token, timed from sending to the last byte of the body; the JSON is parsed after the clock stops. */
export async function timedGet(baseUrl: string, token: string, path: string): Promise<ApiAnswer> {
  const startedAt = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'manual' });
  const text = await response.text();
  const ms = performance.now() - startedAt;
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (an error page from something in front): the status says what went wrong.
  }
  return { status: response.status, ms, body };
}
