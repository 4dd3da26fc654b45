import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './actor.js';
import { decidePersonAccess } from './person-access.js';
import type { Role } from './policy.js';

const actor = (roles: Role[], agencyId = 'housing'): Actor => ({
  userId: 'u', name: 'Kofi Mensah', email: 'k@x.example', agencyId, agencyName: 'Harbour Housing', teamId: 't', teamName: 'Options', roles, via: { kind: 'session', sessionId: 's' },
});

test('an involved agency sees the record and is told why', () => {
  const access = decidePersonAccess(actor(['practitioner']), { involvements: [{ agencyId: 'housing', role: 'partner', active: true }] });
  assert.deepEqual(access, { level: 'record', basis: 'Harbour Housing is involved in this person’s care.' });
});

test('a referrer sees only the status of its referral', () => {
  const access = decidePersonAccess(actor(['practitioner']), { involvements: [{ agencyId: 'housing', role: 'referrer', active: true }] });
  assert.equal(access.level, 'referral-status');
});

test('access ends with the involvement', () => {
  const access = decidePersonAccess(actor(['care_coordinator']), { involvements: [{ agencyId: 'housing', role: 'lead_agency', active: false }] });
  assert.equal(access.level, 'none');
});

test('another agency’s involvement gives nothing', () => {
  const access = decidePersonAccess(actor(['team_manager']), { involvements: [{ agencyId: 'nhs', role: 'lead_agency', active: true }] });
  assert.equal(access.level, 'none');
});

test('administrators and auditors have no casework access of their own', () => {
  for (const role of ['agency_administrator', 'partnership_administrator', 'auditor'] as Role[]) {
    const access = decidePersonAccess(actor([role]), { involvements: [{ agencyId: 'housing', role: 'lead_agency', active: true }] });
    assert.equal(access.level, 'none', role);
  }
});
