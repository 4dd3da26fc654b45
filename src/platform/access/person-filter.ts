import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from './actor.js';
import { practises, type AccessMoment } from './person-access.js';
import { breakGlass, consentDecision, involvement, sharingException, sharingExceptionEnd, sharingRestriction, sharingRestrictionEnd } from './schema.js';

/*
 * `person-access.ts` as SQL conditions, so lists, counts, sorts and searches apply exactly the same
 * decision as a single record does. test/access/reference-agreement.test.ts holds both to a separately written reference model.
 */

type Column = AnyPgColumn | SQL;
const uuid = (value: string) => sql`${value}::uuid`;

const involved = (actor: Actor, personId: Column) =>
  sql`exists (select 1 from ${involvement} where ${involvement.personId} = ${personId} and ${involvement.agencyId} = ${uuid(actor.agencyId)} and ${involvement.endedAt} is null and ${involvement.role} <> 'referrer')`;

const exceptionFor = (actor: Actor, personId: Column, at: AccessMoment, category?: Column | string) => sql`exists (
  select 1 from ${sharingException} e where e.person_id = ${personId} and ${uuid(actor.agencyId)} = any(e.agency_ids)
    and e.review_date >= ${at.today}::date
    ${category === undefined ? sql`` : sql`and ${category}::text = any(e.categories)`}
    and not exists (select 1 from ${sharingExceptionEnd} x where x.exception_id = e.id))`;

const glassFor = (actor: Actor, personId: Column, at: AccessMoment) =>
  sql`exists (select 1 from ${breakGlass} b where b.person_id = ${personId} and b.user_id = ${uuid(actor.userId)} and b.started_at <= ${at.now.toISOString()}::timestamptz and b.expires_at > ${at.now.toISOString()}::timestamptz)`;

/** `decidePersonAccess(...).level === 'record'` on a person id column. */
export function canSeeRecord(actor: Actor, personId: Column, at: AccessMoment): SQL {
  if (!practises(actor)) return sql`false`;
  return sql`(${involved(actor, personId)} or ${exceptionFor(actor, personId, at)} or ${glassFor(actor, personId, at)})`;
}

const namesActor = (alias: string, actor: Actor) =>
  sql`(${uuid(actor.agencyId)} = any(${sql.raw(alias)}.agency_ids) or ${actor.agencyType}::text = any(${sql.raw(alias)}.agency_types))`;

const consentCovering = (alias: string, actor: Actor, personId: Column, category: Column | string) =>
  sql`${sql.raw(alias)}.person_id = ${personId} and ${namesActor(alias, actor)} and ${category}::text = any(${sql.raw(alias)}.categories)
    and not exists (select 1 from ${consentDecision} w where w.withdraws = ${sql.raw(alias)}.id)`;

export type ItemColumns = { personId: Column; category: Column | string; owningAgencyId: Column; entryId?: Column };

/** `decideItemAccess(...).allowed` on an item's columns: the person, its category, the agency that owns it and (for an entry) its id. */
export function canSeeItem(actor: Actor, item: ItemColumns, at: AccessMoment): SQL {
  if (!practises(actor)) return sql`false`;
  const { personId, category, owningAgencyId } = item;
  const restricted = sql`exists (select 1 from ${sharingRestriction} r where r.person_id = ${personId} and ${namesActor('r', actor)}
      and (${item.entryId ? sql`r.entry_id = ${item.entryId} or ` : sql``}(r.entry_id is null and ${category}::text = any(r.categories)))
      and not exists (select 1 from ${sharingRestrictionEnd} x where x.restriction_id = r.id))`;
  const exception = exceptionFor(actor, personId, at, category);
  const consent = sql`exists (select 1 from ${consentDecision} g where g.decision = 'given' and g.review_date >= ${at.today}::date and ${consentCovering('g', actor, personId, category)}
      and not exists (select 1 from ${consentDecision} r where r.decision = 'refused' and r.obtained_at >= g.obtained_at and ${consentCovering('r', actor, personId, category)}))`;
  return sql`(${canSeeRecord(actor, personId, at)} and (
    ${owningAgencyId} = ${uuid(actor.agencyId)}
    or (not ${restricted} and (${category}::text = 'basic_details' or ${consent} or ${glassFor(actor, personId, at)}))
    or ${exception}))`;
}
