import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { CASE_STATES } from './rules.js';

/** An episode of care: one per service episode, opened at allocation with exactly one coordinator (COORD-1). */
export const careCase = pgTable(
  'care_case',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull().unique(),
    personId: uuid('person_id').notNull(),
    referralId: uuid('referral_id').notNull(),
    teamId: uuid('team_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    leadAgencyId: uuid('lead_agency_id').notNull(),
    coordinatorUserId: uuid('coordinator_user_id').notNull(),
    state: text('state', { enum: CASE_STATES }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('care_case_person_idx').on(t.personId),
    index('care_case_coordinator_idx').on(t.coordinatorUserId).where(sql`state <> 'closed'`),
    index('care_case_team_idx').on(t.teamId, t.state),
    uniqueIndex('care_case_referral_key').on(t.referralId),
  ],
);

/** Each allocation of a coordinator, with its reasons (COORD-2); the current one has no end. */
export const coordinatorAllocation = pgTable(
  'coordinator_allocation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull().references(() => careCase.id),
    userId: uuid('user_id').notNull(),
    reasons: text('reasons').notNull(),
    considerations: text('considerations').array().notNull(),
    allocatedAt: timestamp('allocated_at', { withTimezone: true }).notNull(),
    allocatedBy: uuid('allocated_by').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('coordinator_allocation_case_idx').on(t.caseId)],
);
