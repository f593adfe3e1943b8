import type { Figure } from './types.ts';

/**
 * A cell of a breakdown as a percentage of its total: c when either is suppressed (METRICS.md §7:
 * a share built on a hidden count is hidden too), null with no total to divide by.
 */
export function shareOf(cell: Figure, total: Figure): Figure {
  if (cell === 'c' || total === 'c') return 'c';
  if (cell === null || total === null || total === 0) return null;
  return (cell / total) * 100;
}
