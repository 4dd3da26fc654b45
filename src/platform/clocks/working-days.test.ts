import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import bankHolidayJson from './bank-holidays.json' with { type: 'json' };
import {
  CalendarRangeError,
  addCalendarDays,
  addCalendarHours,
  addWeeks,
  addWorkingDays,
  bankHolidayTitle,
  createBankHolidayCalendar,
  endOfLondonDay,
  englandAndWalesBankHolidays,
  isWorkingDay,
  londonDate,
  workingDaysBetween,
} from './working-days.js';

const at = (iso: string): Date => new Date(iso);
const deadline = (from: string, days: number): string => addWorkingDays(at(from), days).toISOString();

describe('isWorkingDay', () => {
  test('weekdays are working days, weekends are not', () => {
    assert.equal(isWorkingDay('2025-03-03'), true); // Monday
    assert.equal(isWorkingDay('2025-03-07'), true); // Friday
    assert.equal(isWorkingDay('2025-03-08'), false); // Saturday
    assert.equal(isWorkingDay('2025-03-09'), false); // Sunday
  });

  test('Good Friday and Easter Monday are not working days', () => {
    assert.equal(isWorkingDay('2025-04-18'), false);
    assert.equal(isWorkingDay('2025-04-21'), false);
    assert.equal(isWorkingDay('2024-03-29'), false);
    assert.equal(isWorkingDay('2024-04-01'), false);
    assert.equal(isWorkingDay('2025-04-22'), true);
  });

  test('Christmas and New Year substitute days are not working days', () => {
    assert.equal(isWorkingDay('2020-12-28'), false); // Boxing Day fell on Saturday
    assert.equal(isWorkingDay('2021-12-27'), false); // Christmas fell on Saturday
    assert.equal(isWorkingDay('2021-12-28'), false); // Boxing Day fell on Sunday
    assert.equal(isWorkingDay('2022-12-26'), false);
    assert.equal(isWorkingDay('2022-12-27'), false); // Christmas fell on Sunday
    assert.equal(isWorkingDay('2022-01-03'), false);
    assert.equal(isWorkingDay('2023-01-02'), false);
    assert.equal(isWorkingDay('2028-01-03'), false);
    assert.equal(isWorkingDay('2020-12-29'), true);
  });

  test('one-off holidays of 2020, 2022 and 2023', () => {
    assert.equal(isWorkingDay('2020-05-08'), false); // VE day, in place of Monday 4 May
    assert.equal(isWorkingDay('2020-05-04'), true);
    assert.equal(isWorkingDay('2022-06-02'), false); // spring bank holiday moved
    assert.equal(isWorkingDay('2022-06-03'), false); // Platinum Jubilee
    assert.equal(isWorkingDay('2022-05-30'), true); // the usual last Monday in May was not a holiday
    assert.equal(isWorkingDay('2022-09-19'), false); // State Funeral
    assert.equal(isWorkingDay('2023-05-08'), false); // Coronation
    assert.match(bankHolidayTitle('2023-05-08') ?? '', /coronation/i);
    assert.equal(bankHolidayTitle('2023-05-09'), undefined);
  });

  test('rejects malformed or impossible dates', () => {
    for (const bad of ['', '2023-2-3', '2023-02-30', '2023-13-01', '03/02/2023', '2023-02-03T00:00Z']) {
      assert.throws(() => isWorkingDay(bad), RangeError, bad);
    }
  });
});

