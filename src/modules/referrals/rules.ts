import { z } from 'zod';
import { wholeNumber } from '../../platform/input-rules.js';
import { versionField } from '../directory/rules.js';

/**
 * The referral's practice rules: screening (REF-3, REF-4), the states a referral moves through and
 * which step each allows, what each step must record, and allocation (COORD-1, COORD-2). The clocks
 * the steps start are in deadline-rules.ts. Pure: every function takes the facts it decides on.
 */

export const RISKS = ['unintentionalSelfHarm', 'intentionalSelfHarm', 'harmToOthers', 'abuseByOthers'] as const;
export type Risk = (typeof RISKS)[number];
export const RISK_NAMES: Record<Risk, string> = {
  unintentionalSelfHarm: 'Unintentional self-harm (for example self-neglect)',
  intentionalSelfHarm: 'Intentional self-harm',
  harmToOthers: 'Harm to others',
  abuseByOthers: 'Abuse by others (physical, sexual, emotional or financial)',
};

export const RISK_LEVELS = ['immediate', 'potential', 'none', 'unknown'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type RiskAnswers = Record<Risk, RiskLevel>;

export const CATEGORIES = ['emergency', 'urgent', 'routine', 'inappropriate'] as const;
export type Category = (typeof CATEGORIES)[number];

export type Suggestion = { category: Exclude<Category, 'inappropriate'>; because: string };

/**
 * REF-3: an immediate risk makes a referral an emergency; a potential risk makes it urgent, and so
 * does a source the service treats as automatically urgent. A risk nobody knows is treated as
 * potential until it is known (RISK-2: "don't know" means ask, not assume safe).
 * "Inappropriate" is never suggested: it is a practitioner's judgement, recorded with signposting.
 */
export function suggestCategory(risks: RiskAnswers, sourceIsAutomaticallyUrgent: boolean): Suggestion {
  const immediate = RISKS.filter((r) => risks[r] === 'immediate');
  if (immediate.length) return { category: 'emergency', because: `Immediate risk: ${immediate.map((r) => RISK_NAMES[r].toLowerCase()).join('; ')}` };
  const potential = RISKS.filter((r) => risks[r] === 'potential');
  if (potential.length) return { category: 'urgent', because: `Potential risk: ${potential.map((r) => RISK_NAMES[r].toLowerCase()).join('; ')}` };
  const unknown = RISKS.filter((r) => risks[r] === 'unknown');
  if (unknown.length) return { category: 'urgent', because: `Risk not known (treated as potential until it is): ${unknown.map((r) => RISK_NAMES[r].toLowerCase()).join('; ')}` };
  if (sourceIsAutomaticallyUrgent) return { category: 'urgent', because: 'Referrals from this source are automatically urgent' };
  return { category: 'routine', because: 'No immediate or potential risk' };
}

/** A category other than the one suggested needs a reason, so the decision can be understood later. */
export function categoryChoiceProblem(chosen: Category, suggested: Suggestion['category'], reason: string | null | undefined): string | null {
  if (chosen === suggested) return null;
  return (reason?.trim().length ?? 0) >= 10 ? null : `You chose ${chosen} rather than the suggested ${suggested}: give the reason (10 characters or more)`;
}

/** A problem with what was entered, named by its field so a form can show the message beside it. */
export type Problem = { field: string; message: string };

export type ScreeningDecision = { category: Category; reason: string | null; signposting: string | null; notAssessingReason: string | null };

/** Screening as "inappropriate" signposts the person elsewhere; any other category goes on to assessment. */
export function screeningEvent(category: Category): 'screen' | 'screen_inappropriate' {
  return category === 'inappropriate' ? 'screen_inappropriate' : 'screen';
}

/**
 * What a screening decision must record: the reason for departing from the suggested category
 * (REF-3), and for an inappropriate referral the advice and signposting given (REF-3) and the
 * reasons for not assessing (REF-4).
 */
export function screeningProblems(decision: ScreeningDecision, suggested: Suggestion['category']): Problem[] {
  const problems: Problem[] = [];
  const choice = categoryChoiceProblem(decision.category, suggested, decision.reason);
  if (choice) problems.push({ field: 'reason', message: `REF-3: ${choice}` });
  if (decision.category === 'inappropriate') {
    if (!decision.signposting) problems.push({ field: 'signposting', message: 'REF-3: record the advice and signposting to other services' });
    if (!decision.notAssessingReason) problems.push({ field: 'notAssessingReason', message: 'REF-4: a decision not to assess needs its reasons recorded' });
  }
  return problems;
}

// ---- States -----------------------------------------------------------------------------------

export const REFERRAL_STATES = [
  'received',
  'information_requested',
  'screened',
  'signposted',
  'assessing',
  'eligible',
  'not_eligible',
  'waiting',
  'allocated',
  'withdrawn',
] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

export const REFERRAL_STATE_NAMES: Record<ReferralState, string> = {
  received: 'Received',
  information_requested: 'Information requested',
  screened: 'Screened',
  signposted: 'Signposted (inappropriate)',
  assessing: 'Assessing',
  eligible: 'Eligible',
  not_eligible: 'Not eligible',
  waiting: 'Waiting for allocation',
  allocated: 'Allocated',
  withdrawn: 'Withdrawn',
};

export type ReferralEvent =
  | 'request_information'
  | 'information_received'
  | 'screen'
  | 'screen_inappropriate'
  | 'start_assessment'
  | 'decide_eligible'
  | 'decide_not_eligible'
  | 'place_on_waiting_list'
  | 'allocate'
  | 'allocate_urgently'
  | 'withdraw'
  | 'record_contact'
  | 'recheck_risk';

type Transition = {
  from: readonly ReferralState[];
  to: ReferralState | 'same';
  rule: string;
  /** A step that explains its own refusal, where the general "cannot be moved this way" would not. */
  refused?: { code: string; message: (from: ReferralState) => string };
};

/**
 * Each legal step, and the rule that governs it, so a refusal can name the rule. Steps that record
 * something without moving the journey on (a contact, a risk re-check) are here too, `to: 'same'`,
 * so that every step's "may it happen now?" is answered by this one table.
 */
const TRANSITIONS: Record<ReferralEvent, Transition> = {
  request_information: { from: ['received', 'screened'], to: 'information_requested', rule: 'REF-2' },
  information_received: { from: ['information_requested'], to: 'received', rule: 'REF-2' },
  screen: { from: ['received'], to: 'screened', rule: 'REF-3' },
  screen_inappropriate: { from: ['received', 'information_requested'], to: 'signposted', rule: 'REF-3' },
  start_assessment: { from: ['screened'], to: 'assessing', rule: 'ELIG-1' },
  // The first contact or assessment recorded after screening starts the assessment (ELIG-1).
  record_contact: {
    from: ['screened', 'assessing'],
    to: 'assessing',
    rule: 'ELIG-1',
    refused: { code: 'WRONG_STATE', message: (from) => `ELIG-1: contact and assessment are recorded once a referral is screened; this one is ${REFERRAL_STATE_NAMES[from].toLowerCase()}.` },
  },
  decide_eligible: { from: ['assessing'], to: 'eligible', rule: 'ELIG-2' },
  decide_not_eligible: { from: ['assessing'], to: 'not_eligible', rule: 'ELIG-3' },
  place_on_waiting_list: { from: ['eligible'], to: 'waiting', rule: 'WAIT-1' },
  recheck_risk: {
    from: ['waiting'],
    to: 'same',
    rule: 'WAIT-1',
    refused: { code: 'WRONG_STATE', message: () => 'WAIT-1: risk is re-checked while a person waits for allocation; this referral is not on the waiting list.' },
  },
  allocate: { from: ['eligible', 'waiting'], to: 'allocated', rule: 'COORD-1' },
  allocate_urgently: { from: ['screened', 'assessing'], to: 'allocated', rule: 'ELIG-2' },
  withdraw: { from: ['received', 'information_requested', 'screened', 'assessing', 'eligible', 'waiting'], to: 'withdrawn', rule: 'REF-6' },
};

/** A refusal's `code` is the rule's ID unless the step names its own (the API answers `REFERRALS.<code>`). */
export type TransitionResult = { ok: true; to: ReferralState; rule: string } | { ok: false; rule: string; code: string; message: string };

export function transition(from: ReferralState, event: ReferralEvent): TransitionResult {
  const step = TRANSITIONS[event];
  if (step.from.includes(from)) return { ok: true, to: step.to === 'same' ? from : step.to, rule: step.rule };
  if (step.refused) return { ok: false, rule: step.rule, code: step.refused.code, message: step.refused.message(from) };
  const allowed = step.from.map((s) => REFERRAL_STATE_NAMES[s].toLowerCase()).join(', ');
  return {
    ok: false,
    rule: step.rule,
    code: step.rule,
    message: `${step.rule}: a referral that is "${REFERRAL_STATE_NAMES[from].toLowerCase()}" cannot be moved this way; it must be ${allowed}.`,
  };
}

export function allowedEvents(from: ReferralState): ReferralEvent[] {
  return (Object.keys(TRANSITIONS) as ReferralEvent[]).filter((event) => TRANSITIONS[event].from.includes(from));
}

// ---- Enough information? (REF-2) ---------------------------------------------------------------

/** The things a service may require before it can decide how to proceed. */
export const INFORMATION_ITEMS = {
  reason: 'The reason for referral',
  presenting_needs: 'The presenting needs',
  risk_assessment: 'An answer for each of the four risks',
  consent: 'Whether the person agreed to the referral and to sharing',
  referrer_contact: 'How to contact the referrer',
  date_of_birth: 'The person’s date of birth',
  nhs_number: 'The person’s NHS number',
  address: 'The person’s address',
} as const;
export type InformationItem = keyof typeof INFORMATION_ITEMS;

export type IntakeFacts = {
  reason: string | null;
  presentingNeeds: string | null;
  risks: RiskAnswers;
  consentToReferral: 'yes' | 'no' | 'not_asked';
  referrerContact: string | null;
  person: { dateOfBirth: string | null; nhsNumber: string | null; postcode: string | null; addressLine1: string | null };
};

/** Which of the service's required items the referral does not yet give. */
export function missingInformation(required: readonly string[], facts: IntakeFacts): InformationItem[] {
  const has: Record<InformationItem, boolean> = {
    reason: Boolean(facts.reason?.trim()),
    presenting_needs: Boolean(facts.presentingNeeds?.trim()),
    risk_assessment: RISKS.every((r) => facts.risks[r] !== 'unknown'),
    consent: facts.consentToReferral !== 'not_asked',
    referrer_contact: Boolean(facts.referrerContact?.trim()),
    date_of_birth: Boolean(facts.person.dateOfBirth),
    nhs_number: Boolean(facts.person.nhsNumber),
    address: Boolean(facts.person.addressLine1 || facts.person.postcode),
  };
  return required.filter((item): item is InformationItem => item in has && !has[item as InformationItem]);
}

// ---- Eligibility (ELIG-2, ELIG-3) --------------------------------------------------------------

export type EligibilityFacts = {
  eligible: boolean;
  seriousMentalIllness: boolean;
  risks: boolean;
  levelOfNeed: 'critical' | 'substantial' | 'moderate' | 'low';
  participants: string[];
  signposting: string | null;
};

/**
 * The MDT decides, but its decision must be consistent with the criteria it records: eligible needs
 * an apparent serious mental illness or a risk, and functioning impaired at a critical or substantial
 * level; not eligible needs the advice or signposting given (ELIG-3). The MDT is more than one person.
 */
export function eligibilityProblems(facts: EligibilityFacts): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (facts.participants.length < 2) problems.push({ field: 'participants', message: 'ELIG-2: record at least two people who took part in the MDT decision' });
  if (facts.eligible) {
    if (!facts.seriousMentalIllness && !facts.risks) {
      problems.push({ field: 'eligible', message: 'ELIG-2: eligible needs an apparent serious mental illness or at least one risk' });
    }
    if (facts.levelOfNeed !== 'critical' && facts.levelOfNeed !== 'substantial') {
      problems.push({ field: 'levelOfNeed', message: 'ELIG-2: eligible needs functioning impaired at a critical or substantial level' });
    }
  } else if (!facts.signposting?.trim()) {
    problems.push({ field: 'signposting', message: 'ELIG-3: record the advice or signposting given to someone who is not eligible' });
  }
  return problems;
}

