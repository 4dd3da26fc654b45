import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

/**
 * Append-only: PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE (see the migrations).
 * Partitioned by month on occurred_at, so the key includes it. Events carry no chain fields: the
 * sealer chains them afterwards into audit_seal.
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigint('id', { mode: 'number' }).notNull().default(sql`nextval('audit_event_id_seq')`),
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
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.occurredAt] }),
    index('audit_event_occurred_at_idx').on(t.occurredAt),
    index('audit_event_actor_idx').on(t.actorUserId, t.id),
    index('audit_event_action_idx').on(t.action, t.id),
    index('audit_event_subject_idx').on(t.subjectType, t.subjectId, t.id),
    index('audit_event_person_idx').on(t.personId, t.id),
  ],
);

/** A run of sealed events with each one's hash; only ever inserted, each hashing the seal before it. */
export const auditSeal = pgTable('audit_seal', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull(),
  afterEventId: bigint('after_event_id', { mode: 'number' }).notNull(),
  throughEventId: bigint('through_event_id', { mode: 'number' }).notNull(),
  eventIds: bigint('event_ids', { mode: 'number' }).array().notNull(),
  eventHashes: text('event_hashes').array().notNull(),
  prevHead: text('prev_head').notNull(),
  headHash: text('head_hash').notNull(),
  prevSealHash: text('prev_seal_hash').notNull(),
  sealHash: text('seal_hash').notNull(),
});

/** Each run of the chain check: a checkpoint the next run starts from, hashing the checkpoint before it. */
export const auditVerification = pgTable('audit_verification', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  checkedBy: text('checked_by').notNull(),
  eventsChecked: bigint('events_checked', { mode: 'number' }).notNull(),
  intact: boolean('intact').notNull(),
  firstBrokenId: bigint('first_broken_id', { mode: 'number' }),
  problem: text('problem'),
  headHash: text('head_hash'),
  fullCheck: boolean('full_check').notNull().default(true),
  brokenCount: integer('broken_count').notNull().default(0),
  broken: jsonb('broken').$type<{ id: number; problem: string }[]>().notNull().default([]),
  throughSealId: bigint('through_seal_id', { mode: 'number' }),
  throughSealHash: text('through_seal_hash'),
  unsealedEvents: bigint('unsealed_events', { mode: 'number' }),
  oldestUnsealedAt: timestamp('oldest_unsealed_at', { withTimezone: true }),
  prevCheckpointHash: text('prev_checkpoint_hash'),
  checkpointHash: text('checkpoint_hash'),
});
