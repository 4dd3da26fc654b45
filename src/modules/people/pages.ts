import { page, answer } from '../../platform/http/page-kit.js';
import { dateFields, dateItems, readDateInput, STAND_IN_DATE } from '../../platform/http/date-input.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission } from '../../platform/access/decide.js';
import type { InvolvementRole } from '../../platform/access/schema.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import { DomainError, type FieldError } from '../../platform/errors.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { CASE_STATE_NAMES } from '../cases/rules.js';
import { INQUIRY_LOG, readVersion, refuse } from './api.js';
import { linkedPaths, peoplePaths as paths, recordPaths } from './paths.js';
import { GENDER_NAMES, childInput, formatNhsNumber, personInput, searchInput } from './rules.js';
import type { SearchResult } from './service.js';

const SEARCHED = { action: 'person.searched' };
const VIEWED = { action: 'person.viewed' };
const SHOWS_FORM = { none: 'shows an empty form; nothing is read or changed until it is sent' };

type Values = Record<string, unknown>;

/** Words for the codes the service answers with, shown on every page. */
const NAMES = {
  gender: GENDER_NAMES,
  caseState: CASE_STATE_NAMES as Record<string, string>,
  involvementRole: { referrer: 'Referred', receiving_service: 'Received a referral', lead_agency: 'Lead agency', partner: 'Partner agency' } satisfies Record<InvolvementRole, string>,
  relationship: { dependent: 'Dependent child', significant_contact: 'Significant contact' },
  channel: { phone: 'Telephone', letter: 'Letter', email: 'Email', in_person: 'In person', electronic: 'Electronic message' },
  askedHow: { phone: 'by telephone', letter: 'by letter', email: 'by email', in_person: 'in person', electronic: 'by electronic message' },
};

const render = (reply: FastifyReply, view: string, data: Values) => reply.view(`people/views/${view}.njk`, { paths, linkedPaths, recordPaths, names: NAMES, ...data });

const personIdOf = (request: FastifyRequest) => referenceOrNotFound((request.params as Values).personId, 'PEOPLE.NOT_FOUND');
/** The person an inquiry is about, when it was started from a search result (`?personId=`). */
const linkedPersonOf = (request: FastifyRequest) => {
  const value = (request.query as Values).personId;
  return value ? referenceOrNotFound(value, 'PEOPLE.NOT_FOUND') : null;
};
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Values;
const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const fullName = (p: { givenName: string; middleNames?: string | null; familyName: string }) => [p.givenName, p.middleNames, p.familyName].filter(Boolean).join(' ');

const problemsIn = (...reads: ({ problem: FieldError } | object)[]): FieldError[] => reads.flatMap((read) => ('problem' in read ? [read.problem as FieldError] : []));

/** Years old on `today`, both YYYY-MM-DD. */
function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

// ---- Search -----------------------------------------------------------------------------------

const SEARCH_FIELDS = ['name', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'nhsNumber', 'postcode'];

/** A search result with the links a duty worker needs: the record if they may open it, an inquiry, a referral. */
function resultView(result: SearchResult) {
  const name = `${result.givenName} ${result.familyName}`;
  return {
    ...result,
    name,
    inquiryHref: paths.inquiryAbout(result.id, name),
    referralHref: linkedPaths.referralFor(result.id),
  };
}

