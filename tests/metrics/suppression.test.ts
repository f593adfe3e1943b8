import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack, type DisproportionalityRow, type MetricsPack } from '../../metrics/figures.ts';
import { secondaryCell, suppressPack, suppressRows, unclassifiedPackKeys } from '../../metrics/suppression.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';

function row(group: string, count: number, population: number | null): DisproportionalityRow {
  // Figures beside the count only need to be recognisable here; their arithmetic is tested elsewhere.
  const known = population !== null;
  return {
    group,
    count,
    population,
    rate_per_10k: known ? (count / population) * 10000 : null,
    ci_low: known ? 1 : null,
    ci_high: known ? 2 : null,
    ratio: known ? 1.5 : null,
    flag: known ? 'similar' : null,
  };
}

/** A METRICS.md §8 object with the small numbers each test needs. */
function pack(): MetricsPack {
  return {
    period: { from: '2025-01-01', to: '2025-03-31' },
    population: { year: 2024, children_0_17: 20000, source: 'local' },
    prevalence: {
      cp_open: 5,
      cp_open_rate_per_10k: 2.5,
      cp_open_neglect_initial: 0,
      cp_open_neglect_initial_rate_per_10k: 0,
      cp_open_neglect_latest: 6,
      cp_open_neglect_latest_rate_per_10k: 3,
      cp_starts: 1,
      cp_starts_neglect_initial: 3,
      assessments_completed: 60,
      assessments_neglect: 22,
      eh_children: 140,
      eh_children_neglect: 35,
      neglect_any_stage_children: 40,
      neglect_any_stage_children_rate_per_10k: 20,
      neglect_highest_stage: { cp: 3, cin: 12, early_help: 25 },
      cp_open_hidden_neglect: 2,
    },
    repeat: {
      cp_starts: 1,
      cp_starts_second_or_subsequent: 0,
      cp_starts_within_2y: 0,
      cp_starts_repeat_neglect: 0,
      referrals: 210,
      rereferrals_12m: 48,
      eh_starts: 75,
      eh_starts_repeat_12m: 4,
    },
    drift: {
      cp_open_by_duration: { le_3m: 2, '3_6m': 8, '6_12m': 0, '1_2y': 8, '2y_plus': 10 },
      cp_open_18m_plus: 14,
      cp_ended_by_duration: { le_3m: 4, '3_6m': 1, '6_12m': 9, '1_2y': 7, '2y_plus': 0 },
      stop_start_children: 6,
      assessments_completed: 60,
      assessments_within_45wd: 55,
      icpcs: 5,
      icpcs_within_15wd: 5,
      median_days_first_neglect_to_cp: 140,
    },
    disproportionality: {
      cp_open_neglect: {
        ethnicity: [
          row('white', 20, 15000),
          row('mixed', 3, 1500),
          row('asian', 9, 2000),
          row('black', 0, 800),
          row('other', 12, 700),
          row('unknown', 7, null),
        ],
        sex: [row('male', 30, 10200), row('female', 3, 9800), row('unknown', 0, null)],
        age_band: [row('unborn', 0, null), row('under_1', 8, 1000), row('1_4', 25, 4000)],
      },
    },
    // Published figures, not counts: only their pass-through matters here, not their full shape.
    benchmarks: {
      cp_open_rate_per_10k: { england: 41.6, region: 44, neighbours: 47.2 },
    } as unknown as MetricsPack['benchmarks'],
    percentages: {},
    strategy: {},
    denominators: {},
    suppressed: false,
  };
}

