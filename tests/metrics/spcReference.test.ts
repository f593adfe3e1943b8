import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spcAnalysis, type Improvement, type SpcResult } from '../../metrics/spc.ts';

/**
 * Reference series for the SPC rules of METRICS.md §13 ("SPC rules", "SPC limits"), point by point.
 * Each expectation is written down from the rules by hand (the working is in the comments); no
 * other implementation's code or output was copied. The rules, as the clause states them:
 *   XmR from 15 points: centre = mean; MR̄ = mean |difference| of consecutive points both with
 *   values; limits mean ± 2.66 MR̄; 2σ mean ± (2/3)·2.66 MR̄; 1σ mean ± (1/3)·2.66 MR̄; limits from
 *   a baseline of the first 15 points, extended forward unchanged.
 *   (1) outside a limit; (2) shift: 7+ in a row on one side of the mean, a point on the mean breaks
 *   it; (3) trend: 7 in a row each higher (or each lower), a repeated value breaks it; (4) two of
 *   three beyond the same 2σ line (beyond the limit counts), the third, if not beyond, on the same
 *   side of the mean. Flagged both ways reads as a concern. Below 15 points: no flags.
 *
 * Codes per point: '.' common cause; otherwise the rules, O outside, 2 two of three, S shift,
 * T trend, then ':' and the variation, i improvement, c concern, n neither.
 */

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

const monthly = (values: (number | null)[], year = 2017, month = 4) =>
  values.map((value, i) => ({
    period_to: new Date(Date.UTC(year, month - 1 + i + 1, 0)).toISOString().slice(0, 10),
    value,
  }));

const letters: Record<string, string> = { outside_limits: 'O', two_of_three: '2', shift: 'S', trend: 'T' };
const variationLetter = {
  special_cause_improvement: 'i',
  special_cause_concern: 'c',
  special_cause_neither: 'n',
} as const;

/** One code per point, e.g. 'OS:c' (outside and shift, a concern) or '.' (common cause). */
function codes(result: SpcResult): string[] {
  return result.points.map((p) => {
    if (p.value === null) return '-';
    if (p.variation === 'common_cause' || p.variation === null) return '.';
    const rules = ['outside_limits', 'two_of_three', 'shift', 'trend'].filter((r) => p.rules.includes(r as never));
    return `${rules.map((r) => letters[r]).join('')}:${variationLetter[p.variation]}`;
  });
}

/**
 * A stable baseline of 15 points with round limits, so appended points test one rule at a time:
 *   11, then 10, 12 alternating seven times. Sum 11 + 7·10 + 7·12 = 165, mean = 11 exactly.
 *   Moving ranges |10 − 11| = 1, then thirteen of 2: MR̄ = 27/14; 2.66 · 27/14 = 5.13 exactly.
 *   Process limits 11 ± 5.13 = 5.87, 16.13; 2σ 11 ± 3.42 = 7.58, 14.42; 1σ 11 ± 1.71 = 9.29, 12.71.
 *   No signal in it: sides and steps alternate, 11 sits on the mean, nothing beyond 2σ.
 *   It ends on 12 (above the mean).
 */
const base = [11, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12];
const baseCodes = base.map(() => '.');

interface Case {
  name: string;
  values: (number | null)[];
  improvement: Improvement;
  expected: string[];
}

