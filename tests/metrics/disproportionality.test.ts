import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack, type DisproportionalityRow } from '../../metrics/figures.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §6 Disproportionality, on a hand-built fixture. As at 2025-03-31; population mid-2024:
 *   ethnicity white 8,000, mixed 500, asian 1,000, black 400, other 100 (10,000)
 *   age_band under_1 500, 1_4 2,200, 5_9 2,800, 10_15 3,300, 16_plus 1,200 (10,000)
 *   sex male 5,100, female 4,900 (10,000)
 * Cohort cp_open_neglect: ten children on open NEG plans:
 *   N1–N5 white; N6–N9 mixed; N10 ethnicity NOBT (unknown)
 *   ages at 2025-03-31: N1, N6 under_1; N2, N3, N7, N8 1_4; N4, N9 5_9; N5 10_15; N10 unborn
 *   sex: N1–N4, N6, N7 male; N5, N8, N9 female; N10 unknown
 * Cohort neglect_any_stage: the same ten plus X11 (EH neglect only; MWBC, female, born 2013-05-05,
 * aged 11 → 10_15).
 *
 * rate_all ("all cohort children in known groups / all population in those groups × 10000"):
 *   cp_open_neglect, ethnicity: 9 / 10,000 × 10,000 = 9.0 (N10 is unknown); age_band 9.0 (N10
 *   unborn); sex 9.0 (N10 unknown). neglect_any_stage: 10.0 in each dimension.
 * cp_open_neglect by ethnicity:
 *   white 5 / 8,000 → 6.25 per 10k, ratio 6.25 / 9 = 0.694444…
 *   mixed 4 / 500 → 80.0, ratio 8.888…; Wilson 95% interval ≈ 31.2 to 203.9, above 9: higher
 *   asian 0 / 1,000 → 0.0; interval 0 to ≈38.3 includes 9: similar
 *   unknown: count 1 only ("Groups unknown and unborn get a count only")
 * Wilson intervals are checked against the score formula written out in wilson() below.
 */
const z = 1.959964;
function wilson(count: number, population: number): [number, number] {
  const p = count / population;
  const n = population;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [(centre - half) * 10000, (centre + half) * 10000];
}

const population = [
  ['all', 'all', 10000],
  ['ethnicity', 'white', 8000],
  ['ethnicity', 'mixed', 500],
  ['ethnicity', 'asian', 1000],
  ['ethnicity', 'black', 400],
  ['ethnicity', 'other', 100],
  ['age_band', 'under_1', 500],
  ['age_band', '1_4', 2200],
  ['age_band', '5_9', 2800],
  ['age_band', '10_15', 3300],
  ['age_band', '16_plus', 1200],
  ['sex', 'male', 5100],
  ['sex', 'female', 4900],
].map(([dimension, group, count]) => ({ year: 2024, dimension, group, count }));

const child = (child_id: string, birth_date: string | null, sex: string, ethnicity: string) => ({
  child_id,
  birth_date,
  sex,
  ethnicity,
});
let fixture: FixtureWarehouse;
beforeAll(async () => {
  const children = [
    child('N1', '2024-06-01', 'M', 'WBRI'),
    child('N2', '2022-01-01', 'M', 'WIRI'),
    child('N3', '2021-03-31', 'M', 'WOTH'),
    child('N4', '2018-05-05', 'M', 'WBRI'),
    child('N5', '2012-07-07', 'F', 'WROM'),
    child('N6', '2024-12-25', 'M', 'MWBC'),
    child('N7', '2020-04-01', 'M', 'MWBA'),
    child('N8', '2023-03-31', 'F', 'MWAS'),
    child('N9', '2016-01-01', 'F', 'MOTH'),
    child('N10', null, 'U', 'NOBT'),
    child('X11', '2013-05-05', 'F', 'MWBC'),
  ];
  fixture = await fixtureWarehouse({
    'children.csv': children,
    'cp_plans.csv': children
      .filter((c) => c.child_id !== 'X11')
      .map((c) => ({
        plan_id: `P-${c.child_id}`,
        child_id: c.child_id,
        start_date: '2025-01-15',
        initial_category: 'NEG',
        latest_category: 'NEG',
        previous_plans: 0,
      })),
    'early_help.csv': [{ episode_id: 'E11', child_id: 'X11', start_date: '2025-02-01', neglect: 'Y' }],
    'population.csv': population,
  });
});
afterAll(() => fixture.dispose());

