import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { consentInForce, exceptionInForce, type AccessMoment, type ConsentFact } from '../../platform/access/person-access.js';
import type { CONSENT_HOW } from '../../platform/access/schema.js';
import { CATEGORY_NAMES, INFORMATION_CATEGORIES, LAWFUL_BASES, SHARING_PURPOSES, type InformationCategory } from '../../platform/access/sharing-terms.js';
import { AGENCY_TYPES, AGENCY_TYPE_NAMES, type AgencyType } from '../directory/rules.js';

/**
 * The practice rules of consent and sharing (CON-1, CON-3, CON-4, CON-5) as pure functions: what a
 * consent decision, a restriction and an exception must say to be recorded, how each stands on a
 * given day, and who may undo them. Whether an item may be seen is decided elsewhere, once
 * (platform/access/person-access.ts); these rules only record the facts it reads, in its terms.
 */

export type Problem = { field: string; message: string };
export type Read<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };
/** Why a change is refused: the kind maps to the answer (404, 403, 409), the message is shown as it is. */
export type Refusal = { kind: 'not_found' | 'forbidden' | 'conflict'; message: string };

type ConsentHow = (typeof CONSENT_HOW)[number];

export const HOW_NAMES = {
  in_person: 'In person',
  phone: 'By telephone',
  written: 'In writing (a signed form or letter)',
  electronic: 'By email or electronic message',
  representative: 'Through a representative (an attorney, deputy or advocate)',
} satisfies Record<ConsentHow, string>;
const HOW = Object.keys(HOW_NAMES) as [ConsentHow, ...ConsentHow[]];

export const DECISION_NAMES = { given: 'Given', refused: 'Refused', withdrawn: 'Withdrawn' } as const;

/** CON-3: basic details are not restrictable; every agency involved needs them to work at all. */
export const RESTRICTABLE_CATEGORIES = INFORMATION_CATEGORIES.filter((c) => c !== 'basic_details');

/** The kinds of entry another module may ask to restrict one at a time (its own display checks who owns it). */

/** CON-4: what the decision-maker confirms before sharing without consent, every point of it. */
export const EXCEPTION_CHECKLIST = {
  necessary: 'Sharing is necessary for the purpose stated in the justification',
  proportionate: 'It is proportionate: only the minimum information needed is shared',
  consent_not_sought: 'Seeking consent would increase the risk, or is not possible',
  recipients_told: 'The recipients are told how they may, and may not, use the information',
  advice_sought: 'Advice was sought from the Caldicott guardian or information governance lead where it was needed',
} as const;
export type ChecklistPoint = keyof typeof EXCEPTION_CHECKLIST;
const CHECKLIST_POINTS = Object.keys(EXCEPTION_CHECKLIST) as [ChecklistPoint, ...ChecklistPoint[]];

export const LIMITS = { notes: 2000, consequences: 2000, reason: 2000, otherParties: 500, justification: { min: 50, max: 4000 }, notInformedReason: 1000 };
/** How far ahead a review may be set: consent is revisited within 3 years, an exception within 12 months. */
export const REVIEW_WITHIN_MONTHS = { consent: 36, exception: 12 };

// ---- Dates (YYYY-MM-DD, London) ---------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/** The same day `months` later, or the month's last day when it has no such day (31 January + 1 month = 28 or 29 February). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const [y, m] = [Math.floor(index / 12), index % 12];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return `${y}-${pad(m + 1)}-${pad(Math.min(day, last))}`;
}

// ---- Reading input: every field checked on its own, then the rules between fields --------------

const capitalised = (text: string) => text[0]!.toUpperCase() + text.slice(1);

