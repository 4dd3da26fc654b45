import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../../platform/access/policy.js';
import { ESCALATION_OUTCOMES, ESCALATION_STEPS } from './escalation-rules.js';
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

/**
 * One step of escalating a concern about children that has not been acted on (RISK-7): raised with the
 * next rung of the ladder, or that rung's answer. An entry like the review it belongs to: signed, dated
 * by the server, never changed; the ladder is these rows in order.
 */
export const riskEscalation = pgTable(
  'risk_escalation',
  {
    id: uuid('id').primaryKey(),
    reviewId: uuid('review_id').notNull().references(() => riskReview.id),
    /** Its place on the ladder, from 0: steps recorded in one instant still read in order, and never two in one place. */
    position: integer('position').notNull(),
    personId: uuid('person_id').notNull(),
    owningAgencyId: uuid('owning_agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    authorId: uuid('author_id').notNull(),
    authorRole: text('author_role', { enum: ROLES }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    kind: text('kind', { enum: ['raised', 'answered'] }).notNull(),
    step: text('step', { enum: ESCALATION_STEPS }).notNull(),
    /** For a step raised: who it was raised with. */
    raisedWith: text('raised_with'),
    /** For an answer: whether the matter was progressed. */
    outcome: text('outcome', { enum: ESCALATION_OUTCOMES }),
    /** The concern raised, or the answer given. */
    text: text('text').notNull(),
  },
  (t) => [uniqueIndex('risk_escalation_position_key').on(t.reviewId, t.position)],
);

export type RiskEscalation = typeof riskEscalation.$inferSelect;
