import type { Warehouse } from '../sql/warehouse.ts';
import { calendar, type Cadence } from './calendar.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { computeMetricsPacks, extraFamilies, packFamilies, type MetricsPack, type PackSection } from './figures.ts';
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

const sectionNames: ReadonlySet<string> = new Set<PackSection>([...packFamilies, ...extraFamilies]);

/** The inputs of one figure's series: the pack sections and, of their row queries, those it reads. */
export interface FigureInputs {
  sections: Set<PackSection>;
  queries: Set<string>;
}

/**
 * What a figure's value and its board suppression read: its own query, and those of the counts it
 * is built on (a rate's count, a percentage's numerator and denominator, a breakdown's total),
 * followed until nothing new is named. A series of one figure computes only these. Undefined for a
 * figure no query gives.
 */
export async function figureInputs(c: DuckDBConnection, path: FigurePath): Promise<FigureInputs | undefined> {
  if (!sectionNames.has(path.split('.')[0]!)) return undefined;
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
  // Only the families the figure and its counts are in are described.
  const sources = await metricsRegistry().figureSourcesOn(c, [...sections]);
  const sourceOf = (p: string) => {
    const own = sources.get(p);
    if (own) return own;
    const parts = p.split('.');
    const breakdown = parts.length === 3 ? sources.get(parts.slice(0, 2).join('.')) : undefined;
    return breakdown?.anyCell ? breakdown : undefined;
  };
  if (!sourceOf(path)) return undefined;
  const queries = new Set([...paths].flatMap((p) => sourceOf(p)?.query ?? []));
  return { sections, queries };
}

/**
 * A figure as a series over quarter ends or reporting years: every metric query it reads runs once
 * over the whole calendar of periods (METRICS.md §1 periods), not once per period, and no other
 * (figureInputs).
 */
export async function figureTrend(
  warehouse: Warehouse,
  path: FigurePath,
  cadence: Cadence,
  from: string,
  to: string,
  options: { suppress?: boolean } = {},
): Promise<TrendPoint[]> {
  const inputs = await warehouse.withConnection((c) => figureInputs(c, path));
  if (!inputs)
    throw new UnknownFigureError(
      `unknown figure '${path.slice(0, 80)}' (for example prevalence.cp_open_neglect_initial, repeat.rereferrals_12m)`,
    );
  const periods = calendar(cadence, from, to);
  if (periods.length === 0) return [];
  const computed = await computeMetricsPacks(warehouse, periods, { benchmarks: false, ...inputs });
  // Each point is suppressed as its own pack would be, so a trend never shows what a pack hides; a
  // reporting year's point also hides what its quarters hide (linkedPeriods.ts).
  const packs = options.suppress ? await boardPacksForPeriods(warehouse, computed, inputs) : computed;
  return packs.map((pack) => ({ ...pack.period, value: (valueAtPath(pack, path) ?? null) as number | null }));
}
