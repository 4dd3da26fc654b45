import type pg from 'pg';
import { BackupError, checkBackupFile, frameJson, parseHeader, qualified, quoted, readFrames, type BackupHeader, type Frame } from './backup-format.js';
import { appliedMigrations, BACKED_UP_SCHEMAS, codeMigrations, MIGRATIONS_TABLE, tablesToCopy, tablesWithRows } from './catalog.js';
import { copyIn } from './copy.js';
import { runMigrations } from './migrations.js';

export type RestoreSummary = { tables: number; rows: number; header: BackupHeader };

const describeLevel = (level: BackupHeader['migrations']) => `${level.applied} migrations`;

/**
 * Everything that can be checked without a database: the file is whole (its checksum holds, its
 * sections follow its header) and was made at this Concord's migration level, so its rows fit
 * the schema this Concord creates.
 */
export async function checkRestorable(file: string): Promise<BackupHeader> {
  const header = await checkBackupFile(file);
  const code = codeMigrations();
  if (header.migrations.applied !== code.applied || header.migrations.lastCreatedAt !== code.lastCreatedAt) {
    throw new BackupError(
      `The backup file ${file} was made by a Concord at ${describeLevel(header.migrations)}; this one is at ${describeLevel(code)}. ` +
        'Restore it with the Concord version that made it (it then upgrades as usual).',
    );
  }
  return header;
}

// A partition's bound comes from the file into DDL, so only the shapes pg_get_expr writes pass:
// literals and MINVALUE/MAXVALUE, never a function call or a second statement.
const VALUE = String.raw`(?:'[^';\\]*'|MINVALUE|MAXVALUE|-?\d+(?:\.\d+)?|NULL|true|false)`;
const LIST = String.raw`\(${VALUE}(?:, ${VALUE})*\)`;
const BOUND = new RegExp(String.raw`^(?:DEFAULT|FOR VALUES (?:FROM ${LIST} TO ${LIST}|IN ${LIST}|WITH \(modulus \d+, remainder \d+\)))$`);

// A partition's own trigger, as pg_get_triggerdef writes it: names and keywords only, calling a function with no arguments.
const NAME = String.raw`[a-z_][a-z0-9_$]*`;
const TRIGGER = new RegExp(
  String.raw`^CREATE (?:CONSTRAINT )?TRIGGER ${NAME} (?:BEFORE|AFTER|INSTEAD OF) [A-Z ]+ ON (?:${NAME}\.)?${NAME} (?:[A-Z ]+ )?FOR EACH (?:ROW|STATEMENT) EXECUTE FUNCTION (?:${NAME}\.)?${NAME}\(\)$`,
);

async function refuseIfNotEmpty(client: pg.PoolClient) {
  const holding = await tablesWithRows(client);
  if (holding.length > 0) {
    throw new BackupError(
      `The database already holds data (in ${holding.slice(0, 5).join(', ')}${holding.length > 5 ? ', …' : ''}). ` +
        'A restore goes only into an empty database: create a new one (or, embedded, point CONCORD_DATA_DIR at a new folder).',
    );
  }
}

/** The data frames of the table just started, ending (and checking) at its end frame. */
async function* rowsOfTable(frames: AsyncIterator<Frame>, expected: number, name: string): AsyncGenerator<Buffer> {
  for (;;) {
    const { value, done } = await frames.next();
    if (done || value.type === 'T' || value.type === 'Z') throw new BackupError(`The backup file is damaged: ${name} has no end.`);
    if (value.type === 'E') {
      if (frameJson<{ rows: number }>(value, name).rows !== expected) throw new BackupError(`The backup file is damaged: ${name} does not hold the rows its header gives.`);
      return;
    }
    yield value.payload;
  }
}

/**
 * Checks a backup (see checkRestorable), then loads it into an empty database: applies the migrations if
 * it has no schema, creates any partition the backup has and it lacks, then copies every table's
 * rows in one transaction with triggers and foreign keys set aside (session_replication_role =
 * replica, which needs a superuser), so the append-only audit trail loads as it was and derived
 * rows are not made twice. Sequences take the backup's values. The file is read again as it
 * loads; if it changed since it was checked, its checksum fails and nothing is committed.
 */
