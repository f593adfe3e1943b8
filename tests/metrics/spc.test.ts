import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSpc, spcAnalysis, spcShownFrom, type SpcResult } from '../../metrics/spc.ts';
import { metricsRegistry } from '../../metrics/registry.ts';

// SPC needs no warehouse tables: the series is bound to the query as a parameter.
// The point-by-point rule cases are in spcReference.test.ts; this file holds the limits, the
// baseline and recalculation (METRICS.md §13 "SPC limits"), gaps, and the sentence.
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
const quarterly = (values: (number | null | 'c')[]) =>
  values.map((value, i) => ({ period_to: `${2020 + Math.floor(i / 4)}-${quarterEnds[i % 4]}`, value }));

const rulesOf = (result: SpcResult, rule: string) => result.points.map((p) => p.rules.includes(rule as never));

/** Mean 11, MR̄ 27/14, limits 5.87 … 16.13, 2σ 7.58 … 14.42 (worked in spcReference.test.ts); ends 2023-09-30 on 12. */
const base = [11, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12];

describe('XmR limits from a baseline of the first 15 points (METRICS.md §13 "SPC limits")', () => {
  // Ten points alternating 19, 21 then ten alternating 29, 31. The baseline is the first 15:
  //   19, 21 five times each (200) and 29, 31, 29, 31, 29 (149): mean = 349/15 = 23.2667.
  //   Moving ranges inside it: nine of 2 (18), |29 − 21| = 8, four of 2 (8): 34 over 14, MR̄ = 17/7.
  //   Limits 349/15 ± 2.66 · 17/7 = 29.727, 16.807: the 31s are above the upper limit.
  //   (The whole-series mean would be 25, with limits 18.84 … 31.16: the old, moving answer.)
  const step = [19, 21, 19, 21, 19, 21, 19, 21, 19, 21, 29, 31, 29, 31, 29, 31, 29, 31, 29, 31];

  it('matches the hand computation to 1e-9', async () => {
    const r = await spcAnalysis(c, quarterly(step));
    const mean = 349 / 15;
    const mrBar = 34 / 14;
    expect(r.chart).toBe('xmr');
    expect(r.n_points).toBe(20);
    expect(r.centre).toBeCloseTo(mean, 9);
    expect(r.mr_bar).toBeCloseTo(mrBar, 9);
    expect(r.limits!.upl).toBeCloseTo(mean + 2.66 * mrBar, 9);
    expect(r.limits!.lpl).toBeCloseTo(mean - 2.66 * mrBar, 9);
    expect(r.limits!.upper_2s).toBeCloseTo(mean + (2 / 3) * 2.66 * mrBar, 9);
    expect(r.limits!.lower_2s).toBeCloseTo(mean - (2 / 3) * 2.66 * mrBar, 9);
    expect(r.limits!.upper_1s).toBeCloseTo(mean + (1 / 3) * 2.66 * mrBar, 9);
    expect(r.limits!.lower_1s).toBeCloseTo(mean - (1 / 3) * 2.66 * mrBar, 9);
    expect(r.baseline).toEqual({ from: '2020-03-31', to: '2023-09-30', n_points: 15 });
    expect(r.points[0]!.moving_range).toBeNull();
    expect(r.points[10]!.moving_range).toBe(8);
    // Sides against 23.27: ten below, ten above, each a run of 10 (≥ 7).
    expect(rulesOf(r, 'shift')).toEqual(Array(20).fill(true));
    expect(rulesOf(r, 'outside_limits')).toEqual(step.map((v) => v === 31));
    expect(() => JSON.stringify(r)).not.toThrow();
  });

  it('keeps every published flag when four more quarters arrive (no recalculation recorded)', async () => {
    const before = await spcAnalysis(c, quarterly(step), { improvement: 'down' });
    // Four more quarters far below: with whole-series limits the mean would fall to 24.2 and
    // the limits move, so the earlier flags would shift; from the baseline nothing earlier moves.
    const after = await spcAnalysis(c, quarterly([...step, 20, 22, 20, 22]), { improvement: 'down' });
    expect(after.limits).toEqual(before.limits);
    const readings = (points: SpcResult['points']) => points.map((p) => [p.rules, p.variation]);
    expect(readings(after.points.slice(0, 20))).toEqual(readings(before.points));
  });

  it('shows a window of the judged series without moving its limits (a pack shows five years of it)', async () => {
    const judged = await spcAnalysis(c, quarterly([...step, 20, 22, 20, 22]));
    const shown = spcShownFrom(judged, '2021-03-31');
    expect(shown.points.map((p) => p.period_to)).toEqual(judged.points.slice(4).map((p) => p.period_to));
    expect(shown.limits).toEqual(judged.limits);
    expect(shown.baseline).toEqual({ from: '2020-03-31', to: '2023-09-30', n_points: 15 });
    expect(shown.points.map((p) => p.flags)).toEqual(judged.points.slice(4).map((p) => p.flags));
  });

  it('calls the direction neither good nor bad when improvement is not given', async () => {
    const r = await spcAnalysis(c, quarterly(step));
    expect(r.improvement).toBe('neither');
    expect(new Set(r.points.map((p) => p.variation))).toEqual(new Set(['special_cause_neither']));
    expect(describeSpc(r, 'children on a plan')).not.toMatch(/concern|improvement/);
  });
});

