import type { DuckDBConnection } from '@duckdb/node-api';
import type { LaConfig } from '../config.ts';
import type { Period } from './calendar.ts';
import { metricsRegistry } from './registry.ts';

export interface BenchmarkMeasure {
  england: number | null;
  region: number | null;
  statistical_neighbours: { mean: number | null; count: number };
  la_published: number | null;
}

export interface Benchmarks {
  /** DfE reporting year (year ending 31 March) the figures are for. */
  year: number;
  la_code: string;
  comparator_la_code: string;
  region: string | null;
  measures: Record<string, BenchmarkMeasure>;
}

/**
 * The DfE year matching a period (METRICS.md §9 "for the matching DfE reporting year"): the reporting
 * year that contains the as-at date, or the newest published one when that is not out yet.
 */
export function matchingDfeYear(period: Period, latestPublished: number): number {
  const [year, month] = period.to.split('-').map(Number) as [number, number];
  const reportingYear = month >= 4 ? year + 1 : year;
  return Math.min(reportingYear, latestPublished);
}

export async function computeBenchmarks(c: DuckDBConnection, period: Period, config: LaConfig): Promise<Benchmarks> {
  const registry = metricsRegistry();
  const latest = (await registry.runOne(c, 'benchmark_years'))['latest_year'] as number;
  const year = matchingDfeYear(period, latest);
  const comparator = config.benchmark_la_code ?? config.la_code;
  const rows = await registry.run(c, 'benchmarks', { params: { year, la: config.la_code, comparator } });
  const measures: Record<string, BenchmarkMeasure> = {};
  for (const row of rows) {
    measures[row['measure'] as string] = {
      england: (row['england'] as number | null) ?? null,
      region: (row['region'] as number | null) ?? null,
      statistical_neighbours: { mean: (row['statistical_neighbours'] as number | null) ?? null, count: row['neighbours'] as number },
      la_published: (row['la_published'] as number | null) ?? null,
    };
  }
  return { year, la_code: config.la_code, comparator_la_code: comparator, region: (rows[0]?.['region_name'] as string | null) ?? null, measures };
}

export interface FunnelData {
  year: number;
  p0: number;
  points: { label: string; numerator: number; denominator: number; highlight?: boolean }[];
  limits: { n: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}

const z95 = 1.959964;
const z998 = 3.090232;

/**
 * Funnel plot of second or subsequent CP plans: every LA for the DfE year, with 95% and 99.8% limits
 * around England's proportion p0 on a log-spaced grid of plan starts, p0 ± z·√(p0(1−p0)/n) (the
 * normal approximation to the binomial; with the smallest LAs near 30 starts it is close to exact,
 * and limits are kept within 0–1). The LA's own point is added when given.
 */
export async function computeRepeatFunnel(
  c: DuckDBConnection, year: number, local?: { label: string; numerator: number; denominator: number },
): Promise<FunnelData> {
  const rows = await metricsRegistry().run(c, 'repeat_funnel_points', { params: { year } });
  const p0 = (rows[0]?.['p0'] as number | undefined) ?? NaN;
  const points: FunnelData['points'] = rows.map((r) => ({ label: r['la_name'] as string, numerator: r['numerator'] as number, denominator: r['denominator'] as number }));
  if (local && local.denominator > 0) points.push({ ...local, highlight: true });
  const ns = points.map((p) => p.denominator);
  const min = Math.max(1, Math.min(...ns));
  const max = Math.max(...ns);
  const limits = Array.from({ length: 60 }, (_, i) => {
    const n = min * Math.pow(max / min, i / 59);
    const se = Math.sqrt((p0 * (1 - p0)) / n);
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return { n, lower95: clamp(p0 - z95 * se), upper95: clamp(p0 + z95 * se), lower998: clamp(p0 - z998 * se), upper998: clamp(p0 + z998 * se) };
  });
  return { year, p0, points, limits };
}
