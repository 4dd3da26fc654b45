import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './actor.js';
import { decideItemAccess, decidePersonAccess, type ConsentFact, type Item, type PersonAccessFacts } from './person-access.js';
import type { Role } from './policy.js';

const actor = (roles: Role[], agencyId = 'housing'): Actor => ({
  userId: 'u', name: 'Kofi Mensah', email: 'k@x.example', agencyId, agencyName: 'Harbour Housing', agencyType: 'housing', teamId: 't', teamName: 'Options', roles, via: { kind: 'session', sessionId: 's' },
});
const at = { now: new Date('2026-11-23T10:00:00Z'), today: '2026-11-23' };
const involved: PersonAccessFacts = { involvements: [{ agencyId: 'housing', role: 'partner', active: true }] };
const consent = (over: Partial<ConsentFact> = {}): ConsentFact => ({
  id: 'c1', decision: 'given', agencyIds: ['housing'], agencyTypes: [], categories: ['mental_health'], obtainedAt: new Date('2026-10-01T09:00:00Z'), reviewDate: '2027-10-01', withdrawn: false, ...over,
});
const mentalHealthNote: Item = { category: 'mental_health', owningAgencyId: 'nhs', entryId: 'n1' };
const sees = (facts: PersonAccessFacts, item = mentalHealthNote, who = actor(['practitioner'])) => decideItemAccess(who, facts, item, at);

test('an involved agency sees the record and is told why', () => {
  const access = decidePersonAccess(actor(['practitioner']), involved, at);
  assert.deepEqual(access, { level: 'record', via: 'involvement', basis: 'Harbour Housing is involved in this person’s care.' });
});

test('a referrer sees only the status of its referral', () => {
  assert.equal(decidePersonAccess(actor(['practitioner']), { involvements: [{ agencyId: 'housing', role: 'referrer', active: true }] }, at).level, 'referral-status');
});

test('access ends with the involvement, and another agency’s involvement gives nothing', () => {
  assert.equal(decidePersonAccess(actor(['care_coordinator']), { involvements: [{ agencyId: 'housing', role: 'lead_agency', active: false }] }, at).level, 'none');
  assert.equal(decidePersonAccess(actor(['team_manager']), { involvements: [{ agencyId: 'nhs', role: 'lead_agency', active: true }] }, at).level, 'none');
});

test('administrators and auditors have no casework access of their own', () => {
  for (const role of ['agency_administrator', 'partnership_administrator', 'auditor'] as Role[]) {
    assert.equal(decidePersonAccess(actor([role]), { involvements: [{ agencyId: 'housing', role: 'lead_agency', active: true }] }, at).level, 'none', role);
  }
});

test('basic details are shared with an involved agency; other categories need consent', () => {
  assert.equal(sees(involved, { category: 'basic_details', owningAgencyId: 'nhs', entryId: null }).allowed, true);
  assert.deepEqual([sees(involved).allowed, sees(involved).via], [false, 'no_consent']);
  assert.deepEqual([sees({ ...involved, consents: [consent()] }).allowed, sees({ ...involved, consents: [consent()] }).via], [true, 'consent']);
});

test('consent may name a kind of agency, and covers only its categories', () => {
  assert.equal(sees({ ...involved, consents: [consent({ agencyIds: [], agencyTypes: ['housing'] })] }).allowed, true);
  assert.equal(sees({ ...involved, consents: [consent({ categories: ['housing'] })] }).allowed, false);
  assert.equal(sees({ ...involved, consents: [consent({ agencyIds: ['police'] })] }).allowed, false);
});

