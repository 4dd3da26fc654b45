import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { errorSummary, submit } from '../support/pages.js';
import { sharingPaths as paths } from '../../src/modules/sharing/paths.js';
import { KOFI, OWEN, PRIYA, RAJ, TOM, dateBoxes, sharingWorld } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await sharingWorld(t);
const { kofi, owen } = world;
const tom = await new Browser(t.app).signIn(TOM);
const priya = await new Browser(t.app).signIn(PRIYA);
const housing = await new Browser(t.app).signIn(KOFI);
const childrens = await new Browser(t.app).signIn(OWEN);
const raj = await new Browser(t.app).signIn(RAJ);

const REASON = 'She does not want her landlord to learn about her admissions';
const restrictionRows = async (personId: string) => (await t.pool.query('select * from sharing_restriction where person_id = $1 order by recorded_at', [personId])).rows;
const exceptionRows = async (personId: string) => (await t.pool.query('select *, review_date::text as review_date from sharing_exception where person_id = $1 order by decided_at', [personId])).rows;
const cards = (body: string, qa: string) => [...body.matchAll(new RegExp(`<div[^>]*data-qa="${qa}"[\\s\\S]*?</dl>`, 'g'))].map((m) => textOf(m[0]));

async function restricted(over: Record<string, string | string[]> = {}) {
  const maria = await world.person({ childrens: true });
  await submit(tom, paths.restrictionNew(maria.id), { categories: 'mental_health', agencyIds: kofi.agencyId, otherParties: 'Her landlord', reason: REASON, ...over });
  const restrictionId = (await restrictionRows(maria.id))[0]?.id as string;
  return { maria, restrictionId };
}

