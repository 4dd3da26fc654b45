import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { auditSince, lastAuditId, testConcord } from '../support/app.js';
import { DomainError } from '../../src/platform/errors.js';
import { describeLikelyMatch } from '../../src/modules/people/service.js';

const t = await testConcord();
const { people, directory } = t.services;

async function actorFor(email: string) {
  const account = await directory.findAccountByEmail(email);
  return (await directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' }))!;
}

const tom = await actorFor('tom.okafor@riverside-nhs.example'); // Riverside CMHT
const kofi = await actorFor('kofi.mensah@harbour-housing.example'); // housing, a partner agency
const alex = await actorFor('alex.morgan@northshire-care.example'); // partnership administrator

const personId = await t.db.transaction((tx) =>
  people.createInTransaction(tx, tom, people.parsePerson({ givenName: 'Robert', familyName: 'Smith', dateOfBirth: '1984-06-12', nhsNumber: '9434765919', postcode: 'NE1 4ST' }), () => undefined),
).then((p) => p.id);
const riverside = tom.agencyId;
await t.db.execute(sql`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values (${personId}, ${riverside}, ${tom.teamId}, 'receiving_service', 'test', gen_random_uuid(), now())`);

test('a partner agency searching by name alone finds only people it works with: not this person', async () => {
  const before = await lastAuditId(t);
  const answer = await people.search(kofi, { name: 'Bob Smith' });
  assert.deepEqual(answer, { purpose: 'relationship', results: [] });
  const events = await auditSince(t, before);
  assert.deepEqual(events.map((e) => e.action), ['person.searched']);
  await assert.rejects(people.get(kofi, personId), (error: DomainError) => error.kind === 'not_found');
});

test('a record the actor may not see answers exactly as one that does not exist, and the refusal is recorded', async () => {
  const before = await lastAuditId(t);
  const missing = await people.get(kofi, '6d3f3f0e-1111-4222-8333-444455556666').catch((e: DomainError) => e);
  const hidden = await people.get(kofi, personId).catch((e: DomainError) => e);
  assert.ok(missing instanceof DomainError && hidden instanceof DomainError);
  assert.deepEqual([hidden.code, hidden.message, hidden.kind], [missing.code, missing.message, missing.kind]);
  const events = await auditSince(t, before);
  // Both write the same refusal, so neither answers faster: only the id asked for differs.
  const MISSING = '6d3f3f0e-1111-4222-8333-444455556666';
  assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject_type, e.subject_id, e.details]), [
    ['person.view_refused', 'denied', 'person', MISSING, { answered: 'not found' }],
    ['person.view_refused', 'denied', 'person', personId, { answered: 'not found' }],
  ]);
});

test('the involved agency opens the record, and the read is audited', async () => {
  const before = await lastAuditId(t);
  const record = await people.get(tom, personId);
  assert.equal(record.person.nhsNumber, '9434765919');
  assert.equal(record.access.level, 'record');
  const events = await auditSince(t, before);
  assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['person.viewed', personId]]);
});

test('administrators search nothing and see nothing: casework is for practice roles', async () => {
  await assert.rejects(people.search(alex, { name: 'Smith' }), (error: DomainError) => error.kind === 'forbidden');
});

test('bad search input is refused with a message and nothing is recorded but the refusal', async () => {
  const before = await lastAuditId(t);
  await assert.rejects(people.search(tom, {}), (error: DomainError) => error.kind === 'invalid' && error.fieldErrors[0]!.message === 'Enter a name, date of birth, NHS number or postcode to search for');
  await assert.rejects(people.search(tom, { nhsNumber: '1234567890' }), (error: DomainError) => error.fieldErrors[0]!.field === 'nhsNumber');
  assert.deepEqual(await auditSince(t, before), []);
});

test('a second person with the same NHS number is refused', async () => {
  await assert.rejects(
    t.db.transaction((tx) => people.createInTransaction(tx, tom, people.parsePerson({ givenName: 'Rob', familyName: 'Smith', nhsNumber: '943 476 5919' }), () => undefined)),
    (error: DomainError) => error.code === 'PEOPLE.NHS_NUMBER_TAKEN',
  );
});

test('likely duplicates are found before a new person is added', async () => {
  const values = people.parsePerson({ givenName: 'Rob', familyName: 'Smyth', dateOfBirth: '1984-06-12' });
  const duplicates = await people.likelyDuplicates(tom, values);
  assert.deepEqual(duplicates.map((d) => d.id), [personId]);
});

