import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ResponseStandards } from './deadline-rules.js';
import { CATEGORIES, REFERRAL_STATES, RISK_LEVELS } from './rules.js';

export const SOURCE_TYPES = ['agency', 'professional', 'self', 'family'] as const;
export const CHANNELS = ['phone', 'letter', 'email', 'in_person', 'electronic'] as const;
export const CONSENT_ANSWERS = ['yes', 'no', 'not_asked'] as const;
export const LEVELS_OF_NEED = ['critical', 'substantial', 'moderate', 'low'] as const;

/** A team that takes referrals, and how it works: what it needs to know and the standards it keeps (REF-2, REF-3). */
export const receivingService = pgTable('receiving_service', {
  teamId: uuid('team_id').primaryKey(),
  agencyId: uuid('agency_id').notNull(),
  acceptsReferrals: boolean('accepts_referrals').notNull().default(true),
  requiredInformation: text('required_information').array().notNull().default(sql`'{}'::text[]`),
  /** Agencies whose referrals are automatically urgent (handbook: e.g. liaison psychiatry). */
  automaticallyUrgentAgencies: uuid('automatically_urgent_agencies').array().notNull().default(sql`'{}'::uuid[]`),
  standards: jsonb('standards').$type<ResponseStandards>(),
  informationRequestWorkingDays: integer('information_request_working_days').notNull().default(5),
  waitingRiskCheckDays: integer('waiting_risk_check_days').notNull().default(14),
  /** Raised by every change, so a manager saving from an older copy is refused (no row yet reads as version 1). */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const referral = pgTable(
  'referral',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull().unique(),
    personId: uuid('person_id').notNull(),
    receivingTeamId: uuid('receiving_team_id').notNull(),
    receivingAgencyId: uuid('receiving_agency_id').notNull(),
    sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
    referrerAgencyId: uuid('referrer_agency_id'),
    referrerTeamId: uuid('referrer_team_id'),
    referrerUserId: uuid('referrer_user_id'),
    referrerName: text('referrer_name').notNull(),
    referrerRole: text('referrer_role'),
    referrerOrganisation: text('referrer_organisation'),
    referrerContact: text('referrer_contact'),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull(),
    presentingNeeds: text('presenting_needs'),
    riskUnintentionalSelfHarm: text('risk_unintentional_self_harm', { enum: RISK_LEVELS }).notNull(),
    riskIntentionalSelfHarm: text('risk_intentional_self_harm', { enum: RISK_LEVELS }).notNull(),
    riskHarmToOthers: text('risk_harm_to_others', { enum: RISK_LEVELS }).notNull(),
    riskAbuseByOthers: text('risk_abuse_by_others', { enum: RISK_LEVELS }).notNull(),
    riskNotes: text('risk_notes'),
    /** As the referrer reported it at intake; the consent record itself (CON-1) links here by referral id. */
    consentToReferral: text('consent_to_referral', { enum: CONSENT_ANSWERS }).notNull(),
    consentToShare: text('consent_to_share', { enum: CONSENT_ANSWERS }).notNull(),
    consentNotes: text('consent_notes'),
    state: text('state', { enum: REFERRAL_STATES }).notNull(),
    suggestedCategory: text('suggested_category', { enum: CATEGORIES }),
    category: text('category', { enum: CATEGORIES }),
    categoryReason: text('category_reason'),
    pathway: text('pathway'),
    isReReferral: boolean('is_re_referral').notNull().default(false),
    previousCaseId: uuid('previous_case_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('referral_person_idx').on(t.personId),
    index('referral_receiving_idx').on(t.receivingTeamId, t.state, t.receivedAt),
    index('referral_referrer_idx').on(t.referrerAgencyId, t.receivedAt),
  ],
);

/**
 * The referral's timeline: every step as an attributed, dated entry, never changed afterwards.
 * Entries marked for the referrer make up the closed loop they see (REF-6).
 */
export const referralEvent = pgTable(
  'referral_event',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Keeps entries in the order they were written, even within one millisecond. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    referralId: uuid('referral_id').notNull().references(() => referral.id),
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    byUserId: uuid('by_user_id'),
    byName: text('by_name').notNull(),
    byTeamId: uuid('by_team_id'),
    byAgencyId: uuid('by_agency_id'),
    summary: text('summary').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    visibleToReferrer: boolean('visible_to_referrer').notNull().default(false),
  },
  (t) => [index('referral_event_referral_idx').on(t.referralId, t.at)],
);

/** What is missing to decide how to proceed, asked of the referrer with a due date (REF-2). */
export const informationRequest = pgTable(
  'information_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id').notNull().references(() => referral.id),
    items: text('items').array().notNull(),
    question: text('question'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    requestedBy: uuid('requested_by').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answer: text('answer'),
    answeredBy: uuid('answered_by'),
    answeredByName: text('answered_by_name'),
  },
  (t) => [index('information_request_referral_idx').on(t.referralId)],
);

/** First contact and face-to-face assessment, each against its deadline (ELIG-1, REF-3). */
export const responseContact = pgTable(
  'response_contact',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id').notNull().references(() => referral.id),
    kind: text('kind', { enum: ['first_contact', 'assessment'] }).notNull(),
    happenedAt: timestamp('happened_at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    summary: text('summary').notNull(),
    lateReason: text('late_reason'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
  },
  (t) => [index('response_contact_referral_idx').on(t.referralId)],
);

/** The MDT's eligibility decision and its basis (ELIG-2, ELIG-3). */
export const eligibilityDecision = pgTable('eligibility_decision', {
  id: uuid('id').primaryKey().defaultRandom(),
  referralId: uuid('referral_id').notNull().references(() => referral.id),
  eligible: boolean('eligible').notNull(),
  seriousMentalIllness: boolean('serious_mental_illness').notNull(),
  conditions: text('conditions'),
  risks: boolean('risks').notNull(),
  levelOfNeed: text('level_of_need', { enum: LEVELS_OF_NEED }).notNull(),
  participants: text('participants').array().notNull(),
  basis: text('basis').notNull(),
  signposting: text('signposting'),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  decidedBy: uuid('decided_by').notNull(),
});

/** A waiting-list risk re-check (WAIT-1). */
export const waitingRiskCheck = pgTable(
  'waiting_risk_check',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id').notNull().references(() => referral.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
    checkedBy: uuid('checked_by').notNull(),
    riskSummary: text('risk_summary').notNull(),
    expedite: boolean('expedite').notNull(),
  },
  (t) => [index('waiting_risk_check_referral_idx').on(t.referralId)],
);