describe('addWorkingDays', () => {
  test('counts from the day after receipt and ends at 23:59:59.999 London time', () => {
    assert.equal(deadline('2025-03-03T10:00:00Z', 5), '2025-03-10T23:59:59.999Z'); // GMT
    assert.equal(deadline('2025-06-02T10:00:00Z', 5), '2025-06-09T22:59:59.999Z'); // BST
  });

  test('skips weekends', () => {
    assert.equal(deadline('2025-03-07T16:00:00Z', 1), '2025-03-10T23:59:59.999Z'); // Fri -> Mon
    assert.equal(deadline('2025-03-07T16:00:00Z', 6), '2025-03-17T23:59:59.999Z');
  });

  test('receipt on a weekend counts from the next working day', () => {
    assert.equal(deadline('2025-03-08T12:00:00Z', 1), '2025-03-10T23:59:59.999Z'); // Sat
    assert.equal(deadline('2025-03-09T12:00:00Z', 1), '2025-03-10T23:59:59.999Z'); // Sun
    assert.equal(deadline('2025-03-09T12:00:00Z', 5), '2025-03-14T23:59:59.999Z');
  });

  test('zero days means the end of the receipt day, or of the next working day', () => {
    assert.equal(deadline('2025-03-05T09:00:00Z', 0), '2025-03-05T23:59:59.999Z');
    assert.equal(deadline('2025-03-08T09:00:00Z', 0), '2025-03-10T23:59:59.999Z');
    assert.equal(deadline('2025-04-18T09:00:00Z', 0), '2025-04-22T22:59:59.999Z'); // Good Friday
  });

  test('skips Good Friday and Easter Monday', () => {
    assert.equal(deadline('2025-04-17T09:00:00Z', 1), '2025-04-22T22:59:59.999Z');
  });

  test('contact within 7 working days, over the early May bank holiday', () => {
    assert.equal(deadline('2024-05-01T09:00:00Z', 7), '2024-05-13T22:59:59.999Z');
  });

  test('spans the year end with Christmas, Boxing Day substitute and New Year', () => {
    // Thu 24 (1), Fri 25 hol, Mon 28 Boxing Day substitute, Tue 29 (2), Wed 30 (3),
    // Thu 31 (4), Fri 1 Jan hol, Mon 4 Jan (5).
    assert.equal(deadline('2026-12-23T11:00:00Z', 5), '2027-01-04T23:59:59.999Z');
    assert.equal(deadline('2021-12-24T11:00:00Z', 1), '2021-12-29T23:59:59.999Z');
    assert.equal(deadline('2022-12-23T11:00:00Z', 1), '2022-12-28T23:59:59.999Z');
    assert.equal(deadline('2022-12-30T11:00:00Z', 1), '2023-01-03T23:59:59.999Z');
  });

  test('one-off holidays push deadlines back', () => {
    assert.equal(deadline('2020-05-07T09:00:00Z', 1), '2020-05-11T22:59:59.999Z');
    assert.equal(deadline('2022-06-01T09:00:00Z', 1), '2022-06-06T22:59:59.999Z');
    assert.equal(deadline('2022-09-16T09:00:00Z', 1), '2022-09-20T22:59:59.999Z');
    assert.equal(deadline('2023-05-05T09:00:00Z', 1), '2023-05-09T22:59:59.999Z');
  });

  test('uses the London date, not the UTC date, of receipt', () => {
    // 23:30 UTC on Monday 30 June is 00:30 BST on Tuesday 1 July.
    assert.equal(deadline('2025-06-30T23:30:00Z', 1), '2025-07-02T22:59:59.999Z');
    assert.equal(deadline('2025-06-30T22:59:59.999Z', 1), '2025-07-01T22:59:59.999Z');
    // In GMT the two agree.
    assert.equal(deadline('2025-01-13T23:30:00Z', 1), '2025-01-14T23:59:59.999Z');
  });

  test('deadlines across the clock changes end at local midnight', () => {
    assert.equal(deadline('2025-03-28T12:00:00Z', 1), '2025-03-31T22:59:59.999Z'); // into BST
    assert.equal(deadline('2025-10-24T12:00:00Z', 1), '2025-10-27T23:59:59.999Z'); // into GMT
  });

  test('rejects a negative, fractional or non-finite number of days', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => addWorkingDays(at('2025-03-03T10:00:00Z'), bad), RangeError, String(bad));
    }
  });

  test('rejects an invalid Date', () => {
    assert.throws(() => addWorkingDays(new Date('nonsense'), 1), TypeError);
  });

  test('agrees with workingDaysBetween and always lands on a working day', () => {
    for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
      const from = new Date(day + 12 * 3_600_000);
      for (const n of [1, 2, 5, 7, 10, 20]) {
        const due = addWorkingDays(from, n);
        assert.equal(workingDaysBetween(from, due), n);
        assert.equal(isWorkingDay(londonDate(due)), true);
        assert.equal(londonDate(new Date(due.getTime() + 1)) > londonDate(due), true);
      }
    }
  });
});

