import type { CASE_STATES } from './schema.js';

/** How a case's states and an allocation's considerations read on a page (COORD-1, COORD-2). */

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
