import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBenchmarks } from '../../metrics/benchmarks.ts';
import { computeMetricsPacks } from '../../metrics/figures.ts';
import { intoCareReading, intoCareSection, noEpisodes } from '../../metrics/intoCare.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { suppressPack } from '../../metrics/suppression.ts';
import { figurePaths } from '../../metrics/trend.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';
import { lookedAfterFixture } from './lookedAfter.fixture.ts';

/** METRICS.md §10 on lookedAfterFixture: every expected number is worked out in tests/metrics/lookedAfter.fixture.ts. */
const quarter = { from: '2025-01-01', to: '2025-03-31' };
const before = { from: '2024-10-01', to: '2024-12-31' };

let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(lookedAfterFixture, '2025-04-30');
});
afterAll(() => fixture.dispose());

const cases = (name: string, period: { from: string; to: string }) =>
  fixture.warehouse.withConnection((c) => metricsRegistry().run(c, name, { periods: [period] }));

describe('METRICS.md §10 children looked after', () => {
  it('counts the quarter to 31 March 2025 as worked out above', async () => {
    const [pack] = await computeMetricsPacks(fixture.warehouse, [quarter], { benchmarks: false });
    expect(pack!.looked_after).toEqual({
      lac_open: 9,
      lac_open_rate_per_10k: 4.5,
      lac_open_n1: 4,
      lac_starts: 6,
      lac_starts_n1: 3,
      lac_from_neglect_plan: 3,
    });
  });

  it('counts the quarter to 31 December 2024: an episode ending on the as-at date is not open', async () => {
    const [pack] = await computeMetricsPacks(fixture.warehouse, [before], { benchmarks: false });
    expect(pack!.looked_after).toMatchObject({ lac_open: 2, lac_open_n1: 2, lac_starts: 3, lac_starts_n1: 1 });
  });

  it('chains episodes into periods of care: a change on the day the last ended, or after a gap with P, is no start', async () => {
    const rows = await cases('cases_lac_starts', quarter);
    expect(rows.map((r) => r['la_child_id']).sort()).toEqual(['L10', 'L2', 'L3', 'L5', 'L7', 'L8']);
    // L2's period of care began with E3, not E4 (P after a gap); L7's with E10, not E11 (continues E10).
    expect(rows.find((r) => r['la_child_id'] === 'L2')).toMatchObject({ care_start: '2025-02-01' });
    expect(rows.find((r) => r['la_child_id'] === 'L7')).toMatchObject({ care_start: '2025-01-15' });
  });

  it('sets the 365-day edge of lac_from_neglect_plan: 365 days before care counts, 366 does not', async () => {
    const rows = await cases('cases_lac_starts', quarter);
    const from = Object.fromEntries(rows.map((r) => [r['la_child_id'], r['from_neglect_plan']]));
    expect(from).toEqual({ L2: true, L3: true, L5: true, L7: false, L8: false, L10: false });
  });

  // The lists declare their parts (sql/metrics/looked_after.sql "case list of: … where <flag>").
  it.each([
    ['looked_after.lac_open', 'cases_lac_open', undefined, ['L1', 'L10', 'L2', 'L3', 'L5', 'L6', 'L7', 'L8', 'L9']],
    ['looked_after.lac_open_n1', 'cases_lac_open', 'need_n1', ['L1', 'L3', 'L7', 'L8']],
    ['looked_after.lac_starts', 'cases_lac_starts', undefined, ['L10', 'L2', 'L3', 'L5', 'L7', 'L8']],
    ['looked_after.lac_starts_n1', 'cases_lac_starts', 'need_n1', ['L3', 'L7', 'L8']],
    ['looked_after.lac_from_neglect_plan', 'cases_lac_starts', 'from_neglect_plan', ['L2', 'L3', 'L5']],
  ])('the case list of %s is the children it counts', async (figure, query, flag, children) => {
    const rows = (await cases(query, quarter)).filter((r) => flag === undefined || r[flag] === true);
    expect(rows.map((r) => r['la_child_id']).sort()).toEqual(children);
    const [pack] = await computeMetricsPacks(fixture.warehouse, [quarter], { benchmarks: false });
    expect(rows).toHaveLength(pack!.looked_after![figure.split('.')[1]!] as number);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['child_key', 'la_child_id', 'age_band', 'sex', 'ethnicity']),
    );
    const { clause } = metricsRegistry().get(query);
    expect(clause.split('\n')).toContain(`case list of: ${figure}${flag ? ` where ${flag}` : ''}`);
  });

  it('offers every looked-after figure as a trend', async () => {
    const [pack] = await computeMetricsPacks(fixture.warehouse, [quarter], { benchmarks: false });
    expect(figurePaths(pack!)).toEqual(
      expect.arrayContaining([
        'looked_after.lac_open',
        'looked_after.lac_open_rate_per_10k',
        'looked_after.lac_open_n1',
        'looked_after.lac_starts',
        'looked_after.lac_starts_n1',
        'looked_after.lac_from_neglect_plan',
      ]),
    );
  });

  it('METRICS.md §7: board output shows 1 to 5 as c, with the rate built on a hidden count', async () => {
    const [now, earlier] = await computeMetricsPacks(fixture.warehouse, [quarter, before], { benchmarks: false });
    expect(suppressPack(now!).looked_after).toEqual({
      lac_open: 9,
      lac_open_rate_per_10k: 4.5,
      lac_open_n1: 'c',
      lac_starts: 6,
      lac_starts_n1: 'c',
      lac_from_neglect_plan: 'c',
    });
    expect(suppressPack(earlier!).looked_after).toMatchObject({ lac_open: 'c', lac_open_rate_per_10k: 'c' });
  });

  /**
   * METRICS.md §10 "Benchmark: DfE's children looked after at 31 March, rate per 10,000 (LAIT), beside
   * lac_open's rate at a 31 March only"; §9 for England, region and neighbours. LAIT 124 for 2025
   * (data/reference/dfe/lait_benchmarks_2016_to_2025.csv): England 67, North West 90; Bolton
   * (350, Northbury's stand-in) has neighbours Coventry 82, Walsall 81, Oldham 91, Rochdale 102,
   * Salford 88, Tameside 123, Sheffield 54, Derby 88, Peterborough 72, Blackburn with Darwen 90:
   * mean 871 / 10 = 87.1. Northbury (990) is fictional: DfE publishes nothing for it.
   */
  it('benchmarks lac_open_rate_per_10k with LAIT 124, like with like only at 31 March', async () => {
    const [march, december] = await fixture.warehouse.withConnection(async (c) => [
      await computeBenchmarks(c, quarter),
      await computeBenchmarks(c, before),
    ]);
    expect(march!.measures.lac_open_rate_per_10k).toMatchObject({
      year: 2025,
      england: 67,
      region: 90,
      statistical_neighbours: { count: 10 },
      la_published: null,
      basis: 'at_31_march',
      like_with_like: true,
    });
    expect(march!.measures.lac_open_rate_per_10k.statistical_neighbours.mean).toBeCloseTo(87.1, 6);
    expect(december!.measures.lac_open_rate_per_10k.like_with_like).toBe(false);
  });

  it('writes the Into care sentence from the figures, naming N1 as abuse or neglect and England only at 31 March', async () => {
    const [march, december] = await computeMetricsPacks(fixture.warehouse, [quarter, before]);
    expect(intoCareReading(march!, march!.benchmarks)).toBe(
      'On 31 March 2025, 9 children were looked after (4.5 per 10,000 children; England 67 per 10,000 at 31 March 2025). ' +
        '6 children started to be looked after in the quarter: 3 with abuse or neglect (N1) as their category of need, ' +
        'and 3 from a child protection plan for neglect open the day before or ended in the year before.',
    );
    // 31 December: no DfE figure beside it (METRICS.md §9 like with like); 2 looked after, 3 starts, 1 N1, 1 from a
    // plan (L7: lookedAfter.fixture.ts).
    expect(intoCareReading(december!, december!.benchmarks)).toBe(
      'On 31 December 2024, 2 children were looked after (1.0 per 10,000 children). ' +
        '3 children started to be looked after in the quarter: 1 with abuse or neglect (N1) as their category of need, ' +
        'and 1 from a child protection plan for neglect open the day before or ended in the year before.',
    );
    // Board output: the hidden counts are said to be too small to publish, never as numbers.
    expect(intoCareReading(suppressPack(march!), march!.benchmarks)).toContain(
      'a number too small to publish with abuse or neglect (N1)',
    );
  });

  it('trends the rate over the packs it is given, and says when no care episode is loaded', async () => {
    const packs = await computeMetricsPacks(fixture.warehouse, [before, quarter], { benchmarks: false });
    const section = await fixture.warehouse.withConnection((c) => intoCareSection(c, packs, packs[1]!, undefined));
    expect(section.episodes_loaded).toBe(true);
    expect(section.trend.points).toEqual([
      { period_to: '2024-12-31', value: 1 },
      { period_to: '2025-03-31', value: 4.5 },
    ]);
    expect(section.trend.spc.chart).toBe('run');

    const empty = await fixtureWarehouse(cpOpenFixture);
    try {
      const emptyPacks = await computeMetricsPacks(empty.warehouse, [quarter], { benchmarks: false });
      expect(emptyPacks[0]!.looked_after).toMatchObject({ lac_open: 0, lac_starts: 0 });
      const none = await empty.warehouse.withConnection((c) =>
        intoCareSection(c, emptyPacks, emptyPacks[0]!, undefined),
      );
      expect(none.episodes_loaded).toBe(false);
      expect(none.reading).toBe(noEpisodes);
    } finally {
      empty.dispose();
    }
  });
});