export async function restoreBackup(pool: pg.Pool, file: string): Promise<RestoreSummary> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await checkRestorable(file);
    await refuseIfNotEmpty(client);
    // Asked before migrating, so a connection that cannot load the rows leaves a blank database blank.
    if ((await client.query<{ on: string }>("select current_setting('is_superuser') as on")).rows[0]!.on !== 'on') {
      throw new BackupError('A restore needs a superuser connection, to load the audit trail with its triggers set aside.');
    }
    await runMigrations(pool);
    const level = await appliedMigrations(client);
    const code = codeMigrations();
    if (level.applied !== code.applied || level.lastCreatedAt !== code.lastCreatedAt) {
      throw new BackupError(`The database is at ${describeLevel(level)}, not this Concord's ${describeLevel(code)}: it is not a Concord database.`);
    }
    await client.query('begin');
    try {
      await client.query('set local session_replication_role = replica');
    } catch (error) {
      throw new BackupError(`A restore needs a superuser connection, to load the audit trail with its triggers set aside: ${(error as Error).message}.`);
    }
    await refuseIfNotEmpty(client);
    const frames = readFrames(file);
    const header = parseHeader((await frames.next()).value as Frame | undefined, file);
    const present = new Set((await tablesToCopy(client)).map((t) => qualified(t.schema, t.name)));
    for (const partition of header.partitions) {
      if (!BACKED_UP_SCHEMAS.includes(partition.schema) || !BACKED_UP_SCHEMAS.includes(partition.parentSchema) || !BOUND.test(partition.bound)) throw new BackupError(`The backup file ${file} is damaged: partition ${partition.name} is not one Concord makes.`);
      const exists = await client.query<{ oid: string | null }>('select to_regclass($1)::text as oid', [qualified(partition.schema, partition.name)]);
      if (exists.rows[0]!.oid === null) {
        await client.query(`create table ${qualified(partition.schema, partition.name)} partition of ${qualified(partition.parentSchema, partition.parent)} ${partition.bound}`);
        for (const trigger of partition.triggers) {
          if (!TRIGGER.test(trigger)) throw new BackupError(`The backup file ${file} is damaged: a trigger of partition ${partition.name} is not one Concord makes.`);
          await client.query(trigger);
        }
      }
    }
    let rows = 0;
    for (const table of header.tables) {
      const name = qualified(table.schema, table.name);
      const start = await frames.next();
      if (start.done || start.value.type !== 'T') throw new BackupError(`The backup file ${file} is damaged: its tables do not follow its header.`);
      const data = rowsOfTable(frames, table.rows, table.name);
      if (table.schema === MIGRATIONS_TABLE.schema && table.name === MIGRATIONS_TABLE.name) {
        // Already written by the migrations just applied, at the level checked above.
        for await (const chunk of data) void chunk;
        continue;
      }
      if (!present.has(name)) throw new BackupError(`The backup holds the table ${table.schema}.${table.name}, which this database does not have.`);
      let loaded: number;
      try {
        loaded = await copyIn(client, `copy ${name} (${table.columns.map(quoted).join(', ')}) from stdin`, data);
      } catch (error) {
        if (error instanceof BackupError) throw error;
        throw new BackupError(`Restoring ${table.schema}.${table.name} failed: ${(error as Error).message}`);
      }
      if (loaded !== table.rows) throw new BackupError(`Restoring ${table.schema}.${table.name} loaded ${loaded} rows, not the ${table.rows} the backup holds.`);
      rows += loaded;
    }
    // Reading on to the end is what checks the checksum.
    for (let next = await frames.next(); !next.done; next = await frames.next()) {
      if (next.value.type !== 'Z') throw new BackupError(`The backup file ${file} is damaged: it holds more than its header lists.`);
    }
    for (const sequence of header.sequences) {
      if (!BACKED_UP_SCHEMAS.includes(sequence.schema)) throw new BackupError(`The backup file ${file} is damaged: sequence ${sequence.name} is not Concord's.`);
      await client.query('select setval($1::regclass, $2::bigint, $3)', [qualified(sequence.schema, sequence.name), sequence.lastValue, sequence.isCalled]);
    }
    await client.query('commit');
    // The planner needs statistics for the restored rows before the first search.
    await client.query('analyze');
    return { tables: header.tables.length, rows, header };
  } catch (error) {
    try {
      await client.query('rollback');
    } catch (failed) {
      broken = failed as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
