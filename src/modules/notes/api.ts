import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../../platform/access/policy.js';
import { INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { notesApiPaths as api } from './paths.js';
import { noteSchema } from './rules.js';

const id = z.uuid();
const timestamp = z.iso.datetime();
const category = z.enum(INFORMATION_CATEGORIES);

/** A note as written: what POST answers. */
const writtenNote = z.object({
  id,
  personId: id,
  category,
  title: z.string(),
  text: z.string(),
  happenedOn: z.iso.date().nullable().describe('When what the note describes happened, if given'),
  recordedAt: timestamp,
  authorId: id,
  authorRole: z.enum(ROLES).describe('The author’s practice role when they wrote it'),
  teamId: id,
  owningAgencyId: id.describe('The agency that wrote the note: it alone may correct it, and always sees it'),
  corrects: id.nullable().describe('For a correction: the note it corrects'),
});

const shownNote = writtenNote.extend({
  authorName: z.string(),
  teamName: z.string(),
  agencyName: z.string(),
  correctedBy: z.object({ id, recordedAt: timestamp, authorName: z.string() }).nullable().describe('The correction that supersedes this version, if any'),
  latest: z.boolean().describe('False once the note has been corrected'),
  restrictions: z
    .array(z.object({ id, scope: z.enum(['note', 'category']), parties: z.array(z.string()) }))
    .describe('Only for the agency that owns the note: restrictions in force that keep it from other parties (CON-3)'),
});

const notesList = z.object({
  notes: z.array(shownNote).describe('Newest first; only the notes your agency may see'),
  withheld: z
    .object({ noConsent: z.array(category), restricted: z.array(category) })
    .describe('Kinds of information in other agencies’ notes not shared with your agency, and why (never how many notes)'),
});

const personParams = z.object({ personId: id });
const noteParams = personParams.extend({ noteId: id });
const listQuery = z.object({ category: category.optional().describe('Only notes of this kind') });

const endpoint = apiEndpoints(['Notes']);
const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
const paramsOf = (request: FastifyRequest) => request.params as Record<string, unknown>;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).personId, 'PEOPLE.NOT_FOUND');
const noteIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).noteId, 'NOTES.NOT_FOUND');

export function notesApi(services: Services): RouteSpec[] {
  const notes = services.notes;
  const body = () => noteSchema(londonDate(services.clock.now()));
  return [
    endpoint('GET', api.notes.pattern, 'people.view', { action: 'notes.viewed' }, 'The notes on a person’s record your agency may see, newest first (NOTE-1, CON-2)',
      { params: personParams, query: listQuery, response: notesList },
      async (request, actor) => {
        const query = request.query as Record<string, unknown>;
        const listed = await notes.list(actor, personIdOf(request), { category: typeof query.category === 'string' ? query.category : null });
        return { notes: listed.notes, withheld: listed.withheld };
      }),
    endpoint('POST', api.notes.pattern, 'notes.record', { action: 'note.recorded' }, 'Write a note on a person’s record, owned by your agency and signed by you (NOTE-1)',
      { params: personParams, body: body(), response: writtenNote, successStatus: 201 },
      (request, actor) => notes.record(actor, personIdOf(request), bodyOf(request))),
    endpoint('POST', api.corrections.pattern, 'notes.record', { action: 'note.corrected' }, 'Correct a note your agency wrote: a new note linked to it; the original stays readable (NOTE-2)',
      { params: noteParams, body: body(), response: writtenNote, successStatus: 201 },
      (request, actor) => notes.correct(actor, personIdOf(request), noteIdOf(request), bodyOf(request))),
  ];
}
