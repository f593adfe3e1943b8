import type { DuckDBConnection } from '@duckdb/node-api';
import { quarterOf } from './contract/quarters.ts';
import { metricsRegistry } from './registry.ts';

/** A group with more children in a cohort than in its population: the population must be wrong. */
export interface ImpossibleRate {
  as_at: string;
  cohort: string;
  dimension: string;
  group: string;
  count: number;
  population: number;
}

/**
 * Rates that cannot be true at the latest complete quarter: a disproportionality group whose cohort
 * count exceeds its population (a population in thousands confirmed by mistake, or another LA's).
 * The figures are still computed (no 500, no interval); data quality lists these for officers.
 */
export async function impossibleRates(c: DuckDBConnection): Promise<ImpossibleRate[]> {
  const registry = metricsRegistry();
  const extent = await registry.runOne(c, 'data_extent');
  const latest = extent['latest_quarter_end'] as string | null;
  if (!latest) return [];
  const quarter = quarterOf(latest);
  const rows = await registry.run(c, 'disproportionality', { periods: [{ from: quarter.from, to: quarter.to }] });
  return rows
    .filter((r) => typeof r['population'] === 'number' && (r['count'] as number) > (r['population'] as number))
    .map((r) => ({
      as_at: latest,
      cohort: r['cohort'] as string,
      dimension: r['dimension'] as string,
      group: r['group'] as string,
      count: r['count'] as number,
      population: r['population'] as number,
    }));
}
