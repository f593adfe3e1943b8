import { calendar, isRealDate } from '../../metrics/calendar.ts';
import type { Period } from '../../metrics/figures.ts';
import { BadRequest } from './period.ts';

const asked = 'the last day of a quarter as YYYY-MM-DD, e.g. 2026-03-31';

/**
 * The `quarter` parameter (the quarter's last day; in a query string or a JSON body) as a period; a
 * 400 for anything else, saying which of missing, given twice, not a date or not a quarter's end it was.
 */
export function quarterParameter(value: unknown): Period {
  if (value === undefined || value === '') throw new BadRequest(`'quarter' is required: ${asked}`);
  // An array is a query string naming it twice; anything else not text came in a JSON body.
  if (Array.isArray(value)) throw new BadRequest(`'quarter' must be given once: ${asked}`);
  if (typeof value !== 'string') throw new BadRequest(`'quarter' must be ${asked}, as text`);
  if (!isRealDate(value)) throw new BadRequest(`'quarter' must be ${asked}, not '${value.slice(0, 40)}'`);
  const quarter = calendar('quarter', value, value)[0];
  if (!quarter) {
    const hint = '31 Mar, 30 Jun, 30 Sep or 31 Dec';
    throw new BadRequest(`'quarter' must be the last day of a quarter (${hint}), not ${value}`);
  }
  return quarter;
}
