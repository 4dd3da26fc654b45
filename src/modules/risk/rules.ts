import type { FieldError } from '../../platform/errors.js';
import { addWorkingDays } from '../../platform/clocks/working-days.js';

/**
 * The handbook's risk considerations (§23, RISK-2) as data: each consideration's question, asked as the
 * handbook asks it, and the guided actions each answer brings, word for word from §23 (tidied into
 * instructions). Pure: no I/O, read by rules.ts and by the pages.
 *
 * An action with a `duty` is something someone must go and do (a referral, a procedure, an assessment):
 * if it is not done by the time the review is completed it becomes an owned deadline with its rule ID.
 * An action with `when` is brought only when its follow-up question is answered Yes (a young carers
 * referral only where children care for the parent).
 */

export const ANSWERS = ['yes', 'no', 'dont_know'] as const;
export type Answer = (typeof ANSWERS)[number];
export const ANSWER_NAMES: Record<Answer, string> = { yes: 'Yes', no: 'No', dont_know: 'Don’t know' };

export const CONSIDERATION_KEYS = [
  'self_harm',
  'harm_to_others',
  'risk_to_children',
  'harm_from_others',
  'refusing_contact',
  'criminal_justice',
  'wandering_falling',
  'capacity',
] as const;
export type ConsiderationKey = (typeof CONSIDERATION_KEYS)[number];

export const FOLLOW_UP_KEYS = ['multiAgencyOnly', 'childrenInContact', 'childrenCaring', 'imcaCircumstance'] as const;
export type FollowUpKey = (typeof FOLLOW_UP_KEYS)[number];

/** A deadline an undone action starts: who must do what, under which rule, within how many working days. */
export type Duty = { kind: string; ruleId: string; title: string; withinWorkingDays: number };

export type GuidedAction = { key: string; text: string; hint?: string; duty?: Duty; when?: FollowUpKey };

export type FollowUp = {
  key: FollowUpKey;
  question: string;
  hint?: string;
  /** The consideration and the answers to it that make this question worth asking. */
  askedOf: ConsiderationKey;
  askedWhen: readonly Answer[];
};

export type Consideration = {
  key: ConsiderationKey;
  section: string;
  heading: string;
  question: string;
  actions: Partial<Record<Answer, readonly GuidedAction[]>>;
};

/*
 * How soon each duty is due. The handbook names what must be done, not by when: these are Concord's
 * defaults, shortest where someone may be harmed meanwhile (child and adult protection: the next working day).
 */
const DUTIES = {
  childProtection: { kind: 'risk.child_protection', ruleId: 'RISK-7', title: 'Follow the child protection procedures', withinWorkingDays: 1 },
  jointAssessment: { kind: 'risk.joint_assessment', ruleId: 'RISK-7', title: 'Joint assessment by children’s and adult services', withinWorkingDays: 10 },
  youngCarers: { kind: 'risk.young_carers_referral', ruleId: 'RISK-7', title: 'Referral to Young Carers', withinWorkingDays: 10 },
  adultProtection: { kind: 'risk.adult_protection_referral', ruleId: 'RISK-8', title: 'Protection of Vulnerable Adults (POVA) referral', withinWorkingDays: 1 },
  mappa: { kind: 'risk.mappa_referral', ruleId: 'RISK-6', title: 'Consider a MAPPA referral', withinWorkingDays: 5 },
  imca: { kind: 'risk.imca_referral', ruleId: 'RISK-9', title: 'Referral to the Independent Mental Capacity Advocate (IMCA)', withinWorkingDays: 5 },
  falls: { kind: 'risk.falls_assessment', ruleId: 'RISK-2', title: 'Falls risk assessment', withinWorkingDays: 10 },
} satisfies Record<string, Duty>;

