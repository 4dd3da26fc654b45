import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../../platform/access/policy.js';
import { MAPPA_LEVELS, RISK_LEVELS, type ActionStatus, type Answers, type ConsiderationKey, type FollowUpAnswers } from './rules.js';

/** One guided action as recorded in a review; `obligationId` names the deadline it started, if it did. */
export type StoredAction = { id: string; consideration: ConsiderationKey; text: string; status: ActionStatus; note: string | null; obligationId: string | null };

/**
 * A completed risk review of a person (RISK-1, RISK-2, RISK-6): the eight considerations answered, the
 * follow-ups they brought, the guided actions as the practitioner recorded them, and the level of risk
 * with its evidence and the MAPPA level. An entry: signed by its author (name, role, team, agency),
 * dated by the server, category risk, owned by the author's agency, never changed (a trigger refuses
 * UPDATE and DELETE). The history of risk over time is these rows in order.
 * Person, agency, team and author are linked to their tables in the migration (no module imports another's tables).
 */
export const riskReview = pgTable(
  'risk_review',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull(),
    owningAgencyId: uuid('owning_agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    authorId: uuid('author_id').notNull(),
    authorRole: text('author_role', { enum: ROLES }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    level: text('level', { enum: RISK_LEVELS }).notNull(),
    evidence: text('evidence').notNull(),
    mappaLevel: text('mappa_level', { enum: MAPPA_LEVELS }).notNull(),
    answers: jsonb('answers').$type<Answers>().notNull(),
    followUps: jsonb('follow_ups').$type<FollowUpAnswers>().notNull(),
    actions: jsonb('actions').$type<StoredAction[]>().notNull(),
  },
  (t) => [index('risk_review_person_idx').on(t.personId, t.recordedAt.desc())],
);

export type RiskReview = typeof riskReview.$inferSelect;
