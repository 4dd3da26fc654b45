import { page, answer, listOf } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import { CATEGORY_NAMES, INFORMATION_CATEGORIES, LAWFUL_BASIS_NAMES, PURPOSE_NAMES } from '../../platform/access/sharing-terms.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { AGENCY_TYPE_NAMES } from '../directory/rules.js';
import { dateItems, readDateInput } from '../../platform/http/date-input.js';
import { recordPaths } from '../people/paths.js';
import { sharingPaths as paths } from './paths.js';
import {
  CONSENT_STATUS_NAMES,
  EXCEPTION_CHECKLIST,
  EXCEPTION_STATUS_NAMES,
  HOW_NAMES,
  LIMITS,
  RESTRICTABLE_CATEGORIES,
  type Problem,
} from './rules.js';

type Values = Record<string, unknown>;

const VIEWED = { action: 'sharing.viewed' };

// ---- Words -----------------------------------------------------------------------------------

const itemsOf = (names: Record<string, string>, keys: readonly string[] = Object.keys(names)) => keys.map((value) => ({ value, text: names[value]! }));

const NAMES = {
  category: CATEGORY_NAMES as Record<string, string>,
  purpose: PURPOSE_NAMES as Record<string, string>,
  lawfulBasis: LAWFUL_BASIS_NAMES as Record<string, string>,
  agencyType: AGENCY_TYPE_NAMES as Record<string, string>,
  how: HOW_NAMES as Record<string, string>,
  consentStatus: CONSENT_STATUS_NAMES as Record<string, string>,
  exceptionStatus: EXCEPTION_STATUS_NAMES as Record<string, string>,
};
const COLOURS = {
  consentStatus: { given: 'green', refused: 'red', expired: 'grey', withdrawn: 'orange' } as Record<string, string>,
  exceptionStatus: { in_force: 'purple', review_passed: 'yellow', ended: 'grey' } as Record<string, string>,
};
const OPTIONS = {
  categories: itemsOf(NAMES.category, INFORMATION_CATEGORIES),
  restrictable: itemsOf(NAMES.category, RESTRICTABLE_CATEGORIES),
  purposes: itemsOf(NAMES.purpose),
  lawfulBases: itemsOf(NAMES.lawfulBasis),
  agencyTypes: itemsOf(NAMES.agencyType),
  how: itemsOf(NAMES.how),
  checklist: itemsOf(EXCEPTION_CHECKLIST),
};

// ---- Reading forms ---------------------------------------------------------------------------

const params = (request: FastifyRequest) => request.params as Values;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).personId, 'PEOPLE.NOT_FOUND');
const idOf = (request: FastifyRequest, name: string, code: string) => referenceOrNotFound(params(request)[name], code);
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Values;

/** The form with its checkbox groups as lists and its date inputs as YYYY-MM-DD, and what was wrong with those dates. */
function readForm(form: Values, lists: readonly string[], dates: readonly (readonly [field: string, label: string])[]): { input: Values; problems: Problem[] } {
  const input: Values = { ...form };
  const problems: Problem[] = [];
  for (const name of lists) input[name] = listOf(form[name]);
  for (const [field, label] of dates) {
    const read = readDateInput(form, field, label);
    if ('problem' in read) problems.push(read.problem);
    else input[field] = read.value;
  }
  return { input, problems };
}

/** The record frame's heading: the name, and how the actor came to open the record. */
const frameOf = (person: { id: string; name: string; access: { level: string; via: string; expiresAt?: Date } }) => ({
  id: person.id,
  name: person.name,
  via: person.access.via,
  expiresAt: person.access.expiresAt ?? null,
});

