import type pg from 'pg';
import { formatNhsNumber, givenNameVariants, normaliseName } from '../../src/modules/people/rules.js';
import { personIdOf } from './population.js';

/**
 * What a duty worker types into "Is this person already known?", built from people really in the
 * bench database, so that each search has one right answer and the run can say whether it was found.
 */
export const SEARCH_KINDS = [
  'exact name',
  'name with a typo',
  'swapped names',
  'nickname',
  'family name only',
  'name and date of birth',
  'NHS number only',
  'postcode and family name',
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export type SearchCase = { kind: SearchKind; input: Record<string, string>; personId: string };

type Sought = { id: string; givenName: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null; postcode: string | null };

/** `count` searches, the kinds taking turns, about people drawn at random (seeded, so every run asks the same). */
export async function searchCases(pool: pg.Pool, count: number, people: number, seed: number): Promise<SearchCase[]> {
  const random = seededRandom(seed);
  const ids = Array.from({ length: count * 4 }, () => personIdOf(1 + Math.floor(random() * people)));
  const { rows } = await pool.query<Sought>(
    `select id, given_name as "givenName", family_name as "familyName", date_of_birth::text as "dateOfBirth", nhs_number as "nhsNumber", postcode
     from person where id = any($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const drawn = ids.map((id) => byId.get(id)).filter((row): row is Sought => row !== undefined);
  if (drawn.length === 0) throw new Error('None of the people the searches look for is in the database: was it generated?');

  const cases: SearchCase[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const kind = SEARCH_KINDS[i % SEARCH_KINDS.length]!;
    // The next person the kind makes sense for (a nickname needs a name that has one, and so on).
    for (let tries = 0; ; tries++) {
      if (tries > drawn.length) throw new Error(`No person in the sample suits a "${kind}" search.`);
      const person = drawn[next++ % drawn.length]!;
      const input = inputFor(kind, person, random);
      if (input) {
        cases.push({ kind, input, personId: person.id });
        break;
      }
    }
  }
  return cases;
}

function inputFor(kind: SearchKind, person: Sought, random: () => number): Record<string, string> | null {
  const { givenName, familyName } = person;
  switch (kind) {
    case 'exact name':
      return { name: `${givenName} ${familyName}` };
    case 'name with a typo':
      return { name: `${givenName} ${typo(familyName, random)}` };
    case 'swapped names':
      return { name: `${familyName} ${givenName}` };
    case 'nickname': {
      const others = givenNameVariants(givenName).filter((v) => v !== normaliseName(givenName));
      return others.length ? { name: `${capitalise(others[Math.floor(random() * others.length)]!)} ${familyName}` } : null;
    }
    case 'family name only':
      return { name: familyName };
    case 'name and date of birth':
      return person.dateOfBirth ? { name: `${givenName} ${familyName}`, dateOfBirth: person.dateOfBirth } : null;
    case 'NHS number only':
      return person.nhsNumber ? { nhsNumber: formatNhsNumber(person.nhsNumber) } : null;
    case 'postcode and family name':
      // Typed as people type them: lower case, no space.
      return person.postcode ? { name: familyName, postcode: person.postcode.toLowerCase().replace(' ', '') } : null;
  }
}

/**
 * One slip of the kind people make typing a name heard on the phone: two letters swapped, one
 * dropped or one doubled, never the first letter.
 */
export function typo(name: string, random: () => number): string {
  const letters = [...name];
  if (letters.length < 4) return name + letters.at(-1)!;
  const at = 1 + Math.floor(random() * (letters.length - 2));
  switch (Math.floor(random() * 3)) {
    case 0:
      [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
      break;
    case 1:
      letters.splice(at, 1);
      break;
    default:
      letters.splice(at, 0, letters[at]!);
  }
  return letters.join('');
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** mulberry32: a small, fast PRNG, so the same seed gives the same searches on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
