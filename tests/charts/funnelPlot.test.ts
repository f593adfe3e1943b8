// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { funnelPlot, limitsAt, type FunnelData } from '../../client/charts/funnelPlot.ts';
import type { FunnelLimit } from '../../metrics/contract/types.ts';
import { expectIdsResolve, expectNoBadNumbers, expectSvgSnapshot, expectTitleAndDesc } from './snapshot.ts';

const p0 = 0.245;

/** Normal-approximation limits on a log-spaced grid, as the server would send them. */
function grid(from: number, to: number, steps: number): FunnelLimit[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const n = Math.round(from * (to / from) ** (i / steps));
    const se = Math.sqrt((p0 * (1 - p0)) / n);
    return { n, lower95: p0 - 1.96 * se, upper95: p0 + 1.96 * se, lower998: p0 - 3.09 * se, upper998: p0 + 3.09 * se };
  });
}

const authorities: [string, number, number][] = [
  ['Westmoor', 95, 380],
  ['Eastborough', 60, 400],
  ['Southdale', 310, 1200],
  ['Kingsbridge', 48, 150],
  ['Riverford', 820, 3000],
  ['Harbury', 22, 90],
  ['Lowfield', 130, 600],
  ['Marston', 205, 900],
  ['Oakham Vale', 61, 240],
  ['Pendle Cross', 410, 1800],
  ['Queensmead', 36, 120],
  ['Stonebury', 1050, 4500],
  ['Thornley', 74, 310],
  ['Upton Parva', 15, 70],
  ['Whitcombe', 540, 2100],
  ['Yarrowby', 170, 760],
  ['Nodata', 0, 0],
];

const data: FunnelData = {
  p0,
  limits: grid(50, 5000, 40),
  points: [
    ...authorities.map(([label, numerator, denominator]) => ({ label, numerator, denominator })),
    { label: 'Northshire', numerator: 170, denominator: 500, highlight: true },
  ],
};

const title = 'Re-referrals within 12 months, % of referrals, by local authority';