const requiredText = (label: string, max: number) =>
  z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).max(max, `${capitalised(label)} must be ${max} characters or fewer`);
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${capitalised(label)} must be text` })
    .trim()
    .max(max, `${capitalised(label)} must be ${max} characters or fewer`)
    .nullish()
    .transform((value) => value || null);
/** A YYYY-MM-DD date: "Enter the review date" when it is missing, "The review date must be a real date" when it is not one. */
const isoDate = (label: string) =>
  z.iso.date({ error: (issue) => (issue.input === undefined || issue.input === null || issue.input === '' ? `Enter ${label}` : `${capitalised(label)} must be a real date`) });
const pastDate = (label: string, today: string) => isoDate(label).refine((value) => value <= today, `${capitalised(label)} cannot be in the future`);
const agencyList = z.array(z.uuid({ error: 'Select agencies from the list' }), { error: 'Select agencies from the list' }).default([]);
const kindList = z.array(z.enum(AGENCY_TYPES, { error: 'Select kinds of agency from the list' }), { error: 'Select kinds of agency from the list' }).default([]);
const categoryList = (empty: string) =>
  z.array(z.enum(INFORMATION_CATEGORIES, { error: 'Select information from the list' }), { error: empty }).min(1, empty);
const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message });

type Shape = Record<string, z.ZodType>;
type Values<S extends Shape> = { [K in keyof S]: z.output<S[K]> };

/**
 * Each field parsed on its own, so every problem is reported at once; the rules between fields
 * (`check`) see only the fields that were read, and add their problems. Problems come back in the
 * form's order, which is the order of the shape.
 */
function readWith<S extends Shape, T>(
  shape: S,
  input: unknown,
  check: (values: Partial<Values<S>>, problem: (field: keyof S & string, message: string) => void, faulty: (field: keyof S & string) => boolean) => void,
  build: (values: Values<S>) => T,
  earlier: readonly Problem[] = [],
): Read<T> {
  const source = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const values: Partial<Values<S>> = {};
  const problems: Problem[] = [...earlier];
  const faulty = (field: string) => problems.some((p) => p.field === field);
  for (const field of Object.keys(shape) as (keyof S & string)[]) {
    if (faulty(field)) continue;
    const parsed = shape[field]!.safeParse(source[field]);
    if (parsed.success) values[field] = parsed.data as Values<S>[typeof field];
    else problems.push({ field, message: parsed.error.issues[0]!.message });
  }
  check(values, (field, message) => {
    if (!faulty(field)) problems.push({ field, message });
    delete values[field];
  }, faulty);
  if (problems.length === 0) return { ok: true, value: build(values as Values<S>) };
  const order = Object.keys(shape);
  const place = (p: Problem) => (order.includes(p.field) ? order.indexOf(p.field) : -1);
  return { ok: false, problems: problems.sort((a, b) => place(a) - place(b)) };
}

const unlisted = (chosen: readonly string[] | undefined, offered: readonly string[]) => (chosen ?? []).some((id) => !offered.includes(id));

/** What the form and the API may send to record a consent decision (CON-1); the rules between fields are in `readConsent`. */
export const consentFields = (today: string) => ({
  decision: z.enum(['given', 'refused'], { error: 'Select whether the person gave or refused consent' }),
  agencyIds: agencyList.describe('Agencies the decision is about (ids from the directory)'),
  agencyTypes: kindList.describe('Kinds of agency the decision is about, e.g. "housing": every agency of that kind'),
  categories: categoryList('Select the information the decision covers'),
  purposes: z.array(z.enum(SHARING_PURPOSES, { error: 'Select purposes from the list' }), { error: 'Select what the information may be used for' }).min(1, 'Select what the information may be used for'),
  obtainedHow: z.enum(HOW, { error: 'Select how the decision was given' }),
  obtainedOn: pastDate('the date of the decision', today).describe('YYYY-MM-DD'),
  reviewDate: isoDate('the review date').nullish().describe('YYYY-MM-DD; required when consent is given'),
  notes: optionalText('the notes', LIMITS.notes),
  consequences: optionalText('what the person was told cannot be offered', LIMITS.consequences).describe('CON-5: for a refusal, what the person was told cannot be offered without consent'),
});
export type ConsentInput = {
  decision: 'given' | 'refused';
  agencyIds: string[];
  agencyTypes: AgencyType[];
  categories: InformationCategory[];
  purposes: (typeof SHARING_PURPOSES)[number][];
  obtainedHow: ConsentHow;
  obtainedOn: string;
  reviewDate: string | null;
  notes: string | null;
  consequences: string | null;
};

/** A consent decision (CON-1): with whom, what, for what, how and when; consent given has a review date; a refusal says what it costs (CON-5). */
export function readConsent(input: unknown, context: { today: string; agencyIds: readonly string[] }, earlier: readonly Problem[] = []): Read<ConsentInput> {
  const latestReview = addMonths(context.today, REVIEW_WITHIN_MONTHS.consent);
  return readWith(
    consentFields(context.today),
    input,
    (v, problem) => {
      if (unlisted(v.agencyIds, context.agencyIds)) problem('agencyIds', 'Select agencies from the list');
      else if (v.agencyIds?.length === 0 && v.agencyTypes?.length === 0) problem('agencyIds', 'Select the agencies or kinds of agency the decision is about');
      if (v.decision === 'given' && !v.reviewDate) problem('reviewDate', 'Enter the date consent will be reviewed');
      else if (v.reviewDate && v.obtainedOn && v.reviewDate <= v.obtainedOn) problem('reviewDate', 'The review date must be after the date of the decision');
      else if (v.reviewDate && v.reviewDate > latestReview) problem('reviewDate', 'The review date must be within 3 years of today');
      if (v.decision === 'refused' && !v.consequences) problem('consequences', 'Enter what the person was told cannot be offered without their consent');
    },
    (v) => ({ ...v, reviewDate: v.reviewDate ?? null, consequences: v.decision === 'refused' ? v.consequences : null }),
    earlier,
  );
}

export const withdrawalFields = (today: string) => ({
  withdrawnOn: pastDate('the date consent was withdrawn', today).describe('YYYY-MM-DD'),
  obtainedHow: z.enum(HOW, { error: 'Select how the person withdrew consent' }),
  notes: optionalText('the notes', LIMITS.notes),
});
export type WithdrawalInput = { withdrawnOn: string; obtainedHow: ConsentHow; notes: string | null };

/** A withdrawal: when and how the person said so. It cannot predate the consent it withdraws. */
export function readWithdrawal(input: unknown, context: { today: string; consentGivenOn: string }, earlier: readonly Problem[] = []): Read<WithdrawalInput> {
  return readWith(
    withdrawalFields(context.today),
    input,
    (v, problem) => {
      if (v.withdrawnOn && v.withdrawnOn < context.consentGivenOn) problem('withdrawnOn', 'The date consent was withdrawn cannot be before it was given');
    },
    (v) => v,
    earlier,
  );
}

export const restrictionFields = {
  entryType: z.string({ error: 'Say which kind of entry to restrict' }).max(40, 'Say which kind of entry to restrict').nullish().describe('With entryId: restrict this one entry, of this kind (e.g. note)'),
  entryId: z.uuid({ error: 'The entry to restrict is not one Concord knows: open it and choose “Restrict this entry” again' }).nullish(),
  categories: z.array(z.enum(INFORMATION_CATEGORIES, { error: 'Select information from the list' }), { error: 'Select information from the list' }).default([]).describe('Without an entry: every item in these categories'),
  agencyIds: agencyList.describe('Agencies that must not see it'),
  agencyTypes: kindList.describe('Kinds of agency that must not see it'),
  otherParties: optionalText('who else must not be told', LIMITS.otherParties).describe('People outside Concord, e.g. "her partner"'),
  reason: requiredText('the reason the person gave', LIMITS.reason),
};
export type RestrictionInput = {
  entryType: string | null;
  entryId: string | null;
  categories: InformationCategory[];
  agencyIds: string[];
  agencyTypes: AgencyType[];
  otherParties: string | null;
  reason: string;
};

/** CON-3: one entry, or categories of information (never basic details), kept from named parties for a reason. */
/** The kinds of entry that may be restricted on their own (the entry registry's), by name and what they are called. */
export type RestrictableKind = { type: string; noun: string };

const onlyKinds = (kinds: readonly RestrictableKind[]) =>
  kinds.length === 1 ? `Only a ${kinds[0]!.noun} can be restricted on its own` : `Only these can be restricted on their own: ${kinds.map((k) => k.noun).join(', ')}`;

export function readRestriction(input: unknown, context: { agencyIds: readonly string[]; entryKinds: readonly RestrictableKind[] }): Read<RestrictionInput> {
  return readWith(
    restrictionFields,
    input,
    (v, problem, faulty) => {
      if (v.entryType && !context.entryKinds.some((k) => k.type === v.entryType)) problem('entryType', onlyKinds(context.entryKinds));
      const entry = Boolean(v.entryType || v.entryId) || faulty('entryType') || faulty('entryId');
      if (entry && !(v.entryType && v.entryId) && !faulty('entryType') && !faulty('entryId')) problem('entryId', 'Say which entry to restrict: open it and choose “Restrict this entry” again');
      if (entry && v.categories?.length) problem('categories', 'Restrict either one entry or categories of information, not both');
      else if (!entry && v.categories?.length === 0) problem('categories', 'Select the information the person does not want shared');
      else if (v.categories?.includes('basic_details')) problem('categories', 'Basic details cannot be restricted: every agency involved needs them to help the person');
      if (unlisted(v.agencyIds, context.agencyIds)) problem('agencyIds', 'Select agencies from the list');
      else if (v.agencyIds?.length === 0 && v.agencyTypes?.length === 0 && v.otherParties === null) problem('agencyIds', 'Say who must not see it: agencies, kinds of agency or other people');
    },
    (v) => ({ ...v, entryType: v.entryType ?? null, entryId: v.entryId ? v.entryId.toLowerCase() : null }),
  );
}

export const exceptionFields = (today: string) => ({
  lawfulBasis: z.enum(LAWFUL_BASES, { error: 'Select the lawful basis for sharing without consent' }),
  justification: z
    .string({ error: 'Enter why sharing without consent is justified' })
    .trim()
    .min(LIMITS.justification.min, `The justification must be at least ${LIMITS.justification.min} characters: say what the risk is and why sharing is needed`)
    .max(LIMITS.justification.max, `The justification must be ${LIMITS.justification.max} characters or fewer`),
  categories: categoryList('Select the information to be shared'),
  agencyIds: agencyList.describe('The agencies that receive it'),
  reviewDate: isoDate('the review date').refine((value) => value > today, 'The review date must be after today').describe('YYYY-MM-DD, within 12 months'),
  personInformed: yesNo('Select whether the person has been told'),
  notInformedReason: optionalText('why the person has not been told', LIMITS.notInformedReason),
  checklist: z.array(z.enum(CHECKLIST_POINTS, { error: 'Confirm points from the checklist' }), { error: 'Confirm each point of the checklist' }).default([]).describe('Every point of the checklist, confirmed'),
});
export type ExceptionInput = {
  lawfulBasis: (typeof LAWFUL_BASES)[number];
  justification: string;
  categories: InformationCategory[];
  agencyIds: string[];
  reviewDate: string;
  personInformed: 'yes' | 'no';
  notInformedReason: string | null;
  checklist: ChecklistPoint[];
};

/** The checklist points not confirmed, in the checklist's order. */
export const unconfirmed = (confirmed: readonly string[]) => CHECKLIST_POINTS.filter((point) => !confirmed.includes(point));

const listed = (items: readonly string[], last = 'and') => (items.length > 1 ? `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}` : (items[0] ?? ''));

/** CON-4: a lawful basis, a justification, the scope and recipients, a review within 12 months, whether the person knows, and the checklist confirmed. */
export function readException(input: unknown, context: { today: string; agencyIds: readonly string[]; ownAgencyId: string }, earlier: readonly Problem[] = []): Read<ExceptionInput> {
  const latestReview = addMonths(context.today, REVIEW_WITHIN_MONTHS.exception);
  return readWith(
    exceptionFields(context.today),
    input,
    (v, problem) => {
      if (unlisted(v.agencyIds, context.agencyIds)) problem('agencyIds', 'Select agencies from the list');
      else if (v.agencyIds?.includes(context.ownAgencyId)) problem('agencyIds', 'Your own agency cannot be a recipient: choose the agencies the information is shared with');
      else if (v.agencyIds?.length === 0) problem('agencyIds', 'Select the agencies the information is shared with');
      if (v.reviewDate && v.reviewDate > latestReview) problem('reviewDate', 'The review date must be within 12 months of today');
      if (v.personInformed === 'no' && !v.notInformedReason) problem('notInformedReason', 'Say why the person has not been told');
      const missing = v.checklist ? unconfirmed(v.checklist) : [];
      if (missing.length) problem('checklist', `Confirm every point of the checklist before sharing without consent. Not confirmed: ${missing.map((p) => EXCEPTION_CHECKLIST[p].toLowerCase()).join('; ')}`);
    },
    (v) => ({ ...v, notInformedReason: v.personInformed === 'no' ? v.notInformedReason : null }),
    earlier,
  );
}

export const endFields = { reason: requiredText('the reason', LIMITS.reason) };
export function readEnd(input: unknown): Read<{ reason: string }> {
  return readWith(endFields, input, () => undefined, (v) => v);
}

// ---- Storing what the schema keeps as text or JSON ----------------------------------------------

/** Whether the person was told of sharing without consent, as the exception keeps it: "yes", or "no: " and why not. */
export function personInformedText(input: Pick<ExceptionInput, 'personInformed' | 'notInformedReason'>): string {
  return input.personInformed === 'yes' ? 'yes' : `no: ${input.notInformedReason}`;
}
export function personInformedOf(text: string): { informed: boolean; whyNot: string | null } {
  return text === 'yes' ? { informed: true, whyNot: null } : { informed: false, whyNot: text.replace(/^no:\s*/, '') || null };
}

/** The checklist as confirmed, with the words confirmed, so the record still reads right if the wording changes later. */
export function checklistRecord(confirmed: readonly ChecklistPoint[]) {
  return CHECKLIST_POINTS.map((point) => ({ point, statement: EXCEPTION_CHECKLIST[point], confirmed: confirmed.includes(point) }));
}

// ---- How each stands today ----------------------------------------------------------------------

export type ConsentStatus = 'given' | 'refused' | 'expired' | 'withdrawn';
export const CONSENT_STATUS_NAMES: Record<ConsentStatus, string> = { given: 'Given', refused: 'Refused', expired: 'Expired', withdrawn: 'Withdrawn' };

/** CON-1: consent given shows as expired after its review date; withdrawn once the person withdraws it. */
export function consentStatus(consent: ConsentFact, at: AccessMoment): ConsentStatus {
  if (consent.withdrawn) return 'withdrawn';
  if (consent.decision === 'refused') return 'refused';
  return consentInForce(consent, at) ? 'given' : 'expired';
}

/** Only consent given and still in force can be withdrawn: a refusal is replaced by a new decision, an expired consent no longer shares anything. */
export function withdrawalRefusal(consent: ConsentFact | null, at: AccessMoment): Refusal | null {
  if (!consent) return { kind: 'not_found', message: 'There is no consent decision with that reference for this person.' };
  switch (consentStatus(consent, at)) {
    case 'withdrawn':
      return { kind: 'conflict', message: 'This consent has already been withdrawn.' };
    case 'refused':
      return { kind: 'conflict', message: 'Consent was refused, so there is nothing to withdraw. If the person now agrees, record a new decision.' };
    case 'expired':
      return { kind: 'conflict', message: 'This consent has expired (its review date has passed), so it no longer allows sharing and there is nothing to withdraw.' };
    default:
      return null;
  }
}

export type ExceptionStatus = 'in_force' | 'review_passed' | 'ended';
export const EXCEPTION_STATUS_NAMES: Record<ExceptionStatus, string> = { in_force: 'In force', review_passed: 'Review date passed', ended: 'Ended' };

/** CON-4: an exception shares until it is ended or its review date passes; after that it must be decided again. */
export function exceptionStatus(exception: { agencyIds: readonly string[]; categories: readonly string[]; reviewDate: string; ended: boolean; id: string }, at: AccessMoment): ExceptionStatus {
  if (exception.ended) return 'ended';
  return exceptionInForce(exception, at) ? 'in_force' : 'review_passed';
}

/** CON-3: a restriction is shown, whole, to the agency that recorded it and to no one else, least of all the parties it names. */
export const restrictionShownTo = (actor: Pick<Actor, 'agencyId'>, restriction: { recordedByAgency: string }) => restriction.recordedByAgency === actor.agencyId;

/** Only the agency that recorded a restriction may lift it; to anyone else it does not exist. */
export function liftRefusal(actor: Pick<Actor, 'agencyId'>, restriction: { recordedByAgency: string; ended: boolean } | null): Refusal | null {
  if (!restriction || !restrictionShownTo(actor, restriction)) return { kind: 'not_found', message: 'There is no restriction with that reference for this person.' };
  if (restriction.ended) return { kind: 'conflict', message: 'This restriction has already been lifted.' };
  return null;
}

/** Only a team manager (the route's permission) in the agency that decided an exception may end it. */
export function endExceptionRefusal(actor: Pick<Actor, 'agencyId'>, exception: { decidedByAgency: string; ended: boolean } | null, decidingAgencyName: string): Refusal | null {
  if (!exception) return { kind: 'not_found', message: 'There is no exception with that reference for this person.' };
  if (exception.decidedByAgency !== actor.agencyId) return { kind: 'forbidden', message: `Only a team manager in ${decidingAgencyName}, which decided to share without consent, can end this exception.` };
  if (exception.ended) return { kind: 'conflict', message: 'This exception has already been ended.' };
  return null;
}

// ---- Consequences of refusal (CON-5) ------------------------------------------------------------

export type Party = { agencyId: string } | { agencyType: string };
export type RefusedParty = Party & { categories: InformationCategory[] };

const sameParty = (a: Party, b: Party) => ('agencyId' in a && 'agencyId' in b ? a.agencyId === b.agencyId : 'agencyType' in a && 'agencyType' in b && a.agencyType === b.agencyType);
const partiesOf = (fact: { agencyIds: readonly string[]; agencyTypes: readonly string[] }): Party[] => [
  ...fact.agencyIds.map((agencyId) => ({ agencyId })),
  ...fact.agencyTypes.map((agencyType) => ({ agencyType })),
];

/**
 * What each refusal in force still keeps from whom: for each agency or kind of agency it names, the
 * categories no later consent in force gives back to that same party (a later decision outweighs an
 * earlier one, as the access decision has it). Refusals that keep nothing any more are left out.
 * A later consent naming an agency's kind gives that agency back what an earlier refusal naming it kept.
 */
export function standingRefusals<C extends ConsentFact>(consents: readonly C[], at: AccessMoment, typeOf: (agencyId: string) => string | undefined = () => undefined) {
  const later = (refusal: C) => consents.filter((c) => c.decision === 'given' && consentInForce(c, at) && c.obtainedAt > refusal.obtainedAt);
  const covers = (consent: C, party: Party, category: string) =>
    consent.categories.includes(category) &&
    (partiesOf(consent).some((p) => sameParty(p, party)) || ('agencyId' in party && consent.agencyTypes.includes(typeOf(party.agencyId) ?? '')));
  return consents
    .filter((c) => c.decision === 'refused' && consentInForce(c, at))
    .map((refusal) => ({
      refusal,
      parties: partiesOf(refusal)
        .map((party) => ({ ...party, categories: (refusal.categories as InformationCategory[]).filter((category) => !later(refusal).some((c) => covers(c, party, category))) }))
        .filter((party) => party.categories.length > 0),
    }))
    .filter((standing) => standing.parties.length > 0);
}

export type DirectoryAgency = { id: string; name: string; type: string; active: boolean };
export type DirectoryTeam = { id: string; name: string; agencyId: string; active: boolean };

/** The services (active teams) that cannot receive what a refusal keeps: those of the agencies named, and of every agency of the kinds named. */
export function servicesWithout(parties: readonly Party[], agencies: readonly DirectoryAgency[], teams: readonly DirectoryTeam[]) {
  const reached = new Map(agencies.filter((a) => a.active && parties.some((p) => ('agencyId' in p ? p.agencyId === a.id : p.agencyType === a.type))).map((a) => [a.id, a]));
  return teams
    .filter((t) => t.active && reached.has(t.agencyId))
    .map((t) => ({ teamId: t.id, teamName: t.name, agencyName: reached.get(t.agencyId)!.name }))
    .sort((a, b) => a.agencyName.localeCompare(b.agencyName) || a.teamName.localeCompare(b.teamName));
}

/** "Harbour Housing Options", or "any housing agency" for a kind. */
export function partyName(party: Party, agencyNames: ReadonlyMap<string, string>): string {
  if ('agencyId' in party) return agencyNames.get(party.agencyId) ?? 'An agency no longer in the directory';
  const kind = AGENCY_TYPE_NAMES[party.agencyType as AgencyType] ?? party.agencyType;
  return `any agency of the kind “${kind}”`;
}

/** CON-5 in words: who cannot be told what, because the person refused. */
export function refusalWording(parties: readonly RefusedParty[], agencyNames: ReadonlyMap<string, string>): string[] {
  return parties.map((party) => {
    const who = partyName(party, agencyNames);
    const what = listed(party.categories.map((c) => CATEGORY_NAMES[c].toLowerCase()), 'or');
    return `${capitalised(who)} cannot be given information about ${what} without the person’s consent.`;
  });
}
