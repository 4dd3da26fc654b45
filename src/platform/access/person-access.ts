import type { Actor } from './actor.js';
import type { Role } from './policy.js';
import type { InvolvementRole } from './schema.js';
import { CATEGORY_NAMES, type InformationCategory } from './sharing-terms.js';

/**
 * Who may see what of a person's record: the one decision (CON-1 … CON-5, COORD-6), as a pure
 * function of the facts held about the person, mirrored in SQL by `person-filter.ts` for lists and
 * searches. A record the actor may not see answers as one that does not exist.
 *
 * Opening the record needs a relationship: the actor's agency is involved in the person's care, or a
 * sharing exception names it, or the actor broke the glass. A referrer only sees the status of its
 * referral. Within the record each item has a category and an owning agency:
 * - the owning agency always sees its own items (and sees that they are restricted, and why);
 * - a restriction naming the actor's agency (or its kind) hides the item, unless an exception covers it;
 * - an exception in force for the actor's agency and the category shares it without consent;
 * - basic details are shared with every agency with a relationship (it cannot work without them);
 * - otherwise consent in force for the actor's agency (or its kind) and the category shares it;
 * - break-glass shows the rest for its few hours.
 */

export type InvolvementFact = { agencyId: string; role: InvolvementRole; active: boolean };
export type ConsentFact = {
  id: string;
  decision: 'given' | 'refused';
  agencyIds: readonly string[];
  agencyTypes: readonly string[];
  categories: readonly string[];
  obtainedAt: Date;
  /** YYYY-MM-DD; after it a consent given shows as expired. */
  reviewDate: string | null;
  withdrawn: boolean;
};
export type ExceptionFact = { id: string; agencyIds: readonly string[]; categories: readonly string[]; reviewDate: string; ended: boolean };
export type RestrictionFact = {
  id: string;
  entryId: string | null;
  categories: readonly string[];
  agencyIds: readonly string[];
  agencyTypes: readonly string[];
  ended: boolean;
};
export type BreakGlassFact = { id: string; userId: string; startedAt: Date; expiresAt: Date };

export type PersonAccessFacts = {
  involvements: readonly InvolvementFact[];
  consents?: readonly ConsentFact[];
  exceptions?: readonly ExceptionFact[];
  restrictions?: readonly RestrictionFact[];
  breakGlass?: readonly BreakGlassFact[];
};

/** When the decision is taken: the instant (break-glass) and the London date (reviews). */
export type AccessMoment = { now: Date; today: string };

export type AccessBasis = 'involvement' | 'exception' | 'break_glass' | 'referrer' | 'none' | 'role';
export type PersonAccess =
  | { level: 'record'; via: AccessBasis; basis: string; expiresAt?: Date }
  | { level: 'referral-status'; via: AccessBasis; basis: string }
  | { level: 'none'; via: AccessBasis; basis: string };

export type ItemAccessBasis = 'own_agency' | 'exception' | 'basic_details' | 'consent' | 'break_glass' | 'restricted' | 'no_consent' | 'no_record';
export type ItemAccess = { allowed: boolean; via: ItemAccessBasis; basis: string; factId?: string };
export type Item = { category: InformationCategory; owningAgencyId: string; entryId?: string | null };

/** Roles that do casework. Administrators and auditors have no casework access of their own. */
export const PRACTICE_ROLES: readonly Role[] = ['practitioner', 'care_coordinator', 'team_manager'];

export function practises(actor: Actor): boolean {
  return actor.roles.some((role) => PRACTICE_ROLES.includes(role));
}

const ROLE_WORDS: Record<InvolvementRole, string> = {
  referrer: 'referred this person',
  receiving_service: 'received a referral for this person',
  lead_agency: 'is the lead agency for this person',
  partner: 'is involved in this person’s care',
};

const namesAgency = (fact: { agencyIds: readonly string[]; agencyTypes?: readonly string[] }, actor: Actor) =>
  fact.agencyIds.includes(actor.agencyId) || (fact.agencyTypes?.includes(actor.agencyType) ?? false);

