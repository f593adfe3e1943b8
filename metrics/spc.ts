import { oneDecimalText } from './numberText.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../sql/warehouse.ts';
import { isRealDate } from './calendar.ts';
import { fullMonthNames, quartersInside } from './contract/quarters.ts';
import { metricsRegistry } from './registry.ts';
import { figureTrend } from './trend.ts';
// The result's shapes are the API's: defined once in the contract the client shares.
import type {
  Improvement,
  SpcFlag,
  SpcLimits,
  SpcPoint,
  SpcResult,
  SpcRule,
  SpcSegment,
  Variation,
} from './contract/types.ts';

export type {
  Improvement,
  SpcFlag,
  SpcLimits,
  SpcPoint,
  SpcResult,
  SpcRule,
  SpcSegment,
  Variation,
} from './contract/types.ts';

/**
 * Statistical process control on one series (METRICS.md §13 "SPC rules" and "SPC limits", NHS
 * England "Making Data Count"). The arithmetic and the rules are defined once, in
 * sql/metrics/spc.sql (query `spc_xmr`); this module binds the series to it, shapes the answer and
 * puts it into words. The decisions the rules leave open are in the SQL header.
 */

export const xmrMinimumPoints = 15;

export interface SpcInputPoint {
  period_to: string;
  /** 'c' is a suppressed count (METRICS.md §7): a gap in the analysis, reported as suppressed. */
  value: number | null | 'c';
}

export interface SpcOptions {
  improvement?: Improvement;
  /**
   * Recorded changes in the process (METRICS.md §13 "SPC limits": an annotation marked as a change
   * in the process), as dates: from the first period ending on or after each, the limits are
   * recalculated from a new baseline. Without any, one baseline serves the whole series.
   */
  recalculateFrom?: string[];
}

export async function spcAnalysis(
  c: DuckDBConnection,
  series: SpcInputPoint[],
  options: SpcOptions = {},
): Promise<SpcResult> {
  const improvement = options.improvement ?? 'neither';
  if (!['up', 'down', 'neither'].includes(improvement)) {
    throw new Error(`improvement must be up, down or neither, not ${String(improvement)}`);
  }
  for (const point of series) {
    if (!isRealDate(String(point.period_to))) {
      throw new Error(`SPC period is not a date: ${String(point.period_to).slice(0, 40)}`);
    }
    const value: unknown = point.value;
    if (value !== null && value !== 'c' && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new Error(`SPC value for ${point.period_to} is not a finite number: ${String(value).slice(0, 40)}`);
    }
  }
  for (let i = 1; i < series.length; i += 1) {
    if (series[i]!.period_to <= series[i - 1]!.period_to) throw new Error('SPC periods must be in order, each once');
  }
  const recalculateFrom = options.recalculateFrom ?? [];
  for (const date of recalculateFrom) {
    if (!isRealDate(String(date))) {
      throw new Error(`SPC recalculation point is not a date: ${String(date).slice(0, 40)}`);
    }
  }

  // Bound as parameters (JSON text the query casts to a list), never pasted into the SQL: the
  // appender would need a writable database, and a read-only warehouse serves the board.
  const rows = await metricsRegistry().run(c, 'spc_xmr', {
    params: {
      improvement,
      series: JSON.stringify(
        series.map((p) => ({ period_to: p.period_to, value: typeof p.value === 'number' ? p.value : null })),
      ),
      recalculate_from: JSON.stringify(recalculateFrom),
    },
  });
  return shapeResult(rows, series, improvement);
}

/**
 * The series a pack's SPC judges a figure on: every quarter from the first the data can answer
 * (wholly after the first recorded referral) up to `to`. METRICS.md §13 "SPC limits": the limits
 * come from the first 15 points and are extended forward, so the series must start at the same
 * place in every pack; a series that starts five years back from the pack's quarter would move its
 * baseline, and its published signals, every quarter. Suppressed points stay `c`.
 */
export async function spcHistory(
  warehouse: Warehouse,
  path: string,
  to: string,
  options: { suppress?: boolean; known?: SpcInputPoint[] } = {},
): Promise<SpcInputPoint[]> {
  // The first recorded event: a referral or, in extracts without referrals, a plan's start.
  const first = await warehouse.withConnection(async (c) => {
    const rows = (
      await c.runAndReadAll(
        'SELECT min(d)::VARCHAR AS first FROM ' +
          '(SELECT min(referral_date) AS d FROM referrals UNION ALL SELECT min(start_date) FROM cp_plans)',
      )
    ).getRowObjectsJson();
    return rows[0]?.['first'] as string | null | undefined;
  });
  const from = first && first <= to ? quartersInside(first, to).at(-1)?.from : undefined;
  // No answerable quarter (no events yet): the caller's own points are all there is to judge.
  if (!from) return options.known ?? [];
  // Quarters the caller has already computed (a pack's own five years) are not computed again.
  const known = (options.known ?? []).filter((p) => p.period_to >= from && p.period_to <= to);
  const knownFrom = known[0]?.period_to;
  const earlierTo = knownFrom ? dayBefore(knownFrom) : to;
  const suppress = options.suppress;
  const earlier = earlierTo >= from ? await figureTrend(warehouse, path, 'quarter', from, earlierTo, { suppress }) : [];
  const series: SpcInputPoint[] = [
    ...earlier.map((p) => ({
      period_to: p.to,
      value: typeof p.value === 'number' ? p.value : p.value === 'c' ? ('c' as const) : null,
    })),
    ...known,
  ];
  // Quarters before the figure has a value (a rate before the first population year) are not a gap.
  const start = series.findIndex((p) => p.value !== null);
  return start < 0 ? [] : series.slice(start);
}

