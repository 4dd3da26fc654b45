import { auditActorOf, type Actor } from '../platform/access/actor.js';
import { createTestClock } from '../platform/clocks/clock.js';
import { createServices, type Services } from '../services.js';
import { CMHT_PEOPLE as P, DUTY_PEOPLE as Q, HANDBOOK, type DemoPerson } from './people.js';
import { riskStories } from './risk.js';
import { sharingStories } from './sharing.js';
import { journeySteps, Timeline, type When } from './timeline.js';

/**
 * A living service for a newcomer: referrals in every state and screening category at the Riverside
 * Community Mental Health Team and the Adult Social Care Duty Team over the past weeks, including the
 * handbook's service users A to D. Played through the real services, so every entry is audited and
 * every clock is kept as the rules keep them; whatever is overdue now is marked breached at the end.
 */
export async function loadDemoReferrals(services: Services) {
  const now = services.clock.now();
  const clock = createTestClock(now);
  const demo = createServices(services.db, clock, services.config);
  const timeline = new Timeline(demo, clock, now);
  const people = await demoActors(demo);
  const stories = [...cmhtStories(timeline, people), ...dutyStories(timeline, people)];
  sharingStories(timeline, people);
  riskStories(timeline, people);
  await timeline.play();
  await demo.obligations.markBreached();
  return { referrals: stories.length, cases: stories.filter((s) => s.caseId).length };
}

async function demoActors(services: Services) {
  const actor = async (email: string, teamOf?: Actor) => {
    const account = await services.directory.findAccountByEmail(email);
    const loaded = account && (await services.directory.loadActor(account.userId, teamOf?.teamId ?? null, { kind: 'session', sessionId: 'demo' }));
    if (!loaded) throw new Error(`The demo referrals need the demo user ${email}`);
    return loaded;
  };
  const priya = await actor('priya.raman@riverside-nhs.example');
  const raj = await actor('raj.patel@northshire-council.example');
  return {
    // Riverside Community Mental Health Team
    priya,
    tom: await actor('tom.okafor@riverside-nhs.example'),
    grace: await actor('grace.whitfield@riverside-nhs.example', priya),
    daniel: await actor('daniel.hughes@riverside-nhs.example'),
    // Adult Social Care Duty Team
    mark: await actor('mark.ellison@northshire-council.example'),
    raj,
    // Referrers in other agencies
    sarah: await actor('sarah.lin@millbrook-gp.example'),
    kofi: await actor('kofi.mensah@harbour-housing.example'),
    ben: await actor('ben.carter@opendoor.example'),
    laura: await actor('laura.evans@northshire-police.example'),
    michael: await actor('michael.dunn@northshire-probation.example'),
    jade: await actor('jade.robinson@pathways.example'),
    // The Caldicott guardian, who reviews emergency access
    helen: await actor('helen.marsh@riverside-nhs.example'),
  };
}

export type Cast = Awaited<ReturnType<typeof demoActors>>;
type Risks = Partial<Record<'unintentionalSelfHarm' | 'intentionalSelfHarm' | 'harmToOthers' | 'abuseByOthers', 'immediate' | 'potential' | 'none' | 'unknown'>>;

