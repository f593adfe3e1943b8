import type { DuckDBConnection } from '@duckdb/node-api';
import type { LaConfig } from '../sql/config.ts';
import { warehouseLa } from '../sql/reference.ts';
import type { Period } from './calendar.ts';
import type {
  BenchmarkMeasure,
  BenchmarkMeasureKey,
  Benchmarks,
  DfeStatus,
  FunnelData,
  FunnelLimit,
  FunnelPoint,
} from './contract/types.ts';
import { metricsRegistry } from './registry.ts';

/** The DfE measures benchmarked (METRICS.md §9), in the order sql/metrics/benchmarks.sql gives them. */
export const benchmarkMeasures = [
  'cp_open_rate_per_10k',
  'cp_starts_second_or_subsequent_pct',
  'cp_open_2y_plus_pct',
  'rereferrals_12m_pct',
  'assessments_neglect_pct',
  'assessments_within_45wd_pct',
  'icpcs_within_15wd_pct',
  'cp_open_neglect_initial_pct',
  'cp_starts_neglect_initial_pct',
  'lac_open_rate_per_10k',
  'referrals_schools_pct',
  'referrals_health_pct',
  'referrals_police_pct',
] as const satisfies readonly BenchmarkMeasureKey[];

// The shapes the API sends are defined once, in the contract the client shares.
export type { BenchmarkMeasure, BenchmarkMeasureKey, Benchmarks, DfeStatus } from './contract/types.ts';

/** DfE names a reporting year by the 31 March it ends on: 1 April 2024 to 31 March 2025 is 2025. */
export function reportingYearOf(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return month >= 4 ? year + 1 : year;
}

/**
 * METRICS.md §9 "the matching DfE reporting year": the reporting year the as-at date falls in, so a
 * quarter to 31 December 2024 is matched with DfE's 2025 (year to 31 March 2025); when that year is
 * not published yet, the newest published one, and the result says so (year_rule).
 */
export function matchingDfeYear(period: Period, latestPublished: number): number {
  return Math.min(reportingYearOf(period.to), latestPublished);
}

function likeWithLike(basis: BenchmarkMeasure['basis'], period: Period, year: number): boolean {
  if (basis === 'at_31_march') return period.to === `${year}-03-31`;
  return period.from >= `${year - 1}-04-01` && period.to <= `${year}-03-31`;
}

/**
 * England, region, statistical-neighbour and published-LA figures for the DfE year matching `period`
 * (METRICS.md §9). The LA is the one the warehouse records in `settings` unless `config` is given.
 */
export async function computeBenchmarks(c: DuckDBConnection, period: Period, config?: LaConfig): Promise<Benchmarks> {
  const la = config ?? (await warehouseLa(c));
  const comparator = la.benchmark_la_code ?? la.la_code;
  const registry = metricsRegistry();
  const years = await registry.runOne(c, 'benchmark_years');
  const reportingYear = reportingYearOf(period.to);
  const year = matchingDfeYear(period, years['latest_year'] as number);
  const params = { year, la: la.la_code, comparator };
  const rows = await registry.run(c, 'benchmarks', { params });
  const context = await registry.runOne(c, 'benchmark_comparator', { params });

  const measures = {} as Record<BenchmarkMeasureKey, BenchmarkMeasure>;
  for (const row of rows) {
    const basis = row['basis'] as BenchmarkMeasure['basis'];
    // The neglect share has England figures for 2019 and 2020 only: its year can be older than `year`.
    const measureYear = (row['year'] as number | null) ?? null;
    measures[row['measure'] as BenchmarkMeasureKey] = {
      year: measureYear,
      england: (row['england'] as number | null) ?? null,
      region: (row['region'] as number | null) ?? null,
      statistical_neighbours: {
        mean: (row['neighbours_mean'] as number | null) ?? null,
        count: row['neighbours_count'] as number,
      },
      la_published: (row['la_published'] as number | null) ?? null,
      la_published_status: (row['la_published_status'] as DfeStatus | null) ?? null,
      basis,
      like_with_like: measureYear !== null && likeWithLike(basis, period, measureYear),
    };
  }
  const neighbours = (
    (context['neighbours'] as { rank: number; la_code: string; la_name: string | null }[] | null) ?? []
  ).map((n) => ({
    rank: Number(n.rank),
    la_code: n.la_code,
    la_name: n.la_name,
  }));
  return {
    year,
    reporting_year: reportingYear,
    year_rule: year === reportingYear ? 'same_year' : 'latest_published',
    as_at: period.to,
    la_code: la.la_code,
    la_name: la.la_name,
    comparator_la_code: comparator,
    comparator_la_name: (context['comparator_la_name'] as string | null) ?? null,
    region: (context['region'] as string | null) ?? null,
    neighbours,
    measures,
  };
}

