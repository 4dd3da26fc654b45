import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from './actor.js';
import { practises } from './person-access.js';
import { involvement } from './schema.js';

/**
 * `decidePersonAccess(...).level === 'record'`, as a SQL condition on a person id column, so lists,
 * counts, sorts and searches apply exactly the same decision as a single record does.
 */
export function canSeeRecord(actor: Actor, personId: AnyPgColumn | SQL): SQL {
  if (!practises(actor)) return sql`false`;
  return sql`exists (select 1 from ${involvement} where ${involvement.personId} = ${personId} and ${involvement.agencyId} = ${actor.agencyId} and ${involvement.endedAt} is null and ${involvement.role} <> 'referrer')`;
}