async function rows(cohort: string, dimension: string): Promise<Record<string, DisproportionalityRow>> {
  const pack = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
  return Object.fromEntries(pack.disproportionality[cohort]![dimension]!.map((row) => [row.group, row]));
}

describe('METRICS.md §6 disproportionality', () => {
  it('gives counts, rates, ratios and flags by ethnicity, with Wilson intervals', async () => {
    const ethnicity = await rows('cp_open_neglect', 'ethnicity');
    expect(Object.keys(ethnicity)).toEqual(['white', 'mixed', 'asian', 'black', 'other', 'unknown']);
    expect(ethnicity['white']).toMatchObject({ count: 5, population: 8000, flag: 'similar' });
    expect(ethnicity['white']!.rate_per_10k).toBeCloseTo(6.25, 9);
    expect(ethnicity['white']!.ratio).toBeCloseTo(6.25 / 9, 9);
    expect(ethnicity['mixed']).toMatchObject({ count: 4, population: 500, flag: 'higher' });
    expect(ethnicity['mixed']!.rate_per_10k).toBeCloseTo(80, 9);
    expect(ethnicity['mixed']!.ratio).toBeCloseTo(80 / 9, 9);
    const [low, high] = wilson(4, 500);
    expect(ethnicity['mixed']!.ci_low).toBeCloseTo(low, 6);
    expect(ethnicity['mixed']!.ci_high).toBeCloseTo(high, 6);
    expect(low).toBeCloseTo(31.15, 1); // the hand estimate above
    expect(ethnicity['asian']).toMatchObject({ count: 0, rate_per_10k: 0, flag: 'similar' });
    expect(ethnicity['asian']!.ci_low).toBeCloseTo(0, 9);
    expect(ethnicity['asian']!.ci_high).toBeCloseTo(wilson(0, 1000)[1], 6);
    expect(ethnicity['unknown']).toEqual({
      group: 'unknown',
      count: 1,
      population: null,
      rate_per_10k: null,
      ci_low: null,
      ci_high: null,
      ratio: null,
      flag: null,
    });
  });

  it('uses age at the as-at date, with unborn children counted but given no rate', async () => {
    const age = await rows('cp_open_neglect', 'age_band');
    expect(Object.fromEntries(Object.entries(age).map(([g, r]) => [g, r.count]))).toEqual({
      unborn: 1,
      under_1: 2,
      '1_4': 4,
      '5_9': 2,
      '10_15': 1,
      '16_plus': 0,
    });
    expect(age['under_1']!.rate_per_10k).toBeCloseTo(40, 9);
    expect(age['1_4']!.rate_per_10k).toBeCloseTo((4 / 2200) * 10000, 9);
    expect(age['unborn']!.rate_per_10k).toBeNull();
  });

  it('compares each group with the rate of all children in known groups', async () => {
    const sex = await rows('cp_open_neglect', 'sex');
    expect(sex['male']!.ratio).toBeCloseTo(((6 / 5100) * 10000) / 9, 9);
    expect(sex['female']!.ratio).toBeCloseTo(((3 / 4900) * 10000) / 9, 9);
    expect(sex['unknown']!.count).toBe(1);
  });

  it('builds the neglect_any_stage cohort the same way', async () => {
    const ethnicity = await rows('neglect_any_stage', 'ethnicity');
    expect(ethnicity['mixed']!.count).toBe(5);
    expect(ethnicity['mixed']!.ratio).toBeCloseTo(100 / 10, 9); // 5 / 500 → 100 per 10k; rate_all 10.0
    const age = await rows('neglect_any_stage', 'age_band');
    expect(age['10_15']!.count).toBe(2);
  });
});