export function sharingPages(services: Services): RouteSpec[] {
  const { sharing, entryKinds } = services;
  // What the views say of an entry a restriction names: its kind's noun and the page that shows it.
  const entries = {
    noun: (type: string) => entryKinds.kind(type)?.noun ?? 'entry',
    link: (type: string, personId: string, id: string) => entryKinds.kind(type)?.link(personId, id) ?? recordPaths.person(personId),
  };
  const render = (reply: FastifyReply, view: string, data: Values) =>
    reply.view(`sharing/views/${view}.njk`, { paths, recordPaths, names: NAMES, colours: COLOURS, options: OPTIONS, limits: LIMITS, entries, ...data });

  /** A form page: what was typed last (after a refusal) or nothing, the ticked boxes as lists, and the date inputs. */
  const formPage = (request: FastifyRequest, reply: FastifyReply, view: string, lists: readonly string[], dates: readonly string[], data: Values) => {
    const values = request.flash?.values ?? {};
    const errors = request.flash?.errors;
    return render(reply, view, {
      ...data,
      values,
      chosen: Object.fromEntries(lists.map((name) => [name, listOf(values[name])])),
      dateItems: Object.fromEntries(dates.map((field) => [field, dateItems(field, values, errors)])),
    });
  };

  const agencyItems = (agencies: { id: string; name: string }[], except?: string) => agencies.filter((a) => a.id !== except).map((a) => ({ value: a.id, text: a.name }));

  const CONSENT = { lists: ['agencyIds', 'agencyTypes', 'categories', 'purposes'], dates: [['obtainedOn', 'The date of the decision'], ['reviewDate', 'The review date']] } as const;
  const WITHDRAWAL = { dates: [['withdrawnOn', 'The date consent was withdrawn']] } as const;
  const RESTRICTION = { lists: ['categories', 'agencyIds', 'agencyTypes'] } as const;
  const EXCEPTION = { lists: ['categories', 'agencyIds', 'checklist'], dates: [['reviewDate', 'The review date']] } as const;
  const fields = (dates: readonly (readonly [string, string])[]) => dates.map(([field]) => field);

  return [
    page(paths.sharing.pattern, { permission: 'people.view', audit: VIEWED, summary: 'Consent and sharing on a person’s record: consent decisions and their history, what refusal rules out, restrictions and sharing without consent (CON-1, CON-3, CON-4, CON-5)' }, async (request, reply) => {
      const actor = actorOf(request);
      const seen = await sharing.overview(actor, personIdOf(request));
      return render(reply, 'sharing', {
        ...seen,
        record: frameOf(seen.person),
        recordSection: 'sharing',
        current: seen.consents.filter((c) => c.decision !== 'withdrawn' && c.status !== 'withdrawn'),
        may: { record: hasPermission(actor, 'sharing.record'), decide: hasPermission(actor, 'sharing.exception') },
      });
    }),

    // ---- Consent ---------------------------------------------------------------------------------
    page(paths.consentNew.pattern, { permission: 'sharing.record', audit: VIEWED, summary: 'Form to record a consent decision: given or refused, with whom, what, for what, how and when (CON-1, CON-5)' }, async (request, reply) => {
      const { person, agencies } = await sharing.formFor(actorOf(request), personIdOf(request), 'sharing.record', 'consent');
      return formPage(request, reply, 'consent-form', CONSENT.lists, fields(CONSENT.dates), { person, agencyOptions: agencyItems(agencies) });
    }),
    answer(paths.consentNew.pattern, { permission: 'sharing.record', audit: 'consent.recorded', summary: 'Record a consent decision (CON-1); a refusal with what it rules out (CON-5)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const { input, problems } = readForm(formOf(request), CONSENT.lists, CONSENT.dates);
      const row = await sharing.recordConsent(actorOf(request), personId, input, problems);
      return reply.redirectWithNotice(paths.sharing(personId), row.decision === 'given' ? 'Consent has been recorded' : 'The refusal of consent has been recorded');
    }),
    page(paths.withdraw.pattern, { permission: 'sharing.record', audit: VIEWED, summary: 'Form to record that the person withdrew their consent (CON-1)' }, async (request, reply) => {
      const { person, consent } = await sharing.withdrawalForm(actorOf(request), personIdOf(request), idOf(request, 'consentId', 'SHARING.CONSENT_NOT_FOUND'));
      return formPage(request, reply, 'withdraw-form', [], fields(WITHDRAWAL.dates), { person, consent });
    }),
    answer(paths.withdraw.pattern, { permission: 'sharing.record', audit: 'consent.withdrawn', summary: 'Record that the person withdrew their consent; nothing more is shared under it from the next request (CON-1)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const { input, problems } = readForm(formOf(request), [], WITHDRAWAL.dates);
      await sharing.withdrawConsent(actorOf(request), personId, idOf(request, 'consentId', 'SHARING.CONSENT_NOT_FOUND'), input, problems);
      return reply.redirectWithNotice(paths.sharing(personId), 'The withdrawal of consent has been recorded. Nothing more is shared under that consent.');
    }),

    // ---- Restrictions ------------------------------------------------------------------------------
    page(paths.restrictionNew.pattern, { permission: 'sharing.record', audit: VIEWED, summary: 'Form to record that the person asked for an entry, or categories of information, not to be shared with particular parties (CON-3)' }, async (request, reply) => {
      const { person, agencies } = await sharing.formFor(actorOf(request), personIdOf(request), 'sharing.record', 'restriction');
      const query = request.query as Values;
      const entry = typeof query.entryType === 'string' && typeof query.entryId === 'string' ? { type: query.entryType, id: query.entryId } : null;
      return formPage(request, reply, 'restriction-form', RESTRICTION.lists, [], {
        person,
        entry,
        action: entry ? paths.restrictEntry(person.id, entry.type, entry.id) : paths.restrictionNew(person.id),
        agencyOptions: agencyItems(agencies),
      });
    }),
    answer(paths.restrictionNew.pattern, { permission: 'sharing.record', audit: 'restriction.recorded', summary: 'Record a restriction on sharing an entry or categories of information (CON-3)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const { input } = readForm(formOf(request), RESTRICTION.lists, []);
      await sharing.recordRestriction(actorOf(request), personId, input);
      return reply.redirectWithNotice(paths.sharing(personId), 'The restriction has been recorded. The parties named no longer see what it covers.');
    }),
    page(paths.lift.pattern, { permission: 'sharing.record', audit: VIEWED, summary: 'Form to lift a restriction your agency recorded (CON-3)' }, async (request, reply) => {
      const seen = await sharing.liftForm(actorOf(request), personIdOf(request), idOf(request, 'restrictionId', 'SHARING.RESTRICTION_NOT_FOUND'));
      return formPage(request, reply, 'lift-form', [], [], seen);
    }),
    answer(paths.lift.pattern, { permission: 'sharing.record', audit: 'restriction.lifted', summary: 'Lift a restriction your agency recorded, with the reason (CON-3)' }, async (request, reply) => {
      const personId = personIdOf(request);
      await sharing.liftRestriction(actorOf(request), personId, idOf(request, 'restrictionId', 'SHARING.RESTRICTION_NOT_FOUND'), formOf(request));
      return reply.redirectWithNotice(paths.sharing(personId), 'The restriction has been lifted');
    }),

    // ---- Sharing without consent -------------------------------------------------------------------
    page(paths.exceptionNew.pattern, { permission: 'sharing.exception', audit: VIEWED, summary: 'Form to decide to share without consent under a lawful exception, with the decision-support checklist (CON-4)' }, async (request, reply) => {
      const actor: Actor = actorOf(request);
      const { person, agencies } = await sharing.formFor(actor, personIdOf(request), 'sharing.exception', 'exception');
      return formPage(request, reply, 'exception-form', EXCEPTION.lists, fields(EXCEPTION.dates), { person, agencyOptions: agencyItems(agencies, actor.agencyId) });
    }),
    answer(paths.exceptionNew.pattern, { permission: 'sharing.exception', audit: 'exception.recorded', summary: 'Record a decision to share without consent: lawful basis, justification, scope, recipients and review (CON-4)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const { input, problems } = readForm(formOf(request), EXCEPTION.lists, EXCEPTION.dates);
      await sharing.recordException(actorOf(request), personId, input, problems);
      return reply.redirectWithNotice(paths.sharing(personId), 'The decision to share without consent has been recorded');
    }),
    page(paths.endException.pattern, { permission: 'sharing.exception', audit: VIEWED, summary: 'Form to end sharing without consent that your agency decided (CON-4)' }, async (request, reply) => {
      const seen = await sharing.endForm(actorOf(request), personIdOf(request), idOf(request, 'exceptionId', 'SHARING.EXCEPTION_NOT_FOUND'));
      return formPage(request, reply, 'end-exception-form', [], [], seen);
    }),
    answer(paths.endException.pattern, { permission: 'sharing.exception', audit: 'exception.ended', summary: 'End sharing without consent that your agency decided, with the reason (CON-4)' }, async (request, reply) => {
      const personId = personIdOf(request);
      await sharing.endException(actorOf(request), personId, idOf(request, 'exceptionId', 'SHARING.EXCEPTION_NOT_FOUND'), formOf(request));
      return reply.redirectWithNotice(paths.sharing(personId), 'Sharing without consent has ended');
    }),
  ];
}
