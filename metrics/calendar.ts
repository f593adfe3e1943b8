/**
 * Periods (METRICS.md §1: "from and to are dates, both inclusive. The as-at date is to."). Board
 * reports use quarters (1 Jan–31 Mar, …) and the DfE reporting year (1 Apr–31 Mar); the calendar
 * arithmetic lives in the contract the client shares (metrics/contract/quarters.ts).
 */
import { periodsEndingBetween, type Cadence } from './contract/quarters.ts';

export type { Period } from './contract/types.ts';
export type { Cadence } from './contract/quarters.ts';
export { isRealDate } from './contract/dates.ts';

/** Every whole period of the cadence that ends within [from, to], oldest first. */
export function calendar(cadence: Cadence, from: string, to: string) {
  return periodsEndingBetween(cadence, from, to);
}
