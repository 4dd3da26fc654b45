import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, testConcord } from '../support/app.js';

// The demo database as `npm test` built it: risk answered with guided actions, a history with a change, a pathway started.
const t = await testConcord();

const rows = async <T>(sql: string, params: unknown[] = []) => (await t.pool.query(sql, params)).rows as T[];
const personId = async (familyName: string) => (await rows<{ id: string }>(`select id from person where family_name = $1`, [familyName]))[0]!.id;

test('Chloe (handbook C) has a risk history that changes, high after discharge and medium a week on; her joint assessment with children’s services is done', async () => {
  const grace = await apiClient(t, 'grace.whitfield@riverside-nhs.example');
  const answer = await grace.get(`/api/v1/people/${await personId('Penrose')}/risk/reviews`);
  assert.equal(answer.statusCode, 200, answer.body);
  const reviews = (answer.json() as { reviews: { id: string; level: string; actions: { id: string; status: string; obligationId: string | null }[] }[] }).reviews;
  assert.deepEqual(reviews.map((r) => r.level), ['high', 'medium']);
  const joint = reviews[0]!.actions.find((a) => a.id === 'risk_to_children.joint_assessment')!;
  assert.equal(joint.status, 'not_done');
  assert.deepEqual(await rows(`select rule_id, state from obligation where id = $1`, [joint.obligationId]), [{ rule_id: 'RISK-7', state: 'met' }]);

  // Chloe consented to share risk with Harbour Housing: Kofi sees her reviews.
  const kofi = await apiClient(t, 'kofi.mensah@harbour-housing.example');
  assert.equal(((await kofi.get(`/api/v1/people/${await personId('Penrose')}/risk/reviews`)).json() as { reviews: unknown[] }).reviews.length, 2);
});

test('Derek (handbook D) lacks capacity with a move proposed: an IMCA referral is Tom’s open deadline (RISK-9)', async () => {
  const open = await rows<{ rule_id: string; state: string; email: string }>(
    `select o.rule_id, o.state, u.email from obligation o join app_user u on u.id = o.owner_user_id where o.person_id = $1 and o.subject_type = 'risk_review'`,
    [await personId('Fairbairn')],
  );
  assert.deepEqual(open, [{ rule_id: 'RISK-9', state: 'open', email: 'tom.okafor@riverside-nhs.example' }]);
});
