import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, Browser, testConcord, type TestConcord } from '../support/app.js';
import { peopleApiPaths, peoplePaths } from '../../src/modules/people/paths.js';
import { KOFI, notesWorld, TOM } from './world.js';

/*
 * Children on the person's Details page (REC-3) are children-and-safeguarding information owned by
 * the agency that recorded them: a partner agency sees the person's basic details, and the children
 * only where the decision shares them; the page says nothing about any it does not show.
 */

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await notesWorld(t);
const tom = await new Browser(t.app).signIn(TOM);
const kofi = await new Browser(t.app).signIn(KOFI);
const kofiApi = await apiClient(t, KOFI);

const child = (name: string) => ({ childName: name, childDateOfBirth: '2017-04-09', relationship: 'dependent', livesWithPerson: 'yes' });
const childrenSection = (body: string) => /<h2 class="govuk-heading-m" id="children">[\s\S]*?<h2/.exec(body)?.[0] ?? '';

const person = await world.person();
await t.services.people.addChild(world.tom, person.id, child('Ayo Riverside'));
await t.services.people.addChild(world.kofi, person.id, child('Bea Harbour'));
const bare = await world.person();

test('the recording agency sees every child it recorded; a partner without consent sees its own and nothing hints at the rest', async () => {
  const owner = await tom.get(peoplePaths.person(person.id));
  assert.match(childrenSection(owner.body), /Ayo Riverside/);
  assert.doesNotMatch(childrenSection(owner.body), /Bea Harbour/, 'Harbour Housing recorded Bea; Riverside has no consent to see it');

  const partner = await kofi.get(peoplePaths.person(person.id));
  assert.equal(partner.statusCode, 200, 'the partner opens the record: basic details are shared');
  assert.match(partner.body, new RegExp(person.name));
  assert.match(childrenSection(partner.body), /Bea Harbour/);
  assert.doesNotMatch(partner.body, /Ayo Riverside/);
  const api = JSON.parse((await kofiApi.get(peopleApiPaths.person(person.id))).body);
  assert.deepEqual(api.children.map((c: { childName: string }) => c.childName), ['Bea Harbour']);
});

test('with no child the partner may see, the page reads the same as for a person with no children at all', async () => {
  const none = await kofi.get(peoplePaths.person(bare.id));
  assert.match(childrenSection(none.body), /No children recorded that Harbour Housing Options can see\./);
  const hidden = await world.person();
  await t.services.people.addChild(world.tom, hidden.id, child('Cai Riverside'));
  const withHidden = await kofi.get(peoplePaths.person(hidden.id));
  assert.equal(childrenSection(withHidden.body).replaceAll(hidden.id, 'ID'), childrenSection(none.body).replaceAll(bare.id, 'ID'));
});

test('consent in force to share children and safeguarding with Harbour Housing shows it the children Riverside recorded', async () => {
  await world.consentForHousing(person.id, ['children_safeguarding']);
  const partner = await kofi.get(peoplePaths.person(person.id));
  assert.match(childrenSection(partner.body), /Ayo Riverside[\s\S]*Bea Harbour/);
});
