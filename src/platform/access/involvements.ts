import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { involvement, type InvolvementRole } from './schema.js';

export type NewInvolvement = {
  personId: string;
  agencyId: string;
  teamId: string | null;
  role: InvolvementRole;
  source: { type: string; id: string };
  by: string | null;
  at: Date;
};

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
    })
    .returning();
  return row!;
}

/** Ends the involvements that came from one source (a referral closed, a case discharged). */
export async function endInvolvementsFrom(tx: Queryable, source: { type: string; id: string }, at: Date, reason: string, role?: InvolvementRole) {
  const ended = await tx
    .update(involvement)
    .set({ endedAt: at, endedReason: reason })
    .where(and(eq(involvement.sourceType, source.type), eq(involvement.sourceId, source.id), isNull(involvement.endedAt), role ? eq(involvement.role, role) : undefined))
    .returning({ id: involvement.id });
  return ended.length;
}
