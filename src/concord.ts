import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Clock } from './platform/clocks/clock.js';
import { connectDatabase, type DatabaseHandle } from './platform/db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './platform/db/embedded-server.js';
import { runMigrations } from './platform/db/migrations.js';
import { ensureAppRole } from './platform/db/app-role.js';
import { createApp } from './platform/http/app.js';
import { createViewEnvironment } from './platform/views/render.js';
import { allRoutes, navigationFor } from './routes.js';
import { createServices, type Services } from './services.js';
import { serverSecretNamed } from './platform/auth/server-secrets.js';

export type OpenDatabase = DatabaseHandle & { url: string; embedded: EmbeddedServer | null };

/**
 * The configured PostgreSQL, or the embedded one in the data folder when no DATABASE_URL is set.
 * Migrations run as the connection's own user. On the embedded server, which Concord administers
 * itself, the app then connects as the least-privilege role (app-role.ts), not the superuser.
 */
export async function openDatabase(config: Config, onLog?: (line: string) => void): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, onLog });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    if (embedded) await prepareAsSuperuser(embedded);
    else await migrate(url);
    const appUrl = embedded ? embedded.appUrl : url;
    const handle = connectDatabase(appUrl, config.databasePoolSize);
    return {
      ...handle,
      url: appUrl,
      embedded,
      async close() {
        await handle.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function migrate(url: string) {
  const admin = connectDatabase(url, 1);
  try {
    await runMigrations(admin.pool);
  } finally {
    await admin.close();
  }
}

async function prepareAsSuperuser(embedded: EmbeddedServer) {
  const admin = connectDatabase(embedded.url, 1);
  try {
    await runMigrations(admin.pool);
    await ensureAppRole(admin.pool, embedded.appPassword);
  } finally {
    await admin.close();
  }
}

export type Concord = { app: FastifyInstance; services: Services };

/** Services, then the app over them: explicit wiring, so a test can hand in its own database and clock. */
export async function buildConcord(database: DatabaseHandle, clock: Clock, config: Config, logger: boolean | Record<string, unknown> = false): Promise<Concord> {
  const services = createServices(database.db, clock, config);
  const app = await createApp({
    routes: allRoutes(services, database.pool, config.cookieSecure),
    csrfSecret: await serverSecretNamed(database.db, clock, 'csrf'),
    sessions: services.sessions,
    apiTokens: services.apiTokens,
    guard: services.guard,
    audit: services.audit,
    views: createViewEnvironment({ watch: config.templateReload }),
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    logger,
    navigation: (actor) => navigationFor(actor, services),
    pool: database.pool,
    overload: config.overload,
    apiRateLimitPerMinute: config.apiRateLimitPerMinute,
  });
  return { app, services };
}
