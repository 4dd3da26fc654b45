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

/**
 * Who is asking and when, as SQL values: the actor's and moment's values, or a prepared statement's
 * placeholders (a statement prepared once must not carry one actor's values into the next run).
 */
export type RecordViewer = { agencyId: SQL; userId: SQL; today: SQL; now: SQL };

export const viewerOf = (actor: Actor, at: AccessMoment): RecordViewer => ({
  agencyId: uuid(actor.agencyId),
  userId: uuid(actor.userId),
  today: sql`${at.today}::date`,
  now: sql`${at.now.toISOString()}::timestamptz`,
});

const involved = (v: RecordViewer, personId: Column) =>
  sql`exists (select 1 from ${involvement} where ${involvement.personId} = ${personId} and ${involvement.agencyId} = ${v.agencyId} and ${involvement.endedAt} is null and ${involvement.role} <> 'referrer')`;

const exceptionFor = (v: RecordViewer, personId: Column, category?: Column | string) => sql`exists (
  select 1 from ${sharingException} e where e.person_id = ${personId} and ${v.agencyId} = any(e.agency_ids)
    and e.review_date >= ${v.today}
    ${category === undefined ? sql`` : sql`and ${category}::text = any(e.categories)`}
    and not exists (select 1 from ${sharingExceptionEnd} x where x.exception_id = e.id))`;

const glassFor = (v: RecordViewer, personId: Column) =>
  sql`exists (select 1 from ${breakGlass} b where b.person_id = ${personId} and b.user_id = ${v.userId} and b.started_at <= ${v.now} and b.expires_at > ${v.now})`;

/** `decidePersonAccess(...).level === 'record'` on a person id column. */
export function canSeeRecord(actor: Actor, personId: Column, at: AccessMoment): SQL {
  if (!practises(actor)) return sql`false`;
  return recordVisibleTo(viewerOf(actor, at), personId);
}

/** canSeeRecord for an actor who practises, with who and when given as SQL (see RecordViewer). */
export function recordVisibleTo(v: RecordViewer, personId: Column): SQL {
  return sql`(${involved(v, personId)} or ${exceptionFor(v, personId)} or ${glassFor(v, personId)})`;
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
  const viewer = viewerOf(actor, at);
  const exception = exceptionFor(viewer, personId, category);
  const consent = sql`exists (select 1 from ${consentDecision} g where g.decision = 'given' and g.review_date >= ${at.today}::date and ${consentCovering('g', actor, personId, category)}
      and not exists (select 1 from ${consentDecision} r where r.decision = 'refused' and r.obtained_at >= g.obtained_at and ${consentCovering('r', actor, personId, category)}))`;
  return sql`(${canSeeRecord(actor, personId, at)} and (
    ${owningAgencyId} = ${uuid(actor.agencyId)}
    or (not ${restricted} and (${category}::text = 'basic_details' or ${consent} or ${glassFor(viewer, personId)}))
    or ${exception}))`;
}
