import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiClient, Browser, testConcord } from '../support/app.js';
import { actorFor, refer, rowsOf } from '../support/casework.js';
import type { Actor } from '../../src/platform/access/actor.js';
import type { Queryable } from '../../src/platform/db/database.js';

// My work shows a deadline of any kind a module registers, with that module's own link, title and
// priority, and without a line of My work knowing the kind (platform/clocks/subjects). A kind nobody
// registered is refused when a deadline is started, and one met in the data is not passed off as another.
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const RAJ = 'raj.patel@northshire-council.example'; // Adult Social Care duty practitioner
const raj = await actorFor(t, RAJ);
const kofi = await actorFor(t, 'kofi.mensah@harbour-housing.example');
const dutyTeam = { kind: 'team' as const, teamId: raj.teamId, agencyId: raj.agencyId };
const soon = new Date(t.clock.now().getTime() + 3 * 3_600_000);

const mabel = await refer(t, kofi, raj, { name: ['Mabel', 'Thirdkind'] });
// Nobody is involved with Hester: her deadline must not be shown, nor her subject described.
const hester = await t.db.transaction((tx) => t.services.people.createInTransaction(tx, kofi, t.services.people.parsePerson({ givenName: 'Hester', familyName: 'Thirdkind' }), () => undefined));

// A made-up module's kind: a carer's review, with no references of its own, read by its title.
const asked: { db: Queryable; actor: Actor; ids: readonly string[] }[] = [];
t.services.obligationSubjects.register({
  kind: 'carer_review',
  noun: 'Carer’s review',
  async describe(db, actor, ids) {
    asked.push({ db, actor, ids });
    return new Map(ids.map((id) => [id, { reference: null, link: `/carers/reviews/${id}`, title: 'Carer’s review with Northshire Carers', priority: 'emergency' as const }]));
  },
});
const mabelsReview = randomUUID();
const hestersReview = randomUUID();
await t.services.obligations.start(t.db, { kind: 'carer.review', ruleId: 'CARER-1', title: 'Review the carer’s support plan', subject: { type: 'carer_review', id: mabelsReview }, personId: mabel.personId, owner: dutyTeam, dueAt: soon });
// Due sooner, but on a routine referral: the emergency comes first.
await t.services.obligations.start(t.db, { kind: 'test.deadline', ruleId: 'TEST-1', title: 'Phone Mabel’s GP', subject: { type: 'referral', id: mabel.id }, personId: mabel.personId, owner: dutyTeam, dueAt: new Date(t.clock.now().getTime() + 3_600_000) });
await t.services.obligations.start(t.db, { kind: 'carer.review', ruleId: 'CARER-1', title: 'Review Hester’s carer', subject: { type: 'carer_review', id: hestersReview }, personId: hester.id, owner: dutyTeam, dueAt: soon });

const browser = await new Browser(t.app).signIn(RAJ);

test('a third kind of deadline shows on My work with its own title, link and priority; only shown subjects are described', async () => {
  asked.length = 0;
  const page = await browser.get('/?kind=deadlines');
  assert.equal(page.statusCode, 200);
  const row = rowsOf(page.body, 'deadlines').find((r) => r.includes('Review the carer’s support plan'));
  assert.equal(row, 'Mabel Thirdkind Carer’s review with Northshire Carers Review the carer’s support plan Emergency Your team’s 2 March 2026 at 1:00pm Due soon');
  assert.match(page.body, new RegExp(`<a class="govuk-link app-nowrap" href="/carers/reviews/${mabelsReview}">Carer’s review with Northshire Carers</a>`));
  assert.doesNotMatch(page.body, /Hester|Review Hester’s carer/);
  assert.equal(asked.length, 1, 'one call for the kind');
  assert.deepEqual(asked[0]!.ids, [mabelsReview], 'Hester’s subject is not described to someone who may not see her');
  assert.equal(asked[0]!.actor.userId, raj.userId);
  const order = rowsOf(page.body, 'deadlines').map((r) => (r.includes('Review the carer’s support plan') ? 'review' : r.includes('Phone Mabel’s GP') ? 'gp' : 'other'));
  assert.deepEqual(order.filter((r) => r !== 'other'), ['review', 'gp'], 'an emergency of any kind comes before routine work due sooner');
});

test('the API names the kind as registered, with no reference when the kind has none', async () => {
  const answer = (await (await apiClient(t, RAJ)).get('/api/v1/my-work?kind=deadlines')).json() as { queues: { items: { subject: unknown; priority: string | null }[] }[] };
  const item = answer.queues[0]!.items.find((i) => (i.subject as { id: string }).id === mabelsReview)!;
  assert.deepEqual(item.subject, { type: 'carer_review', id: mabelsReview, reference: null });
  assert.equal(item.priority, 'emergency');
});

test('starting a deadline on a kind nobody registered is refused and writes nothing', async () => {
  const count = async () => Number((await t.pool.query(`select count(*) from obligation`)).rows[0].count);
  const before = await count();
  await assert.rejects(
    t.services.obligations.start(t.db, { kind: 'test.deadline', ruleId: 'TEST-1', title: 'Ring back', subject: { type: 'housing_visit', id: randomUUID() }, personId: mabel.personId, owner: dutyTeam, dueAt: soon }),
    /No module has registered the obligation subject kind "housing_visit"/,
  );
  assert.equal(await count(), before);
});

test('a deadline of a kind no module registers any more is shown neutrally, not as a referral, and is logged once', async () => {
  // As a module removed or renamed would leave its rows behind.
  await t.pool.query(
    `insert into obligation (kind, rule_id, title, subject_type, subject_id, person_id, owner_team_id, owner_agency_id, due_at, created_at)
     values ('old.visit', 'OLD-1', 'Visit from a removed module', 'old_visit', $1, $2, $3, $4, $5, $6)`,
    [randomUUID(), mabel.personId, raj.teamId, raj.agencyId, soon, t.clock.now()],
  );
  const warnings: Error[] = [];
  const heard = (warning: Error & { code?: string }) => {
    if (warning.code === 'CONCORD_UNKNOWN_SUBJECT_KIND') warnings.push(warning);
  };
  process.on('warning', heard);
  try {
    const first = await browser.get('/?kind=deadlines');
    const row = rowsOf(first.body, 'deadlines').find((r) => r.includes('Visit from a removed module'));
    assert.equal(row, 'Mabel Thirdkind Not known Visit from a removed module Your team’s 2 March 2026 at 1:00pm Due soon');
    assert.match(first.body, /<span class="app-nowrap">Not known<\/span>/, 'not a link to a page that is not there');
    await browser.get('/?kind=deadlines');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /"old_visit"/);
  } finally {
    process.off('warning', heard);
  }
});
