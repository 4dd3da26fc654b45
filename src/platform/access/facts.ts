import { sql, type SQL } from 'drizzle-orm';
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
  return readFactsAlone(db, personIds);
}

/** A row another part of Concord asked for alongside the facts (see factsReader): its kind, whose it is, and the row as JSON. */
export type ReadAlongside = { kind: string; personId: string | null; fact: unknown };

/**
 * A reader of the access facts that reads, in the same statement, what a page shows beside them: a
 * record read asks for the person, their aliases, children, cases and the names on them, and gets
 * everything in one round trip instead of one each (on this kind of machine the round trips, not the
 * reads, are most of a request's cost). `alongside` is SQL selecting `kind, "personId", fact` (jsonb),
 * as the facts do, among the people in the `ids` placeholder and any others it names. `around` wraps
 * the whole statement (an audited read records itself with it: AuditTrail.recordingWith). Built once.
 */
export function factsReader(alongside?: SQL, around: (query: SQL) => SQL = (query) => query) {
  const statement = prepare(around(alongside ? sql`${factsSql} union all ${alongside}` : factsSql));
  return async (db: Queryable, personIds: readonly string[], values: Record<string, unknown> = {}) => {
    const ids = [...new Set(personIds)];
    const facts = new Map<string, { involvements: InvolvementFact[]; consents: ConsentFact[]; exceptions: ExceptionFact[]; restrictions: RestrictionFact[]; breakGlass: BreakGlassFact[] }>();
    const involvements: InvolvementSeen[] = [];
    const read: ReadAlongside[] = [];
    if (ids.length === 0) return { facts, involvements, read };
    for (const id of ids) facts.set(id, { involvements: [], consents: [], exceptions: [], restrictions: [], breakGlass: [] });
    const rows = await runPrepared<FactRow | ReadAlongside>(db, statement, { ...values, ids });
    const withdrawn = new Set(rows.flatMap((row) => (row.kind === 'consent' && (row as ConsentRow).fact.withdraws ? [(row as ConsentRow).fact.withdraws!] : [])));
    for (const row of rows) {
      if (!FACT_KINDS.has(row.kind)) {
        read.push(row as ReadAlongside);
        continue;
      }
      const fact = row as FactRow;
      const of = facts.get(fact.personId)!;
      if (fact.kind === 'involvement') {
        const seen = { ...fact.fact, personId: fact.personId, startedAt: new Date(fact.fact.startedAt), endedAt: fact.fact.endedAt === null ? null : new Date(fact.fact.endedAt) };
        involvements.push(seen);
        of.involvements.push({ agencyId: seen.agencyId, role: seen.role, active: seen.endedAt === null });
      } else if (fact.kind === 'consent') {
        // A withdrawal is a decision of its own that only ends another: it is not a consent.
        const { withdraws: _, decision, ...consent } = fact.fact;
        if (decision === 'withdrawn') continue;
        of.consents.push({ ...consent, decision, obtainedAt: new Date(consent.obtainedAt), withdrawn: withdrawn.has(consent.id) });
      } else if (fact.kind === 'exception') of.exceptions.push(fact.fact);
      else if (fact.kind === 'restriction') of.restrictions.push(fact.fact);
      else of.breakGlass.push({ ...fact.fact, startedAt: new Date(fact.fact.startedAt), expiresAt: new Date(fact.fact.expiresAt) });
    }
    involvements.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    return { facts, involvements, read };
  };
}

type ConsentRow = Extract<FactRow, { kind: 'consent' }>;
const FACT_KINDS = new Set<string>(['involvement', 'consent', 'exception', 'restriction', 'break_glass']);

const among = (column: unknown) => sql`${column} = any(${sql.placeholder('ids')}::uuid[])`;
// Built once: it is read for every person any page shows.
const factsSql = sql`
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
    from ${breakGlass} where ${among(breakGlass.personId)}`;
const readFactsAlone = factsReader();

export async function loadPersonFacts(db: Queryable, personId: string): Promise<PersonAccessFacts> {
  return (await loadAccessFacts(db, [personId])).get(personId)!;
}