const RECORD: GuidedAction = { key: 'record', text: 'Record all actions, concerns and interventions taken.' };
const RISK_CLINIC: GuidedAction = { key: 'risk_clinic', text: 'Seek any additional advice from the risk coordinator via the risk clinics.' };
const SUPERVISION: GuidedAction = { key: 'supervision', text: 'Discuss the issues in supervision.' };

/** RISK-2: "Don't know" always brings these three, whatever the consideration. */
export const DONT_KNOW_ALWAYS: readonly GuidedAction[] = [
  { key: 'ask', text: 'Ask the service user.' },
  RECORD,
  { key: 'sources', text: 'Ensure all available sources of information have been used.' },
];

const YOUNG_CARERS: GuidedAction = { key: 'young_carers', text: 'Refer to ‘Young Carers’: the children are taking on a caring role for the parent(s).', duty: DUTIES.youngCarers, when: 'childrenCaring' };
const ESCALATE_TO_HEAD = 'If they cannot progress the matter, escalate it to the Head of Service.';

export const CONSIDERATIONS: readonly Consideration[] = [
  {
    key: 'self_harm',
    section: '23.1',
    heading: 'Risk of self-harm',
    question: 'Is the individual at risk of harming themselves?',
    actions: {
      yes: [
        { key: 'pathway', text: 'Make yourself aware of the self-harm pathway.' },
        { key: 'documented', text: 'Ensure any risks are detailed in the assessment and care plan, as well as the role of the team and yourself as coordinator.' },
        { key: 'expectations', text: 'Ensure the expectations of the service user are detailed in the care plan.' },
        { key: 'unmet_needs', text: 'If identified interventions are unavailable, complete an ‘unmet needs’ form and follow up the response to it.' },
        { key: 'mdt', text: 'Ensure the MDT is fully aware of and ‘signed up’ to the care plan.' },
        { key: 'shared', text: 'Ensure the management plan is shared with all members of the care team, including the GP and voluntary sector workers.' },
        SUPERVISION,
        RISK_CLINIC,
        RECORD,
      ],
    },
  },
  {
    key: 'harm_to_others',
    section: '23.2',
    heading: 'Risk of harming other people (including sexual and domestic violence)',
    question: 'Is the individual at risk of harming others?',
    actions: {
      yes: [
        { key: 'documented', text: 'Document any risks clearly and identify the source of the information; attempt to verify it.' },
        { key: 'plan', text: 'Make the risk management plan part of the care management plan, with the overall aim of minimising risk.' },
        { key: 'expectations', text: 'Make explicit in the plan what the service user can expect from the service and what is expected of them.' },
        { key: 'mdt', text: 'Make the MDT aware of any issues or risks.' },
        SUPERVISION,
        { key: 'share', text: 'Share the information with other agencies.' },
        { key: 'mappa_referral', text: 'Give consideration to a MAPPA referral: the risks can only be managed through multi-agency cooperation.', duty: DUTIES.mappa, when: 'multiAgencyOnly' },
        { key: 'mappa_meetings', text: 'Ensure the care coordinator and / or psychiatrist are available to attend MAPPA meetings.' },
        { key: 'providers', text: 'Consider the people providing a service and how this can be done safely.' },
        RISK_CLINIC,
      ],
    },
  },
  {
    key: 'risk_to_children',
    section: '23.3',
    heading: 'Risk to children',
    question: 'Is the individual likely to pose a risk to children (own and others)?',
    actions: {
      yes: [
        { key: 'child_protection', text: 'Follow the Child Protection Procedures.', duty: DUTIES.childProtection },
        { key: 'joint_assessment', text: 'Ensure a joint assessment takes place between children’s and adult services.', duty: DUTIES.jointAssessment },
        { key: 'case_conferences', text: 'Be available for case conferences.' },
        { key: 'cp_nurse', text: 'Discuss the case with the Child Protection Nurse if further advice is needed.' },
        { key: 'managers_aware', text: 'Ensure your Senior / Principal Practitioner and line manager are aware of the issues.' },
        { key: 'escalate', text: `If you are concerned that any issue has not been acted on, escalate your concerns to your Senior / Principal Practitioner and line manager, who should follow this up on your behalf. ${ESCALATE_TO_HEAD}` },
        YOUNG_CARERS,
        RECORD,
      ],
      no: [
        {
          key: 'protocol',
          text: 'Use the ‘Meeting the Needs of Children Whose Parents have Mental Health Needs’ protocol: a joint assessment with children’s services.',
          duty: DUTIES.jointAssessment,
          when: 'childrenInContact',
        },
        { key: 'escalate', text: `If the joint assessment cannot proceed for any reason, escalate the matter to your Senior / Principal Practitioner and line manager, who should follow this up on your behalf. ${ESCALATE_TO_HEAD}`, when: 'childrenInContact' },
        YOUNG_CARERS,
        RECORD,
      ],
    },
  },
  {
    key: 'harm_from_others',
    section: '23.4',
    heading: 'Risk of harm or abuse from other people',
    question: 'Is the individual at risk of harm or abuse from others? (Includes domestic violence and sexual abuse.)',
    actions: {
      yes: [
        { key: 'pova', text: 'Follow the referral pathway for the Protection of Vulnerable Adults (POVA).', duty: DUTIES.adultProtection },
        { key: 'pova_advice', text: 'Seek advice from the POVA leads within the Trust or local authority, if needed.' },
        RECORD,
      ],
      dont_know: [
        { key: 'line_manager', text: 'Discuss with your line manager.' },
        { key: 'pova_lead', text: 'Seek advice from the POVA lead in the local authority or Trust.' },
        { key: 'disclosure', text: 'Make sure the assessment is robust enough to support the service user to make a disclosure, should they need to.' },
      ],
    },
  },
  {
    key: 'refusing_contact',
    section: '23.5',
    heading: 'Refusal to maintain contact or accept interventions',
    question: 'Does the service user refuse to maintain contact with the service or accept interventions?',
    actions: {
      yes: [
        { key: 'barrier_analysis', text: 'Complete a barrier analysis to highlight the issues.' },
        { key: 'contact_attempts', text: 'Ensure all attempts at contact are recorded.' },
        { key: 'assertive_outreach', text: 'Discuss appropriateness for Assertive Outreach. If eligible but no service is available, complete an ‘unmet needs’ form and escalate the issue.' },
        { key: 'capacity', text: 'Consider whether the service user has capacity, and record the decision.' },
        { key: 'cpa_review', text: 'Call a CPA review and consider whether discharge is appropriate or the case has to remain open.' },
        { key: 'supervision', text: 'Discuss in supervision.' },
        RISK_CLINIC,
        RECORD,
      ],
    },
  },
  {
    key: 'criminal_justice',
    section: '23.6',
    heading: 'Serious mental illness and the criminal justice system',
    question: 'Does the service user have a serious mental illness and involvement with the criminal justice system?',
    actions: {
      yes: [
        { key: 'forensic', text: 'The MDT should consider a referral for a forensic assessment.' },
        { key: 'charges', text: 'Make sure you are aware of charges and pending court dates.' },
        { key: 'mappa_referral', text: 'Discuss the appropriateness of a MAPPA referral.', duty: DUTIES.mappa },
        { key: 'cpa_review', text: 'Hold a CPA review and ensure the Police are invited.' },
        { key: 'aware', text: 'Ensure everyone involved in delivering the service is aware of the issue.' },
        RECORD,
      ],
    },
  },
  {
    key: 'wandering_falling',
    section: '23.7',
    heading: 'Risk of wandering or falling',
    question: 'Is the service user at risk of wandering or falling?',
    actions: {
      yes: [{ key: 'falls', text: 'Undertake a ‘Falls Risk’ assessment.', duty: DUTIES.falls }, { key: 'plan', text: 'Agree a Risk Management Plan.' }, RECORD],
    },
  },
  {
    key: 'capacity',
    section: '23.8',
    heading: 'Risks associated with diminished capacity',
    // Asked as the handbook asks it: here "No" is the answer that brings the actions.
    question: 'Does the service user have capacity to make their own decisions?',
    actions: {
      yes: [{ key: 'keep_reviewing', text: 'No action is required, but it is good practice to keep reviewing capacity issues.' }],
      no: [
        {
          key: 'imca',
          text: 'Make a referral to the Independent Mental Capacity Advocate (IMCA).',
          hint: '‘Advocacy Experience’ provides the IMCA service for Conwy and Denbighshire; referral forms are on www.advocacyexperience.com (0844 800 2776).',
          duty: DUTIES.imca,
          when: 'imcaCircumstance',
        },
      ],
    },
  },
];

