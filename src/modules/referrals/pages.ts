import { page, answer, listOf } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import { urgencyOf } from '../../platform/clocks/obligation-rules.js';
import { DomainError, notFound, type FieldError } from '../../platform/errors.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { commandOf, referralIdOf, STEPS, type StepName } from './api.js';
import { peopleLinks, referralPaths as paths } from './paths.js';
import { screeningDeadlines } from './deadline-rules.js';
import * as rules from './rules.js';
import { risksOf } from './service.js';
import type { ReferralRow } from './store.js';

// ---- Words: the names people see for the codes the service stores ----

const itemsOf = (names: Record<string, string>) => Object.entries(names).map(([value, text]) => ({ value, text }));

const LABELS = {
  states: rules.REFERRAL_STATE_NAMES,
  stateColours: {
    received: 'blue', information_requested: 'yellow', screened: 'light-blue', signposted: 'grey', assessing: 'purple',
    eligible: 'turquoise', not_eligible: 'grey', waiting: 'orange', allocated: 'green', withdrawn: 'grey',
  } satisfies Record<rules.ReferralState, string>,
  categories: { emergency: 'Emergency', urgent: 'Urgent', routine: 'Routine', inappropriate: 'Inappropriate' } satisfies Record<rules.Category, string>,
  risks: rules.RISK_NAMES,
  riskLevels: { immediate: 'Immediate', potential: 'Potential', none: 'None', unknown: 'Not known' } satisfies Record<rules.RiskLevel, string>,
  consent: { yes: 'Yes', no: 'No', not_asked: 'Not asked' },
  sources: { agency: 'Another agency', professional: 'A professional', self: 'The person themselves', family: 'Family or friends' },
  channels: { phone: 'Telephone', letter: 'Letter', email: 'Email', in_person: 'In person', electronic: 'Electronic (a referral form or system)' },
  information: rules.INFORMATION_ITEMS as Record<string, string>,
  contactKinds: { first_contact: 'First contact', assessment: 'Face-to-face assessment' },
  levelsOfNeed: { critical: 'Critical', substantial: 'Substantial', moderate: 'Moderate', low: 'Low' },
  considerations: {
    expertise: 'Expertise and experience', gender: 'Gender', persons_wishes: 'The person’s wishes', continuity: 'Continuity (someone they already know)',
    language: 'Language', caseload: 'Current caseload',
  } satisfies Record<(typeof rules.ALLOCATION_CONSIDERATIONS)[number], string>,
  events: {
    received: 'Referral received', information_requested: 'Information requested', information_received: 'Information received',
    screened: 'Screened', signposted: 'Not accepted: signposted', first_contact: 'First contact', assessment: 'Assessment',
    eligible: 'Eligible', not_eligible: 'Not eligible', waiting: 'On the waiting list', risk_rechecked: 'Risk re-checked',
    allocated: 'Allocated', withdrawn: 'Withdrawn', feedback: 'Feedback to the referrer',
  } as Record<string, string>,
};
const YES_NO = [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }];
const OPTIONS = {
  sources: itemsOf(LABELS.sources),
  channels: itemsOf(LABELS.channels),
  riskLevels: itemsOf(LABELS.riskLevels),
  consent: itemsOf(LABELS.consent),
  contactKinds: itemsOf(LABELS.contactKinds),
  levelsOfNeed: itemsOf(LABELS.levelsOfNeed),
  yesNo: YES_NO,
};

