import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsentFact } from '../../platform/access/person-access.js';
import {
  addMonths,
  checklistRecord,
  consentStatus,
  endExceptionRefusal,
  exceptionStatus,
  liftRefusal,
  personInformedOf,
  personInformedText,
  readConsent,
  readEnd,
  readException,
  readRestriction,
  readWithdrawal,
  refusalWording,
  servicesWithout,
  standingRefusals,
  withdrawalRefusal,
  type Read,
} from './rules.js';

const TODAY = '2026-03-03';
const at = { now: new Date('2026-03-03T10:00:00Z'), today: TODAY };
const HOUSING = '11111111-1111-4111-8111-111111111111';
const CMHT = '22222222-2222-4222-8222-222222222222';
const POLICE = '33333333-3333-4333-8333-333333333333';
const AGENCIES = [HOUSING, CMHT, POLICE];
const NOTE = '44444444-4444-4444-8444-444444444444';

/** The message for each field, or null when the input is accepted. */
const problems = <T>(read: Read<T>) => (read.ok ? null : Object.fromEntries(read.problems.map((p) => [p.field, p.message])));
const valueOf = <T>(read: Read<T>): T => {
  if (!read.ok) throw new Error(`refused: ${JSON.stringify(read.problems)}`);
  return read.value;
};

const GIVEN = {
  decision: 'given',
  agencyIds: [HOUSING],
  categories: ['mental_health'],
  purposes: ['housing_support'],
  obtainedHow: 'in_person',
  obtainedOn: '2026-03-01',
  reviewDate: '2027-03-01',
};
const consent = (input: unknown, earlier = []) => readConsent(input, { today: TODAY, agencyIds: AGENCIES }, earlier);

describe('recording a consent decision (CON-1)', () => {
  test('consent given to a named agency for a category and purpose, with a review date, is accepted; blanks become null', () => {
    assert.deepEqual(valueOf(consent({ ...GIVEN, notes: '  ', consequences: 'ignored for consent given' })), {
      ...GIVEN,
      agencyTypes: [],
      notes: null,
      consequences: null,
    });
  });

  test('a kind of agency alone is enough; an agency that is not in the directory is not', () => {
    assert.equal(problems(consent({ ...GIVEN, agencyIds: [], agencyTypes: ['housing'] })), null);
    assert.deepEqual(problems(consent({ ...GIVEN, agencyIds: ['99999999-9999-4999-8999-999999999999'] })), { agencyIds: 'Select agencies from the list' });
    assert.deepEqual(problems(consent({ ...GIVEN, agencyIds: ['not-an-id'] })), { agencyIds: 'Select agencies from the list' });
    assert.deepEqual(problems(consent({ ...GIVEN, agencyTypes: ['bank'] })), { agencyTypes: 'Select kinds of agency from the list' });
  });

  test('nothing sent: every problem at once, in the form’s order', () => {
    assert.deepEqual(problems(consent({})), {
      decision: 'Select whether the person gave or refused consent',
      agencyIds: 'Select the agencies or kinds of agency the decision is about',
      categories: 'Select the information the decision covers',
      purposes: 'Select what the information may be used for',
      obtainedHow: 'Select how the decision was given',
      obtainedOn: 'Enter the date of the decision',
    });
    const read = consent({});
    assert.deepEqual(read.ok ? [] : read.problems.map((p) => p.field), ['decision', 'agencyIds', 'categories', 'purposes', 'obtainedHow', 'obtainedOn']);
  });

  test('the date of the decision cannot be in the future; today is fine', () => {
    assert.deepEqual(problems(consent({ ...GIVEN, obtainedOn: '2026-03-04' })), { obtainedOn: 'The date of the decision cannot be in the future' });
    assert.equal(problems(consent({ ...GIVEN, obtainedOn: TODAY })), null);
  });

  test('consent given needs a review date after the decision and at most 3 years ahead', () => {
    assert.deepEqual(problems(consent({ ...GIVEN, reviewDate: undefined })), { reviewDate: 'Enter the date consent will be reviewed' });
    assert.deepEqual(problems(consent({ ...GIVEN, reviewDate: '2026-03-01' })), { reviewDate: 'The review date must be after the date of the decision' });
    assert.equal(problems(consent({ ...GIVEN, reviewDate: '2029-03-03' })), null);
    assert.deepEqual(problems(consent({ ...GIVEN, reviewDate: '2029-03-04' })), { reviewDate: 'The review date must be within 3 years of today' });
    assert.deepEqual(problems(consent({ ...GIVEN, reviewDate: '2027-02-30' })), { reviewDate: 'The review date must be a real date' });
  });

  test('a refusal needs what the person was told it costs them (CON-5), and no review date', () => {
    const refused = { ...GIVEN, decision: 'refused', reviewDate: null };
    assert.deepEqual(problems(consent(refused)), { consequences: 'Enter what the person was told cannot be offered without their consent' });
    assert.equal(valueOf(consent({ ...refused, consequences: 'Housing cannot take mental health into account' })).consequences, 'Housing cannot take mental health into account');
  });

  test('notes and consequences of 2000 characters are accepted, 2001 are not', () => {
    assert.equal(problems(consent({ ...GIVEN, notes: 'n'.repeat(2000) })), null);
    assert.deepEqual(problems(consent({ ...GIVEN, notes: 'n'.repeat(2001) })), { notes: 'The notes must be 2000 characters or fewer' });
    assert.deepEqual(problems(consent({ ...GIVEN, decision: 'refused', consequences: 'c'.repeat(2001) })), {
      consequences: 'What the person was told cannot be offered must be 2000 characters or fewer',
    });
  });

  test('a problem the form found in a field (a date input) stands in for that field’s own check', () => {
    const earlier = [{ field: 'obtainedOn', message: 'Date of the decision must include a month' }] as never;
    assert.deepEqual(problems(consent({ ...GIVEN, obtainedOn: undefined }, earlier)), { obtainedOn: 'Date of the decision must include a month' });
  });
});

