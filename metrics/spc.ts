import type { DuckDBConnection } from '@duckdb/node-api';
import { metricsRegistry } from './registry.ts';

/**
 * Statistical process control on one series (tech-anchors §5.1, NHS England "Making Data Count").
 * The arithmetic and the rules live in sql/metrics/spc.sql (query `spc_xmr`); this module only
 * moves the series in and shapes the answer.
 *
 * Decisions (also in the SQL header):
 * - 15 or more non-null points give an XmR chart; fewer give a run chart (median, no limits,
 *   shift and trend rules only), because limits from a handful of moving ranges are too unstable.
 * - A point on the centre line breaks a shift; a repeated value breaks a trend (NHS England's SPC
 *   SQL and NHSRplotthedots both count only strict rises or falls).
 * - A null value is a gap: left out of every calculation, so a moving range and a run span it.
 * - A signal's direction is that of its strongest rule (trend > shift > two of three > single
 *   point, NHS order), so a falling trend that is still above the mean reads as falling.
 */

export type Improvement = 'up' | 'down' | 'neither';
export type SpcRule = 'outside_limits' | 'shift' | 'trend' | 'two_of_three';
export type Variation = 'common_cause' | 'special_cause_improvement' | 'special_cause_concern' | 'special_cause_neither';

export interface SpcPoint {
  period_to: string;
  value: number | null;
  moving_range: number | null;
  /** -1 below, 0 on, 1 above the centre line; null for a gap. */
  side: number | null;
  /** The rules this point is part of, strongest first. */
  rules: SpcRule[];
  /** 1 rising or high, -1 falling or low; null when the point carries no signal. */
  signal_direction: number | null;
  /** null for a gap. */
  variation: Variation | null;
}

export interface SpcLimits {
  upl: number;
  lpl: number;
  upper_2s: number;
  lower_2s: number;
  upper_1s: number;
  lower_1s: number;
}

export interface SpcResult {
  chart: 'xmr' | 'run';
  improvement: Improvement;
  /** Non-null points; the chart type depends on this, not on the series length. */
  n_points: number;
  /** Mean on an XmR chart, median on a run chart; null for an empty series. */
  centre: number | null;
  mean: number | null;
  median: number | null;
  /** XmR only. */
  mr_bar: number | null;
  limits: SpcLimits | null;
  points: SpcPoint[];
  /** Which rules fired anywhere in the series. */
  signals: SpcRule[];
}

export const xmrMinimumPoints = 15;
export const shiftLength = 7;
export const trendLength = 6;

// Strongest first: the order a point's rules are listed in, and the NHS precedence.
const ruleOrder: SpcRule[] = ['trend', 'shift', 'two_of_three', 'outside_limits'];

export async function spcAnalysis(
  c: DuckDBConnection,
  series: { period_to: string; value: number | null }[],
  options: { improvement?: Improvement } = {},
): Promise<SpcResult> {
  const improvement = options.improvement ?? 'neither';
  if (!['up', 'down', 'neither'].includes(improvement)) throw new Error(`improvement must be up, down or neither, not ${String(improvement)}`);
  for (const point of series) {
    if (point.value !== null && !Number.isFinite(point.value)) {
      throw new Error(`SPC value for ${point.period_to} is not a finite number: ${String(point.value)}`);
    }
  }

  // A VALUES list rather than the appender: the appender refuses read-only warehouses, even for temp
  // tables. Values are checked finite numbers and dates are checked ISO dates, so the list is safe.
  for (const point of series) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(point.period_to))) throw new Error(`SPC period is not a date: ${String(point.period_to)}`);
  }
  const values = series.map((point, idx) => `(${idx}, '${point.period_to}', ${point.value === null ? 'NULL' : String(point.value)}::DOUBLE)`);
  await c.run(
    series.length === 0
      ? 'CREATE OR REPLACE TEMP TABLE spc_series (idx INTEGER, period_to VARCHAR, value DOUBLE)'
      : `CREATE OR REPLACE TEMP TABLE spc_series AS SELECT * FROM (VALUES ${values.join(', ')}) AS v(idx, period_to, value)`,
  );

  const rows = await metricsRegistry().run(c, 'spc_xmr', { params: { improvement } });
  return shapeResult(rows, improvement);
}

