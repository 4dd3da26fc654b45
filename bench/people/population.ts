import { createHash } from 'node:crypto';
import type pg from 'pg';
import { normaliseName } from '../../src/modules/people/rules.js';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, POSTCODE_DISTRICTS, REFERRAL_REASONS, REFERRER_NAMES, STREETS, familyNamesByRank } from './names.js';

/**
 * The SQL that fills a Concord database with a synthetic population, set-based (INSERT … SELECT
 * over generate_series) so a million people load in well under a minute. Every random choice
 * comes from random() after setseed(), so two runs generate the same people.
 */

/**
 * A deterministic id that is a valid RFC 9562 UUID (version 4 bits, RFC variant), so the API's
 * response schemas accept it: a bare md5 cast to uuid is not one, and any answer listing it failed.
 */
export const idSql = (label: string, n: string) => `overlay(overlay(md5('${label}:' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
export function idOf(label: string, n: number | string): string {
  const hex = createHash('md5').update(`${label}:${n}`).digest('hex');
  const valid = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${valid.slice(0, 8)}-${valid.slice(8, 12)}-${valid.slice(12, 16)}-${valid.slice(16, 20)}-${valid.slice(20)}`;
}

/** Person number n (1…count) always gets the same id, so referrals and the measured searches can pick people by number. */
export const PERSON_ID_SQL = (n: string) => idSql('person', n);
export const personIdOf = (n: number) => idOf('person', n);

/**
 * Zipf-like rank for a uniform u in [0, 1): P(rank k) is roughly proportional to k^-s (the inverse
 * of the continuous CDF). s = 0.7 over some 30,000 surnames gives British frequencies: Smith about
 * 1.3 %, Jones 0.9 %, the 300th name 0.03 %, the rarest a few people in a million.
 */
const zipfRank = (u: string, size: number, s: number) => {
  const a = 1 - s;
  return `least(${size}, floor(power(1 + ${u} * (power(${size}, ${a}) - 1), ${1 / a}))::int)`;
};
const FAMILY_SLOPE = 0.7;
/** Given names are fewer and less skewed: the commonest about 2.5 % of people. */
const GIVEN_SLOPE = 0.6;

/** The NHS check digit in SQL: 11 − (Σ digitᵢ × (11 − i)) mod 11, with 11 meaning 0; 10 means the number is never issued. */
function nhsCheckSql(base: string): string {
  const terms = Array.from({ length: 9 }, (_, i) => `((${base} / ${10 ** (8 - i)}) % 10) * ${10 - i}`);
  return `(11 - (${terms.join(' + ')}) % 11)`;
}

export type ReceivingTeam = { teamId: string; agencyId: string; name: string; share: number; coordinatorId: string };
export type ReferringTeam = { teamId: string; agencyId: string; agencyName: string };

/** Word lists as tables, so one INSERT … SELECT can join to them by rank. Dropped by `dropWordLists`. */
export async function loadWordLists(client: pg.ClientBase, receiving: ReceivingTeam[], referring: ReferringTeam[]) {
  const family = familyNamesByRank();
  await client.query(`
    create unlogged table bench_family_name (rank int primary key, name text not null, search text not null);
    create unlogged table bench_given_name (female boolean, rank int, name text not null, search text not null, primary key (female, rank));
    create unlogged table bench_district (i int primary key, district text not null, town text not null);
    create unlogged table bench_receiving (lo float8, hi float8, team_id uuid, agency_id uuid, coordinator_id uuid, team_name text);
    create unlogged table bench_referring (i int primary key, team_id uuid, agency_id uuid, agency_name text);
    -- The demo's own referrals come with their cases, involvement, clocks and timelines already.
    create unlogged table bench_demo_referral as select id from referral;`);
  await client.query(`insert into bench_family_name select ord, name, search from unnest($1::text[], $2::text[]) with ordinality as t(name, search, ord)`, [family, family.map(normaliseName)]);
  for (const [female, names] of [[false, MALE_GIVEN_NAMES], [true, FEMALE_GIVEN_NAMES]] as const) {
    await client.query(`insert into bench_given_name select $1, ord, name, search from unnest($2::text[], $3::text[]) with ordinality as t(name, search, ord)`, [female, names, names.map(normaliseName)]);
  }
  await client.query(`insert into bench_district select ord, district, town from unnest($1::text[], $2::text[]) with ordinality as t(district, town, ord)`, [
    POSTCODE_DISTRICTS.map((d) => d.district),
    POSTCODE_DISTRICTS.map((d) => d.town),
  ]);
  let lo = 0;
  for (const team of receiving) {
    await client.query(`insert into bench_receiving values ($1, $2, $3, $4, $5, $6)`, [lo, lo + team.share, team.teamId, team.agencyId, team.coordinatorId, team.name]);
    lo += team.share;
  }
  await client.query(`update bench_receiving set hi = 1.0 where hi = (select max(hi) from bench_receiving)`); // no gap from rounding
  for (const [i, team] of referring.entries()) await client.query(`insert into bench_referring values ($1, $2, $3, $4)`, [i + 1, team.teamId, team.agencyId, team.agencyName]);
  return { familyNames: family.length };
}