describe('recalculation at a recorded change in the process', () => {
  // The base (mean 11), then 15 quarters alternating 20, 22 (mean 21, MR̄ 2 → limits 21 ± 5.32).
  const level = [20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20];
  const series = quarterly([...base, ...level]);

  it('without one, the new level is judged against the old limits', async () => {
    const r = await spcAnalysis(c, series);
    expect(r.segments).toHaveLength(1);
    expect(r.points.slice(15).every((p) => p.rules.includes('outside_limits') && p.rules.includes('shift'))).toBe(true);
  });

  it('from the recorded date, new limits from the next 15 points, extended forward', async () => {
    // 2023-11-15 is inside Q4 2023: the first period ending on or after it is 2023-12-31 (point 15).
    const r = await spcAnalysis(c, series, { recalculateFrom: ['2023-11-15'] });
    expect(r.segments.map((s) => [s.from, s.to, s.chart, s.n_points])).toEqual([
      ['2020-03-31', '2023-09-30', 'xmr', 15],
      ['2023-12-31', '2027-06-30', 'xmr', 15],
    ]);
    expect(r.segments[0]!.mean).toBeCloseTo(11, 9);
    // Second segment: 8 · 20 + 7 · 22 = 314, mean 314/15; 14 ranges of 2, MR̄ 2.
    expect(r.mean).toBeCloseTo(314 / 15, 9);
    expect(r.mr_bar).toBeCloseTo(2, 9);
    expect(r.limits!.upl).toBeCloseTo(314 / 15 + 5.32, 9);
    expect(r.baseline).toEqual({ from: '2023-12-31', to: '2027-06-30', n_points: 15 });
    // No moving range across the boundary, and no signal in either segment.
    expect(r.points[15]!.moving_range).toBeNull();
    expect(r.points[15]!.segment).toBe(1);
    expect(r.signals).toEqual([]);
  });

  it('with fewer than 15 points since the change, the latest segment is a run chart and says so', async () => {
    const r = await spcAnalysis(c, quarterly([...base, 20, 22, 20, 22]), { recalculateFrom: ['2023-12-31'] });
    expect(r.chart).toBe('run');
    expect(r.limits).toBeNull();
    expect(r.centre).toBeCloseTo(21, 9);
    expect(r.points.slice(15).every((p) => p.variation === 'common_cause')).toBe(true);
    expect(describeSpc(r, 'referrals')).toBe(
      'There are too few points to judge referrals since the change in the process recorded from December 2023: ' +
        'four quarters, and 15 are needed for process limits, so no signal is read.',
    );
  });

  it('refuses a recalculation point that is not a date', async () => {
    const hostile = ["2023-12-31'); DROP TABLE x; --"];
    await expect(spcAnalysis(c, series, { recalculateFrom: hostile })).rejects.toThrow(/not a date/);
  });
});

