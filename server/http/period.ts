import type { Request } from 'express';
import { compareDates, isRealDate } from '../../metrics/contract/dates.ts';
import type { Period } from '../../metrics/contract/types.ts';

/** A request the client got wrong: answered 400 with this message, never a stack trace. */
export class BadRequest extends Error {}

/** `from` and `to` query parameters as a METRICS.md §1 period (both inclusive, as-at = to). */
export function periodFromQuery(req: Request): Period {
  const from = req.query['from'];
  const to = req.query['to'];
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (typeof value !== 'string' || value === '') throw new BadRequest(`'${name}' is required, as a date YYYY-MM-DD`);
    if (!isRealDate(value)) throw new BadRequest(`'${name}' must be a real date as YYYY-MM-DD, not '${value.slice(0, 40)}'`);
  }
  if (compareDates(from as string, to as string) > 0) throw new BadRequest(`'from' (${from}) is after 'to' (${to})`);
  return { from: from as string, to: to as string };
}
