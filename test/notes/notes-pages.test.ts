import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { actorFor, textOf } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { notesPaths as paths } from '../../src/modules/notes/paths.js';
import { HELEN, KOFI, notesWorld, PRIYA, RAJ, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await notesWorld(t);
const { tom: tomActor, kofi: kofiActor } = world;

const tom = await new Browser(t.app).signIn(TOM);
const priya = await new Browser(t.app).signIn(PRIYA);
const kofi = await new Browser(t.app).signIn(KOFI);
const raj = await new Browser(t.app).signIn(RAJ);
const helen = await new Browser(t.app).signIn(HELEN);

/** The notes a page shows, newest first, by title. */
const titlesOn = (body: string) => [...body.matchAll(/<h3 class="moj-timeline__title">([^<]+)<\/h3>/g)].map((m) => m[1]!);
/** One note's element on the page, by id. */
const noteOn = (body: string, noteId: string) => body.split('<div class="moj-timeline__item"').find((part) => part.startsWith(` id="note-${noteId}"`)) ?? '';
const actionsSince = async (id: number) => (await auditSince(t, id)).map((e) => [e.action, e.outcome, e.details]);

describe('the notes on a record', () => {
  test('the owning agency sees every note, newest first, signed with author, role, team and agency, tagged with its category; the read is recorded with how many were shown', async () => {
    const person = await world.person();
    await world.note(tomActor, person.id, 'basic_details', 'Moved to a new flat');
    await world.note(tomActor, person.id, 'mental_health', 'Medication review', { happenedOn: '2026-02-27' });
    await world.note(tomActor, person.id, 'housing', 'Rent arrears discussed');
    const before = await lastAuditId(t);
    const page = await tom.get(paths.notes(person.id));
    assert.equal(page.statusCode, 200);
    assert.deepEqual(titlesOn(page.body), ['Rent arrears discussed', 'Medication review', 'Moved to a new flat']);
    assert.match(page.body, /data-qa="person-name">Noelle Testcase\d+</);
    assert.match(page.body, new RegExp(`aria-current="page" href="/people/${person.id}/notes"`));
    assert.match(page.body, /by Tom Okafor, Care coordinator, Riverside Community Mental Health Team, Riverside NHS Mental Health Trust/);
    assert.match(page.body, /data-qa="note-category">Mental health</);
    assert.match(page.body, /3 March 2026 at 10:02am/);
    assert.match(page.body, /data-qa="happened-on">About 27 February 2026/);
    assert.match(page.body, /Medication review: what was seen and said\./);
    assert.doesNotMatch(page.body, /data-qa="note-restricted"/);
    assert.deepEqual(await actionsSince(before), [['notes.viewed', 'success', { notes: 3 }]]);
  });

  test('a partner agency with no consent sees the basic details note only, is told once which kinds of notes are not shared and why, and nothing counts the rest', async () => {
    const person = await world.person();
    await world.note(tomActor, person.id, 'mental_health', 'Medication review');
    await world.note(tomActor, person.id, 'basic_details', 'New telephone number');
    await world.note(tomActor, person.id, 'mental_health', 'Hearing voices again');
    const bare = await world.person();
    await world.note(tomActor, bare.id, 'basic_details', 'New telephone number');

    const before = await lastAuditId(t);
    const page = await kofi.get(paths.notes(person.id));
    assert.equal(page.statusCode, 200);
    assert.deepEqual(titlesOn(page.body), ['New telephone number']);
    assert.doesNotMatch(page.body, /Medication review|Hearing voices/);
    assert.match(textOf(page.body), /Other agencies’ notes about risk, physical health, mental health, drug and alcohol use, offending, children and safeguarding, housing, money and benefits, abuse and adult safeguarding, relationships and sexuality, education and training, faith and spiritual matters, hobbies and recreation, legal status, goals and support plan and other notes are not shared with Harbour Housing Options: there is no consent in force to share them\./);
    assert.doesNotMatch(page.body, /Correct this note|Restrict who can see this/, 'only the owning agency corrects or restricts');
    assert.deepEqual(await actionsSince(before), [['notes.viewed', 'success', { notes: 1 }]]);

    // The same page for a person with no hidden notes: nothing on it differs but the person.
    const other = await kofi.get(paths.notes(bare.id));
    const comparable = (body: string, p: { id: string; name: string }) =>
      textOf(body).replaceAll(p.name, 'PERSON').replaceAll(p.id, 'ID').replace(/\d+ March 2026 at \d+:\d+[ap]m/g, 'WHEN');
    assert.equal(comparable(page.body, person), comparable(other.body, bare));
  });

  test('with consent in force to share mental health with Harbour Housing, the partner sees those notes too; not once the consent is past its review date', async () => {
    const person = await world.person();
    await world.note(tomActor, person.id, 'mental_health', 'Medication review');
    await world.note(tomActor, person.id, 'substance_use', 'Drinking more at weekends');
    await world.consentForHousing(person.id, ['mental_health'], '2026-06-30');
    const page = await kofi.get(paths.notes(person.id));
    assert.deepEqual(titlesOn(page.body), ['Medication review']);
    assert.match(textOf(page.body), /notes about risk, physical health, drug and alcohol use,/);
    assert.doesNotMatch(textOf(page.body), /notes about [^.]*mental health/);

    const expired = await world.person();
    await world.note(tomActor, expired.id, 'mental_health', 'Medication review');
    await world.consentForHousing(expired.id, ['mental_health'], '2026-03-02');
    assert.deepEqual(titlesOn((await kofi.get(paths.notes(expired.id))).body), []);
  });

  test('a note the person asked not to share with Harbour Housing is hidden from it even with consent; the owning agency sees it tagged "Restricted", who it is kept from, and a link to restrict it', async () => {
    const person = await world.person();
    const kept = await world.note(tomActor, person.id, 'mental_health', 'Disclosed past abuse');
    await world.note(tomActor, person.id, 'mental_health', 'Medication review');
    await world.consentForHousing(person.id, ['mental_health']);
    const restriction = await world.restrictFromHousing(person.id, { entryId: kept.id });

    const before = await lastAuditId(t);
    const partner = await kofi.get(paths.notes(person.id));
    assert.deepEqual(titlesOn(partner.body), ['Medication review']);
    assert.doesNotMatch(partner.body, /Disclosed past abuse|Restricted/);
    assert.deepEqual(await actionsSince(before), [['notes.viewed', 'success', { notes: 1 }]]);

    const owner = await tom.get(paths.notes(person.id));
    assert.deepEqual(titlesOn(owner.body), ['Medication review', 'Disclosed past abuse']);
    const shown = noteOn(owner.body, kept.id);
    assert.match(shown, /data-qa="note-restricted">Restricted</);
    assert.match(textOf(shown), /This note is not shared with Harbour Housing Options\./);
    assert.match(shown, new RegExp(`href="/people/${person.id}/sharing/restrictions/new\\?entryType=note&amp;entryId=${kept.id}"`));
    assert.doesNotMatch(noteOn(owner.body, (await world.noteRows(person.id))[1].id), /data-qa="note-restricted"/);

    // Once the restriction ends, the consent shares the note again.
    await world.endRestriction(restriction);
    assert.deepEqual(titlesOn((await kofi.get(paths.notes(person.id))).body), ['Medication review', 'Disclosed past abuse']);
    assert.doesNotMatch((await tom.get(paths.notes(person.id))).body, /data-qa="note-restricted"/);
  });

  test('a restriction on a whole category hides it from the partner, who is told why; the owner sees the category restriction on each note of it', async () => {
    const person = await world.person();
    await world.note(tomActor, person.id, 'offending', 'Court date set');
    await world.consentForHousing(person.id, ['offending']);
    await world.restrictFromHousing(person.id, { categories: ['offending'] });
    const partner = await kofi.get(paths.notes(person.id));
    assert.deepEqual(titlesOn(partner.body), []);
    assert.match(textOf(partner.body), /Other agencies’ notes about offending are not shared with Harbour Housing Options: Noelle Testcase\d+ asked that they are not\./);
    const owner = await tom.get(paths.notes(person.id));
    assert.match(textOf(owner.body), /All offending information is not shared with Harbour Housing Options\./);
  });

  test('the list can show one kind of information, chosen on the page; an unknown kind is refused', async () => {
    const person = await world.person();
    await world.note(tomActor, person.id, 'housing', 'Rent arrears discussed');
    await world.note(tomActor, person.id, 'mental_health', 'Medication review');
    const before = await lastAuditId(t);
    const page = await tom.get(paths.notesIn(person.id, 'housing'));
    assert.deepEqual(titlesOn(page.body), ['Rent arrears discussed']);
    assert.match(page.body, /<option value="housing" selected>Housing<\/option>/);
    assert.deepEqual(await actionsSince(before), [['notes.viewed', 'success', { notes: 1, category: 'housing' }]]);
    assert.match((await tom.get(paths.notesIn(person.id, 'risk'))).body, /No risk notes to show\./);
    const unknown = await tom.get(paths.notesIn(person.id, 'gossip'));
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Select a kind of information from the list/);
  });

  test('an agency not involved, and someone with no casework role, get "Page not found" or are refused; the refusal is recorded', async () => {
    const person = await world.person({ housing: false });
    await world.note(tomActor, person.id, 'basic_details', 'Moved to a new flat');
    for (const url of [paths.notes(person.id), paths.noteNew(person.id)]) {
      const before = await lastAuditId(t);
      const hidden = await kofi.get(url);
      assert.equal(hidden.statusCode, 404, url);
      assert.doesNotMatch(hidden.body, /Noelle|Moved to a new flat/);
      assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.outcome]), [['person.view_refused', 'denied']]);
    }
    assert.equal((await raj.get(paths.notes('6d3f3f0e-1111-4222-8333-444455556666'))).statusCode, 404);
    assert.equal((await raj.get('/people/not-a-reference/notes')).statusCode, 404);
    assert.equal((await helen.get(paths.notes(person.id))).statusCode, 403, 'an auditor does no casework');
  });
});

