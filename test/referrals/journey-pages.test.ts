import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, lastAuditId, testConcord } from '../support/app.js';
import { errorSummary, submit } from '../support/pages.js';
import { peopleLinks, referralPaths as paths } from '../../src/modules/referrals/paths.js';

// Monday 2 March 2026, 10:00 in London (GMT).
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const raj = await new Browser(t.app).signIn('raj.patel@northshire-council.example'); // adult social care: the referrer
const tom = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example'); // CMHT care coordinator: works the referral
const priya = await new Browser(t.app).signIn('priya.raman@riverside-nhs.example'); // CMHT team manager: allocates
const kofi = await new Browser(t.app).signIn('kofi.mensah@harbour-housing.example'); // housing: not involved
const alex = await new Browser(t.app).signIn('alex.morgan@northshire-care.example'); // partnership administrator: no casework

const one = async (sql: string, params: unknown[]) => (await t.pool.query(sql, params)).rows[0];
const CMHT = (await one('select id from team where name = $1', ['Riverside Community Mental Health Team'])).id as string;
const RIVERSIDE = (await one('select id from agency where name = $1', ['Riverside NHS Mental Health Trust'])).id as string;
const TOM = (await one('select id from app_user where email = $1', ['tom.okafor@riverside-nhs.example'])).id as string;

const versionOn = (body: string) => /name="version" value="(\d+)"/.exec(body)?.[1] ?? 'missing';
/** The visible text of an element marked with data-qa, tags removed and spaces collapsed. */
function section(body: string, qa: string): string {
  const start = body.indexOf(`data-qa="${qa}"`);
  assert.ok(start >= 0, `the page has ${qa}`);
  const tag = body.lastIndexOf('<', start);
  const name = /^<(\w+)/.exec(body.slice(tag))![1]!;
  let depth = 0;
  const pattern = new RegExp(`<(/?)${name}\\b`, 'g');
  pattern.lastIndex = tag;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return body.slice(tag, m.index).replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ').replace(/ ([.,:;])/g, '$1').trim();
  }
  throw new Error(`unclosed ${qa}`);
}

/** Opens a step's form, sends it with the version the form carries, and lands back on the referral. */
async function step(browser: Browser, url: string, form: Record<string, string | string[]>, action: string) {
  const before = await lastAuditId(t);
  const page = await browser.get(url);
  assert.equal(page.statusCode, 200, page.body.slice(0, 400));
  const posted = await browser.post(url, { version: versionOn(page.body), ...form });
  if (posted.statusCode !== 303) assert.fail(`${url} refused: ${errorSummary((await browser.get(url)).body).join('; ')}`);
  const landed = await browser.get(String(posted.headers.location));
  const actions = (await auditSince(t, before)).map((e) => e.action);
  assert.ok(actions.includes(action), `${action} recorded: ${actions.join(', ')}`);
  return landed;
}

const newPerson = {
  'person.givenName': 'Marjorie',
  'person.familyName': 'Ellerby',
  'person.dateOfBirth-day': '19',
  'person.dateOfBirth-month': '8',
  'person.dateOfBirth-year': '1951',
  'person.postcode': 'NE1 4ST',
};
const referral = {
  receivingTeamId: CMHT,
  reason: 'Low mood and not eating; lives alone',
  presentingNeeds: 'Self-neglect, weight loss',
  'risks.unintentionalSelfHarm': 'potential',
  'risks.intentionalSelfHarm': 'none',
  'risks.harmToOthers': 'none',
  'risks.abuseByOthers': 'unknown',
  consentToReferral: 'yes',
  consentToShare: 'yes',
  referrerRole: 'Duty social worker',
};