/** Urgent need is never held up by the MDT (handbook §15.3): emergency and urgent referrals may be allocated while still being assessed. */
export function mayAllocateBeforeMdt(category: Category | null): boolean {
  return category === 'emergency' || category === 'urgent';
}

// ---- Allocation (COORD-1, COORD-2) ---------------------------------------------------------------

/**
 * An emergency or urgent referral still being screened or assessed is allocated urgently, before the
 * MDT (handbook §15.3); every other allocation follows eligibility (COORD-1).
 */
export function allocationEvent(state: ReferralState, category: Category | null): 'allocate' | 'allocate_urgently' {
  return mayAllocateBeforeMdt(category) && (state === 'screened' || state === 'assessing') ? 'allocate_urgently' : 'allocate';
}

/** COORD-2: the allocation is the receiving team's decision, made by one of its managers. */
export function allocatorProblem(receivingTeamId: string, allocatorTeamId: string): string | null {
  return receivingTeamId === allocatorTeamId ? null : 'COORD-2: allocation is made by a manager of the receiving team.';
}

/** COORD-1: the coordinator is a named care coordinator in the receiving team, one of those offered. */
export function coordinatorProblem(careCoordinatorIds: readonly string[], chosen: string): Problem | null {
  return careCoordinatorIds.includes(chosen) ? null : { field: 'coordinatorUserId', message: 'COORD-1: select a care coordinator in this team' };
}