export async function dropWordLists(client: pg.ClientBase) {
  await client.query('drop table if exists bench_family_name, bench_given_name, bench_district, bench_receiving, bench_referring, bench_demo_referral');
}

/**
 * People: names by Zipf-like rank, dates of birth 1930–2010, a valid NHS number for about 70 %
 * (77 % are given one, and the 1 in 11 whose check digit would be 10 go without), a postcode and
 * address for about 80 % (about 40,000 postcodes, some 20 people each), a mobile for half.
 */
export async function insertPeople(client: pg.ClientBase, count: number, familyNames: number) {
  const maleCount = MALE_GIVEN_NAMES.length;
  const femaleCount = FEMALE_GIVEN_NAMES.length;
  const givenRank = (u: string) => `case when p.female then ${zipfRank(u, femaleCount, GIVEN_SLOPE)} else ${zipfRank(u, maleCount, GIVEN_SLOPE)} end`;
  const base = `(400000000 + (p.n::bigint * 7919) % 400000000)`; // 7919 is prime: n ↦ base is one-to-one, so numbers are unique
  await client.query(
    `
    insert into person (id, given_name, middle_names, family_name, date_of_birth, nhs_number, gender, address_line_1, town, postcode, phone,
                        search_given, search_family, created_at, updated_at)
    select ${PERSON_ID_SQL('p.n')}, g.name, m.name, f.name,
           date '1930-01-01' + floor(p.u_dob * (date '2010-12-31' - date '1930-01-01' + 1))::int,
           case when p.u_nhs < 0.77 and c.check_digit <> 10 then ${base}::text || (c.check_digit % 11)::text end,
           case when p.u_gender < 0.01 then 'not_known' when p.female then 'female' else 'male' end,
           case when p.u_post < 0.8 then (1 + floor(p.u_house * 180))::int || ' ' || ($2::text[])[1 + floor(p.u_street * array_length($2::text[], 1))::int] end,
           case when p.u_post < 0.8 then d.town end,
           case when p.u_post < 0.8 then d.district || ' ' || floor(p.u_inward * 10)::int
                || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + floor(p.u_inward * 500)::int % 20, 1)
                || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + floor(p.u_inward * 500)::int % 50 / 20, 1) end,
           case when p.u_phone < 0.5 then '07700 900' || lpad(floor(p.u_phone * 2000)::int::text, 3, '0') end,
           g.search, f.search, p.created_at, p.created_at
    from (
      select n, random() < 0.51 as female, random() as u_family, random() as u_given, random() as u_middle, random() as u_dob, random() as u_nhs,
             random() as u_gender, random() as u_post, random() as u_house, random() as u_street, random() as u_district, random() as u_inward,
             random() as u_phone, now() - random() * interval '10 years' as created_at
      from generate_series(1, $1::int) n
    ) p
    cross join lateral (select ${nhsCheckSql(base)} as check_digit) c
    join bench_family_name f on f.rank = ${zipfRank('p.u_family', familyNames, FAMILY_SLOPE)}
    join bench_given_name g on g.female = p.female and g.rank = ${givenRank('p.u_given')}
    left join bench_given_name m on p.u_middle < 0.4 and m.female = p.female and m.rank = ${givenRank('p.u_middle / 0.4')}
    join bench_district d on d.i = 1 + floor(p.u_district * ${POSTCODE_DISTRICTS.length})::int`,
    [count, STREETS],
  );
}