describe('workingDaysBetween', () => {
  test('counts working days after from, up to and including to', () => {
    assert.equal(workingDaysBetween(at('2025-03-03T09:00:00Z'), at('2025-03-10T09:00:00Z')), 5);
    assert.equal(workingDaysBetween(at('2025-03-03T09:00:00Z'), at('2025-03-04T00:00:00Z')), 1);
    assert.equal(workingDaysBetween(at('2025-04-17T09:00:00Z'), at('2025-04-22T09:00:00Z')), 1);
    assert.equal(workingDaysBetween(at('2026-12-23T09:00:00Z'), at('2027-01-04T09:00:00Z')), 5);
  });

  test('is zero when to is on or before the day of from', () => {
    assert.equal(workingDaysBetween(at('2025-03-03T09:00:00Z'), at('2025-03-03T17:00:00Z')), 0);
    assert.equal(workingDaysBetween(at('2025-03-10T09:00:00Z'), at('2025-03-03T09:00:00Z')), 0);
  });

  test('uses London dates', () => {
    // to = 00:30 BST on Tuesday 1 July, so Tuesday counts.
    assert.equal(workingDaysBetween(at('2025-06-30T09:00:00Z'), at('2025-06-30T23:30:00Z')), 1);
  });
});

describe('calendar hours, days and weeks', () => {
  test('hours are exact elapsed time, even over a clock change', () => {
    const from = at('2025-03-30T00:30:00Z'); // 00:30 GMT; clocks go forward at 01:00 UTC
    assert.equal(addCalendarHours(from, 6).toISOString(), '2025-03-30T06:30:00.000Z');
    assert.equal(addCalendarHours(from, 0).toISOString(), '2025-03-30T00:30:00.000Z');
    assert.throws(() => addCalendarHours(from, -1), RangeError);
    assert.throws(() => addCalendarHours(from, 0.5), RangeError);
  });

  test('days end at the end of the London day, ignoring working days', () => {
    assert.equal(addCalendarDays(at('2025-03-03T10:00:00Z'), 0).toISOString(), '2025-03-03T23:59:59.999Z');
    assert.equal(addCalendarDays(at('2025-12-20T10:00:00Z'), 7).toISOString(), '2025-12-27T23:59:59.999Z');
    assert.equal(addCalendarDays(at('2025-03-25T10:00:00Z'), 7).toISOString(), '2025-04-01T22:59:59.999Z');
    assert.equal(addCalendarDays(at('2025-06-30T23:30:00Z'), 1).toISOString(), '2025-07-02T22:59:59.999Z');
    assert.throws(() => addCalendarDays(at('2025-03-03T10:00:00Z'), -2), RangeError);
  });

  test('weeks land on the same London weekday', () => {
    assert.equal(addWeeks(at('2025-01-06T10:00:00Z'), 6).toISOString(), '2025-02-17T23:59:59.999Z');
    assert.equal(addWeeks(at('2025-03-24T10:00:00Z'), 1).toISOString(), '2025-03-31T22:59:59.999Z');
    assert.throws(() => addWeeks(at('2025-01-06T10:00:00Z'), 1.5), RangeError);
  });
});

