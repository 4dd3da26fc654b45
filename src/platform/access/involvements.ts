import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { involvement, type InvolvementRole } from './schema.js';

/** Who to ask at an agency about the person (COORD-6: the named individual, not only the agency). */
export type KeyContact = { name: string | null; role: string | null; phone: string | null };

/** What a coordinator records about an agency's part in the person's care (COORD-6). */
export type InvolvementDetails = {
  domains: string[];
  leadDomains: string[];
  keyContact: KeyContact | null;
  communication: string | null;
};

export type NewInvolvement = {
  personId: string;
  agencyId: string;
  teamId: string | null;
  role: InvolvementRole;
  source: { type: string; id: string };
  by: string | null;
  at: Date;
  details?: InvolvementDetails;
};

// The key contact's three parts share one text column, as JSON; an older plain value reads as a name.
const storedContact = (contact: KeyContact | null | undefined) => (contact && (contact.name || contact.role || contact.phone) ? JSON.stringify(contact) : null);
function readContact(stored: string | null): KeyContact | null {
  if (!stored) return null;
  try {
    const value = JSON.parse(stored) as Partial<KeyContact>;
    return { name: value.name ?? null, role: value.role ?? null, phone: value.phone ?? null };
  } catch {
    return { name: stored, role: null, phone: null };
  }
}

export type InvolvementRow = Omit<typeof involvement.$inferSelect, 'keyContact'> & { keyContact: KeyContact | null };
const asRow = (row: typeof involvement.$inferSelect): InvolvementRow => ({ ...row, keyContact: readContact(row.keyContact) });

/**
 * Involvement starts when an agency receives a referral, is the lead agency, or is added by the
 * coordinator, and ends at discharge (COORD-6). Access follows it, so these are the only ways it changes.
 */
export async function startInvolvement(tx: Queryable, input: NewInvolvement) {
  const [row] = await tx
    .insert(involvement)
    .values({
      personId: input.personId,
      agencyId: input.agencyId,
      teamId: input.teamId,
      role: input.role,
      sourceType: input.source.type,
      sourceId: input.source.id,
      startedAt: input.at,
      startedBy: input.by,
      ...(input.details
        ? { domains: input.details.domains, leadDomains: input.details.leadDomains, keyContact: storedContact(input.details.keyContact), communication: input.details.communication }
        : {}),
    })
    .returning();
  return asRow(row!);
}

/** Ends the involvements that came from one source (a referral closed, a case discharged). */
export async function endInvolvementsFrom(tx: Queryable, source: { type: string; id: string }, at: Date, reason: string, role?: InvolvementRole) {
  const ended = await tx
    .update(involvement)
    .set({ endedAt: at, endedReason: reason, version: sql`${involvement.version} + 1` })
    .where(and(eq(involvement.sourceType, source.type), eq(involvement.sourceId, source.id), isNull(involvement.endedAt), role ? eq(involvement.role, role) : undefined))
    .returning({ id: involvement.id });
  return ended.length;
}

/**
 * Holds every change to one person's involvements until the transaction ends, so two coordinators
 * cannot both add the same agency or both give two agencies the lead on the same aspect of care.
 * An advisory lock, because the row that would clash may not exist yet.
 */
export async function lockInvolvementsOf(tx: Queryable, personId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`involvement:${personId}`}, 0))`);
}

/** Every involvement with the person, current and ended, oldest first. */
export async function involvementsOfPerson(db: Queryable, personId: string): Promise<InvolvementRow[]> {
  const rows = await db.select().from(involvement).where(eq(involvement.personId, personId)).orderBy(asc(involvement.startedAt), asc(involvement.id));
  return rows.map(asRow);
}

/**
 * Changes what an active involvement covers, leads on, who to ask and how to keep in touch, if it is
 * still at the version the coordinator read. Null if it has ended or changed since.
 */
export async function updateInvolvementDetails(tx: Queryable, id: string, details: InvolvementDetails, version: number): Promise<InvolvementRow | null> {
  const [row] = await tx
    .update(involvement)
    .set({
      domains: details.domains,
      leadDomains: details.leadDomains,
      keyContact: storedContact(details.keyContact),
      communication: details.communication,
      version: sql`${involvement.version} + 1`,
    })
    .where(and(eq(involvement.id, id), isNull(involvement.endedAt), eq(involvement.version, version)))
    .returning();
  return row ? asRow(row) : null;
}

/**
 * Ends one involvement (the coordinator ends an agency's part), if it is still at the version the
 * coordinator read; the agency's access ends with it. Null if it had already ended or changed since.
 */
export async function endInvolvement(tx: Queryable, id: string, at: Date, reason: string, version: number): Promise<InvolvementRow | null> {
  const [row] = await tx
    .update(involvement)
    .set({ endedAt: at, endedReason: reason, version: sql`${involvement.version} + 1` })
    .where(and(eq(involvement.id, id), isNull(involvement.endedAt), eq(involvement.version, version)))
    .returning();
  return row ? asRow(row) : null;
}
