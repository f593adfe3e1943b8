/**
 * SSDA903 dates as the loader stages them. The return's dates are DD/MM/YYYY; files exported
 * through spreadsheets also carry DD/MM/YY. A two-digit year is read by one stated rule, here and
 * nowhere else (docs/DATA.md "SSDA903 (children looked after)"):
 *
 *   YY is 20YY when that year is not after the year of the pivot, otherwise 19YY.
 *
 * The pivot is the day of the load: a return cannot record a year that has not begun, and the
 * loader's own rule for an undated return takes nothing after the day of loading either. The rule
 * works on years, not days, on purpose: a two-digit date later in the pivot's own year stays in
 * 20YY, so a future-dated typo is rejected by validation as after the extract's reference date
 * rather than moved silently a hundred years back.
 *
 * Everything else is staged as written: DD/MM/YYYY and YYYY-MM-DD are parsed (and checked) by
 * validation like every other extract's dates, and text that is no date at all is rejected there,
 * with its value, as "not a real date".
 */

const twoDigitYear = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;

/** The century rule for a two-digit year `yy` (0–99) against the pivot year. */
export function centuryYear(yy: number, pivotYear: number): number {
  const thisCentury = Math.floor(pivotYear / 100) * 100 + yy;
  return thisCentury <= pivotYear ? thisCentury : thisCentury - 100;
}

/** A date as staged: DD/MM/YY becomes DD/MM/YYYY by the century rule; anything else is kept as written. */
export function stagedSsda903Date(text: string | undefined, pivotYear: number): string | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  const match = twoDigitYear.exec(value);
  if (!match) return value;
  const [, day, month, yy] = match;
  return `${day!.padStart(2, '0')}/${month!.padStart(2, '0')}/${centuryYear(Number(yy), pivotYear)}`;
}

/** The pivot year of a load started now (UTC, as the loader's dates are). */
export function loadPivotYear(now: Date = new Date()): number {
  return now.getUTCFullYear();
}
