import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../sql/warehouse.ts';
import type { Period } from './calendar.ts';
import { warehouseLa } from '../sql/reference.ts';
import { computeBenchmarks, type Benchmarks } from './benchmarks.ts';
import { keepingPeriodResults } from './periodResults.ts';
import { metricsRegistry } from './registry.ts';
import type {
  Denominator,
  Disproportionality,
  DisproportionalityFlag,
  FigureSection,
  MetricsPack,
  PartnerFigure,
} from './contract/types.ts';

export type { Period };

/** The families of METRICS.md §3–5 whose `row` queries make up the §8 object, in its order. */
export const packFamilies = ['prevalence', 'repeat', 'drift'] as const;
/**
 * Sections after the §8 keys: the percentages of METRICS.md §14, the strategy figures of §12, the
 * children looked after of §10.
 */
export const extraFamilies = ['percentages', 'strategy', 'looked_after'] as const;
export type PackFamily = (typeof packFamilies)[number];
/** A section of the §8 object that is computed by queries: a family, or the disproportionality table. */
export type PackSection = PackFamily | (typeof extraFamilies)[number] | 'disproportionality' | 'partner';

// The §8 object's shape is the API's: defined once in the contract the client shares.
export type { Denominator, Disproportionality, DisproportionalityRow, MetricsPack } from './contract/types.ts';

type Row = Record<string, unknown>;
const periodKey = (row: Row) => `${row['period_from']}/${row['period_to']}`;

/** Rows of one query keyed by period, without the period columns. */
async function rowsByPeriod(c: DuckDBConnection, name: string, periods: Period[]): Promise<Map<string, Row>> {
  const rows = await metricsRegistry().run(c, name, { periods });
  return new Map(
    rows.map((row) => {
      const { period_from: _from, period_to: _to, ...figures } = row;
      return [periodKey(row), figures];
    }),
  );
}

/**
 * The METRICS.md §8 object for each period. Every query runs once over all the periods, so a
 * 20-quarter trend costs about what one quarter does. Benchmarks are three queries per period and
 * a trend shows none of them, so callers of a series leave them out (`benchmarks: false`).
 */
export async function computeMetricsPacks(
  warehouse: Warehouse,
  periods: Period[],
  options: {
    benchmarks?: boolean;
    sections?: ReadonlySet<PackSection>;
    /** Of those sections' row queries, only these (trend.ts figureInputs names a figure's). */
    queries?: ReadonlySet<string>;
  } = {},
): Promise<MetricsPack[]> {
  if (periods.length === 0) return [];
  const registry = metricsRegistry();
  // A series of one figure needs only the sections its value and suppression read (trend.ts); the
  // others stay empty rather than being computed and thrown away.
  const wanted = (section: PackSection) => options.sections?.has(section) ?? true;
  // Each query's rows are kept per period once computed: a quarter already in an earlier pack (the
  // load's precompute, the previous quarter's trend) is read, not recomputed (periodResults.ts).
  return keepingPeriodResults(warehouse, () =>
    warehouse.withConnection(async (c) => {
      const population = await rowsByPeriod(c, 'population', periods);
      const families = new Map<PackFamily | (typeof extraFamilies)[number], Map<string, Row>[]>();
      for (const family of [...packFamilies, ...extraFamilies].filter(wanted)) {
        const queries = registry
          .family(family)
          .filter((q) => q.shape === 'row' && (options.queries?.has(q.name) ?? true));
        const results: Map<string, Row>[] = [];
        for (const query of queries) results.push(await rowsByPeriod(c, query.name, periods));
        families.set(family, results);
      }
      const disproportionality = wanted('disproportionality')
        ? await registry.run(c, 'disproportionality', { periods })
        : [];
      const config = await warehouseLa(c);
      const benchmarks = new Map<string, Benchmarks>();
      if (options.benchmarks ?? true) {
        for (const period of periods)
          benchmarks.set(`${period.from}/${period.to}`, await computeBenchmarks(c, period, config));
      }
      const denominators = await registry.run(c, 'denominators', { periods });
      const leadAgencies = wanted('strategy')
        ? await ehStartsByLeadAgency(c, periods)
        : new Map<string, Record<string, number>>();
      const partner = wanted('partner') ? await partnerFigures(c, periods) : new Map<string, PartnerFigure[]>();

      return periods.map((period) => {
        const key = `${period.from}/${period.to}`;
        const pop = population.get(key) ?? {};
        const section = (family: PackFamily | (typeof extraFamilies)[number]) =>
          Object.assign({}, ...(families.get(family) ?? []).map((m) => m.get(key) ?? {})) as FigureSection;
        return {
          period,
          population: {
            year: (pop['year'] as number | null) ?? null,
            children_0_17: (pop['children_0_17'] as number | null) ?? null,
            source: (pop['source'] as string | null) ?? null,
          },
          prevalence: section('prevalence'),
          repeat: section('repeat'),
          drift: section('drift'),
          disproportionality: nestDisproportionality(disproportionality.filter((row) => periodKey(row) === key)),
          percentages: section('percentages'),
          strategy: { ...section('strategy'), eh_starts_by_lead_agency: leadAgencies.get(key) ?? {} },
          looked_after: section('looked_after'),
          partner: partner.get(key) ?? [],
          benchmarks: benchmarks.get(key),
          denominators: describeDenominators(denominators.filter((row) => periodKey(row) === key)),
          suppressed: false,
        };
      });
    }),
  );
}

