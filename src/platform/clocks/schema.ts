import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { OBLIGATION_STATES } from './obligation-rules.js';

/**
 * One row per deadline. Work queues, dashboards, reminders and overdue reports are all queries
 * over this table (DESIGN.md §3, "Clocks").
 */
export const obligation = pgTable(
  'obligation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    ruleId: text('rule_id').notNull(),
    title: text('title').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    personId: uuid('person_id'),
    ownerUserId: uuid('owner_user_id'),
    ownerTeamId: uuid('owner_team_id'),
    ownerAgencyId: uuid('owner_agency_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    state: text('state', { enum: OBLIGATION_STATES }).notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    late: boolean('late').notNull().default(false),
    reason: text('reason'),
  },
  (t) => [
    index('obligation_open_due_idx').on(t.dueAt).where(sql`state in ('open', 'breached')`),
    index('obligation_team_idx').on(t.ownerTeamId, t.dueAt).where(sql`state in ('open', 'breached')`),
    index('obligation_user_idx').on(t.ownerUserId, t.dueAt).where(sql`state in ('open', 'breached')`),
    index('obligation_subject_idx').on(t.subjectType, t.subjectId),
  ],
);
