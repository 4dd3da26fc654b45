import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { actorFor } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { accessReviewPaths } from '../../src/modules/access-review/paths.js';
import type { DomainError } from '../../src/platform/errors.js';
import { countOf, EMAIL, knownCheck, rowsOf, worldFor } from './world.js';

// Two openings an hour, so that the third waits for the Caldicott guardian.
const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z', env: { SESSION_IDLE_MINUTES: '600', BREAK_GLASS_PER_HOUR: '2' } });
const world = await worldFor(t);
const { accessReview, people } = t.services;
const raj = world.actors.raj;
const alex = await actorFor(t, EMAIL.alex);
const helenBrowser = await new Browser(t.app).signIn(EMAIL.helen);
const GOOD = { reason: 'crisis_out_of_hours', explanation: 'Police called at 2am: in crisis and the CMHT is closed until morning.' };
const written = async () => ({ glass: await countOf(t, 'break_glass'), alerts: await countOf(t, 'access_alert'), requests: await countOf(t, 'break_glass_request'), decisions: await countOf(t, 'break_glass_decision') });
/** Whether Raj can open the record; the refusal it records (or the read) is left out of the audit compared after. */
const opens = async (personId: string) => {
  const before = await lastAuditId(t);
  const answer = await people.get(raj, personId).then(() => true, (error: DomainError) => (error.kind === 'not_found' ? false : Promise.reject(error)));
  await t.pool.query(`create temp table if not exists probe_ids (id bigint)`);
  await t.pool.query(`insert into probe_ids select id from audit_event where id > $1`, [before]);
  return answer;
};
const auditNotProbed = async (after: number) => {
  const probed = new Set((await t.pool.query(`select id from probe_ids`).catch(() => ({ rows: [] }))).rows.map((r: { id: string }) => Number(r.id)));
  return (await auditSince(t, after)).filter((e) => !probed.has(Number(e.id)));
};

describe('emergency access refused is recorded', () => {
  test('no reason or too short an explanation: refused with the problems, recorded as a refusal, nothing else written', async () => {
    const jo = await world.person('Jo', 'Ashworth');
    await world.found(raj, jo);
    const before = await lastAuditId(t);
    const counts = await written();
    await assert.rejects(accessReview.breakGlass(raj, jo.id, { explanation: 'Urgent, sorry' }), (error: DomainError) => error.kind === 'invalid' && error.fieldErrors.length === 2);
    assert.deepEqual(await written(), counts);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject_id]), [['record.break_glass_refused', 'denied', jo.id]]);
    assert.deepEqual((events[0]!.details as { problems: { field: string }[] }).problems.map((p) => p.field), ['reason', 'explanation']);
  });

  test('someone not permitted to use it: 403, recorded as a refusal naming the person', async () => {
    const jo = await world.person('Jo', 'Bramwell');
    const before = await lastAuditId(t);
    await assert.rejects(accessReview.breakGlass(alex, jo.id, GOOD), (error: DomainError) => error.kind === 'forbidden');
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject_id, (e.details as { permission: string }).permission]), [['access.denied', 'denied', jo.id, 'records.break_glass']]);
  });
});

