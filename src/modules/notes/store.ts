import { and, asc, desc, eq, inArray, not, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../platform/db/database.js';
import type { InformationCategory } from '../../platform/access/sharing-terms.js';
import { recordNote, type RecordNote } from './schema.js';

/** The columns of a note (or of an alias of the table) the access condition reads. */
export type NoteColumns = Record<'id' | 'personId' | 'category' | 'owningAgencyId', AnyPgColumn>;
/** Whether the reader may see a note, as an SQL condition on its columns. */
export type Visible = (note: NoteColumns) => SQL;

/**
 * A note is shown only if every version of it is: a correction may change a note's category, and
 * a restriction on one version holds for the whole note, so a partner sees a note's whole line or
 * nothing of it, and never learns that a version it cannot see exists.
 */
export function shown(visible: Visible): SQL {
  const version = alias(recordNote, 'version');
  return and(
    visible(recordNote),
    not(sql`exists (select 1 from ${recordNote} as ${sql.identifier('version')} where ${version.originalId} = ${recordNote.originalId} and not ${visible(version)})`),
  )!;
}

export async function notesOf(db: Queryable, personId: string, visible: Visible, category: InformationCategory | null): Promise<RecordNote[]> {
  return db
    .select()
    .from(recordNote)
    .where(and(eq(recordNote.personId, personId), category ? eq(recordNote.category, category) : undefined, shown(visible)))
    .orderBy(desc(recordNote.recordedAt), desc(recordNote.id));
}

/** The note and the rest of its line, if the reader may see them; else null, as if it did not exist. */
export async function lineOf(db: Queryable, personId: string, noteId: string, visible: Visible): Promise<{ note: RecordNote; line: RecordNote[] } | null> {
  const [note] = await db.select().from(recordNote).where(and(eq(recordNote.id, noteId), eq(recordNote.personId, personId), shown(visible)));
  if (!note) return null;
  const line = await db.select().from(recordNote).where(eq(recordNote.originalId, note.originalId)).orderBy(desc(recordNote.recordedAt));
  return { note, line };
}

export async function insertNote(db: Queryable, values: typeof recordNote.$inferInsert): Promise<RecordNote> {
  const [row] = await db.insert(recordNote).values(values).returning();
  return row!;
}

/** Every version of these notes (by the id of each one's original), oldest first. */
export async function versionsOf(db: Queryable, originalIds: string[]): Promise<RecordNote[]> {
  if (originalIds.length === 0) return [];
  return db.select().from(recordNote).where(inArray(recordNote.originalId, originalIds)).orderBy(asc(recordNote.recordedAt));
}
