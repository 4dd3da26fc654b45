import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id; a const enum, which isolated modules cannot read
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function passwordMatches(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when no account matches keeps a missing account as slow as a wrong password.
let decoyHash: Promise<string> | undefined;
export async function spendTimeLikeAVerify(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  await passwordMatches(await decoyHash, password);
}

/** Who the password is for, so it can be refused for containing what an attacker would try first. */
export type PasswordContext = { email?: string; name?: string; agencyName?: string };

// The service's own name is the first thing anyone guessing a Concord password tries.
const SERVICE_NAME = 'concord';
// Words every agency name shares tell an attacker nothing; refusing them would refuse "trust" or "care".
const GENERIC_AGENCY_WORDS = new Set(['nhs', 'trust', 'foundation', 'council', 'county', 'city', 'borough', 'services', 'service', 'care', 'health', 'the', 'and', 'for', 'community', 'limited', 'ltd']);

const lettersOnly = (text: string) => text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}]+/gu, ' ').trim();
/** The runs of 3 or more letters in a name ("Mary-Jane O'Neil" gives mary, jane, neil). */
const wordsOf = (text: string | undefined) => (text ? lettersOnly(text).split(' ').filter((word) => word.length >= 3) : []);

/** Why a new password is not acceptable, or null when it is (NCSC: length and a deny-list, no composition rules). */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'That password is too common. Choose one that is harder to guess, such as three random words';
  // "password1234!" is still "password": strip what people add to the end of a common word.
  const base = lower.replace(/[\d\W_]+$/u, '');
  if (base.length >= 4 && COMMON.has(base)) {
    return 'That password is a common word with numbers or symbols added. Choose one that is harder to guess, such as three random words';
  }
  if (new Set(lower).size <= 2) return 'That password repeats the same characters. Choose one that is harder to guess';
  if (isRun(lower)) return 'That password is a simple sequence. Choose one that is harder to guess';
  return personalProblem(password, context);
}

/** Names an attacker who knows whose account this is would try: theirs, their email's, their agency's, the service's. */
function personalProblem(password: string, context: PasswordContext): string | null {
  const lower = password.toLowerCase();
  // Letters only, so "tom.okafor" and "Tom_Okafor1" both contain "tomokafor" and "okafor".
  const letters = lettersOnly(password).replace(/ /g, '');
  const within = (word: string) => lower.includes(word) || letters.includes(word);
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && ((localPart.length >= 4 && lower.includes(localPart)) || wordsOf(localPart).some(within))) {
    return 'Password must not contain your email address or any part of it';
  }
  const namePart = wordsOf(context.name).find(within);
  if (namePart) return 'Password must not contain your name or any part of it';
  if (within(SERVICE_NAME)) return 'Password must not contain the name of this service (Concord)';
  const agencyWords = wordsOf(context.agencyName).filter((word) => word.length >= 4 && !GENERIC_AGENCY_WORDS.has(word));
  if (agencyWords.some(within)) return 'Password must not contain the name of your organisation';
  return null;
}

function isRun(text: string): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < text.length; i++) {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    up &&= step === 1;
    down &&= step === -1;
  }
  return up || down;
}
