import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { INVOLVEMENT_ROLES } from '../../platform/access/schema.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import { invalid, type FieldError } from '../../platform/errors.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { fieldErrorsOf, referenceOrNotFound, wholeNumber } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { CASE_STATE_NAMES } from '../cases/rules.js';
import { peopleApiPaths as api } from './paths.js';
import { childInput, inquiryInput, personInput } from './rules.js';
import { CHILD_RELATIONSHIPS, GENDERS, INQUIRY_CHANNELS } from './schema.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';

// ---- Reading what the service's schemas do not cover, with every problem reported at once ----------

/**
 * Refuses input with these problems and, in the same answer, every other problem the service's
 * schema finds in the rest of it, in the form's order: the user fixes everything in one go.
 */
export function refuse(code: string, problems: FieldError[], schema: z.ZodType, rest: unknown): never {
  const parsed = schema.safeParse(rest);
  const named = new Set(problems.map((p) => p.field));
  const others = parsed.success ? [] : fieldErrorsOf(parsed.error).filter((e) => !named.has(e.field));
  const order = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  // Fields the schema does not know (a version, a linked person) come first; the rest in the form's order.
  throw invalid(code, [...problems, ...others].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)));
}

const VERSION_PROBLEM = 'Reload the record and make your changes again: the version of the record you changed is missing or wrong';
const versionField = wholeNumber({ invalid: VERSION_PROBLEM, min: [1, VERSION_PROBLEM] });

/** The version of the record the change was made against, so a change made since is not overwritten. */
export function readVersion(input: Record<string, unknown>): { version: number } | { problem: FieldError } {
  const parsed = versionField.safeParse(input.version ?? undefined);
  return parsed.success ? { version: parsed.data } : { problem: { field: 'version', message: VERSION_PROBLEM } };
}

const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
const personIdOf = (request: FastifyRequest) => referenceOrNotFound((request.params as Record<string, unknown>).personId, 'PEOPLE.NOT_FOUND');
const todayOf = (services: Services) => londonDate(services.clock.now());

// ---- Shapes: requests reuse the rules' input schemas; responses are defined here ----------------

const id = z.uuid();
const timestamp = z.iso.datetime();
const isoDate = z.iso.date();
const optionalText = z.string().nullable();
const CASE_STATES = Object.keys(CASE_STATE_NAMES) as [keyof typeof CASE_STATE_NAMES];

const knownTo = z.object({
  agencyId: id,
  agencyName: z.string(),
  teamName: optionalText,
  role: z.enum(INVOLVEMENT_ROLES),
  current: z.boolean().describe('False once the agency’s involvement has ended'),
  since: timestamp,
  until: timestamp.nullable(),
});
const caseAtAGlance = z.object({
  reference: z.string(),
  agencyName: z.string(),
  teamName: z.string(),
  state: z.enum(CASE_STATES),
  openedAt: timestamp,
  closedAt: timestamp.nullable(),
  coordinator: z
    .object({ name: z.string(), phone: optionalText, email: z.string(), teamName: z.string(), teamPhone: optionalText })
    .nullable()
    .describe('Who to call about the person; none once the case has closed'),
});
const searchResult = z.object({
  id,
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: isoDate.nullable(),
  postcode: optionalText,
  nhsNumberMatches: z.boolean(),
  likely: z.boolean().describe('Probably the person searched for: the NHS number matches, or the name is close and nothing contradicts it'),
  knownTo: z.array(knownTo).describe('Agencies involved with the person, current and past'),
  cases: z.array(caseAtAGlance),
  canOpenRecord: z.boolean().describe('Whether your agency may open the whole record'),
});

export const personDetails = z.object({
  id,
  givenName: z.string(),
  middleNames: optionalText,
  familyName: z.string(),
  preferredName: optionalText,
  dateOfBirth: isoDate.nullable(),
  nhsNumber: optionalText.describe('10 digits, no spaces'),
  gender: z.enum(GENDERS).nullable(),
  addressLine1: optionalText,
  addressLine2: optionalText,
  town: optionalText,
  postcode: optionalText,
  phone: optionalText,
  email: optionalText,
  communicationNeeds: optionalText,
  interpreterLanguage: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
  version: z.number().int().describe('Send it back with a change: a change made since is then refused, not overwritten'),
});
const otherName = z.object({ id, givenName: z.string(), familyName: z.string(), recordedAt: timestamp });
const child = z.object({
  id,
  childName: z.string(),
  childDateOfBirth: isoDate.nullable(),
  relationship: z.enum(CHILD_RELATIONSHIPS),
  livesWithPerson: z.boolean(),
  notes: optionalText,
  recordedAt: timestamp,
});
const personRecord = z.object({
  person: personDetails,
  otherNames: z.array(otherName),
  children: z.array(child).describe('Dependent children and children with significant contact (REC-3)'),
  knownTo: z.array(knownTo),
  cases: z.array(caseAtAGlance),
  access: z.object({ level: z.literal('record'), basis: z.string().describe('Why you can see this record') }),
});
const inquiry = z.object({
  id,
  personId: id.nullable(),
  about: z.string(),
  inquirerName: z.string(),
  inquirerOrganisation: optionalText,
  inquirerContact: optionalText,
  channel: z.enum(INQUIRY_CHANNELS),
  askedAt: timestamp,
  reason: z.string(),
  response: z.string(),
  recordedAt: timestamp,
  recordedBy: id,
  recordedByTeam: id,
});

