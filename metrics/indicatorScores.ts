import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../sql/warehouse.ts';
import { annotationsBetween, processChangesFor } from './annotations.ts';
import { calendar } from './calendar.ts';
import { valueAtPath } from './contract/figurePath.ts';
import { quartersInside } from './contract/quarters.ts';
import type {
  Figure,
  Indicator,
  IndicatorPoint,
  IndicatorRef,
  IndicatorScore,
  MetricsPack,
  PartnerFigure,
  Scorecard,
} from './contract/types.ts';
import { mdcAssurance, mdcVariation, statusAt, trajectoryAt } from './indicatorStatus.ts';
import { addIndicator, currentIndicators, defaultIndicators, editIndicator, hasAnyIndicator } from './indicators.ts';
import { computeMetricsPacks, type PackSection } from './figures.ts';
import { metricsRegistry } from './registry.ts';
import { figureInputs } from './trend.ts';
import { dateInWords, describeSpc, spcAnalysis } from './spc.ts';
import { suppressPack } from './suppression.ts';

/**
 * Each indicator's series, SPC and status (METRICS.md §13 "Indicators and targets"). A series is the
 * indicator's figure at every quarter end from the first quarter recorded in full, taken from the
 * same METRICS.md §8 packs as every other figure (board output: each quarter suppressed as its own
 * pack is); this module only picks the indicator's value out of each pack:
 * - a figure: the value at its path (`repeat.cp_starts_repeat_neglect`);
 * - one group of a split: that group of the breakdown at the path; a quarter whose breakdown lacks the
 *   group had none of it, so 0 (a split lists only the groups it counted);
 * - a partner measure: its value for the agency in the pack's `partner` section, when there is one.
 */

export interface Series {
  points: { period_from: string; period_to: string; value: Figure }[];
  /** Why there is no value at all, when there is none. */
  unavailable?: string;
}

/** The quarters an indicator is judged over: every quarter recorded in full, up to `to`, oldest first. */
async function judgedQuarters(warehouse: Warehouse, to: string) {
  const extent = await warehouse.withConnection((c) => metricsRegistry().runOne(c, 'data_extent'));
  const from = (extent['recorded_from'] ?? extent['first_date']) as string | null;
  const extract = (extent['extract_date'] ?? extent['latest_quarter_end']) as string | null;
  if (!from || !extract) return [];
  return quartersInside(from, extract)
    .filter((q) => q.to <= to)
    .reverse()
    .map(({ from: f, to: t }) => ({ from: f, to: t }));
}

/** quarterPacks' packs, by data version, quarter, audience and the queries computed. */
const packCache = new WeakMap<Warehouse, Map<string, Promise<MetricsPack[]>>>();

/**
 * The packs of every judged quarter with what the indicators `refs` read (trend.ts figureInputs:
 * their queries and those their suppression is built on), computed once per data version, quarter,
 * audience and set of queries: the seven indicators, their pages and the board pack's Strategy
 * section read the same.
 */
export async function quarterPacks(
  warehouse: Warehouse,
  to: string,
  suppress: boolean,
  refs: IndicatorRef[],
): Promise<MetricsPack[]> {
  const inputs = await warehouse.withConnection(async (c) => {
    const sections = new Set<PackSection>();
    const queries = new Set<string>();
    for (const ref of refs) {
      if (ref.kind === 'partner') continue;
      const figure = await figureInputs(c, ref.kind === 'split_group' ? `${ref.figure}.${ref.group}` : ref.figure);
      figure?.sections.forEach((section) => sections.add(section));
      figure?.queries.forEach((query) => queries.add(query));
    }
    return { sections, queries };
  });
  const byKey = packCache.get(warehouse) ?? new Map<string, Promise<MetricsPack[]>>();
  packCache.set(warehouse, byKey);
  // Every quarter up to the latest is computed once; an earlier quarter's series is a slice of it,
  // so moving between quarters on the pack costs nothing more.
  const latest = (await latestQuarterEnd(warehouse)) ?? to;
  const upTo = to > latest ? to : latest;
  const key = `${warehouse.dataVersion}:${upTo}:${suppress}:${[...inputs.sections].sort().join(',')}:${[...inputs.queries].sort().join(',')}`;
  let packs = byKey.get(key);
  if (!packs) {
    packs = (async () => {
      const periods = await judgedQuarters(warehouse, upTo);
      const computed = await computeMetricsPacks(warehouse, periods, { benchmarks: false, ...inputs });
      // Quarters only: each is suppressed as its own pack is (METRICS.md §7); no longer period is shown.
      return suppress ? computed.map((p) => suppressPack(p)) : computed;
    })();
    byKey.set(key, packs);
    packs.catch(() => byKey.delete(key));
  }
  return (await packs).filter((p) => p.period.to <= to);
}

const asFigure = (value: unknown): Figure => (typeof value === 'number' || value === 'c' ? value : null);

