import type { Warehouse } from '../sql/warehouse.ts';
import { warehouseLa } from '../sql/reference.ts';
import { calendar, type Period } from './calendar.ts';
import { computeBenchmarks, computeRepeatFunnel, type Benchmarks, type FunnelData } from './benchmarks.ts';
import { computeMetricsPacks, type MetricsPack } from './figures.ts';
import { metricsRegistry } from './registry.ts';
import { describeSpc, spcAnalysis, type SpcResult } from './spc.ts';
import { suppressPack, suppressRows } from './suppression.ts';
import {
  continuumReading, disproportionalityReading, driftReading, headlineReading, repeatReading,
} from './readings.ts';

/**
 * The quarterly board pack as one unit of data: everything the pack page (and its PDF) shows, in
 * one response, already suppressed when it is board output. The client lays it out; it computes
 * nothing.
 */
export interface BoardPack {
  period: Period;
  previousPeriod: Period;
  suppressed: boolean;
  figures: MetricsPack;
  previous: MetricsPack;
  neglectTrend: { figure: string; label: string; points: { period_to: string; value: number | string | null }[]; spc: SpcResult; reading: string };
  categories: Record<string, unknown>[];
  quality: { loads: Record<string, unknown>[]; rejectedRows: number; failedLoads: number };
  readings: Record<'headline' | 'continuum' | 'trend' | 'repeat' | 'drift' | 'disproportionality', string>;
  [section: string]: unknown;
}

export const trendQuarters = 20;
const trendFigure = 'prevalence.cp_open_neglect_initial_rate_per_10k';

/** The quarter before `quarter`. */
export function previousQuarter(quarter: Period): Period {
  const [year, month] = quarter.from.split('-').map(Number) as [number, number];
  const endMonth = month - 1 === 0 ? 12 : month - 1;
  const endYear = month - 1 === 0 ? year - 1 : year;
  const lastDay = new Date(Date.UTC(endYear, endMonth, 0)).getUTCDate();
  const to = `${endYear}-${String(endMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`;
  return calendar('quarter', to, to)[0]!;
}

function valueAt(pack: MetricsPack, path: string): number | string | null {
  return path.split('.').reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), pack) as number | string | null;
}

export async function buildBoardPack(warehouse: Warehouse, quarter: Period, options: { suppress: boolean }): Promise<BoardPack> {
  const trendPeriods = calendar('quarter', '1900-01-01', quarter.to).slice(-trendQuarters);
  const protect = (pack: MetricsPack) => (options.suppress ? suppressPack(pack) : pack);
  // One run of every metric query over the whole trend window gives this quarter, the previous
  // one and the series at once.
  const packs = (await computeMetricsPacks(warehouse, trendPeriods, { benchmarks: false })).map(protect);
  const byEnd = new Map(packs.map((p) => [p.period.to, p]));
  const previousPeriod = previousQuarter(quarter);
  const figures = byEnd.get(quarter.to) ?? protect((await computeMetricsPacks(warehouse, [quarter], { benchmarks: false }))[0]!);
  const previous = byEnd.get(previousPeriod.to) ?? protect((await computeMetricsPacks(warehouse, [previousPeriod], { benchmarks: false }))[0]!);

  const points = packs.map((p) => ({ period_to: p.period.to, value: valueAt(p, trendFigure) }));
  return warehouse.withConnection(async (c) => {
    const spc = await spcAnalysis(
      c,
      points.map((p) => ({ period_to: p.period_to, value: typeof p.value === 'number' ? p.value : null })),
      { improvement: 'neither' },
    );
    const registry = metricsRegistry();
    const categoryRows = await registry.run(c, 'cp_open_by_initial_category', { periods: trendPeriods });
    const categories = options.suppress
      ? (suppressRows(categoryRows, 'children', [], { groupBy: ['quarter_end'] }) as Record<string, unknown>[])
      : categoryRows;
    const loads = await registry.run(c, 'quality_loads', { params: { limit: 5 } });
    const [totals] = await c.runAndReadAll(
      `SELECT (SELECT count(*) FROM rejects)::INTEGER AS rejected, (SELECT count(*) FROM loads WHERE status = 'failed')::INTEGER AS failed`,
    ).then((r) => r.getRowObjectsJson());
    const label = 'Children on a child protection plan for neglect (initial category), per 10,000 children';
    // Benchmarks only for this quarter: published DfE figures, so board output shows them as they are.
    const la = await warehouseLa(c);
    const benchmarks: Benchmarks = await computeBenchmarks(c, quarter, la);
    figures['benchmarks'] = benchmarks;
    // The funnel places this LA's own repeat plans, for the DfE year of the benchmarks, among all LAs.
    const dfeYear = { from: `${benchmarks.year - 1}-04-01`, to: `${benchmarks.year}-03-31` };
    const local = protect((await computeMetricsPacks(warehouse, [dfeYear], { benchmarks: false }))[0]!);
    const numerator = local.repeat['cp_starts_second_or_subsequent'];
    const denominator = local.repeat['cp_starts'];
    const repeatFunnel: FunnelData = await computeRepeatFunnel(c, benchmarks.year,
      typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0
        ? { label: `${la.la_name} (local data)`, numerator, denominator }
        : undefined);
    return {
      period: quarter,
      previousPeriod,
      suppressed: options.suppress,
      figures,
      previous,
      neglectTrend: { figure: trendFigure, label, points, spc, reading: describeSpc(spc, 'the rate of children on neglect plans') },
      categories,
      benchmarks,
      repeatFunnel,
      quality: {
        loads: loads.map(({ content_hash: _hash, loaded_by: _who, ...load }) => load),
        rejectedRows: Number(totals?.['rejected'] ?? 0),
        failedLoads: Number(totals?.['failed'] ?? 0),
      },
      readings: {
        headline: headlineReading(figures, previous),
        continuum: continuumReading(figures),
        trend: describeSpc(spc, 'the rate of children on neglect plans'),
        repeat: repeatReading(figures, benchmarks?.measures['cp_starts_second_or_subsequent_pct']?.england),
        drift: driftReading(figures),
        disproportionality: disproportionalityReading(figures),
      },
    };
  });
}