describe('withdrawing consent', () => {
  const context = { today: TODAY, consentGivenOn: '2026-01-10' };
  test('when and how the person said so; not before the consent, not in the future', () => {
    assert.deepEqual(valueOf(readWithdrawal({ withdrawnOn: TODAY, obtainedHow: 'phone', notes: '' }, context)), { withdrawnOn: TODAY, obtainedHow: 'phone', notes: null });
    assert.deepEqual(problems(readWithdrawal({ withdrawnOn: '2026-01-09', obtainedHow: 'phone' }, context)), { withdrawnOn: 'The date consent was withdrawn cannot be before it was given' });
    assert.deepEqual(problems(readWithdrawal({ withdrawnOn: '2026-03-04' }, context)), {
      withdrawnOn: 'The date consent was withdrawn cannot be in the future',
      obtainedHow: 'Select how the person withdrew consent',
    });
  });
});

describe('restrictions (CON-3)', () => {
  const read = (input: unknown) => readRestriction(input, { agencyIds: AGENCIES, entryKinds: [{ type: 'note', noun: 'note' }] });
  test('categories kept from a named agency, a kind of agency or another person, for a reason', () => {
    assert.deepEqual(valueOf(read({ categories: ['mental_health'], otherParties: 'Her partner', reason: 'She asked' })), {
      entryType: null,
      entryId: null,
      categories: ['mental_health'],
      agencyIds: [],
      agencyTypes: [],
      otherParties: 'Her partner',
      reason: 'She asked',
    });
    assert.equal(problems(read({ categories: ['risk'], agencyTypes: ['police'], reason: 'She asked' })), null);
  });

  test('one entry instead of categories', () => {
    const value = valueOf(read({ entryType: 'note', entryId: NOTE.toUpperCase(), agencyIds: [POLICE], reason: 'Intimate details' }));
    assert.equal(value.entryId, NOTE);
    assert.deepEqual(value.categories, []);
    assert.deepEqual(problems(read({ entryType: 'note', entryId: NOTE, categories: ['risk'], agencyIds: [POLICE], reason: 'x' })), {
      categories: 'Restrict either one entry or categories of information, not both',
    });
    assert.deepEqual(problems(read({ entryType: 'assessment', entryId: NOTE, agencyIds: [POLICE], reason: 'x' })), { entryType: 'Only a note can be restricted on its own' });
    assert.deepEqual(problems(read({ entryType: 'note', agencyIds: [POLICE], reason: 'x' })), { entryId: 'Say which entry to restrict: open it and choose “Restrict this entry” again' });
  });

  test('basic details cannot be restricted; someone must be named; the reason is required and at most 2000 characters', () => {
    assert.deepEqual(problems(read({ categories: ['basic_details'], agencyIds: [POLICE], reason: 'x' })), {
      categories: 'Basic details cannot be restricted: every agency involved needs them to help the person',
    });
    assert.deepEqual(problems(read({})), {
      categories: 'Select the information the person does not want shared',
      agencyIds: 'Say who must not see it: agencies, kinds of agency or other people',
      reason: 'Enter the reason the person gave',
    });
    assert.deepEqual(problems(read({ categories: ['risk'], agencyIds: [POLICE], reason: 'r'.repeat(2001) })), { reason: 'The reason the person gave must be 2000 characters or fewer' });
  });
});

