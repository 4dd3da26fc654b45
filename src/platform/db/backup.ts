import fs from 'node:fs';
import type pg from 'pg';
import { BACKUP_FORMAT_VERSION, BackupError, BackupWriter, jsonFrame, qualified, quoted, type BackupHeader, type BackupTable } from './backup-format.js';
import { CopyOut } from './copy.js';
import { appliedMigrations, partitionsOf, sequencesOf, tablesToCopy } from './catalog.js';

export type BackupSummary = { file: string; tables: number; rows: number; checksum: string; header: BackupHeader };

// Rows are gathered into frames of about this size: one frame per row would cost more than the rows.
const FRAME_BYTES = 64 * 1024;

const columnList = (table: Omit<BackupTable, 'rows'>) => table.columns.map(quoted).join(', ');

/** COPY of one table's rows; a partitioned table through its parent, so each row is copied once. */
function copyOutStatement(table: Omit<BackupTable, 'rows'>): string {
  const name = qualified(table.schema, table.name);
  return table.partitioned ? `copy (select ${columnList(table)} from ${name}) to stdout` : `copy ${name} (${columnList(table)}) to stdout`;
}

/**
 * Writes every table of the database to `file` from one snapshot (a repeatable-read, read-only
 * transaction), so the copy is consistent however busy the server is: the audit chain in it ends
 * where its rows do. Rows stream from the server to the file, a table is never held in memory.
 * The file appears under its name only once it is complete.
 */
export async function writeBackup(pool: pg.Pool, file: string, createdAt: Date): Promise<BackupSummary> {
  if (fs.existsSync(file)) throw new BackupError(`${file} already exists: a backup never overwrites a file. Choose a new name.`);
  const partial = `${file}.partial`;
  const client = await pool.connect();
  let writer: BackupWriter | undefined;
  let broken: Error | undefined;
  try {
    await client.query('begin isolation level repeatable read read only');
    const tables = await tablesToCopy(client);
    const counted: BackupTable[] = [];
    for (const table of tables) {
      const { rows } = await client.query<{ n: string }>(`select count(*)::text as n from ${qualified(table.schema, table.name)}`);
      counted.push({ ...table, rows: Number(rows[0]!.n) });
    }
    const header: BackupHeader = {
      format: 'concord-backup',
      version: BACKUP_FORMAT_VERSION,
      createdAt: createdAt.toISOString(),
      postgresVersion: (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v.replace(/^(\S+).*$/, '$1'),
      migrations: await appliedMigrations(client),
      tables: counted,
      partitions: await partitionsOf(client),
      sequences: await sequencesOf(client),
    };
    writer = new BackupWriter(partial);
    await writer.frame('H', jsonFrame(header));
    for (const table of counted) {
      await writer.frame('T', jsonFrame({ schema: table.schema, name: table.name }));
      const copy = client.query(new CopyOut(copyOutStatement(table)));
      let gathered: Buffer[] = [];
      let size = 0;
      for await (const chunk of copy) {
        gathered.push(chunk);
        size += chunk.length;
        if (size >= FRAME_BYTES) {
          await writer.frame('D', Buffer.concat(gathered, size));
          gathered = [];
          size = 0;
        }
      }
      if (size > 0) await writer.frame('D', Buffer.concat(gathered, size));
      // The snapshot makes this impossible; if it ever happened, the file would not be a backup.
      if (copy.rows !== table.rows) throw new Error(`${table.name}: counted ${table.rows} rows but copied ${copy.rows}.`);
      await writer.frame('E', jsonFrame({ rows: copy.rows }));
    }
    await client.query('commit');
    const checksum = await writer.finish();
    fs.renameSync(partial, file);
    return { file, tables: counted.length, rows: counted.reduce((sum, t) => sum + t.rows, 0), checksum, header };
  } catch (error) {
    broken = error as Error;
    writer?.abort();
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    // A connection left mid-COPY or mid-transaction is not given back to the pool.
    client.release(broken);
  }
}