/** Other names (mostly a previous family name) for about 3 % of people. */
export async function insertAliases(client: pg.ClientBase, familyNames: number) {
  await client.query(`
    insert into person_alias (person_id, given_name, family_name, search_given, search_family, recorded_at)
    select p.id, p.given_name, f.name, p.search_given, f.search, p.created_at
    from (select id, given_name, search_given, created_at, random() as u from person tablesample bernoulli (3) repeatable (7)) p
    join bench_family_name f on f.rank = ${zipfRank('p.u', familyNames, FAMILY_SLOPE)}`);
}

/**
 * Referrals received over ten years, spread over the receiving teams by share. Their state follows
 * their age: the last few weeks' are still being screened, assessed or waiting; older ones were
 * allocated, signposted, found not eligible or withdrawn. That leaves each duty team a few hundred
 * open referrals, as a busy team has.
 */
export async function insertReferrals(client: pg.ClientBase, count: number, people: number) {
  // Numbered on from the demo's own referrals, as intake would number them.
  const first = await nextNumber(client, 'referral_reference_seq');
  const risk = (u: string) => `case when ${u} < 0.6 then 'none' when ${u} < 0.8 then 'potential' when ${u} < 0.95 then 'unknown' else 'immediate' end`;
  await client.query(
    `
    insert into referral (id, reference, person_id, receiving_team_id, receiving_agency_id, source_type, referrer_agency_id, referrer_team_id,
                          referrer_name, referrer_organisation, referrer_contact, channel, received_at, reason, presenting_needs,
                          risk_unintentional_self_harm, risk_intentional_self_harm, risk_harm_to_others, risk_abuse_by_others,
                          consent_to_referral, consent_to_share, state, suggested_category, category, is_re_referral, created_at, updated_at)
    select ${idSql('referral', 'r.n')}, 'REF-' || to_char(r.received_at, 'YYYY') || '-' || lpad((r.n - 1 + $5::int)::text, 6, '0'), ${PERSON_ID_SQL('r.person_n')},
           t.team_id, t.agency_id,
           case when ra.agency_id is not null then 'agency' when r.u_source < 0.55 then 'professional' when r.u_source < 0.8 then 'self' else 'family' end,
           ra.agency_id, ra.team_id,
           ($3::text[])[1 + floor(r.u_referrer * array_length($3::text[], 1))::int], ra.agency_name, '01632 960 ' || lpad((r.n % 1000)::text, 3, '0'),
           (array['phone', 'letter', 'email', 'in_person', 'electronic'])[1 + floor(r.u_channel * 5)::int], r.received_at,
           ($4::text[])[1 + floor(r.u_reason * array_length($4::text[], 1))::int], null,
           ${risk('r.u_risk1')}, ${risk('r.u_risk2')}, ${risk('r.u_risk3')}, ${risk('r.u_risk4')},
           case when r.u_consent < 0.9 then 'yes' when r.u_consent < 0.95 then 'no' else 'not_asked' end,
           case when r.u_consent < 0.85 then 'yes' when r.u_consent < 0.95 then 'no' else 'not_asked' end,
           s.state,
           case when r.u_category < 0.03 then 'emergency' when r.u_category < 0.23 then 'urgent' else 'routine' end,
           case when s.state in ('received', 'information_requested') then null when s.state = 'signposted' then 'inappropriate'
                when r.u_category < 0.03 then 'emergency' when r.u_category < 0.23 then 'urgent' else 'routine' end,
           r.u_rereferral < 0.08, r.received_at, r.received_at + interval '1 day' * least(r.age_days, 30)
    from (
      select n, 1 + floor(random() * $2::int)::int as person_n, random() as u_team, random() as u_source, random() as u_referring, random() as u_referrer,
             random() as u_channel, random() as u_reason, random() as u_risk1, random() as u_risk2, random() as u_risk3, random() as u_risk4,
             random() as u_consent, random() as u_category, random() as u_state, random() as u_rereferral, age_days, now() - interval '1 day' * age_days as received_at
      from (select n, random() * 3652 as age_days from generate_series(1, $1::int) n) aged
    ) r
    join bench_receiving t on r.u_team >= t.lo and r.u_team < t.hi
    left join bench_referring ra on r.u_source < 0.35 and ra.i = 1 + floor(r.u_referring * (select count(*) from bench_referring))::int and ra.agency_id <> t.agency_id
    cross join lateral (select ${stateByAge('r.age_days', 'r.u_state')} as state) s`,
    [count, people, REFERRER_NAMES, REFERRAL_REASONS, first],
  );
  await client.query(`select setval('referral_reference_seq', $1)`, [first + count - 1]);
}