describe('METRICS.md §7 primary suppression: "any count from 1 to 5 is shown as c; 0 stays 0"', () => {
  it('hides counts 1–5 and the rates beside them, and leaves 0 and 6 alone', () => {
    const s = suppressPack(pack());
    expect(s.prevalence['cp_open']).toBe('c');
    expect(s.prevalence['cp_open_rate_per_10k']).toBe('c');
    expect(s.prevalence['cp_open_neglect_initial']).toBe(0);
    expect(s.prevalence['cp_open_neglect_initial_rate_per_10k']).toBe(0);
    expect(s.prevalence['cp_open_neglect_latest']).toBe(6);
    expect(s.prevalence['cp_open_neglect_latest_rate_per_10k']).toBe(3);
    expect(s.prevalence['cp_starts']).toBe('c');
    expect(s.prevalence['cp_open_hidden_neglect']).toBe('c');
    expect(s.prevalence['neglect_any_stage_children']).toBe(40);
    expect(s.prevalence['neglect_any_stage_children_rate_per_10k']).toBe(20);
    expect(s.repeat).toMatchObject({
      cp_starts: 'c',
      cp_starts_second_or_subsequent: 0,
      eh_starts_repeat_12m: 'c',
      rereferrals_12m: 48,
    });
    expect(s.drift).toMatchObject({ icpcs: 'c', icpcs_within_15wd: 'c', stop_start_children: 6, cp_open_18m_plus: 14 });
  });

  it('hides the median delay when the plans it is built on (cp_starts_neglect_initial) are hidden', () => {
    expect(suppressPack(pack()).drift['median_days_first_neglect_to_cp']).toBe('c');
    const larger = pack();
    larger.prevalence['cp_starts_neglect_initial'] = 12;
    expect(suppressPack(larger).drift['median_days_first_neglect_to_cp']).toBe(140);
  });

  it('marks the copy suppressed, does not touch the input, and passes other sections through', () => {
    const input = pack();
    const before = structuredClone(input);
    const s = suppressPack(input);
    expect(input).toEqual(before);
    expect(input.suppressed).toBe(false);
    expect(s.suppressed).toBe(true);
    expect(s.period).toEqual(before.period);
    expect(s.population).toEqual(before.population);
    expect(s['benchmarks']).toEqual(before['benchmarks']);
  });

  it('is safe to apply twice', () => {
    const once = suppressPack(pack());
    expect(suppressPack(once)).toEqual(once);
  });
});

describe('METRICS.md §7 secondary suppression: "if exactly one cell is suppressed, also suppress the smallest other non-zero cell"', () => {
  it('fires in neglect_highest_stage, whose total neglect_any_stage_children is shown', () => {
    // { cp: 3, cin: 12, early_help: 25 }, total 40. cp = 3 is c; left alone, cp = 40 − 12 − 25.
    // The smallest other non-zero cell is cin (12), so cin is c too and cp + cin = 15 is all a
    // reader can work out.
    const s = suppressPack(pack());
    expect(s.prevalence['neglect_highest_stage']).toEqual({ cp: 'c', cin: 'c', early_help: 25 });
  });

  it('passes over zero cells and breaks ties by the breakdown order', () => {
    // cp_open_by_duration { le_3m: 2, 3_6m: 8, 6_12m: 0, 1_2y: 8, 2y_plus: 10 }: le_3m is c. 6_12m is
    // smaller but zero (nothing to protect with it); 3_6m and 1_2y tie at 8 and 3_6m comes first.
    const s = suppressPack(pack());
    expect(s.drift['cp_open_by_duration']).toEqual({ le_3m: 'c', '3_6m': 'c', '6_12m': 0, '1_2y': 8, '2y_plus': 10 });
  });

  it('does not fire when two cells are already suppressed', () => {
    // cp_ended_by_duration { le_3m: 4, 3_6m: 1, ... }: two c cells protect each other.
    const s = suppressPack(pack());
    expect(s.drift['cp_ended_by_duration']).toEqual({ le_3m: 'c', '3_6m': 'c', '6_12m': 9, '1_2y': 7, '2y_plus': 0 });
  });

  it('chooses the first of equal smallest cells', () => {
    expect(secondaryCell(['c', 9, 0, 9, 20])).toBe(1);
    expect(secondaryCell(['c', 'c', 9])).toBeUndefined();
    expect(secondaryCell([0, 'c', 0])).toBeUndefined();
  });
});

