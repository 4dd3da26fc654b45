import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, errorSummaryHtml, submit } from '../support/pages.js';
import { peoplePaths as paths } from '../../src/modules/people/paths.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const { people, directory } = t.services;

const one = async (sql: string, value: string) => (await t.pool.query(sql, [value])).rows[0].id as string;
const agencyId = (name: string) => one('select id from agency where name = $1', name);
const teamId = (name: string) => one('select id from team where name = $1', name);
const userId = (email: string) => one('select id from app_user where email = $1', email);

const TOM = 'tom.okafor@riverside-nhs.example'; // Riverside CMHT, care coordinator
const RAJ = 'raj.patel@northshire-council.example'; // council duty team: not involved with anyone here
const ALEX = 'alex.morgan@northshire-care.example'; // partnership administrator: no casework
const RIVERSIDE = await agencyId('Riverside NHS Mental Health Trust');
const CMHT = await teamId('Riverside Community Mental Health Team');
const HOUSING = await agencyId('Harbour Housing Options');
const HOUSING_TEAM = await teamId('Housing Options and Homelessness');
const TOM_ID = await userId(TOM);
const tomActor = (await directory.loadActor(TOM_ID, null, { kind: 'session', sessionId: 'test' }))!;

/** A person as intake would add them, known to the agencies given, with an open case coordinated by Tom. */
async function knownPerson(values: Record<string, string>) {
  const created = await t.db.transaction((tx) => people.createInTransaction(tx, tomActor, people.parsePerson(values), () => undefined));
  const involve = (agency: string, team: string, role: string, started: string, ended: string | null) =>
    t.pool.query(`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at, ended_at) values ($1, $2, $3, $4, 'test', gen_random_uuid(), $5, $6)`, [created.id, agency, team, role, started, ended]);
  await involve(RIVERSIDE, CMHT, 'receiving_service', '2025-11-04T09:00:00Z', null);
  await involve(HOUSING, HOUSING_TEAM, 'partner', '2024-01-15T09:00:00Z', '2024-09-30T09:00:00Z');
  const referral = await t.pool.query(
    `insert into referral (reference, person_id, receiving_team_id, receiving_agency_id, source_type, referrer_name, channel, received_at, reason,
       risk_unintentional_self_harm, risk_intentional_self_harm, risk_harm_to_others, risk_abuse_by_others, consent_to_referral, consent_to_share, state, created_at, updated_at)
     values ('REF-' || substr(md5(random()::text), 1, 8), $1, $2, $3, 'self', 'Self', 'phone', now(), 'Test', 'none', 'none', 'none', 'none', 'yes', 'yes', 'allocated', now(), now()) returning id`,
    [created.id, CMHT, RIVERSIDE],
  );
  const reference = `CASE-${created.id.slice(0, 8)}`;
  const kase = await t.pool.query(
    `insert into care_case (reference, person_id, referral_id, team_id, agency_id, lead_agency_id, coordinator_user_id, state, opened_at) values ($1, $2, $3, $4, $5, $5, $6, 'open', '2025-11-20T09:00:00Z') returning id`,
    [reference, created.id, referral.rows[0].id, CMHT, RIVERSIDE, TOM_ID],
  );
  return { id: created.id, caseId: kase.rows[0].id as string, reference };
}

const robert = await knownPerson({ givenName: 'Robert', familyName: 'Smith', dateOfBirth: '1984-06-12', nhsNumber: '9434765919', postcode: 'NE1 4ST' });
const tom = await new Browser(t.app).signIn(TOM);
const raj = await new Browser(t.app).signIn(RAJ);
const alex = await new Browser(t.app).signIn(ALEX);

const search = (browser: Browser, criteria: Record<string, string>) => browser.get(`${paths.search()}?${new URLSearchParams(criteria)}`);
const actionsSince = async (id: number) => (await auditSince(t, id)).map((e) => [e.action, e.subject_id]);
const personRow = async (id: string) => (await t.pool.query('select * from person where id = $1', [id])).rows[0];

