import type { DuckDBConnection } from '@duckdb/node-api';
import { warehouseLa } from '../sql/reference.ts';
import { benchmarkMeasures, computeBenchmarks } from './benchmarks.ts';
import type { BenchmarkMeasureKey, Indicator, IndicatorBenchmark } from './contract/types.ts';
import { periodInWords } from './contract/quarters.ts';
import { partnerBenchmark } from './partners.ts';

/**
 * The benchmark beside an indicator (issue 12: "benchmarks where they exist"): the DfE or LAIT
 * figures the board pack already sets beside the same figure, for the DfE year of `quarterEnd` (or
 * the partner value's academic year), or null when the figure has none — a local measure, a split's
 * group, a partner measure LAIT does not publish.
 */
export async function indicatorBenchmark(
  c: DuckDBConnection,
  indicator: Indicator,
  quarterEnd: string,
  partnerPeriodEnd?: string,
): Promise<IndicatorBenchmark | null> {
  const la = await warehouseLa(c);
  if (indicator.ref.kind === 'partner') {
    const lait = await partnerBenchmark(c, indicator.ref.figure, partnerPeriodEnd ?? quarterEnd, la);
    if (!lait) return null;
    return {
      source: `LAIT, ${lait.indicator}`,
      year_words: lait.year_words,
      england: lait.england,
      region: lait.region,
      region_name: lait.region_name,
      neighbours_mean: lait.statistical_neighbours.mean,
      neighbours_count: lait.statistical_neighbours.count,
      compare: 'an academic year beside the latest period sent: context, not like with like',
    };
  }
  if (indicator.ref.kind !== 'figure') return null;
  const key = indicator.ref.figure.split('.').at(-1) as BenchmarkMeasureKey;
  if (!(benchmarkMeasures as readonly string[]).includes(key)) return null;
  const quarterStart = `${quarterEnd.slice(0, 5)}${String(Number(quarterEnd.slice(5, 7)) - 2).padStart(2, '0')}-01`;
  const benchmarks = await computeBenchmarks(c, { from: quarterStart, to: quarterEnd }, la);
  const measure = benchmarks.measures[key];
  if (!measure || measure.year === null) return null;
  return {
    source: 'DfE and LAIT',
    year_words: periodInWords({ from: `${measure.year - 1}-04-01`, to: `${measure.year}-03-31` }),
    england: measure.england,
    region: measure.region,
    region_name: benchmarks.region,
    neighbours_mean: measure.statistical_neighbours.mean,
    neighbours_count: measure.statistical_neighbours.count,
    compare:
      measure.basis === 'at_31_march'
        ? 'a figure at 31 March: compare the quarter ending 31 March'
        : 'a share of the reporting year: compare a whole year',
  };
}