function dayBefore(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The result as a chart and table show it: only the points from `from` on, with the judgement
 * (baseline, segments, limits, flags) made over the whole series. n_points stays the number judged.
 */
export function spcShownFrom(result: SpcResult, from: string | undefined): SpcResult {
  if (!from) return result;
  const points = result.points.filter((p) => p.period_to >= from);
  return { ...result, points, signals: ruleOrder.filter((rule) => points.some((p) => p.rules.includes(rule))) };
}

type Row = Record<string, unknown>;

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// The order a point's flags are listed in: what the point is, then the patterns it belongs to.
const ruleOrder: SpcRule[] = ['outside_limits', 'two_of_three', 'shift', 'trend'];

function limitsOf(row: Row): SpcLimits | null {
  if (row['chart'] !== 'xmr' || row['upl'] === null) return null;
  return {
    upl: num(row['upl'])!,
    lpl: num(row['lpl'])!,
    upper_2s: num(row['upper_2s'])!,
    lower_2s: num(row['lower_2s'])!,
    upper_1s: num(row['upper_1s'])!,
    lower_1s: num(row['lower_1s'])!,
  };
}

/** The words for one rule, shared by the table (signal_words) and the sentence (describeSpc). */
export function ruleWords(rule: SpcRule, direction: 1 | -1, length?: number | null): string {
  const side = direction > 0 ? 'above' : 'below';
  switch (rule) {
    case 'outside_limits':
      return direction > 0 ? 'above the upper limit' : 'below the lower limit';
    case 'shift':
      return `${length ?? 7} points in a row ${side} the mean`;
    case 'trend':
      return `${length ?? 7} points each ${direction > 0 ? 'higher' : 'lower'} than the one before`;
    case 'two_of_three':
      return `2 of 3 points beyond the 2σ line ${side} the mean`;
  }
}

function flagsOf(row: Row): SpcFlag[] {
  const side = num(row['side']);
  const flags: SpcFlag[] = [];
  const add = (rule: SpcRule, direction: 1 | -1, length?: number | null) =>
    flags.push({ rule, direction, words: ruleWords(rule, direction, length) });
  if (row['outside_limits'] === true && side) add('outside_limits', side > 0 ? 1 : -1);
  if (row['two_of_three_up'] === true) add('two_of_three', 1);
  if (row['two_of_three_down'] === true) add('two_of_three', -1);
  if (row['shift'] === true && side) add('shift', side > 0 ? 1 : -1, num(row['shift_length']));
  if (row['trend_up'] === true) add('trend', 1, num(row['trend_up_length']));
  if (row['trend_down'] === true) add('trend', -1, num(row['trend_down_length']));
  return flags;
}

const variationWords: Record<Variation, string> = {
  common_cause: 'common cause',
  special_cause_improvement: 'special cause (improvement)',
  special_cause_concern: 'special cause (concern)',
  special_cause_neither: 'special cause',
};

function signalWords(point: Pick<SpcPoint, 'value' | 'suppressed' | 'variation' | 'flags'>): string {
  if (point.suppressed) return 'no value (suppressed, not judged)';
  if (point.value === null || point.variation === null) return 'no value';
  if (point.variation === 'common_cause') return 'common cause';
  const both = new Set(point.flags.map((f) => f.direction)).size > 1;
  const what =
    both && point.variation === 'special_cause_concern'
      ? 'special cause (concern: flagged both ways)'
      : variationWords[point.variation];
  return `${what}: ${point.flags.map((f) => f.words).join('; ')}`;
}

function shapeResult(rows: Row[], series: SpcInputPoint[], improvement: Improvement): SpcResult {
  // Segments in order of first appearance; a segment with no values at all has no baseline and is
  // left out (its gaps belong to no judgement), so indexes are remapped.
  const segmentIndex = new Map<number, number>();
  const segments: SpcSegment[] = [];
  for (const row of rows) {
    const seg = num(row['segment'])!;
    if (segmentIndex.has(seg) || row['chart'] === null || row['chart'] === undefined) continue;
    segmentIndex.set(seg, segments.length);
    segments.push({
      from: String(row['seg_from']),
      to: String(row['seg_to']),
      chart: row['chart'] === 'xmr' ? 'xmr' : 'run',
      n_points: num(row['seg_points'])!,
      baseline: {
        from: String(row['baseline_from']),
        to: String(row['baseline_to']),
        n_points: num(row['baseline_points'])!,
      },
      mean: num(row['centre'])!,
      mr_bar: row['chart'] === 'xmr' ? num(row['mr_bar']) : null,
      limits: limitsOf(row),
    });
  }

  const points: SpcPoint[] = rows.map((row, i) => {
    const flags = flagsOf(row).sort((a, b) => ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule));
    const point = {
      period_to: String(row['period_to']),
      value: num(row['value']),
      suppressed: series[i]?.value === 'c',
      moving_range: num(row['moving_range']),
      side: num(row['side']),
      segment: segmentIndex.get(num(row['segment'])!) ?? Math.max(0, segments.length - 1),
      rules: [...new Set(flags.map((f) => f.rule))],
      flags,
      signal_direction: num(row['signal_direction']),
      variation: (row['variation'] as Variation | null) ?? null,
    };
    return { ...point, signal_words: signalWords(point) };
  });

  const lastReal = [...points].reverse().find((p) => p.value !== null);
  const latest = lastReal ? segments[lastReal.segment] : undefined;
  return {
    chart: latest?.chart ?? 'run',
    improvement,
    n_points: points.filter((p) => p.value !== null).length,
    centre: latest?.mean ?? null,
    mean: latest?.mean ?? null,
    mr_bar: latest?.mr_bar ?? null,
    limits: latest?.limits ?? null,
    baseline: latest?.baseline ?? null,
    segments,
    points,
    signals: ruleOrder.filter((rule) => points.some((p) => p.rules.includes(rule))),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain-English reading

/**
 * One sentence a board member can read, generated from the result. It reports what the latest
 * point shows (the one a board acts on), naming each rule that fired in the words of the table,
 * else says when the last signal was; it calls a signal an improvement or a concern only when the
 * caller said which way is better. Dates are written as a board reads them ("March 2026").
 */
export function describeSpc(result: SpcResult, label: string): string {
  const real = result.points.filter((p): p is SpcPoint & { value: number } => p.value !== null);
  if (real.length === 0) return `There is no data yet for ${label}.`;
  const unit = periodUnit(result.points.map((p) => p.period_to));
  const last = real[real.length - 1]!;
  const segment = result.segments[last.segment];

  if (!segment || segment.chart === 'run') {
    const since =
      last.segment > 0 && segment ? ` since the change in the process recorded from ${dateInWords(segment.from)}` : '';
    const n = segment?.n_points ?? real.length;
    const points = `${countInWords(n)} ${n === 1 ? unit.singular : unit.plural}`;
    return (
      `There are too few points to judge ${label}${since}: ${points}, ` +
      `and ${xmrMinimumPoints} are needed for process limits, so no signal is read.`
    );
  }

  const at = `${dateInWords(last.period_to)} at ${numberInWords(last.value)}`;
  if (last.flags.length > 0) {
    const words = last.flags.map((flag) => `${flag.words}${lineValue(flag, segment)}`);
    const what = `special cause variation${judgementOf(last)}`;
    return `The latest ${unit.singular} of ${label}, ${at}, is ${what}: ${listInWords(words)}.`;
  }
  const earlier = [...real].reverse().find((p) => p.flags.length > 0);
  if (earlier) {
    return (
      `The latest ${unit.singular} of ${label}, ${at}, shows common cause variation; the last signal was at ` +
      `${dateInWords(earlier.period_to)} (${listInWords(earlier.flags.map((f) => f.words))}).`
    );
  }
  return `Variation in ${label} over ${real.length} ${unit.plural} is within the expected range (common cause).`;
}

/** The line a rule is judged against, for the sentence: "above the upper limit (20.9)". */
function lineValue(flag: SpcFlag, segment: SpcSegment): string {
  const limits = segment.limits;
  if (!limits) return '';
  if (flag.rule === 'outside_limits') return ` (${numberInWords(flag.direction > 0 ? limits.upl : limits.lpl)})`;
  if (flag.rule === 'two_of_three') {
    return ` (${numberInWords(flag.direction > 0 ? limits.upper_2s : limits.lower_2s)})`;
  }
  if (flag.rule === 'shift') return ` (${numberInWords(segment.mean)})`;
  return '';
}

function judgementOf(point: SpcPoint): string {
  const both = new Set(point.flags.map((f) => f.direction)).size > 1;
  if (point.variation === 'special_cause_improvement') return ' (an improvement)';
  if (point.variation === 'special_cause_concern') {
    return both ? ' (a concern: it is flagged both ways)' : ' (a concern)';
  }
  return '';
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// Small counts in words: a sentence never shows a bare 1–5 a reader could take for a suppressed count.
const smallCounts = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
function countInWords(n: number): string {
  return smallCounts[n] ?? String(n);
}

function numberInWords(value: number): string {
  return oneDecimalText(value);
}

/** "March 2026" for a month's last day (every period end), else "15 March 2026"; never ISO. */
export function dateInWords(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const name = `${fullMonthNames[month - 1]} ${year}`;
  return day === lastDay ? name : `${day} ${name}`;
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
