import { z } from 'zod';
import { dailySchema } from '../../platform/daily-schema.js';
import type { PersonAccess } from '../../platform/access/person-access.js';

/**
 * Identity rules for the person record (REC-1, REF-8): checking NHS numbers, and the
 * normalisation that lets "is this person already known?" tolerate typos, swapped names
 * and nicknames.
 */

/** NHS numbers are 10 digits; the 10th is a modulus 11 check digit over the first 9 (weights 10 down to 2). */
export function isValidNhsNumber(input: string): boolean {
  const digits = normaliseNhsNumber(input);
  if (!/^\d{10}$/.test(digits)) return false;
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(digits[i]) * (10 - i);
  const check = 11 - (total % 11);
  if (check === 10) return false; // no valid number has this remainder
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** "943 476 5919" and "943-476-5919" are the same number. */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** "943 476 5919": the way NHS numbers are read out and printed. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/;

/** "sw1a1aa" → "SW1A 1AA"; null when it is not the shape of a UK postcode. */
export function normalisePostcode(input: string): string | null {
  const match = UK_POSTCODE.exec(input.trim().toUpperCase().replace(/\s+/g, ''));
  return match ? `${match[1]} ${match[2]}` : null;
}

/** Lower case, accents and punctuation removed, single spaces: how names are compared. */
export function normaliseName(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s'-]/g, ' ')
    .replace(/['-]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Common English short forms and the given names they stand for. Matching expands a searched
 * given name to every formal name it may stand for, and back.
 */
const NICKNAMES: Record<string, string[]> = {
  abby: ['abigail'], al: ['alan', 'albert', 'alexander', 'alfred'], alex: ['alexander', 'alexandra'], alf: ['alfred'],
  andy: ['andrew'], annie: ['ann', 'anne', 'anna'], ben: ['benjamin'], beth: ['elizabeth', 'bethany'], bill: ['william'],
  billy: ['william'], bob: ['robert'], bobby: ['robert'], cathy: ['catherine', 'cathryn'], charlie: ['charles', 'charlotte'],
  chris: ['christopher', 'christine', 'christina'], dan: ['daniel'], danny: ['daniel'], dave: ['david'], debbie: ['deborah'],
  di: ['diana', 'diane'], dick: ['richard'], ed: ['edward', 'edmund'], eddie: ['edward'], ellie: ['eleanor', 'elizabeth'],
  fred: ['frederick'], freddie: ['frederick'], gerry: ['gerald', 'geraldine'], harry: ['henry', 'harold'], jack: ['john'],
  jim: ['james'], jimmy: ['james'], jo: ['joanne', 'josephine', 'joanna'], joe: ['joseph'], johnny: ['john'], jon: ['jonathan'],
  kate: ['katherine', 'catherine', 'kathleen'], katie: ['katherine', 'catherine'], ken: ['kenneth'], kim: ['kimberley'],
  larry: ['lawrence'], len: ['leonard'], liz: ['elizabeth'], lizzie: ['elizabeth'], maggie: ['margaret'], matt: ['matthew'],
  meg: ['margaret'], mick: ['michael'], mike: ['michael'], mo: ['maureen', 'mohammed', 'muhammad'], nat: ['natalie', 'nathan'],
  nick: ['nicholas'], pat: ['patrick', 'patricia'], peggy: ['margaret'], pete: ['peter'], phil: ['philip'], rob: ['robert'],
  ron: ['ronald'], sam: ['samuel', 'samantha'], sandy: ['sandra', 'alexander'], steve: ['stephen', 'steven'], sue: ['susan'],
  ted: ['edward'], terry: ['terence', 'teresa'], tom: ['thomas'], tommy: ['thomas'], tony: ['anthony'], vicky: ['victoria'],
  will: ['william'], zac: ['zachary'],
};

const FORMAL_TO_SHORT = new Map<string, string[]>();
for (const [short, formals] of Object.entries(NICKNAMES)) {
  for (const formal of formals) FORMAL_TO_SHORT.set(formal, [...(FORMAL_TO_SHORT.get(formal) ?? []), short]);
}

/** The name itself plus every formal name or short form it is commonly used for. */
export function givenNameVariants(given: string): string[] {
  const name = normaliseName(given);
  if (!name) return [];
  return [...new Set([name, ...(NICKNAMES[name] ?? []), ...(FORMAL_TO_SHORT.get(name) ?? [])])];
}

// ---- Input --------------------------------------------------------------------------------------

const text = (label: string, max: number) =>
  z.string({ error: `Enter the ${label}` }).trim().min(1, `Enter the ${label}`).max(max, `The ${label} must be ${max} characters or fewer`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${label} must be ${max} characters or fewer`)
    .optional()
    .nullable()
    .transform((value) => (value ? value : null));

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date of birth: a real calendar date, not in the future, not before 1900. `today` is passed in to keep this pure. */
export function dateOfBirthProblem(value: string, today: string): string | null {
  if (!ISO_DATE.test(value)) return 'Enter the date of birth as a real date, like 27 3 1980';
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return 'Enter the date of birth as a real date, like 27 3 1980';
  }
  if (value > today) return 'The date of birth must be in the past';
  if (y < 1900) return 'The date of birth must be after 1900';
  return null;
}

const optionalDateOfBirth = (today: string) =>
  z
    .string()
    .trim()
    .optional()
    .nullable()
    .transform((value) => (value ? value : null))
    .superRefine((value, ctx) => {
      const problem = value === null ? null : dateOfBirthProblem(value, today);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const optionalNhsNumber = z
  .string()
  .trim()
  .optional()
  .nullable()
  .transform((value) => (value ? normaliseNhsNumber(value) : null))
  .refine((value) => value === null || isValidNhsNumber(value), 'Enter a valid NHS number: 10 digits, like 943 476 5919');

const optionalPostcode = z
  .string()
  .trim()
  .optional()
  .nullable()
  .transform((value) => (value ? value : null))
  .refine((value) => value === null || normalisePostcode(value) !== null, 'Enter a real postcode, like NE1 4ST')
  .transform((value) => (value === null ? null : normalisePostcode(value)));

export const GENDER_NAMES = {
  female: 'Female',
  male: 'Male',
  non_binary: 'Non-binary',
  other: 'Other',
  not_known: 'Not known',
  prefers_not_to_say: 'Prefers not to say',
} as const;

export const personInput = dailySchema((today: string) =>
  z.object({
    givenName: text('first name', 100),
    middleNames: optionalText('middle names', 100),
    familyName: text('last name', 100),
    preferredName: optionalText('preferred name', 100),
    dateOfBirth: optionalDateOfBirth(today),
    nhsNumber: optionalNhsNumber,
    gender: z.enum(Object.keys(GENDER_NAMES) as [keyof typeof GENDER_NAMES], { error: 'Select a gender, or “Not known”' }).optional().nullable().transform((v) => v ?? null),
    addressLine1: optionalText('address line 1', 120),
    addressLine2: optionalText('address line 2', 120),
    town: optionalText('town or city', 80),
    postcode: optionalPostcode,
    phone: optionalText('telephone number', 30),
    email: optionalText('email address', 254),
    communicationNeeds: optionalText('communication needs', 1000),
    interpreterLanguage: optionalText('interpreter language', 60),
  }));
export type PersonInput = z.infer<ReturnType<typeof personInput>>;

/** "Is this person already known?": at least one way to find them, and enough of a name to match on. */
export const searchInput = dailySchema((today: string) =>
  z
    .object({
      name: z.string().trim().max(200, 'The name must be 200 characters or fewer').optional().transform((v) => v || null),
      dateOfBirth: optionalDateOfBirth(today),
      nhsNumber: optionalNhsNumber,
      postcode: optionalPostcode,
    })
    .superRefine((value, ctx) => {
      if (!value.name && !value.dateOfBirth && !value.nhsNumber && !value.postcode) {
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter a name, date of birth, NHS number or postcode to search for' });
      } else if (value.name && normaliseName(value.name).replace(/\s/g, '').length < 2) {
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter at least 2 letters of the name' });
      }
    }));
export type SearchInput = z.infer<ReturnType<typeof searchInput>>;

/**
 * What a person search is for. REF-8's known check ("is this person already known, and to whom?")
 * belongs to a team that receives referrals, and only for a query that identifies one person; every
 * other search finds only people the searcher already works with.
 */
export type SearchPurpose = 'known_check' | 'relationship';

/** How long a search result may lead on to a page or an action about a person it showed. */
export const SHOWN_BY_SEARCH_FOR_MS = 60 * 60_000;

/** When a search must have shown the person for a page or action at `now` to follow on from it. */
export function shownBySearchWindow(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - SHOWN_BY_SEARCH_FOR_MS), to: new Date(now.getTime() + 1) };
}

/**
 * Whether a page or action that comes with a person's id (a referral for them, emergency access to
 * their record) may go on: the actor already has a relationship with the person (they open the record,
 * or their agency referred them and sees the referral's status), or a search showed them this person a
 * moment ago. "Is this person known?" is a purpose, not a browse: any other id answers as one that does
 * not exist, so such a page cannot be used to find out who exists.
 */
export function followsOnFromSearch(access: PersonAccess['level'], shownBySearch: boolean): boolean {
  return access !== 'none' || shownBySearch;
}

/**
 * A query identifies someone when it gives a valid NHS number, or a first and last name with a full
 * date of birth. A postcode, a name alone or a date of birth alone describes many people: answering
 * those from everyone would let anyone browse who is known to which services.
 */
export function identifiesSomeone(sought: Pick<SearchInput, 'name' | 'dateOfBirth' | 'nhsNumber'>): boolean {
  if (sought.nhsNumber) return true;
  const words = sought.name ? normaliseName(sought.name).split(' ').filter(Boolean) : [];
  return words.length >= 2 && sought.dateOfBirth !== null;
}

/** How a typed name is matched: first and last in either order, and every nickname of the first. */
export function nameQuery(name: string): { given: string[]; family: string } | null {
  const parts = normaliseName(name).split(' ').filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length === 1) return { given: givenNameVariants(parts[0]!), family: parts[0]! };
  return { given: givenNameVariants(parts[0]!), family: parts[parts.length - 1]! };
}

/** How close a name must be, with nothing contradicting it, to be "likely the same person" on its own. */
export const LIKELY_NAME_SCORE = 1.5;
/**
 * With the same date of birth, a name scoring more than a family name alone does (1): both words are
 * like the ones sought ("Jon Smyth" for John Smith scores about 1.1), which at the same birth date is
 * worth a second look, though twins may be shown too.
 */
export const LIKELY_NAME_SCORE_WITH_DATE_OF_BIRTH = 1.05;

/**
 * REF-8: whether a person found is probably the one sought. One rule for the search's "Likely match"
 * and for the duplicate check before a new person is added, so neither misses what the other shows.
 */
export function isLikelyMatch(found: { nameScore: number; dateOfBirth: string | null; nhsNumber: string | null }, sought: { dateOfBirth: string | null; nhsNumber: string | null }): boolean {
  if (sought.nhsNumber !== null && found.nhsNumber === sought.nhsNumber) return true;
  const sameBirth = sought.dateOfBirth !== null && found.dateOfBirth === sought.dateOfBirth;
  const contradicted = sought.dateOfBirth !== null && found.dateOfBirth !== null && !sameBirth;
  if (contradicted) return false;
  return found.nameScore >= (sameBirth ? LIKELY_NAME_SCORE_WITH_DATE_OF_BIRTH : LIKELY_NAME_SCORE);
}

export const childInput = dailySchema((today: string) =>
  z.object({
    childName: text('child’s name', 120),
    childDateOfBirth: optionalDateOfBirth(today),
    relationship: z.enum(['dependent', 'significant_contact'], { error: 'Select whether the child is a dependant or someone the person has significant contact with' }),
    livesWithPerson: z.enum(['yes', 'no'], { error: 'Select whether the child lives with the person' }).transform((v) => v === 'yes'),
    notes: optionalText('notes', 1000),
  }));

export const inquiryInput = z.object({
  about: text('person or family the inquiry is about', 300),
  inquirerName: text('name of the person asking', 120),
  inquirerOrganisation: optionalText('organisation', 120),
  inquirerContact: optionalText('contact details', 200),
  channel: z.enum(['phone', 'letter', 'email', 'in_person', 'electronic'], { error: 'Select how the inquiry came in' }),
  reason: text('reason they gave for asking', 1000),
  response: text('response given', 2000),
});