describe('emergency access beyond the hourly allowance waits for the Caldicott guardian', () => {
  test('the first two in an hour start; the third is a request and opens nothing; an hour later it starts again', async () => {
    const [a, b, c] = [await world.person('Ann', 'Cotterill'), await world.person('Bill', 'Cotterill'), await world.person('Cath', 'Cotterill')];
    for (const p of [a, b, c]) await world.found(raj, p);
    assert.equal((await accessReview.breakGlass(raj, a.id, GOOD)).status, 'started');
    t.clock.advance(60_000);
    assert.equal((await accessReview.breakGlass(raj, b.id, GOOD)).status, 'started');
    const before = { audit: await lastAuditId(t), rows: await written() };
    const third = await accessReview.breakGlass(raj, c.id, GOOD);
    assert.equal(third.status, 'waiting');
    assert.deepEqual(await written(), { ...before.rows, requests: before.rows.requests + 1 }, 'no emergency access, no alert: a request');
    assert.equal(await opens(c.id), false, 'the record does not open');
    assert.deepEqual((await auditNotProbed(before.audit)).map((e) => [e.action, e.subject_type]), [['record.break_glass_requested', 'break_glass_request']]);

    t.clock.advance(60 * 60_000);
    await world.found(raj, c);
    assert.equal((await accessReview.breakGlass(raj, c.id, GOOD)).status, 'started', 'the first of those two was over an hour ago');
  });

  test('the page tells the user it waits, and the guardian sees it in the access alerts; approving starts the access', async () => {
    t.clock.advance(2 * 60 * 60_000);
    const [d, e, f] = [await world.person('Dora', 'Fenwick'), await world.person('Ed', 'Fenwick'), await world.person('Flo', 'Fenwick')];
    for (const p of [d, e]) await world.found(raj, p);
    await accessReview.breakGlass(raj, d.id, GOOD);
    await accessReview.breakGlass(raj, e.id, GOOD);
    const rajBrowser = await new Browser(t.app).signIn(EMAIL.raj);
    assert.match((await rajBrowser.get(knownCheck(f))).body, /data-qa="break-glass"/);
    await rajBrowser.get(recordPaths.breakGlass(f.id));
    const posted = await rajBrowser.post(recordPaths.breakGlass(f.id), GOOD);
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, recordPaths.search());
    assert.match((await rajBrowser.get(recordPaths.search())).body, /Your request waits for the Caldicott guardian/);
    assert.equal((await rajBrowser.get(recordPaths.person(f.id))).statusCode, 404);

    const [request] = await rowsOf(t, 'select id from break_glass_request where person_id = $1', [f.id]);
    const queue = await helenBrowser.get(accessReviewPaths.alerts());
    assert.match(queue.body, new RegExp(`href="${accessReviewPaths.request(request.id)}"[^>]*>Raj Patel \\(Northshire County Council Adult Social Care\\): Flo Fenwick`));
    const page = await helenBrowser.get(accessReviewPaths.request(request.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Police called at 2am/);

    const before = await lastAuditId(t);
    const decided = await helenBrowser.post(accessReviewPaths.request(request.id), { decision: 'approved', notes: 'Spoke to the duty officer: genuine.' });
    assert.equal(decided.statusCode, 303);
    assert.equal((await rajBrowser.get(recordPaths.person(f.id))).statusCode, 200, 'the record opens once approved');
    const [glass] = await rowsOf(t, 'select * from break_glass where person_id = $1', [f.id]);
    assert.equal(glass.started_at.toISOString(), t.clock.now().toISOString(), 'its hours count from the approval');
    assert.deepEqual((await auditSince(t, before)).map((ev) => ev.action).filter((a) => a.startsWith('record.')), ['record.break_glass', 'record.break_glass_approved']);
    assert.match((await helenBrowser.get(accessReviewPaths.request(request.id))).body, /data-qa="decision"[\s\S]*Approved/);

    const counts = await written();
    await assert.rejects(accessReview.decide(await actorFor(t, EMAIL.helen), request.id, { decision: 'declined', notes: 'Changed my mind' }), (error: DomainError) => error.code === 'OVERSIGHT.ALREADY_DECIDED');
    assert.deepEqual(await written(), counts, 'a decision is made once');
  });

  test('declining leaves the record closed; a decision without a choice or a reason is refused and nothing is written', async () => {
    const g = await world.person('Gus', 'Fenwick');
    await world.found(raj, g);
    const waiting = await accessReview.breakGlass(raj, g.id, GOOD);
    assert.equal(waiting.status, 'waiting');
    const requestId = waiting.status === 'waiting' ? waiting.requestId : '';
    const helen = await actorFor(t, EMAIL.helen);

    const counts = await written();
    await helenBrowser.get(accessReviewPaths.request(requestId));
    const bad = await helenBrowser.post(accessReviewPaths.request(requestId), { notes: '  ' });
    assert.equal(bad.statusCode, 303);
    const form = await helenBrowser.get(accessReviewPaths.request(requestId));
    assert.equal(form.statusCode, 400);
    assert.deepEqual(errorSummary(form.body), ['decision: Select whether to approve or decline the emergency access', 'notes: Enter why you decided this']);
    assert.deepEqual(await written(), counts);

    const before = await lastAuditId(t);
    await accessReview.decide(helen, requestId, { decision: 'declined', notes: 'No emergency: the team opens at 9.' });
    assert.equal(await opens(g.id), false);
    assert.deepEqual(await written(), { ...counts, decisions: counts.decisions + 1 });
    assert.deepEqual((await auditNotProbed(before)).map((e) => [e.action, e.subject_id]), [['record.break_glass_declined', requestId]]);
    assert.equal((await accessReview.waitingRequests(helen)).some((r) => r.id === requestId), false, 'no longer waiting');
  });
});
