import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testConcord } from '../support/app.js';
import { actorFor, refer } from '../support/casework.js';
import type { Owner } from '../../src/platform/clocks/obligation-rules.js';

// The clock queries My work is built on, checked on their own: the access decision is applied in
// SQL there, not only by the page that shows the rows.
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const { obligations } = t.services;

const raj = await actorFor(t, 'raj.patel@northshire-council.example');
const mark = await actorFor(t, 'mark.ellison@northshire-council.example');
const kofi = await actorFor(t, 'kofi.mensah@harbour-housing.example');

// Seen: a person the duty team received a referral for. Unseen: a person nobody is involved with.
const seen = await refer(t, kofi, raj, { name: ['Rosamund', 'Seenby'] });
const unseen = await t.db.transaction((tx) => t.services.people.createInTransaction(tx, kofi, t.services.people.parsePerson({ givenName: 'Una', familyName: 'Unseen' }), () => undefined));

const hours = (n: number) => new Date(t.clock.now().getTime() + n * 3_600_000);
const team: Owner = { kind: 'team', teamId: raj.teamId, agencyId: raj.agencyId };
const subject = { type: 'referral', id: randomUUID() };
async function deadline(title: string, owner: Owner, dueAt: Date, personId: string | null) {
  return obligations.start(t.db, { kind: 'test.deadline', ruleId: 'TEST-1', title, subject, personId, owner, dueAt });
}
await deadline('Team, seen, soon', team, hours(2), seen.personId);
await deadline('Team, unseen, soon', team, hours(2), unseen.id);
await deadline('Team, nobody, soon', team, hours(2.5), null);
await deadline('Team, seen, next week', team, hours(24 * 7), seen.personId);
await deadline('Raj, seen, soon', { kind: 'user', userId: raj.userId, teamId: raj.teamId, agencyId: raj.agencyId }, hours(3), seen.personId);
await deadline('Mark, seen, soon', { kind: 'user', userId: mark.userId, teamId: mark.teamId, agencyId: mark.agencyId }, hours(3.5), seen.personId);
const met = await deadline('Team, seen, met', team, hours(1), seen.personId);
await t.db.transaction((tx) => obligations.meet(tx, met.id, raj.userId));

const titles = (rows: { title: string; subjectId: string }[]) => rows.filter((r) => r.subjectId === subject.id).map((r) => r.title);

test('openFor: still-due deadlines owned by the user or by the team as a whole, earliest first, only about people the actor may see', async () => {
  const mine = await obligations.openFor(t.db, raj, { teamIds: [raj.teamId], userId: raj.userId });
  assert.deepEqual(titles(mine), ['Team, seen, soon', 'Team, nobody, soon', 'Raj, seen, soon', 'Team, seen, next week']);
});

test('openFor: only those due before a time, when asked', async () => {
  const near = await obligations.openFor(t.db, raj, { teamIds: [raj.teamId], userId: raj.userId }, { dueBefore: hours(24) });
  assert.deepEqual(titles(near), ['Team, seen, soon', 'Team, nobody, soon', 'Raj, seen, soon']);
});

test('openFor: someone outside the team sees none of it, and a role without casework sees only deadlines about nobody', async () => {
  assert.deepEqual(titles(await obligations.openFor(t.db, kofi, { teamIds: [kofi.teamId], userId: kofi.userId })), []);
  const admin = await actorFor(t, 'linda.fraser@northshire-council.example');
  assert.deepEqual(titles(await obligations.openFor(t.db, admin, { teamIds: [raj.teamId], userId: null })), ['Team, nobody, soon']);
});

test('stillDueOn: every still-due deadline on the subjects, whoever owns it, only about people the actor may see', async () => {
  const due = await obligations.stillDueOn(t.db, raj, 'referral', [subject.id]);
  assert.deepEqual(titles(due), ['Team, seen, soon', 'Team, nobody, soon', 'Raj, seen, soon', 'Mark, seen, soon', 'Team, seen, next week']);
  assert.deepEqual(await obligations.stillDueOn(t.db, raj, 'referral', []), []);
});