describe('a referral to another agency, through the pages from intake to allocation', () => {
  let id = '';

  test('the intake form offers the services by agency and explains who the referrer is', async () => {
    const form = await raj.get(paths.intake());
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`<optgroup label="Riverside NHS Mental Health Trust">[\\s\\S]*?<option value="${CMHT}">Riverside Community Mental Health Team</option>`));
    assert.match(section(form.body, 'referrer-explained'), /When you refer to another agency’s service, you are the referrer/);
    assert.match(form.body, new RegExp(`href="${peopleLinks.search()}"`), 'it points to the search first (REF-8)');
    for (const risk of ['Intentional self-harm', 'Harm to others']) assert.match(form.body, new RegExp(`<legend[^>]*>\\s*${risk}\\s*</legend>`));
  });

  test('Raj refers Marjorie to the CMHT: the referral is recorded and he sees its status', async () => {
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(raj, paths.intake(), { ...newPerson, ...referral });
    assert.equal(posted.statusCode, 303, errorSummary(landed.body).join('\n'));
    id = /\/referrals\/([0-9a-f-]{36})$/.exec(String(posted.headers.location))![1]!;
    assert.match(section(landed.body, 'notice'), /Referral REF-2026-\d{6} has been recorded/);
    assert.match(section(landed.body, 'status'), /^Received$/);
    assert.match(section(landed.body, 'person-name'), /Marjorie Ellerby/);
    const actions = (await auditSince(t, before)).map((e) => e.action);
    assert.deepEqual(actions, ['person.created', 'referral.received', 'referral.viewed']);
    const row = await one('select source_type, channel, referrer_name, referrer_contact from referral where id = $1', [id]);
    assert.deepEqual(row, { source_type: 'agency', channel: 'electronic', referrer_name: 'Raj Patel', referrer_contact: 'raj.patel@northshire-council.example' });
  });

  test('the receiving team sees all of it: the person, the suggestion and why, what is missing, the clock and the steps it may take', async () => {
    const page = await tom.get(paths.referral(id));
    assert.equal(page.statusCode, 200);
    const person = await one('select person_id from referral where id = $1', [id]);
    assert.match(page.body, new RegExp(`href="${peopleLinks.person(person.person_id)}">Marjorie Ellerby</a>`));
    assert.match(section(page.body, 'suggestion'), /Concord suggests urgent\. Potential risk: unintentional self-harm \(for example self-neglect\)\./);
    assert.match(section(page.body, 'missing'), /An answer for each of the four risks/);
    assert.match(section(page.body, 'clocks'), /Screen the referral REF-3 3 March 2026 at 11:59pm Due/);
    assert.match(section(page.body, 'risks'), /Abuse by others \(physical, sexual, emotional or financial\) Not known/);
    assert.deepEqual([...page.body.matchAll(/data-qa="step-(\w+)"/g)].map((m) => m[1]), ['requestInformation', 'screen', 'feedback', 'withdraw']);
    assert.match(section(page.body, 'timeline'), /Referral received by Raj Patel .*Referral received by Riverside Community Mental Health Team/);
  });

  test('the duty team asks for the missing risk answer; Raj answers on his status page', async () => {
    const form = await tom.get(paths.requestInformation(id));
    assert.match(form.body, /value="risk_assessment" checked/, 'what is missing is already ticked');
    let landed = await step(tom, paths.requestInformation(id), { items: 'risk_assessment', question: 'Has she been seen by her GP?' }, 'referral.information_requested');
    assert.match(section(landed.body, 'status'), /^Information requested$/);
    assert.match(section(landed.body, 'open-request'), /An answer for each of the four risks Has she been seen by her GP\?/);

    const status = await raj.get(paths.referral(id));
    assert.match(section(status.body, 'asked'), /An answer for each of the four risks Has she been seen by her GP\?/);
    const before = await lastAuditId(t);
    const posted = await raj.post(paths.answer(id), { version: versionOn(status.body), answer: 'No known abuse. GP saw her last week.' });
    assert.equal(posted.statusCode, 303);
    landed = await raj.get(String(posted.headers.location));
    assert.match(section(landed.body, 'notice'), /The information has been recorded/);
    assert.match(section(landed.body, 'status'), /^Received$/);
    assert.ok((await auditSince(t, before)).some((e) => e.action === 'referral.information_received'));
  });

  test('screening shows each category’s deadlines in UK time, the suggested one marked; urgent starts the contact clocks', async () => {
    const form = await tom.get(paths.screen(id));
    assert.match(form.body, /Urgent \(suggested\)/);
    assert.match(section(form.body, 'deadlines-urgent'), /First contact \(urgent, within 2 days\): by 4 March 2026 at 11:59pm Assessment \(urgent, within 5 working days\): by 9 March 2026 at 11:59pm/);
    assert.match(section(form.body, 'deadlines-emergency'), /Face-to-face assessment \(emergency, within 6 hours\): by 2 March 2026 at 4:00pm/);
    const landed = await step(tom, paths.screen(id), { category: 'urgent', pathway: 'CMHT older adults' }, 'referral.screened');
    assert.match(section(landed.body, 'notice'), /screened as urgent/);
    assert.match(section(landed.body, 'clocks'), /First contact \(urgent, within 2 days\) REF-3 4 March 2026 at 11:59pm Due/);
  });

  test('first contact and the assessment are recorded in UK time; the referral is being assessed', async () => {
    await step(tom, paths.contact(id), { kind: 'first_contact', 'happenedAt-day': '2', 'happenedAt-month': '3', 'happenedAt-year': '2026', 'happenedAt-time': '9:15am', method: 'Telephone', summary: 'Spoke to Marjorie and her daughter.' }, 'referral.contact_recorded');
    const landed = await step(tom, paths.contact(id), { kind: 'assessment', 'happenedAt-day': '2', 'happenedAt-month': '3', 'happenedAt-year': '2026', 'happenedAt-time': '09:45', method: 'Home visit', summary: 'Assessed at home.' }, 'referral.contact_recorded');
    assert.match(section(landed.body, 'status'), /^Assessing$/);
    const times = (await t.pool.query('select happened_at from response_contact where referral_id = $1 order by happened_at', [id])).rows.map((r) => r.happened_at.toISOString());
    assert.deepEqual(times, ['2026-03-02T09:15:00.000Z', '2026-03-02T09:45:00.000Z']);
    assert.match(section(landed.body, 'contacts'), /First contact 2 March 2026 at 9:15am Telephone/);
  });

  test('the MDT decides she is eligible; the manager puts her on the waiting list; risk is re-checked', async () => {
    let landed = await step(tom, paths.eligibility(id), {
      seriousMentalIllness: 'yes', conditions: 'Severe depression', risks: 'yes', levelOfNeed: 'substantial', eligible: 'yes',
      participants: 'Priya Raman, team manager\r\nTom Okafor, CPN\r\n\r\nDr Lin, consultant', basis: 'Severe depression with self-neglect',
    }, 'referral.eligibility_decided');
    assert.match(section(landed.body, 'status'), /^Eligible$/);
    assert.match(section(landed.body, 'eligibility'), /Who took part Priya Raman, team manager, Tom Okafor, CPN, Dr Lin, consultant/);
    assert.ok(!/data-qa="step-waitingList"/.test(landed.body), 'a care coordinator cannot place on the waiting list');
    landed = await step(priya, paths.waitingList(id), {}, 'referral.waiting');
    assert.match(section(landed.body, 'status'), /^Waiting for allocation$/);
    assert.match(section(landed.body, 'clocks'), /Re-check risk while waiting \(every 14 days\) WAIT-1 16 March 2026 at 11:59pm Due/);
    landed = await step(tom, paths.riskCheck(id), { riskSummary: 'Eating a little more; daughter visiting daily', expedite: 'no' }, 'referral.risk_rechecked');
    assert.match(section(landed.body, 'risk-checks'), /Eating a little more/);
  });

  test('the manager sees each coordinator’s caseload, allocates Tom with reasons, and a case meeting is needed for the lead agency', async () => {
    const caseload = async (email: string) => (await one(`select count(*)::int as n from care_case c join app_user u on u.id = c.coordinator_user_id where u.email = $1 and c.state <> 'closed'`, [email])).n as number;
    const [toms, graces] = [await caseload('tom.okafor@riverside-nhs.example'), await caseload('grace.whitfield@riverside-nhs.example')];
    const cases = (n: number) => `${n} open ${n === 1 ? 'case' : 'cases'}`;
    const form = await priya.get(paths.allocate(id));
    const candidates = section(form.body, 'candidates');
    assert.match(candidates, new RegExp(`Grace Whitfield ${cases(graces)}`));
    assert.match(candidates, new RegExp(`Tom Okafor ${cases(toms)}`));
    assert.match(form.body, /The person’s wishes/);
    assert.match(form.body, new RegExp(`<option value="${RIVERSIDE}" selected>`), 'the receiving agency leads unless changed');
    const landed = await step(priya, paths.allocate(id), {
      coordinatorUserId: TOM, considerations: ['expertise', 'persons_wishes'], reasons: 'Experience with older adults; she asked for a male worker', leadAgencyId: RIVERSIDE, leadAgencyAgreed: 'no',
    }, 'referral.allocated');
    assert.match(section(landed.body, 'status'), /^Allocated$/);
    assert.match(section(landed.body, 'case'), /Case CASE-2026-\d{6} Care coordinator Tom Okafor Lead agency Riverside NHS Mental Health Trust/);
    assert.deepEqual([...landed.body.matchAll(/data-qa="step-(\w+)"/g)].map((m) => m[1]), ['feedback']);
    const meeting = await one(`select o.rule_id, o.owner_user_id from obligation o join care_case c on c.id = o.subject_id where c.referral_id = $1 and o.kind = 'case.meeting'`, [id]);
    assert.deepEqual(meeting, { rule_id: 'COORD-3', owner_user_id: TOM });
  });

  test('the referrer sees only the status and the timeline shared with them, and the referral in their list', async () => {
    const page = await raj.get(paths.referral(id));
    assert.equal(page.statusCode, 200);
    assert.match(section(page.body, 'status'), /^Allocated$/);
    const titles = [...page.body.matchAll(/class="moj-timeline__title">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(titles, ['Allocated', 'On the waiting list', 'Eligible', 'Assessment', 'First contact', 'Screened', 'Information received', 'Information requested', 'Referral received']);
    for (const working of ['data-qa="clocks"', 'data-qa="risks"', 'data-qa="suggestion"', 'data-qa="steps"', 'data-qa="case"', 'Severe depression', 'Eating a little more', 'Low mood']) {
      assert.ok(!page.body.includes(working), `the referrer does not see ${working}`);
    }
    const made = await raj.get(paths.made());
    assert.equal(made.statusCode, 200);
    assert.match(section(made.body, 'made'), /REF-2026-\d{6} Marjorie Ellerby Riverside Community Mental Health Team, Riverside NHS Mental Health Trust 2 March 2026 at 10:00am Allocated/);
    assert.match(made.body, new RegExp(`href="${paths.referral(id)}"`));
  });

  test('an agency with no part in it is told the referral does not exist; a role without casework is refused', async () => {
    for (const url of [paths.referral(id), paths.screen(id), paths.answer(id)]) assert.equal((await kofi.get(url)).statusCode, 404, url);
    assert.equal((await raj.get(paths.screen(id))).statusCode, 404, 'the referrer does not see the receiving team’s forms');
    assert.equal((await alex.get(paths.referral(id))).statusCode, 403);
    assert.equal((await alex.get(paths.intake())).statusCode, 403);
    assert.equal((await tom.get(paths.allocate(id))).statusCode, 403, 'a care coordinator does not allocate');
  });
});
