import type { FieldError } from '../errors.js';

/* The GOV.UK date input: three fields in the form, one YYYY-MM-DD for the service. Every form with a date uses it. */

type Values = Record<string, unknown>;
const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

const DATE_PARTS = ['day', 'month', 'year'] as const;
type DatePart = (typeof DATE_PARTS)[number];
type DateRead = { value: string | null } | { problem: FieldError; parts: DatePart[] };

/** Any date the rules accept, put in while the real one is refused so the other fields can still be checked. */
export const STAND_IN_DATE = '2000-01-01';

const listed = (parts: readonly string[]) => (parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!);
const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * The date a GOV.UK date input holds: YYYY-MM-DD, null when all three fields are blank, or what is
 * wrong in the Design System's words ("Date of birth must include a month") and which fields to mark.
 * Whether the date is in the past is the service's rule, not this.
 */
export function readDateInput(form: Values, field: string, label: string): DateRead {
  const parts = { day: textOf(form[`${field}-day`]), month: textOf(form[`${field}-month`]), year: textOf(form[`${field}-year`]) };
  const problem = (message: string, wrong: DatePart[]): DateRead => ({ problem: { field, message }, parts: wrong });
  const missing = DATE_PARTS.filter((part) => parts[part] === '');
  if (missing.length === DATE_PARTS.length) return { value: null };
  if (missing.length) return problem(`${label} must include a ${listed(missing)}`, missing);
  const notNumbers = DATE_PARTS.filter((part) => !/^\d+$/.test(parts[part]));
  if (notNumbers.length) return problem(`${label} must be a real date`, notNumbers);
  if (parts.year.length !== 4) return problem('Year must include 4 numbers', ['year']);
  const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)];
  if (month < 1 || month > 12) return problem(`${label} must be a real date`, ['month']);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (day < 1 || date.getUTCMonth() !== month - 1) return problem(`${label} must be a real date`, ['day']);
  return { value: `${parts.year}-${twoDigits(month)}-${twoDigits(day)}` };
}

/** The three fields for `govukDateInput`, marking those at fault; the first at fault takes the field's id, where the error summary links. */
export function dateItems(field: string, values: Values, errors: FieldError[] | undefined) {
  const faulted = errors?.some((e) => e.field === field);
  const read = readDateInput(values, field, '');
  const wrong: readonly DatePart[] = !faulted ? [] : 'parts' in read ? read.parts : DATE_PARTS;
  const first = wrong[0] ?? 'day';
  return DATE_PARTS.map((part) => ({
    id: part === first ? field : `${field}-${part}`,
    name: part,
    label: part[0]!.toUpperCase() + part.slice(1),
    value: textOf(values[`${field}-${part}`]),
    classes: `govuk-input--width-${part === 'year' ? 4 : 2}${wrong.includes(part) ? ' govuk-input--error' : ''}`,
  }));
}

/** A stored YYYY-MM-DD as the date input's three fields. */
export function dateFields(field: string, value: string | null | undefined): Values {
  if (!value) return {};
  const [year, month, day] = value.split('-');
  return { [`${field}-day`]: String(Number(day)), [`${field}-month`]: String(Number(month)), [`${field}-year`]: year };
}