export function peoplePages(services: Services): RouteSpec[] {
  const people = services.people;
  const today = () => londonDate(services.clock.now());

  /** A form page showing what was last typed (after a refusal) or else `defaults`, with its date input. */
  function formPage(request: FastifyRequest, reply: FastifyReply, view: string, data: Values, defaults: Values, dateField?: string) {
    const values = request.flash?.values ?? defaults;
    return render(reply, view, { ...data, values, dateItems: dateField ? dateItems(dateField, values, request.flash?.errors) : undefined });
  }

  return [
    page(paths.search.pattern, { permission: 'people.search', audit: SEARCHED, summary: 'Is this person already known? Search by name, date of birth, NHS number and postcode (REF-8)' }, async (request, reply) => {
      const query = request.query as Values;
      // People the actor cannot open are offered emergency access when their role allows it (access-review module).
      const canBreakGlass = hasPermission(actorOf(request), 'records.break_glass');
      const show = (data: Values) => render(reply, 'search', { values: query, dateItems: dateItems('dateOfBirth', query, data.errors as FieldError[] | undefined), canBreakGlass, ...data });
      if (!SEARCH_FIELDS.some((field) => field in query)) return show({});
      const criteria = { name: textOf(query.name), nhsNumber: textOf(query.nhsNumber), postcode: textOf(query.postcode) };
      const dateOfBirth = readDateInput(query, 'dateOfBirth', 'Date of birth');
      try {
        // The form is sent with GET, so a refusal is shown here and now: there is nothing to redirect back to.
        if ('problem' in dateOfBirth) refuse('PEOPLE.SEARCH_INVALID', [dateOfBirth.problem], searchInput(today()), { ...criteria, dateOfBirth: STAND_IN_DATE });
        const actor = actorOf(request);
        const { purpose, results } = await people.search(actor, { ...criteria, dateOfBirth: dateOfBirth.value });
        // A relationship search says whether this team could have checked instead, had the query identified someone.
        const mayCheckKnown = purpose === 'relationship' && hasPermission(actor, 'referrals.work') && (await services.referrals.receivesReferrals(actor.teamId));
        return show({ searched: true, purpose, mayCheckKnown, soughtBy: criteria.nhsNumber ? 'NHS number' : 'name and date of birth', results: results.map(resultView) });
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'invalid') return show({ errors: error.fieldErrors });
        throw error;
      }
    }),

    // ---- The record ---------------------------------------------------------------------------
    page(paths.person.pattern, { permission: 'people.view', audit: VIEWED, summary: 'A person’s record: identity, contacts, children, agencies involved and cases (REC-1, REC-3)' }, async (request, reply) => {
      const actor = actorOf(request);
      const record = await people.get(actor, personIdOf(request));
      const { person } = record;
      const referrals = await services.referrals.historyFor(actor, person.id);
      const caseIds = new Map(record.cases.map((c) => [c.reference, c.id]));
      return render(reply, 'person', {
        person,
        name: fullName(person),
        age: person.dateOfBirth ? ageOn(person.dateOfBirth, today()) : null,
        nhsNumber: person.nhsNumber ? formatNhsNumber(person.nhsNumber) : null,
        address: [person.addressLine1, person.addressLine2, person.town, person.postcode].filter(Boolean),
        otherNames: record.aliases,
        children: record.children,
        knownTo: record.knownTo,
        cases: record.caseSummaries.map((c) => ({ ...c, id: caseIds.get(c.reference) })),
        referrals,
        basis: record.access.basis,
        record: { id: person.id, name: fullName(person), via: record.access.via, expiresAt: record.access.level === 'record' ? (record.access.expiresAt ?? null) : null },
      });
    }),
    page(paths.personEdit.pattern, { permission: 'people.record', audit: VIEWED, summary: 'Form to change a person’s details' }, async (request, reply) => {
      const person = await people.getForChange(actorOf(request), personIdOf(request));
      return formPage(request, reply, 'person-form', { person, name: fullName(person) }, { ...person, ...dateFields('dateOfBirth', person.dateOfBirth) }, 'dateOfBirth');
    }),
    answer(paths.personEdit.pattern, { permission: 'people.record', audit: 'person.updated', summary: 'Change a person’s details (refused if someone else changed them first)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const form = formOf(request);
      const dateOfBirth = readDateInput(form, 'dateOfBirth', 'Date of birth');
      const version = readVersion(form);
      if ('problem' in version || 'problem' in dateOfBirth) {
        refuse('PEOPLE.PERSON_INVALID', problemsIn(version, dateOfBirth), personInput(today()), { ...form, dateOfBirth: STAND_IN_DATE });
      }
      const updated = await people.update(actorOf(request), personId, { ...form, dateOfBirth: dateOfBirth.value }, version.version);
      return reply.redirectWithNotice(paths.person(personId), `${fullName(updated)}’s details have been updated`);
    }),
    page(paths.childNew.pattern, { permission: 'people.record', audit: VIEWED, summary: 'Form to record a dependent child or a child with significant contact (REC-3)' }, async (request, reply) => {
      const person = await people.getForChange(actorOf(request), personIdOf(request));
      return formPage(request, reply, 'child-form', { person, name: fullName(person) }, {}, 'childDateOfBirth');
    }),
    answer(paths.childNew.pattern, { permission: 'people.record', audit: 'person.child_recorded', summary: 'Record a dependent child or a child with significant contact (REC-3)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const form = formOf(request);
      const dateOfBirth = readDateInput(form, 'childDateOfBirth', 'The child’s date of birth');
      if ('problem' in dateOfBirth) refuse('PEOPLE.CHILD_INVALID', [dateOfBirth.problem], childInput(today()), { ...form, childDateOfBirth: STAND_IN_DATE });
      const child = await people.addChild(actorOf(request), personId, { ...form, childDateOfBirth: dateOfBirth.value });
      return reply.redirectWithNotice(paths.person(personId), `${child.childName} has been recorded`);
    }),
    page(paths.aliasNew.pattern, { permission: 'people.record', audit: VIEWED, summary: 'Form to record another name a person is or was known by' }, async (request, reply) => {
      const person = await people.getForChange(actorOf(request), personIdOf(request));
      return formPage(request, reply, 'alias-form', { person, name: fullName(person) }, {});
    }),
    answer(paths.aliasNew.pattern, { permission: 'people.record', audit: 'person.alias_added', summary: 'Record another name a person is or was known by' }, async (request, reply) => {
      const personId = personIdOf(request);
      const alias = await people.addAlias(actorOf(request), personId, formOf(request));
      return reply.redirectWithNotice(paths.person(personId), `${alias.givenName} ${alias.familyName} has been added as another name`);
    }),

    // ---- Inquiries (REC-4) ---------------------------------------------------------------------
    page(paths.inquiries.pattern, { permission: 'people.search', audit: INQUIRY_LOG, summary: 'Your agency’s inquiries about whether a person or family is known, newest first (REC-4)' }, async (request, reply) => {
      const inquiries = await people.inquiries(actorOf(request));
      const names = await services.directory.namesFor({ userIds: inquiries.map((i) => i.recordedBy), teamIds: inquiries.map((i) => i.recordedByTeam) });
      return render(reply, 'inquiries', {
        inquiries: inquiries.map((i) => ({ ...i, recordedByName: names.users.get(i.recordedBy)?.name ?? 'Unknown', recordedByTeamName: names.teams.get(i.recordedByTeam)?.name ?? null })),
      });
    }),
    page(paths.inquiryNew.pattern, { permission: 'people.record', audit: SHOWS_FORM, summary: 'Form to record an inquiry without opening a case (REC-4)' }, async (request, reply) => {
      const query = request.query as Values;
      const personId = linkedPersonOf(request);
      // What the inquiry is about may come filled in from a search result; nothing is read here.
      return formPage(request, reply, 'inquiry-form', { action: personId ? paths.inquiryAbout(personId, '') : paths.inquiryNew(), linked: personId !== null }, { about: textOf(query.about) });
    }),
    answer(paths.inquiryNew.pattern, { permission: 'people.record', audit: 'inquiry.recorded', summary: 'Record an inquiry without opening a case (REC-4)' }, async (request, reply) => {
      await people.recordInquiry(actorOf(request), formOf(request), linkedPersonOf(request));
      return reply.redirectWithNotice(paths.inquiries(), 'The inquiry has been recorded');
    }),
  ];
}