test('the duplicate check looks among everyone, and says only that a likely match exists and whom to contact, not which agencies are involved', async () => {
  const before = await lastAuditId(t);
  // Housing has no relationship with Robert Smith: a search by name would not find him, the duplicate check does.
  const [match, ...others] = await people.likelyDuplicates(kofi, people.parsePerson({ givenName: 'Bob', familyName: 'Smith', dateOfBirth: '1984-06-12' }));
  assert.deepEqual(others, []);
  assert.deepEqual(match, {
    id: personId, givenName: 'Robert', familyName: 'Smith', dateOfBirth: '1984-06-12', canOpenRecord: false,
    contact: { kind: 'team', agencyName: 'Riverside NHS Mental Health Trust', teamName: 'Riverside Community Mental Health Team' },
  });
  assert.equal(describeLikelyMatch(match!), 'Robert Smith (born 1984-06-12): contact Riverside Community Mental Health Team, Riverside NHS Mental Health Trust, who hold their record');
  assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id, e.details.purpose]), [['person.search_result', personId, 'duplicate check']]);
});

test('a likely match with an open case names its coordinator to contact', () => {
  const coordinator = { name: 'Tom Okafor', phone: null, email: 'tom.okafor@riverside-nhs.example', teamName: 'Riverside Community Mental Health Team', teamPhone: '01632 960 101' };
  assert.equal(
    describeLikelyMatch({ id: personId, givenName: 'Robert', familyName: 'Smith', dateOfBirth: null, canOpenRecord: false, contact: { kind: 'coordinator', ...coordinator } }),
    'Robert Smith: contact their coordinator, Tom Okafor (01632 960 101, tom.okafor@riverside-nhs.example)',
  );
});

test('a spelling variant of both names with the same date of birth is a likely duplicate, as the search finds it', async () => {
  const values = people.parsePerson({ givenName: 'Rupert', familyName: 'Smyth', dateOfBirth: '1984-06-12' });
  assert.deepEqual((await people.likelyDuplicates(tom, values)).map((d) => d.id), [personId], 'Rupert Smyth for Robert Smith, born the same day');
  const { results: [found] } = await people.search(tom, { name: 'Rupert Smyth', dateOfBirth: '1984-06-12' });
  assert.deepEqual([found!.id, found!.likely], [personId, true], 'the search shows the same person as a likely match');
  const otherDay = people.parsePerson({ givenName: 'Rupert', familyName: 'Smyth', dateOfBirth: '1984-06-13' });
  assert.deepEqual(await people.likelyDuplicates(tom, otherDay), [], 'a different date of birth contradicts it');
});

test('two people editing at once: the second is told the record changed, and nothing is lost', async () => {
  const record = await people.get(tom, personId);
  const base = { givenName: 'Robert', familyName: 'Smith', dateOfBirth: '1984-06-12', nhsNumber: '9434765919' };
  await people.update(tom, personId, { ...base, postcode: 'NE2 1AA' }, record.person.version);
  await assert.rejects(people.update(tom, personId, { ...base, phone: '0191 496 0000' }, record.person.version), (error: DomainError) => error.code === 'PEOPLE.CHANGED' && error.kind === 'conflict');
  const after = await people.get(tom, personId);
  assert.equal(after.person.postcode, 'NE2 1AA');
  assert.equal(after.person.phone, null);
});

test('children and inquiries are recorded; an inquiry is visible to colleagues in the same agency only', async () => {
  await people.addChild(tom, personId, { childName: 'Lily Smith', childDateOfBirth: '2019-05-01', relationship: 'dependent', livesWithPerson: 'yes' });
  await assert.rejects(people.addChild(tom, personId, { childName: '', relationship: 'cousin' }), (error: DomainError) => error.fieldErrors.length === 3);
  await assert.rejects(people.addChild(kofi, personId, { childName: 'Lily Smith', relationship: 'dependent', livesWithPerson: 'yes' }), (error: DomainError) => error.kind === 'not_found');
  const record = await people.get(tom, personId);
  assert.deepEqual(record.children.map((c) => [c.childName, c.relationship, c.livesWithPerson]), [['Lily Smith', 'dependent', true]]);

  await people.recordInquiry(kofi, { about: 'The Smith family, Harbour Road', inquirerName: 'School nurse', channel: 'phone', reason: 'Attendance worries', response: 'Not known to housing options' });
  assert.equal((await people.inquiries(kofi)).length, 1);
  assert.equal((await people.inquiries(tom)).length, 0, 'another agency’s inquiries are not shown');
});