describe('restrictions (CON-3)', () => {
  test('recorded by one agency, shown in full to it and to no one else: not to the agency it names, not to a third agency', async () => {
    const before = await lastAuditId(t);
    const { maria, restrictionId } = await restricted({ agencyTypes: 'police' });
    const [row] = await restrictionRows(maria.id);
    assert.deepEqual([row.categories, row.agency_ids, row.agency_types, row.other_parties, row.entry_id], [['mental_health'], [kofi.agencyId], ['police'], 'Her landlord', null]);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action === 'restriction.recorded').map((e) => e.subject_id), [restrictionId]);

    const own = await tom.get(paths.sharing(maria.id));
    assert.deepEqual(cards(own.body, 'restriction'), [
      `Restriction recorded 3 March 2026 Lift restriction (Restriction recorded 3 March 2026) What Mental health Not to be shared with Harbour Housing Options, any agency of the kind “Police” and Her landlord Reason ${REASON} Recorded by Tom Okafor, 3 March 2026 at 10:00am Status In force`,
    ]);
    for (const other of [housing, childrens]) {
      const page = await other.get(paths.sharing(maria.id));
      assert.equal(page.statusCode, 200);
      assert.deepEqual(cards(page.body, 'restriction'), []);
      assert.doesNotMatch(page.body, /landlord/);
      assert.match(page.body, /has recorded no restrictions/);
    }
  });

  test('one entry, from “Restrict this entry” on a note: the form says so and records the entry, not categories', async () => {
    const maria = await world.person();
    const NOTE = await world.noteAbout(maria.id);
    const url = paths.restrictEntry(maria.id, 'note', NOTE);
    const form = await tom.get(url);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1 class="govuk-heading-l">Restrict this entry<\/h1>/);
    assert.match(form.body, /This restricts one note/);
    assert.doesNotMatch(form.body, /name="categories"/);
    const { posted } = await submit(tom, url, { entryType: 'note', entryId: NOTE, agencyIds: kofi.agencyId, reason: 'Intimate details about her relationship' });
    assert.equal(posted.statusCode, 303);
    const [row] = await restrictionRows(maria.id);
    assert.deepEqual([row.entry_type, row.entry_id, row.categories], ['note', NOTE, []]);
  });

  test('nothing chosen: every problem at once, the page answers 400, nothing written', async () => {
    const maria = await world.person();
    const { landed } = await submit(tom, paths.restrictionNew(maria.id), { otherParties: 'x'.repeat(501) });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), [
      'categories: Select the information the person does not want shared',
      'otherParties: Who else must not be told must be 500 characters or fewer',
      'reason: Enter the reason the person gave',
    ]);
    assert.equal((await world.written(maria.id)).restrictions, 0);
  });

  for (const [what, over, expected] of [
    ['basic details', { categories: 'basic_details' }, 'categories: Basic details cannot be restricted: every agency involved needs them to help the person'],
    ['no one named', { agencyIds: [], otherParties: '' }, 'agencyIds: Say who must not see it: agencies, kinds of agency or other people'],
    ['an agency not in the directory', { agencyIds: '6f1c1c3e-8a55-4d61-9b3a-5d0f7c2a1b90' }, 'agencyIds: Select agencies from the list'],
    ['a reason too long', { reason: 'r'.repeat(2001) }, 'reason: The reason the person gave must be 2000 characters or fewer'],
  ] satisfies [string, Record<string, string | string[]>, string][]) {
    test(`${what} is refused and nothing is written`, async () => {
      const maria = await world.person();
      const { landed } = await submit(tom, paths.restrictionNew(maria.id), { categories: 'mental_health', agencyIds: kofi.agencyId, reason: REASON, ...over });
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), [expected]);
      assert.equal((await world.written(maria.id)).restrictions, 0);
    });
  }

  test('an entry that is not a well-formed reference is refused', async () => {
    const maria = await world.person();
    const url = paths.restrictEntry(maria.id, 'note', 'not-a-note');
    const { landed } = await submit(tom, url, { entryType: 'note', entryId: 'not-a-note', agencyIds: kofi.agencyId, reason: REASON });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), ['entryId: The entry to restrict is not one Concord knows: open it and choose “Restrict this entry” again']);
    assert.equal((await world.written(maria.id)).restrictions, 0);
  });

  test('lifting: only the recording agency, with a reason, once; the restriction is kept, marked lifted', async () => {
    const { maria, restrictionId } = await restricted();
    assert.equal((await housing.get(paths.lift(maria.id, restrictionId))).statusCode, 404, 'to another agency it does not exist');
    assert.equal((await housing.post(paths.lift(maria.id, restrictionId), { reason: 'We need it' })).statusCode, 404);
    assert.equal((await world.written(maria.id)).restrictionEnds, 0);

    const blank = await submit(tom, paths.lift(maria.id, restrictionId), { reason: '' });
    assert.equal(blank.landed.statusCode, 400);
    assert.deepEqual(errorSummary(blank.landed.body), ['reason: Enter the reason']);
    assert.equal((await world.written(maria.id)).restrictionEnds, 0);

    const before = await lastAuditId(t);
    const { landed } = await submit(tom, paths.lift(maria.id, restrictionId), { reason: 'She changed her mind at review' });
    assert.match(landed.body, /The restriction has been lifted/);
    assert.match(cards(landed.body, 'restriction')[0]!, /\(lifted\) What Mental health[\s\S]*Status Lifted on 3 March 2026 at 10:00am by Tom Okafor: She changed her mind at review$/);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action === 'restriction.lifted').map((e) => e.subject_id), [restrictionId]);

    const again = await tom.get(paths.lift(maria.id, restrictionId));
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /This restriction has already been lifted/);
    assert.equal((await world.written(maria.id)).restrictionEnds, 1);
  });

  test('a person the actor cannot see: the form and the answer are 404, nothing written', async () => {
    const { maria, restrictionId } = await restricted();
    assert.equal((await raj.get(paths.restrictionNew(maria.id))).statusCode, 404);
    await raj.get('/');
    assert.equal((await raj.post(paths.restrictionNew(maria.id), { categories: 'risk', agencyIds: kofi.agencyId, reason: REASON })).statusCode, 404);
    assert.equal((await raj.post(paths.lift(maria.id, restrictionId), { reason: 'x' })).statusCode, 404);
    assert.deepEqual(await world.written(maria.id), { consents: 0, restrictions: 1, exceptions: 0, restrictionEnds: 0, exceptionEnds: 0 });
  });
});

