import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, testConcord } from '../support/app.js';
import { REFERRAL_STATES } from '../../src/modules/referrals/rules.js';
import { isValidNhsNumber } from '../../src/modules/people/rules.js';

// The demo database as `npm test` built it, read at the time it was built (or just after).
const t = await testConcord();

const rows = async <T>(sql: string, params: unknown[] = []) => (await t.pool.query(sql, params)).rows as T[];
const byTeam = (team: string) =>
  rows<{ state: string; category: string | null; is_re_referral: boolean }>(`select r.state, r.category, r.is_re_referral from referral r join team t on t.id = r.receiving_team_id where t.name = $1`, [team]);

test('both duty teams have referrals in many states, and between them every state and screening category', async () => {
  const cmht = await byTeam('Riverside Community Mental Health Team');
  const duty = await byTeam('Adult Social Care Duty Team');
  assert.ok(cmht.length >= 10 && duty.length >= 5);
  assert.deepEqual([...new Set([...cmht, ...duty].map((r) => r.state))].sort(), [...REFERRAL_STATES].sort());
  assert.deepEqual([...new Set([...cmht, ...duty].map((r) => r.category).filter(Boolean))].sort(), ['emergency', 'inappropriate', 'routine', 'urgent']);
  for (const state of ['received', 'information_requested', 'screened', 'signposted', 'waiting']) {
    assert.ok(duty.some((r) => r.state === state), `the adult social care duty team has one ${state}`);
  }
});

test('the handbook’s service users A to D are there: A, C and D with open cases coordinated by Tom and Grace, D led by the council, B re-referred after her case closed', async () => {
  const cases = await rows<{ name: string; coordinator: string; state: string; lead: string }>(`
    select p.given_name || ' ' || p.family_name as name, u.name as coordinator, c.state, a.name as lead
    from care_case c join person p on p.id = c.person_id join app_user u on u.id = c.coordinator_user_id join agency a on a.id = c.lead_agency_id
    order by c.opened_at`);
  assert.deepEqual(cases, [
    { name: 'Beverley Ashdown', coordinator: 'Grace Whitfield', state: 'closed', lead: 'Riverside NHS Mental Health Trust' },
    { name: 'Aaron Whitlock', coordinator: 'Tom Okafor', state: 'open', lead: 'Riverside NHS Mental Health Trust' },
    { name: 'Derek Fairbairn', coordinator: 'Tom Okafor', state: 'open', lead: 'Northshire County Council Adult Social Care' },
    { name: 'Chloe Penrose', coordinator: 'Grace Whitfield', state: 'open', lead: 'Riverside NHS Mental Health Trust' },
  ]);
  const [again] = await rows<{ state: string; previous_closed: string }>(`
    select r.state, c.state as previous_closed from referral r join care_case c on c.id = r.previous_case_id where r.is_re_referral`);
  assert.deepEqual(again, { state: 'waiting', previous_closed: 'closed' });
  const children = await rows<{ child_name: string }>(`select child_name from child_link l join person p on p.id = l.person_id where p.family_name = 'Penrose' order by child_name`);
  assert.deepEqual(children.map((c) => c.child_name), ['Jayden Penrose', 'Maisie Penrose']);
});

test('the clocks are alive: some breached, a risk re-check overdue on a waiting list, information owed by referrers, a case meeting due', async () => {
  const clocks = await rows<{ kind: string; state: string; owner: string }>(`select o.kind, o.state, t.name as owner from obligation o join team t on t.id = o.owner_team_id`);
  assert.ok(clocks.some((c) => c.kind === 'referral.screen' && c.state === 'breached'));
  assert.ok(clocks.some((c) => c.kind === 'waiting.risk_check' && c.state === 'breached' && c.owner === 'Adult Social Care Duty Team'));
  assert.ok(clocks.some((c) => c.kind === 'waiting.risk_check' && c.state === 'open'));
  assert.deepEqual(clocks.filter((c) => c.kind === 'referral.information' && c.state !== 'met').map((c) => c.owner).sort(), ['Millbrook Surgery', 'Open Door Outreach']);
  assert.deepEqual(clocks.filter((c) => c.kind === 'case.meeting').map((c) => c.state), ['open']);
});

test('every person is synthetic: NHS numbers from the test range that pass the check digit, postcodes in NE99', async () => {
  const people = await rows<{ nhs_number: string | null; postcode: string | null }>(`select nhs_number, postcode from person`);
  assert.ok(people.length >= 20);
  for (const p of people) {
    assert.ok(p.nhs_number && p.nhs_number.startsWith('999') && isValidNhsNumber(p.nhs_number), String(p.nhs_number));
    assert.match(String(p.postcode), /^NE99 \d[A-Z]{2}$/);
  }
});

test('everything was done through the services: audited, dated in the past, and the audit chain holds', async () => {
  const [received] = await rows<{ referrals: number; events: number }>(`
    select (select count(*)::int from referral) as referrals,
           (select count(*)::int from audit_event where action = 'referral.received' and person_id is not null) as events`);
  assert.equal(received!.events, received!.referrals);
  const [future] = await rows<{ n: number }>(`select count(*)::int as n from referral_event where at > now()`);
  assert.equal(future!.n, 0);
  const check = await t.services.audit.verify('demo test');
  assert.equal(check.intact, true);
});

test('Tom’s My work shows his duty queue, his cases and the team’s overdue deadlines', async () => {
  const tom = await apiClient(t, 'tom.okafor@riverside-nhs.example');
  const answer = (await tom.get('/api/v1/my-work')).json() as { queues: { queue: string; items: { person: { name: string }; urgency: string | null }[] }[] };
  const queue = (name: string) => answer.queues.find((q) => q.queue === name)!.items;
  assert.deepEqual(queue('cases').map((i) => i.person.name).sort(), ['Aaron Whitlock', 'Derek Fairbairn']);
  assert.ok(queue('duty').length >= 5);
  assert.ok(queue('deadlines').some((i) => i.urgency === 'overdue'));
});
