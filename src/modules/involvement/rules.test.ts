import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addInput, changeInput, changesBetween, domainList, endInput, endRefusal, leadClashes, LIFE_DOMAINS, whoLeads, type InvolvementFacts } from './rules.js';

const AGENCY = '7c1e3f0a-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const TEAM = '0f9e8d7c-6b5a-4f4e-8d3c-2b1a0f9e8d7c';

const problemsOf = (schema: typeof addInput | typeof changeInput | typeof endInput, input: unknown) => {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('adding an agency', () => {
  const good = { agencyId: AGENCY, teamId: TEAM, role: 'partner', domains: ['housing', 'money'], leadDomains: ['housing'], contactName: 'Kofi Mensah', contactRole: 'Housing options officer', contactPhone: '01632 960 300', communication: 'Monthly MDT; urgent by phone to duty' };

  test('a complete addition is accepted, blank optional text becomes null and no team is null', () => {
    const parsed = addInput.parse({ ...good, teamId: '', contactRole: '  ', communication: undefined });
    assert.equal(parsed.teamId, null);
    assert.equal(parsed.contactRole, null);
    assert.equal(parsed.communication, null);
    assert.deepEqual(parsed.domains, ['housing', 'money']);
    assert.deepEqual(addInput.parse({ ...good, leadDomains: undefined }).leadDomains, []);
  });

  test('an agency, a role and at least one aspect of care are required', () => {
    assert.deepEqual(problemsOf(addInput, { ...good, agencyId: '', role: 'referrer', domains: [] }), [
      'agencyId: Select the agency',
      'role: Select whether the agency is a partner or the lead agency',
      'domains: Select which aspects of care the agency covers',
    ]);
    assert.deepEqual(problemsOf(addInput, { ...good, domains: undefined }), ['domains: Select which aspects of care the agency covers']);
    assert.deepEqual(problemsOf(addInput, { ...good, domains: ['housing', 'astrology'] }), ['domains.1: Select aspects of care from the list']);
  });

  test('COORD-6: an agency leads only on what it covers', () => {
    assert.deepEqual(problemsOf(addInput, { ...good, domains: ['housing'], leadDomains: ['housing', 'money', 'safety'] }), [
      'leadDomains: An agency can only lead on what it covers: also select money and benefits and safety and risk under what it covers, or do not make it the lead',
    ]);
  });

  test('text has limits: 200 characters for the key contact, 1000 for how agencies communicate', () => {
    assert.deepEqual(problemsOf(addInput, { ...good, contactName: 'x'.repeat(200), communication: 'x'.repeat(1000) }), []);
    assert.deepEqual(problemsOf(addInput, { ...good, contactName: 'x'.repeat(201), contactRole: 'x'.repeat(201), contactPhone: 'x'.repeat(201), communication: 'x'.repeat(1001) }), [
      'contactName: The key contact’s name must be 200 characters or fewer',
      'contactRole: The key contact’s role must be 200 characters or fewer',
      'contactPhone: The key contact’s telephone number must be 200 characters or fewer',
      'communication: How the agencies communicate must be 1000 characters or fewer',
    ]);
  });

  test('a team must be a reference from the list', () => {
    assert.deepEqual(problemsOf(addInput, { ...good, teamId: 'the housing team' }), ['teamId: Select a team from the list']);
  });
});

describe('changing and ending', () => {
  test('a change carries the same rules as an addition, without the agency, and the version it was made against', () => {
    assert.deepEqual(problemsOf(changeInput, { domains: ['safety'], leadDomains: ['safety'], version: 3 }), []);
    assert.deepEqual(problemsOf(changeInput, { domains: ['safety'], leadDomains: ['housing'], version: 3 }), [
      'leadDomains: An agency can only lead on what it covers: also select housing under what it covers, or do not make it the lead',
    ]);
    assert.deepEqual(problemsOf(changeInput, { domains: ['safety'], leadDomains: ['safety'] }), [
      'version: Reload the page and make your changes again: the version of what you changed is missing or wrong',
    ]);
  });

  test('ending needs a reason of 1000 characters or fewer, and the version it was made against', () => {
    assert.deepEqual(problemsOf(endInput, { reason: ' ', version: 1 }), ['reason: Enter why the agency’s involvement is ending']);
    assert.deepEqual(problemsOf(endInput, { version: 1 }), ['reason: Enter why the agency’s involvement is ending']);
    assert.deepEqual(problemsOf(endInput, { reason: 'x'.repeat(1001), version: 1 }), ['reason: The reason must be 1000 characters or fewer']);
    assert.deepEqual(problemsOf(endInput, { reason: 'Tenancy secured; housing support no longer needed', version: 1 }), []);
    assert.deepEqual(problemsOf(endInput, { reason: 'Tenancy secured', version: true }), [
      'version: Reload the page and make your changes again: the version of what you changed is missing or wrong',
    ]);
  });
});

const involvement = (over: Partial<InvolvementFacts> & { id: string }): InvolvementFacts => ({
  agencyName: 'Agency',
  role: 'partner',
  domains: [],
  leadDomains: [],
  sourceType: 'person',
  active: true,
  ...over,
});

describe('COORD-6: one agency leads each aspect of care at a time', () => {
  const current = [
    involvement({ id: 'cmht', agencyName: 'Riverside NHS Mental Health Trust', domains: ['mental_health', 'safety'], leadDomains: ['mental_health', 'safety'] }),
    involvement({ id: 'housing', agencyName: 'Harbour Housing Options', domains: ['housing'], leadDomains: ['housing'] }),
    involvement({ id: 'old', agencyName: 'Open Door', domains: ['money'], leadDomains: ['money'], active: false }),
  ];

  test('a second lead is refused, naming the agency that leads', () => {
    assert.deepEqual(leadClashes(current, null, ['housing', 'physical_health']), [
      'Harbour Housing Options already leads on housing: change Harbour Housing Options’s involvement first, then make this agency the lead',
    ]);
  });

  test('an agency keeping its own lead, or taking one an ended involvement held, is no clash', () => {
    assert.deepEqual(leadClashes(current, 'housing', ['housing']), []);
    assert.deepEqual(leadClashes(current, null, ['money']), []);
  });

  test('who leads on what lists every aspect, its lead and who covers it, ignoring ended involvements', () => {
    const leads = whoLeads(current);
    assert.deepEqual(leads.map((l) => l.domain), [...LIFE_DOMAINS]);
    const of = (domain: string) => leads.find((l) => l.domain === domain)!;
    assert.equal(of('mental_health').lead?.id, 'cmht');
    assert.equal(of('housing').lead?.agencyName, 'Harbour Housing Options');
    assert.equal(of('money').lead, null);
    assert.deepEqual(of('money').coveredBy, []);
    assert.deepEqual(of('safety').coveredBy.map((i) => i.id), ['cmht']);
  });
});

describe('which involvements the coordinator may end', () => {
  test('one a referral or case started ends with it; a partner the coordinator added can be ended', () => {
    assert.match(endRefusal(involvement({ id: 'r', role: 'receiving_service', sourceType: 'referral', agencyName: 'Riverside' }))!, /received a referral for this person that is still open/);
    assert.match(endRefusal(involvement({ id: 'l', role: 'lead_agency', sourceType: 'case', agencyName: 'Riverside' }))!, /lead agency for an open case/);
    assert.match(endRefusal(involvement({ id: 'f', role: 'referrer', sourceType: 'referral', agencyName: 'Council' }))!, /made a referral/);
    assert.match(endRefusal(involvement({ id: 'e', active: false, agencyName: 'Harbour' }))!, /already ended/);
    assert.equal(endRefusal(involvement({ id: 'p', role: 'partner', sourceType: 'person' })), null);
    assert.equal(endRefusal(involvement({ id: 'a', role: 'lead_agency', sourceType: 'person' })), null);
  });
});

describe('wording', () => {
  test('aspects of care read as a list', () => {
    assert.equal(domainList(['housing']), 'housing');
    assert.equal(domainList(['housing', 'money', 'safety']), 'housing, money and benefits and safety and risk');
  });

  test('the audit records only what changed, from and to', () => {
    assert.deepEqual(changesBetween({ domains: ['housing'], contactName: 'A', communication: null }, { domains: ['housing', 'money'], contactName: 'A', communication: null }), {
      domains: { from: ['housing'], to: ['housing', 'money'] },
    });
  });
});
