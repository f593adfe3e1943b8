import type { Warehouse } from '../sql/warehouse.ts';
import { calendar, type Cadence } from './calendar.ts';
import {
  computeMetricsPacks,
  extraFamilies,
  figureQueries,
  packFamilies,
  type MetricsPack,
  type PackSection,
} from './figures.ts';
import { metricsRegistry } from './registry.ts';
import { packSuppression } from './suppression.ts';
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

/** The figure paths a pack has, learnt from the first whole pack computed, so a wrong name costs nothing. */
let knownPaths: Set<FigurePath> | undefined;

const sectionNames: ReadonlySet<string> = new Set<PackSection>([...packFamilies, ...extraFamilies]);

/**
 * The sections a figure's value and its board suppression read: its own, and those of the counts
 * it is built on (a rate's count, a percentage's numerator and denominator, a breakdown's total),
 * followed until nothing new is named, and the queries that give them. A series of one figure
 * computes only these.
 */
export function figureInputs(path: FigurePath): { sections: Set<PackSection>; queries: Set<string> } {
  const paths = new Set<string>([path]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const p of [...paths]) {
      const builtOn: readonly string[] = (packSuppression.derived as Record<string, readonly string[]>)[p] ?? [];
      const totals = packSuppression.breakdowns
        .filter((rule) => p.startsWith(`${rule.at}.`) || p === rule.at)
        .map((rule) => rule.total)
        .filter((total) => total !== 'sum');
      for (const next of [...builtOn, ...totals]) {
        if (!paths.has(next)) {
          paths.add(next);
          grown = true;
        }
      }
    }
  }
  const sections = new Set([...paths].map((p) => p.split('.')[0]!).filter((s) => sectionNames.has(s)) as PackSection[]);
  // A breakdown's cells come from the query of the breakdown ("drift.cp_open_by_duration.2y_plus").
  const queries = new Set(
    [...paths].flatMap((p) => {
      const query = figureQueries.get(p) ?? figureQueries.get(p.split('.').slice(0, 2).join('.'));
      return query ? [query] : [];
    }),
  );
  // Until every figure's query is known (the first whole pack), the whole sections are computed.
  return [...paths].every((p) => figureQueries.has(p) || figureQueries.has(p.split('.').slice(0, 2).join('.')))
    ? { sections, queries }
    : { sections, queries: new Set(metricsRegistry().names()) };
}

/**
 * A figure as a series over quarter ends or reporting years: every metric query it needs runs once
 * over the whole calendar of periods (METRICS.md §1 periods), not once per period, and only the
 * sections the figure reads are computed (sectionsFor).
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
  // A breakdown's cells vary with the data (lead agencies are free text): its figure is what is known.
  const known = (paths: Set<FigurePath>) =>
    paths.has(path) || (path.split('.').length === 3 && paths.has(path.split('.').slice(0, 2).join('.')));
  if (knownPaths && !known(knownPaths)) throw unknown();
  const periods = calendar(cadence, from, to);
  if (periods.length === 0) return [];
  if (!knownPaths) {
    // The first trend learns every figure's name from one whole pack (of one period, cheaply).
    const [whole] = await computeMetricsPacks(warehouse, periods.slice(-1), { benchmarks: false });
    const paths = figurePaths(whole!);
    const breakdowns = paths.filter((p) => p.split('.').length === 3).map((p) => p.split('.').slice(0, 2).join('.'));
    knownPaths = new Set([...paths, ...breakdowns]);
    if (!known(knownPaths)) throw unknown();
  }
  const { sections, queries } = figureInputs(path);
  const computed = await computeMetricsPacks(warehouse, periods, { benchmarks: false, sections, queries });
  // Each point is suppressed as its own pack would be, so a trend never shows what a pack hides; a
  // reporting year's point also hides what its quarters hide (linkedPeriods.ts).
  const packs = options.suppress ? await boardPacksForPeriods(warehouse, computed, { sections, queries }) : computed;
  return packs.map((pack) => ({ ...pack.period, value: valueAtPath(pack, path) as number | null }));
}
