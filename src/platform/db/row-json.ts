import { getTableColumns, sql, type SQL } from 'drizzle-orm';
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
