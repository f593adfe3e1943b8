import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type LaConfig } from '../../sql/config.ts';
import { applyReference } from '../../sql/reference.ts';
import {
  binomialCdf,
  computeBenchmarks,
  computeRepeatFunnel,
  estimateOverdispersion,
  exactFunnelLimits,
  normalFunnelLimits,
  overdispersedFunnelLimits,
  type Benchmarks,
  type FunnelData,
} from '../../metrics/benchmarks.ts';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { projectRoot, Warehouse } from '../../sql/warehouse.ts';
import { fixtureWarehouse, tempDir } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §9 benchmarks and §1 population from the bundled DfE and ONS files, through a real
 * warehouse file configured for Bolton (350), a real LA. Expected numbers are read off the bundled
 * CSVs by hand and quoted where they are used.
 */

const referenceDir = resolve(projectRoot, 'data/reference');
const dir = tempDir('benchmarks');
const bolton: LaConfig = { la_code: '350', la_name: 'Bolton' };
const previousConfig = process.env['LSCB_CONFIG'];

function writeConfig(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const boltonDb = join(dir, 'bolton.duckdb');
let warehouse: Warehouse;
let year2025: Benchmarks;
let funnel: FunnelData;

beforeAll(async () => {
  process.env['LSCB_CONFIG'] = writeConfig('bolton.json', bolton);
  warehouse = await Warehouse.open(boltonDb);
  year2025 = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2025-01-01', to: '2025-03-31' }));
  funnel = await warehouse.withConnection((c) =>
    computeRepeatFunnel(c, 2025, { label: 'Local', numerator: 30, denominator: 100 }),
  );
});

afterAll(() => {
  warehouse.close();
  if (previousConfig === undefined) delete process.env['LSCB_CONFIG'];
  else process.env['LSCB_CONFIG'] = previousConfig;
  rmSync(dir, { recursive: true, force: true });
});

describe('METRICS.md §9 England figures reproduce SOURCES.md from the bundled files', () => {
  it('2025: CP rate 40.6, second or subsequent 24.5%, 2+ years 2.3%, re-referrals 22.6%, factor Neglect 17.6%', () => {
    const m = year2025.measures;
    expect(year2025.year).toBe(2025);
    // "49,420 CP plans at 31 March 2025 ÷ 12,183,016 × 10,000 = 40.6" (the mid-2024 estimate).
    expect(m.cp_open_rate_per_10k.england).toBeCloseTo((49420 / 12183016) * 10000, 9);
    expect(m.cp_open_rate_per_10k.england!.toFixed(1)).toBe('40.6');
    // Published percentages, as DfE rounds them (1 dp): 15,130 of 61,840; 1,130 of 49,420; 142,900 of 632,830.
    expect(m.cp_starts_second_or_subsequent_pct.england).toBe(24.5);
    expect(m.cp_open_2y_plus_pct.england).toBe(2.3);
    expect(m.rereferrals_12m_pct.england).toBe(22.6);
    // DfE publishes the factor counts only: 90,370 of 513,250 episodes = 17.607…%.
    expect(m.assessments_neglect_pct.england).toBeCloseTo((100 * 90370) / 513250, 9);
    expect(m.assessments_neglect_pct.england!.toFixed(1)).toBe('17.6');
    // The 2020 neglect share of plans by initial category (50.5%) is not reproducible: no bundled
    // file holds plans by category of abuse (DfE's A6/d2 is not in the bundle, and LAIT's CPP_Abuse
    // counts all four categories together).
  });

  it('an earlier year uses that year’s files and the mid-year before it', async () => {
    // 2020: 51,510 plans at 31 March 2020 ÷ 11,790,492 children at mid-2019 × 10,000 = 43.688….
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2019-04-01', to: '2020-03-31' }));
    expect(b.year).toBe(2020);
    expect(b.measures.cp_open_rate_per_10k.england).toBeCloseTo((51510 / 11790492) * 10000, 9);
  });
});

describe('METRICS.md §9 region and statistical neighbours (mean of the ten) for Bolton, 2025', () => {
  // Bolton (350) is in the North West. Its ten neighbours (statistical_neighbours_2025_wide.csv, nearest
  // first) and their 2025 figures (d3, d5, ONS mid-2024):
  //   LA                      starts  2nd+  2nd+ %   at 31 Mar  2y+ %  children 0–17   rate per 10k
  //   354 Rochdale              308    62   20.1       304      5.3     58,087         52.3348
  //   831 Derby                 283    73   25.8       253      5.1     62,113         40.7322
  //   353 Oldham                489   154   31.5       441      1.6     64,069         68.8321
  //   357 Tameside              552   119   21.6       462      1.9     52,901         87.3330
  //   335 Walsall               326    80   24.5       227      0       71,799         31.6161
  //   355 Salford               375    66   17.6       362      3.3     63,622         56.8986
  //   889 Blackburn with Darwen 428   109   25.5       330      0       41,804         78.9398
  //   331 Coventry              484   132   27.3       398      3.5     83,561         47.6299
  //   373 Sheffield             502    99   19.7       493      4.7    116,279         42.3980
  //   874 Peterborough          335    85   25.4       222      c       57,621         38.5277
  // Second or subsequent: (20.1 + 25.8 + 31.5 + 21.6 + 24.5 + 17.6 + 25.5 + 27.3 + 19.7 + 25.4) / 10
  //   = 239.0 / 10 = 23.9. 2 years or more: Peterborough's is suppressed (c), so nine count:
  //   (5.3 + 5.1 + 1.6 + 1.9 + 0 + 3.3 + 0 + 3.5 + 4.7) / 9 = 25.4 / 9 = 2.8222….
  // North West (regional rows): second or subsequent 23.3% (2,360 of 10,150); plans at 31 March 8,280
  //   ÷ 1,627,558 children × 10,000 = 50.8738…. Bolton itself: 30.7% (123 of 401); 319 plans ÷
  //   75,599 × 10,000 = 42.1963…; 2 years or more c.
  const neighbourRates = [
    [304, 58087],
    [253, 62113],
    [441, 64069],
    [462, 52901],
    [227, 71799],
    [362, 63622],
    [330, 41804],
    [398, 83561],
    [493, 116279],
    [222, 57621],
  ].map(([plans, children]) => (plans! / children!) * 10000);

  it('names the region and the ten neighbours', () => {
    expect(year2025.region).toBe('North West');
    expect(year2025.comparator_la_code).toBe('350');
    expect(year2025.neighbours.map((n) => n.la_code)).toEqual([
      '354',
      '831',
      '353',
      '357',
      '335',
      '355',
      '889',
      '331',
      '373',
      '874',
    ]);
    expect(year2025.neighbours[6]).toEqual({ rank: 7, la_code: '889', la_name: 'Blackburn with Darwen' });
  });

  it('second or subsequent plans: region 23.3, neighbours 23.9 from 10, Bolton 30.7', () => {
    const m = year2025.measures.cp_starts_second_or_subsequent_pct;
    expect(m.region).toBe(23.3);
    expect(m.statistical_neighbours.count).toBe(10);
    expect(m.statistical_neighbours.mean).toBeCloseTo(23.9, 9);
    expect(m.la_published).toBe(30.7);
  });

  it('CP rate: the mean of the neighbours’ own rates, each on its own population', () => {
    const m = year2025.measures.cp_open_rate_per_10k;
    expect(m.region).toBeCloseTo((8280 / 1627558) * 10000, 9);
    expect(m.statistical_neighbours.count).toBe(10);
    expect(m.statistical_neighbours.mean).toBeCloseTo(neighbourRates.reduce((a, b) => a + b, 0) / 10, 9);
    expect(m.statistical_neighbours.mean).toBeCloseTo(54.5242, 4);
    expect(m.la_published).toBeCloseTo((319 / 75599) * 10000, 9);
  });

  it('plans open 2 years or more: a suppressed neighbour is left out and the count says so; Bolton is c', () => {
    const m = year2025.measures.cp_open_2y_plus_pct;
    expect(m.region).toBe(2);
    expect(m.statistical_neighbours).toEqual({ mean: expect.closeTo(25.4 / 9, 9), count: 9 });
    expect(m.la_published).toBeNull();
    expect(m.la_published_status).toBe('c');
  });

  it('a fictional LA borrows its stand-in’s region and neighbours and has no published figures', async () => {
    const b = await warehouse.withConnection((c) =>
      computeBenchmarks(
        c,
        { from: '2025-01-01', to: '2025-03-31' },
        { la_code: '990', la_name: 'Northbury', benchmark_la_code: '350' },
      ),
    );
    expect(b).toMatchObject({
      la_code: '990',
      comparator_la_code: '350',
      comparator_la_name: 'Bolton',
      region: 'North West',
    });
    expect(b.measures.cp_starts_second_or_subsequent_pct).toMatchObject({
      region: 23.3,
      la_published: null,
      la_published_status: null,
    });
    expect(b.measures.cp_starts_second_or_subsequent_pct.statistical_neighbours.mean).toBeCloseTo(23.9, 9);
  });
});

describe('METRICS.md §9 "the matching DfE reporting year" and like with like', () => {
  it('a quarter to 31 March: the year it ends, every measure with 2025 figures like with like', () => {
    expect(year2025).toMatchObject({ year: 2025, reporting_year: 2025, year_rule: 'same_year', as_at: '2025-03-31' });
    // The neglect shares have no 2025 national figure (the newest is 2020, or none): not like with like.
    const {
      cp_open_neglect_initial_pct: neglectOpen,
      cp_starts_neglect_initial_pct: neglectStarts,
      ...rest
    } = year2025.measures;
    for (const m of Object.values(rest)) expect(m).toMatchObject({ year: 2025, like_with_like: true });
    expect(neglectOpen).toMatchObject({ year: 2020, like_with_like: false });
    expect(neglectStarts).toMatchObject({ year: null, like_with_like: false });
  });

  it('a quarter to 31 December: the reporting year it falls in; at-31-March figures are not like with like', async () => {
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2024-10-01', to: '2024-12-31' }));
    expect(b).toMatchObject({ year: 2025, reporting_year: 2025, year_rule: 'same_year' });
    expect(b.measures.cp_open_rate_per_10k).toMatchObject({ basis: 'at_31_march', like_with_like: false });
    expect(b.measures.cp_open_2y_plus_pct.like_with_like).toBe(false);
    expect(b.measures.cp_starts_second_or_subsequent_pct).toMatchObject({ basis: 'in_year', like_with_like: true });
  });

  it('a year not published yet: the newest published one, and nothing is like with like', async () => {
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2025-04-01', to: '2026-03-31' }));
    expect(b).toMatchObject({ year: 2025, reporting_year: 2026, year_rule: 'latest_published' });
    for (const m of Object.values(b.measures)) expect(m.like_with_like).toBe(false);
  });

  it('only DfE-defined measures are benchmarked, never the local-only ones', () => {
    expect(Object.keys(year2025.measures)).toEqual([
      'cp_open_rate_per_10k',
      'cp_starts_second_or_subsequent_pct',
      'cp_open_2y_plus_pct',
      'rereferrals_12m_pct',
      'assessments_neglect_pct',
      'assessments_within_45wd_pct',
      'icpcs_within_15wd_pct',
      'cp_open_neglect_initial_pct',
      'cp_starts_neglect_initial_pct',
      'lac_open_rate_per_10k',
      'referrals_schools_pct',
      'referrals_health_pct',
      'referrals_police_pct',
    ]);
  });

  it("sets LAIT's shares of referrals by source beside the local ones (lait_benchmarks_2016_to_2025.csv)", () => {
    // LAIT, England 2025 (April 2024 to March 2025): police 28.3% of referrals.
    expect(year2025.measures['referrals_police_pct']).toMatchObject({ year: 2025, basis: 'in_year', england: 28.3 });
    expect(year2025.measures['referrals_schools_pct']?.england).toBeGreaterThan(10);
    expect(year2025.measures['referrals_health_pct']?.england).toBeGreaterThan(10);
  });
});

describe('funnel plot of second or subsequent CP plans, 2025', () => {
  const p0 = 15130 / 61840; // England, d3: 0.2446636…

  it('places every LA DfE publishes around England’s proportion', () => {
    expect(funnel.p0).toBeCloseTo(p0, 12);
    expect(funnel.england).toEqual({ numerator: 15130, denominator: 61840 });
    // 153 LAs: 151 points; City of London and the Isles of Scilly have their plan starts suppressed (c).
    const las = funnel.points.filter((p) => !p.highlight);
    expect(las).toHaveLength(151);
    expect(funnel.excluded.map((e) => e.la_code).sort()).toEqual(['201', '420']);
    expect(funnel.excluded[0]!.reason).toContain('(c)');
    expect(las.find((p) => p.la_code === '857')).toEqual({
      la_code: '857',
      label: 'Rutland',
      numerator: 7,
      denominator: 38,
      proportion: 7 / 38,
    });
    expect(funnel.points.filter((p) => p.highlight)).toEqual([
      { label: 'Local', numerator: 30, denominator: 100, proportion: 0.3, highlight: true },
    ]);
  });

  it('draws limits on a log-spaced grid from the smallest LA (Rutland, 38) to the largest (Birmingham, 1,936)', () => {
    const ns = funnel.limits.map((l) => l.n);
    expect(ns[0]).toBe(38);
    expect(ns.at(-1)).toBe(1936);
    expect(ns.length).toBeGreaterThan(50);
    expect(funnel.normal_limits.map((l) => l.n)).toEqual(ns);
    // Even on log n: each step is about (1936 / 38)^(1/59) = 1.069 times the last.
    expect(ns[30]! / ns[29]!).toBeCloseTo(1.069, 1);
  });

  it('normal limits at n = 38 are p0 ± z·√(p0(1−p0)/n)', () => {
    // p0(1 − p0) = 0.2446636 × 0.7553364 = 0.1848033; ÷ 38 = 0.0048632; √ = 0.0697370.
    // 95%: 0.2446636 ± 1.959964 × 0.0697370 = 0.2446636 ± 0.1366820 → 0.1079817 to 0.3813456.
    // 99.8%: 0.2446636 ± 3.090232 × 0.0697370 = 0.2446636 ± 0.2155034 → 0.0291602 to 0.4601671.
    const at38 = funnel.normal_limits[0]!;
    expect(at38.lower95).toBeCloseTo(0.1079817, 6);
    expect(at38.upper95).toBeCloseTo(0.3813456, 6);
    expect(at38.lower998).toBeCloseTo(0.0291602, 6);
    expect(at38.upper998).toBeCloseTo(0.4601671, 6);
    expect(at38).toEqual(normalFunnelLimits(p0, 38));
  });

  it('exact binomial limits at n = 10, worked by hand', () => {
    // Binomial(10, p0): P(R ≤ 4) = 0.927951, P(R ≤ 5) = 0.982270, P(R ≤ 6) = 0.996932, P(R ≤ 7) = 0.999646.
    // Upper 95% (q = 0.975): r = 5, α = (0.982270 − 0.975) / (0.982270 − 0.927951) = 0.133837,
    //   limit (5 − 0.133837) / 10 = 0.486616. Upper 99.8% (q = 0.999): r = 7,
    //   α = (0.999646 − 0.999) / (0.999646 − 0.996932) = 0.2380, limit (7 − 0.2380) / 10 = 0.6762.
    // Both lower limits fall below 0 and are kept at 0: P(R = 0) = 0.060451 already exceeds 0.025.
    const cdf = binomialCdf(10, p0);
    expect(cdf[4]).toBeCloseTo(0.927951, 6);
    expect(cdf[5]).toBeCloseTo(0.98227, 6);
    const upper998 = (7 - (cdf[7]! - 0.999) / (cdf[7]! - cdf[6]!)) / 10;
    const exact = exactFunnelLimits(p0, 10);
    expect(exact.upper95).toBeCloseTo(0.486616, 6);
    expect(exact.upper998).toBeCloseTo(upper998, 12);
    expect(exact.upper998).toBeCloseTo(0.676202, 6);
    expect(exact.lower95).toBe(0);
    expect(exact.lower998).toBe(0);
    // The normal approximation at n = 10 is symmetric and wrong in both tails: 95% −0.022 to 0.511.
    expect(normalFunnelLimits(p0, 10).upper95).toBeCloseTo(0.511106, 6);
  });

  it('exact and normal limits agree for the largest LAs', () => {
    const exact = funnel.limits.at(-1)!;
    const normal = funnel.normal_limits.at(-1)!;
    // The interpolated exact limit sits about half a plan (0.5 / 1936 = 0.00026) below the normal one.
    expect(Math.abs(exact.upper95 - normal.upper95)).toBeLessThan(0.5 / 1936);
    expect(Math.abs(exact.lower998 - normal.lower998)).toBeLessThan(0.5 / 1936);
  });
});

describe('over-dispersion-adjusted funnel limits (Spiegelhalter 2005, additive random effects)', () => {
  // Ten synthetic LAs of 100 plan starts each around p0 = 0.2: s = √(0.2 × 0.8 / 100) = 0.04, so
  // r = 8, 12, 16, 18, 20, 20, 22, 24, 28, 36 are z = −3, −2, −1, −0.5, 0, 0, 0.5, 1, 2, 4.
  const las = [8, 12, 16, 18, 20, 20, 22, 24, 28, 36].map((numerator) => ({ numerator, denominator: 100 }));

  it('winsorises the z-scores at the 10th and 90th percentiles and estimates φ and τ²', () => {
    // Type-7 percentiles of the sorted z: 10th at h = 9 × 0.1 = 0.9 → −3 + 0.9 × (−2 − −3) = −2.1;
    // 90th at h = 8.1 → 2 + 0.1 × (4 − 2) = 2.2. Winsorised: −2.1, −2, −1, −0.5, 0, 0, 0.5, 1, 2, 2.2.
    // φ = (4.41 + 4 + 1 + 0.25 + 0 + 0 + 0.25 + 1 + 4 + 4.84) / 10 = 19.75 / 10 = 1.975.
    // kφ = 19.75 > k − 1 = 9, so τ² > 0. w = 1 / 0.0016 = 625 each: Σw = 6,250, Σw² / Σw = 625.
    // τ² = (19.75 − 9) / (6,250 − 625) = 10.75 / 5,625 = 0.00191111.
    const od = estimateOverdispersion(las, 0.2);
    expect(od.k).toBe(10);
    expect(od.winsorised_to[0]).toBeCloseTo(-2.1, 9);
    expect(od.winsorised_to[1]).toBeCloseTo(2.2, 9);
    expect(od.phi).toBeCloseTo(1.975, 9);
    expect(od.tau2).toBeCloseTo(0.00191111, 8);
  });

  it('widens the limits by τ²: at n = 100 the 95% limits are 0.2 ± 1.959964 × √(0.0016 + τ²)', () => {
    // √(0.0016 + 0.00191111) = √0.00351111 = 0.0592546; × 1.959964 = 0.1161369 → 0.0838631 to 0.3161369.
    // 99.8%: 0.2 + 3.090232 × 0.0592546 = 0.3831106. At n = 400: √(0.0004 + τ²) = 0.0480740 → 0.2942233.
    const tau2 = estimateOverdispersion(las, 0.2).tau2;
    const at100 = overdispersedFunnelLimits(0.2, 100, tau2);
    expect(at100.lower95).toBeCloseTo(0.0838631, 6);
    expect(at100.upper95).toBeCloseTo(0.3161369, 6);
    expect(at100.upper998).toBeCloseTo(0.3831106, 6);
    expect(overdispersedFunnelLimits(0.2, 400, tau2).upper95).toBeCloseTo(0.2942233, 6);
    // Wider than the normal limits (0.2 ± 0.0784), which put 4 of these 10 LAs outside 95%.
    expect(at100.upper95).toBeGreaterThan(normalFunnelLimits(0.2, 100).upper95);
  });

  it('τ² is 0 when the LAs spread no more than chance (kφ ≤ k − 1): the adjusted limits are the normal ones', () => {
    // z = −1, 0, 0, 1 (r = 16, 20, 20, 24): 10th/90th percentiles −0.7 and 0.7, φ = (0.49 × 2) / 4 = 0.245, kφ = 0.98 ≤ 3.
    const calm = [16, 20, 20, 24].map((numerator) => ({ numerator, denominator: 100 }));
    const od = estimateOverdispersion(calm, 0.2);
    expect(od.phi).toBeCloseTo(0.245, 9);
    expect(od.tau2).toBe(0);
    expect(overdispersedFunnelLimits(0.2, 100, 0)).toEqual(normalFunnelLimits(0.2, 100));
  });

  it('comes with the 2025 funnel beside the exact limits, estimated from the published LAs only, with the year it describes', () => {
    expect(funnel.period).toEqual({ from: '2024-04-01', to: '2025-03-31' });
    expect(funnel.overdispersion.k).toBe(151);
    expect(funnel.overdispersion.tau2).toBeCloseTo(
      estimateOverdispersion(
        funnel.points.filter((p) => !p.highlight),
        funnel.p0,
      ).tau2,
      15,
    );
    // Repeat plans are over-dispersed between LAs (issue 10: 59 of 152 outside the 95% limits).
    expect(funnel.overdispersion.phi).toBeGreaterThan(1);
    expect(funnel.overdispersion.tau2).toBeGreaterThan(0);
    expect(funnel.overdispersed_limits.map((l) => l.n)).toEqual(funnel.limits.map((l) => l.n));
    const at38 = funnel.overdispersed_limits[0]!;
    expect(at38).toEqual(overdispersedFunnelLimits(funnel.p0, 38, funnel.overdispersion.tau2));
    expect(at38.upper95).toBeGreaterThan(funnel.normal_limits[0]!.upper95);
    // Fewer LAs outside the adjusted 95% limits than outside the exact ones.
    const outside = (limits: typeof funnel.limits) =>
      funnel.points.filter((p) => {
        const at = limits.reduce((best, l) =>
          Math.abs(l.n - p.denominator) < Math.abs(best.n - p.denominator) ? l : best,
        );
        return p.proportion > at.upper95 || p.proportion < at.lower95;
      }).length;
    expect(outside(funnel.overdispersed_limits)).toBeLessThan(outside(funnel.limits));
  });
});

describe('METRICS.md §1 population: the configured LA’s ONS estimate', () => {
  it('lands in `population` as source ons for every mid-year, and children_0_17 picks it', async () => {
    const rows = await warehouse.query<{ years: number; first: number; last: number }>(
      `SELECT count(*)::INTEGER AS years, min(year) AS first, max(year) AS last FROM population WHERE source = 'ons' AND dimension = 'all' AND "group" = 'all'`,
    );
    expect(rows[0]).toEqual({ years: 13, first: 2012, last: 2024 });
    // As at 31 March 2025 the latest mid-year strictly before is mid-2024: Bolton 75,599.
    const [picked] = await warehouse.query(
      `SELECT population_year(DATE '2025-03-31') AS year, children_0_17(DATE '2025-03-31') AS children, population_source(DATE '2025-03-31') AS source`,
    );
    expect(picked).toEqual({ year: 2024, children: 75599, source: 'ons' });
    const pack = await computeMetricsPack(warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(pack.population).toEqual({ year: 2024, children_0_17: 75599, source: 'ons' });
  });

  it('a loaded population.csv (source local) takes precedence for the years it covers', async () => {
    const fixture = await fixtureWarehouse({
      'population.csv': [{ year: 2024, dimension: 'all', group: 'all', count: 80000 }],
    });
    try {
      const [local] = await fixture.warehouse.query(
        `SELECT children_0_17(DATE '2025-03-31') AS children, population_source(DATE '2025-03-31') AS source`,
      );
      expect(local).toEqual({ children: 80000, source: 'local' });
      // As at 31 March 2024 the mid-year is 2023, which the file does not cover: ONS, Bolton 74,266.
      const [ons] = await fixture.warehouse.query(
        `SELECT children_0_17(DATE '2024-03-31') AS children, population_source(DATE '2024-03-31') AS source`,
      );
      expect(ons).toEqual({ children: 74266, source: 'ons' });
    } finally {
      fixture.dispose();
    }
  });
});

describe('reference tables are loaded once, kept for read-only opens, and follow the configuration', () => {
  it('the configured LA is recorded in settings', async () => {
    const rows = await warehouse.query(
      `SELECT key, value FROM settings WHERE key IN ('la_code', 'la_name', 'benchmark_la_code') ORDER BY key`,
    );
    expect(rows).toEqual([
      { key: 'benchmark_la_code', value: '' },
      { key: 'la_code', value: '350' },
      { key: 'la_name', value: 'Bolton' },
    ]);
  });

  it('reopening changes nothing; a read-only open has the tables and the same LA', async () => {
    const path = join(dir, 'reopen.duckdb');
    (await Warehouse.open(path)).close();
    const again = await Warehouse.open(path);
    expect(await again.withConnection((c) => applyReference(c, referenceDir))).toBe('unchanged');
    expect(await again.query(`SELECT count(*)::INTEGER AS n FROM population WHERE source = 'ons'`)).toEqual([
      { n: 13 },
    ]);
    again.close();
    const readOnly = await Warehouse.open(path, { readOnly: true });
    try {
      const b = await readOnly.withConnection((c) => computeBenchmarks(c, { from: '2025-01-01', to: '2025-03-31' }));
      expect(b).toMatchObject({ la_code: '350', la_name: 'Bolton', region: 'North West' });
      expect(b.measures.cp_starts_second_or_subsequent_pct.la_published).toBe(30.7);
    } finally {
      readOnly.close();
    }
  });

  // Speed is measured in `npm run bench`, not asserted here: on a loaded machine a time limit only
  // tests the machine.
  it('a change of LA replaces the ONS population and the settings', async () => {
    const path = join(dir, 'change.duckdb');
    (await Warehouse.open(path)).close();
    const changed = await Warehouse.open(path);
    try {
      const result = await changed.withConnection((c) =>
        applyReference(c, referenceDir, { la_code: '383', la_name: 'Leeds' }),
      );
      expect(result).toBe('loaded');
      // Leeds at mid-2024: 176,239 children 0–17; no Bolton rows remain.
      expect(
        await changed.query(
          `SELECT count(*)::INTEGER AS n, max(count) FILTER (WHERE year = 2024) AS mid2024 FROM population WHERE source = 'ons'`,
        ),
      ).toEqual([{ n: 13, mid2024: 176239 }]);
      expect(await changed.query(`SELECT value FROM settings WHERE key = 'la_code'`)).toEqual([{ value: '383' }]);
    } finally {
      changed.close();
    }
  });

  it('a fictional LA gets no ONS rows', async () => {
    const demo = await Warehouse.open(':memory:');
    try {
      await demo.withConnection((c) =>
        applyReference(c, referenceDir, { la_code: '990', la_name: 'Northbury', benchmark_la_code: '350' }),
      );
      expect(await demo.query(`SELECT count(*)::INTEGER AS n FROM population`)).toEqual([{ n: 0 }]);
    } finally {
      demo.close();
    }
  });
});

describe('lscb.config.json', () => {
  it('the bundled file describes the demo LA and its stand-in comparator', () => {
    expect(loadConfig(join(projectRoot, 'lscb.config.json'))).toEqual({
      la_code: '990',
      la_name: 'Northbury',
      benchmark_la_code: '350',
    });
  });

  it('a malformed file gives a message naming what is wrong', () => {
    const check = (content: unknown, message: string) => {
      const path = writeConfig('bad.json', content);
      expect(() => loadConfig(path)).toThrow(ConfigError);
      expect(() => loadConfig(path)).toThrow(message);
    };
    check('{ "la_code": "350", ', 'not valid JSON');
    check(['350'], 'must be a JSON object');
    check({ la_name: 'Bolton' }, '"la_code" is missing');
    check({ la_code: 350, la_name: 'Bolton' }, '"la_code" must be the DfE three-digit LA code as text');
    check({ la_code: '99', la_name: 'Bolton' }, '"la_code" must be the DfE three-digit LA code');
    check({ la_code: '350', la_name: ' ' }, '"la_name" is missing or empty');
    check(
      { la_code: '990', la_name: 'Northbury', benchmark_la_code: 'Bolton' },
      '"benchmark_la_code" must be the DfE three-digit code',
    );
    check({ la_code: '990', la_name: 'Northbury', benchmark_la: '350' }, 'unknown key "benchmark_la"');
    expect(() => loadConfig(join(dir, 'absent.json'))).toThrow(/LA configuration not found at .*absent\.json/);
  });

  it('a warehouse will not open on a bad configuration, and says which key', async () => {
    const previous = process.env['LSCB_CONFIG'];
    try {
      process.env['LSCB_CONFIG'] = writeConfig('no-name.json', { la_code: '350' });
      await expect(Warehouse.open(join(dir, 'no-name.duckdb'))).rejects.toThrow('"la_name" is missing');
      // A fictional LA needs a real one to stand in for it.
      process.env['LSCB_CONFIG'] = writeConfig('fictional.json', { la_code: '990', la_name: 'Northbury' });
      await expect(Warehouse.open(join(dir, 'fictional.duckdb'))).rejects.toThrow('set "benchmark_la_code"');
      process.env['LSCB_CONFIG'] = writeConfig('unreal-comparator.json', {
        la_code: '990',
        la_name: 'Northbury',
        benchmark_la_code: '999',
      });
      await expect(Warehouse.open(join(dir, 'unreal.duckdb'))).rejects.toThrow(
        '"benchmark_la_code" 999 is not an English LA',
      );
    } finally {
      process.env['LSCB_CONFIG'] = previous;
    }
  });
});

/**
 * Issue 10: timeliness beside LAIT, and neglect's share of plans beside England's where the bundle has
 * it. LAIT (lait_bds_long.parquet), 2025 (April 2024 to March 2025):
 *   LA / area               304 assessments in 45 wd %   218 conferences in 15 days %
 *   England (970)                 85.7                        81.4
 *   North West (981)              81.9                        76.8
 *   Bolton (350)                  84.2                        90.1
 *   neighbours, as above: 354 86.7 / 87; 831 84.7 / 95.4; 353 71.5 / 93; 357 81.9 / 53.8; 335 84.6 / 88;
 *     355 88.1 / 79.3; 889 82.2 / 60.7; 331 81.4 / 85.4; 373 78.6 / 76.3; 874 77 / 86.3
 *   means: 816.7 / 10 = 81.67 and 805.2 / 10 = 80.52
 * Neglect as initial category of plans open at 31 March, England: 2019 48.5%, 2020 50.5% (26,010 of
 * 51,510; SOURCES.md); no region, LA or later year, and nothing for plans starting in a year.
 */
describe('timeliness beside LAIT 304 and 218, and the neglect share beside England (issue 10)', () => {
  it('assessments within 45 working days: England 85.7, North West 81.9, neighbours 81.67, Bolton 84.2', () => {
    const m = year2025.measures.assessments_within_45wd_pct;
    expect(m).toMatchObject({ year: 2025, basis: 'in_year', england: 85.7, region: 81.9, la_published: 84.2 });
    expect(m.statistical_neighbours.count).toBe(10);
    expect(m.statistical_neighbours.mean).toBeCloseTo(81.67, 9);
  });

  it('conferences within 15 days: England 81.4, North West 76.8, neighbours 80.52, Bolton 90.1', () => {
    const m = year2025.measures.icpcs_within_15wd_pct;
    expect(m).toMatchObject({ year: 2025, basis: 'in_year', england: 81.4, region: 76.8, la_published: 90.1 });
    expect(m.statistical_neighbours.mean).toBeCloseTo(80.52, 9);
  });

  it('an earlier year uses its own LAIT figures (2020)', async () => {
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2019-04-01', to: '2020-03-31' }));
    expect(b.measures.icpcs_within_15wd_pct.year).toBe(2020);
    expect(b.measures.icpcs_within_15wd_pct.england).not.toBeNull();
  });

  it('neglect share of plans at 31 March: England 50.5 for 2020, the newest it has, and nothing regional', () => {
    const m = year2025.measures.cp_open_neglect_initial_pct;
    expect(m).toMatchObject({ year: 2020, basis: 'at_31_march', england: 50.5, region: null, la_published: null });
    expect(m.statistical_neighbours).toEqual({ mean: null, count: 0 });
  });

  it('neglect share of plans at 31 March 2019 is 48.5, like with like at 31 March 2019', async () => {
    const b = await warehouse.withConnection((c) => computeBenchmarks(c, { from: '2019-01-01', to: '2019-03-31' }));
    expect(b.measures.cp_open_neglect_initial_pct).toMatchObject({ year: 2019, england: 48.5, like_with_like: true });
  });

  it('neglect share of plans starting in the year: no national figure', () => {
    expect(year2025.measures.cp_starts_neglect_initial_pct).toMatchObject({ year: null, england: null, region: null });
  });
});
