import type { Figure } from './types.ts';

/**
 * One figure of the METRICS.md §8 object named by its path: `prevalence.cp_open_neglect_initial`,
 * `drift.cp_open_by_duration.2y_plus`. The metrics layer, the server and the client all find
 * figures this one way, so a path written in one place means the same thing in every other.
 */
export type FigurePath = string;

/** Whatever lies at the path, or undefined where the path leads nowhere. */
export function valueAtPath(root: unknown, path: FigurePath): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      root,
    );
}

/** A figure at the path as served: a number, `c` when suppressed, null when absent or not a figure. */
export function figureAt(root: unknown, path: FigurePath): Figure {
  const value = valueAtPath(root, path);
  return typeof value === 'number' || value === 'c' ? value : null;
}
