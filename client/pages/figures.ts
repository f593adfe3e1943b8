import type { Figure } from '../api.ts';

/** A figure of a pack by its path ('prevalence.cp_open', 'drift.cp_open_by_duration.2y_plus'). */
export { figureAt } from '../../metrics/contract/figurePath.ts';

/** Counts with thousands separators; 'c' stays 'c' (suppressed); null is a dash. */
export function showCount(value: Figure): string {
  if (value === null) return '–';
  return typeof value === 'number' ? new Intl.NumberFormat('en-GB').format(value) : value;
}

/** Rates and percentages to 1 decimal place on screen, as DfE does. */
export function showRate(value: Figure | undefined): string {
  if (value === null || value === undefined) return '–';
  return typeof value === 'number' ? value.toFixed(1) : value;
}

/** A percentage to 1 decimal place with its sign; 'c' and the dash as showRate. */
export const showPct = (value: Figure | undefined): string =>
  typeof value === 'number' ? `${showRate(value)}%` : showRate(value);

/** Direction of travel in words, never by colour or arrow alone. */
export function direction(current: Figure, previous: Figure, show: (v: Figure) => string): string {
  if (typeof current !== 'number' || typeof previous !== 'number')
    return 'No comparison with the previous quarter (figures too small to publish).';
  if (current === previous) return `Same as the previous quarter (${show(previous)}).`;
  return `${current > previous ? 'Up' : 'Down'} from ${show(previous)} in the previous quarter.`;
}
