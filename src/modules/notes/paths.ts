/**
 * Every URL the notes module serves, written once. Routes register `.pattern`; handlers and templates
 * call the builder with the ids in order, e.g. `notesPaths.correction(personId, noteId)`.
 */
import { path, withQuery } from '../../platform/http/paths.js';
import { recordPaths } from '../people/paths.js';

const restrictionNew = path('/people/:personId/sharing/restrictions/new');

export const notesPaths = {
  notes: recordPaths.notes,
  /** The notes, showing one category only. */
  notesIn: (personId: string, category: string | null) => withQuery(recordPaths.notes(personId), { category }),
  /** One note in the list (each note's element has this id). */
  note: (personId: string, noteId: string) => `${recordPaths.notes(personId)}#note-${noteId}`,
  noteNew: path('/people/:personId/notes/new'),
  correction: path('/people/:personId/notes/:noteId/correction'),
};

export const notesApiPaths = {
  notes: path('/api/v1/people/:personId/notes'),
  corrections: path('/api/v1/people/:personId/notes/:noteId/corrections'),
};

/** Pages other modules serve that notes link to (the sharing module owns the restriction form). */
export const linkedPaths = {
  /** CON-3: restrict who can see this note. */
  restrictNote: (personId: string, noteId: string) => withQuery(restrictionNew(personId), { entryType: 'note', entryId: noteId }),
};