export const FOLLOW_UPS: readonly FollowUp[] = [
  { key: 'multiAgencyOnly', question: 'Do you believe the risks can only be managed through multi-agency cooperation?', hint: 'If so, a MAPPA referral should be considered (RISK-6).', askedOf: 'harm_to_others', askedWhen: ['yes'] },
  {
    key: 'childrenInContact',
    question: 'Are children present in the home, or does the service user have contact rights or access to children on a regular basis?',
    askedOf: 'risk_to_children',
    askedWhen: ['no'],
  },
  { key: 'childrenCaring', question: 'Are any children taking on a caring role for the parent(s)?', hint: 'If so, a referral to ‘Young Carers’ is required (RISK-7).', askedOf: 'risk_to_children', askedWhen: ['yes', 'no'] },
  {
    key: 'imcaCircumstance',
    question: 'Is any of these proposed or true?',
    hint: 'Serious medical treatment (outside the framework of the Mental Health Act); accommodation, or a change of accommodation, in hospital for longer than 28 days or in a care home for more than eight weeks; or the service user is ‘unbefriended’ (has no one to speak for them).',
    askedOf: 'capacity',
    askedWhen: ['no'],
  },
];

// ---- A risk review: what it must hold before it can be completed ---------------------------------

/** RISK-1: the levels the handbook grades risk of harm in (§48: low, medium, high, very high). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'very_high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_NAMES: Record<RiskLevel, string> = { low: 'Low', medium: 'Medium', high: 'High', very_high: 'Very high' };

/** RISK-6: the MAPPA level (§48.6–48.9), or that the person is not managed under MAPPA. */
export const MAPPA_LEVELS = ['none', '1', '2', '3'] as const;
export type MappaLevel = (typeof MAPPA_LEVELS)[number];
export const MAPPA_LEVEL_NAMES: Record<MappaLevel, string> = {
  none: 'Not managed under MAPPA',
  '1': 'Level 1: ordinary risk management',
  '2': 'Level 2: local inter-agency risk management',
  '3': 'Level 3: Multi-Agency Public Protection Panel',
};

