import type { Warehouse } from '../sql/warehouse.ts';
import { calendar, type Cadence } from './calendar.ts';
import { computeMetricsPacks, type MetricsPack } from './figures.ts';
import { boardPacksForPeriods } from './linkedPeriods.ts';
import { valueAtPath, type FigurePath } from './contract/figurePath.ts';
import type { TrendPoint } from './contract/types.ts';

export type { FigurePath } from './contract/figurePath.ts';
export type { TrendPoint } from './contract/types.ts';

export class UnknownFigureError extends Error {}

/** Every numeric figure path of a pack: what a trend can be asked for. */
export function figurePaths(pack: MetricsPack): FigurePath[] {
  const paths: FigurePath[] = [];
  for (const family of ['prevalence', 'repeat', 'drift', 'percentages', 'looked_after', 'strategy'] as const) {
    for (const [key, value] of Object.entries((pack[family] ?? {}) as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') {
        for (const band of Object.keys(value)) paths.push(`${family}.${key}.${band}`);
      } else paths.push(`${family}.${key}`);
    }
  }
  return paths;
}

/** The figure paths a pack has, learnt from the first pack computed, so a wrong name costs nothing. */
let knownPaths: Set<FigurePath> | undefined;

/**
 * A figure as a series over quarter ends or reporting years: every metric query runs once over the
 * whole calendar of periods (METRICS.md §1 periods), not once per period.
 */
export async function figureTrend(
  warehouse: Warehouse,
  path: FigurePath,
  cadence: Cadence,
  from: string,
  to: string,
  options: { suppress?: boolean } = {},
): Promise<TrendPoint[]> {
  const unknown = () =>
    new UnknownFigureError(
      `unknown figure '${path.slice(0, 80)}' (for example prevalence.cp_open_neglect_initial, repeat.rereferrals_12m)`,
    );
  if (knownPaths && !knownPaths.has(path)) throw unknown();
  const periods = calendar(cadence, from, to);
  if (periods.length === 0) return [];
  const computed = await computeMetricsPacks(warehouse, periods, { benchmarks: false });
  knownPaths = new Set(figurePaths(computed[0]!));
  // Each point is suppressed as its own pack would be, so a trend never shows what a pack hides; a
  // reporting year's point also hides what its quarters hide (linkedPeriods.ts).
  const packs = options.suppress ? await boardPacksForPeriods(warehouse, computed) : computed;
  if (!knownPaths.has(path)) throw unknown();
  return packs.map((pack) => ({ ...pack.period, value: valueAtPath(pack, path) as number | null }));
}