/** REF-7: a referral within 12 months of the person's last case at the same service closing is a re-referral. */
export function isReReferral(receivedAt: Date, lastClosedAt: Date | null): boolean {
  if (!lastClosedAt) return false;
  const yearEarlier = new Date(receivedAt);
  yearEarlier.setUTCFullYear(yearEarlier.getUTCFullYear() - 1);
  return lastClosedAt >= yearEarlier && lastClosedAt <= receivedAt;
}

// ---- Input ---------------------------------------------------------------------------------------

const required = (label: string, max: number) =>
  z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).max(max, `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`);
const optional = (label: string, max: number) =>
  z.string().trim().max(max, `${label} must be ${max} characters or fewer`).optional().nullable().transform((v) => (v ? v : null));
const riskLevel = (name: string) => z.enum(RISK_LEVELS, { error: `Select whether the risk of ${name} is immediate, potential, none or not known` });
const reference = (message: string) => z.uuid({ error: message });

export const intakeInput = z.object({
  receivingTeamId: reference('Select the service the referral is to'),
  sourceType: z.enum(['agency', 'professional', 'self', 'family'], { error: 'Select who made the referral' }),
  referrerName: optional('The referrer’s name', 120),
  referrerRole: optional('The referrer’s role', 120),
  referrerOrganisation: optional('The referrer’s organisation', 120),
  referrerContact: optional('The referrer’s contact details', 200),
  channel: z.enum(['phone', 'letter', 'email', 'in_person', 'electronic'], { error: 'Select how the referral was made' }),
  receivedAt: z.iso.datetime({ offset: true, error: 'Enter when the referral was received as a date and time' }).optional().nullable(),
  reason: required('the reason for the referral', 2000),
  presentingNeeds: optional('The presenting needs', 4000),
  risks: z.object({
    unintentionalSelfHarm: riskLevel('unintentional self-harm'),
    intentionalSelfHarm: riskLevel('intentional self-harm'),
    harmToOthers: riskLevel('harm to others'),
    abuseByOthers: riskLevel('abuse by others'),
  }, { error: 'Answer the four risk questions' }),
  riskNotes: optional('Notes about risk', 2000),
  consentToReferral: z.enum(['yes', 'no', 'not_asked'], { error: 'Select whether the person agreed to the referral' }),
  consentToShare: z.enum(['yes', 'no', 'not_asked'], { error: 'Select whether the person agreed to information being shared' }),
  consentNotes: optional('Notes about consent', 1000),
});
export type IntakeInput = z.infer<typeof intakeInput>;

