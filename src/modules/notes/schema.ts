import { date, index, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { ROLES } from '../../platform/access/policy.js';
import { INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';

/**
 * A note on a person's record (NOTE-1, NOTE-2): attributed to its author, their role, team and agency,
 * timestamped by the server, never changed (a trigger refuses UPDATE and DELETE). Each note has a
 * category and an owning agency, which is all the access decision needs to share or hide it (CON-2, CON-3).
 *
 * A correction is a new note pointing at the one it corrects. A note is corrected at most once, so the
 * versions form one line from the original to the latest, which supersedes the rest; `original_id`
 * names the first of the line (itself, for an original) so the whole line can be read in one query.
 * Person, agency, team and author are linked to their tables in the migration (no module imports another's tables).
 */
export const recordNote = pgTable(
  'record_note',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull(),
    category: text('category', { enum: INFORMATION_CATEGORIES }).notNull(),
    owningAgencyId: uuid('owning_agency_id').notNull(),
    teamId: uuid('team_id').notNull(),
    authorId: uuid('author_id').notNull(),
    /** The author's practice role when they wrote it (NOTE-1): roles change, the signature does not. */
    authorRole: text('author_role', { enum: ROLES }).notNull(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    /** When what the note describes happened, if not when it was written. */
    happenedOn: date('happened_on'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    corrects: uuid('corrects').references((): AnyPgColumn => recordNote.id),
    originalId: uuid('original_id').notNull(),
  },
  (t) => [
    index('record_note_person_idx').on(t.personId, t.recordedAt.desc()),
    uniqueIndex('record_note_corrects_key').on(t.corrects),
    index('record_note_original_idx').on(t.originalId),
  ],
);

export type RecordNote = typeof recordNote.$inferSelect;
