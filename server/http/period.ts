import type { Request } from 'express';
import type { Period } from '../../metrics/figures.ts';

/** A request the client got wrong: answered 400 with this message, never a stack trace. */
export class BadRequest extends Error {}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDate(value: string): boolean {
  const m = isoDate.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** `from` and `to` query parameters as a METRICS.md §1 period (both inclusive, as-at = to). */
export function periodFromQuery(req: Request): Period {
  const from = req.query['from'];
  const to = req.query['to'];
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (typeof value !== 'string' || value === '') throw new BadRequest(`'${name}' is required, as a date YYYY-MM-DD`);
    if (!realDate(value)) throw new BadRequest(`'${name}' must be a real date as YYYY-MM-DD, not '${value.slice(0, 40)}'`);
  }
  if ((from as string) > (to as string)) throw new BadRequest(`'from' (${from}) is after 'to' (${to})`);
  return { from: from as string, to: to as string };
}
