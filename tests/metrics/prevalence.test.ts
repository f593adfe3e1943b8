import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { calendar } from '../../metrics/calendar.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';

// Expected numbers are worked out in cpOpen.fixture.ts.
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
});
afterAll(() => fixture.dispose());

const quarter = { from: '2025-01-01', to: '2025-03-31' };

describe('METRICS.md §3 cp_open and cp_open_neglect_initial', () => {
  it('counts children with a plan open at the as-at date: "A plan that ended on d is not open at d"', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, quarter);
    expect(pack.prevalence['cp_open']).toBe(5);
    expect(pack.prevalence['cp_open_neglect_initial']).toBe(2);
    expect(pack.prevalence['cp_open_neglect_latest']).toBe(3);
  });

  it('rates per 10k use "the latest mid-year estimate whose mid-year date is strictly before the as-at date"', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, quarter);
    expect(pack.population).toEqual({ year: 2024, children_0_17: 20000, source: 'local' });
    expect(pack.prevalence['cp_open_rate_per_10k']).toBeCloseTo(2.5, 9);
    expect(pack.prevalence['cp_open_neglect_initial_rate_per_10k']).toBeCloseTo(1.0, 9);
    expect(pack.prevalence['cp_open_neglect_latest_rate_per_10k']).toBeCloseTo(1.5, 9);
  });

  it('moves to the next mid-year only after 30 June', async () => {
    // As at 2025-07-01 mid-2025 (30,000) applies; as at 2025-06-30 it is still mid-2024.
    const july = await computeMetricsPack(fixture.warehouse, { from: '2025-04-01', to: '2025-07-01' });
    expect(july.population.year).toBe(2025);
    const june = await computeMetricsPack(fixture.warehouse, { from: '2025-04-01', to: '2025-06-30' });
    expect(june.population.year).toBe(2024);
  });

  it('has the METRICS.md §8 shape', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, quarter);
    expect(pack.period).toEqual(quarter);
    expect(pack.suppressed).toBe(false);
    expect(Object.keys(pack.prevalence)).toEqual(
      expect.arrayContaining([
        'cp_open',
        'cp_open_rate_per_10k',
        'cp_open_neglect_initial',
        'cp_open_neglect_initial_rate_per_10k',
      ]),
    );
  });
});

describe('trend: cp_open at every quarter end by initial category', () => {
  it('gives one row per quarter end and category, zeros included', async () => {
    const rows = await fixture.warehouse.withConnection((c) =>
      metricsRegistry().run(c, 'cp_open_by_initial_category', {
        periods: calendar('quarter', '2024-10-01', '2025-03-31'),
      }),
    );
    const at = (quarterEnd: string) =>
      Object.fromEntries(
        rows.filter((r) => r['quarter_end'] === quarterEnd).map((r) => [r['category'], r['children']]),
      );
    expect(at('2024-12-31')).toEqual({ NEG: 3, PHY: 0, EMO: 1, SAB: 0, MUL: 1 });
    expect(at('2025-03-31')).toEqual({ NEG: 2, PHY: 1, EMO: 1, SAB: 0, MUL: 1 });
    expect(rows).toHaveLength(10);
  });
});

describe('the metrics registry', () => {
  it('heads every query with the METRICS.md clause it implements', () => {
    const registry = metricsRegistry();
    for (const name of registry.names()) {
      const query = registry.get(name);
      if (['prevalence', 'repeat', 'drift', 'population', 'trends'].includes(query.family)) {
        expect(query.clause, name).toMatch(/METRICS\.md §\d/);
      }
    }
  });
});