type Row = Record<string, unknown>;

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function shapeResult(rows: Row[], improvement: Improvement): SpcResult {
  const first = rows[0];
  const chart = first?.['chart'] === 'xmr' ? 'xmr' : 'run';
  const upl = num(first?.['upl']);
  const lpl = num(first?.['lpl']);
  const limits: SpcLimits | null =
    chart === 'xmr' && upl !== null && lpl !== null
      ? {
          upl,
          lpl,
          upper_2s: num(first?.['upper_2s'])!,
          lower_2s: num(first?.['lower_2s'])!,
          upper_1s: num(first?.['upper_1s'])!,
          lower_1s: num(first?.['lower_1s'])!,
        }
      : null;

  const points: SpcPoint[] = rows.map((row) => {
    const rules = ruleOrder.filter((rule) => row[rule] === true);
    return {
      period_to: String(row['period_to']),
      value: num(row['value']),
      moving_range: num(row['moving_range']),
      side: num(row['side']),
      rules,
      signal_direction: num(row['signal_direction']),
      variation: (row['variation'] as Variation | null) ?? null,
    };
  });

  return {
    chart,
    improvement,
    n_points: num(first?.['n_points']) ?? 0,
    centre: num(first?.['centre']),
    mean: num(first?.['mean']),
    median: num(first?.['median']),
    mr_bar: chart === 'xmr' ? num(first?.['mr_bar']) : null,
    limits,
    points,
    signals: ruleOrder.filter((rule) => points.some((p) => p.rules.includes(rule))),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain-English reading

/**
 * One sentence a board member can read, generated from the result. It reports the signal that
 * touches the latest point (the one a board acts on), else says whether anything earlier fired;
 * it calls a signal an improvement or a concern only when the caller said which way is better.
 */
export function describeSpc(result: SpcResult, label: string): string {
  const real = result.points.filter((p) => p.value !== null);
  if (real.length === 0) return `There is no data yet for ${label}.`;
  const unit = periodUnit(result.points.map((p) => p.period_to));
  const centreWord = result.chart === 'xmr' ? 'average' : 'median';
  const last = real[real.length - 1]!;
  const judgement = judgementOf(last.variation);

  if (last.rules.includes('trend')) {
    // Counts points, not steps: the point the first rise left from belongs to the trend.
    const length = trailing(real, (p, next) => next === undefined || (p.value! - next.value!) * last.signal_direction! < 0);
    const verb = last.signal_direction! > 0 ? 'risen' : 'fallen';
    return `${capitalise(label)} has ${verb} for ${length} ${unit.plural} in a row, a signal of real change${judgement}.`;
  }
  if (last.rules.includes('shift')) {
    const length = trailing(real, (p) => p.side === last.side);
    const where = last.side! > 0 ? 'above' : 'below';
    return `The last ${length} ${unit.plural} of ${label} are all ${where} the ${centreWord}, a signal of real change${judgement}.`;
  }
  if (last.rules.includes('two_of_three')) {
    const where = last.side! > 0 ? 'upper' : 'lower';
    return `Two of the last three ${unit.plural} of ${label} are close to the ${where} process limit, a signal of real change${judgement}.`;
  }
  if (last.rules.includes('outside_limits')) {
    const where = last.side! > 0 ? 'above the upper' : 'below the lower';
    return `The latest ${unit.singular} of ${label} is ${where} process limit, an unusual value (special cause)${judgement}.`;
  }

  const earlier = [...real].reverse().find((p) => p.rules.length > 0);
  if (earlier) {
    return `The latest ${unit.singular} of ${label} shows no signal of change, but there was one earlier in the series (last at ${earlier.period_to}).`;
  }
  if (result.chart === 'run') {
    return `No signal of change in ${label} over ${real.length} ${unit.plural} (a run chart: ${xmrMinimumPoints} or more are needed for process limits).`;
  }
  return `Variation in ${label} over ${real.length} ${unit.plural} is within the expected range (common cause).`;
}

function judgementOf(variation: Variation | null): string {
  if (variation === 'special_cause_improvement') return ' (an improvement)';
  if (variation === 'special_cause_concern') return ' (a concern)';
  return '';
}

/** How many of the latest points in a row satisfy `keep` (given the point and the one after it). */
function trailing(points: SpcPoint[], keep: (point: SpcPoint, next: SpcPoint | undefined) => boolean): number {
  let count = 0;
  for (let i = points.length - 1; i >= 0; i -= 1) {
    const point = points[i]!;
    const next = points[i + 1];
    if (!keep(point, next)) break;
    count += 1;
  }
  return count;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Quarters, months or years from the spacing of the dates, so the sentence speaks as the board does. */
function periodUnit(dates: string[]): { singular: string; plural: string } {
  const months = dates
    .map((d) => /^(\d{4})-(\d{2})-\d{2}$/.exec(d))
    .map((m) => (m ? Number(m[1]) * 12 + Number(m[2]) : null));
  const gaps: number[] = [];
  for (let i = 1; i < months.length; i += 1) {
    const a = months[i - 1];
    const b = months[i];
    if (a === null || b === null || a === undefined || b === undefined) return { singular: 'value', plural: 'values' };
    gaps.push(b - a);
  }
  if (gaps.length > 0 && gaps.every((g) => g === 3)) return { singular: 'quarter', plural: 'quarters' };
  if (gaps.length > 0 && gaps.every((g) => g === 1)) return { singular: 'month', plural: 'months' };
  if (gaps.length > 0 && gaps.every((g) => g === 12)) return { singular: 'year', plural: 'years' };
  return { singular: 'value', plural: 'values' };
}