type StepPath = ((referralId: string) => string) & { pattern: string };
/** The steps the referral page offers as buttons, in the order the journey usually takes them, and when each applies. */
const STEP_PAGES: { step: StepName; path: StepPath; button: string; when: (row: ReferralRow, allowed: rules.ReferralEvent[]) => boolean }[] = [
  { step: 'requestInformation', path: paths.requestInformation, button: 'Request information', when: (_r, allowed) => allowed.includes('request_information') },
  { step: 'answer', path: paths.answer, button: 'Record information received', when: (_r, allowed) => allowed.includes('information_received') },
  { step: 'screen', path: paths.screen, button: 'Screen referral', when: (_r, allowed) => allowed.includes('screen') || allowed.includes('screen_inappropriate') },
  { step: 'contact', path: paths.contact, button: 'Record contact or assessment', when: (_r, allowed) => allowed.includes('record_contact') },
  { step: 'eligibility', path: paths.eligibility, button: 'Record eligibility decision', when: (_r, allowed) => allowed.includes('decide_eligible') },
  { step: 'waitingList', path: paths.waitingList, button: 'Place on waiting list', when: (_r, allowed) => allowed.includes('place_on_waiting_list') },
  { step: 'riskCheck', path: paths.riskCheck, button: 'Record risk check', when: (_r, allowed) => allowed.includes('recheck_risk') },
  { step: 'allocate', path: paths.allocate, button: 'Allocate care coordinator', when: (r, allowed) => allowed.includes(rules.allocationEvent(r.state, r.category)) },
  { step: 'feedback', path: paths.feedback, button: 'Give feedback to referrer', when: () => true },
  { step: 'withdraw', path: paths.withdraw, button: 'Withdraw referral', when: (_r, allowed) => allowed.includes('withdraw') },
];

// ---- Forms: the flat fields a browser sends, mapped to the service's input ----

type Form = Record<string, unknown>;
const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);
/** A text area with one entry a line. */
const linesOf = (value: unknown) => (textOf(value) ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);

/** A GOV.UK date input's boxes as YYYY-MM-DD; blank is null; anything else goes on as typed, for the service to refuse in its words. */
function dateOf(form: Form, name: string): string | null {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => (textOf(form[`${name}-${part}`]) ?? '').trim()) as [string, string, string];
  if (!day && !month && !year) return null;
  if (/^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)) return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return `${year}-${month}-${day}`;
}

const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
function londonWallClock(ms: number): number {
  const part = Object.fromEntries(LONDON.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!);
}