/** The next number a reference sequence gives, taken so that the generated references follow on from it. */
async function nextNumber(client: pg.ClientBase, sequence: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`select nextval($1) as n`, [sequence]);
  return Number(rows[0]!.n);
}

/** A referral's state from its age in days and a uniform draw. */
function stateByAge(age: string, u: string): string {
  const bands: [maxAge: number, shares: [string, number][]][] = [
    [2, [['received', 0.9], ['withdrawn', 0.1]]],
    [14, [['information_requested', 0.1], ['screened', 0.25], ['assessing', 0.1], ['signposted', 0.25], ['not_eligible', 0.05], ['eligible', 0.1], ['waiting', 0.15]]],
    [42, [['assessing', 0.08], ['screened', 0.04], ['eligible', 0.05], ['waiting', 0.25], ['allocated', 0.25], ['signposted', 0.2], ['not_eligible', 0.1], ['withdrawn', 0.03]]],
    [120, [['waiting', 0.15], ['allocated', 0.45], ['signposted', 0.25], ['not_eligible', 0.1], ['withdrawn', 0.05]]],
    [Infinity, [['allocated', 0.45], ['signposted', 0.3], ['not_eligible', 0.15], ['withdrawn', 0.1]]],
  ];
  const pick = (shares: [string, number][]) => {
    let upTo = 0;
    const arms = shares.slice(0, -1).map(([state, share]) => `when ${u} < ${(upTo += share).toFixed(4)} then '${state}'`);
    return `case ${arms.join(' ')} else '${shares.at(-1)![0]}' end`;
  };
  return `case ${bands.map(([maxAge, shares]) => (maxAge === Infinity ? `else ${pick(shares)}` : `when ${age} < ${maxAge} then ${pick(shares)}`)).join(' ')} end`;
}

/** A case for every allocated referral, with the team's coordinator; those allocated over two years ago are closed. */
export async function insertCases(client: pg.ClientBase) {
  const first = await nextNumber(client, 'case_reference_seq');
  await client.query(
    `
    insert into care_case (id, reference, person_id, referral_id, team_id, agency_id, lead_agency_id, coordinator_user_id, state, opened_at, closed_at)
    select ${idSql('case', 'r.id')}, 'CASE-' || to_char(r.received_at + interval '6 weeks', 'YYYY') || '-' || lpad((row_number() over (order by r.received_at) - 1 + $1::int)::text, 6, '0'),
           r.person_id, r.id, r.receiving_team_id, r.receiving_agency_id, r.receiving_agency_id, t.coordinator_id,
           case when r.received_at < now() - interval '2 years' then 'closed' else 'open' end,
           r.received_at + interval '6 weeks',
           case when r.received_at < now() - interval '2 years' then r.received_at + interval '6 weeks' + interval '1 day' * (90 + (hashtext(r.id::text) & 511)) end
    from referral r join bench_receiving t on t.team_id = r.receiving_team_id
    where r.state = 'allocated' and not exists (select 1 from bench_demo_referral d where d.id = r.id)`,
    [first],
  );
  await client.query(`select setval('case_reference_seq', $1 + (select count(*) from care_case where id = ${idSql('case', 'referral_id')}) - 1)`, [first]);
  // Only the generated cases: the demo's were opened with their own allocation.
  await client.query(`
    insert into coordinator_allocation (case_id, user_id, reasons, considerations, allocated_at, allocated_by, ended_at)
    select c.id, c.coordinator_user_id, 'Capacity and experience with similar needs', array['expertise'], c.opened_at, c.coordinator_user_id, c.closed_at
    from care_case c where c.id = ${idSql('case', 'c.referral_id')}`);
}