export const informationRequestInput = z.object({
  items: z.array(z.enum(Object.keys(INFORMATION_ITEMS) as [InformationItem], { error: 'Select what is missing from the list' })).default([]),
  question: optional('The question', 2000),
}).refine((v) => v.items.length > 0 || v.question, { message: 'Select what is missing, or write the question to ask', path: ['items'] });

export const informationAnswerInput = z.object({ answer: required('the information given', 4000) });

export const screeningInput = z.object({
  category: z.enum(CATEGORIES, { error: 'Select emergency, urgent, routine or inappropriate' }),
  reason: optional('The reason', 2000),
  pathway: optional('The pathway', 200),
  signposting: optional('The advice and signposting', 2000),
  notAssessingReason: optional('The reason for not assessing', 2000),
});

export const contactInput = z.object({
  kind: z.enum(['first_contact', 'assessment'], { error: 'Select first contact or assessment' }),
  happenedAt: z.iso.datetime({ offset: true, error: 'Enter when it happened as a date and time' }),
  method: required('how the contact was made', 120),
  summary: required('a summary', 4000),
  lateReason: optional('The reason for the delay', 2000),
});

export const eligibilityInput = z.object({
  eligible: z.enum(['yes', 'no'], { error: 'Select whether the person is eligible' }).transform((v) => v === 'yes'),
  seriousMentalIllness: z.enum(['yes', 'no'], { error: 'Select whether there is an apparent serious mental illness' }).transform((v) => v === 'yes'),
  conditions: optional('The conditions', 1000),
  risks: z.enum(['yes', 'no'], { error: 'Select whether there are one or more risks' }).transform((v) => v === 'yes'),
  levelOfNeed: z.enum(['critical', 'substantial', 'moderate', 'low'], { error: 'Select the level of need' }),
  participants: z.array(z.string().trim().min(1).max(120)).max(20, 'Record at most 20 people').default([]),
  basis: required('the basis for the decision', 4000),
  signposting: optional('The advice and signposting', 2000),
});

