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

/** Why a new password is not acceptable, or null when it is (NCSC: length and a deny-list, no composition rules). */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
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
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) return 'Password must not contain your email address';
  if (lower.includes('concord')) return 'Password must not contain the name of this service';
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