describe('is this person already known?', () => {
  test('the empty form asks for a name, a GOV.UK date input, an NHS number and a postcode, says searches are recorded, and records nothing', async () => {
    const before = await lastAuditId(t);
    const form = await raj.get(paths.search());
    assert.equal(form.statusCode, 200);
    for (const field of ['name', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'nhsNumber', 'postcode']) assert.match(form.body, new RegExp(`name="${field}"`));
    assert.match(form.body, /method="get"/);
    assert.match(form.body, /Every search is recorded/);
    assert.doesNotMatch(form.body, /data-qa="result-count"/);
    assert.deepEqual(await actionsSince(before), []);
  });

  const BORN = { 'dateOfBirth-day': '12', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1984' };
  for (const [how, criteria] of [
    ['a nickname and the date of birth', { name: 'Bob Smith', ...BORN }],
    ['first and last name swapped and the date of birth', { name: 'Smith Robert', ...BORN }],
    ['a typo and the date of birth', { name: 'Robert Smiht', ...BORN }],
    ['the NHS number with spaces', { nhsNumber: '943 476 5919' }],
  ] as const) {
    test(`a partner agency that receives referrals checks whether the person is known by ${how}, and learns who knows them and who coordinates their care`, async () => {
      const page = await search(raj, criteria);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Checking whether someone is known: showing anyone who matches this (name and date of birth|NHS number)/);
      assert.match(page.body, /1 person found/);
      assert.match(page.body, /Robert Smith/);
      assert.match(page.body, /12 June 1984/);
      assert.match(page.body, /Riverside NHS Mental Health Trust<\/span>, Riverside Community Mental Health Team/);
      assert.match(page.body, /Received a referral:\s*current, since 4 November 2025/);
      assert.match(page.body, /Harbour Housing Options<\/span>, Housing Options and Homelessness[\s\S]*?Partner agency:\s*ended, 15 January 2024 to 30 September 2024/);
      assert.match(page.body, new RegExp(`${robert.reference}:\\s*Riverside Community Mental Health Team, Riverside NHS Mental Health Trust`));
      assert.match(page.body, /Care coordinator: Tom Okafor, Riverside Community Mental Health Team/);
      assert.match(page.body, /mailto:tom\.okafor@riverside-nhs\.example/);
      assert.match(page.body, /Team telephone: 01632 960 101/);
      assert.doesNotMatch(page.body, /data-qa="open-record"/, 'a partner agency cannot open the record');
      assert.doesNotMatch(page.body, new RegExp(`href="${paths.person(robert.id)}"`));
      assert.match(page.body, /your agency is not involved with Robert Smith/i);
    });
  }

  test('a close name with the same date of birth is tagged "Likely match"; the involved agency gets a link to the record', async () => {
    const page = await search(tom, { name: 'Rob Smyth', 'dateOfBirth-day': '12', 'dateOfBirth-month': '06', 'dateOfBirth-year': '1984' });
    assert.match(page.body, /data-qa="likely-match">Likely match/);
    assert.match(page.body, new RegExp(`href="${paths.person(robert.id)}"[^>]*data-qa="open-record"`));
    const contradicted = await search(tom, { name: 'Rob Smyth', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1990' });
    assert.doesNotMatch(contradicted.body, /Likely match/, 'a different date of birth contradicts the name');
  });

  for (const [how, criteria] of [
    ['a name alone', { name: 'Bob Smith' }],
    ['the date of birth alone', BORN],
  ] as const) {
    test(`by ${how} the same user finds only people their agency works with, and the page says so`, async () => {
      const page = await search(raj, criteria);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /People your agency works with/);
      assert.match(page.body, /search with their first and last name and full date of birth, or their NHS number/);
      assert.doesNotMatch(page.body, /Robert Smith/);
      assert.match(page.body, /No one matching was found/);
    });
  }

  test('the known check, and every person who appears in it, is recorded against the searcher with its purpose', async () => {
    const before = await lastAuditId(t);
    await search(raj, { name: 'Bob Smith', ...BORN });
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id, e.actor_user_id]), [
      ['person.searched', null, await userId(RAJ)],
      ['person.known_check', robert.id, await userId(RAJ)],
    ]);
    assert.deepEqual(events[0]!.details, { criteria: { name: 'Bob Smith', dateOfBirth: '1984-06-12', nhsNumber: null, postcode: null }, purpose: 'known_check', results: 0 + 1 });
  });

  test('no one found: it says so, suggests checking spellings, and the empty search is still recorded', async () => {
    const before = await lastAuditId(t);
    const page = await search(raj, { name: 'Zebedee Quartermaine' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No one matching was found/);
    assert.match(page.body, /Check the spelling of the name/);
    assert.deepEqual(await actionsSince(before), [['person.searched', null]]);
  });

  for (const [what, criteria, expected] of [
    ['nothing to search by', { name: '' }, ['name: Enter a name, date of birth, NHS number or postcode to search for']],
    ['a name too long', { name: 'a'.repeat(201) }, ['name: The name must be 200 characters or fewer']],
    ['a bad NHS number', { nhsNumber: '943 476 5918' }, ['nhsNumber: Enter a valid NHS number: 10 digits, like 943 476 5919']],
    ['a date with no month', { 'dateOfBirth-day': '12', 'dateOfBirth-month': '', 'dateOfBirth-year': '1984' }, ['dateOfBirth: Date of birth must include a month']],
    ['a date with only a year', { 'dateOfBirth-year': '1984' }, ['dateOfBirth: Date of birth must include a day and month']],
    ['an impossible date', { 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990' }, ['dateOfBirth: Date of birth must be a real date']],
    ['letters in a date', { 'dateOfBirth-day': 'x', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990' }, ['dateOfBirth: Date of birth must be a real date']],
    ['a two-digit year', { 'dateOfBirth-day': '1', 'dateOfBirth-month': '2', 'dateOfBirth-year': '90' }, ['dateOfBirth: Year must include 4 numbers']],
    ['a future date', { 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '2030' }, ['dateOfBirth: The date of birth must be in the past']],
    ['a bad postcode', { postcode: 'NOT A POSTCODE' }, ['postcode: Enter a real postcode, like NE1 4ST']],
    ['several problems at once, in the form’s order', { name: 'Smith', 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990', nhsNumber: '123', postcode: 'nope' }, [
      'dateOfBirth: Date of birth must be a real date',
      'nhsNumber: Enter a valid NHS number: 10 digits, like 943 476 5919',
      'postcode: Enter a real postcode, like NE1 4ST',
    ]],
  ] as const) {
    test(`${what}: the error summary says what to fix, 400, what was typed is kept, and nothing is searched or recorded`, async () => {
      const before = await lastAuditId(t);
      const page = await search(raj, criteria);
      assert.equal(page.statusCode, 400);
      assert.deepEqual(errorSummary(page.body), expected);
      assert.doesNotMatch(page.body, /data-qa="result-count"/);
      for (const value of Object.values(criteria).filter((v) => v && v.length < 50)) assert.match(page.body, new RegExp(`value="${value}"`));
      assert.deepEqual(await actionsSince(before), []);
    });
  }

  test('the date field at fault is marked, and the error summary links to it', async () => {
    const page = await search(raj, { 'dateOfBirth-day': '12', 'dateOfBirth-month': '', 'dateOfBirth-year': '1984' });
    assert.match(page.body, /href="#dateOfBirth">Date of birth must include a month/);
    assert.match(page.body, /class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" id="dateOfBirth" name="dateOfBirth-month"/);
    assert.match(page.body, /class="govuk-input govuk-date-input__input govuk-input--width-2" id="dateOfBirth-day" name="dateOfBirth-day"/);
  });

  test('an administrator, who does no casework, is refused', async () => {
    const page = await search(alex, { name: 'Smith' });
    assert.equal(page.statusCode, 403);
    assert.doesNotMatch(page.body, /Robert Smith/);
  });
});

describe('the person record', () => {
  test('the involved agency sees identity, contacts, communication, children, other names, agencies and cases, and why it may; the read is recorded', async () => {
    const person = await knownPerson({
      givenName: 'Amara', middleNames: 'Grace', familyName: 'Okoye', preferredName: 'Mara', dateOfBirth: '1990-03-04', nhsNumber: '4010232137', gender: 'female',
      addressLine1: '12 Quay Street', town: 'Northshire', postcode: 'ne2 1aa', phone: '07700 900123', communicationNeeds: 'Prefers letters in large print', interpreterLanguage: 'Igbo',
    });
    await people.addAlias(tomActor, person.id, { givenName: 'Amara', familyName: 'Adeyemi' });
    await people.addChild(tomActor, person.id, { childName: 'Chidi Okoye', childDateOfBirth: '2018-09-01', relationship: 'dependent', livesWithPerson: 'yes' });
    const before = await lastAuditId(t);
    const page = await tom.get(paths.person(person.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l" data-qa="person-name">Amara Grace Okoye<\/h1>/);
    assert.match(page.body, /Why can I see this\?<\/strong> Riverside NHS Mental Health Trust received a referral for this person\./);
    assert.match(page.body, /Mara/);
    assert.match(page.body, /4 March 1990 \(35 years old\)/);
    assert.match(page.body, /Female/);
    assert.match(page.body, /data-qa="nhs-number">401 023 2137</);
    assert.match(page.body, /12 Quay Street<br>Northshire<br>NE2 1AA/);
    assert.match(page.body, /Prefers letters in large print/);
    assert.match(page.body, /Needs an interpreter: Igbo/);
    assert.match(page.body, /Amara Adeyemi/);
    assert.match(page.body, /Chidi Okoye[\s\S]*?1 September 2018[\s\S]*?Dependent child[\s\S]*?Yes/);
    assert.match(page.body, /Harbour Housing Options<\/span>, Housing Options and Homelessness/);
    assert.match(page.body, new RegExp(`href="/cases/${person.caseId}">${person.reference}</a>`));
    for (const link of [paths.personEdit(person.id), paths.childNew(person.id), paths.aliasNew(person.id)]) assert.match(page.body, new RegExp(`href="${link}"`));
    assert.deepEqual(await actionsSince(before), [['person.viewed', person.id]]);
  });

  test('an agency not involved gets the same "Page not found" as for someone who does not exist, on the record and its forms', async () => {
    const unknown = await raj.get(paths.person('6d3f3f0e-1111-4222-8333-444455556666'));
    assert.equal(unknown.statusCode, 404);
    for (const url of [paths.person(robert.id), paths.personEdit(robert.id), paths.childNew(robert.id), paths.aliasNew(robert.id)]) {
      const hidden = await raj.get(url);
      assert.equal(hidden.statusCode, 404, url);
      assert.match(hidden.body, /Page not found/);
      assert.doesNotMatch(hidden.body, /Robert|Smith/);
    }
  });

  test('an id that is not a reference is not found', async () => {
    assert.equal((await tom.get('/people/not-a-uuid')).statusCode, 404);
    assert.equal((await tom.get('/people/not-a-uuid/edit')).statusCode, 404);
  });

  test('an administrator is refused the record', async () => {
    assert.equal((await alex.get(paths.person(robert.id))).statusCode, 403);
  });
});

describe('changing a person’s details', () => {
  const details = (overrides: Record<string, string> = {}) => ({
    givenName: 'Robert', familyName: 'Smith', 'dateOfBirth-day': '12', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1984', nhsNumber: '943 476 5919', postcode: 'NE1 4ST', ...overrides,
  });

  test('the form holds the current details and version; saving changes them, says so and is recorded', async () => {
    const person = await knownPerson({ givenName: 'Daniel', familyName: 'Price', dateOfBirth: '1975-01-30' });
    const form = await tom.get(paths.personEdit(person.id));
    assert.match(form.body, /name="version" value="1"/);
    assert.match(form.body, /id="dateOfBirth" name="dateOfBirth-day" type="text" value="30"/);
    assert.match(form.body, /name="dateOfBirth-month" type="text" value="1"/);
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.personEdit(person.id), {
      version: '1', givenName: 'Danny', familyName: 'Price', 'dateOfBirth-day': '30', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1975', phone: '07700 900456', interpreterLanguage: 'Welsh',
    });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.person(person.id));
    assert.match(landed.body, /Danny Price’s details have been updated/);
    const row = await personRow(person.id);
    assert.deepEqual([row.given_name, row.phone, row.interpreter_language, row.version], ['Danny', '07700 900456', 'Welsh', 2]);
    const updated = (await auditSince(t, before)).find((e) => e.action === 'person.updated');
    assert.deepEqual(updated?.details, { changes: { givenName: { from: 'Daniel', to: 'Danny' }, phone: { from: null, to: '07700 900456' }, interpreterLanguage: { from: null, to: 'Welsh' } } });
  });

  test('someone else saved first: the error summary says so, what was typed is kept, and their change stands', async () => {
    const person = await knownPerson({ givenName: 'Helen', familyName: 'Bradley', dateOfBirth: '1966-07-21' });
    await tom.get(paths.personEdit(person.id));
    await people.update(tomActor, person.id, { givenName: 'Helen', familyName: 'Bradley', dateOfBirth: '1966-07-21', postcode: 'NE3 3AB' }, 1);
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.personEdit(person.id), { version: '1', givenName: 'Helen', familyName: 'Bradley-Jones', phone: '07700 900789' });
    assert.equal(posted.statusCode, 303);
    assert.equal(landed.statusCode, 400);
    assert.match(errorSummaryHtml(landed.body), /href="#main-content">This record was changed by someone else since you opened it\. Reload it to see their changes, then make yours again\.</);
    assert.match(landed.body, /value="Bradley-Jones"/);
    assert.match(landed.body, /value="07700 900789"/);
    const row = await personRow(person.id);
    assert.deepEqual([row.family_name, row.phone, row.postcode, row.version], ['Bradley', null, 'NE3 3AB', 2]);
    assert.ok(!(await auditSince(t, before)).some((e) => e.action === 'person.updated'));
  });

  for (const [what, form, expected] of [
    ['missing names', details({ givenName: '', familyName: ' ' }), ['givenName: Enter the first name', 'familyName: Enter the last name']],
    ['a name too long', details({ familyName: 'S'.repeat(101) }), ['familyName: The last name must be 100 characters or fewer']],
    ['a bad NHS number', details({ nhsNumber: '1234567890' }), ['nhsNumber: Enter a valid NHS number: 10 digits, like 943 476 5919']],
    ['an impossible date', details({ 'dateOfBirth-day': '30', 'dateOfBirth-month': '2' }), ['dateOfBirth: Date of birth must be a real date']],
    ['a future date', details({ 'dateOfBirth-year': '2027' }), ['dateOfBirth: The date of birth must be in the past']],
    ['a bad postcode', details({ postcode: 'ABC' }), ['postcode: Enter a real postcode, like NE1 4ST']],
    ['too-long communication needs', details({ communicationNeeds: 'x'.repeat(1001) }), ['communicationNeeds: The communication needs must be 1000 characters or fewer']],
    ['everything at once', details({ givenName: '', 'dateOfBirth-month': '', postcode: 'ABC' }), ['givenName: Enter the first name', 'dateOfBirth: Date of birth must include a month', 'postcode: Enter a real postcode, like NE1 4ST']],
  ] as const) {
    test(`${what}: a message for each field, 400, and nothing changed`, async () => {
      const before = { row: await personRow(robert.id), audit: await lastAuditId(t) };
      const shown = await tom.get(paths.personEdit(robert.id));
      const version = /name="version" value="(\d+)"/.exec(shown.body)![1]!;
      const { posted, landed } = await submit(tom, paths.personEdit(robert.id), { ...form, version } as Record<string, string>);
      assert.equal(posted.statusCode, 303);
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), expected);
      assert.deepEqual(await personRow(robert.id), before.row);
      assert.ok((await auditSince(t, before.audit)).every((e) => e.action === 'person.viewed'), 'only the form being shown is recorded');
    });
  }
});

describe('children and other names', () => {
  test('a child is recorded (REC-3), shown on the record, and the change is recorded', async () => {
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.childNew(robert.id), {
      childName: 'Lily Smith', 'childDateOfBirth-day': '1', 'childDateOfBirth-month': '5', 'childDateOfBirth-year': '2019', relationship: 'significant_contact', livesWithPerson: 'no', notes: 'Lives with her mother; sees Robert at weekends',
    });
    assert.equal(posted.headers.location, paths.person(robert.id));
    assert.match(landed.body, /Lily Smith has been recorded/);
    assert.match(landed.body, /Lily Smith[\s\S]*?1 May 2019[\s\S]*?Significant contact[\s\S]*?No[\s\S]*?sees Robert at weekends/);
    assert.ok((await auditSince(t, before)).some((e) => e.action === 'person.child_recorded' && e.subject_id === robert.id));
  });

  for (const [what, form, expected] of [
    ['nothing chosen', { childName: '' }, [
      'childName: Enter the child’s name',
      'relationship: Select whether the child is a dependant or someone the person has significant contact with',
      'livesWithPerson: Select whether the child lives with the person',
    ]],
    ['too-long notes', { childName: 'Lily Smith', relationship: 'dependent', livesWithPerson: 'yes', notes: 'n'.repeat(1001) }, ['notes: The notes must be 1000 characters or fewer']],
    ['an impossible date and a missing name', { childName: '', 'childDateOfBirth-day': '32', 'childDateOfBirth-month': '1', 'childDateOfBirth-year': '2019', relationship: 'dependent', livesWithPerson: 'yes' }, [
      'childName: Enter the child’s name',
      'childDateOfBirth: The child’s date of birth must be a real date',
    ]],
    ['a future date', { childName: 'Lily Smith', 'childDateOfBirth-day': '1', 'childDateOfBirth-month': '1', 'childDateOfBirth-year': '2027', relationship: 'dependent', livesWithPerson: 'yes' }, ['childDateOfBirth: The date of birth must be in the past']],
  ] as const) {
    test(`a child with ${what}: messages, 400, what was typed is kept, and nothing is recorded`, async () => {
      const before = { children: await countRows(t, 'child_link'), audit: await lastAuditId(t) };
      const { landed } = await submit(tom, paths.childNew(robert.id), form as Record<string, string>);
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), expected);
      if (form.childName) assert.match(landed.body, new RegExp(`value="${form.childName}"`));
      assert.equal(await countRows(t, 'child_link'), before.children);
      assert.ok((await auditSince(t, before.audit)).every((e) => e.action === 'person.viewed'));
    });
  }

  test('another name is recorded, and the search then finds the person by it', async () => {
    const { posted, landed } = await submit(tom, paths.aliasNew(robert.id), { givenName: 'Robbie', familyName: 'Whitlock' });
    assert.equal(posted.headers.location, paths.person(robert.id));
    assert.match(landed.body, /Robbie Whitlock has been added as another name/);
    const found = await search(raj, { name: 'Robbie Whitlock', 'dateOfBirth-day': '12', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1984' });
    assert.match(found.body, /Robert Smith/);
  });

  test('another name with missing parts: messages, 400, nothing recorded', async () => {
    const before = await countRows(t, 'person_alias');
    const { landed } = await submit(tom, paths.aliasNew(robert.id), { givenName: '', familyName: 'x'.repeat(101) });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['givenName: Enter the first name', 'familyName: The last name must be 100 characters or fewer']);
    assert.equal(await countRows(t, 'person_alias'), before);
  });

  test('a partner agency cannot add to a record it cannot see', async () => {
    const before = await countRows(t, 'child_link');
    await raj.get(paths.search());
    const posted = await raj.post(paths.childNew(robert.id), { childName: 'Lily Smith', relationship: 'dependent', livesWithPerson: 'yes' });
    assert.equal(posted.statusCode, 404);
    assert.equal(await countRows(t, 'child_link'), before);
  });
});