const cases: Case[] = [
  {
    // A trend of 6 is common cause (the rule counts 7). After 12, 9 falls, then 9 → 12 rises five
    // times: 6 points. Sides: 9, 9.5, 10, 10.5 below (4), 11.5, 12 above (2), 10 below: no shift.
    name: 'a rise of 6 points is common cause',
    values: [...base, 9, 9.5, 10, 10.5, 11.5, 12, 10],
    improvement: 'up',
    expected: [...baseCodes, '.', '.', '.', '.', '.', '.', '.'],
  },
  {
    // The same with 12.5 after 12: 9 → 12.5 is 7 points each higher than the one before, all 7
    // flagged (endpoints included). Rising with improvement up: improvement. 12.5 < 2σ 14.42.
    name: 'a rise of 7 points is special cause, every point of it',
    values: [...base, 9, 9.5, 10, 10.5, 11.5, 12, 12.5, 10],
    improvement: 'up',
    expected: [...baseCodes, 'T:i', 'T:i', 'T:i', 'T:i', 'T:i', 'T:i', 'T:i', '.'],
  },
  {
    // NHSRplotthedots' trend vectors, scaled onto the baseline: 1:7 is a trend and c(1:3, 3:6) is
    // not. Here 8.5, 9, 9.5, 10, 10.5, 11.5, 12.5 would rise 7 times in a row; with 9.5 repeated
    // the rises are 8.5 … 9.5 (3 points) and 9.5 … 12.5 (5 points): no trend. The run below the
    // mean is 8.5 … 10.5, 6 points (11.5 is above): no shift either.
    name: 'a repeated value breaks a trend',
    values: [...base, 8.5, 9, 9.5, 9.5, 10, 10.5, 11.5, 12.5, 10],
    improvement: 'up',
    expected: [...baseCodes, '.', '.', '.', '.', '.', '.', '.', '.', '.'],
  },
  {
    // Falling from 13 to 9.5: 7 points each lower, a concern when up is better.
    // 13 follows 12 (a rise), so the fall starts at 13. Above the mean: the base's last 12, then
    // 13 … 11.5 (5 in all); below:
    // 10.5, 10, 9.5 (3) then 12 above: no shift. 13 < 14.42: nothing beyond 2σ.
    name: 'a fall of 7 points is special cause',
    values: [...base, 13, 12.5, 12, 11.5, 10.5, 10, 9.5, 12],
    improvement: 'up',
    expected: [...baseCodes, 'T:c', 'T:c', 'T:c', 'T:c', 'T:c', 'T:c', 'T:c', '.'],
  },
  {
    // 6 in a row below the mean (10.5, 10 alternating) is common cause; steps alternate.
    name: 'a run of 6 on one side is common cause',
    values: [...base, 10.5, 10, 10.5, 10, 10.5, 10, 12],
    improvement: 'down',
    expected: [...baseCodes, '.', '.', '.', '.', '.', '.', '.'],
  },
  {
    // 7 in a row below: a shift, all 7 flagged; below with down better: improvement.
    name: 'a run of 7 on one side is a shift',
    values: [...base, 10.5, 10, 10.5, 10, 10.5, 10, 10.5, 12],
    improvement: 'down',
    expected: [...baseCodes, 'S:i', 'S:i', 'S:i', 'S:i', 'S:i', 'S:i', 'S:i', '.'],
  },
  {
    // As above with the fourth point exactly on the mean (11): runs of 3 and 3, no shift.
    name: 'a point on the mean breaks a run',
    values: [...base, 10.5, 10, 10.5, 11, 10.5, 10, 10.5, 12],
    improvement: 'down',
    expected: [...baseCodes, '.', '.', '.', '.', '.', '.', '.', '.'],
  },
  {
    // 16.5 > 16.13 (above the upper limit); 5.5 < 5.87 (below the lower). Each alone beyond 2σ:
    // no two of three. Improvement up: the high one an improvement, the low one a concern.
    name: 'a point outside a limit',
    values: [...base, 16.5, 12, 10, 5.5, 10],
    improvement: 'up',
    expected: [...baseCodes, 'O:i', '.', '.', 'O:c', '.'],
  },
  {
    // 15, 12, 15: both 15s beyond the upper 2σ line (14.42) but inside the limit (16.13); the
    // third point, 12, is above the mean. The two 15s are flagged, the 12 is not (it is not beyond).
    name: 'two of three beyond 2σ with the third on the same side',
    values: [...base, 15, 12, 15, 10],
    improvement: 'down',
    expected: [...baseCodes, '2:c', '.', '2:c', '.'],
  },
  {
    // NHS England's sample "Department C" points 5 and 7 (issue 10): two points beyond 2σ with the
    // point between them on the other side of the mean are common cause. 16 is beyond 14.42 and
    // inside 16.13; the windows are (12, 16, 10), (16, 10, 16), (10, 16, 10), (16, 10, 12): the only
    // one with two beyond has its third point, 10, below the mean. (Without the same-side clause
    // both 16s would be flagged; they are high enough to be beyond 2σ of the whole series too.)
    name: 'two of three with the third on the other side of the mean is common cause',
    values: [...base, 16, 10, 16, 10, 12, 11, 12],
    improvement: 'down',
    expected: [...baseCodes, '.', '.', '.', '.', '.', '.', '.'],
  },
  {
    // A point beyond the limit counts towards two of three: 17 (above 16.13) and 15 (beyond
    // 14.42) with 12 above the mean between them. 17 is outside and two of three; 15 two of three.
    name: 'a point beyond the limit counts towards two of three',
    values: [...base, 17, 12, 15, 10],
    improvement: 'up',
    expected: [...baseCodes, 'O2:i', '.', '2:i', '.'],
  },
  {
    // Both directions: 16 → 13 falls 7 points in a row (a falling trend) while they and the base's
    // last 12 are 8 in a row above the mean (a shift up), and 16, 15.5, 15, 14.5 are beyond the
    // upper 2σ line (14.42; the windows (12, 16, 15.5), (16, 15.5, 15), (15.5, 15, 14.5) and
    // (15, 14.5, 14) each have 2+ beyond and all above the mean). With down better, the fall alone
    // would read as an improvement ("trend wins"); flagged both ways it is a concern. 16 < 16.13:
    // not outside. The series ends at 13, so nothing extends the fall.
    name: 'a point flagged both ways reads as a concern',
    values: [...base, 16, 15.5, 15, 14.5, 14, 13.5, 13],
    improvement: 'down',
    expected: [...baseCodes.slice(0, 14), 'S:c', '2ST:c', '2ST:c', '2ST:c', '2ST:c', 'ST:c', 'ST:c', 'ST:c'],
  },
  {
    // Below 15 points there are no limits and no flags, however extreme: 14 points with a 40 and
    // seven rises in a row.
    name: 'fewer than 15 points carry no special-cause flags',
    values: [10, 12, 10, 12, 10, 40, 10, 1, 2, 3, 4, 5, 6, 7],
    improvement: 'up',
    expected: Array(14).fill('.'),
  },
  {
    // NHS England's SPC SQL sample data (Making Data Count, 2019 script), "Adult", "Indicator 1",
    // monthly from April 2017, higher is better. Worked by hand:
    //   baseline = the first 15: sum 670, mean 44.667; moving ranges 2, 3, 28, 30, 30, 32, 1, 2, 2,
    //   3, 5, 20, 25, 5 = 188, MR̄ = 13.4286; 2.66·MR̄ = 35.72: limits 8.947 … 80.387;
    //   2σ ± 23.813: 20.853 … 68.480.
    //   Outside: none (80 < 80.387; 20 > 8.947).
    //   Two of three: beyond upper 2σ only 80 (Sep 17) and 70 (Jun 19), beyond lower only 20
    //   (Jul 17): never two in a window.
    //   Trend: 80, 48, 47, 45, 43, 40, 35 (Sep 17 – Mar 18) falls 7 points: a concern. 42, 58, 59,
    //   61, 63, 65, 70 (Dec 18 – Jun 19) rises 7 points: an improvement.
    //   Shift: sides + + + − + + + + + − − − + − − − − + + + − then 58 … 59 (Jan 19 – Jul 19) seven
    //   above: a shift. 45 (Dec 17) is above 44.667.
    name: 'NHS England SPC SQL sample: Adult, Indicator 1',
    values: [
      53, 51, 48, 20, 50, 80, 48, 47, 45, 43, 40, 35, 55, 30, 25, 22, 21, 61, 59, 60, 42, 58, 59, 61, 63, 65, 70, 59,
    ],
    improvement: 'up',
    expected: [
      '.',
      '.',
      '.',
      '.',
      '.',
      'T:c',
      'T:c',
      'T:c',
      'T:c',
      'T:c',
      'T:c',
      'T:c',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      'T:i',
      'ST:i',
      'ST:i',
      'ST:i',
      'ST:i',
      'ST:i',
      'ST:i',
      'S:i',
    ],
  },
  {
    // The same sample, "Childrens", "Indicator 1", higher is better. By hand:
    //   baseline sum 755, mean 50.333; moving ranges 1, 1, 1, 1, 1, 4, 1, 2, 6, 1, 2, 5, 5, 0 = 31,
    //   MR̄ = 2.2143; 2.66·MR̄ = 5.89: limits 44.443 … 56.223; 2σ ± 3.927: 46.407 … 54.260.
    //   Outside: 61, 59, 60 (Sep – Nov 18), 58, 59, 61, 63 (Jan – Apr 19), 59 (Jul 19).
    //   Two of three, up: (50, 61, 59) has its third point below the mean (50 < 50.333), but
    //   (61, 59, 60) qualifies: Sep – Nov 18; (52, 58, 59) with 52 above the mean and the windows
    //   after it: Jan – Apr 19. 55 (Apr 18) is alone; 59 (Jul 19) follows 50, 50. Down: 45 alone.
    //   Shift: 61 … 63 (Sep 18 – Apr 19) eight above the mean.
    //   Trend: the longest rise is 52 → 63, 5 points: none.
    name: 'NHS England SPC SQL sample: Childrens, Indicator 1',
    values: [
      51, 52, 51, 50, 51, 52, 48, 47, 45, 51, 52, 50, 55, 50, 50, 52, 50, 61, 59, 60, 52, 58, 59, 61, 63, 50, 50, 59,
    ],
    improvement: 'up',
    expected: [
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      'O2S:i',
      'O2S:i',
      'O2S:i',
      'S:i',
      'O2S:i',
      'O2S:i',
      'O2S:i',
      'O2S:i',
      '.',
      '.',
      'O:i',
    ],
  },
];

