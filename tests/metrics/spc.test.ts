import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSpc, spcAnalysis, type SpcResult } from '../../metrics/spc.ts';
import { metricsRegistry } from '../../metrics/registry.ts';

// SPC needs no warehouse tables: the series goes into a temp table on the connection.
let instance: DuckDBInstance;
let c: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
});
afterAll(() => {
  c.closeSync();
  instance.closeSync();
});

const quarterEnds = ['03-31', '06-30', '09-30', '12-31'];
/** Quarter ends from 2020 Q1, one per value. */
const quarterly = (values: (number | null)[]) =>
  values.map((value, i) => ({ period_to: `${2020 + Math.floor(i / 4)}-${quarterEnds[i % 4]}`, value }));

const rulesOf = (result: SpcResult, rule: string) => result.points.map((p) => p.rules.includes(rule as never));

describe('XmR chart (tech-anchors §5.1): limits', () => {
  // Ten points alternating 19, 21 (mean 20) then ten alternating 29, 31 (mean 30).
  //   mean = (10·20 + 10·30) / 20 = 25
  //   moving ranges: 9 × |21 − 19| = 18 in the first half, |29 − 21| = 8 at the step, 9 × 2 = 18 in
  //   the second half: MR̄ = 44 / 19 = 2.315789…
  //   limits 25 ± 2.66 · 44/19 = 25 ± 6.16 → 31.16, 18.84 (no point outside: 31 < 31.16, 19 > 18.84)
  //   2σ 25 ± 1.773 · 44/19; 1σ 25 ± 0.887 · 44/19
  const step = [19, 21, 19, 21, 19, 21, 19, 21, 19, 21, 29, 31, 29, 31, 29, 31, 29, 31, 29, 31];

  it('matches the hand computation to 1e-9', async () => {
    const r = await spcAnalysis(c, quarterly(step));
    const mrBar = 44 / 19;
    expect(r.chart).toBe('xmr');
    expect(r.n_points).toBe(20);
    expect(r.centre).toBeCloseTo(25, 9);
    expect(r.mr_bar).toBeCloseTo(mrBar, 9);
    expect(r.limits!.upl).toBeCloseTo(25 + 2.66 * mrBar, 9);
    expect(r.limits!.lpl).toBeCloseTo(25 - 2.66 * mrBar, 9);
    expect(r.limits!.upl).toBeCloseTo(31.16, 9);
    expect(r.limits!.lpl).toBeCloseTo(18.84, 9);
    expect(r.limits!.upper_2s).toBeCloseTo(25 + 1.773 * mrBar, 9);
    expect(r.limits!.lower_2s).toBeCloseTo(25 - 1.773 * mrBar, 9);
    expect(r.limits!.upper_1s).toBeCloseTo(25 + 0.887 * mrBar, 9);
    expect(r.limits!.lower_1s).toBeCloseTo(25 - 0.887 * mrBar, 9);
    expect(r.points[0]!.moving_range).toBeNull();
    expect(r.points[10]!.moving_range).toBe(8);
  });

  it('flags every point of the step change as a shift, improvement or concern by direction', async () => {
    const r = await spcAnalysis(c, quarterly(step), { improvement: 'down' });
    // All ten before the step are below 25 and all ten after above: two runs of 10 (≥ 7).
    expect(rulesOf(r, 'shift')).toEqual(Array(20).fill(true));
    expect(rulesOf(r, 'outside_limits')).toEqual(Array(20).fill(false));
    expect(rulesOf(r, 'trend')).toEqual(Array(20).fill(false));
    expect(r.points.slice(0, 10).every((p) => p.variation === 'special_cause_improvement')).toBe(true);
    expect(r.points.slice(10).every((p) => p.variation === 'special_cause_concern')).toBe(true);
    expect(describeSpc(r, 'children on a plan')).toBe(
      'The last 10 quarters of children on a plan are all above the average, a signal of real change (a concern).',
    );
    // JSON-ready: plain numbers, no BigInt.
    expect(() => JSON.stringify(r)).not.toThrow();
  });

  it('calls the direction neither good nor bad when improvement is not given', async () => {
    const r = await spcAnalysis(c, quarterly(step));
    expect(r.improvement).toBe('neither');
    expect(new Set(r.points.map((p) => p.variation))).toEqual(new Set(['special_cause_neither']));
    expect(describeSpc(r, 'children on a plan')).not.toMatch(/concern|improvement/);
  });
});