describe('METRICS.md §7 on disproportionality rows', () => {
  it('hides rate, interval, ratio and flag of a group of 3, and applies secondary suppression in the dimension', () => {
    // Ethnicity: white 20, mixed 3, asian 9, black 0, other 12, unknown 7 (cohort total 51 shown).
    // mixed (3) is c: primary, with rate, ci_low, ci_high, ratio and flag.
    // §7 "An unknown group ... never triggers secondary suppression": unknown (7) is never the cell
    // chosen second either (it protects no attribute). All groups: exactly one c (mixed), so the
    // smallest other non-zero group that is not unknown, asian (9), is c. Known groups (those with a
    // population): their total is recoverable from rate_all (§7 "a disproportionality table's
    // known-group total can be"), and mixed and asian are both c there, so nothing more.
    const s = suppressPack(pack());
    const ethnicity = s.disproportionality['cp_open_neglect']!['ethnicity']!;
    expect(ethnicity.find((r) => r.group === 'mixed')).toEqual({
      group: 'mixed',
      count: 'c',
      population: 1500,
      rate_per_10k: 'c',
      ci_low: 'c',
      ci_high: 'c',
      ratio: 'c',
      flag: 'c',
    });
    expect(ethnicity.map((r) => r.count)).toEqual([20, 'c', 'c', 0, 12, 7]);
    expect(ethnicity.find((r) => r.group === 'asian')).toMatchObject({
      rate_per_10k: 'c',
      ratio: 'c',
      flag: 'c',
      population: 2000,
    });
    expect(ethnicity.find((r) => r.group === 'unknown')).toMatchObject({ count: 7, rate_per_10k: null });
    expect(ethnicity.find((r) => r.group === 'white')).toMatchObject({ count: 20, ratio: 1.5, flag: 'similar' });
  });

  it('suppresses the only other non-zero group, however large, when a dimension has one small group', () => {
    // male 30, female 3, unknown 0: with the total 33 shown, male would give female away.
    const s = suppressPack(pack());
    expect(s.disproportionality['cp_open_neglect']!['sex']!.map((r) => [r.count, r.rate_per_10k])).toEqual([
      ['c', 'c'],
      ['c', 'c'],
      [0, null],
    ]);
  });

  it('leaves a dimension with no small counts as it was', () => {
    const s = suppressPack(pack());
    expect(s.disproportionality['cp_open_neglect']!['age_band']).toEqual(
      pack().disproportionality['cp_open_neglect']!['age_band'],
    );
  });
});

/** One dimension of the cp_open_neglect cohort, suppressed as the board sees it. */
function boardDimension(dimension: string, rows: DisproportionalityRow[]): DisproportionalityRow[] {
  const p = pack();
  p.disproportionality = { cp_open_neglect: { [dimension]: rows } };
  return suppressPack(p).disproportionality['cp_open_neglect']![dimension]!;
}

const counts = (rows: DisproportionalityRow[]) => rows.map((r) => [r.group, r.count]);