test('withdrawn, expired or later refused consent shares nothing; a later consent outweighs an earlier refusal', () => {
  assert.equal(sees({ ...involved, consents: [consent({ withdrawn: true })] }).allowed, false);
  assert.equal(sees({ ...involved, consents: [consent({ reviewDate: '2026-11-22' })] }).allowed, false);
  assert.equal(sees({ ...involved, consents: [consent({ reviewDate: '2026-11-23' })] }).allowed, true, 'in force on its review date');
  const refusal = consent({ id: 'r', decision: 'refused', reviewDate: null, obtainedAt: new Date('2026-11-01T09:00:00Z') });
  assert.equal(sees({ ...involved, consents: [consent(), refusal] }).allowed, false);
  assert.equal(sees({ ...involved, consents: [consent({ obtainedAt: new Date('2026-11-02T09:00:00Z') }), refusal] }).allowed, true);
  assert.equal(sees({ ...involved, consents: [consent(), { ...refusal, withdrawn: true }] }).allowed, true);
});

test('the owning agency always sees its own items; a restriction hides them from the parties it names', () => {
  const restricted: PersonAccessFacts = { ...involved, consents: [consent()], restrictions: [{ id: 'x', entryId: 'n1', categories: [], agencyIds: ['housing'], agencyTypes: [], ended: false }] };
  assert.deepEqual([sees(restricted).allowed, sees(restricted).via], [false, 'restricted']);
  assert.equal(sees(restricted, { ...mentalHealthNote, entryId: 'n2' }).allowed, true, 'other entries are still shared');
  assert.equal(sees(restricted, { ...mentalHealthNote, owningAgencyId: 'housing' }).allowed, true);
  assert.equal(sees({ ...restricted, restrictions: [{ ...restricted.restrictions![0]!, ended: true }] }).allowed, true, 'a lifted restriction');
  const byCategory: PersonAccessFacts = { ...restricted, restrictions: [{ id: 'y', entryId: null, categories: ['mental_health'], agencyIds: [], agencyTypes: ['housing'], ended: false }] };
  assert.equal(sees(byCategory, { ...mentalHealthNote, entryId: 'n9' }).allowed, false);
});

test('an exception shares without consent, over a restriction, and opens the record to the agency it names', () => {
  const exception = { id: 'e', agencyIds: ['housing'], categories: ['mental_health'], reviewDate: '2027-01-01', ended: false };
  const facts: PersonAccessFacts = { involvements: [], exceptions: [exception], restrictions: [{ id: 'x', entryId: 'n1', categories: [], agencyIds: ['housing'], agencyTypes: [], ended: false }] };
  assert.equal(decidePersonAccess(actor(['practitioner']), facts, at).via, 'exception');
  assert.deepEqual([sees(facts).allowed, sees(facts).via], [true, 'exception']);
  assert.equal(sees(facts, { category: 'offending', owningAgencyId: 'nhs' }).allowed, false, 'outside its scope');
  assert.equal(decidePersonAccess(actor(['practitioner']), { involvements: [], exceptions: [{ ...exception, ended: true }] }, at).level, 'none');
  assert.equal(decidePersonAccess(actor(['practitioner']), { involvements: [], exceptions: [{ ...exception, reviewDate: '2026-11-22' }] }, at).level, 'none');
});

test('break-glass opens the record for its user until it expires, but not restricted entries', () => {
  const glass = { id: 'b', userId: 'u', startedAt: new Date('2026-11-23T08:00:00Z'), expiresAt: new Date('2026-11-23T12:00:00Z') };
  assert.equal(decidePersonAccess(actor(['practitioner']), { involvements: [], breakGlass: [glass] }, at).via, 'break_glass');
  assert.equal(sees({ involvements: [], breakGlass: [glass] }).allowed, true);
  assert.equal(sees({ involvements: [], breakGlass: [glass], restrictions: [{ id: 'x', entryId: 'n1', categories: [], agencyIds: ['housing'], agencyTypes: [], ended: false }] }).allowed, false);
  assert.equal(decidePersonAccess(actor(['practitioner']), { involvements: [], breakGlass: [{ ...glass, userId: 'someone else' }] }, at).level, 'none');
  assert.equal(decidePersonAccess(actor(['practitioner']), { involvements: [], breakGlass: [{ ...glass, expiresAt: at.now }] }, at).level, 'none');
});
