import type { Actor } from '../platform/access/actor.js';
import { CONSIDERATION_KEYS, guidedActions, type Answers, type FollowUpAnswers } from '../modules/risk/rules.js';
import type { Cast } from './referrals.js';
import type { Timeline, When } from './timeline.js';

type Recorded = Record<string, { status: 'done' | 'not_done'; note?: string }>;

/** A review as a practitioner completes it: every guided action done unless `actions` says otherwise. */
function review(answers: Partial<Answers>, followUps: FollowUpAnswers, actions: Recorded, level: string, evidence: string, mappaLevel = 'none') {
  const all = { ...(Object.fromEntries(CONSIDERATION_KEYS.map((k) => [k, 'no'])) as Answers), capacity: 'yes' as const, ...answers };
  const done = Object.fromEntries(guidedActions(all, followUps).map((a) => [a.id, { status: 'done' }]));
  return { answers: all, followUps, actions: { ...done, ...actions }, level, evidence, mappaLevel };
}

/**
 * Risk in the demo (RISK-1, RISK-2, RISK-7, RISK-9), on the same timeline as the referrals: the handbook's
 * service user C with a risk history that changes (high after discharge, medium a week on) and a joint
 * assessment with children's services started and then done; D lacking capacity with a move of nursing
 * home proposed, so an IMCA referral is under way (a protection pathway started, its deadline open).
 */
export function riskStories(t: Timeline, c: Cast) {
  const { risk } = t.services;
  const personOf = (label: string) => {
    const story = t.stories.get(label);
    if (!story) throw new Error(`The demo's risk stories need the referral "${label}"`);
    return () => story.personId;
  };
  const at = (when: When, label: string, run: () => Promise<unknown>) => t.at(when, run, label);
  const complete = (by: Actor, person: () => string, input: ReturnType<typeof review>) => risk.complete(by, person(), input);

  // Chloe Penrose (handbook C): risk to herself and others, and concerns about her children's care.
  const chloe = personOf('Chloe Penrose (C)');
  const children = { childrenCaring: 'no' as const };
  let first: { id: string } | undefined;
  at([8, '16:30'], 'Chloe Penrose (C): first risk review', async () => {
    first = await complete(c.grace, chloe, review(
      { self_harm: 'yes', harm_to_others: 'yes', risk_to_children: 'yes', harm_from_others: 'dont_know', refusing_contact: 'yes' },
      { multiAgencyOnly: 'no', ...children },
      {
        'risk_to_children.joint_assessment': { status: 'not_done', note: 'Asked children’s services for a joint visit; waiting for a date.' },
        'self_harm.unmet_needs': { status: 'not_done', note: 'The interventions in the plan are available.' },
        'refusing_contact.assertive_outreach': { status: 'not_done', note: 'To discuss at Thursday’s MDT.' },
        'harm_from_others.ask': { status: 'not_done', note: 'Chloe did not want to talk about her former partner today; I will ask again at the next visit.' },
      },
      'high',
      'Threats to a neighbour before admission; thoughts of self-harm on the ward; reluctant to engage with the care plan. Source: ward discharge summary and my visit.',
    ));
  });
  at([4, '14:00'], 'Chloe Penrose (C): joint assessment done', async () => {
    const { deadlines } = await risk.review(c.grace, chloe(), first!.id);
    const joint = deadlines.find((d) => d.kind === 'risk.joint_assessment');
    if (joint) await risk.meetDeadline(c.grace, chloe(), first!.id, joint.id, {});
  });
  at([3, '15:30'], 'Chloe Penrose (C): risk review a week on', () =>
    complete(c.grace, chloe, review(
      { self_harm: 'yes', harm_to_others: 'yes', risk_to_children: 'yes', refusing_contact: 'no' },
      { multiAgencyOnly: 'no', ...children },
      { 'self_harm.unmet_needs': { status: 'not_done', note: 'The interventions in the plan are available.' } },
      'medium',
      'Engaging with visits and taking her medication; the joint assessment with children’s services agreed a plan for Maisie and Jayden. No threats since discharge.',
    )),
  );

  // Derek Fairbairn (handbook D): dementia, 24-hour nursing care; a move to another nursing home is proposed.
  const derek = personOf('Derek Fairbairn (D)');
  at([2, '11:00'], 'Derek Fairbairn (D): risk review', () =>
    complete(c.tom, derek, review(
      { wandering_falling: 'yes', capacity: 'no' },
      { imcaCircumstance: 'yes', childrenInContact: 'no', childrenCaring: 'no' },
      { 'capacity.imca': { status: 'not_done', note: 'A move to Larchwood Nursing Home is proposed and Derek has no family to speak for him: referral form requested from Advocacy Experience.' } },
      'medium',
      'Two falls at night last month; the nursing home’s falls assessment is done and bed sensors are in place. Lacks capacity to decide on the move (assessed by the home’s manager).',
    )),
  );
}