/** METRICS.md §12 eh_starts_by_lead_agency as a breakdown per period: agency → starts. */
async function ehStartsByLeadAgency(
  c: DuckDBConnection,
  periods: Period[],
): Promise<Map<string, Record<string, number>>> {
  const byPeriod = new Map<string, Record<string, number>>();
  for (const row of await metricsRegistry().run(c, 'strategy_eh_starts_by_lead_agency', { periods })) {
    const agencies = byPeriod.get(periodKey(row)) ?? {};
    agencies[row['lead_agency'] as string] = row['eh_starts'] as number;
    byPeriod.set(periodKey(row), agencies);
  }
  return byPeriod;
}

/** METRICS.md §11: each period's partner measures, from the row ending latest on or before its as-at date. */
async function partnerFigures(c: DuckDBConnection, periods: Period[]): Promise<Map<string, PartnerFigure[]>> {
  const byPeriod = new Map<string, PartnerFigure[]>();
  for (const row of await metricsRegistry().run(c, 'partner_latest', { periods })) {
    const { period_from: _from, period_to: _to, ...figure } = row;
    const figures = byPeriod.get(periodKey(row)) ?? [];
    figures.push(figure as unknown as PartnerFigure);
    byPeriod.set(periodKey(row), figures);
  }
  return byPeriod;
}

export async function computeMetricsPack(warehouse: Warehouse, period: Period): Promise<MetricsPack> {
  const [pack] = await computeMetricsPacks(warehouse, [period]);
  return pack!;
}

/**
 * Which population each rate used, in words a report can print. The bundled Census 2021 ethnicity
 * counts are all ages, not children, so they are never used as a denominator.
 */
function describeDenominators(rows: Row[]): Record<string, Denominator> {
  const described: Record<string, Denominator> = {};
  for (const row of rows) {
    const source = row['source'] as string;
    described[row['dimension'] as string] = {
      year: row['year'] as number,
      source,
      children: row['children'] as number,
      note:
        source === 'local'
          ? `the local authority's own population file, children 0–17, mid-${row['year']}`
          : `ONS mid-year estimate of children 0–17, mid-${row['year']}`,
    };
  }
  for (const dimension of ['ethnicity', 'age_band', 'sex']) {
    described[dimension] ??= {
      year: 0,
      source: 'none',
      children: 0,
      note: `no child population by ${dimension.replace('_', ' ')} is loaded, so there are no rates by ${dimension.replace('_', ' ')}; load a population.csv with that dimension`,
    };
  }
  return described;
}

/** §8: "disproportionality": { "<cohort>": { "<dimension>": [ {group, count, ...} ] } }. */
function nestDisproportionality(rows: Row[]): Disproportionality {
  const nested: Disproportionality = {};
  for (const row of rows) {
    const cohort = (nested[row['cohort'] as string] ??= {});
    const dimension = (cohort[row['dimension'] as string] ??= []);
    dimension.push({
      group: row['group'] as string,
      count: row['count'] as number,
      population: (row['population'] as number | null) ?? null,
      rate_per_10k: (row['rate_per_10k'] as number | null) ?? null,
      ci_low: (row['ci_low'] as number | null) ?? null,
      ci_high: (row['ci_high'] as number | null) ?? null,
      ratio: (row['ratio'] as number | null) ?? null,
      flag: (row['flag'] as DisproportionalityFlag | null) ?? null,
    });
  }
  return nested;
}
