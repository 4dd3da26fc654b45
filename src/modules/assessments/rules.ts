import { z } from 'zod';
import type { InformationCategory } from '../../platform/access/sharing-terms.js';
import { endOfLondonDay, londonDate } from '../../platform/clocks/working-days.js';
import { wholeNumber } from '../../platform/input-rules.js';

/**
 * The holistic assessment (ASSESS-1 … ASSESS-5, REC-2, NOTE-3) as pure rules: its domains and the
 * information category each is shared under, what a draft may hold, when it is complete, and the clocks
 * a completed assessment starts.
 */

export const TEXT_MAX = 5_000;
export const SHORT_MAX = 500;

/** Core assessment, or the assessment for short-term work (ASSESS-5 asks for a core one if the work goes on). */
export const ASSESSMENT_KINDS = ['core', 'short_term'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];
export const ASSESSMENT_KIND_NAMES: Record<AssessmentKind, string> = {
  core: 'Core assessment',
  short_term: 'Assessment for short-term work',
};

/**
 * ASSESS-2: the sixteen domains, in the handbook's order, each with the category it is shared under,
 * so an agency sees the domains it has consent for and not the rest (CON-2).
 */
export const DOMAINS = [
  { key: 'substance_use', name: 'Substance use', category: 'substance_use' },
  { key: 'physical_health', name: 'Physical health', category: 'physical_health' },
  { key: 'childcare_parenting', name: 'Childcare and parenting', category: 'children_safeguarding' },
  { key: 'housing_household', name: 'Housing and household', category: 'housing' },
  { key: 'abuse', name: 'Abuse', category: 'adult_safeguarding' },
  { key: 'mental_health', name: 'Mental health', category: 'mental_health' },
  { key: 'love_intimacy_sex', name: 'Love, intimacy and sex', category: 'relationships_sexuality' },
  { key: 'education_training', name: 'Education and training', category: 'education_training' },
  { key: 'employment_finance', name: 'Employment and finance (benefits)', category: 'finance' },
  { key: 'spiritual', name: 'Spiritual matters', category: 'beliefs' },
  { key: 'hobbies_recreation', name: 'Hobbies and recreation', category: 'leisure' },
  { key: 'offending', name: 'Offending and criminal justice (including MAPPA)', category: 'offending' },
  { key: 'legal_status', name: 'Legal status', category: 'legal_status' },
  { key: 'adult_protection', name: 'Protection of vulnerable adults concerns', category: 'adult_safeguarding' },
  { key: 'gender_sexuality', name: 'Gender and sexuality', category: 'relationships_sexuality' },
  { key: 'risk', name: 'Risk', category: 'risk' },
] as const satisfies readonly { key: string; name: string; category: InformationCategory }[];

export type DomainKey = (typeof DOMAINS)[number]['key'];
export const DOMAIN_KEYS = DOMAINS.map((d) => d.key) as [DomainKey, ...DomainKey[]];
export const isDomainKey = (value: unknown): value is DomainKey => typeof value === 'string' && (DOMAIN_KEYS as readonly string[]).includes(value);
export const domainOf = (key: DomainKey) => DOMAINS.find((d) => d.key === key)!;
export const categoryOfDomain = (key: DomainKey): InformationCategory => domainOf(key).category;
/** The domain after this one, for "Save and continue"; null after the last. */
export const nextDomain = (key: DomainKey): DomainKey | null => DOMAIN_KEYS[DOMAIN_KEYS.indexOf(key) + 1] ?? null;

/** ASSESS-2: abuse is asked of everyone, so it cannot be left out as "not assessed". */
export const ASKED_OF_EVERYONE: readonly DomainKey[] = ['abuse'];

const text = (label: string, max = TEXT_MAX) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const optionalText = (label: string, max = TEXT_MAX) =>
  text(label, max)
    .optional()
    .nullable()
    .transform((value) => (value ? value : null));

/** ASSESS-1: the person's agreement to be assessed, and to share, or why it could not be sought. */
export const AGREEMENTS = ['agreed', 'declined', 'could_not_ask'] as const;
export type Agreement = (typeof AGREEMENTS)[number];

export const agreementSchema = z
  .object({
    kind: z.enum(ASSESSMENT_KINDS, { error: 'Select what kind of assessment this is' }),
    assessmentAgreement: z.enum(AGREEMENTS, { error: 'Select whether the person agreed to be assessed' }),
    sharingAgreement: z.enum(AGREEMENTS, { error: 'Select whether the person agreed to their information being shared' }),
    couldNotAskReason: optionalText('why their agreement could not be sought', SHORT_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.assessmentAgreement === 'declined') {
      ctx.addIssue({ code: 'custom', path: ['assessmentAgreement'], message: 'The person declined to be assessed: an assessment needs their agreement (ASSESS-1). Record what they said in a note instead' });
    }
    const couldNot = value.assessmentAgreement === 'could_not_ask' || value.sharingAgreement === 'could_not_ask';
    if (couldNot && !value.couldNotAskReason) ctx.addIssue({ code: 'custom', path: ['couldNotAskReason'], message: 'Enter why the person’s agreement could not be sought' });
  });