/** The indicator's value in one pack. */
export function valueIn(pack: MetricsPack, ref: IndicatorRef): Figure | undefined {
  if (ref.kind === 'figure') return asFigure(valueAtPath(pack, ref.figure));
  if (ref.kind === 'split_group') {
    const split = valueAtPath(pack, ref.figure);
    if (split === null || typeof split !== 'object') return undefined;
    const value = (split as Record<string, unknown>)[ref.group];
    return value === undefined ? 0 : asFigure(value);
  }
  const found = pack.partner?.find((f) => f.measure === ref.figure && f.agency === ref.group);
  return found ? asFigure(found.value) : undefined;
}

/**
 * A partner measure's series is its own periods (a school term, a quarter), each once, dated by its
 * end, not the latest row at every quarter end: a termly value repeated over quarters would read as
 * runs of equal values. Each point is put through the pack's suppression (METRICS.md §11 "Board
 * output": a numerator of 1 to 5 is c) as a pack of its own.
 */
export async function partnerPacks(
  c: DuckDBConnection,
  ref: Extract<IndicatorRef, { kind: 'partner' }>,
  to: string,
  suppress: boolean,
): Promise<MetricsPack[]> {
  const rows = await metricsRegistry().run(c, 'partner_series', { params: { from: '1900-01-01', to } });
  return rows
    .filter((row) => row['measure'] === ref.figure && row['agency'] === ref.group)
    .map((row) => {
      const end = row['period_end'] as string;
      const pack = {
        period: { from: row['period_start'] as string, to: end },
        population: { year: null, children_0_17: null, source: null },
        prevalence: {},
        repeat: {},
        drift: {},
        percentages: {},
        strategy: {},
        partner: [row as unknown as PartnerFigure],
        disproportionality: {},
        denominators: {},
        suppressed: false,
      } satisfies MetricsPack;
      return suppress ? suppressPack(pack) : pack;
    });
}

/** An indicator's series over the packs, from its first quarter with a value. */
export function seriesOf(packs: MetricsPack[], ref: IndicatorRef): Series {
  const found = packs.map((pack) => ({
    period_from: pack.period.from,
    period_to: pack.period.to,
    value: valueIn(pack, ref),
  }));
  if (found.every((p) => p.value === undefined)) {
    const what =
      ref.kind === 'partner'
        ? `the partner measure ${ref.figure} for ${ref.group} is not loaded`
        : `the figure ${ref.figure} is not computed by this version of the product`;
    return { points: [], unavailable: what };
  }
  const points = found.map((p) => ({ ...p, value: p.value ?? null }));
  // Quarters before the figure has a value (a rate before the first population year) are not gaps.
  const start = points.findIndex((p) => p.value !== null);
  if (start < 0) return { points: [], unavailable: `no quarter has a value for ${ref.figure} yet` };
  return { points: points.slice(start) };
}

/** The baseline a new indicator takes: its latest quarter with a value (METRICS.md §13: computed when created). */
export function baselineOf(series: Series): Indicator['baseline'] {
  const last = [...series.points].reverse().find((p) => typeof p.value === 'number');
  if (!last) return null;
  return { from: last.period_from, to: last.period_to, value: last.value };
}

/** The latest complete quarter of the data, or null before any load. */
export async function latestQuarterEnd(warehouse: Warehouse): Promise<string | null> {
  const extent = await warehouse.withConnection((c) => metricsRegistry().runOne(c, 'data_extent'));
  return (extent['latest_quarter_end'] as string | null) ?? null;
}

/**
 * A fresh warehouse starts with Blackburn with Darwen's seven indicators, once (never re-added after a
 * lead retires one), each with its baseline if the data can answer it; an indicator whose baseline
 * had to wait (no data yet, or its figure not loaded) gets it as soon as it can, recorded as a version
 * by `lscb`. Needs a writable warehouse.
 */
export async function ensureIndicators(warehouse: Warehouse): Promise<void> {
  const to = await latestQuarterEnd(warehouse);
  const packs = to
    ? await quarterPacks(
        warehouse,
        to,
        false,
        defaultIndicators.map((i) => i.ref),
      )
    : [];
  await warehouse.withConnection(async (c) => {
    const baselineFor = async (ref: IndicatorRef) =>
      baselineOf(seriesOf(ref.kind === 'partner' && to ? await partnerPacks(c, ref, to, false) : packs, ref));
    if (!(await hasAnyIndicator(c))) {
      for (const input of defaultIndicators) await addIndicator(c, input, await baselineFor(input.ref), 'lscb');
      return;
    }
    for (const indicator of await currentIndicators(c)) {
      if (indicator.baseline || indicator.retired) continue;
      const baseline = await baselineFor(indicator.ref);
      if (baseline && typeof baseline.value === 'number') {
        await editIndicator(
          c,
          indicator.id,
          { baseline: { from: baseline.from, to: baseline.to, value: baseline.value } },
          'lscb',
        );
      }
    }
  });
}

const statusWords = {
  on_track: 'on track',
  off_track: 'off track (worse than the trajectory, no worse than the baseline)',
  worse_than_baseline: 'worse than the baseline',
  no_target: 'no target set',
} as const;

