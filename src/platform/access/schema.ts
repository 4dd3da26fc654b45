import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
    communication: text('communication'),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    startedBy: uuid('started_by'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: text('ended_reason'),
  },
  (t) => [
    index('involvement_person_agency_idx').on(t.personId, t.agencyId).where(sql`ended_at is null`),
    index('involvement_agency_idx').on(t.agencyId, t.personId).where(sql`ended_at is null`),
    index('involvement_source_idx').on(t.sourceType, t.sourceId),
  ],
);
