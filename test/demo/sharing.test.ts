import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, testConcord } from '../support/app.js';

// The demo database as `npm test` built it: consent and need-to-know in every state issue 4 names.
const t = await testConcord();

const rows = async <T>(sql: string, params: unknown[] = []) => (await t.pool.query(sql, params)).rows as T[];
const personId = async (familyName: string) => (await rows<{ id: string }>(`select id from person where family_name = $1`, [familyName]))[0]!.id;

test('consent is given, refused, withdrawn and expired for someone in the demo', async () => {
  const decisions = await rows<{ family_name: string; decision: string; expired: boolean; withdrawn: boolean }>(`
    select p.family_name, c.decision, coalesce(c.review_date < current_date, false) as expired,
           exists (select 1 from consent_decision w where w.withdraws = c.id) as withdrawn
    from consent_decision c join person p on p.id = c.person_id`);
  const of = (name: string) => decisions.filter((d) => d.family_name === name);
  assert.ok(of('Penrose').some((d) => d.decision === 'given' && !d.expired && !d.withdrawn), 'Chloe’s consent is in force');
  assert.ok(of('Ashdown').some((d) => d.decision === 'refused'), 'Beverley refused');
  assert.ok(of('Ashdown').some((d) => d.decision === 'given' && d.expired && !d.withdrawn), 'Beverley’s consent to housing has expired');
  assert.ok(of('Whitlock').some((d) => d.decision === 'given' && d.withdrawn), 'Aaron withdrew his consent');
  assert.ok(of('Whitlock').some((d) => d.decision === 'withdrawn'));
});

test('Harbour Housing sees Chloe’s visit note but not the one she asked to keep from housing', async () => {
  const kofi = await apiClient(t, 'kofi.mensah@harbour-housing.example');
  const chloe = await personId('Penrose');
  const answer = await kofi.get(`/api/v1/people/${chloe}/notes`);
  assert.equal(answer.statusCode, 200);
  const titles = (answer.json() as { notes: { title: string }[] }).notes.map((n) => n.title);
  assert.ok(titles.includes('Home visit: mental state since discharge'));
  assert.ok(!titles.includes('What Chloe told me about her former partner'));
  assert.ok(!answer.body.includes('former partner'));

  const grace = await apiClient(t, 'grace.whitfield@riverside-nhs.example');
  const own = (await grace.get(`/api/v1/people/${chloe}/notes`)).json() as { notes: { title: string; restrictions: unknown[] }[] };
  assert.equal(own.notes.find((n) => n.title === 'What Chloe told me about her former partner')!.restrictions.length, 1, 'the owning agency sees the restriction');
});

test('the police may open Chloe’s record under the child-protection exception, and see nothing of Beverley’s', async () => {
  const laura = await apiClient(t, 'laura.evans@northshire-police.example');
  assert.equal((await laura.get(`/api/v1/people/${await personId('Penrose')}`)).statusCode, 200);
  assert.equal((await laura.get(`/api/v1/people/${await personId('Ashdown')}`)).statusCode, 404);
});

test('the Caldicott guardian has one emergency access waiting for review and one reviewed', async () => {
  const helen = await apiClient(t, 'helen.marsh@riverside-nhs.example');
  const answer = (await helen.get('/api/v1/access-alerts')).json() as { alerts: { kind: string }[]; unreviewed: number };
  assert.ok(answer.unreviewed >= 1);
  const reviewed = await rows<{ outcome: string }>(`select r.outcome from access_alert_review r join access_alert a on a.id = r.alert_id where a.kind = 'break_glass'`);
  assert.deepEqual(reviewed.map((r) => r.outcome), ['justified']);
});

test('Harbour Housing is involved in Chloe’s care and leads on her housing', async () => {
  const involved = await rows<{ agency: string; lead_domains: string[] }>(`
    select a.name as agency, i.lead_domains from involvement i join agency a on a.id = i.agency_id
    where i.person_id = $1 and i.ended_at is null and i.role = 'partner'`, [await personId('Penrose')]);
  assert.deepEqual(involved, [{ agency: 'Harbour Housing Options', lead_domains: ['housing'] }]);
});
