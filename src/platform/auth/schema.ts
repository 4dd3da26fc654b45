import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Foreign keys to app_user and team are added in SQL (db/migrations), so that the platform
// does not import the directory module's tables.

export const credential = pgTable('credential', {
  userId: uuid('user_id').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  failedSignIns: integer('failed_sign_ins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull(),
});

/** The cookie holds a random token; only its SHA-256 is stored, so a database read does not yield live sessions. */
export const session = pgTable(
  'session',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id').notNull(),
    teamId: uuid('team_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    flash: jsonb('flash').$type<Record<string, unknown>>(),
  },
  (t) => [index('session_user_idx').on(t.userId), index('session_expires_idx').on(t.expiresAt)],
);

export const apiToken = pgTable(
  'api_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    teamId: uuid('team_id').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    displayPrefix: text('display_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** read: GET routes of the API only; write: everything the user's roles allow. */
    scope: text('scope').$type<'read' | 'write'>().notNull(),
  },
  (t) => [index('api_token_user_idx').on(t.userId)],
);

/** Fixed-window counters shared by every instance (rate limits must not live in one process's memory). */
export const rateLimitWindow = pgTable(
  'rate_limit_window',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** Failed sign-ins per account and address, with the back-off that address now waits (see sign-in-throttle.ts). */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    userId: uuid('user_id').notNull(),
    address: text('address').notNull(),
    failures: integer('failures').notNull(),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull(),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'sign_in_throttle_pk', columns: [t.userId, t.address] })],
);

/** Secrets made once by whichever instance needs one first, so every instance uses the same. */
export const serverSecret = pgTable('server_secret', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