describe('sharing without consent (CON-4)', () => {
  const full = {
    lawfulBasis: 'serious_harm_to_others',
    justification: 'He has made specific threats against his neighbour and police need to know to protect her.',
    categories: ['risk'],
    agencyIds: [POLICE],
    reviewDate: '2026-06-01',
    personInformed: 'no',
    notInformedReason: 'Telling him would increase the risk to the neighbour',
    checklist: ['necessary', 'proportionate', 'consent_not_sought', 'recipients_told', 'advice_sought'],
  };
  const read = (input: unknown) => readException(input, { today: TODAY, agencyIds: AGENCIES, ownAgencyId: CMHT });

  test('a complete decision is accepted; the reason the person was not told is kept only when they were not', () => {
    assert.deepEqual(valueOf(read(full)), full);
    assert.equal(valueOf(read({ ...full, personInformed: 'yes' })).notInformedReason, null);
    assert.deepEqual(problems(read({ ...full, notInformedReason: '' })), { notInformedReason: 'Say why the person has not been told' });
  });

  test('the justification is at least 50 characters', () => {
    assert.equal(problems(read({ ...full, justification: 'j'.repeat(50) })), null);
    assert.deepEqual(problems(read({ ...full, justification: 'j'.repeat(49) })), {
      justification: 'The justification must be at least 50 characters: say what the risk is and why sharing is needed',
    });
  });

  test('the review is after today and within 12 months', () => {
    assert.deepEqual(problems(read({ ...full, reviewDate: TODAY })), { reviewDate: 'The review date must be after today' });
    assert.equal(problems(read({ ...full, reviewDate: '2027-03-03' })), null);
    assert.deepEqual(problems(read({ ...full, reviewDate: '2027-03-04' })), { reviewDate: 'The review date must be within 12 months of today' });
  });

  test('at least one recipient, from the directory, not the deciding agency itself', () => {
    assert.deepEqual(problems(read({ ...full, agencyIds: [] })), { agencyIds: 'Select the agencies the information is shared with' });
    assert.deepEqual(problems(read({ ...full, agencyIds: [CMHT] })), { agencyIds: 'Your own agency cannot be a recipient: choose the agencies the information is shared with' });
  });

  test('every point of the checklist must be confirmed; the refusal names those that were not', () => {
    assert.deepEqual(problems(read({ ...full, checklist: ['necessary', 'proportionate', 'recipients_told'] })), {
      checklist:
        'Confirm every point of the checklist before sharing without consent. Not confirmed: seeking consent would increase the risk, or is not possible; advice was sought from the caldicott guardian or information governance lead where it was needed',
    });
    assert.match(problems(read({ ...full, checklist: undefined }))!.checklist!, /Not confirmed: sharing is necessary/);
    assert.deepEqual(checklistRecord(['necessary']).map((c) => [c.point, c.confirmed]), [
      ['necessary', true], ['proportionate', false], ['consent_not_sought', false], ['recipients_told', false], ['advice_sought', false],
    ]);
  });

  test('whether the person was told is kept as text and read back', () => {
    assert.equal(personInformedText({ personInformed: 'yes', notInformedReason: null }), 'yes');
    assert.deepEqual(personInformedOf(personInformedText({ personInformed: 'no', notInformedReason: 'It would put her at risk' })), { informed: false, whyNot: 'It would put her at risk' });
    assert.deepEqual(personInformedOf('yes'), { informed: true, whyNot: null });
  });

  test('ending needs a reason', () => {
    assert.deepEqual(problems(readEnd({ reason: ' ' })), { reason: 'Enter the reason' });
    assert.deepEqual(valueOf(readEnd({ reason: 'Risk has passed' })), { reason: 'Risk has passed' });
  });
});