// ---------------------------------------------------------------------------------------------------
// Funnel plot of repeat plans (METRICS.md §9; Spiegelhalter 2005, Stat Med 24:1185).

export type { FunnelData, FunnelLimit, FunnelPoint } from './contract/types.ts';

export const z95 = 1.959964;
export const z998 = 3.090232;
/** The two-sided tail areas of z95 and z998: Φ(−1.959964) = 0.025, Φ(−3.090232) = 0.001. */
const tail95 = 0.025;
const tail998 = 0.001;
const gridPoints = 60;

/** p0 ± z·√(p0(1−p0)/n), kept within 0–1. */
export function normalFunnelLimits(p0: number, n: number): FunnelLimit {
  const se = Math.sqrt((p0 * (1 - p0)) / n);
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    n,
    lower95: clamp(p0 - z95 * se),
    upper95: clamp(p0 + z95 * se),
    lower998: clamp(p0 - z998 * se),
    upper998: clamp(p0 + z998 * se),
  };
}

/** P(R ≤ r) for R ~ Binomial(n, p), r = 0..n; the pmf by its ratio recurrence in logs, so large n cannot underflow. */
export function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  let sum = 0;
  for (let r = 0; r <= n; r += 1) {
    if (r > 0) logPmf += Math.log(n - r + 1) - Math.log(r) + logOdds;
    sum += Math.exp(logPmf);
    cdf[r] = Math.min(1, sum);
  }
  return cdf;
}

/**
 * Spiegelhalter's exact binomial control limit: r_q, the smallest r with P(R ≤ r) ≥ q, interpolated
 * to (r_q − α)/n with α = (P(R ≤ r_q) − q) / (P(R ≤ r_q) − P(R ≤ r_q − 1)), so the limit moves
 * smoothly with n instead of in whole-count steps.
 */
function exactLimit(cdf: Float64Array, n: number, q: number): number {
  let r = 0;
  while (r < n && cdf[r]! < q) r += 1;
  const atR = cdf[r]!;
  const below = r > 0 ? cdf[r - 1]! : 0;
  const alpha = atR > below ? (atR - q) / (atR - below) : 0;
  return Math.min(1, Math.max(0, (r - alpha) / n));
}

export function exactFunnelLimits(p0: number, n: number): FunnelLimit {
  if (!(p0 > 0 && p0 < 1)) return { n, lower95: p0, upper95: p0, lower998: p0, upper998: p0 };
  const cdf = binomialCdf(n, p0);
  return {
    n,
    lower95: exactLimit(cdf, n, tail95),
    upper95: exactLimit(cdf, n, 1 - tail95),
    lower998: exactLimit(cdf, n, tail998),
    upper998: exactLimit(cdf, n, 1 - tail998),
  };
}

