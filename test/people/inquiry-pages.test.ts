import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { peoplePaths as paths } from '../../src/modules/people/paths.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const { people, directory } = t.services;

const KOFI = 'kofi.mensah@harbour-housing.example'; // Harbour Housing Options
const TOM = 'tom.okafor@riverside-nhs.example'; // Riverside: another agency
const ALEX = 'alex.morgan@northshire-care.example'; // administrator: no casework
const kofi = await new Browser(t.app).signIn(KOFI);
const tom = await new Browser(t.app).signIn(TOM);
const alex = await new Browser(t.app).signIn(ALEX);

const tomAccount = await directory.findAccountByEmail(TOM);
const tomActor = (await directory.loadActor(tomAccount!.userId, null, { kind: 'session', sessionId: 'test' }))!;
const robert = await t.db.transaction((tx) => people.createInTransaction(tx, tomActor, people.parsePerson({ givenName: 'Robert', familyName: 'Smith' }), () => undefined));

const inquiry = (overrides: Record<string, string> = {}) => ({
  about: 'The Smith family, 4 Harbour Road',
  inquirerName: 'Jo Barnes',
  inquirerOrganisation: 'Harbour Primary School',
  inquirerContact: '01632 960 900',
  channel: 'phone',
  reason: 'Two children often absent; the school wants to know who to talk to',
  response: 'Told them the family is not known to housing options; suggested the MASH',
  ...overrides,
});

/** The inquiries recorded and the audit trail, which must not move when a submission is refused. */
async function assertNothingWritten(call: () => Promise<unknown>) {
  const before = { inquiries: await countRows(t, 'inquiry'), audit: await lastAuditId(t) };
  await call();
  assert.equal(await countRows(t, 'inquiry'), before.inquiries);
  assert.deepEqual((await auditSince(t, before.audit)).map((e) => e.action), []);
}

describe('inquiries without a case (REC-4)', () => {
  test('an empty log says so', async () => {
    const housing = (await t.pool.query('select count(*)::int as n from inquiry i join agency a on a.id = i.recorded_by_agency where a.name = $1', ['Harbour Housing Options'])).rows[0].n;
    assert.equal(housing, 0, 'the demo partnership records no inquiries for housing');
    const page = await kofi.get(paths.inquiries());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Your agency has not recorded any inquiries/);
  });

  test('an inquiry is recorded with who asked, how, why and what they were told, and the log shows it, newest first', async () => {
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(kofi, paths.inquiryNew(), inquiry());
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.inquiries());
    assert.match(landed.body, /The inquiry has been recorded/);
    t.clock.advance(5 * 60 * 1000); // less than the session idle timeout
    await submit(kofi, paths.inquiryNew(), inquiry({ about: 'Dee Walsh', channel: 'in_person', inquirerOrganisation: '', inquirerContact: '' }));

    const log = await kofi.get(paths.inquiries());
    const titles = [...log.body.matchAll(/govuk-summary-card__title">\s*([^<]+?)\s*</g)].map((m) => m[1]);
    assert.deepEqual(titles.filter((title) => ['Dee Walsh', 'The Smith family, 4 Harbour Road'].includes(title!)), ['Dee Walsh', 'The Smith family, 4 Harbour Road']);
    assert.match(log.body, /3 March 2026 at 10:05am, in person/);
    assert.match(log.body, /3 March 2026 at 10:00am, by telephone/);
    assert.match(log.body, /Jo Barnes, Harbour Primary School\s*<span class="govuk-!-display-block">01632 960 900<\/span>/);
    assert.match(log.body, /Two children often absent/);
    assert.match(log.body, /suggested the MASH/);
    assert.match(log.body, /Kofi Mensah, Housing Options and Homelessness/);
    const events = await auditSince(t, before);
    // Each recording, and each reading of the log (it holds free text about people).
    assert.deepEqual(events.map((e) => [e.action, e.subject_type]), [
      ['inquiry.recorded', 'inquiry'],
      ['inquiry.list_viewed', null],
      ['inquiry.recorded', 'inquiry'],
      ['inquiry.list_viewed', null],
      ['inquiry.list_viewed', null],
    ]);
  });

  test('colleagues in the same agency see the inquiries; another agency does not', async () => {
    const colleague = await tom.get(paths.inquiries());
    assert.equal(colleague.statusCode, 200);
    assert.doesNotMatch(colleague.body, /The Smith family|Dee Walsh/);
  });

  test('an inquiry about a person found by a search is linked to them, with what it is about filled in', async () => {
    const form = await kofi.get(paths.inquiryAbout(robert.id, 'Robert Smith'));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /id="about" name="about" type="text" spellcheck="false" value="Robert Smith"/);
    assert.match(form.body, new RegExp(`action="/inquiries/new\\?personId=${robert.id}"`));
    const before = await lastAuditId(t);
    const { posted } = await submit(kofi, paths.inquiryAbout(robert.id, 'Robert Smith'), inquiry({ about: 'Robert Smith' }));
    assert.equal(posted.statusCode, 303);
    const row = await t.pool.query('select id, person_id from inquiry where about = $1', ['Robert Smith']);
    assert.equal(row.rows[0].person_id, robert.id);
    const events = await auditSince(t, before);
    // Reading the log records each person an inquiry is linked to as seen.
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['inquiry.recorded', row.rows[0].id], ['inquiry.list_viewed', null], ['inquiry.list_viewed', robert.id]]);
  });

  for (const [what, form, expected] of [
    ['nothing filled in', {}, [
      'about: Enter the person or family the inquiry is about',
      'inquirerName: Enter the name of the person asking',
      'channel: Select how the inquiry came in',
      'reason: Enter the reason they gave for asking',
      'response: Enter the response given',
    ]],
    ['too much written', inquiry({ about: 'a'.repeat(301), response: 'r'.repeat(2001), inquirerContact: 'c'.repeat(201) }), [
      'about: The person or family the inquiry is about must be 300 characters or fewer',
      'inquirerContact: The contact details must be 200 characters or fewer',
      'response: The response given must be 2000 characters or fewer',
    ]],
    ['a channel that is not on the list', inquiry({ channel: 'carrier_pigeon' }), ['channel: Select how the inquiry came in']],
  ] as const) {
    test(`${what}: a message for each field, 400, what was typed is kept, and nothing is recorded`, async () => {
      await assertNothingWritten(async () => {
        const { posted, landed } = await submit(kofi, paths.inquiryNew(), form as Record<string, string>);
        assert.equal(posted.statusCode, 303);
        assert.equal(landed.statusCode, 400);
        assert.deepEqual(errorSummary(landed.body), expected);
        if ('inquirerName' in form) assert.match(landed.body, /value="Jo Barnes"/);
      });
    });
  }

  test('a person reference that is malformed or unknown is not found, and nothing is recorded', async () => {
    assert.equal((await kofi.get('/inquiries/new?personId=not-a-reference')).statusCode, 404);
    await assertNothingWritten(async () => {
      await kofi.get(paths.inquiryNew());
      const posted = await kofi.post(paths.inquiryAbout('6d3f3f0e-1111-4222-8333-444455556666', ''), inquiry());
      assert.equal(posted.statusCode, 404);
    });
  });

  test('an administrator, who does no casework, can neither read nor record inquiries', async () => {
    assert.equal((await alex.get(paths.inquiries())).statusCode, 403);
    assert.equal((await alex.get(paths.inquiryNew())).statusCode, 403);
    const before = await countRows(t, 'inquiry');
    assert.equal((await alex.post(paths.inquiryNew(), inquiry())).statusCode, 403);
    assert.equal(await countRows(t, 'inquiry'), before);
  });
});
