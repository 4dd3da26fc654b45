import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, countRows, lastAuditId, testConcord } from '../support/app.js';
import { statementsDuring } from '../support/statements.js';

// Issue 9: on this kind of machine a request's cost is mostly its round trips to PostgreSQL, so the
// busiest requests are held to what they send (authentication is one of them: test/auth/one-round-trip).
const t = await testConcord();
const grace = await apiClient(t, 'grace.whitfield@riverside-nhs.example');
const chloe = (await t.pool.query<{ id: string }>(`select id from person where given_name = 'Chloe' and family_name = 'Penrose'`)).rows[0]!.id;
const NOTE = { category: 'mental_health', title: 'Home visit', text: 'Seen at home with her sister.' };

describe('round trips of the busiest requests', () => {
  test('a person’s record: authentication, one read of the record with its access facts, one audit insert', async () => {
    assert.equal((await grace.get(`/api/v1/people/${chloe}`)).statusCode, 200);
    const sent = await statementsDuring(async () => assert.equal((await grace.get(`/api/v1/people/${chloe}`)).json().person.givenName, 'Chloe'));
    assert.equal(sent.length, 3, sent.join('\n---\n'));
  });

  test('a search: authentication, the search, then what it says of each person read in the statement that records the search', async () => {
    // The first search on a connection sets its search settings for the connection's life: one statement more, once.
    await grace.get('/api/v1/people?name=Chloe%20Penrose');
    const sent = await statementsDuring(async () => assert.ok((await grace.get('/api/v1/people?name=Chloe%20Penrose')).json().people.length >= 1));
    assert.equal(sent.length, 3, sent.join('\n---\n'));
  });

  test('the statement that describes what a search found also records the search and each person shown; a search that finds no one records itself', async () => {
    const from = await lastAuditId(t);
    const found = (await grace.get('/api/v1/people?name=Chloe%20Penrose')).json().people as { id: string }[];
    const none = await grace.get('/api/v1/people?name=Zzyzx%20Quillfeather');
    assert.equal(none.json().people.length, 0);
    const events = (await auditSince(t, from)).map((e) => [e.action, (e as { person_id?: string | null }).person_id ?? null]);
    assert.deepEqual(events, [['person.searched', null], ...found.map((p) => ['person.search_result', p.id]), ['person.searched', null]]);
  });

  test('a note: authentication, opening the record, then the note and its audit event in one message', async () => {
    const sent = await statementsDuring(async () => assert.equal((await grace.post(`/api/v1/people/${chloe}/notes`, NOTE)).statusCode, 201));
    assert.equal(sent.length, 3, sent.join('\n---\n'));
  });

  test('the note and its record commit together: when the audit event cannot be written, no note is', async () => {
    const before = await countRows(t, 'record_note');
    await t.pool.query(`alter table audit_event add constraint no_notes_today check (action <> 'note.recorded') not valid`);
    try {
      const refused = await grace.post(`/api/v1/people/${chloe}/notes`, NOTE);
      assert.equal(refused.statusCode, 500);
    } finally {
      await t.pool.query(`alter table audit_event drop constraint no_notes_today`);
    }
    assert.equal(await countRows(t, 'record_note'), before, 'no note without its record');
    assert.equal((await grace.post(`/api/v1/people/${chloe}/notes`, NOTE)).statusCode, 201);
    assert.equal(await countRows(t, 'record_note'), before + 1);
  });
});