describe('writing a note', () => {
  test('the form asks for the kind of information, a title, the note and an optional date; the note is saved signed, owned by the writer’s agency, and the writer lands on it', async () => {
    const person = await world.person();
    const form = await kofi.get(paths.noteNew(person.id));
    assert.equal(form.statusCode, 200);
    for (const field of ['category', 'title', 'text', 'happenedOn-day', 'happenedOn-month', 'happenedOn-year']) assert.match(form.body, new RegExp(`name="${field}"`));
    const before = await lastAuditId(t);
    const posted = await kofi.post(paths.noteNew(person.id), {
      category: 'housing', title: 'Offered a tenancy', text: 'Offered a one-bedroom flat on Quay Street.\nViewing on Friday.', 'happenedOn-day': '2', 'happenedOn-month': '3', 'happenedOn-year': '2026',
    });
    assert.equal(posted.statusCode, 303);
    const [row] = await world.noteRows(person.id);
    assert.equal(posted.headers.location, paths.note(person.id, row.id));
    assert.deepEqual(
      [row.category, row.title, row.owning_agency_id, row.team_id, row.author_id, row.author_role, row.happened_on, row.corrects, row.original_id],
      ['housing', 'Offered a tenancy', kofiActor.agencyId, kofiActor.teamId, kofiActor.userId, 'practitioner', '2026-03-02', null, row.id],
    );
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id, e.details]), [['note.recorded', row.id, { category: 'housing' }]]);
    const landed = await kofi.get(String(posted.headers.location));
    assert.match(landed.body, /Your note has been added/);
    assert.match(landed.body, /<p class="govuk-body">Offered a one-bedroom flat on Quay Street\.<\/p><p class="govuk-body">Viewing on Friday\.<\/p>/);
    // Harbour Housing owns it: Riverside, with no consent to see housing information, does not.
    assert.deepEqual(titlesOn((await tom.get(paths.notes(person.id))).body), []);
  });

  const good = { category: 'mental_health', title: 'Seen at home', text: 'Calm and engaged.' };
  for (const [what, form, expected] of [
    ['nothing filled in', {}, ['category: Select what kind of information the note holds', 'title: Enter a title', 'text: Enter the note']],
    ['a blank title and note', { ...good, title: '  ', text: '\n' }, ['title: Enter a title', 'text: Enter the note']],
    ['a title too long', { ...good, title: 'x'.repeat(121) }, ['title: The title must be 120 characters or fewer']],
    ['a note too long', { ...good, text: 'x'.repeat(10_001) }, ['text: The note must be 10,000 characters or fewer']],
    ['an unknown kind of information', { ...good, category: 'gossip' }, ['category: Select what kind of information the note holds']],
    ['a date in the future', { ...good, 'happenedOn-day': '4', 'happenedOn-month': '3', 'happenedOn-year': '2026' }, ['happenedOn: The date it happened must be today or in the past']],
    ['a date with no month', { ...good, 'happenedOn-day': '4', 'happenedOn-year': '2026' }, ['happenedOn: The date it happened must include a month']],
    ['an impossible date and no title', { ...good, title: '', 'happenedOn-day': '30', 'happenedOn-month': '2', 'happenedOn-year': '2026' }, ['title: Enter a title', 'happenedOn: The date it happened must be a real date']],
  ] as const) {
    test(`${what}: the error summary says what to fix, 400, what was typed is kept, and nothing is written`, async () => {
      const person = await world.person();
      await tom.get(paths.noteNew(person.id));
      const before = await lastAuditId(t);
      const posted = await tom.post(paths.noteNew(person.id), form);
      assert.equal(posted.statusCode, 303);
      assert.equal(posted.headers.location, paths.noteNew(person.id));
      const landed = await tom.get(paths.noteNew(person.id));
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), expected);
      if ('title' in form && form.title.trim() && form.title.length < 50) assert.match(landed.body, new RegExp(`value="${form.title}"`));
      assert.deepEqual(await world.noteRows(person.id), []);
      assert.deepEqual((await auditSince(t, before)).filter((e) => e.action.startsWith('note.')), []);
    });
  }

  test('an agency not involved cannot write a note: "Page not found", and nothing is written', async () => {
    const person = await world.person({ housing: false });
    await kofi.get(paths.notes((await world.person()).id));
    const posted = await kofi.post(paths.noteNew(person.id), { category: 'housing', title: 'Offered a tenancy', text: 'A flat.' });
    assert.equal(posted.statusCode, 404);
    assert.deepEqual(await world.noteRows(person.id), []);
  });

  test('an auditor may not write notes', async () => {
    const person = await world.person();
    await helen.get('/');
    const posted = await helen.post(paths.noteNew(person.id), { category: 'housing', title: 'A note', text: 'A note.' });
    assert.equal(posted.statusCode, 403);
    assert.deepEqual(await world.noteRows(person.id), []);
  });
});