describe('gaps and suppressed points', () => {
  it('takes no moving range across a missing period (METRICS.md §13: skipped, not zero)', async () => {
    // The base with a gap after its fifth point: values 11, 10, 12, 10, 12 | 10, 12, … (15 in all,
    // sum 165, mean 11). Ranges: 1, 2, 2, 2 before the gap (7), nine of 2 after it (18): 25 over 13.
    // Spanning the gap (12 → 10) would add a 2 and give 27/14; a zero would give 25/14.
    const values = [11, 10, 12, 10, 12, null, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12];
    const r = await spcAnalysis(c, quarterly(values));
    expect(r.n_points).toBe(15);
    expect(r.chart).toBe('xmr');
    expect(r.mean).toBeCloseTo(11, 9);
    expect(r.mr_bar).toBeCloseTo(25 / 13, 9);
    expect(r.points[5]).toMatchObject({
      value: null,
      rules: [],
      variation: null,
      moving_range: null,
      signal_words: 'no value',
    });
    expect(r.points[6]!.moving_range).toBeNull();
    expect(r.points[7]!.moving_range).toBe(2);
  });

  it('treats a suppressed c as a gap, reported as suppressed, never as a value', async () => {
    const r = await spcAnalysis(c, quarterly([...base.slice(0, 5), 'c', ...base.slice(5)]));
    expect(r.n_points).toBe(15);
    expect(r.points[5]).toMatchObject({
      value: null,
      suppressed: true,
      variation: null,
      signal_words: 'no value (suppressed, not judged)',
    });
    expect(r.points.filter((p) => p.suppressed)).toHaveLength(1);
  });

  it('answers an empty series', async () => {
    const r = await spcAnalysis(c, []);
    expect(r).toMatchObject({ chart: 'run', n_points: 0, centre: null, points: [], signals: [], segments: [] });
    expect(describeSpc(r, 'referrals')).toBe('There is no data yet for referrals.');
  });

  it('refuses values that are not finite numbers, dates that are not dates, and periods out of order', async () => {
    await expect(spcAnalysis(c, [{ period_to: '2024-03-31', value: Number.NaN }])).rejects.toThrow(/finite/);
    await expect(spcAnalysis(c, [{ period_to: '2024-02-30', value: 1 }])).rejects.toThrow(/not a date/);
    const backwards = [
      { period_to: '2024-06-30', value: 1 },
      { period_to: '2024-03-31', value: 1 },
    ];
    await expect(spcAnalysis(c, backwards)).rejects.toThrow(/in order/);
  });
});

