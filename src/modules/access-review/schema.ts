import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * Emergency access asked for beyond the hourly allowance (BREAK_GLASS_PER_HOUR): the request waits for
 * the Caldicott guardian, whose decision is made once. Both append-only, like the break-glass rows.
 */

export const BREAK_GLASS_DECISIONS = ['approved', 'declined'] as const;
export type BreakGlassDecision = (typeof BREAK_GLASS_DECISIONS)[number];

export const breakGlassRequest = pgTable(
  'break_glass_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    userId: uuid('user_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    reasonCode: text('reason_code').notNull(),
    reasonText: text('reason_text').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('break_glass_request_requested_idx').on(t.requestedAt)],
);

export const breakGlassDecision = pgTable('break_glass_decision', {
  requestId: uuid('request_id').primaryKey(),
  decision: text('decision', { enum: BREAK_GLASS_DECISIONS }).notNull(),
  notes: text('notes').notNull(),
  decidedBy: uuid('decided_by').notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  /** The emergency access the approval started. */
  breakGlassId: uuid('break_glass_id'),
});
