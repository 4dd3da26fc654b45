import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  CONCORD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  COOKIE_SECURE: booleanFromEnv.optional(),
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
  SIGN_IN_MAX_FAILURES: positiveInt.default(5),
  SIGN_IN_LOCKOUT_MINUTES: positiveInt.default(15),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: positiveInt.default(20),
  API_TOKEN_MAX_DAYS: positiveInt.default(90),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFromEnv.default(false),
  WORKER_ENABLED: booleanFromEnv.default(true),
  TEMPLATE_RELOAD: booleanFromEnv.default(false),
  WORKER_INTERVAL_SECONDS: positiveInt.default(10),
  AUDIT_SEAL_SECONDS: positiveInt.default(2),
  BREAK_GLASS_HOURS: z.coerce.number().int().min(1).max(12).default(4),
  BREAK_GLASS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  ACCESS_ALERT_PEOPLE_PER_HOUR: positiveInt.default(40),
  OVERLOAD_EVENT_LOOP_DELAY_MS: positiveInt.default(1000),
  OVERLOAD_POOL_WAIT_MS: positiveInt.default(1000),
  API_RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
  cookieSecure: boolean;
  session: { idleMinutes: number; absoluteHours: number };
  signIn: { maxFailures: number; lockoutMinutes: number; rateLimitPerMinute: number };
  apiTokenMaxDays: number;
  logLevel: string;
  trustProxy: boolean;
  worker: { enabled: boolean; intervalSeconds: number; sealSeconds: number };
  /** Re-read templates on every page, for someone editing them; slow, so off unless asked for. */
  templateReload: boolean;
  /**
   * How long emergency access lasts; how many times a user may start it in an hour before further uses wait for the
   * Caldicott guardian; how many different people's records a user may open in an hour before an alert is raised.
   */
  accessReview: { breakGlassHours: number; breakGlassPerHour: number; peoplePerHour: number };
  /** When a request is shed with 503 rather than queued: the event loop's delay, or the wait for a database connection. */
  overload: { eventLoopDelayMs: number; poolWaitMs: number };
  /** API calls a token may make a minute, in each instance. */
  apiRateLimitPerMinute: number;
};

export class ConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Reads and checks the environment once, at start. A wrong setting stops Concord with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Concord cannot start: the configuration is not valid.\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  const onLoopback = LOOPBACK.has(e.HOST);
  // Secure cookies are only ever switched off for plain-http use on this machine.
  const cookieSecure = e.COOKIE_SECURE ?? !(e.NODE_ENV !== 'production' && onLoopback);
  if (!cookieSecure && !onLoopback) {
    throw new ConfigError(
      'Concord cannot start: COOKIE_SECURE=false is only allowed when HOST is a loopback address (127.0.0.1, localhost or ::1).',
    );
  }
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL) {
    throw new ConfigError(
      'Concord cannot start: DATABASE_URL must be set in production (the embedded database is for trying Concord out and for development).',
    );
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.CONCORD_DATA_DIR),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    cookieSecure,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    signIn: {
      maxFailures: e.SIGN_IN_MAX_FAILURES,
      lockoutMinutes: e.SIGN_IN_LOCKOUT_MINUTES,
      rateLimitPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    },
    apiTokenMaxDays: e.API_TOKEN_MAX_DAYS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    worker: { enabled: e.WORKER_ENABLED, intervalSeconds: e.WORKER_INTERVAL_SECONDS, sealSeconds: e.AUDIT_SEAL_SECONDS },
    templateReload: e.TEMPLATE_RELOAD,
    accessReview: { breakGlassHours: e.BREAK_GLASS_HOURS, breakGlassPerHour: e.BREAK_GLASS_PER_HOUR, peoplePerHour: e.ACCESS_ALERT_PEOPLE_PER_HOUR },
    overload: { eventLoopDelayMs: e.OVERLOAD_EVENT_LOOP_DELAY_MS, poolWaitMs: e.OVERLOAD_POOL_WAIT_MS },
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
  };
}
