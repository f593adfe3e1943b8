// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { spcChart, type SpcChartLimits, type SpcChartPoint, type SpcSignal } from '../../client/charts/spcChart.ts';
import {
  expectIdsResolve,
  expectNoBadNumbers,
  expectSvgSnapshot,
  expectTitleAndDesc,
  serializeSvg,
} from './snapshot.ts';

const monthEnds = (count: number, year: number, month: number): string[] =>
  Array.from({ length: count }, (_, i) => new Date(Date.UTC(year, month - 1 + i + 1, 0)).toISOString().slice(0, 10));

/**
 * 24 months with a step change up at March 2025, drawn against limits fixed on the 2024 baseline
 * (as Making Data Count advises). Lower is better: the low outlier in May 2024 is an improvement,
 * the ten months above the mean from March 2025 a shift of concern.
 */
const stepValues = [
  42.1, 44.0, 41.3, 43.2, 34.9, 42.6, 44.4, 41.8, 43.9, 42.4, 44.6, 41.9, 43.0, 42.2, 47.6, 48.4, 46.9, 49.1, 47.8,
  48.8, 47.2, 49.6, 48.1, 50.3,
];
const stepRules: Record<number, { signal: SpcSignal; rules: string[] }> = {
  4: { signal: 'special_cause_improvement', rules: ['outside_limits'] },
  14: { signal: 'special_cause_concern', rules: ['shift'] },
  15: { signal: 'special_cause_concern', rules: ['shift', 'two_of_three'] },
  16: { signal: 'special_cause_concern', rules: ['shift', 'two_of_three'] },
  17: { signal: 'special_cause_concern', rules: ['shift', 'two_of_three'] },
  18: { signal: 'special_cause_concern', rules: ['shift'] },
  19: { signal: 'special_cause_concern', rules: ['shift'] },
  20: { signal: 'special_cause_concern', rules: ['shift'] },
  21: { signal: 'special_cause_concern', rules: ['shift', 'outside_limits'] },
  22: { signal: 'special_cause_concern', rules: ['shift'] },
  23: { signal: 'special_cause_concern', rules: ['shift', 'outside_limits'] },
};
const stepPoints: SpcChartPoint[] = monthEnds(24, 2024, 1).map((date, i) => ({
  date,
  value: stepValues[i]!,
  signal: stepRules[i]?.signal ?? 'common_cause',
  rules: stepRules[i]?.rules ?? [],
}));
const stepLimits: SpcChartLimits = {
  chart: 'xmr',
  centre: 42.6,
  upper: 49.4,
  lower: 35.8,
  sigma1: [40.3, 44.9],
  sigma2: [38.1, 47.1],
};

/**
 * Twelve quarters, one missing, ending in a seven-quarter rise. Below 15 points METRICS.md §13 has a
 * run chart with the mean and no special-cause flags, so every point is common cause.
 */
const runValues = [18.2, 17.5, 19.0, null, 18.1, 16.9, 17.4, 18.3, 19.6, 20.2, 21.5, 22.8];
const runPoints: SpcChartPoint[] = runValues.map((value, i) => ({
  date: new Date(Date.UTC(2023, 3 * i + 6, 0)).toISOString().slice(0, 10),
  value,
  signal: value === null ? null : 'common_cause',
  rules: [],
}));
const runLimits: SpcChartLimits = { chart: 'run', centre: 18.3 };

/** One point of each signal, for the checks that shapes alone tell them apart. */
const allSignals: SpcChartPoint[] = (
  [
    'common_cause',
    'special_cause_improvement',
    'special_cause_concern',
    'special_cause_neither',
    'common_cause',
  ] as const
).map((signal, i) => ({
  date: monthEnds(5, 2025, 1)[i]!,
  value: 10 + i,
  signal,
  rules: signal === 'common_cause' ? [] : ['outside_limits'],
}));

const stepChart = () =>
  spcChart(stepPoints, {
    title: 'Children on a neglect plan per 10,000, monthly',
    limits: stepLimits,
    valueLabel: 'Rate per 10,000',
  });

afterEach(() => document.body.replaceChildren());

