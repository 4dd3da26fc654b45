import { index, integer, json, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per Idempotency-Key a user sent with an API POST, written in the same transaction as the
 * change it made. The primary key is what stops a retry or a concurrent twin from acting twice.
 * `status` is null when the answer was not kept (it held a secret, or was lost before it was known).
 */
export const idempotentRequest = pgTable(
  'idempotent_request',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    requestId: text('request_id').notNull(),
    status: integer('status'),
    body: json('body'),
    location: text('location'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotent_request_expires_idx').on(t.expiresAt)],
);