const searchQuery = z.object({
  name: z.string().optional().describe('Any part of the name, first and last in either order; nicknames and small typos still match'),
  dateOfBirth: isoDate.optional().describe('YYYY-MM-DD'),
  nhsNumber: z.string().optional().describe('10 digits; spaces and dashes are ignored'),
  postcode: z.string().optional(),
});
const personParams = z.object({ personId: id });
const personBody = (today: string) => personInput(today).extend({ version: z.number().int().describe('The version you last read') });
const inquiryBody = inquiryInput.extend({ personId: id.optional().describe('The person the inquiry is about, when they were found by a search') });

// ---- Plumbing ---------------------------------------------------------------------------------

const endpoint = apiEndpoints(['People']);
/** The inquiry log is the agency's own note of questions asked; reading it opens no one's record. */
export const INQUIRY_LOG = { action: 'inquiry.list_viewed' };
/** Dates become ISO strings, as they go on the wire, so the answer can be checked against its schema. */


/** The record as the API sends it: the same facts as the page. */
async function recordOf(services: Services, actor: Actor, personId: string) {
  const record = await services.people.get(actor, personId);
  return { person: record.person, otherNames: record.aliases, children: record.children, knownTo: record.knownTo, cases: record.caseSummaries, access: record.access };
}

/** A linked person in an inquiry's body: a well-formed reference, or a problem named alongside any others. */
function linkedPerson(body: Record<string, unknown>): string | null {
  const value = body.personId;
  if (value === undefined || value === null || value === '') return null;
  const parsed = id.safeParse(value);
  if (parsed.success) return parsed.data.toLowerCase();
  return refuse('PEOPLE.INQUIRY_INVALID', [{ field: 'personId', message: 'The person’s reference must be the id a search gave you' }], inquiryInput, body);
}

export function peopleApi(services: Services): RouteSpec[] {
  const people = services.people;
  return [
    endpoint('GET', api.people.pattern, 'people.search', { action: 'person.searched' }, 'Is this person already known? Search by name, date of birth, NHS number or postcode (REF-8)',
      {
        query: searchQuery,
        response: z.object({
          purpose: z.enum(['known_check', 'relationship']).describe('known_check: an identifying query by a team that receives referrals, answered from everyone (REF-8); relationship: only people your agency works with'),
          people: z.array(searchResult),
        }),
      },
      async (request, actor) => {
        const { purpose, results } = await people.search(actor, request.query);
        return { purpose, people: results };
      }),
    endpoint('GET', api.person.pattern, 'people.view', { action: 'person.viewed' }, 'A person’s record, for an agency involved with them (REC-1, REC-3)',
      { params: personParams, response: personRecord },
      (request, actor) => recordOf(services, actor, personIdOf(request))),
    endpoint('PUT', api.person.pattern, 'people.record', { action: 'person.updated' }, 'Change a person’s details: send every field, and the version you last read',
      { params: personParams, body: personBody(todayOf(services)), response: personDetails },
      async (request, actor) => {
        const personId = personIdOf(request);
        const body = bodyOf(request);
        const version = readVersion(body);
        if ('problem' in version) refuse('PEOPLE.PERSON_INVALID', [version.problem], personInput(todayOf(services)), body);
        return people.update(actor, personId, body, version.version);
      }),
    endpoint('POST', api.children.pattern, 'people.record', { action: 'person.child_recorded' }, 'Record a dependent child or a child the person has significant contact with (REC-3)',
      { params: personParams, body: childInput(todayOf(services)), response: child, successStatus: 201 },
      (request, actor) => people.addChild(actor, personIdOf(request), bodyOf(request))),
    endpoint('POST', api.aliases.pattern, 'people.record', { action: 'person.alias_added' }, 'Record another name the person is or was known by',
      { params: personParams, body: personInput(todayOf(services)).pick({ givenName: true, familyName: true }), response: otherName, successStatus: 201 },
      (request, actor) => people.addAlias(actor, personIdOf(request), bodyOf(request))),
    endpoint('GET', api.inquiries.pattern, 'people.search', INQUIRY_LOG, 'Your agency’s inquiries, newest first (REC-4)',
      { response: z.object({ inquiries: z.array(inquiry) }) },
      async (_request, actor) => ({ inquiries: await people.inquiries(actor) })),
    endpoint('POST', api.inquiries.pattern, 'people.record', { action: 'inquiry.recorded' }, 'Record an inquiry about whether a person or family is known, without opening a case (REC-4)',
      { body: inquiryBody, response: inquiry, successStatus: 201 },
      (request, actor) => {
        const body = bodyOf(request);
        return people.recordInquiry(actor, body, linkedPerson(body));
      }),
  ];
}
