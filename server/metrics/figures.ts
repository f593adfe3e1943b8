import type { Warehouse } from '../../sql/warehouse.ts';
import { metricsRegistry } from './registry.ts';

import type { Period } from './calendar.ts';

export type { Period };

/** The families that make up the §8 object, in its order. */
export const packFamilies = ['prevalence', 'repeat', 'drift'] as const;

export interface MetricsPack {
  period: Period;
  population: { year: number | null; children_0_17: number | null; source: string | null };
  prevalence: Record<string, unknown>;
  repeat?: Record<string, unknown>;
  drift?: Record<string, unknown>;
  suppressed: boolean;
}

/**
 * The §8 object of `lscb metrics --json`: every row query of each pack family, merged into that
 * family's object. All queries share one connection and run one after another.
 */
export async function computeMetricsPack(warehouse: Warehouse, period: Period): Promise<MetricsPack> {
  const registry = metricsRegistry();
  return warehouse.withConnection(async (c) => {
    const periods = [period];
    const population = await registry.runOne(c, 'population', { periods });
    const pack: MetricsPack = {
      period,
      population: {
        year: (population['year'] as number | null) ?? null,
        children_0_17: (population['children_0_17'] as number | null) ?? null,
        source: (population['source'] as string | null) ?? null,
      },
      prevalence: {},
      suppressed: false,
    };
    for (const family of packFamilies) {
      const queries = registry.family(family).filter((q) => q.shape === 'row');
      if (queries.length === 0) continue;
      const figures: Record<string, unknown> = {};
      for (const query of queries) {
        const { period_from: _from, period_to: _to, ...row } = await registry.runOne(c, query.name, { periods });
        Object.assign(figures, row);
      }
      pack[family] = figures;
    }
    return pack;
  });
}