describe('SPC reference series (METRICS.md §13), point by point', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      expect(testCase.expected).toHaveLength(testCase.values.length);
      const result = await spcAnalysis(c, monthly(testCase.values), { improvement: testCase.improvement });
      expect(codes(result)).toEqual(testCase.expected);
    });
  }

  it('puts the σ lines at exactly 2/3 and 1/3 of 2.66 MR̄ (not 1.773 and 0.887)', async () => {
    const result = await spcAnalysis(c, monthly(base));
    // 2.66 · 27/14 = 5.13; 2/3 of it 3.42, 1/3 of it 1.71 (1.773 · 27/14 would be 3.4193).
    expect(result.limits!.upl).toBeCloseTo(16.13, 9);
    expect(result.limits!.lpl).toBeCloseTo(5.87, 9);
    expect(result.limits!.upper_2s).toBeCloseTo(14.42, 9);
    expect(result.limits!.lower_2s).toBeCloseTo(7.58, 9);
    expect(result.limits!.upper_1s).toBeCloseTo(12.71, 9);
    expect(result.limits!.lower_1s).toBeCloseTo(9.29, 9);
  });

  it('gives the NHS sample its limits from the first 15 points', async () => {
    const result = await spcAnalysis(c, monthly(cases.find((k) => k.name.includes('Adult'))!.values));
    expect(result.mean).toBeCloseTo(670 / 15, 9);
    expect(result.mr_bar).toBeCloseTo(188 / 14, 9);
    expect(result.limits!.upl).toBeCloseTo(670 / 15 + (2.66 * 188) / 14, 9);
    expect(result.baseline).toEqual({ from: '2017-04-30', to: '2018-06-30', n_points: 15 });
  });
});
