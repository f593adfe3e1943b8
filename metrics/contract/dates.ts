/**
 * Dates as the product exchanges them: a real calendar day written YYYY-MM-DD (METRICS.md §1).
 * Shared by the metrics layer, the server and the client, so it imports nothing.
 */

/** A calendar day as YYYY-MM-DD. */
export type IsoDate = string;

const isoDayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day as milliseconds since the epoch (UTC), or NaN when it is not a real YYYY-MM-DD date. */
export function dayValue(value: string): number {
  const m = isoDayPattern.exec(value);
  if (!m) return Number.NaN;
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over into March; a real date survives the round trip unchanged.
  return new Date(time).toISOString().slice(0, 10) === value ? time : Number.NaN;
}

/** True for a real day written YYYY-MM-DD: 2026-02-29 and 2026-13-01 are not. */
export function isRealDate(value: string): boolean {
  return !Number.isNaN(dayValue(value));
}

/** Negative, zero or positive as `a` is before, on or after `b`, compared as days, not as text. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  const left = dayValue(a);
  const right = dayValue(b);
  if (Number.isNaN(left) || Number.isNaN(right))
    throw new RangeError(`not a YYYY-MM-DD date: ${Number.isNaN(left) ? a : b}`);
  return left - right;
}

export const isBefore = (a: IsoDate, b: IsoDate): boolean => compareDates(a, b) < 0;
export const isAfter = (a: IsoDate, b: IsoDate): boolean => compareDates(a, b) > 0;

/** A UTC Date as YYYY-MM-DD. */
export function isoDay(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** YYYY-MM-DD from its parts; the month is 1–12. */
export function isoFromParts(year: number, month: number, day: number): IsoDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
