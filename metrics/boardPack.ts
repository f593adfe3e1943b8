import { keepingPeriodResults } from './periodResults.ts';
import { agencyBreakdowns } from './agencyBreakdowns.ts';
import type { Warehouse } from '../sql/warehouse.ts';
import { warehouseLa } from '../sql/reference.ts';
import { calendar, type Period } from './calendar.ts';
import { valueAtPath } from './contract/figurePath.ts';
import { previousQuarter as quarterBefore } from './contract/quarters.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  BoardPack,
  CategoryRow,
  ExtractSummary,
  Figure,
  HistoryNotes,
  IsoDate,
  LoadRecord,
  QualitySummary,
} from './contract/types.ts';
import {
  computeBenchmarks,
  computeRepeatFunnel,
  reportingYearOf,
  type Benchmarks,
  type FunnelData,
} from './benchmarks.ts';
import { computeMetricsPacks, type MetricsPack, type PackSection } from './figures.ts';
import { metricsRegistry } from './registry.ts';
import { annotationsBetween, processChangesFor } from './annotations.ts';
import { boardPacksForPeriods } from './linkedPeriods.ts';
import { describeSpc, spcAnalysis, spcHistory, spcShownFrom } from './spc.ts';
import { isSmallCount, SUPPRESSED, suppressPack, suppressRows } from './suppression.ts';
import { completePack } from './summary.ts';
import { intoCareSection } from './intoCare.ts';
import { buildPartnersSection } from './partners.ts';
import {
  continuumReading,
  disproportionalityReading,
  driftReading,
  headlineReading,
  repeatReading,
} from './readings.ts';

/**
 * The quarterly board pack as one unit of data: everything the pack page (and its PDF) shows, in
 * one response, already suppressed when it is board output. The client lays it out; it computes
 * nothing.
 */
// The pack's shape is the API's: defined once in the contract the client shares.
export type { BoardPack } from './contract/types.ts';

export const trendQuarters = 20;
const trendFigure = 'prevalence.cp_open_neglect_initial_rate_per_10k';
/** Ofsted's 2014 questions, trended beside their (national-figure-less) values. */
const shareTrendFigures = ['percentages.eh_neglect_share_pct', 'percentages.cin_plans_neglect_share_pct'];

/** The quarter before `quarter`. */
export function previousQuarter(quarter: Period): Period {
  const { from, to } = quarterBefore(quarter);
  return { from, to };
}

const valueAt = (pack: MetricsPack, path: string) => valueAtPath(pack, path) as Figure;

