import { bigint, index, jsonb, pgTable, text, timestamp, uuid, boolean } from 'drizzle-orm/pg-core';

/** Append-only: PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE (see the migration). */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorName: text('actor_name'),
    actorAgencyId: uuid('actor_agency_id'),
    actorTeamId: uuid('actor_team_id'),
    action: text('action').notNull(),
    outcome: text('outcome', { enum: ['success', 'failure', 'denied'] }).notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    personId: uuid('person_id'),
    requestId: text('request_id'),
    sourceIp: text('source_ip'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_event_occurred_at_idx').on(t.occurredAt),
    index('audit_event_actor_idx').on(t.actorUserId, t.id),
    index('audit_event_action_idx').on(t.action, t.id),
    index('audit_event_subject_idx').on(t.subjectType, t.subjectId, t.id),
    index('audit_event_person_idx').on(t.personId, t.id),
  ],
);

/** Each run of the chain check, so auditors see when it last passed without re-reading millions of rows. */
export const auditVerification = pgTable('audit_verification', {
  id: uuid('id').primaryKey().defaultRandom(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  checkedBy: text('checked_by').notNull(),
  eventsChecked: bigint('events_checked', { mode: 'number' }).notNull(),
  intact: boolean('intact').notNull(),
  firstBrokenId: bigint('first_broken_id', { mode: 'number' }),
  problem: text('problem'),
  headHash: text('head_hash'),
});