describe('special-cause rules', () => {
  it('flags a trend of 6 consecutive rising points, all six of them', async () => {
    // 8, 9, 10, 11, 12, 13 rise five times in a row; the alternating 10/12 around it never rise
    // twice. mean = 161/15 = 10.73, so no run reaches 7 on one side.
    const values = [10, 12, 10, 12, 10, 12, 8, 9, 10, 11, 12, 13, 10, 12, 10];
    const r = await spcAnalysis(c, quarterly(values), { improvement: 'up' });
    expect(r.chart).toBe('xmr');
    expect(rulesOf(r, 'trend')).toEqual([false, false, false, false, false, false, true, true, true, true, true, true, false, false, false]);
    expect(r.signals).toEqual(['trend']);
    expect(r.points[6]!.variation).toBe('special_cause_improvement');
    expect(r.points[12]!.variation).toBe('common_cause');
  });

  it('treats a repeated value as breaking a trend (NHS England SPC SQL, NHSRplotthedots)', async () => {
    // 8, 9, 9, 10, 11, 12, 13: ignoring the tie would make six rising values; with the tie breaking
    // it the longest rise is 9 → 13, five points.
    const values = [10, 12, 10, 12, 10, 12, 8, 9, 9, 10, 11, 12, 13, 10, 12];
    const r = await spcAnalysis(c, quarterly(values));
    expect(rulesOf(r, 'trend').some(Boolean)).toBe(false);
  });

  it('flags a single point outside the process limits', async () => {
    // 10/14 alternating with one 32 at index 7. mean = (8·10 + 6·14 + 32)/15 = 196/15;
    // MR: 12 × 4 + 22 + 22 = 92, MR̄ = 92/14; UPL = 196/15 + 2.66 · 92/14 = 30.547 < 32.
    const values = [10, 14, 10, 14, 10, 14, 10, 32, 10, 14, 10, 14, 10, 14, 10];
    const r = await spcAnalysis(c, quarterly(values), { improvement: 'down' });
    expect(r.limits!.upl).toBeCloseTo(196 / 15 + (2.66 * 92) / 14, 9);
    expect(rulesOf(r, 'outside_limits')).toEqual(values.map((v) => v === 32));
    expect(r.signals).toEqual(['outside_limits']);
    expect(r.points[7]!.variation).toBe('special_cause_concern');
  });

  it('flags two of three consecutive points beyond 2σ on the same side', async () => {
    // 10/14 alternating with 24, 24 at indexes 7 and 8. mean = (7·10 + 6·14 + 2·24)/15 = 202/15;
    // MR: 6 × 4, then 14 (10→24), 0 (24→24), 10 (24→14), then 5 × 4: 68 over 14, MR̄ = 68/14.
    // 2σ = 202/15 + 1.773 · 68/14 = 22.08 < 24 < UPL = 202/15 + 2.66 · 68/14 = 26.39.
    const values = [10, 14, 10, 14, 10, 14, 10, 24, 24, 14, 10, 14, 10, 14, 10];
    const r = await spcAnalysis(c, quarterly(values));
    expect(r.mean).toBeCloseTo(202 / 15, 9);
    expect(r.mr_bar).toBeCloseTo(68 / 14, 9);
    expect(r.limits!.upper_2s).toBeCloseTo(202 / 15 + (1.773 * 68) / 14, 9);
    expect(rulesOf(r, 'two_of_three')).toEqual(values.map((v) => v === 24));
    expect(r.signals).toEqual(['two_of_three']);
  });

  it('does not let a point on the mean continue a run', async () => {
    // mean = (1+3+1+3+5+3+1+3 + 7+9+7+9+7+9+7)/15 = 75/15 = 5: the 5 splits the low points into
    // runs of 4 and 3, so only the seven high points make a shift.
    const values = [1, 3, 1, 3, 5, 3, 1, 3, 7, 9, 7, 9, 7, 9, 7];
    const r = await spcAnalysis(c, quarterly(values));
    expect(r.points[4]!.side).toBe(0);
    expect(rulesOf(r, 'shift')).toEqual(values.map((_, i) => i >= 8));
  });

  it('finds no signal in a stable series', async () => {
    // Mean 202/16 = 12.625; sides and steps alternate at most twice in a row; MR̄ = 30/15 = 2, so
    // 2σ = 12.625 ± 3.546 holds every point.
    const values = [12, 14, 11, 13, 12, 15, 11, 13, 14, 12, 13, 11, 14, 12, 13, 12];
    const r = await spcAnalysis(c, quarterly(values), { improvement: 'up' });
    expect(r.mr_bar).toBeCloseTo(2, 9);
    expect(r.signals).toEqual([]);
    expect(r.points.every((p) => p.variation === 'common_cause' && p.rules.length === 0)).toBe(true);
    expect(describeSpc(r, 'referrals')).toBe('Variation in referrals over 16 quarters is within the expected range (common cause).');
  });
});

