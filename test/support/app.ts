import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { buildConcord } from '../../src/concord.js';
import { createTestClock, type TestClock } from '../../src/platform/clocks/clock.js';
import type { Services } from '../../src/services.js';
import { DEMO_PASSWORD } from '../../src/demo/load.js';
import { freshDatabase } from './database.js';

export { DEMO_PASSWORD };

export type TestConcord = {
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  config: Config;
  db: Services['db'];
  pool: Awaited<ReturnType<typeof freshDatabase>>['pool'];
  /** The test database's connection string, for running the command line against it. */
  url: string;
};

/** The real app (real sessions, CSRF, access and audit) over a fresh database and a controllable clock. */
export async function testConcord(options: { template?: 'empty' | 'demo'; env?: Record<string, string>; now?: string } = {}): Promise<TestConcord> {
  const database = await freshDatabase(options.template ?? 'demo');
  const clock = createTestClock(options.now ?? new Date().toISOString());
  const config = loadConfig({ NODE_ENV: 'test', COOKIE_SECURE: 'true', ...options.env });
  const { app, services } = await buildConcord(database, clock, config, process.env.CONCORD_TEST_LOG ? { level: "error" } : false);
  await app.ready();
  return { app, services, clock, config, db: database.db, pool: database.pool, url: database.url };
}

const CSRF_FIELD = /name="_csrf" value="([^"]+)"/;

/** A browser's worth of state for app.inject: cookies carried between requests, forms posted with their CSRF token. */
export class Browser {
  private cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const cleared = cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.maxAge === 0;
      if (cleared) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const match = CSRF_FIELD.exec(response.body);
    if (match) this.csrf = match[1]!;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.remember(response);
    return response;
  }

  /** Posts a form as a browser would, with the CSRF token from the last page (unless one is given). */
  async post(url: string, form: Record<string, string | string[]> = {}, options: { csrf?: string | null } = {}) {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.append('_csrf', csrf ?? '');
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.remember(response);
    return response;
  }

  /** Follows a 303 like a browser, returning the page it lands on. */
  async postAndFollow(url: string, form: Record<string, string | string[]> = {}) {
    const posted = await this.post(url, form);
    if (posted.statusCode !== 303) return posted;
    return this.get(String(posted.headers.location));
  }

  async signIn(email: string, password = DEMO_PASSWORD) {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password });
    if (response.statusCode !== 303) throw new Error(`sign-in as ${email} failed with ${response.statusCode}`);
    await this.get('/');
    return this;
  }
}

export async function signedIn(app: FastifyInstance, email: string) {
  return new Browser(app).signIn(email);
}

/** An API client holding a personal token created for this user through the service. */
export async function apiClient(t: TestConcord, email: string) {
  const account = await t.services.directory.findAccountByEmail(email);
  if (!account) throw new Error(`no demo user ${email}`);
  const actor = await t.services.directory.loadActor(account.userId, null, { kind: 'session', sessionId: 'test' });
  const { secret } = await t.services.apiTokens.create(actor!, { name: 'test client', expiresInDays: 30 });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { secret, actor: actor!, get: (url: string) => call('GET', url), post: (url: string, body?: unknown) => call('POST', url, body ?? {}), put: (url: string, body: unknown) => call('PUT', url, body), patch: (url: string, body: unknown) => call('PATCH', url, body), delete: (url: string) => call('DELETE', url) };
}

/** The audit events written since `afterId`, oldest first: what a test asserts was recorded. */
export async function auditSince(t: TestConcord, afterId = 0) {
  const rows = await t.pool.query('select * from audit_event where id > $1 order by id', [afterId]);
  return rows.rows as { id: number; action: string; outcome: string; subject_type: string | null; subject_id: string | null; actor_user_id: string | null; details: Record<string, unknown> }[];
}

export async function lastAuditId(t: TestConcord): Promise<number> {
  const rows = await t.pool.query('select coalesce(max(id), 0)::int as id from audit_event');
  return rows.rows[0].id as number;
}

export async function countRows(t: TestConcord, table: string): Promise<number> {
  const rows = await t.pool.query(`select count(*)::int as n from ${table}`);
  return rows.rows[0].n as number;
}
