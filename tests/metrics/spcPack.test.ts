import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBoardPack } from '../../metrics/boardPack.ts';
import type { FixtureRow } from '../support/fixtureWarehouse.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §13 "SPC limits": limits "computed from a baseline of the first 15 or more points ...
 * extended forward unchanged: a published point keeps its signal when later data arrives". Issue 10
 * saw 31 Dec 2023 read special cause in one pack and common cause in the next, because each pack
 * judged only its own five years. Here two consecutive packs must read every shared quarter alike.
 *
 * The fixture: 26 quarters, 2019 Q1 … 2025 Q2, population 20,000 every year, so the neglect-plan
 * rate per 10,000 is count / 2. Each quarter's children are on a NEG plan from the quarter's first
 * day to two days after its end: open at that quarter end only.
 *   q0 … q14 (2019-03-31 … 2022-09-30): counts 20, 24 alternating → rates 10, 12. The baseline:
 *     mean (8·10 + 7·12)/15 = 164/15 = 10.933; MR̄ 2; limits 10.933 ± 5.32.
 *   q15 … q19: rates 13, 13.5, 13, 13.5, 13; q20 … q25: 12, 11.5, 12, 11.5, 12, 11.5.
 *   Every point from q15 is above 10.933 (q14 is 10, below): a shift of 10 points in the pack to
 *   2025-03-31 and of 11 in the pack to 2025-06-30. Nothing is outside 16.25; the 2σ line is 14.48.
 * Judged only over its own 20 quarters (the old way) the pack to 2025-03-31 would have a mean of
 * 235/20 = 11.75, the 11.5s below it, and no shift.
 */
const rates = [
  10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 13, 13.5, 13, 13.5, 13, 12, 11.5, 12, 11.5, 12, 11.5,
];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const children: FixtureRow[] = [];
const plans: FixtureRow[] = [];
rates.forEach((rate, q) => {
  const start = new Date(Date.UTC(2019, 3 * q, 1));
  const end = new Date(Date.UTC(2019, 3 * q + 3, 2)); // two days after the quarter end
  for (let i = 0; i < rate * 2; i += 1) {
    const id = `Q${q}-${i}`;
    children.push({ child_id: id, birth_date: '2012-06-01', sex: i % 2 ? 'F' : 'M', ethnicity: 'WBRI' });
    plans.push({
      plan_id: `P-${id}`,
      child_id: id,
      start_date: iso(start),
      end_date: iso(end),
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    });
  }
});
const population: FixtureRow[] = [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025].map((year) => ({
  year,
  dimension: 'all',
  group: 'all',
  count: 20000,
}));

let fixture: FixtureWarehouse;
beforeAll(async () => {
  const tables = { 'children.csv': children, 'cp_plans.csv': plans, 'population.csv': population };
  fixture = await fixtureWarehouse(tables, '2025-07-31');
}, 120_000);
afterAll(() => fixture?.dispose());

describe('a pack judges its trend against one baseline, the same in every pack', () => {
  it('reads every shared quarter alike in consecutive packs, with limits from the first 15 quarters', async () => {
    const officer = { suppress: false };
    const march = await buildBoardPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' }, officer);
    const june = await buildBoardPack(fixture.warehouse, { from: '2025-04-01', to: '2025-06-30' }, officer);
    for (const pack of [march, june]) {
      const { spc } = pack.neglectTrend;
      expect(spc.baseline).toEqual({ from: '2019-03-31', to: '2022-09-30', n_points: 15 });
      expect(spc.mean).toBeCloseTo(164 / 15, 9);
      expect(spc.mr_bar).toBeCloseTo(2, 9);
      // Shown: the pack's five years; judged: the whole history.
      expect(spc.points).toHaveLength(20);
      expect(pack.neglectTrend.reading).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    expect(march.neglectTrend.spc.n_points).toBe(25);
    expect(june.neglectTrend.spc.n_points).toBe(26);
    const reading = (pack: typeof march) =>
      new Map(pack.neglectTrend.spc.points.map((p) => [p.period_to, [p.rules, p.variation, p.value]]));
    const before = reading(march);
    const after = reading(june);
    const shared = [...before.keys()].filter((date) => after.has(date));
    expect(shared).toHaveLength(19);
    for (const date of shared) expect(after.get(date), date).toEqual(before.get(date));
    // The shift from q15 (2022-12-31) on, as worked above; q14 (2022-09-30, rate 10) is not in it.
    const shift = march.neglectTrend.spc.points.filter((p) => p.rules.includes('shift')).map((p) => p.period_to);
    expect(shift[0]).toBe('2022-12-31');
    expect(shift).toHaveLength(10);
    expect(march.neglectTrend.reading).toBe(
      'The latest quarter of the rate of children on neglect plans, March 2025 at 12, is special cause variation: ' +
        '10 points in a row above the mean (10.9).',
    );
  }, 240_000);
});
