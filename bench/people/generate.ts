import type pg from 'pg';
import { isValidNhsNumber } from '../../src/modules/people/rules.js';
import { loadDemoPartnership } from '../../src/demo/load.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { runMigrations } from '../../src/platform/db/migrations.js';
import type { Services } from '../../src/services.js';
import { seconds } from '../stats.js';
import * as population from './population.js';

export type GenerationOptions = { people: number; referrals: number; searcherEmail: string };
export type Step = { name: string; ms: number };
export type TableSize = { table: string; rows: number; bytes: number };
export type Generation = {
  steps: Step[];
  totalMs: number;
  tables: TableSize[];
  databaseBytes: number;
  /** Referrals each receiving team has still to screen, assess or hear back about: its duty queue before the 200-row limit. */
  dutyQueues: { team: string; open: number }[];
  /** Facts that show the data looks like the population it stands for. */
  checks: { familyNames: number; smithShare: number; withNhsNumber: number; withPostcode: number; nhsNumbersValid: boolean };
};

/** How the demo's receiving teams share the referrals: mostly the community mental health team and the council's duty team. */
const RECEIVING_SHARES: Record<string, number> = {
  'Riverside Community Mental Health Team': 0.46,
  'Adult Social Care Duty Team': 0.36,
  'Crisis Resolution and Home Treatment': 0.06,
  'Early Intervention in Psychosis': 0.04,
  'Learning Disability Team': 0.04,
  'Pathways Recovery Team': 0.02,
  'Housing Options and Homelessness': 0.02,
};
/** Teams whose agencies refer inside Concord (GP, police, probation, housing, voluntary sector…). */
const REFERRING_TEAMS = [
  'Millbrook Surgery',
  'Public Protection and Safeguarding Hub',
  'Offender Management',
  'Housing Options and Homelessness',
  'Open Door Outreach',
  'Pathways Recovery Team',
  'Children’s Front Door (MASH)',
  'Crisis Resolution and Home Treatment',
  'Adult Social Care Duty Team',
];
/**
 * The tables the generator fills (person_name_word through the triggers on person and person_alias);
 * their secondary indexes are built once, after loading, which is several times faster.
 */
const FILLED_TABLES = [
  'person',
  'person_alias',
  'person_name_word',
  'referral',
  'referral_event',
  'involvement',
  'obligation',
  'care_case',
  'coordinator_allocation',
  'consent_decision',
  'sharing_restriction',
  'sharing_restriction_end',
  'sharing_exception',
  'sharing_exception_end',
  'break_glass',
];
const DUTY_STATES = ['received', 'information_requested', 'screened', 'assessing'];

/**
 * Migrations, the demo partnership, then the synthetic population, loaded set-based with the
 * secondary indexes dropped and rebuilt from their own definitions, then VACUUM ANALYZE.
 */
export async function generate(handle: DatabaseHandle, services: Services, options: GenerationOptions): Promise<Generation> {
  const steps: Step[] = [];
  const startedAt = performance.now();
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    const result = await work();
    steps.push({ name, ms: performance.now() - began });
    console.log(`  ${name}: ${seconds(steps.at(-1)!.ms)}`);
    return result;
  };

  await step('migrations', () => runMigrations(handle.pool));
  await step('demo partnership', () => loadDemoPartnership(services));
  const client = await handle.pool.connect();
  try {
    // Session settings only: the server is shared, so nothing is changed for anyone else.
    await client.query(`set maintenance_work_mem = '1GB'; set work_mem = '256MB'; set synchronous_commit = off; select setseed(0.2026)`);
    const { receiving, referring } = await teamsOf(client);
    const { familyNames } = await population.loadWordLists(client, receiving, referring);
    const indexes = await step('drop secondary indexes', () => dropSecondaryIndexes(client));
    await step(`${options.people.toLocaleString('en-GB')} people`, () => population.insertPeople(client, options.people, familyNames));
    await step('aliases', () => population.insertAliases(client, familyNames));
    await step(`${options.referrals.toLocaleString('en-GB')} referrals`, () => population.insertReferrals(client, options.referrals, options.people));
    await step('cases', () => population.insertCases(client));
    await step('involvement', () => population.insertInvolvements(client));
    await step('obligations', () => population.insertObligations(client));
    await step('referral timelines', () => population.insertReferralEvents(client));
    await step('consent and sharing', () => population.insertSharing(client, options.searcherEmail));
    await step(`rebuild ${indexes.length} indexes`, () => rebuildIndexes(client, indexes));
    await population.dropWordLists(client);
    await step('vacuum analyze', async () => {
      for (const table of FILLED_TABLES) await client.query(`vacuum (analyze) ${table}`);
    });
    const totalMs = performance.now() - startedAt;
    return { steps, totalMs, tables: await tableSizes(client), databaseBytes: await databaseSize(client), dutyQueues: await dutyQueues(client), checks: await checks(client, familyNames) };
  } finally {
    client.release();
  }
}