describe('sharing without consent (CON-4)', () => {
  const decision = (over: Record<string, string | string[]> = {}) => ({
    lawfulBasis: 'serious_harm_to_others',
    justification: 'He has made specific threats against a neighbour; children’s services must know to protect her children.',
    categories: ['risk', 'mental_health'],
    agencyIds: owen.agencyId,
    ...dateBoxes('reviewDate', '2026-06-01'),
    personInformed: 'no',
    notInformedReason: 'Telling him now would increase the risk to the neighbour',
    checklist: ['necessary', 'proportionate', 'consent_not_sought', 'recipients_told', 'advice_sought'],
    ...over,
  });

  test('a practitioner or care coordinator cannot decide it: the form and the answer are 403, nothing written', async () => {
    const maria = await world.person();
    assert.equal((await tom.get(paths.exceptionNew(maria.id))).statusCode, 403);
    const posted = await tom.post(paths.exceptionNew(maria.id), decision());
    assert.equal(posted.statusCode, 403);
    assert.equal((await world.written(maria.id)).exceptions, 0);
    assert.doesNotMatch((await tom.get(paths.sharing(maria.id))).body, /data-qa="record-exception"/);
  });

  test('the form shows the lawful bases, the recipients (not the deciding agency) and the decision-support checklist', async () => {
    const maria = await world.person();
    const form = await priya.get(paths.exceptionNew(maria.id));
    assert.equal(form.statusCode, 200);
    for (const text of ['Risk of serious harm to others', 'Child protection', 'Legal duty or court order', 'Sharing is necessary for the purpose stated', 'only the minimum information needed', 'Seeking consent would increase the risk', 'told how they may', 'Caldicott guardian']) {
      assert.match(form.body, new RegExp(text));
    }
    assert.match(form.body, /Harbour Housing Options/);
    assert.doesNotMatch(form.body, new RegExp(`value="${world.priya.agencyId}"`), 'the deciding agency is not a recipient');
  });

  test('every point of the checklist must be confirmed: the refusal names those that were not; nothing written', async () => {
    const maria = await world.person();
    const { landed } = await submit(priya, paths.exceptionNew(maria.id), decision({ checklist: ['necessary', 'proportionate', 'recipients_told'] }));
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), [
      'checklist: Confirm every point of the checklist before sharing without consent. Not confirmed: seeking consent would increase the risk, or is not possible; advice was sought from the caldicott guardian or information governance lead where it was needed',
    ]);
    assert.match(landed.body, /value="necessary" checked/);
    assert.doesNotMatch(landed.body, /value="advice_sought" checked/);
    assert.equal((await world.written(maria.id)).exceptions, 0);
  });

  test('nothing filled in: every problem at once', async () => {
    const maria = await world.person();
    const { landed } = await submit(priya, paths.exceptionNew(maria.id), {});
    assert.deepEqual(errorSummary(landed.body).map((e) => e.split(':')[0]), ['lawfulBasis', 'justification', 'categories', 'agencyIds', 'reviewDate', 'personInformed', 'checklist']);
    assert.equal((await world.written(maria.id)).exceptions, 0);
  });

  for (const [what, over, expected] of [
    ['a justification under 50 characters', { justification: 'Risk to others.' }, 'justification: The justification must be at least 50 characters: say what the risk is and why sharing is needed'],
    ['a review more than 12 months ahead', dateBoxes('reviewDate', '2027-03-04'), 'reviewDate: The review date must be within 12 months of today'],
    ['a review date today', dateBoxes('reviewDate', '2026-03-03'), 'reviewDate: The review date must be after today'],
    ['no reason the person was not told', { notInformedReason: '' }, 'notInformedReason: Say why the person has not been told'],
    ['the deciding agency as recipient', { agencyIds: world.priya.agencyId }, 'agencyIds: Your own agency cannot be a recipient: choose the agencies the information is shared with'],
    ['no recipient', { agencyIds: [] }, 'agencyIds: Select the agencies the information is shared with'],
    ['a lawful basis not in the list', { lawfulBasis: 'curiosity' }, 'lawfulBasis: Select the lawful basis for sharing without consent'],
  ] satisfies [string, Record<string, string | string[]>, string][]) {
    test(`${what} is refused and nothing is written`, async () => {
      const maria = await world.person();
      const { landed } = await submit(priya, paths.exceptionNew(maria.id), decision(over));
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), [expected]);
      assert.equal((await world.written(maria.id)).exceptions, 0);
    });
  }

  async function decided() {
    const maria = await world.person();
    const posted = await submit(priya, paths.exceptionNew(maria.id), decision());
    assert.equal(posted.posted.statusCode, 303);
    return { maria, exceptionId: (await exceptionRows(maria.id))[0].id as string, landed: posted.landed };
  }

  test('recorded with the decision-maker, the checklist and whether the person was told; every agency with the record sees it', async () => {
    const before = await lastAuditId(t);
    const { maria, exceptionId, landed } = await decided();
    assert.match(landed.body, /The decision to share without consent has been recorded/);
    const [row] = await exceptionRows(maria.id);
    assert.equal(row.decided_by, world.priya.userId);
    assert.equal(row.decided_by_agency, world.priya.agencyId);
    assert.equal(row.person_informed, 'no: Telling him now would increase the risk to the neighbour');
    assert.deepEqual(row.checklist.map((c: { point: string; confirmed: boolean }) => [c.point, c.confirmed]), [
      ['necessary', true], ['proportionate', true], ['consent_not_sought', true], ['recipients_told', true], ['advice_sought', true],
    ]);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action === 'exception.recorded').map((e) => e.subject_id), [exceptionId]);
    const seen = cards((await housing.get(paths.sharing(maria.id))).body, 'exception');
    assert.equal(seen.length, 1);
    assert.match(seen[0]!, /^Risk of serious harm to others, decided 3 March 2026 Status In force Lawful basis Risk of serious harm to others Information shared Risk and Mental health Shared with Northshire Children’s Services Justification He has made specific threats/);
    assert.match(seen[0]!, /Decided by Priya Raman, Riverside NHS Mental Health Trust, 3 March 2026 at 10:00am Review date 1 June 2026 Person told No: Telling him now would increase the risk to the neighbour Checklist Confirmed: Sharing is necessary/);
    assert.doesNotMatch(seen[0]!, / End /, 'only the deciding agency may end it');
  });

  test('ending: only a team manager of the deciding agency (403 for another agency’s manager), with a reason, once', async () => {
    const { maria, exceptionId } = await decided();
    assert.equal((await childrens.get(paths.endException(maria.id, exceptionId))).statusCode, 403);
    const refused = await childrens.post(paths.endException(maria.id, exceptionId), { reason: 'No longer needed' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Only a team manager in Riverside NHS Mental Health Trust/);
    assert.equal((await tom.get(paths.endException(maria.id, exceptionId))).statusCode, 403, 'a care coordinator in the deciding agency is not a manager');
    assert.equal((await world.written(maria.id)).exceptionEnds, 0);

    const blank = await submit(priya, paths.endException(maria.id, exceptionId), { reason: ' ' });
    assert.deepEqual(errorSummary(blank.landed.body), ['reason: Enter the reason']);
    const before = await lastAuditId(t);
    const { landed } = await submit(priya, paths.endException(maria.id, exceptionId), { reason: 'The neighbour has moved away' });
    assert.match(landed.body, /Sharing without consent has ended/);
    assert.match(cards(landed.body, 'exception')[0]!, /Status Ended[\s\S]*Ended 3 March 2026 at 10:00am by Priya Raman: The neighbour has moved away$/);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action === 'exception.ended').map((e) => e.subject_id), [exceptionId]);

    const again = await priya.get(paths.endException(maria.id, exceptionId));
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /This exception has already been ended/);
    assert.equal((await world.written(maria.id)).exceptionEnds, 1);
  });

  test('after its review date it shows as “Review date passed”', async () => {
    const { maria } = await decided();
    const start = t.clock.now().toISOString();
    try {
      t.clock.set('2026-06-02T09:00:00Z');
      const later = await new Browser(t.app).signIn(PRIYA);
      assert.match(cards((await later.get(paths.sharing(maria.id))).body, 'exception')[0]!, /Status Review date passed/);
    } finally {
      t.clock.set(start);
    }
  });

  test('a person the team manager cannot see: 404, nothing written', async () => {
    const hidden = await world.strangerToAll();
    assert.equal((await priya.get(paths.exceptionNew(hidden.id))).statusCode, 404);
    await priya.get('/');
    assert.equal((await priya.post(paths.exceptionNew(hidden.id), decision())).statusCode, 404);
    assert.equal((await world.written(hidden.id)).exceptions, 0);
  });
});