describe('funnelPlot', () => {
  it('matches the snapshot with a highlighted authority outside 99.8% (log scale)', () => {
    expectSvgSnapshot(funnelPlot(data, { title, yLabel: 'Re-referrals (%)' }), 'funnel-log');
  });

  it('matches the snapshot on a linear scale', () => {
    expectSvgSnapshot(
      funnelPlot(data, { title: `${title} (linear)`, xScale: 'linear', width: 640, height: 360 }),
      'funnel-linear',
    );
  });

  it('has a title and a description naming the home authority and the outliers', () => {
    const { title: shown, desc } = expectTitleAndDesc(funnelPlot(data, { title }));
    expect(shown).toBe(title);
    expect(desc).toContain(
      'Funnel plot of 17 areas against England 24.5%, with 95% and 99.8% binomial control limits.',
    );
    expect(desc).toContain('Northshire: 34.0% (170 of 500), above the 99.8% limit.');
    expect(desc).toContain('Outside the 99.8% limits: Eastborough (below), Riverford (above) and Northshire (above).');
    expect(desc).toContain('1 with no denominator is not shown.');
  });

  it('draws every authority with a denominator, the home one last, larger and in another shape', () => {
    const svg = funnelPlot(data, { title });
    const points = [...svg.querySelectorAll('.point')];
    expect(points).toHaveLength(17);
    const home = points[points.length - 1]!;
    expect(home.classList.contains('highlight')).toBe(true);
    expect(home.querySelector('.shape')!.getAttribute('data-shape')).toBe('diamond');
    expect(home.querySelector('.shape')!.getAttribute('stroke')).toBe('#0b0c0c');
    expect(points.slice(0, -1).every((p) => p.querySelector('.shape')!.getAttribute('data-shape') === 'circle')).toBe(
      true,
    );
    expect(points.every((p) => (p.querySelector(':scope > title')?.textContent ?? '').length > 0)).toBe(true);
    expect(home.querySelector('title')!.textContent).toBe('Northshire: 170 of 500 (34.0%), above the 99.8% limit');
    // 150 tab stops would be a burden: hover titles only, the table carries the figures.
    expect(svg.querySelectorAll('[tabindex]')).toHaveLength(0);
    expect(svg.getAttribute('role')).toBe('img');
  });

  it('labels the home authority, the outliers, the national rate and each limit curve directly', () => {
    const svg = funnelPlot(data, { title });
    const pointLabels = [...svg.querySelectorAll('.point-label')].map((t) => t.textContent);
    expect(pointLabels).toEqual(['Eastborough', 'Riverford', 'Northshire 34.0%']);
    const lineLabels = [...svg.querySelectorAll('.line-label')].map((t) => t.textContent);
    expect(lineLabels).toEqual(expect.arrayContaining(['England 24.5%', '95% limit', '99.8% limit']));
    expect(lineLabels).toHaveLength(5);
    const outliers = [...svg.querySelectorAll('.point.outlier')].map((p) => p.getAttribute('data-position'));
    expect(outliers).toEqual(['below99.8', 'above99.8', 'above99.8']);
    expect(svg.querySelector('.point[data-position="above95"] title')!.textContent).toContain('Kingsbridge');
  });

  it('tells the limits apart by dash, not colour: 95% dashed, 99.8% solid', () => {
    const svg = funnelPlot(data, { title });
    const limits = [...svg.querySelectorAll('path.limit')];
    expect(limits).toHaveLength(4);
    for (const path of limits) {
      const dashed = path.getAttribute('stroke-dasharray') !== null;
      expect(dashed).toBe(path.classList.contains('limit-95'));
    }
    expect(svg.querySelector('line.p0')).not.toBeNull();
  });

  it('puts no NaN in any attribute, even with no points or a single grid point', () => {
    expectNoBadNumbers(funnelPlot(data, { title }));
    expectNoBadNumbers(funnelPlot(data, { title, xScale: 'linear' }));
    expectNoBadNumbers(funnelPlot({ p0, limits: [], points: [] }, { title: 'Empty' }));
    expectNoBadNumbers(
      funnelPlot(
        { p0, limits: grid(100, 100, 0), points: [{ label: 'One', numerator: 5, denominator: 100 }] },
        { title: 'One' },
      ),
    );
    expectIdsResolve(funnelPlot(data, { title }));
  });

  it('draws the over-dispersion-adjusted limits when given, and says so on the chart and in its description', () => {
    // Adjusted limits: p0 ± z·√(p0(1 − p0)/n + τ²) with τ² = 0.0015 (as metrics/benchmarks.ts sends them).
    // Northshire 34.0% of 500: √(0.184975 / 500 + 0.0015) = √0.00186995 = 0.0432429; the 99.8% upper
    // limit is 0.245 + 3.09 × 0.0432429 = 0.3786, the 95% one 0.245 + 1.96 × 0.0432429 = 0.3298: so
    // above 95% but within 99.8%, where the unadjusted limits (99.8% upper 0.245 + 3.09 × √(0.184975 / 500)
    // = 0.3044) put it above 99.8%.
    const tau2 = 0.0015;
    const adjustedLimits = grid(50, 5000, 40).map(({ n }) => {
      const se = Math.sqrt((p0 * (1 - p0)) / n + tau2);
      return {
        n,
        lower95: p0 - 1.96 * se,
        upper95: p0 + 1.96 * se,
        lower998: p0 - 3.09 * se,
        upper998: p0 + 3.09 * se,
      };
    });
    const period = { from: '2024-04-01', to: '2025-03-31' };
    const svg = funnelPlot({ ...data, overdispersed_limits: adjustedLimits, period }, { title });
    expectSvgSnapshot(svg, 'funnel-overdispersed');
    expect(svg.querySelector('.control-limits')!.classList.contains('overdispersed')).toBe(true);
    expect(svg.querySelector('.limits-label')!.textContent).toBe(
      'Limits allow for real differences between areas (over-dispersion)',
    );
    // Issue 10: the year the points describe is visible, not only in the hidden title.
    expect(svg.querySelector('.period-label')!.textContent).toBe('Each point: year to 31 March 2025');
    expect(svg.querySelector('.point-label.highlight')!.textContent).toBe('Northshire 34.0% (2024–25)');
    expect(svg.querySelector('.point.highlight')!.getAttribute('data-position')).toBe('above95');
    const desc = svg.querySelector('desc')!.textContent!;
    expect(desc).toContain(
      'Funnel plot of 17 areas, year to 31 March 2025, against England 24.5%, with 95% and 99.8% control limits adjusted for over-dispersion',
    );
    expect(desc).toContain('Northshire: 34.0% (170 of 500), above the 95% limit.');
    // Without adjusted limits the legend says the limits are binomial chance alone.
    expect(funnelPlot(data, { title }).querySelector('.limits-label')!.textContent).toBe(
      'Limits: binomial chance alone',
    );
  });

  it('METRICS.md §7: a suppressed home figure is a labelled c mark at its denominator, never a point at 0%', () => {
    const withC = {
      ...data,
      points: [...data.points.slice(0, -1), { label: 'Northshire', numerator: 'c', denominator: 500, highlight: true }],
    };
    const svg = funnelPlot(withC, { title });
    expect(svg.querySelector('.point.highlight:not(.suppressed-mark)')).toBeNull();
    const mark = svg.querySelector('.suppressed-mark.highlight')!;
    expect(mark.querySelector('title')!.textContent).toMatch(/^Northshire: c \(suppressed/);
    expect(svg.querySelector('.point-label.highlight')!.textContent).toBe('Northshire: c');
    expect(svg.querySelector('desc')!.textContent).toContain('Suppressed (c), not placed: Northshire.');
    expectNoBadNumbers(svg);
  });

  it('interpolates the limits between grid points and holds them beyond the grid', () => {
    const limits = grid(50, 5000, 40);
    expect(limitsAt(limits, limits[10]!.n)).toEqual(limits[10]);
    const between = limitsAt(limits, Math.sqrt(limits[10]!.n * limits[11]!.n))!;
    expect(between.upper998).toBeLessThan(limits[10]!.upper998);
    expect(between.upper998).toBeGreaterThan(limits[11]!.upper998);
    expect(limitsAt(limits, 10)!.upper998).toBe(limits[0]!.upper998);
    expect(limitsAt(limits, 1e6)!.upper998).toBe(limits[40]!.upper998);
    expect(limitsAt([], 10)).toBeUndefined();
  });
});