describe('how each decision stands', () => {
  const fact = (over: Partial<ConsentFact>): ConsentFact => ({
    id: 'c1', decision: 'given', agencyIds: [HOUSING], agencyTypes: [], categories: ['mental_health'], obtainedAt: new Date('2026-01-01T12:00:00Z'), reviewDate: '2026-06-01', withdrawn: false, ...over,
  });

  test('consent given shows as expired the day after its review date; withdrawn outranks both', () => {
    assert.equal(consentStatus(fact({ reviewDate: TODAY }), at), 'given');
    assert.equal(consentStatus(fact({ reviewDate: '2026-03-02' }), at), 'expired');
    assert.equal(consentStatus(fact({ reviewDate: '2026-03-02', withdrawn: true }), at), 'withdrawn');
    assert.equal(consentStatus(fact({ decision: 'refused', reviewDate: null }), at), 'refused');
  });

  test('only consent given and in force can be withdrawn', () => {
    assert.equal(withdrawalRefusal(fact({}), at), null);
    assert.deepEqual(withdrawalRefusal(fact({ withdrawn: true }), at), { kind: 'conflict', message: 'This consent has already been withdrawn.' });
    assert.equal(withdrawalRefusal(fact({ reviewDate: '2026-01-02' }), at)?.kind, 'conflict');
    assert.match(withdrawalRefusal(fact({ decision: 'refused' }), at)!.message, /record a new decision/);
    assert.equal(withdrawalRefusal(null, at)?.kind, 'not_found');
  });

  test('an exception is in force until its review date passes or it is ended', () => {
    const e = { id: 'e1', agencyIds: [POLICE], categories: ['risk'], reviewDate: TODAY, ended: false };
    assert.equal(exceptionStatus(e, at), 'in_force');
    assert.equal(exceptionStatus({ ...e, reviewDate: '2026-03-02' }, at), 'review_passed');
    assert.equal(exceptionStatus({ ...e, ended: true }, at), 'ended');
  });

  test('only the recording agency may lift a restriction; to anyone else it does not exist', () => {
    assert.equal(liftRefusal({ agencyId: CMHT }, { recordedByAgency: CMHT, ended: false }), null);
    assert.equal(liftRefusal({ agencyId: HOUSING }, { recordedByAgency: CMHT, ended: false })?.kind, 'not_found');
    assert.equal(liftRefusal({ agencyId: CMHT }, { recordedByAgency: CMHT, ended: true })?.kind, 'conflict');
  });

  test('only the deciding agency may end an exception, once', () => {
    assert.equal(endExceptionRefusal({ agencyId: CMHT }, { decidedByAgency: CMHT, ended: false }, 'Riverside'), null);
    assert.deepEqual(endExceptionRefusal({ agencyId: POLICE }, { decidedByAgency: CMHT, ended: false }, 'Riverside'), {
      kind: 'forbidden',
      message: 'Only a team manager in Riverside, which decided to share without consent, can end this exception.',
    });
    assert.equal(endExceptionRefusal({ agencyId: CMHT }, { decidedByAgency: CMHT, ended: true }, 'Riverside')?.kind, 'conflict');
  });
});

