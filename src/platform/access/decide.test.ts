import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './actor.js';
import { decide, hasPermission, rolesGranting } from './decide.js';
import { PERMISSIONS, ROLES, type Permission, type Role } from './policy.js';

function actor(roles: Role[], agencyId = 'agency-a'): Actor {
  return {
    userId: 'u1',
    name: 'Test User',
    email: 't@example.org',
    agencyId,
    agencyName: 'Agency A',
    agencyType: 'housing',
    teamId: 'team-1',
    teamName: 'Team One',
    roles,
    via: { kind: 'session', sessionId: 's' },
  };
}

describe('the access decision', () => {
  test('nobody signed in may do anything', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      assert.equal(decide(null, permission).allowed, false);
    }
  });

  test('every role can see its own work, tokens and the directory', () => {
    for (const role of ROLES) {
      for (const permission of ['workspace.view', 'account.tokens', 'directory.view'] as Permission[]) {
        assert.equal(decide(actor([role]), permission).allowed, true, `${role} ${permission}`);
      }
    }
  });

  test('only auditors browse the audit trail', () => {
    assert.deepEqual(rolesGranting('audit.view'), ['auditor']);
    assert.equal(decide(actor(['partnership_administrator']), 'audit.view').allowed, false);
  });

  test('an agency administrator manages their own agency only', () => {
    const admin = actor(['agency_administrator'], 'agency-a');
    assert.equal(decide(admin, 'directory.manage', { agencyId: 'agency-a' }).allowed, true);
    const elsewhere = decide(admin, 'directory.manage', { agencyId: 'agency-b' });
    assert.equal(elsewhere.allowed, false);
    assert.match(!elsewhere.allowed ? elsewhere.reason : '', /own agency/);
  });

  test('an agency administrator cannot hand out partnership-wide roles, a partnership administrator can', () => {
    const target = { agencyId: 'agency-a', grantsRoles: ['practitioner', 'partnership_administrator'] as Role[] };
    assert.equal(decide(actor(['agency_administrator']), 'directory.manage', target).allowed, false);
    assert.equal(decide(actor(['partnership_administrator'], 'agency-z'), 'directory.manage', target).allowed, true);
  });

  test('adding agencies is for partnership administrators alone', () => {
    assert.deepEqual(rolesGranting('directory.manage_agencies'), ['partnership_administrator']);
  });

  test('practitioners, coordinators and managers do not manage the directory', () => {
    for (const role of ['practitioner', 'care_coordinator', 'team_manager', 'auditor'] as Role[]) {
      assert.equal(hasPermission(actor([role]), 'directory.manage'), false, role);
    }
  });

  test('roles from one membership combine', () => {
    const both = actor(['team_manager', 'agency_administrator']);
    assert.equal(decide(both, 'directory.manage', { agencyId: 'agency-a' }).allowed, true);
  });

  test('casework permissions belong to practice roles; only team managers allocate', () => {
    assert.deepEqual(rolesGranting('referrals.allocate'), ['team_manager']);
    for (const permission of ['people.search', 'people.view', 'people.record', 'referrals.make', 'referrals.work'] as Permission[]) {
      assert.deepEqual(rolesGranting(permission), ['practitioner', 'care_coordinator', 'team_manager'], permission);
    }
  });
});
