import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendar } from '../../metrics/calendar.ts';
import { computeMetricsPacks, type MetricsPack } from '../../metrics/figures.ts';
import { boardPacksForPeriods } from '../../metrics/linkedPeriods.ts';
import { valueAtPath } from '../../metrics/contract/figurePath.ts';
import { figurePaths, figureTrend, figureInputs } from '../../metrics/trend.ts';
import type { Warehouse } from '../../sql/warehouse.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';

/**
 * A series of one figure computes only the queries its value and its board suppression read
 * (metrics/trend.ts figureInputs; issue 17: the board pack's SPC history computed whole packs for
 * one figure). Held here to the whole packs, every figure of the §8 object, on the demo LA: the
 * partial series must give exactly what the whole packs give, raw and as the board sees it.
 */
let demo: { warehouse: Warehouse } | undefined;
const quarters = calendar('quarter', '2025-04-01', '2026-03-31');
const years = calendar('year', '2024-04-01', '2026-03-31');
let whole: { quarters: MetricsPack[]; years: MetricsPack[]; boardQuarters: MetricsPack[]; boardYears: MetricsPack[] };

beforeAll(async () => {
  demo = await smallDemoWarehouse(3000);
  const w = demo.warehouse;
  const q = await computeMetricsPacks(w, quarters, { benchmarks: false });
  const y = await computeMetricsPacks(w, years, { benchmarks: false });
  whole = {
    quarters: q,
    years: y,
    boardQuarters: await boardPacksForPeriods(w, q),
    boardYears: await boardPacksForPeriods(w, y),
  };
}, 300_000);
afterAll(() => demo?.warehouse.close());

describe('a figure’s series from its own queries', { timeout: 600_000 }, () => {
  it('names the sections and queries a figure reads, following what its suppression is built on', async () => {
    const inputs = (path: string) => demo!.warehouse.withConnection((c) => figureInputs(c, path));
    // The SPC figure: its count's query only.
    expect(await inputs('prevalence.cp_open_neglect_initial_rate_per_10k')).toEqual({
      sections: new Set(['prevalence']),
      queries: new Set(['cp_open']),
    });
    // A percentage reads its numerator's and denominator's families: the 2 years and over band of
    // the open plans' durations, and the open plans (the band's breakdown total too).
    expect((await inputs('percentages.cp_open_2y_plus_pct'))?.sections).toEqual(
      new Set(['percentages', 'drift', 'prevalence']),
    );
    // A lead agency is whatever the data names: any cell of the breakdown is a figure.
    expect((await inputs('strategy.eh_starts_by_lead_agency.any agency'))?.queries).toContain(
      'strategy_eh_starts_by_lead_agency',
    );
    // A figure no query gives is unknown.
    expect(await inputs('prevalence.no_such_figure')).toBeUndefined();
    expect(await inputs('drift.cp_open_by_duration.no_such_band')).toBeUndefined();
  });

  it('every figure, by quarter and by reporting year, raw and suppressed, equals the whole packs’ value', async () => {
    const w = demo!.warehouse;
    const paths = figurePaths(whole.quarters[0]!);
    expect(paths.length).toBeGreaterThan(80);
    const differences: string[] = [];
    for (const path of paths) {
      for (const [cadence, periods, raw, board] of [
        ['quarter', quarters, whole.quarters, whole.boardQuarters],
        ['year', years, whole.years, whole.boardYears],
      ] as const) {
        const from = periods[0]!.from;
        const to = periods.at(-1)!.to;
        const partial = await figureTrend(w, path, cadence, from, to);
        const partialBoard = await figureTrend(w, path, cadence, from, to, { suppress: true });
        const expected = raw.map((p) => valueAtPath(p, path) ?? null);
        const expectedBoard = board.map((p) => valueAtPath(p, path) ?? null);
        if (JSON.stringify(partial.map((p) => p.value ?? null)) !== JSON.stringify(expected))
          differences.push(`${path} ${cadence} raw`);
        if (JSON.stringify(partialBoard.map((p) => p.value ?? null)) !== JSON.stringify(expectedBoard))
          differences.push(`${path} ${cadence} board`);
      }
    }
    expect(differences).toEqual([]);
  });
});
