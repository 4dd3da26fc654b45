import { page, answer } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission } from '../../platform/access/decide.js';
import { ROLE_NAMES } from '../../platform/access/policy.js';
import { CATEGORY_NAMES, INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { refuse } from '../people/api.js';
import { dateFields, dateItems, readDateInput, STAND_IN_DATE } from '../../platform/http/date-input.js';
import { recordPaths } from '../people/paths.js';
import { linkedPaths, notesPaths as paths } from './paths.js';
import { noteSchema, TEXT_MAX, TITLE_MAX } from './rules.js';
import type { NoteShown, RecordHeading } from './service.js';

type Values = Record<string, unknown>;

const HAPPENED_ON = 'happenedOn';

const NAMES = { category: CATEGORY_NAMES, role: ROLE_NAMES };
const CATEGORY_ITEMS = INFORMATION_CATEGORIES.map((value) => ({ value, text: CATEGORY_NAMES[value] }));

const params = (request: FastifyRequest) => request.params as Values;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).personId, 'PEOPLE.NOT_FOUND');
const noteIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).noteId, 'NOTES.NOT_FOUND');
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Values;

const render = (reply: FastifyReply, view: string, record: RecordHeading, data: Values) =>
  reply.view(`notes/views/${view}.njk`, { paths, linkedPaths, recordPaths, names: NAMES, categoryItems: CATEGORY_ITEMS, titleMax: TITLE_MAX, textMax: TEXT_MAX, record, ...data });

export function notesPages(services: Services): RouteSpec[] {
  const notes = services.notes;
  const today = () => londonDate(services.clock.now());

  /** The form's fields with the date input, showing what was last typed (after a refusal) or else `defaults`. */
  const formData = (request: FastifyRequest, defaults: Values) => {
    const values = request.flash?.values ?? defaults;
    return { values, dateItems: dateItems(HAPPENED_ON, values, request.flash?.errors) };
  };

  /** The note as the service reads it: the date input's three fields become one YYYY-MM-DD. */
  const noteFrom = (request: FastifyRequest) => {
    const form = formOf(request);
    const happenedOn = readDateInput(form, HAPPENED_ON, 'The date it happened');
    if ('problem' in happenedOn) refuse('NOTES.NOTE_INVALID', [happenedOn.problem], noteSchema(today()), { ...form, happenedOn: STAND_IN_DATE });
    return { ...form, happenedOn: happenedOn.value };
  };

  return [
    page(paths.notes.pattern, { permission: 'people.view', audit: 'notes.viewed', summary: 'The notes on a person’s record that your agency may see, newest first, optionally of one kind (NOTE-1, CON-2)' }, async (request, reply) => {
      const actor = actorOf(request);
      const category = (request.query as Values).category;
      const listed = await notes.list(actor, personIdOf(request), { category: typeof category === 'string' ? category : null });
      return render(reply, 'notes', listed.record, {
        notes: listed.notes.map((note: NoteShown) => ({ ...note, href: paths.note(listed.record.id, note.id) })),
        category: listed.category,
        withheld: listed.withheld,
        canRecord: hasPermission(actor, 'notes.record'),
      });
    }),
    page(paths.noteNew.pattern, { permission: 'notes.record', audit: 'person.viewed', summary: 'Form to write a note on a person’s record' }, async (request, reply) => {
      const { record } = await notes.forNewNote(actorOf(request), personIdOf(request));
      return render(reply, 'note-form', record, { ...formData(request, {}), action: paths.noteNew(record.id) });
    }),
    answer(paths.noteNew.pattern, { permission: 'notes.record', audit: 'note.recorded', summary: 'Write a note on a person’s record, owned by your agency (NOTE-1)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const note = await notes.record(actorOf(request), personId, noteFrom(request));
      return reply.redirectWithNotice(paths.note(personId, note.id), 'Your note has been added');
    }),
    page(paths.correction.pattern, { permission: 'notes.record', audit: 'notes.viewed', summary: 'Form to correct a note your agency wrote: the correction is a new note linked to it (NOTE-2)' }, async (request, reply) => {
      const { record, note } = await notes.forCorrection(actorOf(request), personIdOf(request), noteIdOf(request));
      const defaults = { category: note.category, title: note.title, text: note.text, ...dateFields(HAPPENED_ON, note.happenedOn) };
      return render(reply, 'correction-form', record, { ...formData(request, defaults), note, action: paths.correction(record.id, note.id) });
    }),
    answer(paths.correction.pattern, { permission: 'notes.record', audit: 'note.corrected', summary: 'Correct a note your agency wrote; the original stays readable, marked as corrected (NOTE-2)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const correction = await notes.correct(actorOf(request), personId, noteIdOf(request), noteFrom(request));
      return reply.redirectWithNotice(paths.note(personId, correction.id), 'The note has been corrected');
    }),
  ];
}