describe("the sentence names what fired, in the table's words, with no ISO dates", () => {
  // Quarter ends from 2020 Q1: base is 2020-03-31 … 2023-09-30; then 2023-12-31, 2024-03-31, …
  const cases: { name: string; values: number[]; improvement: 'up' | 'down' | 'neither'; sentence: string }[] = [
    {
      // 17 > 16.13: above the upper limit (the Mar 2026 demo case: a point above the limit is never
      // "close to" it).
      name: 'outside the limit',
      values: [...base, 12, 17],
      improvement: 'neither',
      sentence:
        'The latest quarter of the rate, March 2024 at 17, is special cause variation: above the upper limit (16.1).',
    },
    {
      // 15, 12, 15: two beyond the 2σ line (14.42) with the third above the mean.
      name: 'two of three',
      values: [...base, 15, 12, 15],
      improvement: 'down',
      sentence:
        'The latest quarter of the rate, June 2024 at 15, is special cause variation (a concern): ' +
        '2 of 3 points beyond the 2σ line above the mean (14.4).',
    },
    {
      name: 'a shift',
      values: [...base, 10.5, 10, 10.5, 10, 10.5, 10, 10.5],
      improvement: 'down',
      sentence:
        'The latest quarter of the rate, June 2025 at 10.5, is special cause variation (an improvement): ' +
        '7 points in a row below the mean (11).',
    },
    {
      name: 'a trend',
      values: [...base, 9, 9.5, 10, 10.5, 11.5, 12, 12.5],
      improvement: 'up',
      sentence:
        'The latest quarter of the rate, June 2025 at 12.5, is special cause variation (an improvement): ' +
        '7 points each higher than the one before.',
    },
    {
      // spcReference.test.ts "flagged both ways": a fall of 7 inside a shift of 8 above the mean.
      name: 'both ways',
      values: [...base, 16, 15.5, 15, 14.5, 14, 13.5, 13],
      improvement: 'down',
      sentence:
        'The latest quarter of the rate, June 2025 at 13, is special cause variation ' +
        '(a concern: it is flagged both ways): ' +
        '8 points in a row above the mean (11) and 7 points each lower than the one before.',
    },
    {
      name: 'an earlier signal',
      values: [...base, 16.5, 12],
      improvement: 'up',
      sentence:
        'The latest quarter of the rate, March 2024 at 12, shows common cause variation; ' +
        'the last signal was at December 2023 (above the upper limit).',
    },
    {
      name: 'no signal',
      values: [...base, 12],
      improvement: 'up',
      sentence: 'Variation in the rate over 16 quarters is within the expected range (common cause).',
    },
    {
      // Fewer than 15 points: too few to judge, whatever the values do.
      name: 'too few points',
      values: [3, 8, 6, 9, 5, 10, 4, 7, 12, 2, 11, 40],
      improvement: 'up',
      sentence:
        'There are too few points to judge the rate: 12 quarters, and 15 are needed for process limits, ' +
        'so no signal is read.',
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const r = await spcAnalysis(c, quarterly(testCase.values), { improvement: testCase.improvement });
      const sentence = describeSpc(r, 'the rate');
      expect(sentence).toBe(testCase.sentence);
      expect(sentence).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(sentence).not.toMatch(/close to/);
      // The words of the latest point's table row are in the sentence.
      for (const flag of r.points[r.points.length - 1]!.flags) expect(sentence).toContain(flag.words);
    });
  }

  it('gives the table the same words for each point', async () => {
    const r = await spcAnalysis(c, quarterly([...base, 12, 17]), { improvement: 'down' });
    expect(r.points[16]!.signal_words).toBe('special cause (concern): above the upper limit');
    expect(r.points[15]!.signal_words).toBe('common cause');
  });

  it('gives a run chart the mean as its centre, no limits and no flags', async () => {
    // 1 … 12 shuffled, then 40: sum 118 over 13, mean 9.0769 (not the median, 7).
    const r = await spcAnalysis(c, quarterly([3, 8, 6, 9, 5, 10, 4, 7, 12, 2, 11, 1, 40]), { improvement: 'up' });
    expect(r.chart).toBe('run');
    expect(r.centre).toBeCloseTo(118 / 13, 9);
    expect(r.mr_bar).toBeNull();
    expect(r.limits).toBeNull();
    expect(r.signals).toEqual([]);
  });
});

describe('the query', () => {
  it('is a registry query headed with its clause, the series bound as a parameter', () => {
    const query = metricsRegistry().get('spc_xmr');
    expect(query.shape).toBe('rows');
    expect(query.usesPeriods).toBe(false);
    expect([...query.params].sort()).toEqual(['improvement', 'recalculate_from', 'series']);
    expect(query.clause).toMatch(/METRICS\.md §13 "SPC rules"/);
    // Nothing of a series is ever written into the SQL text.
    expect(query.sql).not.toMatch(/VALUES/i);
  });
});