describe('run chart (fewer than 15 points)', () => {
  it('gives 12 points a median centre line and no limits', async () => {
    // Sorted 1…12: median (6 + 7)/2 = 6.5.
    const r = await spcAnalysis(c, quarterly([3, 8, 6, 9, 5, 10, 4, 7, 12, 2, 11, 1]));
    expect(r.chart).toBe('run');
    expect(r.centre).toBeCloseTo(6.5, 9);
    expect(r.median).toBeCloseTo(6.5, 9);
    expect(r.mr_bar).toBeNull();
    expect(r.limits).toBeNull();
    expect(r.signals).toEqual([]);
    expect(describeSpc(r, 'referrals')).toMatch(/^No signal of change in referrals over 12 quarters \(a run chart/);
  });

  it('applies the trend rule and never the limit rules', async () => {
    // 1 → 6 rises five times; a 40 would be far outside XmR limits but a run chart has none.
    const r = await spcAnalysis(c, quarterly([4, 6, 5, 1, 2, 3, 4, 5, 6, 3, 40]), { improvement: 'up' });
    expect(rulesOf(r, 'trend')).toEqual([false, false, false, true, true, true, true, true, true, false, false]);
    expect(rulesOf(r, 'outside_limits').some(Boolean)).toBe(false);
    expect(rulesOf(r, 'two_of_three').some(Boolean)).toBe(false);
  });
});

describe('gaps and edge cases', () => {
  it('skips a null value: it is not a point, and the moving range after it spans the gap', async () => {
    const r = await spcAnalysis(c, quarterly([4, 6, 5, 1, 2, null, 3, 4, 5, 6, 3]));
    expect(r.n_points).toBe(10);
    expect(r.points).toHaveLength(11);
    expect(r.points[5]).toMatchObject({ value: null, rules: [], variation: null, moving_range: null });
    expect(r.points[6]!.moving_range).toBe(1);
    // The rise 1, 2, (gap), 3, 4, 5, 6 counts as six consecutive points.
    expect(rulesOf(r, 'trend')).toEqual([false, false, false, true, true, false, true, true, true, true, false]);
    expect(describeSpc(r, 'referrals')).toBe(
      'The latest quarter of referrals shows no signal of change, but there was one earlier in the series (last at 2022-06-30).',
    );
  });

  it('answers an empty series', async () => {
    const r = await spcAnalysis(c, []);
    expect(r).toMatchObject({ chart: 'run', n_points: 0, centre: null, points: [], signals: [] });
    expect(describeSpc(r, 'referrals')).toBe('There is no data yet for referrals.');
  });

  it('refuses values that are not finite numbers', async () => {
    await expect(spcAnalysis(c, [{ period_to: '2024-03-31', value: Number.NaN }])).rejects.toThrow(/finite/);
  });

  it('is a registry query headed with its clause', () => {
    const query = metricsRegistry().get('spc_xmr');
    expect(query.shape).toBe('rows');
    expect(query.usesPeriods).toBe(false);
    expect(query.params).toEqual(['improvement']);
    expect(query.clause).toMatch(/tech-anchors §5\.1/);
  });
});
