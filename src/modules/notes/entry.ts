import { sql } from 'drizzle-orm';
import { canSeeItem } from '../../platform/access/person-filter.js';
import type { EntryKind } from '../../platform/records/entries.js';
import { notesPaths } from './paths.js';
import { recordNote } from './schema.js';
import { shown } from './store.js';

/** Notes as entries (NOTE-1, NOTE-2): the first kind registered, and the only one restrictable on its own so far (CON-3). */
export const noteEntries: EntryKind = {
  type: 'note',
  noun: 'note',
  table: recordNote,
  columns: {
    id: recordNote.id,
    personId: recordNote.personId,
    category: recordNote.category,
    owningAgencyId: recordNote.owningAgencyId,
    recordedAt: recordNote.recordedAt,
    title: recordNote.title,
    significant: sql`false`,
    // A correction supersedes the note it corrects: the latest of a line stands.
    current: sql`not exists (select 1 from ${recordNote} as successor where successor.corrects = ${recordNote.id})`,
  },
  visibleTo: (actor, at) => shown((note) => canSeeItem(actor, { personId: note.personId, category: note.category, owningAgencyId: note.owningAgencyId, entryId: note.id }, at)),
  restrictable: true,
  link: (personId, id) => notesPaths.note(personId, id),
};
