import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import type { Permission } from '../../platform/access/policy.js';
import { OBLIGATION_STATES } from '../../platform/clocks/obligation-rules.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import { parseOrThrow, referenceOrNotFound, wholeNumber } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { referralApiPaths as api } from './paths.js';
import * as rules from './rules.js';
import { CHANNELS, CONSENT_ANSWERS, LEVELS_OF_NEED, SOURCE_TYPES } from './schema.js';
import { risksOf } from './service.js';
import type { ReferralRow } from './store.js';

// ---- Shared by the pages and the API: which step is which, who may take it, what it records ----

const VERSION_MESSAGE = 'Send the version of the referral you are acting on, as it was when you opened it';

/** Every step names the version it was decided on, so two people acting at once cannot overwrite each other. */
export const versionInput = z.object({
  version: wholeNumber({ invalid: VERSION_MESSAGE, min: [1, VERSION_MESSAGE] }).describe('The referral’s `version` when you read it. If it has changed since, the answer is 409 REFERRALS.CHANGED'),
});

export type Command = { referralId: string; version: number };

export const referralIdOf = (request: FastifyRequest) => referenceOrNotFound((request.params as Record<string, unknown>).referralId, 'REFERRALS.NOT_FOUND');

export function commandOf(request: FastifyRequest): Command {
  const referralId = referralIdOf(request);
  return { referralId, version: parseOrThrow(versionInput, request.body ?? {}, 'REFERRALS.INVALID').version };
}

type Step = {
  permission: Permission;
  action: string;
  run: (services: Services, actor: Actor, command: Command, input: unknown) => Promise<{ referral: ReferralRow; case?: CaseOpened }>;
};
type CaseOpened = Omit<Awaited<ReturnType<Services['referrals']['allocate']>>, 'referral'>;

const asStep = (done: Promise<ReferralRow>) => done.then((referral) => ({ referral }));

/** The steps of the journey after intake, each one ReferralsService call, answering with the referral as it now is. */
export const STEPS = {
  requestInformation: { permission: 'referrals.work', action: 'referral.information_requested', run: (s, actor, c, input) => asStep(s.referrals.requestInformation(actor, c, input)) },
  answer: { permission: 'referrals.make', action: 'referral.information_received', run: (s, actor, c, input) => asStep(s.referrals.answerInformation(actor, c, input)) },
  screen: { permission: 'referrals.work', action: 'referral.screened', run: (s, actor, c, input) => asStep(s.referrals.screen(actor, c, input)) },
  contact: { permission: 'referrals.work', action: 'referral.contact_recorded', run: (s, actor, c, input) => asStep(s.referrals.recordContact(actor, c, input)) },
  eligibility: { permission: 'referrals.work', action: 'referral.eligibility_decided', run: (s, actor, c, input) => asStep(s.referrals.decideEligibility(actor, c, input)) },
  waitingList: { permission: 'referrals.allocate', action: 'referral.waiting', run: (s, actor, c) => asStep(s.referrals.placeOnWaitingList(actor, c)) },
  riskCheck: { permission: 'referrals.work', action: 'referral.risk_rechecked', run: (s, actor, c, input) => asStep(s.referrals.recordRiskCheck(actor, c, input)) },
  allocate: {
    permission: 'referrals.allocate',
    action: 'referral.allocated',
    run: async (s, actor, c, input) => {
      const { referral, ...opened } = await s.referrals.allocate(actor, c, input);
      return { referral, case: opened };
    },
  },
  withdraw: { permission: 'referrals.work', action: 'referral.withdrawn', run: (s, actor, c, input) => asStep(s.referrals.withdraw(actor, c, input)) },
  feedback: { permission: 'referrals.work', action: 'referral.feedback_given', run: (s, actor, c, input) => asStep(s.referrals.giveFeedback(actor, c, input)) },
} satisfies Record<string, Step>;
export type StepName = keyof typeof STEPS;

// ---- Shapes: requests reuse the rules' input schemas; responses are defined here ----

const id = z.uuid();
const timestamp = z.iso.datetime();
const text = z.string().nullable();
const state = z.enum(rules.REFERRAL_STATES);
const category = z.enum(rules.CATEGORIES);
const risks = z.object(Object.fromEntries(rules.RISKS.map((r) => [r, z.enum(rules.RISK_LEVELS)])) as Record<rules.Risk, z.ZodEnum<{ [K in rules.RiskLevel]: K }>>);

