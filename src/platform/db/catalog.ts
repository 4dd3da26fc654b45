import type pg from 'pg';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { qualified, type BackupHeader, type BackupTable } from './backup-format.js';
import { MIGRATIONS_FOLDER } from './migrations.js';

/**
 * What a backup holds, read from PostgreSQL's catalog rather than listed by hand, so a table a
 * later module adds is backed up without anyone remembering to add it.
 */

/** Concord's tables, and drizzle's record of the migrations applied. */
export const BACKED_UP_SCHEMAS = ['public', 'drizzle'];
export const MIGRATIONS_TABLE = { schema: 'drizzle', name: '__drizzle_migrations' };

type Client = pg.PoolClient | pg.Client;

/**
 * Every table to copy, referenced tables before the tables referring to them. A partitioned
 * table is copied once, through its parent (its partitions' rows are the parent's rows); the
 * partitions themselves are listed separately, so a restore can create any the target lacks.
 */
export async function tablesToCopy(client: Client): Promise<Omit<BackupTable, 'rows'>[]> {
  const { rows } = await client.query<{ oid: number; schema: string; name: string; partitioned: boolean; columns: string[]; refs: number[] }>(
    `select c.oid::int, n.nspname as schema, c.relname as name, c.relkind = 'p' as partitioned,
       array(select a.attname::text from pg_attribute a
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
             order by a.attnum) as columns,
       array(select distinct r.confrelid::int from pg_constraint r
             where r.conrelid = c.oid and r.contype = 'f' and r.confrelid <> c.oid) as refs
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any($1) and c.relkind in ('r', 'p') and not c.relispartition
     order by n.nspname, c.relname`,
    [BACKED_UP_SCHEMAS],
  );
  const byOid = new Map(rows.map((row) => [row.oid, row]));
  const ordered: typeof rows = [];
  const placed = new Set<number>();
  const visiting = new Set<number>();
  const place = (row: (typeof rows)[number]) => {
    // A cycle of foreign keys has no order; the restore loads with triggers off, so any will do.
    if (placed.has(row.oid) || visiting.has(row.oid)) return;
    visiting.add(row.oid);
    for (const ref of row.refs) {
      const target = byOid.get(ref);
      if (target) place(target);
    }
    placed.add(row.oid);
    ordered.push(row);
  };
  rows.forEach(place);
  return ordered.map(({ schema, name, partitioned, columns }) => ({ schema, name, partitioned, columns }));
}

/**
 * Every partition, at any depth, each after its parent, with the bound that defines it and the
 * triggers of its own (a statement trigger such as a TRUNCATE guard is not inherited from the parent).
 */
export async function partitionsOf(client: Client): Promise<BackupHeader['partitions']> {
  const { rows } = await client.query<BackupHeader['partitions'][number]>(
    `with recursive tree as (
       select c.oid, i.inhparent, 1 as depth from pg_class c join pg_inherits i on i.inhrelid = c.oid
       join pg_class p on p.oid = i.inhparent where c.relispartition and c.relkind in ('r', 'p') and not p.relispartition
       union all
       select c.oid, i.inhparent, t.depth + 1 from pg_class c join pg_inherits i on i.inhrelid = c.oid
       join tree t on t.oid = i.inhparent where c.relispartition and c.relkind in ('r', 'p')
     )
     select n.nspname as schema, c.relname as name, pn.nspname as "parentSchema", p.relname as parent,
       pg_get_expr(c.relpartbound, c.oid) as bound,
       array(select pg_get_triggerdef(g.oid) from pg_trigger g
             where g.tgrelid = c.oid and not g.tgisinternal and g.tgparentid = 0 order by g.tgname) as triggers
     from tree t join pg_class c on c.oid = t.oid join pg_namespace n on n.oid = c.relnamespace
     join pg_class p on p.oid = t.inhparent join pg_namespace pn on pn.oid = p.relnamespace
     where n.nspname = any($1)
     order by t.depth, n.nspname, c.relname`,
    [BACKED_UP_SCHEMAS],
  );
  return rows;
}

/** Every sequence, with its value now (sequences are outside the snapshot, and never run backwards). */
export async function sequencesOf(client: Client): Promise<BackupHeader['sequences']> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'S' and n.nspname = any($1) order by 1, 2`,
    [BACKED_UP_SCHEMAS],
  );
  const sequences: BackupHeader['sequences'] = [];
  for (const { schema, name } of rows) {
    const value = await client.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${qualified(schema, name)}`);
    sequences.push({ schema, name, lastValue: value.rows[0]!.last_value, isCalled: value.rows[0]!.is_called });
  }
  return sequences;
}

/** The migrations a database has applied (none when it has no schema yet). */
export async function appliedMigrations(client: Client): Promise<BackupHeader['migrations']> {
  const exists = await client.query<{ present: boolean }>(`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!exists.rows[0]!.present) return { applied: 0, lastCreatedAt: null, lastHash: null };
  const { rows } = await client.query<{ applied: number; last_created_at: string | null; last_hash: string | null }>(
    `select count(*)::int as applied, max(created_at)::text as last_created_at, (array_agg(hash order by created_at desc, id desc))[1] as last_hash
     from drizzle.__drizzle_migrations`,
  );
  const row = rows[0]!;
  return { applied: row.applied, lastCreatedAt: row.last_created_at === null ? null : Number(row.last_created_at), lastHash: row.last_hash };
}

/** The migrations this Concord carries, as a database that has applied them all records them. */
export function codeMigrations(): BackupHeader['migrations'] {
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const last = files.at(-1);
  return { applied: files.length, lastCreatedAt: last?.folderMillis ?? null, lastHash: last?.hash ?? null };
}

/** Concord's tables (not drizzle's) that hold at least one row. */
export async function tablesWithRows(client: Client): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tablesToCopy(client)) {
    if (table.schema !== 'public') continue;
    const { rows } = await client.query(`select 1 from ${qualified(table.schema, table.name)} limit 1`);
    if (rows.length > 0) found.push(table.name);
  }
  return found;
}