// ---------------------------------------------------------------------------------------------------
// Over-dispersion (Spiegelhalter 2005, "Handling over-dispersion of performance indicators", Qual Saf
// Health Care 14:347). Repeat-plan proportions vary between LAs far more than binomial chance allows
// (59 of 152 LAs outside the 95% limits in 2025, where about 8 would be expected), because LAs differ
// in ways no sampling error describes. The additive random-effects method NHS England and PHE use
// widens each limit by a between-LA variance τ²:
//   1. z_i = (y_i − p0) / s_i with y_i = r_i / n_i and s_i = √(p0(1 − p0) / n_i), the proportion scale;
//   2. winsorise: z-scores below the 10th percentile are set to it, above the 90th to it (type-7
//      quantiles, R's default), so the LAs that are truly different do not inflate the estimate;
//   3. φ = Σ z_i² / k over the k winsorised z-scores (the multiplicative over-dispersion factor);
//   4. τ² = (kφ − (k − 1)) / (Σ w_i − Σ w_i² / Σ w_i), w_i = 1 / s_i², and τ² = 0 when kφ ≤ k − 1
//      (no more spread than chance: the adjusted limits are then the normal ones);
//   5. limits p0 ± z · √(s²(n) + τ²), z = 1.959964 (95%) and 3.090232 (99.8%), kept within 0–1.
// Only the published LAs enter the estimate; the LA's own point from local data is placed against it.

export type Overdispersion = FunnelData['overdispersion'];

/** R's type-7 quantile of ascending `sorted`. */
function quantile7(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

/** φ and τ² from the published points (numerator of denominator) around p0; see the steps above. */
export function estimateOverdispersion(
  points: readonly { numerator: number; denominator: number }[],
  p0: number,
): Overdispersion {
  const used = points.filter((p) => p.denominator > 0);
  const k = used.length;
  if (k < 2 || !(p0 > 0 && p0 < 1))
    return { method: 'additive_random_effects', k, winsorised_to: [0, 0], phi: 1, tau2: 0 };
  const variances = used.map((p) => (p0 * (1 - p0)) / p.denominator);
  const z = used.map((p, i) => (p.numerator / p.denominator - p0) / Math.sqrt(variances[i]!));
  const sorted = [...z].sort((a, b) => a - b);
  const low = quantile7(sorted, 0.1);
  const high = quantile7(sorted, 0.9);
  const phi = z.reduce((sum, zi) => sum + Math.min(high, Math.max(low, zi)) ** 2, 0) / k;
  const weights = variances.map((v) => 1 / v);
  const sumW = weights.reduce((a, b) => a + b, 0);
  const sumW2 = weights.reduce((a, b) => a + b * b, 0);
  const tau2 = k * phi > k - 1 ? (k * phi - (k - 1)) / (sumW - sumW2 / sumW) : 0;
  return { method: 'additive_random_effects', k, winsorised_to: [low, high], phi, tau2 };
}

/** p0 ± z·√(p0(1−p0)/n + τ²), kept within 0–1: the over-dispersion-adjusted limits at n. */
export function overdispersedFunnelLimits(p0: number, n: number, tau2: number): FunnelLimit {
  const se = Math.sqrt((p0 * (1 - p0)) / n + tau2);
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    n,
    lower95: clamp(p0 - z95 * se),
    upper95: clamp(p0 + z95 * se),
    lower998: clamp(p0 - z998 * se),
    upper998: clamp(p0 + z998 * se),
  };
}

/** Whole plan counts from the smallest to the largest denominator, evenly spaced on log n, both ends included. */
export function funnelGrid(smallest: number, largest: number, points = gridPoints): number[] {
  const low = Math.max(1, Math.round(smallest));
  const high = Math.max(low, Math.round(largest));
  const grid = new Set<number>();
  for (let i = 0; i < points; i += 1) grid.add(Math.round(low * Math.pow(high / low, i / (points - 1))));
  return [...grid].sort((a, b) => a - b);
}

