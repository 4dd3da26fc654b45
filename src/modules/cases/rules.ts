import { addWorkingDays } from '../../platform/clocks/working-days.js';

/**
 * The case's lifecycle (COORD-1 to COORD-3): its states, how they read on a page, and each
 * transition as a pure decision, `(case, command, now) → { case, events }` or a refusal naming the
 * rule. The cases service turns a decision into writes; nothing here does I/O.
 */

export const CASE_STATES = ['open', 'stepping_down', 'disengaged', 'transfer_pending', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_NAMES: Record<CaseState, string> = {
  open: 'Open',
  stepping_down: 'Stepping down',
  disengaged: 'Disengaged',
  transfer_pending: 'Transfer pending',
  closed: 'Closed',
};

/** What the manager weighed when choosing the coordinator: COORD-2 asks for more than capacity alone. */
export const CONSIDERATION_NAMES: Record<string, string> = {
  expertise: 'Expertise',
  gender: 'Gender',
  persons_wishes: 'The person’s wishes',
  continuity: 'Continuity of care',
  language: 'Language',
  caseload: 'Caseload',
};

/** COORD-3: the case meeting needed when the lead agency is not agreed, within this many working days of allocation. */
export const CASE_MEETING_WITHIN_WORKING_DAYS = 10;

/** What a transition reads of a case and what it changes. */
export type CaseFacts = {
  personId: string;
  referralId: string;
  teamId: string;
  agencyId: string;
  leadAgencyId: string;
  coordinatorUserId: string;
  state: CaseState;
  openedAt: Date;
  closedAt: Date | null;
};

/** The referral hands the person over at allocation: the receiving team holds the case, with its first coordinator. */
export type OpenCase = {
  kind: 'open';
  personId: string;
  referralId: string;
  teamId: string;
  agencyId: string;
  leadAgencyId: string;
  leadAgencyAgreed: boolean;
  coordinatorUserId: string;
  reasons: string;
  considerations: readonly string[];
  by: string;
};

/** The end of the episode: the discharge journey decides when (DCH-1 to DCH-4); this records it. */
export type CloseCase = { kind: 'close'; reason: string };

export type CaseCommand = OpenCase | CloseCase;

/** What happened, in the order the service applies it. */
export type CaseEvent =
  | { type: 'coordinator_allocated'; userId: string; reasons: string; considerations: readonly string[]; by: string; at: Date }
  | { type: 'lead_agency_involved'; agencyId: string; teamId: string | null; by: string; at: Date }
  | { type: 'case_meeting_required'; rule: 'COORD-3'; title: string; ownerUserId: string; dueAt: Date; by: string }
  | { type: 'coordinator_role_ended'; at: Date }
  | { type: 'involvements_ended'; reason: string; at: Date };

export type CaseDecision = { refused: false; case: CaseFacts; events: CaseEvent[] };
export type CaseRefusal = { refused: true; rule: string; code: string; message: string };

/**
 * Each transition: the states it starts from (`null`: there is no case yet), where it leads, the
 * rule that governs it and how a refusal reads. The side states (stepping down, disengaged, transfer
 * pending) get their ways in and out with their journeys (DCH-1, DIS-1, transfers); until then only
 * closing leaves them.
 */
const TRANSITIONS: Record<CaseCommand['kind'], { from: readonly (CaseState | null)[]; to: CaseState; rule: string; refused: { code: string; message: string } }> = {
  open: { from: [null], to: 'open', rule: 'COORD-1', refused: { code: 'CASES.ALREADY_OPEN', message: 'COORD-1: a referral opens one case, and this one already has its case.' } },
  close: { from: ['open', 'stepping_down', 'disengaged', 'transfer_pending'], to: 'closed', rule: 'DCH-4', refused: { code: 'CASES.ALREADY_CLOSED', message: 'This case is already closed.' } },
};

const transitionOf = (kind: CaseCommand['kind']) => TRANSITIONS[kind];
const refuse = (rule: string, code: string, message: string): CaseRefusal => ({ refused: true, rule, code, message });

/** The commands a case in this state allows now (`null`: there is no case yet). */
export function allowedCommands(state: CaseState | null): CaseCommand['kind'][] {
  return (Object.keys(TRANSITIONS) as CaseCommand['kind'][]).filter((kind) => TRANSITIONS[kind].from.includes(state));
}

/** Decides a command against the case as it is (`null` before it opens), at `now`. */
export function decideCase(current: CaseFacts | null, command: CaseCommand, now: Date): CaseDecision | CaseRefusal {
  const { from, rule, refused } = transitionOf(command.kind);
  if (command.kind === 'close' && !current) return refuse(rule, 'CASES.NOT_FOUND', 'There is no case with that reference.');
  if (!from.includes(current?.state ?? null)) return refuse(rule, refused.code, refused.message);
  return command.kind === 'open' ? open(command, now) : close(current!, command, now);
}

/**
 * A case opens with exactly one named coordinator (COORD-1), chosen for reasons recorded with what
 * was weighed (COORD-2). The lead agency becomes involved, and so may see the person; when it is not
 * agreed, the coordinator owes a case meeting (COORD-3).
 */
function open(command: OpenCase, now: Date): CaseDecision | CaseRefusal {
  if (!command.coordinatorUserId) return refuse('COORD-1', 'CASES.NO_COORDINATOR', 'COORD-1: a case opens with one named care coordinator.');
  if (!command.reasons.trim() || command.considerations.length === 0) {
    return refuse('COORD-2', 'CASES.NO_REASONS', 'COORD-2: record the reasons for the allocation and what was considered.');
  }
  const { leadAgencyAgreed, reasons, considerations, by } = command;
  const events: CaseEvent[] = [
    { type: 'coordinator_allocated', userId: command.coordinatorUserId, reasons, considerations, by, at: now },
    // The receiving team is named only when the lead agency is its own; another agency leads as a whole.
    { type: 'lead_agency_involved', agencyId: command.leadAgencyId, teamId: command.leadAgencyId === command.agencyId ? command.teamId : null, by, at: now },
  ];
  if (!leadAgencyAgreed) {
    events.push({
      type: 'case_meeting_required',
      rule: 'COORD-3',
      title: 'Hold a case meeting: the lead agency is not agreed',
      ownerUserId: command.coordinatorUserId,
      dueAt: addWorkingDays(now, CASE_MEETING_WITHIN_WORKING_DAYS),
      by,
    });
  }
  const opened: CaseFacts = {
    personId: command.personId,
    referralId: command.referralId,
    teamId: command.teamId,
    agencyId: command.agencyId,
    leadAgencyId: command.leadAgencyId,
    coordinatorUserId: command.coordinatorUserId,
    state: transitionOf('open').to,
    openedAt: now,
    closedAt: null,
  };
  return { refused: false, case: opened, events };
}

/**
 * Closing ends the coordinator's role (COORD-1: it continues until the person is discharged) and the
 * involvements the case and its referral gave, so access ends with them (COORD-6).
 */
function close(current: CaseFacts, command: CloseCase, now: Date): CaseDecision {
  return {
    refused: false,
    case: { ...current, state: transitionOf('close').to, closedAt: now },
    events: [
      { type: 'coordinator_role_ended', at: now },
      { type: 'involvements_ended', reason: command.reason, at: now },
    ],
  };
}
