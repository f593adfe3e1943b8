import { compareDates, isoDay, isoFromParts, type IsoDate } from './dates.ts';
import type { Period } from './types.ts';

/**
 * Calendar quarters (1 Jan–31 Mar, …) and DfE reporting years (1 Apr–31 Mar) as METRICS.md §1
 * periods: the one place the product works out which quarter a date is in, which periods end
 * between two dates and what a quarter is called on the page ("Jan–Mar 2026").
 */

export type Cadence = 'quarter' | 'year';

/** A quarter with the label the page shows for it. */
export interface Quarter extends Period {
  label: string;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Months in full, as sentences and the cover write them (never ISO dates in words for people). */
export const fullMonthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "October to December 2025"; the start's year too when it differs ("April 2025 to March 2026"). */
export function periodInWords(period: Period): string {
  const [fromYear, fromMonth] = period.from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = period.to.split('-').map(Number) as [number, number];
  const start = `${fullMonthNames[fromMonth - 1]}${fromYear === toYear ? '' : ` ${fromYear}`}`;
  return `${start} to ${fullMonthNames[toMonth - 1]} ${toYear}`;
}

/** "31 March 2026". */
export function dayInWords(iso: IsoDate): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return `${day} ${fullMonthNames[month - 1]} ${year}`;
}

function yearMonth(date: IsoDate): [number, number] {
  return date.split('-').slice(0, 2).map(Number) as [number, number];
}

/** The last day of a month (1–12). */
function monthEnd(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 0));
}

/** "Jan–Mar 2026" for the quarter that starts on `period.from`. */
export function quarterLabel(period: Period): string {
  const [year, month] = yearMonth(period.from);
  return `${monthNames[month - 1]}–${monthNames[month + 1]} ${year}`;
}

/** The quarter that contains `date`. */
export function quarterOf(date: IsoDate): Quarter {
  const [year, month] = yearMonth(date);
  const endMonth = Math.ceil(month / 3) * 3;
  const period = { from: isoFromParts(year, endMonth - 2, 1), to: isoDay(monthEnd(year, endMonth)) };
  return { ...period, label: quarterLabel(period) };
}

/** The quarter ending in the month of `end` (a quarter's last day, or any day of its last month). */
export function quarterEnding(end: IsoDate): Quarter {
  return quarterOf(end);
}

/** The quarter before `quarter`. */
export function previousQuarter(quarter: Period): Quarter {
  const [year, month] = yearMonth(quarter.from);
  return quarterOf(month === 1 ? isoFromParts(year - 1, 12, 1) : isoFromParts(year, month - 1, 1));
}

/**
 * Every whole period of the cadence that ends within [from, to], oldest first. Period ends fall on
 * the last day of Mar/Jun/Sep/Dec (quarters) or of March (reporting years).
 */
export function periodsEndingBetween(cadence: Cadence, from: IsoDate, to: IsoDate): Period[] {
  const periods: Period[] = [];
  const [fromYear, fromMonth] = yearMonth(from);
  const step = cadence === 'quarter' ? 3 : 12;
  let endYear = fromYear;
  let endMonth = cadence === 'quarter' ? Math.ceil(fromMonth / 3) * 3 : 3;
  if (cadence === 'year' && fromMonth > 3) endYear += 1;
  for (;;) {
    const end = isoDay(monthEnd(endYear, endMonth));
    if (compareDates(end, to) > 0) break;
    const start = isoDay(new Date(Date.UTC(endYear, endMonth - step, 1)));
    if (compareDates(end, from) >= 0) periods.push({ from: start, to: end });
    endMonth += step;
    if (endMonth > 12) {
      endMonth -= 12;
      endYear += 1;
    }
  }
  return periods;
}

/** Quarters from the one containing `first` up to the one ending `latestEnd`, newest first. */
export function quartersBetween(first: IsoDate, latestEnd: IsoDate): Quarter[] {
  const quarters: Quarter[] = [];
  const firstQuarter = quarterOf(first);
  for (let quarter = quarterOf(latestEnd); ; quarter = previousQuarter(quarter)) {
    quarters.push(quarter);
    if (compareDates(quarter.from, firstQuarter.from) <= 0) break;
  }
  return quarters;
}

/**
 * The quarters the data can answer, newest first: those lying wholly between the first recorded
 * event and the extract date. A quarter the data starts part-way through would count only the
 * children who happened to be recorded by then, so it is not offered.
 */
export function quartersInside(firstEvent: IsoDate, extractDate: IsoDate): Quarter[] {
  const starts = quarterOf(firstEvent);
  const first = compareDates(starts.from, firstEvent) === 0 ? starts : quarterOf(nextDay(starts.to));
  const last = quarterOf(extractDate);
  const latest = compareDates(last.to, extractDate) === 0 ? last : previousQuarter(last);
  if (compareDates(latest.to, first.to) < 0) return [];
  return quartersBetween(first.from, latest.to);
}

function nextDay(date: IsoDate): IsoDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoDay(new Date(Date.UTC(year, month - 1, day + 1)));
}
