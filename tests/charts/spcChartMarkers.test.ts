// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { spcChart, type SpcChartPoint } from '../../client/charts/spcChart.ts';
import { expectSvgSnapshot } from './snapshot.ts';

/** Notes of practice and an indicator's target on an SPC chart (METRICS.md §13). */
const points: SpcChartPoint[] = ['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31'].map(
  (date, i) => ({ date, value: [10, 12, 9, 11, 8][i]!, signal: 'common_cause', rules: [] }),
);
const chart = () =>
  spcChart(points, {
    title: 'Children re-registered under neglect',
    limits: { chart: 'run', centre: 10 },
    interactive: false,
    annotations: [
      { date: '2025-07-15', body: 'New front door', processChange: true },
      { date: '2025-11-02', body: 'Graded Care Profile 2 training', processChange: false },
      { date: '2019-01-01', body: 'Before the chart', processChange: false },
    ],
    target: {
      value: 6,
      date: '2026-12-31',
      trajectory: [
        { date: '2025-03-31', value: 10 },
        { date: '2026-12-31', value: 6 },
      ],
    },
  });

describe('SPC chart markers and target', () => {
  it('matches the snapshot', () => {
    expectSvgSnapshot(chart(), 'spc-chart-annotations-target');
  });

  it('draws a numbered marker for each note within its dates, solid for a process change', () => {
    const markers = [...chart().querySelectorAll('.annotation-marker')];
    expect(markers.map((m) => m.getAttribute('data-noted-on'))).toEqual(['2025-07-15', '2025-11-02']);
    expect(markers.map((m) => m.querySelector('text')?.textContent)).toEqual(['1', '2']);
    expect(markers[0]!.classList.contains('process-change')).toBe(true);
    expect(markers[0]!.querySelector('line')?.getAttribute('stroke-dasharray')).toBeNull();
    expect(markers[1]!.querySelector('line')?.getAttribute('stroke-dasharray')).toBe('4 3');
  });

  it('says every note, and the target, in the description', () => {
    const description = chart().querySelector('desc')?.textContent ?? '';
    expect(description).toContain(
      'Notes of practice, marked by number: 1, 15 Jul 2025: New front door (a change in the process: limits recalculated from here); ' +
        '2, 2 Nov 2025: Graded Care Profile 2 training; 3, 1 Jan 2019: Before the chart.',
    );
    expect(description).toContain('Target 6.0 by Dec 2026, drawn as a dotted line with the trajectory to it.');
    expect(chart().querySelector('.target-label')?.textContent).toBe('Target 6.0 by Dec 2026');
  });
});