export const ACTION_STATUSES = ['done', 'not_done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const YES_NO = ['yes', 'no'] as const;
export type YesNo = (typeof YES_NO)[number];

export const EVIDENCE_MAX = 4000;
export const ACTION_NOTE_MAX = 1000;

export type Answers = Record<ConsiderationKey, Answer>;
export type FollowUpAnswers = Partial<Record<FollowUpKey, YesNo>>;

/** A guided action as a review brings it: `id` is `consideration.action`, unique within a review. */
export type BroughtAction = GuidedAction & { id: string; consideration: ConsiderationKey };

/** A guided action as the practitioner recorded it; `duty` is set for something someone must still go and do. */
export type RecordedAction = { id: string; consideration: ConsiderationKey; text: string; status: ActionStatus; note: string | null; duty: Duty | null };

export type CheckedReview = {
  answers: Answers;
  followUps: FollowUpAnswers;
  actions: RecordedAction[];
  level: RiskLevel;
  evidence: string;
  mappaLevel: MappaLevel;
};

export const considerationOf = (key: ConsiderationKey): Consideration => CONSIDERATIONS.find((c) => c.key === key)!;

/** The follow-up questions these answers make worth asking, in the handbook's order. */
export function followUpsFor(answers: Partial<Record<ConsiderationKey, Answer>>): FollowUp[] {
  return FOLLOW_UPS.filter((f) => {
    const answer = answers[f.askedOf];
    return answer !== undefined && f.askedWhen.includes(answer);
  });
}

/** The actions one answer brings: "Don't know" always brings asking, recording and using every source (RISK-2). */
function actionsFor(consideration: Consideration, answer: Answer): readonly GuidedAction[] {
  if (answer !== 'dont_know') return consideration.actions[answer] ?? [];
  const own = consideration.actions.dont_know ?? [];
  return [...DONT_KNOW_ALWAYS, ...own.filter((a) => !DONT_KNOW_ALWAYS.some((d) => d.key === a.key))];
}

/** The checklist these answers bring, consideration by consideration (RISK-2); an action `when` a follow-up only if it was answered Yes. */
export function guidedActions(answers: Answers, followUps: FollowUpAnswers): BroughtAction[] {
  return CONSIDERATIONS.flatMap((c) =>
    actionsFor(c, answers[c.key])
      .filter((a) => a.when === undefined || followUps[a.when] === 'yes')
      .map((a) => ({ ...a, id: `${c.key}.${a.key}`, consideration: c.key })),
  );
}

type Raw = Record<string, unknown>;
/** Readers of raw input, shared with escalation-rules.ts. */
export const objectOf = (value: unknown): Raw => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {});
export const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
export const oneOf = <T extends string>(options: readonly T[], value: unknown): T | null => {
  const text = textOf(value);
  return (options as readonly string[]).includes(text) ? (text as T) : null;
};

