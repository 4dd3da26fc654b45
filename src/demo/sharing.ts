import { londonDate } from '../platform/clocks/working-days.js';
import { EXCEPTION_CHECKLIST } from '../modules/sharing/rules.js';
import type { Actor } from '../platform/access/actor.js';
import { CMHT_PEOPLE as P, type DemoPerson } from './people.js';
import type { Cast } from './referrals.js';
import type { Timeline, When } from './timeline.js';

/**
 * Consent and need-to-know in the demo (CON-1 … CON-5, COORD-6), on the same timeline as the
 * referrals: consent given, refused, withdrawn and expired; a note restricted from housing; sharing
 * without consent under a child-protection exception; an agency added to a person's care; emergency
 * access (break-glass) reviewed by the Caldicott guardian, and one waiting for her.
 */
export function sharingStories(t: Timeline, c: Cast) {
  const { sharing, notes, involvement, accessReview, people } = t.services;
  const personOf = (label: string) => {
    const story = t.stories.get(label);
    if (!story) throw new Error(`The demo's sharing stories need the referral "${label}"`);
    return () => story.personId;
  };
  /** The London date of the step being played, so far ahead (negative: in the past). */
  const dayFromNow = (days: number) => londonDate(new Date(t.clock.now().getTime() + days * 86_400_000));
  const at = (when: When, label: string, run: () => Promise<unknown>) => t.at(when, run, label);
  const checklist = Object.keys(EXCEPTION_CHECKLIST);

  // Chloe Penrose (handbook C): consent to share with housing and children's services; Harbour Housing joins her care.
  const chloe = personOf('Chloe Penrose (C)');
  at([9, '11:30'], 'Chloe Penrose (C): consent given', () =>
    sharing.recordConsent(c.grace, chloe(), {
      decision: 'given',
      agencyIds: [c.kofi.agencyId],
      agencyTypes: ['childrens_services'],
      categories: ['basic_details', 'housing', 'mental_health', 'risk', 'children_safeguarding'],
      purposes: ['care_coordination', 'housing_support', 'safeguarding'],
      obtainedHow: 'in_person',
      obtainedOn: dayFromNow(0),
      reviewDate: dayFromNow(365),
      notes: 'Discussed at the first visit after discharge. Chloe wants housing to understand why she needs to move near her mother.',
    }),
  );
  at([9, '12:00'], 'Chloe Penrose (C): Harbour Housing added', () =>
    involvement.add(c.grace, chloe(), {
      agencyId: c.kofi.agencyId,
      teamId: c.kofi.teamId,
      role: 'partner',
      domains: ['housing', 'money'],
      leadDomains: ['housing'],
      contactName: 'Kofi Mensah',
      contactRole: 'Housing options officer',
      contactPhone: '01632 960 700',
      communication: 'A call every Tuesday with the care coordinator; anything urgent by phone to the housing duty line, then written up here.',
    }),
  );
  at([8, '16:00'], 'Chloe Penrose (C): visit note', () =>
    notes.record(c.grace, chloe(), {
      category: 'mental_health',
      title: 'Home visit: mental state since discharge',
      text: 'Chloe is sleeping better and taking her medication. No thoughts of self-harm today. She is anxious about the flat: damp, and too far from her mother, who helps with the children.',
      happenedOn: dayFromNow(0),
    }),
  );
  at([8, '16:10'], 'Chloe Penrose (C): a note restricted from housing', async () => {
    const history = await notes.record(c.grace, chloe(), {
      category: 'mental_health',
      title: 'What Chloe told me about her former partner',
      text: 'Chloe described the controlling relationship that ended last year and how it affected her mental health before admission. She asked that this is not shared with housing.',
      happenedOn: dayFromNow(0),
    });
    await sharing.recordRestriction(c.grace, chloe(), {
      entryType: 'note',
      entryId: history.id,
      agencyIds: [c.kofi.agencyId],
      otherParties: 'Her former partner, and anyone who might pass it on to him',
      reason: 'Chloe asked that what she said about her former partner is not shared with housing: she fears it would reach him through the estate office.',
    });
  });
  at([3, '09:30'], 'Chloe Penrose (C): shared with the police without consent', () =>
    sharing.recordException(c.priya, chloe(), {
      lawfulBasis: 'child_protection',
      justification:
        'Chloe’s former partner, who is subject to a non-molestation order, has been seen outside the children’s school twice this week. The police need the risk information for the child protection strategy discussion on Friday.',
      categories: ['risk', 'children_safeguarding'],
      agencyIds: [c.laura.agencyId],
      reviewDate: dayFromNow(90),
      personInformed: 'no',
      notInformedReason: 'Telling Chloe before the strategy discussion could put her and the children at greater risk if she contacts him; she will be told afterwards.',
      checklist,
    }),
  );

  // Beverley Ashdown (handbook B): her consent to housing lapsed at its review; she refuses sharing with the police and probation.
  const beverley = personOf('Beverley Ashdown (B), first referral');
  at([170, '14:00'], 'Beverley Ashdown (B): consent given to housing, since expired', () =>
    sharing.recordConsent(c.grace, beverley(), {
      decision: 'given',
      agencyIds: [c.kofi.agencyId],
      agencyTypes: [],
      categories: ['basic_details', 'housing'],
      purposes: ['housing_support'],
      obtainedHow: 'in_person',
      obtainedOn: dayFromNow(0),
      reviewDate: dayFromNow(180),
      notes: 'For her application to move to a ground-floor flat; to be reviewed once the move is settled.',
    }),
  );
  at([12, '11:00'], 'Beverley Ashdown (B): consent refused to the police and probation', () =>
    sharing.recordConsent(c.grace, beverley(), {
      decision: 'refused',
      agencyIds: [],
      agencyTypes: ['police', 'probation'],
      categories: ['mental_health', 'risk', 'offending'],
      purposes: ['safety_planning'],
      obtainedHow: 'in_person',
      obtainedOn: dayFromNow(0),
      notes: 'Beverley does not want the police told about her illness after how she was treated during an arrest years ago.',
      consequences:
        'Without her consent we cannot agree a joint crisis plan with the police liaison officer, so if she is found unwell in public the police will not know her relapse signs or who to call.',
    }),
  );

  // Aaron Whitlock (handbook A): consent to Open Door for benefits advice, withdrawn a week later.
  const aaron = personOf('Aaron Whitlock (A)');
  let openDoorConsent = '';
  at([20, '10:00'], 'Aaron Whitlock (A): consent given to Open Door', async () => {
    const given = await sharing.recordConsent(c.tom, aaron(), {
      decision: 'given',
      agencyIds: [c.ben.agencyId],
      agencyTypes: [],
      categories: ['basic_details', 'finance', 'housing'],
      purposes: ['benefits_and_money'],
      obtainedHow: 'phone',
      obtainedOn: dayFromNow(0),
      reviewDate: dayFromNow(180),
    });
    openDoorConsent = given.id;
  });
  at([15, '15:00'], 'Aaron Whitlock (A): consent withdrawn', () =>
    sharing.withdrawConsent(c.tom, aaron(), openDoorConsent, {
      withdrawnOn: dayFromNow(0),
      obtainedHow: 'phone',
      notes: 'Aaron now gets benefits advice from his brother-in-law and wants nothing more shared with Open Door.',
    }),
  );

  // Emergency access: one reviewed by the Caldicott guardian, one waiting for her. Each starts, as it
  // must, from a known check (name and date of birth) that showed the person a moment before.
  const knownCheck = (actor: Actor, who: DemoPerson) => people.search(actor, { name: `${who.givenName} ${who.familyName}`, dateOfBirth: who.dateOfBirth });
  const gareth = personOf('Gareth Pryce');
  let garethAlert = '';
  at([4, '19:40'], 'Gareth Pryce: emergency access by Pathways', async () => {
    await knownCheck(c.jade, P.gareth);
    const glass = await accessReview.breakGlass(c.jade, gareth(), {
      reason: 'risk_to_life',
      explanation: 'Gareth came to the evening clinic drunk, saying he would “sort out” his neighbour tonight. I need his risk history and who coordinates his care to pass to the police.',
    });
    if (glass.status !== 'started') throw new Error('The demo expects Jade’s emergency access to start, within the hourly allowance');
    garethAlert = glass.alertId;
  });
  at([3, '10:15'], 'Gareth Pryce: emergency access reviewed', () =>
    accessReview.review(c.helen, garethAlert, {
      outcome: 'justified',
      notes: 'Confirmed with the Pathways manager: the call to the police is in their log. Access was to risk and contacts only, within twenty minutes.',
    }),
  );
  const kenneth = personOf('Kenneth Mabey');
  at([0, '08:15'], 'Kenneth Mabey: emergency access by Open Door', async () => {
    await knownCheck(c.ben, P.kenneth);
    return accessReview.breakGlass(c.ben, kenneth(), {
      reason: 'risk_to_life',
      explanation: 'Kenneth collapsed at the drop-in and is confused. The ambulance crew asked what medication he is on and who his care coordinator is.',
    });
  });
}