describe('METRICS.md §7 amended: "An unknown group ... is shown as c when 1–5 but never triggers secondary suppression"', () => {
  it('the demo defect: male 54, female 72, unknown 1 shows male and female with their rates, unknown as c', () => {
    // Before the amendment: unknown 1 was the one c in the dimension, so male (54, the smallest other
    // non-zero) became c, then the known groups (male, female; total from rate_all) had one c and
    // female went too: the whole breakdown hidden because one child's sex was not recorded.
    // Now: unknown 1 is c (primary: "any count from 1 to 5 is shown as c"), and that c is not a
    // trigger, so male and female keep their counts, rates, intervals, ratios and flags.
    const sex = boardDimension('sex', [row('male', 54, 10200), row('female', 72, 9800), row('unknown', 1, null)]);
    expect(counts(sex)).toEqual([
      ['male', 54],
      ['female', 72],
      ['unknown', 'c'],
    ]);
    expect(sex[0]).toEqual(row('male', 54, 10200));
    expect(sex[1]).toEqual(row('female', 72, 9800));
    // The unknown group had no rate (count only); a null stays null, not c.
    expect(sex[2]).toMatchObject({ count: 'c', rate_per_10k: null, ratio: null, flag: null });
  });

  it.each([
    // "0 stays 0"; 1 and 5 are the edges of "any count from 1 to 5"; 6 is shown.
    [0, 0],
    [1, 'c'],
    [5, 'c'],
    [6, 6],
  ])('unknown %s: shown as %s, and male and female are never suppressed for it', (unknown, shown) => {
    const sex = boardDimension('sex', [row('male', 54, 10200), row('female', 72, 9800), row('unknown', unknown, null)]);
    expect(counts(sex)).toEqual([
      ['male', 54],
      ['female', 72],
      ['unknown', shown],
    ]);
  });

  it('ethnicity too: unknown 3 beside known groups of 6 and more changes nothing else', () => {
    const ethnicity = boardDimension('ethnicity', [
      row('white', 40, 15000),
      row('mixed', 6, 1500),
      row('asian', 9, 2000),
      row('black', 0, 800),
      row('other', 12, 700),
      row('unknown', 3, null),
    ]);
    expect(ethnicity.map((r) => r.count)).toEqual([40, 6, 9, 0, 12, 'c']);
  });

  it('unborn is an attribute: unborn 1 triggers secondary suppression among the age bands', () => {
    // Age: unborn 1, under_1 8, 1_4 25, 5_9 30 (cohort total 64 shown).
    // unborn 1 → c (primary). All groups: exactly one c (unborn, which §7 says "does trigger it"),
    // so the smallest other non-zero cell, under_1 (8), is c: otherwise unborn = 64 − 8 − 25 − 30.
    // Known groups (under_1, 1_4, 5_9; total from rate_all): now exactly one c (under_1), so the
    // smallest other non-zero known group, 1_4 (25), is c as well: otherwise under_1 = 63 − 25 − 30.
    const age = boardDimension('age_band', [
      row('unborn', 1, null),
      row('under_1', 8, 1000),
      row('1_4', 25, 4000),
      row('5_9', 30, 5000),
    ]);
    expect(age.map((r) => r.count)).toEqual(['c', 'c', 'c', 30]);
    expect(age[2]).toMatchObject({ rate_per_10k: 'c', ci_low: 'c', ci_high: 'c', ratio: 'c', flag: 'c' });
    expect(age[3]).toEqual(row('5_9', 30, 5000));
  });

  it('one known group suppressed: the smallest other non-zero known group goes too, never the unknown group', () => {
    // male 3, female 60, unknown 8. male → c. The unknown group (8) is smaller than female but
    // stands outside secondary suppression, so the cell chosen is female (60): with the known-group
    // total worked out from rate_all (63), female shown would give male away as 63 − 60.
    const sex = boardDimension('sex', [row('male', 3, 10200), row('female', 60, 9800), row('unknown', 8, null)]);
    expect(counts(sex)).toEqual([
      ['male', 'c'],
      ['female', 'c'],
      ['unknown', 8],
    ]);
  });

  it('ties go to the first in display order, and zero groups are passed over', () => {
    // white 12, mixed 2, asian 9, black 0, other 9, unknown 4: mixed → c; unknown 4 → c but exempt,
    // so exactly one c counts. black (0) protects nothing; asian and other tie at 9 and asian is
    // first in the display order (the SQL's sort order: white, mixed, asian, black, other, unknown).
    const ethnicity = boardDimension('ethnicity', [
      row('white', 12, 15000),
      row('mixed', 2, 1500),
      row('asian', 9, 2000),
      row('black', 0, 800),
      row('other', 9, 700),
      row('unknown', 4, null),
    ]);
    expect(ethnicity.map((r) => r.count)).toEqual([12, 'c', 'c', 0, 9, 'c']);
  });

  it('secondaryCell leaves exempt cells out of the count and the choice', () => {
    expect(secondaryCell([54, 72, 'c'], [false, false, true])).toBeUndefined();
    expect(secondaryCell(['c', 60, 8], [false, false, true])).toBe(1);
    expect(secondaryCell(['c', 60, 8])).toBe(2);
  });
});