export const answerField = (key: ConsiderationKey) => `answers.${key}`;
export const followUpField = (key: FollowUpKey) => `followUps.${key}`;
export const actionField = (id: string) => `actions.${id}`;
export const actionNoteField = (id: string) => `actions.${id}.note`;

/** The answers to the eight considerations, and a problem for each one unanswered or not Yes, No or Don't know. */
export function readAnswers(input: unknown): { answers: Partial<Answers>; problems: FieldError[] } {
  const given = objectOf(objectOf(input).answers);
  const answers: Partial<Answers> = {};
  const problems: FieldError[] = [];
  for (const c of CONSIDERATIONS) {
    const answer = oneOf(ANSWERS, given[c.key]);
    if (answer) answers[c.key] = answer;
    else problems.push({ field: answerField(c.key), message: `Select Yes, No or Don’t know for ${c.heading.toLowerCase()}` });
  }
  return { answers, problems };
}

/** The follow-up questions these answers bring, each answered Yes or No; any other follow-up is left out. */
export function readFollowUps(input: unknown, answers: Partial<Answers>): { followUps: FollowUpAnswers; problems: FieldError[] } {
  const given = objectOf(objectOf(input).followUps);
  const followUps: FollowUpAnswers = {};
  const problems: FieldError[] = [];
  for (const f of followUpsFor(answers)) {
    const answer = oneOf(YES_NO, given[f.key]);
    if (answer) followUps[f.key] = answer;
    else problems.push({ field: followUpField(f.key), message: `Select Yes or No: ${f.question}` });
  }
  return { followUps, problems };
}

/** How far a review in progress has got: what the practitioner is asked next. */
export type ReviewStage = 'considerations' | 'follow_ups' | 'checklist';

export function stageOf(input: unknown): { stage: ReviewStage; problems: FieldError[] } {
  const read = readAnswers(input);
  if (read.problems.length) return { stage: 'considerations', problems: read.problems };
  const follow = readFollowUps(input, read.answers);
  if (follow.problems.length) return { stage: 'follow_ups', problems: follow.problems };
  return { stage: 'checklist', problems: [] };
}