describe('London time', () => {
  // Independent of Intl: BST runs from 01:00 UTC on the last Sunday in March to 01:00 UTC
  // on the last Sunday in October.
  const lastSundayAt1Utc = (year: number, month: number): number => {
    const last = new Date(Date.UTC(year, month, 0));
    return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1);
  };
  const ruleLondonDate = (ms: number): string => {
    const year = new Date(ms).getUTCFullYear();
    const bst = ms >= lastSundayAt1Utc(year, 3) && ms < lastSundayAt1Utc(year, 10);
    return new Date(ms + (bst ? 3_600_000 : 0)).toISOString().slice(0, 10);
  };

  test('londonDate matches the GMT/BST rule around every hour of 2024 to 2026', () => {
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_600_000) {
      for (const offset of [0, 1_800_000, 3_599_999]) {
        assert.equal(londonDate(new Date(ms + offset)), ruleLondonDate(ms + offset));
      }
    }
  });

  test('endOfLondonDay is the last millisecond of that London date', () => {
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 86_400_000) {
      const date = new Date(ms).toISOString().slice(0, 10);
      const end = endOfLondonDay(date).getTime();
      assert.equal(ruleLondonDate(end), date);
      assert.notEqual(ruleLondonDate(end + 1), date);
    }
    assert.equal(endOfLondonDay('2025-03-30').toISOString(), '2025-03-30T22:59:59.999Z');
    assert.equal(endOfLondonDay('2025-10-26').toISOString(), '2025-10-26T23:59:59.999Z');
  });

  test('an instant late in a BST evening is the same London day, early next morning is not', () => {
    assert.equal(londonDate(at('2025-07-01T22:30:00Z')), '2025-07-01'); // 23:30 BST
    assert.equal(londonDate(at('2025-07-01T23:30:00Z')), '2025-07-02'); // 00:30 BST, same UTC day
    assert.equal(londonDate(at('2025-01-01T23:30:00Z')), '2025-01-01'); // GMT
  });
});

describe('calendar coverage', () => {
  test('refuses dates outside the covered years, naming them', () => {
    const covered = /2020 to 2030/;
    assert.throws(() => isWorkingDay('2031-01-02'), CalendarRangeError);
    assert.throws(() => isWorkingDay('2031-01-02'), covered);
    assert.throws(() => isWorkingDay('2019-12-31'), covered);
    assert.throws(() => addWorkingDays(at('2019-12-31T12:00:00Z'), 1), covered);
    assert.throws(() => addWorkingDays(at('2030-12-30T12:00:00Z'), 2), covered); // runs into 2031
    assert.throws(() => workingDaysBetween(at('2030-12-30T12:00:00Z'), at('2031-01-06T12:00:00Z')), covered);
    assert.equal(deadline('2030-12-30T12:00:00Z', 1), '2030-12-31T23:59:59.999Z');
  });

  test('custom calendars are supported and checked', () => {
    const calendar = createBankHolidayCalendar({
      division: 'test',
      from: 2025,
      to: 2025,
      dates: [{ date: '2025-03-04', title: 'Test day' }],
    });
    assert.equal(isWorkingDay('2025-03-04', calendar), false);
    assert.equal(isWorkingDay('2025-04-18', calendar), true);
    assert.equal(deadline('2025-03-03T10:00:00Z', 1), '2025-03-04T23:59:59.999Z');
    assert.equal(addWorkingDays(at('2025-03-03T10:00:00Z'), 1, calendar).toISOString(), '2025-03-05T23:59:59.999Z');
    assert.throws(() => isWorkingDay('2026-01-05', calendar), /test bank holiday calendar covers 2025 to 2025/);
    assert.throws(
      () => createBankHolidayCalendar({ division: 'x', from: 2025, to: 2025, dates: [{ date: '2026-01-01', title: 'x' }] }),
      RangeError,
    );
  });
});

