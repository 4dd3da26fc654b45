import pg from 'pg';
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/*
 * A table's rows as JSON and back, for a statement that reads several kinds of row in one round trip
 * (see factsReader): each kind comes back as one jsonb column, turned back here into the row drizzle
 * would have returned, so the code that uses it cannot tell the difference.
 */

/** The whole row of `table` (as named in the statement's FROM) as jsonb, keyed by column name. */
export const rowAsJson = (table: PgTable): SQL => sql`to_jsonb(${table})`;

/** The row drizzle would have returned, from `rowAsJson`'s JSON: timestamps become Dates again. */
export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name] ?? null;
    row[key] = value !== null && column.dataType === 'date' ? new Date(value as string) : value;
  }
  return row as T['$inferSelect'];
}

/**
 * An insert of one whole row as complete SQL text, its values one JSON literal: a statement that needs
 * no parameters can travel with others in one round trip (see AuditTrail.writeWithRecord). Every column
 * must be given (null where it has none): a missing one would be null, not its default, so it is refused.
 */
export function insertAsText<T extends PgTable>(table: T, values: T['$inferSelect']): string {
  const json: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (!(key in values)) throw new Error(`insertAsText: no value for ${column.name}`);
    const value = (values as Record<string, unknown>)[key];
    json[column.name] = value instanceof Date ? value.toISOString() : value;
  }
  const name = pg.escapeIdentifier(getTableName(table));
  return `insert into ${name} select * from jsonb_populate_record(null::${name}, ${pg.escapeLiteral(JSON.stringify(json))}::jsonb)`;
}
