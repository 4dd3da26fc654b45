import type { AuditTrail } from '../audit/trail.js';
import type { Clock } from '../clocks/clock.js';
import type { Queryable } from '../db/database.js';
import { notFound } from '../errors.js';
import { auditActorOf, type Actor } from './actor.js';
import type { SQL } from 'drizzle-orm';
import { factsReader, momentOf } from './facts.js';
import { decidePersonAccess, type AccessMoment, type PersonAccess, type PersonAccessFacts } from './person-access.js';

/** A person's record as the actor may open it, with the facts the decision read and the moment it was made. */
export type OpenedRecord = { id: string; name: string; facts: PersonAccessFacts; access: PersonAccess & { level: 'record' }; at: AccessMoment };

/** What the actor was doing when the record was opened, for the refusal's audit event: the section, and the attempt if it was a change. */
export type RecordPurpose = { section: string; attempted?: string };

export type RecordOpener = (actor: Actor, personId: string, purpose: RecordPurpose, db?: Queryable) => Promise<OpenedRecord>;

export const PERSON_NOT_FOUND = 'There is no person with that reference.';

/**
 * The one way into a person's record. A person the actor may not open answers exactly as one that does
 * not exist, and takes the same time: for a missing id the name and the access facts are read all the
 * same, and both are recorded as the same refusal (`person.view_refused`), so neither the answer nor its
 * timing tells anyone whether the person exists. The name is read in the same statement as the facts,
 * by SQL the people module hands in at wiring time (so the platform imports no module): rows of kind
 * `name`, the person's name as a JSON string.
 */
export function recordOpener(deps: {
  db: Queryable;
  audit: AuditTrail;
  clock: Clock;
  nameSql: SQL;
}): RecordOpener {
  const readFactsAndName = factsReader(deps.nameSql);
  return async (actor, personId, purpose, db = deps.db) => {
    const { facts: all, read } = await readFactsAndName(db, [personId]);
    const facts = all.get(personId)!;
    const at = momentOf(deps.clock);
    const access = decidePersonAccess(actor, facts, at);
    const name = read.find((row) => row.kind === 'name')?.fact as string | undefined;
    if (name !== undefined && access.level === 'record') return { id: personId, name, facts, access, at };
    await deps.audit.recordNow(auditActorOf(actor), {
      action: 'person.view_refused',
      outcome: 'denied',
      personId,
      subject: { type: 'person', id: personId },
      details: { ...purpose, answered: 'not found', reason: name === undefined ? 'no such person' : access.basis },
    });
    throw notFound('PEOPLE.NOT_FOUND', PERSON_NOT_FOUND);
  };
}
