import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { computeBenchmarks, computeRepeatFunnel, matchingDfeYear } from '../../server/metrics/benchmarks.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterAll(() => warehouse.close());

describe('METRICS.md §9 benchmarks from the bundled DfE files', () => {
  it('reproduces the England figures of SOURCES.md for 2025', async () => {
    // SOURCES.md: CP plans at 31 March 49,420 ÷ 12,183,016 × 10,000 = 40.6; second or subsequent
    // 15,130 of 61,840 = 24.5%; 2+ years 2.3%; re-referrals 22.6%; factor Neglect 90,370 of 513,250 = 17.6%.
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2025-01-01', to: '2025-03-31' }, { la_code: '350', la_name: 'Bolton' }));
    expect(b.year).toBe(2025);
    expect(b.measures['cp_open_rate_per_10k']!.england).toBeCloseTo((49420 / 12183016) * 10000, 6);
    expect(b.measures['cp_open_rate_per_10k']!.england!.toFixed(1)).toBe('40.6');
    expect(b.measures['cp_starts_second_or_subsequent_pct']!.england).toBe(24.5);
    expect(b.measures['cp_open_2y_plus_pct']!.england).toBe(2.3);
    expect(b.measures['rereferrals_12m_pct']!.england).toBe(22.6);
    expect(b.measures['assessments_neglect_pct']!.england!.toFixed(1)).toBe('17.6');
  });

  it('gives the region and the mean of the ten statistical neighbours, worked out from the files', async () => {
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2025-01-01', to: '2025-03-31' }, { la_code: '350', la_name: 'Bolton' }));
    // North West, 2025, second or subsequent: the regional row of d3 is 23.3% (2,360 of 10,150).
    expect(b.region).toBe('North West');
    expect(b.measures['cp_starts_second_or_subsequent_pct']!.region).toBe(23.3);
    // Bolton's ten neighbours (statistical_neighbours_2025_wide.csv) and their 2025 percentages,
    // read from d3 in this test rather than by the product's SQL:
    const expected = await warehouse.query<{ mean: number; n: number }>(`
      SELECT avg(try_cast(d.CPP_subsequent_percent AS DOUBLE)) AS mean, count(try_cast(d.CPP_subsequent_percent AS DOUBLE))::INTEGER AS n
      FROM read_csv('data/reference/dfe/d3_cpps_subsequent_plan_2013_to_2025.csv', all_varchar = true) d
      WHERE d.time_period = '2025' AND d.geographic_level = 'Local authority'
        AND d.old_la_code IN (SELECT unnest([SN_1, SN_2, SN_3, SN_4, SN_5, SN_6, SN_7, SN_8, SN_9, SN_10])
                              FROM read_csv('data/reference/dfe/statistical_neighbours_2025_wide.csv', all_varchar = true) WHERE old_la_code = '350')`);
    expect(b.measures['cp_starts_second_or_subsequent_pct']!.statistical_neighbours.count).toBe(expected[0]!.n);
    expect(b.measures['cp_starts_second_or_subsequent_pct']!.statistical_neighbours.mean).toBeCloseTo(expected[0]!.mean, 9);
    expect(expected[0]!.n).toBeGreaterThanOrEqual(9);
  });

  it('matches a quarter to the reporting year it falls in, or the newest published one', () => {
    expect(matchingDfeYear({ from: '2024-01-01', to: '2024-03-31' }, 2025)).toBe(2024);
    expect(matchingDfeYear({ from: '2024-04-01', to: '2024-06-30' }, 2025)).toBe(2025);
    expect(matchingDfeYear({ from: '2026-01-01', to: '2026-03-31' }, 2025)).toBe(2025);
  });
});

describe('funnel plot of repeat plans', () => {
  it('places every LA around England’s rate with 95% and 99.8% limits', async () => {
    const funnel = await warehouse.withConnection((c) => computeRepeatFunnel(c, 2025, { label: 'Here', numerator: 30, denominator: 100 }));
    expect(funnel.p0).toBeCloseTo(15130 / 61840, 9);
    expect(funnel.points.length).toBeGreaterThan(140); // 153 LAs less the suppressed ones
    expect(funnel.points.filter((p) => p.highlight)).toEqual([{ label: 'Here', numerator: 30, denominator: 100, highlight: true }]);
    // At n = 100: p0 ± 1.959964 × √(p0(1 − p0)/100); p0 = 0.24467 → se 0.04299 → 0.1604 to 0.3289.
    const p0 = 15130 / 61840;
    const se = Math.sqrt((p0 * (1 - p0)) / 100);
    const near = funnel.limits.reduce((a, b) => (Math.abs(b.n - 100) < Math.abs(a.n - 100) ? b : a));
    const seAt = Math.sqrt((p0 * (1 - p0)) / near.n);
    expect(near.upper95).toBeCloseTo(p0 + 1.959964 * seAt, 12);
    expect(near.lower998).toBeCloseTo(p0 - 3.090232 * seAt, 12);
    expect(p0 + 1.959964 * se).toBeCloseTo(0.3289, 3);
  });
});

describe('lscb.config.json', () => {
  it('names the key that is wrong', () => {
    const path = join(tempDir('config'), 'bad.json');
    writeFileSync(path, JSON.stringify({ la_code: '99', la_name: 'X' }));
    expect(() => loadConfig(path)).toThrow(ConfigError);
    expect(() => loadConfig(path)).toThrow("'la_code' must be the DfE three-digit LA code");
    writeFileSync(path, '{ not json');
    expect(() => loadConfig(path)).toThrow('cannot be read as JSON');
  });

  it('the bundled config describes the demo LA and its stand-in comparator', () => {
    expect(loadConfig()).toMatchObject({ la_code: '990', la_name: 'Northbury', benchmark_la_code: '350' });
  });
});