/** The same day `years` years earlier or later (29 February becomes 28th). */
function shiftYear(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`.replace(/-02-29$/, '-02-28');
}

/**
 * The periods a quarter's pack computes every figure for: one run of every metric query over the
 * whole trend window gives this quarter, the previous one and the series at once; the reporting
 * year so far rides along (few neglect plans start in one quarter, so the days to a plan swing, and
 * the year steadies them).
 */
export function boardPackPeriods(quarter: Period): { trendPeriods: Period[]; yearToDatePeriod: Period } {
  return {
    trendPeriods: calendar('quarter', shiftYear(quarter.from, -trendQuarters / 4), quarter.to).slice(-trendQuarters),
    yearToDatePeriod: { from: `${reportingYearOf(quarter.to) - 1}-04-01`, to: quarter.to },
  };
}

/**
 * The pack, every metric query of it inside one keeping scope (metrics/periodResults.ts): one
 * fingerprint of the data and one read of the kept rows for the whole pack, not one per part.
 */
export function buildBoardPack(
  warehouse: Warehouse,
  quarter: Period,
  options: { suppress: boolean },
): Promise<BoardPack> {
  return keepingPeriodResults(warehouse, () => buildBoardPackInScope(warehouse, quarter, options));
}

async function buildBoardPackInScope(
  warehouse: Warehouse,
  quarter: Period,
  options: { suppress: boolean },
): Promise<BoardPack> {
  const { trendPeriods, yearToDatePeriod } = boardPackPeriods(quarter);
  const protect = (pack: MetricsPack) => (options.suppress ? suppressPack(pack) : pack);
  const computed = await computeMetricsPacks(warehouse, [...trendPeriods, yearToDatePeriod], { benchmarks: false });
  const yearToDateRaw = computed.pop()!;
  // The trend's quarters, unsuppressed, are the quarters a span's suppression looks at (issue 17:
  // computed again, they were a fifth of the pack's time).
  const quarterPacks = [...computed];
  // A year to date or a reporting year hides what any of its quarters hides (linkedPeriods.ts).
  const protectSpan = async (pack: MetricsPack, sections?: ReadonlySet<PackSection>) =>
    options.suppress
      ? (await boardPacksForPeriods(warehouse, [pack], { known: quarterPacks, ...(sections ? { sections } : {}) }))[0]!
      : pack;
  const yearToDate = await protectSpan(yearToDateRaw);
  computed.splice(0, computed.length, ...computed.map(protect));
  const packs = computed;
  const byEnd = new Map(packs.map((p) => [p.period.to, p]));
  const previousPeriod = previousQuarter(quarter);
  const figures =
    byEnd.get(quarter.to) ?? protect((await computeMetricsPacks(warehouse, [quarter], { benchmarks: false }))[0]!);
  const previous =
    byEnd.get(previousPeriod.to) ??
    protect((await computeMetricsPacks(warehouse, [previousPeriod], { benchmarks: false }))[0]!);

  const points = packs.map((p) => ({ period_to: p.period.to, value: valueAt(p, trendFigure) }));
  // Three parts, on two connections side by side: the trend (with the history before its five
  // years); then the comparisons with other authorities, the partners and the children looked
  // after, followed by the records' own notes (categories, data quality, history). Each is a string
  // of small queries, mostly DuckDB's fixed cost per query; split so the two connections finish
  // together (the demo's cold pack, docs/BENCHMARKS.md). Only the records' notes change the pack's
  // figures (repeat figures without enough history), after the comparisons have read theirs.
  const trendPart = async (c: DuckDBConnection) => {
    const history = await spcHistory(warehouse, trendFigure, quarter.to, {
      suppress: options.suppress,
      known: points.map((p) => ({
        period_to: p.period_to,
        value: typeof p.value === 'number' ? p.value : p.value === 'c' ? 'c' : null,
      })),
    });
    // Judged over the whole history (a baseline that is the same in every pack, METRICS.md §13),
    // shown for the pack's five years.
    const recalculatedFrom = await processChangesFor(c, trendFigure);
    const spc = spcShownFrom(
      await spcAnalysis(c, history, { improvement: 'neither', recalculateFrom: recalculatedFrom }),
      points[0]?.period_to,
    );
    const annotations = points.length > 0 ? await annotationsBetween(c, trendPeriods[0]!.from, quarter.to) : [];
    return { recalculatedFrom, spc, annotations };
  };
  const recordsPart = async (c: DuckDBConnection) => {
    const categoryRows = await metricsRegistry().run(c, 'cp_open_by_initial_category', { periods: trendPeriods });
    const categories = (options.suppress
      ? suppressRows(categoryRows, 'children', [], { groupBy: ['quarter_end'] })
      : categoryRows) as unknown as CategoryRow[];
    const quality = await qualitySummary(c, { withFiles: !options.suppress });
    const [totals] = await c
      .runAndReadAll(
        `SELECT (SELECT count(*) FROM rejects)::INTEGER AS rejected, (SELECT count(*) FROM loads WHERE status = 'failed')::INTEGER AS failed,
                (SELECT count(*) FROM validation_flags)::INTEGER AS flagged,
                (SELECT count(DISTINCT child_key) FROM validation_flags)::INTEGER AS flagged_children`,
      )
      .then((r) => r.getRowObjectsJson());
    const recorded = await recordedHistory(c);
    return {
      categories,
      quality,
      totals,
      historyNow: historyBefore(recorded, quarter),
      historyPrevious: historyBefore(recorded, previousPeriod),
    };
  };
  const comparisonsPart = async (c: DuckDBConnection) => {
    // Benchmarks only for this quarter: published DfE figures, so board output shows them as they are.
    const la = await warehouseLa(c);
    const benchmarks: Benchmarks = await computeBenchmarks(c, quarter, la);
    // The funnel places this LA's own repeat plans, for the DfE year of the benchmarks, among all LAs.
    const dfeYear = { from: `${benchmarks.year - 1}-04-01`, to: `${benchmarks.year}-03-31` };
    // In the year's last quarter the DfE year is the year so far, already computed; otherwise only
    // the repeat figures the funnel reads are.
    const funnelSections = new Set<PackSection>(['repeat']);
    const local =
      dfeYear.from === yearToDatePeriod.from && dfeYear.to === yearToDatePeriod.to
        ? yearToDate
        : await protectSpan(
            (await computeMetricsPacks(warehouse, [dfeYear], { benchmarks: false, sections: funnelSections }))[0]!,
            funnelSections,
          );
    const numerator = local.repeat['cp_starts_second_or_subsequent'];
    const denominator = local.repeat['cp_starts'];
    // A year before the bundled DfE files (an early quarter) has no England proportion to draw around.
    const repeatFunnel: FunnelData | undefined =
      benchmarks.measures['cp_starts_second_or_subsequent_pct']?.england == null
        ? undefined
        : await computeRepeatFunnel(
            c,
            benchmarks.year,
            typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0
              ? { label: `${la.la_name} (local data)`, numerator, denominator }
              : undefined,
          );
    // METRICS.md §11: partner agencies' measures, each with its series over the pack's 20 quarters.
    const partners = await buildPartnersSection(
      c,
      figures.partner ?? [],
      { from: trendPeriods[0]?.from ?? quarter.from, to: quarter.to },
      { suppress: options.suppress, la },
    );
    // METRICS.md §10: children looked after, trended over the same quarters as the neglect plans.
    const intoCare = await intoCareSection(c, packs, figures, benchmarks);
    return { la, benchmarks, repeatFunnel, partners, intoCare };
  };
  return warehouse.withConnection(async (c) => {
    const [trend, [comparisons, records]] = await Promise.all([
      trendPart(c),
      warehouse.withConnection(async (second) => [await comparisonsPart(second), await recordsPart(second)] as const),
    ]);
    const { recalculatedFrom, spc, annotations } = trend;
    const { la, benchmarks, repeatFunnel, partners, intoCare } = comparisons;
    const { categories, quality, totals } = records;
    const historyNotes = withoutShortHistory(records.historyNow, spc.n_points, figures);
    withoutShortHistory(records.historyPrevious, Number.POSITIVE_INFINITY, previous);
    figures['benchmarks'] = benchmarks;
    const label = 'Children on a child protection plan for neglect (initial category), per 10,000 children';
    // Whose pack it is, and the executive summary written from these (already suppressed) figures.
    return completePack(
      {
        period: quarter,
        previousPeriod,
        suppressed: options.suppress,
        figures,
        previous,
        yearToDate,
        shareTrends: shareTrendFigures.map((figure) => ({
          figure,
          points: packs.map((p) => ({ period_to: p.period.to, value: valueAt(p, figure) })),
        })),
        neglectTrend: {
          figure: trendFigure,
          label,
          points,
          spc,
          reading: describeSpc(spc, 'the rate of children on neglect plans'),
          annotations,
          recalculatedFrom,
        },
        categories,
        partners,
        agencies: agencyBreakdowns(packs, yearToDate),
        benchmarks,
        repeatFunnel,
        intoCare,
        quality: {
          ...quality,
          rejectedRows: Number(totals?.['rejected'] ?? 0),
          failedLoads: Number(totals?.['failed'] ?? 0),
          // METRICS.md §16: counts of records flagged by DfE rules; 1–5 is c on the board (§7).
          flaggedRecords: boardCount(Number(totals?.['flagged'] ?? 0), options.suppress),
          flaggedChildren: boardCount(Number(totals?.['flagged_children'] ?? 0), options.suppress),
        },
        history: historyNotes,
        readings: {
          headline: headlineReading(figures, previous),
          continuum: continuumReading(figures),
          trend: describeSpc(spc, 'the rate of children on neglect plans'),
          repeat: repeatReading(
            figures,
            benchmarks?.measures['cp_starts_second_or_subsequent_pct']?.england,
            historyNotes,
          ),
          drift: driftReading(figures),
          disproportionality: disproportionalityReading(figures),
        },
      },
      la,
    );
  });
}

/** Years of history a repeat figure needs before its period: 12 months (issue 10 "partial history"). */
const historyYears = 1;
/** Points an SPC chart needs before its limits mean anything (METRICS.md §13). */
const spcMinimumPoints = 15;

/** How far back the records reach (sql/metrics/extent.sql, `recorded_history`). */
export interface RecordedHistory {
  /** The first quarter recorded in full; null without referrals. */
  recordedFrom: IsoDate | null;
  firstPlanDate: IsoDate | null;
}

/**
 * One query over the whole warehouse, kept by the load's precompute, so a pack compares dates for
 * its quarter and the previous one rather than counting the referrals again for each (two scans of
 * them: 0.19 s of the 12 M cold pack).
 */
export async function recordedHistory(c: DuckDBConnection): Promise<RecordedHistory> {
  const row = await metricsRegistry().runOne(c, 'recorded_history');
  return {
    recordedFrom: (row['recorded_from'] as IsoDate | null) ?? null,
    firstPlanDate: (row['first_plan_date'] as IsoDate | null) ?? null,
  };
}

/** Which repeat figures the recorded history before `period` is too short to answer. */
export function historyBefore(recorded: RecordedHistory, period: Period): HistoryNotes {
  const since = recorded.recordedFrom;
  const lookBackFrom = shiftYear(period.from, -historyYears);
  const notes: HistoryNotes = {};
  // A re-referral is a referral within 12 months of an earlier one: with less than 12 months of
  // referrals recorded before the quarter, earlier referrals are missing and the share reads low.
  if (since === null || since > lookBackFrom) notes.rereferrals_12m = 'too_short';
  // A second plan is counted against earlier plans: without them every plan looks like a first.
  // Both must reach back: the plans, and the full recording (the later of the two, either missing).
  const plansFrom = [recorded.firstPlanDate, since]
    .filter((d): d is IsoDate => d !== null)
    .sort()
    .at(-1);
  if (plansFrom === undefined || plansFrom > lookBackFrom) notes.repeat_plans = 'too_short';
  return notes;
}

/** Figures a short history cannot answer are withdrawn (null), so no page, sentence or CSV shows them as a number. */
const shortHistoryFigures: Record<
  'rereferrals_12m' | 'repeat_plans',
  { section: 'repeat' | 'percentages'; key: string }[]
> = {
  rereferrals_12m: [
    { section: 'repeat', key: 'rereferrals_12m' },
    { section: 'percentages', key: 'rereferrals_12m_pct' },
  ],
  repeat_plans: [
    { section: 'repeat', key: 'cp_starts_second_or_subsequent' },
    { section: 'repeat', key: 'cp_starts_within_2y' },
    { section: 'repeat', key: 'cp_starts_repeat_neglect' },
    { section: 'percentages', key: 'cp_starts_second_or_subsequent_pct' },
  ],
};

function withoutShortHistory(notes: HistoryNotes, spcPoints: number, pack: MetricsPack): HistoryNotes {
  for (const figure of ['rereferrals_12m', 'repeat_plans'] as const) {
    if (notes[figure] !== 'too_short') continue;
    for (const { section, key } of shortHistoryFigures[figure]) if (key in pack[section]) pack[section][key] = null;
  }
  return spcPoints < spcMinimumPoints ? { ...notes, spc_limits: 'too_short' } : notes;
}

/** A count for the pack: shown as c on the board when it is 1–5 (METRICS.md §7). */
function boardCount(n: number, suppress: boolean | undefined): number | typeof SUPPRESSED {
  return suppress && isSmallCount(n) ? SUPPRESSED : n;
}

/**
 * What the data-quality note says. One line per extract (the files loaded with one reference date,
 * added up), because one extract is 8 files and the latest 5 files showed part of one. Board output
 * carries no file names or failure messages: they describe the authority's systems, not neglect;
 * officers also get the latest files.
 */
async function qualitySummary(
  c: DuckDBConnection,
  options: { withFiles: boolean },
): Promise<Omit<QualitySummary, 'rejectedRows' | 'failedLoads'>> {
  const extracts = (await c
    .runAndReadAll(
      `
    SELECT strftime(reference_date, '%Y-%m-%d') AS reference_date,
           strftime(max(loaded_at), '%Y-%m-%d') AS loaded_on,
           count(*)::INTEGER AS files,
           count(*) FILTER (WHERE status = 'failed')::INTEGER AS failed_files,
           coalesce(sum(rows_read), 0)::INTEGER AS rows_read,
           coalesce(sum(rows_rejected), 0)::INTEGER AS rows_rejected
    FROM loads GROUP BY reference_date
    ORDER BY reference_date DESC NULLS LAST, loaded_on DESC LIMIT 5`,
    )
    .then((r) => r.getRowObjectsJson())) as unknown as ExtractSummary[];
  // The data run up to the newest extract that loaded: a failed one added nothing.
  const newest = extracts.find((e) => e.reference_date !== null && e.files > e.failed_files);
  const summary = { data_to: newest?.reference_date ?? null, loaded_on: newest?.loaded_on ?? null, extracts };
  if (!options.withFiles) return summary;
  const loads = await metricsRegistry().run(c, 'quality_loads', { params: { limit: 10 } });
  return {
    ...summary,
    loads: loads.map(({ content_hash: _hash, loaded_by: _who, ...load }) => load) as unknown as LoadRecord[],
  };
}
