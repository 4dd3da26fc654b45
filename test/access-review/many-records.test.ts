import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { accessReviewPaths as paths } from '../../src/modules/access-review/paths.js';
import { workOnce } from '../../src/platform/jobs/worker.js';
import { EMAIL, rowsOf, worldFor } from './world.js';

// A limit of 3 people an hour, so that a handful of records is "too many".
const t: TestConcord = await testConcord({ now: '2026-03-03T10:20:00Z', env: { ACCESS_ALERT_PEOPLE_PER_HOUR: '3', SESSION_IDLE_MINUTES: '600' } });
const world = await worldFor(t);
const people: { id: string; name: string }[] = [];
for (const given of ['Ada', 'Bea', 'Cal', 'Dov', 'Eli']) people.push(await world.person(given, 'Lindqvist'));
const tom = await new Browser(t.app).signIn(EMAIL.tom);
const priya = await new Browser(t.app).signIn(EMAIL.priya);
const helen = await new Browser(t.app).signIn(EMAIL.helen);

const { accessReview } = t.services;
// Only this kind: the demo partnership has emergency access alerts of its own.
const alerts = () => rowsOf(t, `select kind, user_id, window_start, details from access_alert where kind = 'many_records' order by window_start`);
const raisedEvents = () => rowsOf(t, `select subject_id, details from audit_event where action = 'alert.raised' order by id`);
const open = async (browser: Browser, personId: string) => assert.equal((await browser.get(recordPaths.person(personId))).statusCode, 200);

describe('the "many records in an hour" alert', () => {
  test('opening up to the limit of different people, the same record many times, or seeing people in search results raises nothing', async () => {
    for (const person of people.slice(0, 3)) await open(tom, person.id);
    for (let i = 0; i < 8; i++) await open(priya, people[0]!.id);
    // Tom's team works with every Lindqvist, so a search by name shows them all (and a search by name shows nobody else).
    const search = await tom.get('/people/search?name=Lindqvist');
    assert.equal(search.statusCode, 200);
    const shown = await rowsOf(t, `select count(distinct person_id)::int as n from audit_event where action = 'person.search_result' and actor_user_id = $1`, [world.actors.tom.userId]);
    assert.ok(shown[0].n > 3, 'the search showed more people than the limit');
    assert.equal(await accessReview.raiseManyRecordsAlerts(), 0);
    assert.deepEqual(await alerts(), []);
  });

  test('one more person over the limit raises exactly one alert, however many checks run at once', async () => {
    await open(tom, people[3]!.id);
    const runs = await Promise.all([
      accessReview.raiseManyRecordsAlerts(),
      accessReview.raiseManyRecordsAlerts(),
      accessReview.raiseManyRecordsAlerts(),
      accessReview.raiseManyRecordsAlerts(),
      workOnce(t.services),
      workOnce(t.services),
    ]);
    const raisedByChecks = (runs.slice(0, 4) as number[]).reduce((sum, n) => sum + n, 0);
    assert.ok(raisedByChecks <= 1);
    const rows = await alerts();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].kind, 'many_records');
    assert.equal(rows[0].user_id, world.actors.tom.userId);
    assert.equal(rows[0].window_start.toISOString(), '2026-03-03T10:00:00.000Z');
    assert.deepEqual([rows[0].details.people, rows[0].details.threshold], [4, 3]);
    const events = await raisedEvents();
    assert.equal(events.length, 1, 'the alert is recorded once');
    assert.equal(events[0].details.userId, world.actors.tom.userId);
  });

  test('the periodic check runs every five minutes and raises it once in the clock hour', async () => {
    t.clock.advance(10 * 60_000);
    await workOnce(t.services);
    assert.equal((await alerts()).length, 1);
  });

  test('the next clock hour counts again: the last hour still holds the records opened, so a second alert is raised', async () => {
    t.clock.set('2026-03-03T11:05:00Z');
    await Promise.all([workOnce(t.services), workOnce(t.services)]);
    const rows = await alerts();
    assert.deepEqual(rows.map((r) => r.window_start.toISOString()), ['2026-03-03T10:00:00.000Z', '2026-03-03T11:00:00.000Z']);
    t.clock.set('2026-03-03T12:30:00Z');
    assert.equal(await accessReview.raiseManyRecordsAlerts(), 0, 'an hour later nothing was opened');
  });

  test('the auditor sees whose records were opened in the hour counted', async () => {
    const [first] = await rowsOf(t, `select id from access_alert where kind = 'many_records' order by window_start limit 1`);
    const page = await helen.get(paths.alert(first.id));
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Records opened 4 different people in an hour \(the limit is 3\)/);
    const opened = [...page.body.matchAll(/<tr class="govuk-table__row" data-qa="opened-person"[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]).split(' ').slice(0, 2).join(' ')).sort();
    assert.deepEqual(opened, ['Ada Lindqvist', 'Bea Lindqvist', 'Cal Lindqvist', 'Dov Lindqvist']);
    const queue = await helen.get(paths.alertsWhere({ kind: 'many_records' }));
    assert.match(textOf(queue.body), /Many records in an hour Tom Okafor 4 people’s records in an hour To review/);
  });
});