export const exceptionInForce = (e: ExceptionFact, at: AccessMoment) => !e.ended && e.reviewDate >= at.today;
export const breakGlassInForce = (b: BreakGlassFact, actor: Actor, at: AccessMoment) => b.userId === actor.userId && b.startedAt <= at.now && at.now < b.expiresAt;
/** A consent given is in force until withdrawn or past its review date; a refusal until withdrawn. */
export const consentInForce = (c: ConsentFact, at: AccessMoment) => !c.withdrawn && (c.decision === 'refused' || (c.reviewDate !== null && c.reviewDate >= at.today));

export function decidePersonAccess(actor: Actor, facts: PersonAccessFacts, at: AccessMoment): PersonAccess {
  if (!practises(actor)) return { level: 'none', via: 'role', basis: 'Your role does not include casework.' };
  const ours = facts.involvements.filter((i) => i.active && i.agencyId === actor.agencyId);
  const involved = ours.find((i) => i.role !== 'referrer');
  if (involved) return { level: 'record', via: 'involvement', basis: `${actor.agencyName} ${ROLE_WORDS[involved.role]}.` };
  if ((facts.exceptions ?? []).some((e) => exceptionInForce(e, at) && e.agencyIds.includes(actor.agencyId))) {
    return { level: 'record', via: 'exception', basis: `Information is shared with ${actor.agencyName} without consent, under a recorded exception.` };
  }
  const glass = (facts.breakGlass ?? []).find((b) => breakGlassInForce(b, actor, at));
  if (glass) return { level: 'record', via: 'break_glass', basis: 'You used emergency access (break-glass), for a limited time.', expiresAt: glass.expiresAt };
  if (ours.some((i) => i.role === 'referrer')) return { level: 'referral-status', via: 'referrer', basis: `${actor.agencyName} ${ROLE_WORDS.referrer}.` };
  return { level: 'none', via: 'none', basis: `${actor.agencyName} is not involved with this person.` };
}

/** Whether consent in force shares this category with the actor's agency: a later refusal outweighs an earlier consent. */
export function consentShares(actor: Actor, facts: PersonAccessFacts, category: string, at: AccessMoment): ConsentFact | null {
  const covering = (facts.consents ?? []).filter((c) => consentInForce(c, at) && namesAgency(c, actor) && c.categories.includes(category));
  const given = covering.filter((c) => c.decision === 'given');
  const refusals = covering.filter((c) => c.decision === 'refused');
  return given.find((g) => !refusals.some((r) => r.obtainedAt >= g.obtainedAt)) ?? null;
}

export function decideItemAccess(actor: Actor, facts: PersonAccessFacts, item: Item, at: AccessMoment): ItemAccess {
  const person = decidePersonAccess(actor, facts, at);
  if (person.level !== 'record') return { allowed: false, via: 'no_record', basis: person.basis };
  const categoryName = CATEGORY_NAMES[item.category].toLowerCase();
  if (item.owningAgencyId === actor.agencyId) return { allowed: true, via: 'own_agency', basis: `${actor.agencyName} recorded this.` };
  const exception = (facts.exceptions ?? []).find((e) => exceptionInForce(e, at) && e.agencyIds.includes(actor.agencyId) && e.categories.includes(item.category));
  const restriction = (facts.restrictions ?? []).find(
    (r) => !r.ended && namesAgency(r, actor) && ((item.entryId && r.entryId === item.entryId) || (r.entryId === null && r.categories.includes(item.category))),
  );
  if (restriction && !exception) return { allowed: false, via: 'restricted', basis: 'The person asked that this is not shared with your agency.', factId: restriction.id };
  if (exception) return { allowed: true, via: 'exception', basis: `Shared without consent under a recorded exception covering ${categoryName}.`, factId: exception.id };
  if (item.category === 'basic_details') return { allowed: true, via: 'basic_details', basis: `Basic details are shared with every agency involved. ${person.basis}` };
  const consent = consentShares(actor, facts, item.category, at);
  if (consent) return { allowed: true, via: 'consent', basis: `The person consented to sharing ${categoryName} with ${actor.agencyName}.`, factId: consent.id };
  const glass = (facts.breakGlass ?? []).find((b) => breakGlassInForce(b, actor, at));
  if (glass) return { allowed: true, via: 'break_glass', basis: 'You used emergency access (break-glass).', factId: glass.id };
  return { allowed: false, via: 'no_consent', basis: `There is no consent in force to share ${categoryName} with ${actor.agencyName}.` };
}
