import type { TestConcord } from '../support/app.js';
import { notesWorld } from '../notes/world.js';
import { CONSIDERATION_KEYS, guidedActions, type Answer, type Answers, type FollowUpAnswers } from '../../src/modules/risk/rules.js';

export { HELEN, KOFI, PRIYA, RAJ, TOM } from '../notes/world.js';

/** Nobody at risk, capacity intact, no children about: the quietest review there is. */
export const QUIET: Answers = { ...(Object.fromEntries(CONSIDERATION_KEYS.map((k) => [k, 'no'])) as Record<keyof Answers, Answer>), capacity: 'yes' };
export const QUIET_FOLLOW_UPS: FollowUpAnswers = { childrenInContact: 'no', childrenCaring: 'no' };

/**
 * The people the risk tests need, as the notes tests have them: a person known to Riverside CMHT (Tom's
 * team, which completes the reviews) with Harbour Housing involved as a partner without consent to see risk.
 */
export async function riskWorld(t: TestConcord) {
  const notes = await notesWorld(t);

  /** A review as the API takes it: every action the answers bring recorded done unless `actions` says otherwise. */
  const reviewBody = (answers: Answers = QUIET, followUps: FollowUpAnswers = QUIET_FOLLOW_UPS, actions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    answers,
    followUps,
    actions: { ...Object.fromEntries(guidedActions(answers, followUps).map((a) => [a.id, { status: 'done' }])), ...actions },
    level: 'medium',
    evidence: 'Seen at home with her sister; says she feels safe.',
    mappaLevel: 'none',
    ...extra,
  });

  /** The same review as the page's form posts it: flat field names. */
  const reviewForm = (body: ReturnType<typeof reviewBody>): Record<string, string> => {
    const form: Record<string, string> = { level: String(body.level), evidence: String(body.evidence), mappaLevel: String(body.mappaLevel) };
    for (const [k, v] of Object.entries(body.answers)) form[`answers.${k}`] = v;
    for (const [k, v] of Object.entries(body.followUps)) if (v) form[`followUps.${k}`] = v;
    for (const [id, a] of Object.entries(body.actions as Record<string, { status?: string; note?: string }>)) {
      if (a?.status) form[`actions.${id}`] = a.status;
      if (a?.note) form[`actions.${id}.note`] = a.note;
    }
    return form;
  };

  const written = async (personId: string) => ({
    reviews: (await t.pool.query('select * from risk_review where person_id = $1 order by recorded_at', [personId])).rows,
    deadlines: (await t.pool.query(`select * from obligation where person_id = $1 and subject_type = 'risk_review' order by rule_id`, [personId])).rows,
  });

  return { ...notes, reviewBody, reviewForm, written };
}