/** One indicator judged at each quarter of its series (METRICS.md §13), from the packs given. */
export async function scoreIndicator(
  c: DuckDBConnection,
  indicator: Indicator,
  quarterly: MetricsPack[],
  options: { to: string; suppress: boolean },
): Promise<IndicatorScore> {
  const packs =
    indicator.ref.kind === 'partner' ? await partnerPacks(c, indicator.ref, options.to, options.suppress) : quarterly;
  const series = seriesOf(packs, indicator.ref);
  const recalculatedFrom = await processChangesFor(c, indicator.series);
  const spc = await spcAnalysis(
    c,
    series.points.map((p) => ({ period_to: p.period_to, value: p.value })),
    { improvement: indicator.better, recalculateFrom: recalculatedFrom },
  );
  // The baseline as this audience sees it: board output shows the baseline quarter's own (suppressed) value.
  const shownBaseline = series.points.find((p) => p.period_to === indicator.baseline?.to);
  const baselineValue = indicator.baseline
    ? options.suppress
      ? (shownBaseline?.value ?? null)
      : indicator.baseline.value
    : null;
  const baseline =
    indicator.baseline && typeof baselineValue === 'number'
      ? { to: indicator.baseline.to, value: baselineValue }
      : null;
  const points: IndicatorPoint[] = series.points.map((p) => {
    // The line only exists from the baseline's end on.
    const trajectory =
      indicator.target && baseline && p.period_to >= baseline.to
        ? trajectoryAt(baseline, indicator.target, p.period_to)
        : null;
    const status =
      typeof p.value === 'number'
        ? indicator.target && !baseline
          ? 'c'
          : statusAt(p.value, p.period_to, indicator.better, baseline, indicator.target)
        : p.value === 'c'
          ? 'c'
          : null;
    return { period_to: p.period_to, value: p.value, trajectory, status };
  });
  const lastShown = [...points].reverse().find((p) => p.value !== null);
  const lastSpc = lastShown ? spc.points.find((p) => p.period_to === lastShown.period_to) : undefined;
  const segment = lastSpc ? spc.segments[lastSpc.segment] : undefined;
  const judged = segment?.chart === 'xmr' && lastSpc?.value !== null;
  const latest = lastShown
    ? {
        period_to: lastShown.period_to,
        value: lastShown.value,
        status: lastShown.status,
        variation: judged ? mdcVariation(lastSpc?.variation ?? null) : null,
        assurance:
          segment?.chart === 'xmr'
            ? mdcAssurance(segment.limits, segment.baseline.n_points, indicator.better, indicator.target)
            : null,
      }
    : null;
  const first = series.points[0]?.period_to;
  const last = series.points.at(-1)?.period_to;
  const annotations = first && last ? await annotationsBetween(c, firstDayOfQuarter(first), last) : [];
  const label = indicator.title.charAt(0).toLowerCase() + indicator.title.slice(1);
  const status =
    latest && latest.status && latest.status !== 'c'
      ? ` Status at ${dateInWords(latest.period_to)}: ${statusWords[latest.status]}` +
        (indicator.target ? ` (target ${indicator.target.value} by ${dateInWords(indicator.target.date)}).` : '.')
      : '';
  return {
    // Board output never carries the stored, unsuppressed baseline: it shows the baseline quarter's own value.
    indicator:
      indicator.baseline && baselineValue !== indicator.baseline.value
        ? { ...indicator, baseline: { ...indicator.baseline, value: baselineValue } }
        : indicator,
    points,
    spc,
    latest,
    annotations,
    recalculatedFrom,
    reading: series.unavailable
      ? `No value can be shown yet: ${series.unavailable}.`
      : `${describeSpc(spc, label)}${status}`,
    definition:
      indicator.ref.kind === 'partner' ? 'definitions.html#section-11' : `definitions.html#${indicator.ref.figure}`,
    ...(series.unavailable ? { unavailable: series.unavailable } : {}),
  };
}

function firstDayOfQuarter(quarterEnd: string): string {
  return calendar('quarter', quarterEnd, quarterEnd)[0]?.from ?? quarterEnd;
}

/** Every current indicator (retired ones left out) judged at the quarter ending `to`. */
export async function strategyScorecard(
  warehouse: Warehouse,
  to: string,
  options: { suppress: boolean },
): Promise<Scorecard> {
  // A fresh warehouse gets its defaults at the first look, whichever page looks first.
  if (!(await warehouse.withConnection((c) => hasAnyIndicator(c)))) await ensureIndicators(warehouse);
  const indicators = (await warehouse.withConnection((c) => currentIndicators(c))).filter((i) => !i.retired);
  const packs = await quarterPacks(
    warehouse,
    to,
    options.suppress,
    indicators.map((i) => i.ref),
  );
  return warehouse.withConnection(async (c) => {
    const scores: IndicatorScore[] = [];
    for (const indicator of indicators)
      scores.push(await scoreIndicator(c, indicator, packs, { to, suppress: options.suppress }));
    return { as_at: to, suppressed: options.suppress, indicators: scores };
  });
}