const newPersonBody = z
  .object({
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.string().describe('YYYY-MM-DD').optional(),
    nhsNumber: z.string().describe('10 digits with a valid check digit').optional(),
    postcode: z.string().optional(),
    addressLine1: z.string().optional(),
  })
  .describe('A person not found by search; see the people module for every field it takes');
const intakeBody = rules.intakeInput.extend({
  personId: id.optional().describe('A person found by search. Leave out to add `person` instead'),
  person: newPersonBody.optional(),
  confirmedNewPerson: z.enum(['yes']).optional().describe('Send "yes" once you have checked the possible matches a 409 REFERRALS.POSSIBLE_DUPLICATE named'),
});
const withVersion = <S extends z.ZodType>(schema: S) => z.intersection(schema, versionInput);

const status = z.object({ id, reference: z.string(), state, category: category.nullable(), version: z.number().int() });
const referrerView = status.extend({ personId: id, receivingTeamId: id, receivingAgencyId: id, receivedAt: timestamp, reason: z.string() });
const fullReferral = referrerView.extend({
  sourceType: z.enum(SOURCE_TYPES),
  referrerAgencyId: id.nullable(),
  referrerTeamId: id.nullable(),
  referrerUserId: id.nullable(),
  referrerName: z.string(),
  referrerRole: text,
  referrerOrganisation: text,
  referrerContact: text,
  channel: z.enum(CHANNELS),
  presentingNeeds: text,
  risks,
  riskNotes: text,
  consentToReferral: z.enum(CONSENT_ANSWERS),
  consentToShare: z.enum(CONSENT_ANSWERS),
  consentNotes: text,
  suggestedCategory: category.nullable(),
  categoryReason: text,
  pathway: text,
  isReReferral: z.boolean().describe('REF-7: the person’s last case at this service closed within 12 months'),
  previousCaseId: id.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
const timelineEntry = z.object({ kind: z.string(), at: timestamp, byName: z.string(), summary: z.string() });
const informationRequest = z.object({
  id,
  items: z.array(z.string()),
  question: text,
  requestedAt: timestamp,
  dueAt: timestamp,
  answeredAt: timestamp.nullable(),
  answer: text,
  answeredByName: text,
});
const receivingDetail = z.object({
  view: z.literal('receiving'),
  referral: fullReferral,
  person: z.object({ id, name: text, dateOfBirth: text, nhsNumber: text, postcode: text, addressLine1: text }),
  timeline: z.array(timelineEntry),
  informationRequests: z.array(informationRequest),
  suggestion: z.object({ category, because: z.string() }).describe('REF-3: the category the risks and source suggest, and why'),
  missing: z.array(z.string()).describe('REF-2: what the service needs that the referral does not give'),
  allowed: z.array(z.string()).describe('The steps the referral’s state allows now'),
  obligations: z.array(z.object({ id, kind: z.string(), ruleId: z.string(), title: z.string(), dueAt: timestamp, state: z.enum(OBLIGATION_STATES), late: z.boolean(), closedAt: timestamp.nullable() })),
  contacts: z.array(z.object({ id, kind: z.enum(['first_contact', 'assessment']), happenedAt: timestamp, method: z.string(), summary: z.string(), lateReason: text })),
  eligibility: z.array(z.object({ id, eligible: z.boolean(), seriousMentalIllness: z.boolean(), conditions: text, risks: z.boolean(), levelOfNeed: z.enum(LEVELS_OF_NEED), participants: z.array(z.string()), basis: z.string(), signposting: text, decidedAt: timestamp })),
  riskChecks: z.array(z.object({ id, checkedAt: timestamp, riskSummary: z.string(), expedite: z.boolean() })),
  case: z.object({ id, reference: z.string(), coordinatorUserId: id, leadAgencyId: id, state: z.string(), openedAt: timestamp }).nullable(),
});
const referrerDetail = z.object({
  view: z.literal('referrer'),
  referral: referrerView,
  person: z.object({ id, name: text }),
  timeline: z.array(timelineEntry).describe('REF-6: the steps shared with the referrer'),
  informationRequests: z.array(informationRequest),
});
const detail = z.discriminatedUnion('view', [receivingDetail, referrerDetail]).describe('The receiving service sees all of it; the referring agency sees the status and its timeline');
const allocated = status.extend({ case: z.object({ id, reference: z.string(), coordinatorUserId: id, leadAgencyId: id }) });
const candidate = z.object({ userId: id, name: z.string(), email: z.string(), openCases: z.number().int() });
const made = referrerView.extend({ personName: text });
const referralParams = z.object({ referralId: id });

// ---- Plumbing ----

// Every referral created answers 201 with its address.
const endpoint = apiEndpoints(['Referrals'], { location: (body) => api.referral(body.id) });

/** The API's answer for the referral: its risks as one object rather than four columns. */
function detailFor(seen: Awaited<ReturnType<Services['referrals']['get']>>) {
  if (!('contacts' in seen)) return seen;
  return { ...seen, referral: { ...seen.referral, risks: risksOf(seen.referral) } };
}

export function referralApi(services: Services): RouteSpec[] {
  const { referrals } = services;

  const step = (name: StepName, url: string, summary: string, body: z.ZodType | null) => {
    const { permission, action, run }: Step = STEPS[name];
    return endpoint('POST', url, permission, { action }, summary, { params: referralParams, body: body ? withVersion(body) : versionInput, response: name === 'allocate' ? allocated : status }, async (request, actor) => {
      const done = await run(services, actor, commandOf(request), request.body ?? {});
      return { ...done.referral, case: done.case };
    });
  };

  return [
    endpoint('POST', api.referrals.pattern, 'referrals.make', { action: 'referral.received' },
      'Record a referral (REF-1): to a service in your agency, from anyone; to another agency’s service, from you',
      { body: intakeBody, response: status.extend({ personId: id, suggestedCategory: category.nullable(), isReReferral: z.boolean() }), successStatus: 201 },
      (request, actor) => referrals.receive(actor, (request.body ?? {}) as Record<string, unknown>)),
    endpoint('GET', api.made.pattern, 'referrals.make', { action: 'referral.made_viewed' }, 'Referrals your agency made, newest first, with their status (REF-6)',
      { response: z.object({ referrals: z.array(made) }) },
      async (_request, actor) => ({ referrals: await referrals.referralsMade(actor) })),
    endpoint('GET', api.referral.pattern, 'referrals.make', { action: 'referral.viewed' }, 'A referral: all of it for the receiving service, its status and timeline for the referrer',
      { params: referralParams, response: detail },
      async (request, actor) => detailFor(await referrals.get(actor, referralIdOf(request)))),
    step('requestInformation', api.informationRequests.pattern, 'Ask the referrer for what is missing (REF-2); the referral waits in "information requested"', rules.informationRequestInput),
    step('answer', api.informationAnswers.pattern, 'Answer the open request for information (the referrer), or record an answer given another way', rules.informationAnswerInput),
    step('screen', api.screening.pattern, 'Screen the referral (REF-3, REF-4, REF-5): a category other than the suggested one needs a reason', rules.screeningInput),
    step('contact', api.contacts.pattern, 'Record first contact or the assessment (ELIG-1); after its deadline, with the reason for the delay', rules.contactInput),
    step('eligibility', api.eligibility.pattern, 'Record the MDT’s eligibility decision (ELIG-2, ELIG-3)', rules.eligibilityInput),
    step('waitingList', api.waitingList.pattern, 'Place an eligible person on the waiting list (WAIT-1)', null),
    step('riskCheck', api.riskChecks.pattern, 'Record a risk re-check while the person waits (WAIT-1)', rules.riskCheckInput),
    endpoint('GET', api.allocationCandidates.pattern, 'referrals.allocate', { none: 'the team’s care coordinators and their caseload counts: staff, not a person’s record' },
      'The receiving team’s care coordinators, each with their open caseload (COORD-2)',
      { params: referralParams, response: z.object({ candidates: z.array(candidate) }) },
      async (request, actor) => ({ candidates: await referrals.allocationCandidates(actor, referralIdOf(request)) })),
    endpoint('GET', api.reReferralRate.pattern, 'referrals.allocate', { none: 'a count over the team’s referrals: no person’s data' },
      'REF-7: the share of the last 12 months’ referrals to your team that were re-referrals (the person’s last case here closed within 12 months)',
      { response: z.object({ total: z.number().int().describe('Referrals received in the last 12 months'), reReferrals: z.number().int(), percent: z.number().int().describe('Re-referrals as a whole percentage of the total; 0 when there were none') }) },
      (_request, actor) => referrals.reReferralRate(actor)),
    step('allocate', api.allocation.pattern, 'Allocate one care coordinator and open the case (COORD-1 to COORD-3)', rules.allocationInput),
    step('withdraw', api.withdrawal.pattern, 'Withdraw the referral, with the reason', rules.withdrawInput),
    step('feedback', api.feedback.pattern, 'Record feedback for the referrer (REF-6)', rules.feedbackInput),
  ];
}
