import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, lastAuditId, testConcord } from '../support/app.js';
import type { DomainError } from '../../src/platform/errors.js';

// Monday 2 March 2026, 10:00 London time.
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const { referrals, directory, people } = t.services;

async function actorFor(email: string) {
  const account = await directory.findAccountByEmail(email);
  return (await directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' }))!;
}
const raj = await actorFor('raj.patel@northshire-council.example'); // adult social care duty: the referrer
const tom = await actorFor('tom.okafor@riverside-nhs.example'); // CMHT care coordinator
const priya = await actorFor('priya.raman@riverside-nhs.example'); // CMHT team manager
const kofi = await actorFor('kofi.mensah@harbour-housing.example'); // uninvolved partner agency

const noRisk = { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' };
const intake = (overrides: Record<string, unknown> = {}) => ({
  receivingTeamId: tom.teamId,
  sourceType: 'agency',
  channel: 'electronic',
  reason: 'Low mood and not eating; lives alone',
  risks: { ...noRisk, unintentionalSelfHarm: 'potential' },
  consentToReferral: 'yes',
  consentToShare: 'yes',
  referrerContact: '01632 960 777',
  person: { givenName: 'Marjorie', familyName: 'Ellerby', dateOfBirth: '1951-08-19', postcode: 'NE1 4ST' },
  ...overrides,
});

const obligationsOf = async (referralId: string) =>
  (await t.pool.query(`select kind, state, rule_id, owner_team_id, due_at from obligation where subject_id = $1 order by created_at, kind`, [referralId])).rows as { kind: string; state: string; rule_id: string; owner_team_id: string; due_at: Date }[];

describe('a referral from another agency, through to allocation', () => {
  let id = '';
  let version = 1;
  const refresh = async () => {
    version = (await t.pool.query(`select version from referral where id = $1`, [id])).rows[0].version;
  };

  test('Raj refers Marjorie to the CMHT: received, suggested urgent, a screening clock for the duty team, both agencies involved', async () => {
    const before = await lastAuditId(t);
    const row = await referrals.receive(raj, intake());
    id = row.id;
    assert.match(row.reference, /^REF-2026-\d{6}$/);
    assert.equal(row.state, 'received');
    assert.equal(row.suggestedCategory, 'urgent');
    assert.equal(row.referrerName, 'Raj Patel');
    const clocks = await obligationsOf(id);
    assert.deepEqual(clocks.map((c) => [c.kind, c.state, c.owner_team_id]), [['referral.screen', 'open', tom.teamId]]);
    assert.equal(clocks[0]!.due_at.toISOString(), '2026-03-03T23:59:59.999Z', 'by the end of the next working day');
    const roles = (await t.pool.query(`select a.name, i.role from involvement i join agency a on a.id = i.agency_id where i.source_id = $1 order by i.role`, [id])).rows;
    assert.deepEqual(roles, [
      { name: 'Riverside NHS Mental Health Trust', role: 'receiving_service' },
      { name: 'Northshire County Council Adult Social Care', role: 'referrer' },
    ]);
    const actions = (await auditSince(t, before)).map((e) => e.action);
    assert.deepEqual(actions, ['person.created', 'referral.received']);
  });

  test('the referrer sees the status and its timeline, not the receiving service’s working; an uninvolved agency sees nothing', async () => {
    const seen = await referrals.get(raj, id);
    assert.equal(seen.view, 'referrer');
    assert.deepEqual(Object.keys(seen.referral).sort(), ['category', 'id', 'personId', 'reason', 'receivedAt', 'receivingAgencyId', 'receivingTeamId', 'reference', 'state', 'version']);
    assert.ok(!('contacts' in seen));
    await assert.rejects(referrals.get(kofi, id), (e: DomainError) => e.kind === 'not_found');
    await assert.rejects(people.get(raj, seen.referral.personId), (e: DomainError) => e.kind === 'not_found', 'a referrer does not see the record');
  });

  test('the duty team asks for more information; the referral waits; Raj answers inside Concord', async () => {
    await refresh();
    await assert.rejects(referrals.requestInformation(tom, { referralId: id, version }, {}), (e: DomainError) => e.fieldErrors[0]!.message === 'Select what is missing, or write the question to ask');
    await referrals.requestInformation(tom, { referralId: id, version }, { items: ['presenting_needs'], question: 'Has she been seen by her GP?' });
    const asked = await obligationsOf(id);
    assert.deepEqual(asked.filter((o) => o.kind === 'referral.information').map((o) => [o.state, o.rule_id]), [['open', 'REF-2']]);
    await refresh();
    await referrals.answerInformation(raj, { referralId: id, version }, { answer: 'GP saw her last week; not eating for a fortnight.' });
    const row = (await t.pool.query(`select state from referral where id = $1`, [id])).rows[0];
    assert.equal(row.state, 'received');
    const answered = await obligationsOf(id);
    assert.deepEqual(answered.filter((o) => o.kind === 'referral.information').map((o) => o.state), ['met']);
  });

  test('two people acting on the same version: one succeeds, the other is told it changed', async () => {
    await refresh();
    const stale = version;
    await referrals.giveFeedback(tom, { referralId: id, version: stale }, { message: 'Thank you, we will screen today.' });
    await assert.rejects(referrals.giveFeedback(tom, { referralId: id, version: stale }, { message: 'Second message' }), (e: DomainError) => e.code === 'REFERRALS.CHANGED' && e.kind === 'conflict');
  });

  test('screening routine when urgent is suggested needs a reason; urgent starts the contact and assessment clocks', async () => {
    await refresh();
    await assert.rejects(referrals.screen(tom, { referralId: id, version }, { category: 'routine' }), (e: DomainError) => /REF-3: You chose routine rather than the suggested urgent/.test(e.fieldErrors[0]!.message));
    await referrals.screen(tom, { referralId: id, version }, { category: 'urgent' });
    const clocks = await obligationsOf(id);
    const byKind = Object.fromEntries(clocks.map((c) => [c.kind, c]));
    assert.equal(byKind['referral.screen']!.state, 'met');
    assert.equal(byKind['referral.first_contact']!.due_at.toISOString(), '2026-03-04T23:59:59.999Z');
    assert.equal(byKind['referral.assessment']!.due_at.toISOString(), '2026-03-09T23:59:59.999Z');
  });

  test('an illegal step is refused with a message naming the rule', async () => {
    await refresh();
    await assert.rejects(referrals.placeOnWaitingList(priya, { referralId: id, version }), (e: DomainError) => e.kind === 'conflict' && /^WAIT-1: a referral that is "screened" cannot be moved this way/.test(e.message));
  });

  test('an assessment after its deadline needs the reason for the delay', async () => {
    t.clock.set('2026-03-10T09:00:00Z');
    await refresh();
    const late = { kind: 'assessment', happenedAt: '2026-03-10T08:30:00Z', method: 'Home visit', summary: 'Assessed at home with her daughter present.' };
    await assert.rejects(referrals.recordContact(tom, { referralId: id, version }, late), (e: DomainError) => e.fieldErrors[0]!.field === 'lateReason');
    await referrals.recordContact(tom, { referralId: id, version }, { ...late, lateReason: 'She was in hospital from 4 to 9 March' });
    const state = (await t.pool.query(`select state from referral where id = $1`, [id])).rows[0].state;
    assert.equal(state, 'assessing');
  });

  test('the MDT decides she is eligible; routine allocation would be 12 weeks, she waits, risk is re-checked', async () => {
    await refresh();
    await assert.rejects(
      referrals.decideEligibility(tom, { referralId: id, version }, { eligible: 'yes', seriousMentalIllness: 'no', risks: 'no', levelOfNeed: 'moderate', participants: ['Tom Okafor'], basis: 'Discussed at MDT' }),
      (e: DomainError) => e.fieldErrors.length === 3,
    );
    await referrals.decideEligibility(tom, { referralId: id, version }, { eligible: 'yes', seriousMentalIllness: 'yes', conditions: 'Severe depression', risks: 'yes', levelOfNeed: 'substantial', participants: ['Priya Raman', 'Tom Okafor', 'Dr Lin (consultant)'], basis: 'Severe depression with self-neglect' });
    await refresh();
    await referrals.placeOnWaitingList(priya, { referralId: id, version });
    const clocks = await obligationsOf(id);
    assert.ok(clocks.some((c) => c.kind === 'referral.allocation' && c.state === 'open'));
    const check = clocks.find((c) => c.kind === 'waiting.risk_check' && c.state === 'open')!;
    assert.equal(check.due_at.toISOString(), '2026-03-24T23:59:59.999Z', '14 days');
    await refresh();
    await referrals.recordRiskCheck(tom, { referralId: id, version }, { riskSummary: 'Eating a little more; daughter visiting daily', expedite: 'no' });
    const after = await obligationsOf(id);
    assert.equal(after.filter((c) => c.kind === 'waiting.risk_check' && c.state === 'open').length, 1, 'the next check is due');
  });

  test('only a manager allocates, to a care coordinator in the team, with reasons: the case opens with exactly one coordinator', async () => {
    await refresh();
    const input = { coordinatorUserId: tom.userId, reasons: 'Experience with older adults; Marjorie asked for a male worker', considerations: ['expertise', 'persons_wishes'], leadAgencyId: tom.agencyId, leadAgencyAgreed: 'yes' };
    await assert.rejects(referrals.allocate(tom, { referralId: id, version }, input), (e: DomainError) => e.kind === 'forbidden');
    // The demo gives Tom and Grace cases of their own: each candidate's caseload is what the database holds.
    const openCasesOf = async (userId: string) => (await t.pool.query(`select count(*)::int as n from care_case where coordinator_user_id = $1 and state <> 'closed'`, [userId])).rows[0].n as number;
    const candidates = await referrals.allocationCandidates(priya, id);
    assert.deepEqual(candidates.map((c) => c.name).sort(), ['Grace Whitfield', 'Tom Okafor']);
    for (const c of candidates) assert.equal(c.openCases, await openCasesOf(c.userId), `${c.name}'s caseload`);
    const tomsCasesBefore = await openCasesOf(tom.userId);
    await assert.rejects(referrals.allocate(priya, { referralId: id, version }, { ...input, coordinatorUserId: priya.userId }), (e: DomainError) => e.fieldErrors[0]!.message === 'COORD-1: select a care coordinator in this team');
    const opened = await referrals.allocate(priya, { referralId: id, version }, input);
    assert.match(opened.reference, /^CASE-2026-\d{6}$/);
    assert.equal(opened.coordinatorUserId, tom.userId);
    const open = (await obligationsOf(id)).filter((o) => o.state === 'open' || o.state === 'breached');
    assert.deepEqual(open, [], 'every referral clock is closed at allocation');
    const timeline = (await referrals.get(raj, id)).timeline.map((e) => e.kind);
    assert.deepEqual(timeline, ['received', 'information_requested', 'information_received', 'feedback', 'screened', 'assessment', 'eligible', 'waiting', 'allocated']);
    assert.equal((await referrals.allocationCandidates(priya, id)).find((c) => c.name === 'Tom Okafor')!.openCases, tomsCasesBefore + 1);
  });
});

describe('inappropriate referrals and re-referrals', () => {
  test('inappropriate needs signposting and reasons not to assess; the referrer is told', async () => {
    const row = await referrals.receive(raj, intake({ person: { givenName: 'Dennis', familyName: 'Oduya', dateOfBirth: '1990-02-02' }, risks: noRisk }));
    assert.equal(row.suggestedCategory, 'routine');
    await assert.rejects(referrals.screen(tom, { referralId: row.id, version: 1 }, { category: 'inappropriate', reason: 'Housing need only, no mental health need' }), (e: DomainError) => e.fieldErrors.map((f) => f.field).join() === 'signposting,notAssessingReason');
    await referrals.screen(tom, { referralId: row.id, version: 1 }, { category: 'inappropriate', reason: 'Housing need only, no mental health need', signposting: 'Harbour Housing Options', notAssessingReason: 'No mental health need described' });
    const seen = await referrals.get(raj, row.id);
    assert.equal(seen.referral.state, 'signposted');
    assert.match(seen.timeline.at(-1)!.summary, /Harbour Housing Options/);
  });

  test('a new person who looks like someone already known must be confirmed as new', async () => {
    await assert.rejects(
      referrals.receive(raj, intake({ person: { givenName: 'Marjory', familyName: 'Ellerby', dateOfBirth: '1951-08-19' } })),
      (e: DomainError) => e.code === 'REFERRALS.POSSIBLE_DUPLICATE' && /Marjorie Ellerby \(born 1951-08-19\)/.test(e.fieldErrors[0]!.message),
    );
  });

  test('bad intake is refused with a message for each field, and nothing is written', async () => {
    const before = await lastAuditId(t);
    const count = (await t.pool.query(`select count(*)::int as n from referral`)).rows[0].n;
    await assert.rejects(
      referrals.receive(raj, { receivingTeamId: 'nope', reason: '', risks: { harmToOthers: 'maybe' }, consentToReferral: 'perhaps', person: { givenName: 'X', familyName: 'Y' } }),
      (e: DomainError) => {
        const fields = e.fieldErrors.map((f) => f.field);
        for (const field of ['receivingTeamId', 'sourceType', 'channel', 'reason', 'risks', 'consentToReferral', 'consentToShare']) assert.ok(fields.includes(field), field);
        return true;
      },
    );
    assert.equal((await t.pool.query(`select count(*)::int as n from referral`)).rows[0].n, count);
    assert.deepEqual(await auditSince(t, before), []);
  });
});