describe('consequences of refusal (CON-5)', () => {
  const refusal: ConsentFact = {
    id: 'r1', decision: 'refused', agencyIds: [HOUSING], agencyTypes: ['police'], categories: ['mental_health', 'risk'], obtainedAt: new Date('2026-02-01T12:00:00Z'), reviewDate: null, withdrawn: false,
  };
  const given = (over: Partial<ConsentFact>): ConsentFact => ({ ...refusal, id: 'g1', decision: 'given', agencyTypes: [], reviewDate: '2026-12-01', ...over });

  test('a refusal keeps every category from every party it names', () => {
    assert.deepEqual(standingRefusals([refusal], at).map((s) => s.parties), [[
      { agencyId: HOUSING, categories: ['mental_health', 'risk'] },
      { agencyType: 'police', categories: ['mental_health', 'risk'] },
    ]]);
  });

  test('a later consent gives back what it covers to the party it names; an earlier one does not', () => {
    const later = given({ categories: ['risk'], obtainedAt: new Date('2026-02-10T12:00:00Z') });
    assert.deepEqual(standingRefusals([refusal, later], at)[0]!.parties[0], { agencyId: HOUSING, categories: ['mental_health'] });
    const earlier = given({ categories: ['risk'], obtainedAt: new Date('2026-01-10T12:00:00Z') });
    assert.deepEqual(standingRefusals([refusal, earlier], at)[0]!.parties[0], { agencyId: HOUSING, categories: ['mental_health', 'risk'] });
    const kind = given({ agencyIds: [], agencyTypes: ['housing'], categories: ['mental_health', 'risk'], obtainedAt: new Date('2026-02-10T12:00:00Z') });
    assert.deepEqual(standingRefusals([refusal, kind], at, (id) => (id === HOUSING ? 'housing' : undefined))[0]!.parties, [{ agencyType: 'police', categories: ['mental_health', 'risk'] }]);
  });

  test('a withdrawn or expired later consent gives nothing back; a refusal given back entirely is left out', () => {
    const later = { obtainedAt: new Date('2026-02-10T12:00:00Z'), agencyTypes: ['police'] };
    assert.equal(standingRefusals([refusal, given({ ...later, withdrawn: true })], at).length, 1);
    assert.equal(standingRefusals([refusal, given({ ...later, reviewDate: '2026-03-01' })], at).length, 1);
    assert.deepEqual(standingRefusals([refusal, given(later)], at), []);
  });

  test('the services that cannot receive it: active teams of the agencies named and of every agency of the kinds named', () => {
    const agencies = [
      { id: HOUSING, name: 'Harbour Housing', type: 'housing', active: true },
      { id: POLICE, name: 'Northshire Police', type: 'police', active: true },
      { id: CMHT, name: 'Riverside', type: 'nhs_mental_health', active: true },
    ];
    const teams = [
      { id: 't1', name: 'Housing Options', agencyId: HOUSING, active: true },
      { id: 't2', name: 'Closed team', agencyId: HOUSING, active: false },
      { id: 't3', name: 'Safeguarding Hub', agencyId: POLICE, active: true },
      { id: 't4', name: 'CMHT', agencyId: CMHT, active: true },
    ];
    assert.deepEqual(servicesWithout([{ agencyId: HOUSING }, { agencyType: 'police' }], agencies, teams), [
      { teamId: 't1', teamName: 'Housing Options', agencyName: 'Harbour Housing' },
      { teamId: 't3', teamName: 'Safeguarding Hub', agencyName: 'Northshire Police' },
    ]);
  });

  test('in words', () => {
    const names = new Map([[HOUSING, 'Harbour Housing']]);
    assert.deepEqual(refusalWording([{ agencyId: HOUSING, categories: ['mental_health', 'risk', 'finance'] }, { agencyType: 'police', categories: ['risk'] }], names), [
      'Harbour Housing cannot be given information about mental health, risk or money and benefits without the person’s consent.',
      'Any agency of the kind “Police” cannot be given information about risk without the person’s consent.',
    ]);
  });
});

test('months are added to dates, keeping to the end of shorter months', () => {
  assert.equal(addMonths('2026-03-03', 36), '2029-03-03');
  assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
  assert.equal(addMonths('2027-12-15', 12), '2028-12-15');
  assert.equal(addMonths('2028-02-29', 12), '2029-02-28');
});
