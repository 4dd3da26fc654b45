import { sql } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import { londonDate } from '../clocks/working-days.js';
import { prepare, runPrepared, type Queryable } from '../db/database.js';
import type { AccessMoment, BreakGlassFact, ConsentFact, ExceptionFact, InvolvementFact, PersonAccessFacts, RestrictionFact } from './person-access.js';
import { breakGlass, consentDecision, involvement, sharingException, sharingExceptionEnd, sharingRestriction, sharingRestrictionEnd } from './schema.js';

export const momentOf = (clock: Clock): AccessMoment => {
  const now = clock.now();
  return { now, today: londonDate(now) };
};

/** An agency's involvement in a person's care, as lists of people show it ("known to"). */
export type InvolvementSeen = Pick<typeof involvement.$inferSelect, 'personId' | 'agencyId' | 'teamId' | 'role' | 'startedAt' | 'endedAt'>;

/** One row per fact: its kind, whose it is, and the fact itself as JSON (timestamps as ISO strings). */
type FactRow =
  | { kind: 'involvement'; personId: string; fact: Omit<InvolvementSeen, 'personId' | 'startedAt' | 'endedAt'> & { startedAt: string; endedAt: string | null } }
  | { kind: 'consent'; personId: string; fact: Omit<ConsentFact, 'decision' | 'obtainedAt' | 'withdrawn'> & { decision: ConsentFact['decision'] | 'withdrawn'; obtainedAt: string; withdraws: string | null } }
  | { kind: 'exception'; personId: string; fact: ExceptionFact }
  | { kind: 'restriction'; personId: string; fact: RestrictionFact }
  | { kind: 'break_glass'; personId: string; fact: { id: string; userId: string; startedAt: string; expiresAt: string } };

/**
 * Everything the access decision reads about these people, in one statement: a record read or a
 * search asks this for every person it shows, so each round trip saved is saved on every page.
 * Every person asked about gets facts, empty when nothing is recorded.
 */
export async function loadAccessFacts(db: Queryable, personIds: readonly string[]): Promise<Map<string, PersonAccessFacts>> {
  return (await loadFactsAndInvolvements(db, personIds)).facts;
}

/**
 * The access facts and, in the same statement, every involvement of these people (oldest first) as
 * a list shows it: person search says to whom each person is known and decides whether the searcher
 * may open their record.
 */
export async function loadFactsAndInvolvements(db: Queryable, personIds: readonly string[]) {
  const ids = [...new Set(personIds)];
  const facts = new Map<string, { involvements: InvolvementFact[]; consents: ConsentFact[]; exceptions: ExceptionFact[]; restrictions: RestrictionFact[]; breakGlass: BreakGlassFact[] }>();
  const involvements: InvolvementSeen[] = [];
  if (ids.length === 0) return { facts, involvements };
  for (const id of ids) facts.set(id, { involvements: [], consents: [], exceptions: [], restrictions: [], breakGlass: [] });
  const rows = await runPrepared<FactRow>(db, factsStatement, { ids });
  const withdrawn = new Set(rows.flatMap((row) => (row.kind === 'consent' && row.fact.withdraws ? [row.fact.withdraws] : [])));
  for (const row of rows) {
    const of = facts.get(row.personId)!;
    if (row.kind === 'involvement') {
      const seen = { ...row.fact, personId: row.personId, startedAt: new Date(row.fact.startedAt), endedAt: row.fact.endedAt === null ? null : new Date(row.fact.endedAt) };
      involvements.push(seen);
      of.involvements.push({ agencyId: seen.agencyId, role: seen.role, active: seen.endedAt === null });
    } else if (row.kind === 'consent') {
      // A withdrawal is a decision of its own that only ends another: it is not a consent.
      const { withdraws: _, decision, ...consent } = row.fact;
      if (decision === 'withdrawn') continue;
      of.consents.push({ ...consent, decision, obtainedAt: new Date(consent.obtainedAt), withdrawn: withdrawn.has(consent.id) });
    } else if (row.kind === 'exception') of.exceptions.push(row.fact);
    else if (row.kind === 'restriction') of.restrictions.push(row.fact);
    else of.breakGlass.push({ ...row.fact, startedAt: new Date(row.fact.startedAt), expiresAt: new Date(row.fact.expiresAt) });
  }
  involvements.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  return { facts, involvements };
}

const among = (column: unknown) => sql`${column} = any(${sql.placeholder('ids')}::uuid[])`;
// Built once: it is read for every person any page shows.
const factsStatement = prepare(sql`
    select 'involvement' as kind, ${involvement.personId} as "personId",
           jsonb_build_object('agencyId', ${involvement.agencyId}, 'teamId', ${involvement.teamId}, 'role', ${involvement.role},
             'startedAt', ${involvement.startedAt}, 'endedAt', ${involvement.endedAt}) as fact
    from ${involvement} where ${among(involvement.personId)}
    union all
    select 'consent' as kind, ${consentDecision.personId} as "personId",
           jsonb_build_object('id', ${consentDecision.id}, 'decision', ${consentDecision.decision}, 'withdraws', ${consentDecision.withdraws},
             'agencyIds', ${consentDecision.agencyIds}, 'agencyTypes', ${consentDecision.agencyTypes}, 'categories', ${consentDecision.categories},
             'obtainedAt', ${consentDecision.obtainedAt}, 'reviewDate', ${consentDecision.reviewDate}) as fact
    from ${consentDecision} where ${among(consentDecision.personId)}
    union all
    select 'exception' as kind, ${sharingException.personId} as "personId",
           jsonb_build_object('id', ${sharingException.id}, 'agencyIds', ${sharingException.agencyIds}, 'categories', ${sharingException.categories},
             'reviewDate', ${sharingException.reviewDate},
             'ended', exists (select from ${sharingExceptionEnd} where ${sharingExceptionEnd.exceptionId} = ${sharingException.id})) as fact
    from ${sharingException} where ${among(sharingException.personId)}
    union all
    select 'restriction' as kind, ${sharingRestriction.personId} as "personId",
           jsonb_build_object('id', ${sharingRestriction.id}, 'entryId', ${sharingRestriction.entryId}, 'categories', ${sharingRestriction.categories},
             'agencyIds', ${sharingRestriction.agencyIds}, 'agencyTypes', ${sharingRestriction.agencyTypes},
             'ended', exists (select from ${sharingRestrictionEnd} where ${sharingRestrictionEnd.restrictionId} = ${sharingRestriction.id})) as fact
    from ${sharingRestriction} where ${among(sharingRestriction.personId)}
    union all
    select 'break_glass' as kind, ${breakGlass.personId} as "personId",
           jsonb_build_object('id', ${breakGlass.id}, 'userId', ${breakGlass.userId}, 'startedAt', ${breakGlass.startedAt}, 'expiresAt', ${breakGlass.expiresAt}) as fact
    from ${breakGlass} where ${among(breakGlass.personId)}`);

export async function loadPersonFacts(db: Queryable, personId: string): Promise<PersonAccessFacts> {
  return (await loadAccessFacts(db, [personId])).get(personId)!;
}