/**
 * Funnel plot data for CP plans starting in DfE year `year` that were a second or subsequent plan:
 * every LA DfE publishes (points), England's proportion p0, and the 95% and 99.8% limits around p0 on
 * a log-spaced grid of n spanning every point, the local one included. `limits` are exact
 * binomial, which at the smallest LAs (Rutland: 38 starts in 2025) differ from the normal
 * approximation by up to a percentage point and are not symmetric; the normal ones come alongside,
 * and the over-dispersion-adjusted ones (above), which the board pack draws.
 * `localPoint` is the LA's own figure from its data (METRICS.md §4 over the same reporting year).
 */
export async function computeRepeatFunnel(
  c: DuckDBConnection,
  year: number,
  localPoint?: { numerator: number; denominator: number; label?: string },
): Promise<FunnelData> {
  const rows = await metricsRegistry().run(c, 'repeat_funnel', { params: { year } });
  const england = rows.find((row) => row['geographic_level'] === 'National');
  const englandNumerator = (england?.['cp_starts_second_or_subsequent'] as number | null | undefined) ?? null;
  const englandDenominator = (england?.['cp_starts'] as number | null | undefined) ?? null;
  if (englandNumerator === null || englandDenominator === null || englandDenominator <= 0) {
    throw new Error(`no England figure for second or subsequent CP plans in DfE year ${year}`);
  }
  const p0 = englandNumerator / englandDenominator;

  const points: FunnelPoint[] = [];
  const excluded: FunnelData['excluded'] = [];
  for (const row of rows.filter((r) => r['geographic_level'] === 'Local authority')) {
    const laCode = row['area_code'] as string;
    const label = (row['la_name'] as string | null) ?? laCode;
    const numerator = row['cp_starts_second_or_subsequent'] as number | null;
    const denominator = row['cp_starts'] as number | null;
    if (numerator === null || denominator === null) {
      const symbol = (denominator === null ? row['cp_starts_status'] : row['cp_starts_second_or_subsequent_status']) as
        string | null;
      excluded.push({
        la_code: laCode,
        label,
        reason: `${denominator === null ? 'plan starts' : 'second or subsequent starts'} withheld by DfE (${symbol ?? 'x'})`,
      });
    } else if (denominator <= 0) {
      excluded.push({ la_code: laCode, label, reason: 'no plan starts' });
    } else {
      points.push({ la_code: laCode, label, numerator, denominator, proportion: numerator / denominator });
    }
  }
  if (localPoint && localPoint.denominator > 0) {
    const label = localPoint.label ?? `${(await warehouseLa(c)).la_name} (local data)`;
    points.push({
      label,
      numerator: localPoint.numerator,
      denominator: localPoint.denominator,
      proportion: localPoint.numerator / localPoint.denominator,
      highlight: true,
    });
  }

  const denominators = points.map((p) => p.denominator);
  const grid = points.length > 0 ? funnelGrid(Math.min(...denominators), Math.max(...denominators)) : [];
  const overdispersion = estimateOverdispersion(
    points.filter((p) => !p.highlight),
    p0,
  );
  return {
    year,
    // The DfE reporting year the points describe, for the chart's visible label and the sentence: it
    // is the year to 31 March, not the quarter of the headline beside it.
    period: { from: `${year - 1}-04-01`, to: `${year}-03-31` },
    p0,
    england: { numerator: englandNumerator, denominator: englandDenominator },
    points,
    excluded,
    limits: grid.map((n) => exactFunnelLimits(p0, n)),
    normal_limits: grid.map((n) => normalFunnelLimits(p0, n)),
    overdispersed_limits: grid.map((n) => overdispersedFunnelLimits(p0, n, overdispersion.tau2)),
    overdispersion,
    method:
      'Exact binomial limits around England’s proportion (Spiegelhalter 2005, interpolated quantiles) at 95% (z = 1.959964) and 99.8% (z = 3.090232); normal_limits are p0 ± z·√(p0(1−p0)/n); ' +
      'overdispersed_limits are p0 ± z·√(p0(1−p0)/n + τ²), τ² by additive random effects on the proportion scale from z-scores winsorised at the 10th and 90th percentiles (Spiegelhalter 2005, as NHS England and PHE use).',
  };
}
