/**
 * Pure deadline arithmetic for UK practice timescales.
 *
 * Conventions (all in Europe/London local time, so GMT/BST changes never shift a deadline):
 * - A "London date" is the YYYY-MM-DD calendar day of an instant as seen in London.
 * - Day-based deadlines end at 23:59:59.999 London time on their final day, returned as an
 *   instant, because practice standards mean "by the end of that day", not "to the minute".
 * - Hour-based deadlines are exact elapsed time, because "within 6 hours" is urgent and must
 *   not stretch to the end of a day (and a DST change really does shorten or lengthen a night).
 *
 * Nothing here reads the current time; callers pass instants (usually from an injected Clock).
 */
import bankHolidayData from './bank-holidays.json' with { type: 'json' };

export type IsoDate = string; // YYYY-MM-DD

export interface BankHolidayCalendar {
  readonly division: string;
  /** First and last years (inclusive) for which the holiday list is complete. */
  readonly from: number;
  readonly to: number;
  /** Holiday date -> title. */
  readonly holidays: ReadonlyMap<IsoDate, string>;
}

export interface BankHolidayData {
  division: string;
  from: number;
  to: number;
  dates: ReadonlyArray<{ date: string; title: string }>;
}

/** Thrown when asked about a day the calendar cannot vouch for. */
export class CalendarRangeError extends RangeError {
  override name = 'CalendarRangeError';
}

const LONDON = 'Europe/London';
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function createBankHolidayCalendar(data: BankHolidayData): BankHolidayCalendar {
  const holidays = new Map<IsoDate, string>();
  for (const { date, title } of data.dates) {
    const year = parseIsoDate(date).year;
    if (year < data.from || year > data.to) {
      throw new RangeError(`Bank holiday ${date} lies outside the calendar's years ${data.from}-${data.to}`);
    }
    holidays.set(date, title);
  }
  return { division: data.division, from: data.from, to: data.to, holidays };
}

export const englandAndWalesBankHolidays: BankHolidayCalendar = createBankHolidayCalendar(bankHolidayData);

export function bankHolidayTitle(date: IsoDate, calendar = englandAndWalesBankHolidays): string | undefined {
  assertCovered(date, calendar);
  return calendar.holidays.get(date);
}

export function isWorkingDay(date: IsoDate, calendar = englandAndWalesBankHolidays): boolean {
  assertCovered(date, calendar);
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date);
}

/**
 * "Within N working days of receipt": the end of the Nth working day after the London date
 * of `from`. A receipt on a weekend or holiday therefore counts from the next working day.
 * N = 0 means the end of the receipt day if it is a working day, else of the next one.
 */
export function addWorkingDays(from: Date, days: number, calendar = englandAndWalesBankHolidays): Date {
  assertCount('days', days);
  let date = londonDate(from);
  assertCovered(date, calendar);
  if (days === 0) {
    while (!isWorkingDay(date, calendar)) date = addDaysToDate(date, 1);
    return endOfLondonDay(date);
  }
  let remaining = days;
  while (remaining > 0) {
    date = addDaysToDate(date, 1);
    if (isWorkingDay(date, calendar)) remaining--;
  }
  return endOfLondonDay(date);
}

/** Working days strictly after `from`'s London date, up to and including `to`'s London date. */
export function workingDaysBetween(from: Date, to: Date, calendar = englandAndWalesBankHolidays): number {
  const start = londonDate(from);
  const end = londonDate(to);
  assertCovered(start, calendar);
  assertCovered(end, calendar);
  let count = 0;
  for (let date = addDaysToDate(start, 1); date <= end; date = addDaysToDate(date, 1)) {
    if (isWorkingDay(date, calendar)) count++;
  }
  return count;
}

/** Exact elapsed time; see the module comment for why this is not rounded to the end of a day. */
export function addCalendarHours(from: Date, hours: number): Date {
  assertInstant(from);
  assertCount('hours', hours);
  return new Date(from.getTime() + hours * 3_600_000);
}

/** End of the London day `days` calendar days after `from`'s London date (0 = end of that day). */
export function addCalendarDays(from: Date, days: number): Date {
  assertCount('days', days);
  return endOfLondonDay(addDaysToDate(londonDate(from), days));
}

/** End of the London day `weeks` weeks after `from`'s London date, i.e. the same weekday. */
export function addWeeks(from: Date, weeks: number): Date {
  assertCount('weeks', weeks);
  return addCalendarDays(from, weeks * 7);
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** London wall-clock reading of an instant, expressed as if it were UTC milliseconds. */
function londonWallClockMs(instant: Date): number {
  return instant.getTime() + londonOffsetDuring(Math.floor(instant.getTime() / HOUR_MS));
}

const HOUR_MS = 3_600_000;
let offsetFor: { hour: number; offset: number } | undefined;

/**
 * London's offset from UTC during one UTC hour. It changes only at 01:00 UTC, on the hour, so one
 * reading holds for the whole hour: every request asks the date, and reading it through Intl each
 * time cost a few per cent of a request's CPU.
 */
function londonOffsetDuring(hour: number): number {
  if (offsetFor?.hour === hour) return offsetFor.offset;
  const instant = new Date(hour * HOUR_MS);
  const part: Record<string, number> = {};
  for (const { type, value } of londonParts.formatToParts(instant)) {
    if (type !== 'literal') part[type] = Number(value);
  }
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  offsetFor = { hour, offset: wall - instant.getTime() };
  return offsetFor.offset;
}

export function londonDate(instant: Date): IsoDate {
  assertInstant(instant);
  return new Date(londonWallClockMs(instant)).toISOString().slice(0, 10);
}

/** The instant at 23:59:59.999 London time on `date`. */
export function endOfLondonDay(date: IsoDate): Date {
  const { year, month, day } = parseIsoDate(date);
  const wall = Date.UTC(year, month - 1, day, 23, 59, 59, 999);
  // Subtract London's offset. It is read at the guess rather than assumed, and read twice so
  // the answer holds even if a guess straddled an offset change (London's happen at 01:00 UTC).
  let instant = wall - (londonWallClockMs(new Date(wall)) - wall);
  instant = wall - (londonWallClockMs(new Date(instant)) - instant);
  return new Date(instant);
}

function assertCovered(date: IsoDate, calendar: BankHolidayCalendar): void {
  const { year } = parseIsoDate(date);
  if (year < calendar.from || year > calendar.to) {
    throw new CalendarRangeError(
      `The ${calendar.division} bank holiday calendar covers ${calendar.from} to ${calendar.to} only; ` +
        `cannot tell whether ${date} is a working day. Extend bank-holidays.json.`,
    );
  }
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

function assertInstant(value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`Expected a valid Date, got ${String(value)}`);
  }
}

function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls 2023-02-30 over to March; a round trip catches impossible dates.
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Expected a real calendar date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

// Civil-date arithmetic is done on UTC midnights, which have no DST, then read back as a date.
function addDaysToDate(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

function dayOfWeek(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