describe('suppressRows: the same rule for any tabular breakdown', () => {
  const series = [
    { quarter_end: '2024-12-31', category: 'NEG', children: 3, share: 0.14 },
    { quarter_end: '2024-12-31', category: 'PHY', children: 0, share: 0 },
    { quarter_end: '2024-12-31', category: 'EMO', children: 8, share: 0.38 },
    { quarter_end: '2024-12-31', category: 'MUL', children: 10, share: 0.48 },
    { quarter_end: '2025-03-31', category: 'NEG', children: 12, share: 0.55 },
    { quarter_end: '2025-03-31', category: 'PHY', children: 2, share: 0.09 },
    { quarter_end: '2025-03-31', category: 'EMO', children: 1, share: 0.05 },
    { quarter_end: '2025-03-31', category: 'MUL', children: 7, share: 0.32 },
  ];

  it('applies secondary suppression within each group, and derived keys follow', () => {
    // 2024-12-31: NEG 3 is c alone, so EMO (8, the smallest other non-zero) is c too.
    // 2025-03-31: PHY 2 and EMO 1 are both c; nothing more.
    const out = suppressRows(series, 'children', ['share'], { groupBy: ['quarter_end'] });
    expect(out.map((r) => r.children)).toEqual(['c', 0, 'c', 10, 12, 'c', 'c', 7]);
    expect(out.map((r) => r.share)).toEqual(['c', 0, 'c', 0.48, 0.55, 'c', 'c', 0.32]);
    expect(series[0]!.children).toBe(3);
  });

  it('applies only primary suppression when no total is shown', () => {
    const out = suppressRows(series, 'children', ['share'], { groupBy: ['quarter_end'], totalShown: false });
    expect(out.map((r) => r.children)).toEqual(['c', 0, 8, 10, 12, 'c', 'c', 7]);
  });
});

describe('keys the table does not know', () => {
  it('fail closed: an unclassified non-zero number is c, and is reported', () => {
    const p = pack();
    p.prevalence['new_small_count'] = 4;
    p.prevalence['new_zero'] = 0;
    p.drift['new_breakdown'] = { a: 12, b: 0 };
    const s = suppressPack(p);
    expect(s.prevalence['new_small_count']).toBe('c');
    expect(s.prevalence['new_zero']).toBe(0);
    expect(s.drift['new_breakdown']).toEqual({ a: 'c', b: 0 });
    expect(unclassifiedPackKeys(p)).toEqual([
      'prevalence.new_small_count',
      'prevalence.new_zero',
      'drift.new_breakdown',
    ]);
    expect(unclassifiedPackKeys(pack())).toEqual([]);
  });

  describe('the pack the product computes', () => {
    let fixture: FixtureWarehouse;
    beforeAll(async () => {
      fixture = await fixtureWarehouse(cpOpenFixture);
    });
    afterAll(() => fixture.dispose());

    it('has every key classified in the suppression table, and cp_open 5 comes out as c', async () => {
      const computed = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
      expect(unclassifiedPackKeys(computed)).toEqual([]);
      const s = suppressPack(computed);
      expect(s.prevalence['cp_open']).toBe('c');
      expect(s.prevalence['cp_open_rate_per_10k']).toBe('c');
      expect(s.suppressed).toBe(true);
    });
  });
});

describe('percentages (METRICS.md §14) follow their counts', () => {
  it('a percentage built on a suppressed numerator or denominator is c', () => {
    // 3 second-or-subsequent of 40 starts: the numerator is 1–5, so the percentage is c;
    // 2 of 9 open plans at 2 years or more: the band is c, so cp_open_2y_plus_pct is c;
    // 12 of 60 re-referrals: neither is small, the percentage stays.
    const pack = {
      prevalence: { cp_open: 9 },
      repeat: { cp_starts: 40, cp_starts_second_or_subsequent: 3, referrals: 60, rereferrals_12m: 12 },
      drift: { cp_open_by_duration: { le_3m: 4, '3_6m': 3, '6_12m': 0, '1_2y': 0, '2y_plus': 2 } },
      percentages: { cp_starts_second_or_subsequent_pct: 7.5, rereferrals_12m_pct: 20, cp_open_2y_plus_pct: 22.2 },
      suppressed: false,
    };
    const out = suppressPack(pack) as typeof pack & { percentages: Record<string, unknown> };
    expect(out.percentages).toEqual({
      cp_starts_second_or_subsequent_pct: 'c',
      rereferrals_12m_pct: 20,
      cp_open_2y_plus_pct: 'c',
    });
  });
});