describe('bank-holidays.json', () => {
  const dates = bankHolidayJson.dates.map((d) => d.date);

  test('is well formed, sorted, unique and free of weekends', () => {
    assert.equal(bankHolidayJson.division, 'england-and-wales');
    assert.equal(bankHolidayJson.from, 2020);
    assert.equal(bankHolidayJson.to, 2030);
    assert.deepEqual(dates, [...new Set(dates)].sort());
    for (const { date, title } of bankHolidayJson.dates) {
      const year = Number(date.slice(0, 4));
      assert.ok(year >= 2020 && year <= 2030, date);
      assert.ok(title.length > 0, date);
      assert.ok(![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()), `${date} is a weekend`);
    }
    assert.equal(englandAndWalesBankHolidays.holidays.size, dates.length);
  });

  // Tøndering's formulation, deliberately not the one used to draft the data.
  const easterSunday = (year: number): string => {
    const g = year % 19;
    const c = Math.floor(year / 100);
    const h = (c - Math.floor(c / 4) - Math.floor((8 * c + 13) / 25) + 19 * g + 15) % 30;
    const i = h - Math.floor(h / 28) * (1 - Math.floor(29 / (h + 1)) * Math.floor((21 - g) / 11));
    const j = (year + Math.floor(year / 4) + i + 2 - c + Math.floor(c / 4)) % 7;
    const l = i - j;
    const month = 3 + Math.floor((l + 40) / 44);
    const day = l + 28 - 31 * Math.floor(month / 4);
    return ymd(year, month, day);
  };
  const ymd = (year: number, month: number, day: number): string =>
    new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
  const shift = (date: string, days: number): string =>
    new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
  const mondayOnOrAfter = (date: string): string => shift(date, (8 - weekday(date)) % 7);
  const mondayOnOrBefore = (date: string): string => shift(date, -((weekday(date) + 6) % 7));
  const weekendToMonday: Record<number, number> = { 6: 2, 0: 1 };
  const weekdayOnOrAfter = (date: string): string => shift(date, weekendToMonday[weekday(date)] ?? 0);

  const regularHolidays = (year: number): string[] => {
    const easter = easterSunday(year);
    const newYear = ymd(year, 1, 1);
    const christmas = ymd(year, 12, 25);
    // Christmas and Boxing Day substitutes, keyed by the weekday of Christmas Day.
    const christmasPair: Record<number, [number, number]> = { 5: [25, 28], 6: [27, 28], 0: [26, 27] };
    const [xmas, boxing] = christmasPair[weekday(christmas)] ?? [25, 26];
    return [
      weekdayOnOrAfter(newYear),
      shift(easter, -2),
      shift(easter, 1),
      mondayOnOrAfter(ymd(year, 5, 1)),
      mondayOnOrBefore(ymd(year, 5, 31)),
      mondayOnOrBefore(ymd(year, 8, 31)),
      ymd(year, 12, xmas),
      ymd(year, 12, boxing),
    ];
  };

  test('the computus gives the known Easter Sundays', () => {
    const known = ['2020-04-12', '2021-04-04', '2022-04-17', '2023-04-09', '2024-03-31', '2025-04-20',
      '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21'];
    assert.deepEqual(known.map((d) => easterSunday(Number(d.slice(0, 4)))), known);
  });

  test('matches the regular rules for 2020-2030, apart from the listed one-offs', () => {
    const movedAway = ['2020-05-04', '2022-05-30']; // early May to VE day; spring to the Jubilee weekend
    const oneOffs: Record<string, RegExp> = {
      '2020-05-08': /VE day/,
      '2022-06-02': /spring/i,
      '2022-06-03': /Platinum Jubilee/,
      '2022-09-19': /State Funeral/,
      '2023-05-08': /coronation/i,
    };
    const expected = new Set<string>();
    for (let year = 2020; year <= 2030; year++) regularHolidays(year).forEach((d) => expected.add(d));
    for (const date of movedAway) assert.ok(expected.delete(date), `${date} should be a regular holiday`);
    for (const date of Object.keys(oneOffs)) {
      assert.ok(!expected.has(date), `${date} should not be a regular holiday`);
      expected.add(date);
    }
    assert.deepEqual(dates, [...expected].sort());
    for (const [date, title] of Object.entries(oneOffs)) {
      assert.match(englandAndWalesBankHolidays.holidays.get(date) ?? '', title, date);
    }
  });
});