describe('spcChart', () => {
  it('matches the snapshot for an XmR chart with a step change', () => {
    expectSvgSnapshot(stepChart(), 'spc-xmr-step-change');
  });

  it('matches the snapshot for a run chart with a gap and a trend', () => {
    const svg = spcChart(runPoints, {
      title: 'Repeat neglect plans within two years, %',
      limits: runLimits,
      unit: '%',
    });
    expectSvgSnapshot(svg, 'spc-run-chart');
  });

  it('matches the snapshot with sigma lines, not interactive', () => {
    const svg = spcChart(stepPoints, {
      title: 'Step change with sigma lines',
      limits: stepLimits,
      showSigma: true,
      interactive: false,
      width: 640,
      height: 280,
    });
    expectSvgSnapshot(svg, 'spc-xmr-sigma-static');
  });

  it('renders the same SVG every time', () => {
    expect(serializeSvg(stepChart())).toBe(serializeSvg(stepChart()));
  });

  it('has a title and a description that summarises centre, limits and signals in words', () => {
    const svg = stepChart();
    const { title, desc } = expectTitleAndDesc(svg);
    expect(title).toBe('Children on a neglect plan per 10,000, monthly');
    expect(desc).toContain('XmR chart of Rate per 10,000 from Jan 2024 to Dec 2025, 24 points.');
    expect(desc).toContain('Mean 42.6; process limits lower 35.8, upper 49.4.');
    expect(desc).toContain(
      'special cause (concern) at 10 points, Mar 2025 to Dec 2025 (7 or more in a row on one side of the mean, ' +
        '2 of 3 beyond a 2σ line, outside a process limit)',
    );
    expect(desc).toContain('special cause (improvement) at 1 point, May 2024 (outside a process limit)');
    // The σ bands the limits carry are drawn by default and stated in words.
    expect(desc).toContain('Shaded bands mark 1σ (40.3 to 44.9) and 2σ (38.1 to 47.1) around the mean.');
    expect(desc).toContain('Latest, Dec 2025: 50.3, special cause (concern).');
  });

  it('draws one point per value, a centre line and labelled dashed limits', () => {
    const svg = stepChart();
    expect(svg.querySelectorAll('.point')).toHaveLength(24);
    const labels = [...svg.querySelectorAll('.line-label')].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(['Upper limit 49.4', 'Mean 42.6', 'Lower limit 35.8']));
    for (const key of ['upper-limit', 'lower-limit']) {
      expect(svg.querySelector(`line.${key}`)?.getAttribute('stroke-dasharray')).toBeTruthy();
    }
    expect(svg.querySelector('line.centre')?.getAttribute('stroke-dasharray')).toBeNull();
    expect(svg.querySelector('path.series')?.getAttribute('d')).toMatch(/^M/);
  });

  it('makes the chart one tab stop, its latest point, with every point focusable and its details in a <title>', () => {
    const svg = stepChart();
    const marks = [...svg.querySelectorAll('.point')];
    // A roving tabindex: 24 points, one in the tab order (the latest, Dec 2025), the rest reached by keys.
    expect(marks.map((m) => m.getAttribute('tabindex'))).toEqual([...Array<string>(23).fill('-1'), '0']);
    expect(svg.querySelector('desc')!.textContent).toMatch(
      /Latest, Dec 2025: 50\.3, special cause \(concern\)\. Tab reaches the latest point; the left and right arrow keys move between points\.$/,
    );
    expect(marks.every((m) => (m.querySelector(':scope > title')?.textContent ?? '').length > 0)).toBe(true);
    expect(marks[14]!.querySelector('title')!.textContent).toBe(
      'Mar 2025: 47.6 — special cause (concern): 7 or more in a row on one side of the mean',
    );
    expect(marks[4]!.querySelector('title')!.textContent).toBe(
      'May 2024: 34.9 — special cause (improvement): outside a process limit',
    );
    expect(marks[0]!.querySelector('title')!.textContent).toBe('Jan 2024: 42.1 — common cause');
    // Focusable marks inside role="img" would be hidden from screen readers, so the chart is a group.
    expect(svg.getAttribute('role')).toBe('group');
    expect(marks.every((m) => m.getAttribute('role') === 'img')).toBe(true);
  });

  it('shows each signal by a different shape, not only by colour', () => {
    const svg = spcChart(allSignals, {
      title: 'All signals',
      limits: { chart: 'xmr', centre: 12, upper: 13, lower: 11 },
    });
    const shapeBySignal = new Map<string, Set<string>>();
    for (const point of svg.querySelectorAll('.point')) {
      const shape = point.querySelector('.shape')!;
      const set = shapeBySignal.get(point.getAttribute('data-signal')!) ?? new Set();
      set.add(`${shape.getAttribute('data-shape')}|${shape.getAttribute('d')}`);
      shapeBySignal.set(point.getAttribute('data-signal')!, set);
    }
    expect(shapeBySignal.size).toBe(4);
    // One shape per signal, and no two signals share one.
    const shapes = [...shapeBySignal.values()].map((set) => {
      expect(set.size).toBe(1);
      return [...set][0];
    });
    expect(new Set(shapes).size).toBe(4);
    const names = [...svg.querySelectorAll('.point .shape')].map((s) => s.getAttribute('data-shape'));
    expect(names).toEqual(['circle', 'square', 'triangle', 'diamond', 'circle']);
    // Common cause is grey, so it must carry a dark outline to reach 3:1.
    expect(svg.querySelector('.common_cause .shape')?.getAttribute('stroke')).toBe('#505a5f');
  });

  it('draws a run chart with its mean and no limits, leaving a gap for a missing value', () => {
    const svg = spcChart(runPoints, { title: 'Run', limits: runLimits, unit: '%' });
    expect(svg.querySelector('.upper-limit')).toBeNull();
    expect(svg.querySelector('.lower-limit')).toBeNull();
    expect([...svg.querySelectorAll('.line-label')].map((t) => t.textContent)).toEqual(['Mean 18.3%']);
    expect(svg.querySelector('.sigma-band')).toBeNull();
    expect(svg.querySelectorAll('.point')).toHaveLength(11);
    // The gap splits the line into two runs.
    expect(svg.querySelector('path.series')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    const { desc } = expectTitleAndDesc(svg);
    expect(desc).toContain('Run chart from Jun 2023 to Mar 2026, 11 points and 1 with no value.');
    expect(desc).toContain('Mean 18.3%; too few points for process limits, so no point is judged.');
    expect(desc).toContain('Every point shows common cause variation.');
  });

  it('shows the focused point in a visible tooltip with a focus ring, and Escape hides it', () => {
    const svg = stepChart();
    document.body.append(svg);
    const point = svg.querySelectorAll<SVGGElement>('.point')[14]!;
    point.focus();
    expect(document.activeElement).toBe(point);
    const tooltip = svg.querySelector('.chart-tooltip')!;
    expect(tooltip.getAttribute('visibility')).toBe('visible');
    expect(tooltip.querySelector('text')!.textContent).toBe(
      'Mar 2025: 47.6 — special cause (concern): 7 or more in a row on one side of the mean',
    );
    expect(point.querySelector('.focus-ring')!.getAttribute('visibility')).toBe('visible');
    expectNoBadNumbers(svg);
    point.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(tooltip.getAttribute('visibility')).toBe('hidden');
    point.blur();
    expect(point.querySelector('.focus-ring')!.getAttribute('visibility')).toBe('hidden');
  });

  it('moves between points with the arrow keys, Home and End, and keeps the last one focused as its tab stop', () => {
    const svg = stepChart();
    document.body.append(svg);
    const marks = [...svg.querySelectorAll<SVGGElement>('.point')];
    const press = (key: string) => {
      const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
      document.activeElement!.dispatchEvent(event);
      return event.defaultPrevented;
    };
    const stop = () => marks.filter((m) => m.getAttribute('tabindex') === '0');
    marks[23]!.focus();
    expect(press('ArrowLeft')).toBe(true);
    expect(document.activeElement).toBe(marks[22]);
    expect(stop()).toEqual([marks[22]]);
    // The tooltip follows the keys: Nov 2025 is the 23rd of 24 monthly points from Jan 2024.
    expect(svg.querySelector('.chart-tooltip text')!.textContent).toMatch(/^Nov 2025: /);
    expect(press('Home')).toBe(true);
    expect(document.activeElement).toBe(marks[0]);
    // At either end the keys stay put rather than leave the chart.
    press('ArrowLeft');
    expect(document.activeElement).toBe(marks[0]);
    press('End');
    press('ArrowRight');
    expect(document.activeElement).toBe(marks[23]);
    // Up and down are the page's, to scroll; a mark focused by a click becomes the stop.
    expect(press('ArrowUp')).toBe(false);
    marks[5]!.focus();
    expect(stop()).toEqual([marks[5]]);
    svg.remove();
  });

  it('is a plain image with no tab stops when not interactive', () => {
    const svg = spcChart(stepPoints, { title: 'Static', limits: stepLimits, interactive: false });
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelectorAll('[tabindex]')).toHaveLength(0);
    expect(svg.querySelector('.chart-tooltip')).toBeNull();
    expect(svg.querySelectorAll('.point title')).toHaveLength(24);
  });

  it('puts no NaN in any attribute, even for an empty or flat series', () => {
    expectNoBadNumbers(stepChart());
    expectNoBadNumbers(spcChart(runPoints, { title: 'Run', limits: runLimits }));
    const empty = spcChart([], { title: 'Empty', limits: { chart: 'run', centre: 0 } });
    expectNoBadNumbers(empty);
    expect(expectTitleAndDesc(empty).desc).toBe('Run chart: no data for this period.');
    const flat = spcChart(
      monthEnds(3, 2025, 1).map((date) => ({ date, value: 5, signal: 'common_cause' as const, rules: [] })),
      { title: 'Flat', limits: { chart: 'xmr', centre: 5, upper: 5, lower: 5 } },
    );
    expectNoBadNumbers(flat);
    const single = spcChart([{ date: '2025-03-31', value: 4, signal: 'common_cause', rules: [] }], {
      title: 'One',
      limits: { chart: 'run', centre: 4 },
    });
    expectNoBadNumbers(single);
    expectIdsResolve(stepChart());
  });

  it('draws the 1σ and 2σ bands the API returns, at their values, behind the series', () => {
    const svg = stepChart();
    const band = (n: string) => svg.querySelector(`rect.sigma-band-${n}`)!;
    // Both bands span the plot; 2σ (38.1 … 47.1) is taller than 1σ (40.3 … 44.9) and contains it.
    const top = (n: string) => Number(band(n).getAttribute('y'));
    const bottom = (n: string) => top(n) + Number(band(n).getAttribute('height'));
    expect(top('2')).toBeLessThan(top('1'));
    expect(bottom('2')).toBeGreaterThan(bottom('1'));
    // Exactly at the σ values: the ±2σ and ±1σ reference lines sit on the bands' edges.
    expect(top('2')).toBe(Number(svg.querySelector('line.sigma-2-high')!.getAttribute('y1')));
    expect(bottom('1')).toBeCloseTo(Number(svg.querySelector('line.sigma-1-low')!.getAttribute('y1')), 1);
    // Behind: the bands come before the series in document order.
    const order = [...svg.querySelectorAll('.sigma-bands, path.series')].map((e) => e.getAttribute('class'));
    expect(order).toEqual(['sigma-bands', 'series']);
    const plain = spcChart(stepPoints, { title: 'No bands', limits: stepLimits, showSigma: false });
    expect(plain.querySelector('.sigma-band')).toBeNull();
    expect(expectTitleAndDesc(plain).desc).not.toContain('Shaded bands');
  });

  it('shows a suppressed point as a labelled c mark and a break in the line, never as a value', () => {
    // METRICS.md §7: "charts show it as c at its place (a labelled marker, a broken line)".
    const hidden = { value: null, signal: null, rules: [], suppressed: true };
    const points = stepPoints.map((p, i) => (i === 8 ? { ...p, ...hidden } : p));
    const svg = spcChart(points, {
      title: 'With a suppressed month',
      limits: stepLimits,
      valueLabel: 'Rate per 10,000',
    });
    expectSvgSnapshot(svg, 'spc-xmr-suppressed');
    const marks = svg.querySelectorAll('.suppressed-mark');
    expect(marks).toHaveLength(1);
    expect(marks[0]!.querySelector('text')!.textContent).toBe('c');
    expect(marks[0]!.querySelector('title')!.textContent).toMatch(/^Sep 2024: c \(suppressed/);
    // No data mark for it, and the line breaks there: two runs.
    expect(svg.querySelectorAll('.point')).toHaveLength(23);
    expect(svg.querySelector('path.series')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    const { desc } = expectTitleAndDesc(svg);
    expect(desc).toContain('23 points and 1 suppressed (c), shown as a c mark and a break in the line.');
    expectNoBadNumbers(svg);
  });

  it("labels a point with the API's words when it has them", () => {
    const words = 'special cause (concern): above the upper limit';
    const points = stepPoints.map((p, i) => (i === 23 ? { ...p, words } : p));
    const baseline = { from: '2024-01-31', to: '2025-03-31' };
    const svg = spcChart(points, { title: 'Words', limits: { ...stepLimits, baseline } });
    expect(svg.querySelectorAll('.point')[23]!.querySelector('title')!.textContent).toBe(
      'Dec 2025: 50.3 — special cause (concern): above the upper limit',
    );
    expect(expectTitleAndDesc(svg).desc).toContain(
      'Mean from Jan 2024 to Mar 2025 42.6; process limits lower 35.8, upper 49.4.',
    );
  });

  it('rejects a date it cannot read rather than drawing NaN', () => {
    expect(() =>
      spcChart([{ date: '2025-13-45', value: 1, signal: null, rules: [] }], { title: 'Bad', limits: runLimits }),
    ).toThrow(/not a YYYY-MM-DD date/);
  });
});
