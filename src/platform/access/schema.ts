import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const INVOLVEMENT_ROLES = ['referrer', 'receiving_service', 'lead_agency', 'partner'] as const;
export type InvolvementRole = (typeof INVOLVEMENT_ROLES)[number];

/**
 * Which agencies are involved with a person, in what role, since when (COORD-6, REC-1).
 * It is the relationship the access decision starts from: an agency sees a person's record
 * while it is involved (a referrer sees the status of its referral only), and access ends
 * with the involvement. Consent, exceptions and restrictions narrow it further (CON-*).
 */
export const involvement = pgTable(
  'involvement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    teamId: uuid('team_id'),
    role: text('role', { enum: INVOLVEMENT_ROLES }).notNull(),
    domains: text('domains').array().notNull().default(sql`'{}'::text[]`),
    /** The aspects of care (among `domains`) this agency leads on, and the named individual who does (COORD-6). */
    leadDomains: text('lead_domains').array().notNull().default(sql`'{}'::text[]`),
    keyContact: text('key_contact'),
    communication: text('communication'),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    startedBy: uuid('started_by'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: text('ended_reason'),
    /** Raised by every change of the details, so a coordinator saving from an older copy is refused. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('involvement_person_agency_idx').on(t.personId, t.agencyId).where(sql`ended_at is null`),
    index('involvement_agency_idx').on(t.agencyId, t.personId).where(sql`ended_at is null`),
    index('involvement_source_idx').on(t.sourceType, t.sourceId),
    // Every involvement of the people shown, ended ones too (search results, the record): the partial indexes above cannot serve it.
    index('involvement_person_idx').on(t.personId),
  ],
);

/*
 * The sharing facts the access decision reads besides involvement (CON-1 … CON-5). Each is written
 * once and never changed: a withdrawal is a new consent decision pointing at the one it withdraws; a
 * restriction lifted or an exception ended is a row in its `_end` table. The history is the rows.
 */

export const CONSENT_DECISIONS = ['given', 'refused', 'withdrawn'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];
export const CONSENT_HOW = ['in_person', 'phone', 'written', 'electronic', 'representative'] as const;

/** The person's decision about sharing with named agencies or kinds of agency, for purposes and categories (CON-1). */
export const consentDecision = pgTable(
  'consent_decision',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    decision: text('decision', { enum: CONSENT_DECISIONS }).notNull(),
    /** For a withdrawal: the consent withdrawn. */
    withdraws: uuid('withdraws'),
    agencyIds: uuid('agency_ids').array().notNull().default(sql`'{}'::uuid[]`),
    agencyTypes: text('agency_types').array().notNull().default(sql`'{}'::text[]`),
    purposes: text('purposes').array().notNull().default(sql`'{}'::text[]`),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    obtainedHow: text('obtained_how', { enum: CONSENT_HOW }).notNull(),
    obtainedAt: timestamp('obtained_at', { withTimezone: true }).notNull(),
    reviewDate: date('review_date'),
    notes: text('notes'),
    /** CON-5: for a refusal, what the person was told cannot be offered without it. */
    consequences: text('consequences'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedByAgency: uuid('recorded_by_agency').notNull(),
  },
  (t) => [index('consent_decision_person_idx').on(t.personId), uniqueIndex('consent_decision_withdraws_key').on(t.withdraws)],
);

/** CON-3: entries or categories the person asked not to be shared with particular parties. */
export const sharingRestriction = pgTable(
  'sharing_restriction',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** One entry (its kind and id), or every item in `categories`. */
    entryType: text('entry_type'),
    entryId: uuid('entry_id'),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    agencyIds: uuid('agency_ids').array().notNull().default(sql`'{}'::uuid[]`),
    agencyTypes: text('agency_types').array().notNull().default(sql`'{}'::text[]`),
    /** Parties outside Concord (a carer, a family member): shown wherever letters or copies are prepared. */
    otherParties: text('other_parties'),
    reason: text('reason').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedByAgency: uuid('recorded_by_agency').notNull(),
  },
  (t) => [index('sharing_restriction_person_idx').on(t.personId), index('sharing_restriction_entry_idx').on(t.entryId)],
);

export const sharingRestrictionEnd = pgTable('sharing_restriction_end', {
  restrictionId: uuid('restriction_id').primaryKey(),
  endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
  endedBy: uuid('ended_by').notNull(),
  reason: text('reason').notNull(),
});

/** CON-4: sharing without consent, on a lawful basis, decided by a team manager or above, until its review. */
export const sharingException = pgTable(
  'sharing_exception',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    lawfulBasis: text('lawful_basis').notNull(),
    justification: text('justification').notNull(),
    categories: text('categories').array().notNull(),
    agencyIds: uuid('agency_ids').array().notNull(),
    checklist: jsonb('checklist').notNull(),
    decidedBy: uuid('decided_by').notNull(),
    decidedByAgency: uuid('decided_by_agency').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    reviewDate: date('review_date').notNull(),
    personInformed: text('person_informed').notNull(),
  },
  (t) => [index('sharing_exception_person_idx').on(t.personId)],
);

export const sharingExceptionEnd = pgTable('sharing_exception_end', {
  exceptionId: uuid('exception_id').primaryKey(),
  endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
  endedBy: uuid('ended_by').notNull(),
  reason: text('reason').notNull(),
});

/** Time-limited access to a record with no relationship, for a stated reason; it raises an alert. */
export const breakGlass = pgTable(
  'break_glass',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    userId: uuid('user_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    reasonCode: text('reason_code').notNull(),
    reasonText: text('reason_text').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('break_glass_person_user_idx').on(t.personId, t.userId, t.expiresAt), index('break_glass_user_idx').on(t.userId, t.startedAt)],
);

export const ACCESS_ALERT_KINDS = ['break_glass', 'many_records', 'role_change'] as const;
export type AccessAlertKind = (typeof ACCESS_ALERT_KINDS)[number];

/** What the auditor and Caldicott guardian must look at: break-glass use, unusual numbers of records opened. */
export const accessAlert = pgTable(
  'access_alert',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ACCESS_ALERT_KINDS }).notNull(),
    userId: uuid('user_id').notNull(),
    personId: uuid('person_id'),
    breakGlassId: uuid('break_glass_id'),
    /** For many_records: the hour counted, so several workers raise it once. */
    windowStart: timestamp('window_start', { withTimezone: true }),
    details: jsonb('details').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('access_alert_raised_idx').on(t.raisedAt), uniqueIndex('access_alert_window_key').on(t.kind, t.userId, t.windowStart)],
);

export const ALERT_OUTCOMES = ['justified', 'not_justified', 'needs_follow_up'] as const;

export const accessAlertReview = pgTable('access_alert_review', {
  alertId: uuid('alert_id').primaryKey(),
  outcome: text('outcome', { enum: ALERT_OUTCOMES }).notNull(),
  notes: text('notes').notNull(),
  reviewedBy: uuid('reviewed_by').notNull(),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }).notNull(),
});
