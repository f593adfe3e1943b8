import { dayInWords, fullMonthNames, periodInWords } from './contract/quarters.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LaConfig } from '../sql/config.ts';
import type {
  Figure,
  PartnerBenchmark,
  PartnerFigure,
  PartnerMeasureView,
  PartnersSection,
  Period,
} from './contract/types.ts';
import { metricsRegistry } from './registry.ts';
import { suppressPartnerRows } from './suppression.ts';

/**
 * The pack's Partners section (METRICS.md §11): each agency's measures with the latest value and the
 * period it belongs to, the series behind it, and LAIT's England, regional and neighbour figures for
 * the two measures LAIT publishes. The latest values come from the §8 object (already suppressed
 * when the pack is a board's); the series is suppressed here by the same rule.
 */

interface KnownMeasure {
  title: string;
  better: 'higher' | 'lower' | null;
  /** The LAIT indicator (sql/reference_partner.sql), when LAIT publishes one. */
  lait?: string;
}

/** METRICS.md §11 "Known measures", in plain English; LAIT's polarity says which way is better. */
export const knownPartnerMeasures: Record<string, KnownMeasure> = {
  school_persistent_absence: {
    title: 'Pupils persistently absent from school (missing 10% or more of their sessions)',
    better: 'lower',
    lait: 'LAIT 371 "Total persistent absence": school-aged pupils classed as persistent absentees (%)',
  },
  two_year_funded_takeup: {
    title: 'Eligible 2-year-olds taking up funded early education',
    better: 'higher',
    lait: 'LAIT 209 "2 year old children benefitting from funded early education" (%)',
  },
  health_was_not_brought: { title: 'Health appointments a child was not brought to', better: 'lower' },
  police_da_incidents_children: { title: 'Domestic abuse incidents with a child present', better: null },
};

/**
 * A partner period in words: whole months as "January to March 2026", "April 2025 to March 2026"
 * or "March 2026"; anything else day to day, "2 February 2026 to 1 March 2026".
 */
export function periodWords(start: string, end: string): string {
  const [, , startDay] = start.split('-').map(Number) as [number, number, number];
  const [endYear, endMonth, endDay] = end.split('-').map(Number) as [number, number, number];
  const wholeMonths = startDay === 1 && endDay === new Date(Date.UTC(endYear, endMonth, 0)).getUTCDate();
  if (!wholeMonths) return `${dayInWords(start)} to ${dayInWords(end)}`;
  if (start.slice(0, 7) === end.slice(0, 7)) return `${fullMonthNames[endMonth - 1]} ${endYear}`;
  return periodInWords({ from: start, to: end });
}

/** An agency sent as an id (`early_years`) reads "Early years"; a name (`Northbury Police`) stays as it is. */
export function agencyTitle(agency: string): string {
  if (!/^[a-z0-9_]+$/.test(agency)) return agency;
  const words = agency.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** LAIT's academic year holding a date: 1 September (Y-1) to 31 August Y is Y. */
export function academicYearOf(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return month >= 9 ? year + 1 : year;
}

interface BenchmarkRow {
  measure: string;
  year: number;
  england: number | null;
  region: number | null;
  region_name: string | null;
  neighbours_mean: number | null;
  neighbours_count: number;
}

/**
 * METRICS.md §9's year rule on LAIT's academic years: the year the value's period ends in, or the
 * newest published before it, saying which.
 */
function benchmarkFor(rows: BenchmarkRow[], measure: string, periodEnd: string): PartnerBenchmark | null {
  const indicator = knownPartnerMeasures[measure]?.lait;
  if (!indicator) return null;
  const wanted = academicYearOf(periodEnd);
  const row = rows.filter((r) => r.measure === measure && r.year <= wanted).sort((a, b) => b.year - a.year)[0];
  if (!row) return null;
  return {
    indicator,
    year: row.year,
    year_words: `${row.year - 1}/${String(row.year).slice(2)} academic year`,
    year_rule: row.year === wanted ? 'same_year' : 'latest_published',
    england: row.england,
    region: row.region,
    region_name: row.region_name,
    statistical_neighbours: { mean: row.neighbours_mean, count: row.neighbours_count },
  };
}

/** LAIT's figures for one known partner measure whose value's period ends on `periodEnd`. */
export async function partnerBenchmark(
  c: DuckDBConnection,
  measure: string,
  periodEnd: string,
  la: LaConfig,
): Promise<PartnerBenchmark | null> {
  const rows = (await metricsRegistry().run(c, 'partner_benchmarks', {
    params: { comparator: la.benchmark_la_code ?? la.la_code },
  })) as unknown as BenchmarkRow[];
  return benchmarkFor(rows, measure, periodEnd);
}

type SeriesRow = { measure: string; agency: string } & PartnerMeasureView['series'][number];

export async function buildPartnersSection(
  c: DuckDBConnection,
  latest: readonly PartnerFigure[],
  window: Period,
  options: { suppress: boolean; la: LaConfig },
): Promise<PartnersSection> {
  const registry = metricsRegistry();
  const rawSeries = await registry.run(c, 'partner_series', { params: { from: window.from, to: window.to } });
  const series = (options.suppress ? suppressPartnerRows(rawSeries) : rawSeries) as Record<string, unknown>[];
  const comparator = options.la.benchmark_la_code ?? options.la.la_code;
  const benchmarks = (await registry.run(c, 'partner_benchmarks', {
    params: { comparator },
  })) as unknown as BenchmarkRow[];

  const measures = [...latest]
    .sort((a, b) => a.agency.localeCompare(b.agency) || a.measure.localeCompare(b.measure))
    .map((figure): PartnerMeasureView => {
      const known = knownPartnerMeasures[figure.measure];
      return {
        measure: figure.measure,
        agency: figure.agency,
        agency_title: agencyTitle(figure.agency),
        title: known?.title ?? figure.measure,
        known: known !== undefined,
        unit: figure.unit,
        better: known?.better ?? null,
        latest: { ...figure, period_words: periodWords(figure.period_start, figure.period_end) },
        series: series
          .filter((r) => r['measure'] === figure.measure && r['agency'] === figure.agency)
          .map((r) => {
            const point = r as unknown as SeriesRow;
            return {
              period_start: point.period_start,
              period_end: point.period_end,
              period_words: periodWords(point.period_start, point.period_end),
              numerator: point.numerator as Figure,
              value: point.value as Figure,
            };
          }),
        benchmark: benchmarkFor(benchmarks, figure.measure, figure.period_end),
      };
    });
  return { measures, reading: partnersReading(measures) };
}

/** The section's sentence: what was sent, and that a value's period may be earlier than the quarter. */
export function partnersReading(measures: readonly PartnerMeasureView[]): string {
  if (measures.length === 0)
    return 'No partner agency has sent a measure for a period ending by the end of this quarter.';
  const agencies = new Set(measures.map((m) => m.agency)).size;
  const ends = measures.map((m) => m.latest.period_end).sort();
  const first = ends[0]!;
  const last = ends.at(-1)!;
  const when =
    first === last
      ? `for periods ending on ${dayInWords(last)}`
      : `for periods ending from ${dayInWords(first)} to ${dayInWords(last)}`;
  return (
    `${measures.length} ${measures.length === 1 ? 'measure' : 'measures'} from ${agencies} ` +
    `${agencies === 1 ? 'agency' : 'agencies'}, ${when}: each value is the latest the agency has sent ` +
    'for a period ending by the end of this quarter, which may be earlier than the quarter.'
  );
}