/**
 * Involvement, as intake and allocation start it: the receiving agency for every referral (ended
 * when the referral closed without a case, or the case closed) and the referring agency, when it is in Concord.
 */
export async function insertInvolvements(client: pg.ClientBase) {
  await client.query(`
    insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at, ended_at, ended_reason)
    select r.person_id, r.receiving_agency_id, r.receiving_team_id, 'receiving_service', 'referral', r.id, r.received_at,
           case when r.state in ('signposted', 'not_eligible', 'withdrawn') then r.received_at + interval '5 days' else c.closed_at end,
           case when r.state in ('signposted', 'not_eligible', 'withdrawn') then replace(r.state, '_', ' ') when c.closed_at is not null then 'case closed' end
    from referral r left join care_case c on c.referral_id = r.id
    where not exists (select 1 from bench_demo_referral d where d.id = r.id)
    union all
    select r.person_id, r.referrer_agency_id, r.referrer_team_id, 'referrer', 'referral', r.id, r.received_at, null, null
    from referral r where r.referrer_agency_id is not null and not exists (select 1 from bench_demo_referral d where d.id = r.id)`);
}

/**
 * The clocks: screening for every referral, the information request for those waiting on it, first
 * contact and assessment once screened. Still due (open, or breached once past due) while the
 * referral is at that step; met (or waived, when withdrawn) once it has moved on.
 */
export async function insertObligations(client: pg.ClientBase) {
  const due = (kind: string, rule: string, title: string, after: string, dueIn: (state: string) => string, from: string) => `
    select '${kind}', '${rule}', '${title}', 'referral', r.id, r.person_id, r.receiving_team_id, r.receiving_agency_id, r.received_at + interval '${after}',
           case when ${dueIn('r.state')} then (case when r.received_at + interval '${after}' < now() then 'breached' else 'open' end)
                when r.state = 'withdrawn' then 'waived' else 'met' end,
           r.received_at,
           case when ${dueIn('r.state')} and r.received_at + interval '${after}' < now() then r.received_at + interval '${after}' end,
           case when not (${dueIn('r.state')}) then r.received_at + interval '${after}' - interval '2 hours' end
    from referral r where ${from} and not exists (select 1 from bench_demo_referral d where d.id = r.id)`;
  await client.query(`
    insert into obligation (kind, rule_id, title, subject_type, subject_id, person_id, owner_team_id, owner_agency_id, due_at, state, created_at, breached_at, closed_at)
    ${due('referral.screen', 'REF-3', 'Screen the referral', '1 day', (s) => `${s} = 'received'`, 'true')}
    union all
    ${due('referral.information', 'REF-2', 'Send the information requested', '7 days', (s) => `${s} = 'information_requested'`, `r.state = 'information_requested'`)}
    union all
    ${due('referral.first_contact', 'REF-3', 'First contact (routine, within 5 working days)', '7 days', (s) => `${s} = 'screened'`, `r.state not in ('received', 'information_requested', 'signposted', 'withdrawn')`)}
    union all
    ${due('referral.assessment', 'REF-3', 'Face-to-face assessment (routine, within 28 days)', '28 days', (s) => `${s} in ('screened', 'assessing')`, `r.state not in ('received', 'information_requested', 'signposted', 'withdrawn')`)}`);
}

/**
 * Consent and sharing, so that every access decision at this size reads real facts: most people
 * referred have consent recorded by the receiving agency (given to the kinds of agency that usually
 * share care, for care coordination; its review date a year on, so older ones have expired), some
 * refused sharing with the police and probation, some given later withdrawn; a few restrictions
 * (some since lifted), exceptions naming the police or the mental health trust (some ended), and
 * break-glass access by the benchmark's searcher.
 */
