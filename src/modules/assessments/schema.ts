import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../../platform/access/policy.js';
import { INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';
import { AGREEMENTS, ASSESSMENT_KINDS, ESCALATION_STEPS, type DomainAnswer, type DomainKey, type Outcome } from './rules.js';

/**
 * A holistic assessment being written: its author's working copy, not an entry. It is saved page by
 * page and changed in place; `version` counts the saves, so a save made against an older version is
 * refused rather than overwriting someone else's (two people at one draft: one wins, the other is told).
 * It is held by the author's team and agency, and shared with nobody else.
 */
export const assessmentDraft = pgTable(
  'assessment_draft',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull(),
    kind: text('kind', { enum: ASSESSMENT_KINDS }).notNull(),
    agencyId: uuid('agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    authorId: uuid('author_id').notNull(),
    /** ASSESS-1, asked before starting. */
    assessmentAgreement: text('assessment_agreement', { enum: AGREEMENTS }).notNull(),
    sharingAgreement: text('sharing_agreement', { enum: AGREEMENTS }).notNull(),
    couldNotAskReason: text('could_not_ask_reason'),
    domains: jsonb('domains').$type<Partial<Record<DomainKey, DomainAnswer>>>().notNull(),
    outcome: jsonb('outcome').$type<Outcome>(),
    version: integer('version').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by').notNull(),
  },
  (t) => [index('assessment_draft_person_idx').on(t.personId, t.teamId)],
);
export type AssessmentDraft = typeof assessmentDraft.$inferSelect;

/**
 * A completed assessment: an entry, signed by its author (name, role and agency as they were, and the
 * time), never changed (a trigger refuses UPDATE and DELETE). What it says is held in its items, one per
 * domain and one for the outcome, each with its own category, so each is shared or hidden on its own.
 */
export const assessment = pgTable(
  'assessment',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull(),
    kind: text('kind', { enum: ASSESSMENT_KINDS }).notNull(),
    owningAgencyId: uuid('owning_agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    authorId: uuid('author_id').notNull(),
    authorRole: text('author_role', { enum: ROLES }).notNull(),
    signedName: text('signed_name').notNull(),
    signedAgencyName: text('signed_agency_name').notNull(),
    assessmentAgreement: text('assessment_agreement', { enum: AGREEMENTS }).notNull(),
    sharingAgreement: text('sharing_agreement', { enum: AGREEMENTS }).notNull(),
    couldNotAskReason: text('could_not_ask_reason'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('assessment_person_idx').on(t.personId, t.completedAt.desc())],
);
export type Assessment = typeof assessment.$inferSelect;

/** One part of a completed assessment: a domain (its key) or the outcome, with its category and owner. */
export const assessmentItem = pgTable(
  'assessment_item',
  {
    id: uuid('id').primaryKey(),
    assessmentId: uuid('assessment_id').notNull().references(() => assessment.id),
    personId: uuid('person_id').notNull(),
    owningAgencyId: uuid('owning_agency_id').notNull(),
    section: text('section').notNull(),
    category: text('category', { enum: INFORMATION_CATEGORIES }).notNull(),
    content: jsonb('content').$type<DomainAnswer | Outcome>().notNull(),
  },
  (t) => [uniqueIndex('assessment_item_section_key').on(t.assessmentId, t.section), index('assessment_item_person_idx').on(t.personId)],
);
export type AssessmentItem = typeof assessmentItem.$inferSelect;

/**
 * One step in escalating difficulty getting information from another agency (ASSESS-6): who it was
 * taken to and what they said or did. Steps are entries, never changed; the steps of one difficulty
 * share `difficulty_id` (the first step's id). Held under "other notes" by the agency that recorded it.
 */
export const informationEscalation = pgTable(
  'information_escalation',
  {
    id: uuid('id').primaryKey(),
    difficultyId: uuid('difficulty_id').notNull(),
    personId: uuid('person_id').notNull(),
    owningAgencyId: uuid('owning_agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    heldBy: text('held_by').notNull(),
    informationSought: text('information_sought').notNull(),
    step: text('step', { enum: ESCALATION_STEPS }).notNull(),
    escalatedTo: text('escalated_to').notNull(),
    answer: text('answer').notNull(),
    resolved: boolean('resolved').notNull(),
    /** Its place in its difficulty, 1 for the first. */
    position: integer('position').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('information_escalation_person_idx').on(t.personId, t.recordedAt), uniqueIndex('information_escalation_position_key').on(t.difficultyId, t.position)],
);
export type InformationEscalation = typeof informationEscalation.$inferSelect;