/** A date and a time as people in England read them ("14:30", "2:30pm", "2pm"), as the instant it was; null if it is not a real one. */
function londonInstant(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$/i.exec(time);
  if (!d || !t || (t[2] === undefined && !t[3])) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  let hour = Number(t[1]);
  const minute = Number(t[2] ?? 0);
  if (t[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (t[3].toLowerCase().startsWith('p') ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  // London is UTC or an hour ahead: take its offset near that moment, then again at the answer.
  let instant = wall - (londonWallClock(wall) - wall);
  instant = wall - (londonWallClock(instant) - instant);
  return new Date(instant);
}

/** A date input and its time box (`<name>-time`), as an ISO instant; blank is null. */
function londonDateTimeOf(form: Form, name: string): string | null {
  const date = dateOf(form, name);
  const time = (textOf(form[`${name}-time`]) ?? '').trim();
  if (date === null && !time) return null;
  return londonInstant(date ?? '', time)?.toISOString() ?? `${date ?? ''} ${time}`.trim();
}

const PERSON_FIELDS = ['givenName', 'familyName', 'nhsNumber', 'postcode', 'addressLine1'] as const;
const INTAKE_FIELDS = ['receivingTeamId', 'referrerName', 'referrerRole', 'referrerOrganisation', 'referrerContact', 'reason', 'presentingNeeds', 'riskNotes', 'consentToReferral', 'consentToShare', 'consentNotes', 'confirmedNewPerson'] as const;
/** The intake form's fields in the order the page shows them, so the error summary reads down the page. */
const INTAKE_ORDER = [
  'personId', 'person.givenName', 'person.familyName', 'person.dateOfBirth', 'person.nhsNumber', 'person.addressLine1', 'person.postcode', 'person',
  'receivingTeamId', 'sourceType', 'referrerName', 'referrerRole', 'referrerOrganisation', 'referrerContact', 'channel', 'receivedAt', 'reason', 'presentingNeeds',
  ...rules.RISKS.map((r) => `risks.${r}`), 'riskNotes', 'consentToReferral', 'consentToShare', 'consentNotes',
];

function intakeFromForm(form: Form, teams: { id: string; agencyId: string }[], actor: Actor) {
  const personId = textOf(form.personId) || undefined;
  // To another agency's service you are the referrer, sending it through Concord: the service records that, whatever was chosen.
  const team = teams.find((t) => t.id === form.receivingTeamId);
  const external = team !== undefined && team.agencyId !== actor.agencyId;
  return {
    ...Object.fromEntries(INTAKE_FIELDS.map((field) => [field, form[field]])),
    personId,
    person: personId ? undefined : { ...Object.fromEntries(PERSON_FIELDS.map((field) => [field, form[`person.${field}`]])), dateOfBirth: dateOf(form, 'person.dateOfBirth') },
    sourceType: external ? 'agency' : form.sourceType,
    channel: external ? 'electronic' : form.channel,
    receivedAt: londonDateTimeOf(form, 'receivedAt'),
    risks: Object.fromEntries(rules.RISKS.map((risk) => [risk, form[`risks.${risk}`]])),
  };
}

/** The service names the four risks as one field; the form asks them one by one, so each gets its own message. */
function intakeRefusal(error: DomainError, risks: unknown): DomainError {
  const parsed = rules.intakeInput.shape.risks.safeParse(risks);
  const each: FieldError[] = parsed.success ? [] : parsed.error.issues.map((issue) => ({ field: `risks.${String(issue.path[0])}`, message: issue.message }));
  const fields = error.fieldErrors.flatMap((f) => (f.field === 'risks' && each.length ? each : [f]));
  const place = (f: FieldError) => {
    const at = INTAKE_ORDER.indexOf(f.field);
    return at === -1 ? INTAKE_ORDER.length : at;
  };
  return new DomainError(error.code, error.message, error.kind, fields.sort((a, b) => place(a) - place(b)));
}

/** What each step's form sends, as its service input: only lists, dates and times need reading. */
function stepInputFromForm(step: StepName, form: Form): unknown {
  switch (step) {
    case 'requestInformation':
      return { ...form, items: listOf(form.items) };
    case 'contact':
      return { ...form, happenedAt: londonDateTimeOf(form, 'happenedAt') ?? undefined };
    case 'eligibility':
      return { ...form, participants: linesOf(form.participants) };
    case 'allocate':
      return { ...form, considerations: listOf(form.considerations) };
    default:
      return form;
  }
}

/** What a checkbox group shows ticked: what was sent, after a refused submission, or else these. */
const typedList = (request: FastifyRequest, name: string, otherwise: string[]) => (request.flash?.values ? listOf(request.flash.values[name]) : otherwise);

// ---- Plumbing ----

type Seen = Awaited<ReturnType<Services['referrals']['get']>>;
type Receiving = Extract<Seen, { contacts: unknown }>;

const VIEWED = { action: 'referral.viewed' };
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Form;
const render = (reply: FastifyReply, view: string, data: Record<string, unknown>) =>
  reply.view(`referrals/views/${view}.njk`, { paths, peopleLinks, labels: LABELS, options: OPTIONS, ...data });

/** The receiving team's view of a referral; anyone else is told it does not exist. */
function receiving(seen: Seen): Receiving {
  if (!('contacts' in seen)) throw notFound('REFERRALS.NOT_FOUND', 'There is no referral with that reference.');
  return seen;
}

export function referralPages(services: Services): RouteSpec[] {
  const { referrals, directory, clock } = services;

  /** The referral as this actor may see it; pages for the receiving team's steps answer "not found" to anyone else. */
  async function open(request: FastifyRequest, need: 'receiving' | 'either' = 'receiving'): Promise<Seen> {
    const seen = await referrals.get(actorOf(request), referralIdOf(request));
    return need === 'receiving' ? receiving(seen) : seen;
  }

  async function teamNames(teamIds: (string | null)[], agencyIds: (string | null)[], userIds: (string | null)[] = []) {
    const present = (ids: (string | null)[]) => ids.filter((x): x is string => Boolean(x));
    return directory.namesFor({ teamIds: present(teamIds), agencyIds: present(agencyIds), userIds: present(userIds) });
  }

  function stepsFor(actor: Actor, seen: Receiving) {
    const allowed = seen.allowed;
    return STEP_PAGES.filter((s) => hasPermission(actor, STEPS[s.step].permission) && s.when(seen.referral, allowed)).map((s) => ({
      href: s.path(seen.referral.id),
      text: s.button,
      step: s.step,
    }));
  }

  async function referralPage(request: FastifyRequest, reply: FastifyReply) {
    const actor = actorOf(request);
    const seen = await open(request, 'either');
    const row = seen.referral;
    if (!('contacts' in seen)) {
      const names = await teamNames([row.receivingTeamId], [row.receivingAgencyId]);
      const openRequest = seen.informationRequests.find((r) => !r.answeredAt) ?? null;
      return render(reply, 'referral-status', { seen, row, names, openRequest });
    }
    const full = seen.referral;
    const names = await teamNames([full.receivingTeamId, full.referrerTeamId], [full.receivingAgencyId, full.referrerAgencyId, seen.case?.leadAgencyId ?? null], [seen.case?.coordinatorUserId ?? null]);
    const now = clock.now();
    return render(reply, 'referral', {
      seen,
      row: full,
      names,
      risks: Object.entries(risksOf(full)).map(([risk, level]) => ({ name: LABELS.risks[risk as rules.Risk], level: LABELS.riskLevels[level] })),
      openRequest: seen.informationRequests.find((r) => !r.answeredAt) ?? null,
      missing: seen.missing.map((item) => rules.INFORMATION_ITEMS[item]),
      clocks: seen.obligations.map((o) => ({ ...o, urgency: urgencyOf(o, now) })),
      steps: stepsFor(actor, seen),
    });
  }

  /** A step's question (GET) and answer (POST) at one URL; success goes back to the referral with a notice. */
  function stepRoutes(
    step: StepName,
    path: StepPath,
    summary: string,
    notice: (row: ReferralRow) => string,
    extra: (request: FastifyRequest, seen: Seen) => Promise<Record<string, unknown>> = async () => ({}),
    need: 'receiving' | 'either' = 'receiving',
  ): RouteSpec[] {
    const { permission, action, run } = STEPS[step];
    return [
      page(path.pattern, { permission: permission, audit: VIEWED, summary: `Form: ${summary}` }, async (request, reply) => {
        const seen = await open(request, need);
        return render(reply, step.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), { seen, row: seen.referral, action: path(seen.referral.id), cancel: paths.referral(seen.referral.id), ...(await extra(request, seen)) });
      }),
      answer(path.pattern, { permission: permission, audit: action, summary: summary }, async (request, reply) => {
        const command = commandOf(request);
        const done = await run(services, actorOf(request), command, stepInputFromForm(step, formOf(request)));
        return reply.redirectWithNotice(paths.referral(command.referralId), notice(done.referral));
      }),
    ];
  }

  const now = () => clock.now();

  return [
    // ---- Intake (REF-1, REF-8) ----
    page(paths.intake.pattern, { permission: 'referrals.make', audit: { action: 'referral.person_viewed' }, summary: 'Form to record a referral' }, async (request, reply) => {
      const actor = actorOf(request);
      const query = request.query as Record<string, unknown>;
      // Only a person the referrer may open, or whom their search just showed them; anyone else answers as a missing person.
      const person = query.personId ? await services.people.shownToActor(actor, referenceOrNotFound(query.personId, 'PEOPLE.NOT_FOUND'), { action: 'referral.person_viewed', purpose: 'referral intake' }) : null;
      const teams = await referrals.receivingTeams(actor);
      const groups = [...new Set(teams.map((t) => t.agencyName))].map((agencyName) => ({ agencyName, teams: teams.filter((t) => t.agencyName === agencyName) }));
      const duplicate = (request.flash?.errors ?? []).some((e) => e.field === 'person') || request.flash?.values?.confirmedNewPerson === 'yes';
      return render(reply, 'intake', { person, groups, duplicate, action: person ? paths.intakeFor(person.id) : paths.intake(), risks: rules.RISKS.map((key) => ({ key, name: LABELS.risks[key] })) });
    }),
    answer(paths.intake.pattern, { permission: 'referrals.make', audit: 'referral.received', summary: 'Record a referral' }, async (request, reply) => {
      const actor = actorOf(request);
      const form = formOf(request);
      const teams = await referrals.receivingTeams(actor);
      const input = intakeFromForm(form, teams, actor);
      const row = await referrals.receive(actor, input).catch((error: unknown) => Promise.reject(error instanceof DomainError ? intakeRefusal(error, input.risks) : error));
      return reply.redirectWithNotice(paths.referral(row.id), `Referral ${row.reference} has been recorded`);
    }),

    // ---- The referrer's side of the closed loop (REF-6) ----
    page(paths.made.pattern, { permission: 'referrals.make', audit: { action: 'referral.made_viewed' }, summary: 'Referrals your agency made, with their status' }, async (request, reply) => {
      const made = await referrals.referralsMade(actorOf(request));
      const names = await teamNames(made.map((r) => r.receivingTeamId), made.map((r) => r.receivingAgencyId));
      return render(reply, 'made', { made, names });
    }),

    page(paths.referral.pattern, { permission: 'referrals.make', audit: VIEWED, summary: 'A referral: the whole of it for the receiving team, its status for the referrer' }, referralPage),

    // ---- Steps ----
    ...stepRoutes('requestInformation', paths.requestInformation, 'Ask the referrer for what is missing (REF-2)', () => 'The request for information has been sent', async (request, seen) => ({
      chosen: typedList(request, 'items', receiving(seen).missing),
      informationItems: itemsOf(LABELS.information),
    })),
    ...stepRoutes('answer', paths.answer, 'Answer a request for information', () => 'The information has been recorded', async (_request, seen) => {
      const openRequest = seen.informationRequests.find((r) => !r.answeredAt) ?? null;
      return { openRequest, asked: openRequest ? openRequest.items.map((i) => LABELS.information[i] ?? i) : [] };
    }, 'either'),
    ...stepRoutes('screen', paths.screen, 'Screen a referral (REF-3, REF-4, REF-5)', (row) => `The referral has been screened as ${LABELS.categories[row.category!].toLowerCase()}`, async (_request, seen) => {
      const { suggestion, standards, referral } = receiving(seen);
      return {
        categories: rules.CATEGORIES.map((category) => ({
          value: category,
          text: `${LABELS.categories[category]}${suggestion.category === category ? ' (suggested)' : ''}`,
          deadlines: screeningDeadlines(category, referral.receivedAt, standards),
        })),
        suggestion,
      };
    }),
    ...stepRoutes('contact', paths.contact, 'Record first contact or the assessment (ELIG-1)', () => 'The contact has been recorded', async (_request, seen) => ({
      due: receiving(seen).obligations.filter((o) => (o.kind === 'referral.first_contact' || o.kind === 'referral.assessment') && (o.state === 'open' || o.state === 'breached')).map((o) => ({ ...o, urgency: urgencyOf(o, now()) })),
    })),
    ...stepRoutes('eligibility', paths.eligibility, 'Record the MDT’s eligibility decision (ELIG-2, ELIG-3)', (row) => (row.state === 'eligible' ? 'The person is eligible: allocate a care coordinator or place them on the waiting list' : 'The decision has been recorded: the person is not eligible')),
    ...stepRoutes('waitingList', paths.waitingList, 'Place a person on the waiting list (WAIT-1)', () => 'The person is on the waiting list', async (_request, seen) => ({
      checkEvery: receiving(seen).waitingRiskCheckDays,
    })),
    ...stepRoutes('riskCheck', paths.riskCheck, 'Record a risk re-check while waiting (WAIT-1)', () => 'The risk check has been recorded'),
    ...stepRoutes('allocate', paths.allocate, 'Allocate a care coordinator and open the case (COORD-1 to COORD-3)', () => 'A care coordinator has been allocated and the case is open', async (request, seen) => {
      const actor = actorOf(request);
      const [candidates, agencies] = await Promise.all([referrals.allocationCandidates(actor, seen.referral.id), directory.listAgencies(actor)]);
      return {
        candidates: candidates.map((c) => ({ value: c.userId, text: c.name, hint: { text: `${c.openCases} open ${c.openCases === 1 ? 'case' : 'cases'}` } })),
        considerations: itemsOf(LABELS.considerations),
        chosen: typedList(request, 'considerations', []),
        agencies: agencies.filter((a) => a.active).map((a) => ({ value: a.id, text: a.name })),
        leadAgencyId: request.flash?.values?.leadAgencyId ?? seen.referral.receivingAgencyId,
      };
    }),
    ...stepRoutes('withdraw', paths.withdraw, 'Withdraw a referral', () => 'The referral has been withdrawn'),
    ...stepRoutes('feedback', paths.feedback, 'Record feedback for the referrer (REF-6)', () => 'Your feedback has been recorded: the referrer can see it'),
  ];
}
