import { calendar, isRealDate } from '../../metrics/calendar.ts';
import type { Period } from '../../metrics/figures.ts';
import { BadRequest } from './period.ts';

/** The `quarter` query parameter (the quarter's last day) as a period; a 400 for anything else. */
export function quarterFromQuery(value: unknown): Period {
  if (typeof value !== 'string' || !isRealDate(value)) {
    throw new BadRequest("'quarter' is required: the last day of a quarter as YYYY-MM-DD, e.g. 2026-03-31");
  }
  const quarter = calendar('quarter', value, value)[0];
  if (!quarter) {
    const hint = '31 Mar, 30 Jun, 30 Sep or 31 Dec';
    throw new BadRequest(`'quarter' must be the last day of a quarter (${hint}), not ${value}`);
  }
  return quarter;
}
