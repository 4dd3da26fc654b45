import type { FieldError } from '../../platform/errors.js';
import { objectOf, oneOf, textOf, type Answers, type FollowUpAnswers } from './rules.js';

/*
 * RISK-7 (handbook §23.3): escalating a concern about children that has not been acted on, step by step,
 * each step recorded with its answer. Pure.
 */


/** The handbook's ladder (§23.3): the Senior / Principal Practitioner and line manager, then the Head of Service. */
export const ESCALATION_STEPS = ['senior_and_line_manager', 'head_of_service'] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];
export const ESCALATION_STEP_NAMES: Record<EscalationStep, string> = {
  senior_and_line_manager: 'Senior / Principal Practitioner and line manager',
  head_of_service: 'Head of Service',
};
export const ESCALATION_OUTCOMES = ['progressed', 'not_progressed'] as const;
export type EscalationOutcome = (typeof ESCALATION_OUTCOMES)[number];

export type LadderEvent = { kind: 'raised' | 'answered'; step: EscalationStep; outcome: EscalationOutcome | null };
export type LadderMove = { may: 'raise' | 'answer'; step: EscalationStep } | { may: 'nothing'; reason: string };

export const ESCALATION_TEXT_MAX = 2000;
export const RAISED_WITH_MAX = 200;

/** Whether a review's answers bring the escalation ladder: a risk to children, or children about the home with the protocol to follow (RISK-7). */
export function ladderApplies(review: { answers: Partial<Answers>; followUps: FollowUpAnswers }): boolean {
  const answer = review.answers.risk_to_children;
  return answer === 'yes' || (answer === 'no' && review.followUps.childrenInContact === 'yes');
}

/**
 * The next step on the ladder, from the steps recorded so far (oldest first): raise with the Senior /
 * Principal Practitioner and line manager; record their answer; if they could not progress the matter,
 * raise it with the Head of Service and record that answer. Once the matter is progressed, or the Head
 * of Service has answered, the ladder is at its end.
 */
export function nextOnLadder(events: readonly LadderEvent[]): LadderMove {
  const last = events.at(-1);
  if (!last) return { may: 'raise', step: 'senior_and_line_manager' };
  if (last.kind === 'raised') return { may: 'answer', step: last.step };
  if (last.outcome === 'progressed') return { may: 'nothing', reason: 'The concern was acted on: the escalation is closed.' };
  if (last.step === 'senior_and_line_manager') return { may: 'raise', step: 'head_of_service' };
  return { may: 'nothing', reason: 'The Head of Service has answered: the handbook’s ladder ends there.' };
}

export type EscalationInput =
  | { kind: 'raised'; step: EscalationStep; raisedWith: string; text: string }
  | { kind: 'answered'; step: EscalationStep; outcome: EscalationOutcome; text: string };

/** The step the ladder allows next, as typed, or every problem with it; nothing else may be recorded. */
export function checkEscalation(events: readonly LadderEvent[], input: unknown): { step: EscalationInput } | { problems: FieldError[]; refusal?: string } {
  const move = nextOnLadder(events);
  if (move.may === 'nothing') return { problems: [], refusal: move.reason };
  const body = objectOf(input);
  const text = textOf(body.text);
  const problems: FieldError[] = [];
  const textProblem = (missing: string) => (!text ? missing : text.length > ESCALATION_TEXT_MAX ? `This must be ${ESCALATION_TEXT_MAX.toLocaleString('en-GB')} characters or fewer` : null);
  if (move.may === 'raise') {
    const raisedWith = textOf(body.raisedWith);
    if (!raisedWith) problems.push({ field: 'raisedWith', message: `Enter who you raised the concern with (${ESCALATION_STEP_NAMES[move.step]})` });
    else if (raisedWith.length > RAISED_WITH_MAX) problems.push({ field: 'raisedWith', message: `Who you raised it with must be ${RAISED_WITH_MAX} characters or fewer` });
    const problem = textProblem('Enter the concern: what has not been acted on');
    if (problem) problems.push({ field: 'text', message: problem });
    return problems.length ? { problems } : { step: { kind: 'raised', step: move.step, raisedWith, text } };
  }
  const outcome = oneOf(ESCALATION_OUTCOMES, body.outcome);
  if (!outcome) problems.push({ field: 'outcome', message: 'Select whether they progressed the matter' });
  const problem = textProblem('Enter their answer');
  if (problem) problems.push({ field: 'text', message: problem });
  return problems.length ? { problems } : { step: { kind: 'answered', step: move.step, outcome: outcome!, text } };
}
