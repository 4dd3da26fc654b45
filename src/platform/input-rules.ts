import { z } from 'zod';

// A number as typed: signed, with or without a fraction, so "1.5" and "-4" are told why they are wrong.
const NUMERAL = /^\s*-?\d{1,15}(\.\d{1,15})?\s*$/;

/**
 * A whole number from a form (a string of digits) or JSON (a number), and nothing else: unlike
 * z.coerce.number, `true` is not 1 and a blank, `[]` or `null` is not 0.
 */
export function wholeNumber(messages: { invalid: string; notWhole?: string; min: [number, string]; max?: [number, string] }) {
  const [min, tooSmall] = messages.min;
  const [max, tooBig] = messages.max ?? [Number.MAX_SAFE_INTEGER, messages.invalid];
  return z.preprocess(
    (value) => (typeof value === 'string' && NUMERAL.test(value) ? Number(value) : value),
    z.number({ error: messages.invalid }).int(messages.notWhole ?? messages.invalid).min(min, tooSmall).max(max, tooBig),
  );
}