/** An intake form as a referrer fills it in; to a team in the recorder's own agency it also names who referred. */
function intake(team: Actor, person: DemoPerson | { personId: string }, reason: string, risks: Risks, extra: Record<string, unknown> = {}) {
  return {
    receivingTeamId: team.teamId,
    sourceType: 'agency',
    channel: 'electronic',
    reason,
    risks: { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none', ...risks },
    consentToReferral: 'yes',
    consentToShare: 'yes',
    ...('personId' in person ? { personId: person.personId } : { person, confirmedNewPerson: 'yes' }),
    ...extra,
  };
}

const wd = (days: number, time: string): When => [days, time];

function cmhtStories(t: Timeline, c: Cast) {
  const receive = (by: Actor, input: ReturnType<typeof intake>) => () => t.services.referrals.receive(by, input);
  const s = journeySteps(t.services);
  const cmht = c.priya;
  const mdt = (...names: string[]) => ['Priya Raman (team manager)', ...names];

  // Service user A (handbook example 1): an acute episode, home treatment, now well and settled; allocated, stepping towards discharge to the GP.
  const a = t.referral('Aaron Whitlock (A)', wd(34, '09:40'), receive(c.daniel, intake(cmht, HANDBOOK.a, 'Recovering from an acute psychotic episode after three weeks with the home treatment team; needs ongoing care coordination', { intentionalSelfHarm: 'potential' }, {
    sourceType: 'professional', referrerName: 'Daniel Hughes', referrerRole: 'Crisis practitioner', referrerOrganisation: 'Crisis Resolution and Home Treatment', referrerContact: '01632 960 102',
  })), [
    [wd(34, '11:00'), s.screen(c.priya, 'urgent')],
    [wd(34, '16:00'), s.contact(c.tom, 'first_contact', 'Telephone', 'Spoke with Aaron and his partner; agreed a home visit.')],
    [wd(31, '10:30'), s.contact(c.tom, 'assessment', 'Home visit', 'Mental state improving on medication; engaging with the consultant.')],
    [wd(29, '13:00'), s.eligible(c.priya, mdt('Tom Okafor', 'Dr Amir Haddad (consultant psychiatrist)'), 'Psychotic illness with recent risk to self; multiple needs while recovering', 'Acute and transient psychotic disorder')],
    [wd(28, '10:00'), s.allocate(c.priya, c.tom, { reasons: 'Tom worked with the home treatment team on Aaron’s plan; Aaron asked to keep a male worker', considerations: ['expertise', 'persons_wishes', 'continuity'] })],
    [wd(2, '15:30'), s.feedback(c.tom, 'Aaron is well and settled. At his CPA review it was agreed to step down to standard CPA in preparation for discharge to his GP.')],
  ]);

  // Service user B (example 2): a long history, settled on depot medication; her case closed last spring, and she is referred again (REF-7).
  const firstB = t.referral('Beverley Ashdown (B), first referral', wd(190, '10:15'), receive(c.sarah, intake(cmht, HANDBOOK.b, 'Relapse of schizophrenia after stopping medication; known to the team for many years', { unintentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 500' })), [
    [wd(190, '12:00'), s.screen(c.priya, 'urgent')],
    [wd(190, '16:00'), s.contact(c.grace, 'first_contact', 'Home visit', 'Beverley agreed to restart her depot.')],
    [wd(187, '14:00'), s.contact(c.grace, 'assessment', 'Outpatient clinic', 'Assessed with her consultant; day services to continue.')],
    [wd(185, '13:00'), s.eligible(c.priya, mdt('Grace Whitfield', 'Dr Amir Haddad (consultant psychiatrist)'), 'Schizophrenia with relapse and self-neglect', 'Schizophrenia')],
    [wd(184, '10:00'), s.allocate(c.priya, c.grace, { reasons: 'Grace knows Beverley’s day service and her sister', considerations: ['continuity', 'persons_wishes'] })],
  ]);
  t.at(wd(100, '16:00'), () =>
    t.services.audit.transaction(auditActorOf(c.priya), async (tx, record) => {
      const reason = 'Settled on depot medication; discharged to her GP with outpatient follow-up';
      await t.services.cases.close(tx, record, { caseId: firstB.caseId, at: t.clock.now(), reason });
    }),
    'Beverley Ashdown (B): case closed',
  );
  const b = t.referral('Beverley Ashdown (B), re-referral', wd(17, '09:30'), async () => {
    // Dr Lin types Beverley's details, the intake's duplicate check shows her record is already held, and she refers that person.
    await t.services.people.likelyDuplicates(c.sarah, t.services.people.parsePerson(HANDBOOK.b));
    return t.services.referrals.receive(c.sarah, intake(cmht, { personId: firstB.personId }, 'Has missed two depot injections since her day centre closed; her sister says she is withdrawing', { unintentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 500' }));
  }, [
    [wd(17, '11:30'), s.screen(c.tom, 'routine', 'Known to the team and settled until recently; her sister visits every day')],
    [wd(16, '10:00'), s.contact(c.grace, 'first_contact', 'Telephone', 'Beverley agreed to see the depot clinic again.')],
    [wd(15, '14:30'), s.contact(c.grace, 'assessment', 'Home visit', 'Mental state stable; isolated since the day centre closed.')],
    [wd(14, '13:00'), s.eligible(c.priya, mdt('Grace Whitfield', 'Tom Okafor'), 'Schizophrenia; needs coordination of depot, outpatients and a new day service', 'Schizophrenia')],
    [wd(13, '10:00'), s.waitingList(c.priya)],
  ]);

  // Service user C (example 3): Section 3, now Section 117 aftercare; precarious housing, children's services involved, risk to herself and others.
  const cReferral = t.referral('Chloe Penrose (C)', wd(11, '09:15'), receive(c.priya, intake(cmht, HANDBOOK.c, 'Discharge from Beech Ward under Section 117 aftercare; accommodation precarious; children’s services involved with her two children', { intentionalSelfHarm: 'potential', harmToOthers: 'potential', abuseByOthers: 'unknown' }, {
    sourceType: 'professional', channel: 'email', referrerName: 'Sam Adeyinka', referrerRole: 'Ward manager', referrerOrganisation: 'Beech Ward, Riverside Acute Inpatient Unit', referrerContact: '01632 960 130',
    riskNotes: 'Reluctant to engage with the care plan; threats to a neighbour before admission.',
  })), [
    [wd(11, '10:00'), s.screen(c.priya, 'urgent')],
    [wd(11, '15:00'), s.contact(c.grace, 'first_contact', 'Ward visit', 'Met Chloe on the ward before discharge; she is wary but agreed to meet again.')],
    [wd(10, '15:00'), s.allocate(c.priya, c.grace, { reasons: 'Urgent: allocated before the MDT. Grace has child-care and housing experience; Chloe asked for a woman', considerations: ['expertise', 'gender', 'persons_wishes'], leadAgencyAgreed: 'no' })],
  ]);
  t.at(wd(9, '11:00'), () => t.services.people.addChild(c.grace, cReferral.personId, { childName: 'Maisie Penrose', childDateOfBirth: '2016-06-02', relationship: 'dependent', livesWithPerson: 'no', notes: 'Living with her grandmother while Chloe was in hospital' }));
  t.at(wd(9, '11:05'), () => t.services.people.addChild(c.grace, cReferral.personId, { childName: 'Jayden Penrose', childDateOfBirth: '2019-02-20', relationship: 'dependent', livesWithPerson: 'no', notes: 'Living with his grandmother' }));

  // Service user D (example 4): 24-hour nursing care funded by the council with an NHS contribution; four agencies; the council leads.
  const d = t.referral('Derek Fairbairn (D)', wd(45, '11:20'), receive(c.raj, intake(cmht, HANDBOOK.d, 'Review of mental health care at Elmfield Nursing Home; four agencies involved and no named coordinator', {}, { referrerContact: '01632 960 200' })), [
    [wd(44, '10:00'), s.screen(c.tom, 'routine')],
    [wd(40, '14:00'), s.contact(c.tom, 'first_contact', 'Visit to the nursing home', 'Derek is settled; staff manage his medication well.')],
    [wd(36, '11:00'), s.contact(c.tom, 'assessment', 'Visit with the nursing home manager', 'Needs coordination across nursing, social care, GP and old age psychiatry.')],
    [wd(30, '13:00'), s.eligible(c.priya, mdt('Tom Okafor', 'Mark Ellison (Adult Social Care)'), 'Dementia with psychosis; 24-hour care from four agencies', 'Dementia with psychotic features')],
    [wd(29, '09:30'), s.waitingList(c.priya)],
    [wd(27, '15:00'), s.riskCheck(c.tom, 'Settled; no change in risk')],
    [wd(22, '10:00'), s.allocate(c.priya, c.tom, { reasons: 'Tom already knows the nursing home; the council funds the placement and agreed to lead', considerations: ['expertise', 'continuity'], leadAgencyId: c.raj.agencyId })],
  ]);

  const gp = { referrerContact: '01632 960 500' };
  return [
    a, firstB, b, cReferral, d,
    // Received today, not yet screened.
    t.referral('Leon Garside', wd(0, '08:40'), receive(c.sarah, intake(cmht, P.leon, 'Low mood for three months, not working; asks for talking support', {}, gp))),
    // Received three working days ago and still not screened: overdue (REF-3).
    t.referral('Mariam Qureshi', wd(3, '16:10'), receive(c.tom, intake(cmht, P.mariam, 'Brother reports she has stopped eating and is hearing voices', { unintentionalSelfHarm: 'potential', abuseByOthers: 'unknown' }, {
      sourceType: 'family', channel: 'phone', referrerName: 'Yusuf Qureshi', referrerRole: 'Brother', referrerContact: '07700 900 201',
    }))),
    // Waiting on the GP for the risk answers and consent (REF-2).
    t.referral('Gareth Pryce', wd(6, '10:30'), receive(c.sarah, intake(cmht, P.gareth, 'Paranoid thoughts about neighbours; drinking more', { harmToOthers: 'unknown' }, { ...gp, consentToReferral: 'not_asked', consentToShare: 'not_asked' })), [
      [wd(5, '09:30'), s.requestInformation(c.tom, ['risk_assessment', 'consent'], 'Has Gareth agreed to this referral?')],
    ]),
    // Screened urgent; the two-day first contact has not happened yet.
    t.referral('Niamh Gallagher', wd(3, '09:10'), receive(c.michael, intake(cmht, P.niamh, 'Self-harming since release on licence; not engaging with her probation officer', { intentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 800' })), [
      [wd(3, '12:00'), s.screen(c.priya, 'urgent')],
    ]),
    // Emergency: assessed within six hours, now with the MDT.
    t.referral('Tariq Hussain', wd(2, '09:05'), receive(c.laura, intake(cmht, P.tariq, 'Found on a bridge parapet; taken to a place of safety under Section 136', { intentionalSelfHarm: 'immediate' }, { referrerContact: '01632 960 900' })), [
      [wd(2, '09:20'), s.screen(c.priya, 'emergency')],
      [wd(2, '13:30'), s.contact(c.tom, 'assessment', 'Joint assessment with the crisis team', 'Safe for now with the home treatment team; needs follow-up.')],
    ]),
    // Routine, assessing: first contact made, the six-week assessment still ahead.
    t.referral('Olivia Brennan', wd(20, '14:00'), receive(c.jade, intake(cmht, P.olivia, 'Low mood and anxiety alongside alcohol use; asking for mental health support', {}, { referrerContact: '01632 960 600' })), [
      [wd(19, '10:00'), s.screen(c.grace, 'routine')],
      [wd(15, '11:00'), s.contact(c.grace, 'first_contact', 'Telephone', 'Olivia would like to be seen with her recovery worker.')],
    ]),
    // Not eligible: advice and signposting recorded (ELIG-3).
    t.referral('Frank Lindqvist', wd(26, '10:00'), receive(c.sarah, intake(cmht, P.frank, 'Anxiety since retiring; sleeping badly', {}, gp)), [
      [wd(25, '10:00'), s.screen(c.tom, 'routine')],
      [wd(22, '15:00'), s.contact(c.tom, 'first_contact', 'Telephone', 'Frank is managing day to day.')],
      [wd(18, '10:00'), s.contact(c.tom, 'assessment', 'Clinic appointment', 'Moderate anxiety; no serious mental illness; no risk.')],
      [wd(16, '13:00'), s.notEligible(c.priya, mdt('Tom Okafor'), 'Moderate anxiety without serious mental illness or risk', 'Northshire Talking Therapies (self-referral) and the Open Door drop-in')],
    ]),
    // Eligible yesterday: for the manager to place on the waiting list or allocate.
    t.referral('Yasmin Farah', wd(12, '11:00'), receive(c.michael, intake(cmht, P.yasmin, 'Depression with hopelessness after losing her tenancy', { intentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 800' })), [
      [wd(12, '14:00'), s.screen(c.tom, 'routine', 'Thoughts of self-harm in the past, none now; safety plan in place with probation')],
      [wd(8, '10:30'), s.contact(c.tom, 'first_contact', 'Telephone with a Somali interpreter', 'Yasmin agreed to an assessment.')],
      [wd(5, '14:00'), s.contact(c.tom, 'assessment', 'Clinic appointment with an interpreter', 'Severe depression; housing and benefits needs.')],
      [wd(1, '13:00'), s.eligible(c.priya, mdt('Tom Okafor', 'Grace Whitfield'), 'Severe depression with substantial impairment and past self-harm', 'Severe depressive episode')],
    ]),
    // On the waiting list, risk re-checked every fortnight (WAIT-1).
    t.referral('Kenneth Mabey', wd(40, '10:00'), receive(c.ben, intake(cmht, P.kenneth, 'Sleeping rough on and off; paranoid and unkempt', { unintentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 950' })), [
      [wd(39, '10:00'), s.screen(c.grace, 'routine', 'Known to Open Door, who see him daily; no immediate concerns')],
      [wd(35, '12:00'), s.contact(c.grace, 'first_contact', 'Met at the Open Door drop-in', 'Kenneth agreed to an assessment.')],
      [wd(30, '12:00'), s.contact(c.grace, 'assessment', 'At the drop-in with his outreach worker', 'Probable psychosis; needs housing and GP registration.')],
      [wd(26, '13:00'), s.eligible(c.priya, mdt('Grace Whitfield', 'Tom Okafor'), 'Probable psychotic illness with self-neglect', 'Unspecified psychosis')],
      [wd(25, '10:00'), s.waitingList(c.priya)],
      [wd(15, '16:00'), s.riskCheck(c.grace, 'Seen at the drop-in; no change')],
      [wd(5, '16:00'), s.riskCheck(c.tom, 'Now in a hostel bed; risk lower')],
    ]),
    // Signposted: a housing need, not a mental health one (REF-3, REF-4).
    t.referral('Rhys Tandy', wd(8, '15:00'), receive(c.kofi, intake(cmht, P.rhys, 'Stress from noise nuisance; asks for a letter supporting a move', {}, { referrerContact: '01632 960 700' })), [
      [wd(7, '10:00'), s.signpost(c.tom, {
        reason: 'Stress about housing only; no mental health need described',
        signposting: 'His GP for a letter of support; Harbour Housing Options medical priority assessment; the Open Door drop-in',
        notAssessingReason: 'No mental health need beyond stress about housing; the GP is best placed to support',
      })],
    ]),
    // Withdrawn: she moved away (REF-6, the referrer told).
    t.referral('Irene Castellano', wd(9, '10:00'), receive(c.sarah, intake(cmht, P.irene, 'Memory problems and low mood since her husband died', {}, gp)), [
      [wd(8, '11:00'), s.screen(c.grace, 'routine')],
      [wd(6, '09:00'), s.withdraw(c.grace, 'Moved to Leeds to live with her son; her new GP is referring her to the local team')],
    ]),
  ];
}

function dutyStories(t: Timeline, c: Cast) {
  const receive = (by: Actor, input: ReturnType<typeof intake>) => () => t.services.referrals.receive(by, input);
  const s = journeySteps(t.services);
  const duty = c.mark;
  return [
    // Received this morning from the police: suggested urgent.
    t.referral('Winifred Hale', wd(0, '09:05'), receive(c.laura, intake(duty, Q.winifred, 'Found confused in the street at night; a lodger may be taking her money', { unintentionalSelfHarm: 'potential', abuseByOthers: 'potential' }, { referrerContact: '01632 960 900' }))),
    // A daughter's call two working days ago, still not screened: overdue.
    t.referral('Stanley Briggs', wd(2, '11:45'), receive(c.raj, intake(duty, Q.stanley, 'Struggling to wash and dress since his wife went into hospital', {}, {
      sourceType: 'family', channel: 'phone', referrerName: 'Carol Briggs', referrerRole: 'Daughter', referrerContact: '07700 900 301',
    }))),
    // Waiting on Open Door for consent (REF-2).
    t.referral('Agnes Kowalczyk', wd(4, '14:00'), receive(c.ben, intake(duty, Q.agnes, 'Living alone with no heating; needs help at home', {}, { consentToReferral: 'not_asked', consentToShare: 'not_asked', referrerContact: '01632 960 950' })), [
      [wd(3, '10:00'), s.requestInformation(c.raj, ['consent'], 'Does Agnes agree to an assessment of her care needs? A Polish interpreter can be booked.')],
    ]),
    // Screened urgent; first contact overdue, assessment due.
    t.referral('Harold Pennock', wd(5, '10:20'), receive(c.sarah, intake(duty, Q.harold, 'Self-neglect: weight loss, house in poor repair, refusing meals on wheels', { unintentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 500' })), [
      [wd(5, '15:00'), s.screen(c.raj, 'urgent')],
    ]),
    // Assessing: first contact made.
    t.referral('Doreen Ashworth', wd(14, '09:50'), receive(c.kofi, intake(duty, Q.doreen, 'Fell at home twice this month; rent arrears building up', {}, { referrerContact: '01632 960 700' })), [
      [wd(13, '11:00'), s.screen(c.raj, 'routine')],
      [wd(10, '10:00'), s.contact(c.raj, 'first_contact', 'Telephone', 'Doreen would welcome a visit and an occupational therapy assessment.')],
    ]),
    // On the manager's waiting list; the fortnightly risk check is overdue.
    t.referral('Eric Thornbury', wd(30, '10:00'), receive(c.sarah, intake(duty, Q.eric, 'Carer breakdown: his wife can no longer manage his care at home', { unintentionalSelfHarm: 'potential' }, { referrerContact: '01632 960 500' })), [
      [wd(29, '12:00'), s.screen(c.raj, 'routine', 'His wife is still at home with daily carers visiting; no immediate risk')],
      [wd(26, '10:00'), s.contact(c.raj, 'first_contact', 'Home visit', 'Eric and his wife want him to stay at home with more help.')],
      [wd(22, '14:00'), s.contact(c.raj, 'assessment', 'Care Act assessment at home', 'Needs help with personal care four times a day.')],
      [wd(19, '13:00'), s.eligible(c.mark, ['Mark Ellison (duty team manager)', 'Raj Patel', 'Occupational therapist'], 'Vascular dementia with substantial care needs', 'Vascular dementia')],
      [wd(18, '10:00'), s.waitingList(c.mark)],
    ]),
    // Signposted: a benefits question (REF-3).
    t.referral('Patricia Vaughan', wd(6, '13:30'), receive(c.raj, intake(duty, Q.patricia, 'Asking for help with a benefits appeal', {}, {
      sourceType: 'self', channel: 'phone', referrerName: 'Patricia Vaughan', referrerRole: 'Self', referrerContact: '07700 900 302',
    })), [
      [wd(6, '14:00'), s.signpost(c.raj, {
        reason: 'A benefits question; no care and support need described',
        signposting: 'Citizens Advice Northshire (benefits appeals) and the council’s welfare rights line',
        notAssessingReason: 'No care and support need; she was given the numbers during the call',
      })],
    ]),
  ];
}
