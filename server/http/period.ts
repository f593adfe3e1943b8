import type { Request } from 'express';
import { compareDates, isRealDate } from '../../metrics/contract/dates.ts';
import { quarterLabel } from '../../metrics/contract/quarters.ts';
import type { DataExtent, Period } from '../../metrics/contract/types.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import type { Warehouse } from '../../sql/warehouse.ts';

/** A request the client got wrong: answered 400 with this message, never a stack trace. */
export class BadRequest extends Error {}

/** `from` and `to` query parameters as a METRICS.md §1 period (both inclusive, as-at = to). */
export function periodFromQuery(req: Request): Period {
  const from = req.query['from'];
  const to = req.query['to'];
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw new BadRequest(`'${name}' is required, as a date YYYY-MM-DD`);
    if (!isRealDate(value))
      throw new BadRequest(`'${name}' must be a real date as YYYY-MM-DD, not '${value.slice(0, 40)}'`);
  }
  if (compareDates(from as string, to as string) > 0) throw new BadRequest(`'from' (${from}) is after 'to' (${to})`);
  return { from: from as string, to: to as string };
}

/**
 * Refuses a quarter the data cannot answer at all: one ending before the first recorded event or
 * after the extract date (its figures would be zeros that look like facts). A quarter the data only
 * partly cover is answered, with the pack's history notes saying which figures it cannot give.
 */
export async function requireQuarterInData(warehouse: Warehouse, quarter: Period): Promise<void> {
  const extent = (await warehouse.withConnection((c) =>
    metricsRegistry().runOne(c, 'data_extent'),
  )) as unknown as DataExtent;
  const label = quarterLabel(quarter);
  if (extent.extract_date && compareDates(quarter.to, extent.extract_date) > 0) {
    throw new BadRequest(`The data run only to ${extent.extract_date}, so ${label} cannot be shown yet.`);
  }
  if (extent.first_date && compareDates(quarter.to, extent.first_date) < 0) {
    throw new BadRequest(`The data start on ${extent.first_date}, so there are no figures for ${label}.`);
  }
}