export async function insertSharing(client: pg.ClientBase, searcherEmail: string) {
  await client.query(`
    create unlogged table bench_sharing as
    select r.id as referral_id, r.person_id, r.received_at, t.agency_id, t.coordinator_id, random() as u, random() as v
    from referral r join bench_receiving t on t.team_id = r.receiving_team_id
    where not exists (select 1 from bench_demo_referral d where d.id = r.id)`);
  await client.query(`
    insert into consent_decision (person_id, decision, agency_types, purposes, categories, obtained_how, obtained_at, review_date, consequences, recorded_at, recorded_by, recorded_by_agency)
    select person_id, 'given', array['la_adult_social_care', 'nhs_mental_health', 'housing', 'gp_practice', 'voluntary_sector'], array['care_coordination'],
           array['basic_details', 'mental_health', 'physical_health', 'housing', 'risk'], 'in_person', received_at + interval '1 day',
           (received_at + interval '1 year')::date, null, received_at + interval '1 day', coordinator_id, agency_id
    from bench_sharing where u < 0.55
    union all
    select person_id, 'refused', array['police', 'probation'], array['care_coordination'], array['mental_health', 'substance_use'], 'in_person',
           received_at + interval '1 day', null, 'The police and probation will not hear about changes in their mental health.', received_at + interval '1 day',
           coordinator_id, agency_id
    from bench_sharing where u >= 0.55 and u < 0.65`);
  await client.query(`
    insert into consent_decision (person_id, decision, withdraws, obtained_how, obtained_at, recorded_at, recorded_by, recorded_by_agency)
    select c.person_id, 'withdrawn', c.id, 'phone', c.obtained_at + interval '90 days', c.obtained_at + interval '90 days', c.recorded_by, c.recorded_by_agency
    from consent_decision c where c.decision = 'given' and random() < 0.05`);
  await client.query(`
    insert into sharing_restriction (person_id, categories, agency_types, reason, recorded_at, recorded_by, recorded_by_agency)
    select person_id, array['mental_health'], case when v < 0.5 then array['housing'] else array['police'] end,
           'The person asked that their mental health is not shared with this service.', received_at + interval '2 days', coordinator_id, agency_id
    from bench_sharing where u >= 0.65 and u < 0.68`);
  await client.query(`
    insert into sharing_restriction_end (restriction_id, ended_at, ended_by, reason)
    select id, recorded_at + interval '60 days', recorded_by, 'The person agreed to share again.' from sharing_restriction where random() < 0.2`);
  await client.query(`
    insert into sharing_exception (person_id, lawful_basis, justification, categories, agency_ids, checklist, decided_by, decided_by_agency, decided_at, review_date, person_informed)
    select s.person_id, 'serious_harm_to_others', 'Threats made against a named neighbour; the police need to know the risk.', array['risk', 'offending'],
           array[(select id from agency where type = case when s.v < 0.5 then 'police' else 'nhs_mental_health' end order by name limit 1)],
           '{"necessary": true, "proportionate": true, "minimum": true, "recorded": true, "informed": true}'::jsonb,
           s.coordinator_id, s.agency_id, s.received_at + interval '3 days', (s.received_at + interval '3 months')::date, 'told'
    from bench_sharing s where s.u >= 0.68 and s.u < 0.687`);
  await client.query(`
    insert into sharing_exception_end (exception_id, ended_at, ended_by, reason)
    select id, decided_at + interval '30 days', decided_by, 'The risk has passed.' from sharing_exception where random() < 0.3`);
  await client.query(
    `
    insert into break_glass (person_id, user_id, agency_id, team_id, reason_code, reason_text, started_at, expires_at)
    select s.person_id, u.id, u.agency_id, m.team_id, 'crisis_out_of_hours', 'Seen in crisis out of hours; needed the risk history.',
           s.received_at + interval '10 days', s.received_at + interval '10 days 4 hours'
    from bench_sharing s
    cross join (select id, agency_id from app_user where email = $1) u
    cross join lateral (select team_id from team_membership where user_id = u.id order by team_id limit 1) m
    where s.u >= 0.687 and s.u < 0.689`,
    [searcherEmail],
  );
  await client.query('drop table bench_sharing');
}

/** Each referral's first timeline entry, as intake writes it. */
export async function insertReferralEvents(client: pg.ClientBase) {
  await client.query(`
    insert into referral_event (referral_id, kind, at, by_name, summary, visible_to_referrer)
    select r.id, 'received', r.received_at, r.referrer_name, 'Referral received by ' || t.team_name, true
    from referral r join bench_receiving t on t.team_id = r.receiving_team_id
    where not exists (select 1 from bench_demo_referral d where d.id = r.id)
    order by r.received_at`);
}