async function teamsOf(client: pg.PoolClient) {
  const { rows } = await client.query<{ id: string; name: string; agency_id: string; agency_name: string; coordinator: string | null }>(`
    select t.id, t.name, t.agency_id, a.name as agency_name,
           coalesce(
             (select m.user_id from team_membership m join app_user u on u.id = m.user_id
              where m.team_id = t.id and m.active and u.active order by 'care_coordinator' = any(m.roles) desc, u.name limit 1),
             (select u.id from app_user u where u.agency_id = t.agency_id and u.active order by u.name limit 1)) as coordinator
    from team t join agency a on a.id = t.agency_id`);
  const byName = new Map(rows.map((row) => [row.name, row]));
  const find = (name: string) => {
    const row = byName.get(name);
    if (!row) throw new Error(`The demo partnership has no team called ${name}; update bench/people/generate.ts to match src/demo/partnership.ts.`);
    return row;
  };
  const receiving = Object.entries(RECEIVING_SHARES).map(([name, share]) => {
    const row = find(name);
    if (!row.coordinator) throw new Error(`No active user in ${row.agency_name} can coordinate ${name}'s cases.`);
    return { teamId: row.id, agencyId: row.agency_id, name, share, coordinatorId: row.coordinator };
  });
  const referring = REFERRING_TEAMS.map(find).map((row) => ({ teamId: row.id, agencyId: row.agency_id, agencyName: row.agency_name }));
  return { receiving, referring };
}

type IndexDefinition = { name: string; definition: string };

/** Drops every index of the filled tables that no constraint relies on, returning the exact definitions to rebuild them. */
async function dropSecondaryIndexes(client: pg.PoolClient): Promise<IndexDefinition[]> {
  const { rows } = await client.query<IndexDefinition>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
     from pg_index i join pg_class c on c.oid = i.indrelid
     where c.relname = any($1) and c.relnamespace = 'public'::regnamespace
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
     order by c.relname, 1`,
    [FILLED_TABLES],
  );
  for (const index of rows) await client.query(`drop index ${index.name}`);
  return rows;
}

async function rebuildIndexes(client: pg.PoolClient, indexes: IndexDefinition[]) {
  for (const index of indexes) await client.query(index.definition);
}

async function tableSizes(client: pg.PoolClient): Promise<TableSize[]> {
  const sizes: TableSize[] = [];
  for (const table of [...FILLED_TABLES, 'audit_event']) {
    const { rows } = await client.query<{ rows: number; bytes: string }>(`select count(*)::int as rows, pg_total_relation_size($1::regclass) as bytes from ${table}`, [table]);
    sizes.push({ table, rows: rows[0]!.rows, bytes: Number(rows[0]!.bytes) });
  }
  return sizes;
}

async function databaseSize(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
  return Number(rows[0]!.bytes);
}

async function dutyQueues(client: pg.PoolClient) {
  const { rows } = await client.query<{ team: string; open: number }>(
    `select t.name as team, count(*)::int as open from referral r join team t on t.id = r.receiving_team_id
     where r.state = any($1) group by t.name order by open desc`,
    [DUTY_STATES],
  );
  return rows;
}

async function checks(client: pg.PoolClient, familyNames: number): Promise<Generation['checks']> {
  const { rows } = await client.query<{ smith: number; nhs: number; postcode: number; people: number }>(`
    select count(*) filter (where search_family = 'smith')::int as smith, count(nhs_number)::int as nhs, count(postcode)::int as postcode, count(*)::int as people
    from person`);
  const { people, smith, nhs, postcode } = rows[0]!;
  const sample = await client.query<{ nhs_number: string }>('select nhs_number from person where nhs_number is not null limit 10000');
  return {
    familyNames,
    smithShare: smith / people,
    withNhsNumber: nhs / people,
    withPostcode: postcode / people,
    nhsNumbersValid: sample.rows.every((row) => isValidNhsNumber(row.nhs_number)),
  };
}
