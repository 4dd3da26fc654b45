import type { z } from 'zod';
import { invalid, notFound, type FieldError } from './errors.js';

/** Field errors from a failed parse, one per field (the first, which is the most basic problem). */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'form';
    const top = field.split('.')[0]!;
    if (seen.has(top)) continue;
    seen.add(top);
    result.push({ field: top, message: issue.message });
  }
  return result;
}

/** Parses input with the schema shared by the API and the form, or throws an `invalid` error naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, code: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalid(code, fieldErrorsOf(parsed.error));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference from a URL. Anything that is not a well-formed id is treated as not found. */
export function referenceOrNotFound(value: unknown, code = 'NOT_FOUND'): string {
  if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
  throw notFound(code);
}


// Pure, so that rules.ts files may use it too.
export { wholeNumber } from './input-rules.js';