export type AgreementInput = z.infer<typeof agreementSchema>;

/** What is recorded of one domain (ASSESS-2, REC-2, NOTE-3). Every field is optional while it is a draft. */
export const DOMAIN_STATUSES = ['assessed', 'not_assessed'] as const;
export const domainSchema = z.object({
  status: z.enum(DOMAIN_STATUSES, { error: 'Select whether this was assessed' }).optional().nullable().transform((v) => v ?? null),
  needs: optionalText('the needs'),
  strengths: optionalText('the strengths'),
  ownWords: optionalText('the person’s own words'),
  source: optionalText('where this information came from', SHORT_MAX),
  verified: z.enum(['yes', 'no'], { error: 'Select whether the information was verified' }).optional().nullable().transform((v) => v ?? null),
  unverifiedReason: optionalText('why it could not be verified', SHORT_MAX),
  notAssessedReason: optionalText('why it was not assessed', SHORT_MAX),
});
export type DomainAnswer = z.infer<typeof domainSchema>;

export type Problem = { field: string; message: string };

const VERSION_PROBLEM = 'Reload the draft and save again: the version of the draft you changed is missing or wrong';
const versionField = wholeNumber({ invalid: VERSION_PROBLEM, min: [1, VERSION_PROBLEM] });

/** The version of the draft a save was made against, so a save made by someone since is not overwritten. */
export function readVersion(input: Record<string, unknown>): { version: number } | { problem: Problem } {
  const parsed = versionField.safeParse(input.version ?? undefined);
  return parsed.success ? { version: parsed.data } : { problem: { field: 'version', message: VERSION_PROBLEM } };
}

/** What is still missing from one domain before the assessment can be completed; none when it is answered. */
export function domainProblems(key: DomainKey, answer: DomainAnswer | undefined | null): Problem[] {
  const name = domainOf(key).name.toLowerCase();
  if (!answer?.status) {
    const message = ASKED_OF_EVERYONE.includes(key) ? 'Ask about abuse: it is asked of everyone (ASSESS-2)' : `Select whether ${name} was assessed`;
    return [{ field: 'status', message }];
  }
  if (answer.status === 'not_assessed') {
    if (ASKED_OF_EVERYONE.includes(key)) return [{ field: 'status', message: 'Abuse is asked of everyone (ASSESS-2): it cannot be left out' }];
    return answer.notAssessedReason ? [] : [{ field: 'notAssessedReason', message: `Enter why ${name} was not assessed` }];
  }
  const problems: Problem[] = [];
  if (!answer.needs && !answer.strengths) problems.push({ field: 'needs', message: `Enter the needs or the strengths for ${name}` });
  // REC-2, NOTE-3: every piece of assessment information says where it came from, and whether it was verified.
  if (!answer.source) problems.push({ field: 'source', message: 'Enter where this information came from' });
  if (!answer.verified) problems.push({ field: 'verified', message: 'Select whether the information was verified' });
  if (answer.verified === 'no' && !answer.unverifiedReason) problems.push({ field: 'unverifiedReason', message: 'Enter why it could not be verified' });
  return problems;
}

/** ASSESS-3: the outcome, the person's goals, the options, next steps and which other agencies to involve. */
export const outcomeSchema = z.object({
  goals: optionalText('the person’s goals'),
  options: optionalText('the options for support'),
  nextSteps: optionalText('the next steps'),
  agenciesToInvolve: optionalText('which other agencies to involve', SHORT_MAX),
});
export type Outcome = z.infer<typeof outcomeSchema>;

export function outcomeProblems(outcome: Outcome | null | undefined): Problem[] {
  const missing: [keyof Outcome, string][] = [
    ['goals', 'Enter the person’s goals'],
    ['options', 'Enter the options for support'],
    ['nextSteps', 'Enter the next steps'],
    ['agenciesToInvolve', 'Enter which other agencies to involve, or “None”'],
  ];
  return missing.filter(([field]) => !outcome?.[field]).map(([field, message]) => ({ field, message }));
}

export type DraftContent = { domains: Partial<Record<DomainKey, DomainAnswer>>; outcome: Outcome | null };