function readActions(input: unknown, brought: BroughtAction[]): { actions: RecordedAction[]; problems: FieldError[] } {
  const given = objectOf(objectOf(input).actions);
  const actions: RecordedAction[] = [];
  const problems: FieldError[] = [];
  for (const action of brought) {
    const recorded = objectOf(given[action.id]);
    const status = oneOf(ACTION_STATUSES, recorded.status);
    const note = textOf(recorded.note);
    if (!status) {
      problems.push({ field: actionField(action.id), message: `Record whether this was done: ${action.text}` });
      continue;
    }
    if (note.length > ACTION_NOTE_MAX) {
      problems.push({ field: actionNoteField(action.id), message: `The note must be ${ACTION_NOTE_MAX.toLocaleString('en-GB')} characters or fewer: ${action.text}` });
      continue;
    }
    if (status === 'not_done' && !note) {
      problems.push({ field: actionNoteField(action.id), message: `Say why this was not done, or what happens next: ${action.text}` });
      continue;
    }
    actions.push({ id: action.id, consideration: action.consideration, text: action.text, status, note: note || null, duty: action.duty ?? null });
  }
  const unknown = Object.keys(given).filter((id) => !brought.some((a) => a.id === id));
  if (unknown.length) problems.push({ field: 'actions', message: `These are not guided actions for the answers given: ${unknown.join(', ')}` });
  return { actions, problems };
}

/**
 * A completed risk review (RISK-1, RISK-2, RISK-6), or every problem that stops it: a consideration
 * unanswered, a follow-up unanswered, a guided action not recorded as done or not done (with why),
 * no risk level, no evidence, no MAPPA level. Nothing partial is ever completed.
 */
export function checkReview(input: unknown): { review: CheckedReview } | { problems: FieldError[] } {
  const body = objectOf(input);
  const read = readAnswers(body);
  const follow = readFollowUps(body, read.answers);
  const problems = [...read.problems, ...follow.problems];
  const recorded = problems.length ? { actions: [], problems: [] } : readActions(body, guidedActions(read.answers as Answers, follow.followUps));
  problems.push(...recorded.problems);
  const level = oneOf(RISK_LEVELS, body.level);
  if (!level) problems.push({ field: 'level', message: 'Select the level of risk' });
  const evidence = textOf(body.evidence);
  if (!evidence) problems.push({ field: 'evidence', message: 'Enter the evidence for the level of risk' });
  else if (evidence.length > EVIDENCE_MAX) problems.push({ field: 'evidence', message: `The evidence must be ${EVIDENCE_MAX.toLocaleString('en-GB')} characters or fewer` });
  const mappaLevel = oneOf(MAPPA_LEVELS, body.mappaLevel);
  if (!mappaLevel) problems.push({ field: 'mappaLevel', message: 'Select the MAPPA level, or that the person is not managed under MAPPA' });
  if (problems.length) return { problems };
  return { review: { answers: read.answers as Answers, followUps: follow.followUps, actions: recorded.actions, level: level!, evidence, mappaLevel: mappaLevel! } };
}

/**
 * The deadlines a completed review starts: each duty whose action is not yet done, due so many working
 * days on. Two actions bringing one duty (a MAPPA referral, from harm to others and from the criminal
 * justice system) start one deadline, naming both.
 */
export function dutiesToStart(review: Pick<CheckedReview, 'actions'>, completedAt: Date): (Duty & { actionIds: string[]; dueAt: Date })[] {
  const byKind = new Map<string, Duty & { actionIds: string[]; dueAt: Date }>();
  for (const action of review.actions) {
    if (action.duty === null || action.status !== 'not_done') continue;
    const started = byKind.get(action.duty.kind);
    if (started) started.actionIds.push(action.id);
    else byKind.set(action.duty.kind, { ...action.duty, actionIds: [action.id], dueAt: addWorkingDays(completedAt, action.duty.withinWorkingDays) });
  }
  return [...byKind.values()];
}