describe('correcting a note', () => {
  test('the correction is a new note linked to the old, which stays readable, tagged "Corrected", saying when and by whom, with links both ways', async () => {
    const person = await world.person();
    const original = await world.note(tomActor, person.id, 'basic_details', 'Moved to a new flat', { happenedOn: '2026-03-01' });
    const form = await tom.get(paths.correction(person.id, original.id));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Moved to a new flat"/);
    assert.match(form.body, /name="happenedOn-day" type="text" value="1"/);
    assert.match(form.body, /Moved to a new flat: what was seen and said\./);
    t.clock.advance(60_000);
    const before = await lastAuditId(t);
    const posted = await tom.post(paths.correction(person.id, original.id), { category: 'basic_details', title: 'Moved to a new flat on Quay Street', text: 'The flat is on Quay Street, not Mill Lane.' });
    assert.equal(posted.statusCode, 303);
    const [old, correction] = await world.noteRows(person.id);
    assert.equal(old.id, original.id);
    assert.equal(old.title, 'Moved to a new flat', 'the original is never changed');
    assert.deepEqual([correction.corrects, correction.original_id, correction.author_id], [original.id, original.id, tomActor.userId]);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id, e.details]), [['note.corrected', correction.id, { corrects: original.id, category: 'basic_details' }]]);

    for (const browser of [tom, kofi]) {
      const page = await browser.get(paths.notes(person.id));
      assert.deepEqual(titlesOn(page.body), ['Moved to a new flat on Quay Street', 'Moved to a new flat']);
      const oldShown = noteOn(page.body, original.id);
      assert.match(oldShown, /data-qa="note-superseded">Corrected</);
      assert.match(textOf(oldShown), /Corrected on 3 March 2026 at 10:\d\dam by Tom Okafor\. See the correction/);
      assert.match(oldShown, new RegExp(`href="#note-${correction.id}"`));
      assert.doesNotMatch(oldShown, /Correct this note/);
      const newShown = noteOn(page.body, correction.id);
      assert.match(newShown, new RegExp(`This corrects the note of 3 March 2026 at 10:\\d\\dam\\. <a class="govuk-link" href="#note-${original.id}"`));
    }
  });

  test('a correction may be corrected in turn (the latest supersedes); a note already corrected is not corrected again', async () => {
    const person = await world.person();
    const original = await world.note(tomActor, person.id, 'risk', 'Risk reviewed');
    t.clock.advance(60_000);
    const first = await t.services.notes.correct(tomActor, person.id, original.id, { category: 'risk', title: 'Risk reviewed (first correction)', text: 'Text.' });
    const priyaActor = await actorFor(t, PRIYA);
    t.clock.advance(60_000);
    await t.services.notes.correct(priyaActor, person.id, first.id, { category: 'risk', title: 'Risk reviewed (second correction)', text: 'Text.' });
    const page = await priya.get(paths.notes(person.id));
    assert.deepEqual(titlesOn(page.body), ['Risk reviewed (second correction)', 'Risk reviewed (first correction)', 'Risk reviewed']);
    assert.match(textOf(noteOn(page.body, first.id)), /by Priya Raman/);
    assert.equal((page.body.match(/Correct this note/g) ?? []).length, 1, 'only the latest version can be corrected');

    const before = await world.noteRows(person.id);
    const refused = await tom.get(paths.correction(person.id, original.id));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /This note has already been corrected\. Correct the latest version instead\./);
    await tom.get(paths.notes(person.id));
    const posted = await tom.post(paths.correction(person.id, original.id), { category: 'risk', title: 'Another', text: 'Text.' });
    const landed = await tom.get(String(posted.headers.location));
    assert.match(landed.body, /This note has already been corrected/);
    assert.deepEqual(await world.noteRows(person.id), before);
  });

  test('only the agency that wrote a note corrects it: a partner who can see it is refused, and nothing is written', async () => {
    const person = await world.person();
    const original = await world.note(tomActor, person.id, 'basic_details', 'Moved to a new flat');
    const form = await kofi.get(paths.correction(person.id, original.id));
    assert.equal(form.statusCode, 403);
    assert.match(form.body, /Only the agency that wrote a note can correct it/);
    await kofi.get(paths.notes(person.id));
    const posted = await kofi.post(paths.correction(person.id, original.id), { category: 'basic_details', title: 'Wrong', text: 'Wrong.' });
    assert.equal(posted.statusCode, 403);
    assert.equal((await world.noteRows(person.id)).length, 1);
  });

  test('a note the reader cannot see, or that is not this person’s, cannot be corrected or even found', async () => {
    const person = await world.person();
    const hidden = await world.note(tomActor, person.id, 'mental_health', 'Medication review');
    assert.equal((await kofi.get(paths.correction(person.id, hidden.id))).statusCode, 404);
    const elsewhere = await world.person();
    assert.equal((await tom.get(paths.correction(elsewhere.id, hidden.id))).statusCode, 404);
    assert.equal((await tom.get(paths.correction(person.id, '6d3f3f0e-1111-4222-8333-444455556666'))).statusCode, 404);
  });

  test('bad input in a correction: the error summary, 400, and nothing is written', async () => {
    const person = await world.person();
    const original = await world.note(tomActor, person.id, 'housing', 'Rent arrears');
    await tom.get(paths.correction(person.id, original.id));
    const posted = await tom.post(paths.correction(person.id, original.id), { category: 'housing', title: '', text: 'x'.repeat(10_001) });
    assert.equal(posted.statusCode, 303);
    const landed = await tom.get(paths.correction(person.id, original.id));
    assert.equal(landed.statusCode, 400);
    assert.match(landed.body, /Enter a title/);
    assert.match(landed.body, /The note must be 10,000 characters or fewer/);
    assert.equal((await world.noteRows(person.id)).length, 1);
  });

  test('a correction that moves a note into a category the partner may not see hides every version of it from the partner, saying nothing of it', async () => {
    const person = await world.person();
    const original = await world.note(tomActor, person.id, 'basic_details', 'Talked about family');
    assert.deepEqual(titlesOn((await kofi.get(paths.notes(person.id))).body), ['Talked about family']);
    await t.services.notes.correct(tomActor, person.id, original.id, { category: 'children_safeguarding', title: 'Talked about family', text: 'Concerns about the children.' });
    const page = await kofi.get(paths.notes(person.id));
    assert.deepEqual(titlesOn(page.body), []);
    assert.doesNotMatch(page.body, /Talked about family|Corrected/);
    assert.equal((await kofi.get(paths.correction(person.id, original.id))).statusCode, 404);
  });

  test('notes are never changed or removed in the database either', async () => {
    const person = await world.person();
    const original = await world.note(tomActor, person.id, 'housing', 'Rent arrears');
    await assert.rejects(t.pool.query(`update record_note set title = 'Changed' where id = $1`, [original.id]), /never changed or removed/);
    await assert.rejects(t.pool.query(`delete from record_note where id = $1`, [original.id]), /never changed or removed/);
  });
});
