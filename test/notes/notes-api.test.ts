import { describe, test } from 'node:test';
import { assertApiRefused } from '../support/refused.js';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { notesApiPaths as api } from '../../src/modules/notes/paths.js';
import { HELEN, KOFI, notesWorld, PRIYA, RAJ, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await notesWorld(t);

const tom = await apiClient(t, TOM);
const kofi = await apiClient(t, KOFI);
const raj = await apiClient(t, RAJ);
const helen = await apiClient(t, HELEN);
const UNKNOWN = '6d3f3f0e-1111-4222-8333-444455556666';

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);
const titles = (response: Response) => (json(response).notes as { title: string }[]).map((n) => n.title);

const assertRefused = (personId: string, call: () => Promise<Response>, status: number, errors?: Record<string, string>) =>
  assertApiRefused(t, () => world.noteRows(personId), call, status, errors);

describe('notes (API)', () => {
  test('a note written through the API is owned by the writer’s agency and signed; 201 with the note', async () => {
    const person = await world.person();
    const before = await lastAuditId(t);
    const response = await tom.post(api.notes(person.id), { category: 'mental_health', title: 'Medication review', text: 'Dose reduced.', happenedOn: '2026-03-01' });
    assert.equal(response.statusCode, 201, response.body);
    const note = json(response);
    assert.deepEqual(
      { ...note, id: undefined, recordedAt: undefined },
      {
        id: undefined, recordedAt: undefined, personId: person.id, category: 'mental_health', title: 'Medication review', text: 'Dose reduced.', happenedOn: '2026-03-01',
        authorId: tom.actor.userId, authorRole: 'care_coordinator', teamId: tom.actor.teamId, owningAgencyId: tom.actor.agencyId, corrects: null,
      },
    );
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['note.recorded', note.id]]);
  });

  test('the list applies the same decision as the page: a partner without consent gets the basic details notes and which kinds are withheld, never a count of the rest', async () => {
    const person = await world.person();
    await world.note(tom.actor, person.id, 'mental_health', 'Medication review');
    await world.note(tom.actor, person.id, 'basic_details', 'New telephone number');
    const owner = await tom.get(api.notes(person.id));
    assert.equal(owner.statusCode, 200);
    assert.deepEqual(titles(owner), ['New telephone number', 'Medication review']);

    const before = await lastAuditId(t);
    const partner = await kofi.get(api.notes(person.id));
    assert.equal(partner.statusCode, 200);
    const body = json(partner);
    assert.deepEqual(titles(partner), ['New telephone number']);
    assert.deepEqual(Object.keys(body).sort(), ['notes', 'withheld']);
    assert.ok(body.withheld.noConsent.includes('mental_health'));
    assert.deepEqual(body.notes[0].restrictions, [], 'only the owner learns of restrictions');
    assert.doesNotMatch(partner.body, /Medication review/);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.details]), [['notes.viewed', { notes: 1 }]]);

    await world.consentForHousing(person.id, ['mental_health']);
    assert.deepEqual(titles(await kofi.get(api.notes(person.id))), ['New telephone number', 'Medication review']);
    assert.deepEqual(titles(await kofi.get(`${api.notes(person.id)}?category=mental_health`)), ['Medication review']);
  });

  test('the owner sees a note’s restriction and who it is kept from; the partner no longer sees the note', async () => {
    const person = await world.person();
    const kept = await world.note(tom.actor, person.id, 'mental_health', 'Disclosed past abuse');
    await world.consentForHousing(person.id, ['mental_health']);
    const restriction = await world.restrictFromHousing(person.id, { entryId: kept.id });
    const owner = json(await tom.get(api.notes(person.id)));
    assert.deepEqual(owner.notes[0].restrictions, [{ id: restriction, scope: 'note', parties: ['Harbour Housing Options'] }]);
    assert.deepEqual(titles(await kofi.get(api.notes(person.id))), []);
  });

  test('a correction is a new note linked to the one it corrects; the list shows both, the old one superseded', async () => {
    const person = await world.person();
    const original = await world.note(tom.actor, person.id, 'housing', 'Rent arrears');
    t.clock.advance(60_000);
    const response = await tom.post(api.corrections(person.id, original.id), { category: 'finance', title: 'Rent arrears of £400', text: 'The arrears are £400, not £4,000.' });
    assert.equal(response.statusCode, 201, response.body);
    const correction = json(response);
    assert.equal(correction.corrects, original.id);
    const listed = json(await tom.get(api.notes(person.id))).notes;
    assert.deepEqual(listed.map((n: { id: string; latest: boolean; correctedBy: { id: string } | null }) => [n.id, n.latest, n.correctedBy?.id ?? null]), [
      [correction.id, true, null],
      [original.id, false, correction.id],
    ]);
  });

  test('bad input is refused with problem+json naming each field, and nothing is written', async () => {
    const person = await world.person();
    const good = { category: 'housing', title: 'Offered a tenancy', text: 'A flat.' };
    await assertRefused(person.id, () => tom.post(api.notes(person.id), {}), 400, { category: 'Select what kind of information the note holds', title: 'Enter a title', text: 'Enter the note' });
    await assertRefused(person.id, () => tom.post(api.notes(person.id), { ...good, title: 'x'.repeat(121) }), 400, { title: 'The title must be 120 characters or fewer' });
    await assertRefused(person.id, () => tom.post(api.notes(person.id), { ...good, text: 'x'.repeat(10_001) }), 400, { text: 'The note must be 10,000 characters or fewer' });
    await assertRefused(person.id, () => tom.post(api.notes(person.id), { ...good, category: 'gossip' }), 400, { category: 'Select what kind of information the note holds' });
    await assertRefused(person.id, () => tom.post(api.notes(person.id), { ...good, happenedOn: '2026-03-04' }), 400, { happenedOn: 'The date it happened must be today or in the past' });
    await assertRefused(person.id, () => tom.post(api.notes(person.id), { ...good, happenedOn: '2026-02-30' }), 400, { happenedOn: 'Enter the date it happened as a real date, like 27 3 2026' });
    await assertRefused(person.id, () => tom.post(api.notes(person.id), { ...good, title: 42 }), 400, { title: 'Enter a title' });
    await assertRefused(person.id, () => tom.get(`${api.notes(person.id)}?category=gossip`), 400, { category: 'Select a kind of information from the list' });
  });

  test('a person the caller may not open is not found, for reading and writing alike; the refusal is recorded, for a missing person too', async () => {
    const person = await world.person({ housing: false });
    await world.note(tom.actor, person.id, 'basic_details', 'Moved');
    const before = await lastAuditId(t);
    await assertRefused(person.id, () => kofi.get(api.notes(person.id)), 404);
    await assertRefused(person.id, () => kofi.post(api.notes(person.id), { category: 'housing', title: 'A', text: 'B' }), 404);
    await assertRefused(person.id, () => raj.post(api.notes(UNKNOWN), { category: 'housing', title: 'A', text: 'B' }), 404);
    await assertRefused(person.id, () => helen.post(api.notes(person.id), { category: 'housing', title: 'A', text: 'B' }), 403);
    // A missing person is refused with the same recorded refusal as a hidden one, so the two take the same work and time.
    const refusals = (await auditSince(t, before)).filter((e) => e.action === 'person.view_refused');
    assert.deepEqual(refusals.map((e) => e.subject_id), [person.id, person.id, UNKNOWN]);
  });

  test('corrections: only the owning agency, only the latest version, only a note the caller can see', async () => {
    const person = await world.person();
    const original = await world.note(tom.actor, person.id, 'basic_details', 'Moved');
    const hidden = await world.note(tom.actor, person.id, 'mental_health', 'Medication review');
    const body = { category: 'basic_details', title: 'Moved to Quay Street', text: 'Quay Street.' };
    await assertRefused(person.id, () => kofi.post(api.corrections(person.id, original.id), body), 403);
    await assertRefused(person.id, () => kofi.post(api.corrections(person.id, hidden.id), body), 404);
    await assertRefused(person.id, () => tom.post(api.corrections(person.id, UNKNOWN), body), 404);
    await assertRefused(person.id, () => tom.post(api.corrections(person.id, original.id), { ...body, title: '' }), 400, { title: 'Enter a title' });
    assert.equal((await tom.post(api.corrections(person.id, original.id), body)).statusCode, 201);
    await assertRefused(person.id, () => tom.post(api.corrections(person.id, original.id), body), 409);
  });

  test('two people correcting the same note at once: one correction is saved, the other is refused as a conflict', async () => {
    const person = await world.person();
    const original = await world.note(tom.actor, person.id, 'basic_details', 'Moved');
    const priya = await apiClient(t, PRIYA);
    const answers = await Promise.all([tom, priya].map((client, i) => client.post(api.corrections(person.id, original.id), { category: 'basic_details', title: `Correction ${i}`, text: 'Text.' })));
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [201, 409]);
    assert.equal((await world.noteRows(person.id)).length, 2);
  });
});