/** Why the draft cannot be completed yet, section by section (a field per domain, then the outcome); none when it can. */
export function completionProblems(draft: DraftContent): Problem[] {
  const problems: Problem[] = [];
  for (const { key, name } of DOMAINS) {
    const [first] = domainProblems(key, draft.domains[key]);
    if (first) problems.push({ field: `domain-${key}`, message: ASKED_OF_EVERYONE.includes(key) && first.field === 'status' ? first.message : `${name}: ${first.message.replace(/^./, (c) => c.toLowerCase())}` });
  }
  const [outcome] = outcomeProblems(draft.outcome);
  if (outcome) problems.push({ field: 'outcome', message: `Outcome: ${outcome.message.replace(/^./, (c) => c.toLowerCase())}` });
  return problems;
}

export type SectionState = 'not_started' | 'in_progress' | 'completed';
export function domainState(key: DomainKey, answer: DomainAnswer | undefined | null): SectionState {
  if (!answer || Object.values(answer).every((v) => v === null)) return 'not_started';
  return domainProblems(key, answer).length ? 'in_progress' : 'completed';
}
export function outcomeState(outcome: Outcome | null | undefined): SectionState {
  if (!outcome || Object.values(outcome).every((v) => v === null)) return 'not_started';
  return outcomeProblems(outcome).length ? 'in_progress' : 'completed';
}

/** The date `months` calendar months after an instant's London date, clamped to the month's last day (31 August + 6 = 28/29 February). */
export function addMonthsToDate(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export const REVIEW_MONTHS = 6;
export const SHORT_TERM_MONTHS = 3;

export type AssessmentClock = { kind: 'assessment.review' | 'assessment.core_needed'; ruleId: 'ASSESS-4' | 'ASSESS-5'; title: string; dueAt: Date };

/**
 * The clock a completed assessment starts: a core assessment is reviewed within six months (ASSESS-4);
 * short-term work still going after three months needs a core assessment (ASSESS-5). Both fall due at
 * the end of the London day.
 */
export function clockOnCompletion(kind: AssessmentKind, completedAt: Date): AssessmentClock {
  const completedOn = londonDate(completedAt);
  if (kind === 'core') {
    return { kind: 'assessment.review', ruleId: 'ASSESS-4', title: 'Review the core assessment', dueAt: endOfLondonDay(addMonthsToDate(completedOn, REVIEW_MONTHS)) };
  }
  return { kind: 'assessment.core_needed', ruleId: 'ASSESS-5', title: 'Complete a core assessment if the short-term work continues', dueAt: endOfLondonDay(addMonthsToDate(completedOn, SHORT_TERM_MONTHS)) };
}

/** The clocks a new assessment by the same agency settles: any core assessment answers both; a short-term one neither. */
export const CLOCKS_MET_BY: Record<AssessmentKind, AssessmentClock['kind'][]> = {
  core: ['assessment.review', 'assessment.core_needed'],
  short_term: [],
};

/**
 * ASSESS-6 (handbook 14.2–14.3): difficulty getting information from another agency or part of the
 * service goes to the supervisor, then the manager, then onward until it is resolved, and each step is
 * recorded with its answer. A step never goes back down the ladder; "onward" may be taken as often as needed.
 */
export const ESCALATION_STEPS = ['supervisor', 'manager', 'onward'] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];
export const ESCALATION_STEP_NAMES: Record<EscalationStep, string> = {
  supervisor: 'Supervisor',
  manager: 'Manager',
  onward: 'Onward (senior manager, head of service or the other agency’s management)',
};

export const escalationStepSchema = z.object({
  step: z.enum(ESCALATION_STEPS, { error: 'Select who it was taken to' }),
  escalatedTo: text('who it was taken to (name and role)', SHORT_MAX).min(1, 'Enter who it was taken to (name and role)'),
  answer: text('what they said or did', TEXT_MAX).min(1, 'Enter what they said or did'),
  resolved: z.enum(['yes', 'no'], { error: 'Select whether the information has now been obtained' }),
});
export const escalationSchema = escalationStepSchema.extend({
  heldBy: text('the agency or service that holds the information', SHORT_MAX).min(1, 'Enter the agency or service that holds the information'),
  informationSought: text('what information is needed and why', TEXT_MAX).min(1, 'Enter what information is needed and why'),
});
export type EscalationStepInput = z.infer<typeof escalationStepSchema>;

/** Why this step cannot follow the ones recorded, or null. `line` is the steps so far, oldest first. */
export function escalationStepRefusal(line: readonly { step: EscalationStep; resolved: boolean }[], step: EscalationStep): string | null {
  const last = line.at(-1);
  if (last?.resolved) return 'This difficulty is resolved: record a new one if the information is needed again';
  if (!last) return step === 'onward' ? 'Take it to a supervisor or manager first (ASSESS-6)' : null;
  const at = ESCALATION_STEPS.indexOf(last.step);
  const next = ESCALATION_STEPS.indexOf(step);
  if (next < at || (next === at && step !== 'onward')) return `It has already been taken to the ${ESCALATION_STEP_NAMES[last.step].toLowerCase()}: take it further (ASSESS-6)`;
  return null;
}
