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