export const riskCheckInput = z.object({
  riskSummary: required('the current risk', 2000),
  expedite: z.enum(['yes', 'no'], { error: 'Select whether allocation should be expedited' }).transform((v) => v === 'yes'),
});

export const ALLOCATION_CONSIDERATIONS = ['expertise', 'gender', 'persons_wishes', 'continuity', 'language', 'caseload'] as const;

export const allocationInput = z.object({
  coordinatorUserId: reference('Select a care coordinator'),
  reasons: required('the reasons for this allocation', 2000),
  considerations: z.array(z.enum(ALLOCATION_CONSIDERATIONS, { error: 'Select from the list' })).min(1, 'Select what was considered (not capacity alone)'),
  leadAgencyId: reference('Select the lead agency'),
  leadAgencyAgreed: z.enum(['yes', 'no'], { error: 'Select whether the lead agency is agreed' }).transform((v) => v === 'yes'),
});

export const withdrawInput = z.object({ reason: required('the reason the referral is withdrawn', 2000) });
export const feedbackInput = z.object({ message: required('the feedback for the referrer', 2000) });

const days = (label: string, max: number) =>
  wholeNumber({
    invalid: `Enter ${label} as a number of days`,
    notWhole: `Enter ${label} as a whole number of days`,
    min: [1, `${label[0]!.toUpperCase()}${label.slice(1)} must be at least 1 day`],
    max: [max, `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} days or fewer`],
  });

/** How a service takes referrals (REF-2, REF-3, WAIT-1): set by the team's manager, local policy differing. */
export const serviceSettingsInput = z.object({
  acceptsReferrals: z.enum(['yes', 'no'], { error: 'Select whether the service takes referrals' }).transform((v) => v === 'yes'),
  requiredInformation: z.array(z.enum(Object.keys(INFORMATION_ITEMS) as [InformationItem], { error: 'Select from the list' })).default([]),
  automaticallyUrgentAgencies: z.array(z.uuid({ error: 'Select agencies from the list' })).max(50).default([]),
  informationRequestWorkingDays: days('the time to answer a request for information', 30),
  waitingRiskCheckDays: days('the time between risk re-checks', 90),
});
export type ServiceSettingsInput = z.infer<typeof serviceSettingsInput>;

/** The version of a team's settings while it has none saved (the defaults apply): its first save makes version 1. */
export const UNSAVED_SETTINGS_VERSION = 0;
const SETTINGS_VERSION_PROBLEM = 'Reload the page and make your changes again: the version of the settings you changed is missing or wrong';

/**
 * A change to the settings names the version it was made against, so a change made since is refused,
 * not overwritten: 0 for the defaults of a team with none saved, else the saved version.
 */
export const serviceSettingsChange = serviceSettingsInput.extend({
  version: z
    .union([z.literal(UNSAVED_SETTINGS_VERSION), z.literal(String(UNSAVED_SETTINGS_VERSION)), versionField], { error: SETTINGS_VERSION_PROBLEM })
    .transform(Number)
    .describe('The settings’ `version` when you read them (0 while none are saved). If they have changed since, the answer is 409 REFERRALS.SETTINGS_CHANGED'),
});
