// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { dotInterval, type DotIntervalRow } from '../../client/charts/dotInterval.ts';
import { expectIdsResolve, expectNoBadNumbers, expectSvgSnapshot, expectTitleAndDesc } from './snapshot.ts';

const rows: DotIntervalRow[] = [
  { group: 'white_british', label: 'White British', rate: 38.2, low: 35.1, high: 41.5, flag: 'similar', count: 412 },
  { group: 'mixed', label: 'Mixed or multiple', rate: 61.0, low: 50.2, high: 73.9, flag: 'higher', count: 98 },
  { group: 'asian', label: 'Asian or Asian British', rate: 21.4, low: 16.8, high: 27.2, flag: 'lower', count: 55 },
  { group: 'black', label: 'Black or Black British', rate: 45.3, low: 33.0, high: 61.9, flag: 'similar', count: 40 },
  { group: 'other', label: 'Other ethnic group', rate: 'c', low: null, high: null, flag: null, count: 'c' },
  { group: 'unknown', label: 'Not known', rate: null, low: null, high: null, flag: null, count: 23 },
];

const options = {
  title: 'Children on a neglect plan per 10,000, by ethnic group',
  reference: 39.5,
  valueLabel: 'Rate per 10,000 children',
};

describe('dotInterval', () => {
  it('matches the snapshot with a suppressed row and an unknown row', () => {
    expectSvgSnapshot(dotInterval(rows, options), 'dot-interval-ethnicity');
  });

  it('has a title and a description that reads the flags and counts in words', () => {
    const { desc } = expectTitleAndDesc(dotInterval(rows, options));
    expect(desc).toBe(
      'Rate per 10,000 children for 6 groups, each with its 95% confidence interval, against all children (39.5). ' +
        'Higher: Mixed or multiple 61.0. Similar: White British 38.2 and Black or Black British 45.3. ' +
        'Lower: Asian or Asian British 21.4. Suppressed (c): Other ethnic group. Count only: Not known (23).',
    );
  });

  it('keeps the given order, one row per group, with a dot only where there is a rate', () => {
    const svg = dotInterval(rows, options);
    const labels = [...svg.querySelectorAll('.group-label')].map((t) => t.textContent);
    expect(labels).toEqual(rows.map((r) => r.label));
    expect(svg.querySelectorAll('.row')).toHaveLength(6);
    expect(svg.querySelectorAll('.dot')).toHaveLength(4);
    expect(svg.querySelectorAll('.interval')).toHaveLength(4);
    const countOnly = [...svg.querySelectorAll('.count-only')].map((t) => t.textContent);
    expect(countOnly).toEqual(['count only: 23']);
    expect(svg.querySelector('.group-other .dot')).toBeNull();
  });

  it('METRICS.md §7: a suppressed rate is a labelled c mark in the value column, which the reference line never crosses', () => {
    // The demo's "count only: c (suppressed)" sat at the plot's left edge, where the all-children
    // line ran through it when the axis was short. Now every word and mark of a row without a rate
    // lies right of the plot, and the reference line lies inside it.
    const svg = dotInterval(rows, options);
    const mark = svg.querySelector('.group-other .suppressed-mark')!;
    expect(mark.querySelector('title')!.textContent).toMatch(/^Other ethnic group: c \(suppressed/);
    expect(mark.querySelector('rect')!.getAttribute('stroke-dasharray')).toBe('3 2');
    const plotRight = Number(
      svg
        .querySelector('.x-axis .domain')!
        .getAttribute('d')!
        .match(/H([\d.]+)/)![1],
    );
    const markX = Number(mark.getAttribute('transform')!.match(/translate\(([\d.]+),/)![1]);
    expect(markX - 8).toBeGreaterThan(plotRight);
    expect(Number(svg.querySelector('.group-unknown .count-only')!.getAttribute('x'))).toBeGreaterThan(plotRight);
    const refX = Number(svg.querySelector('line.reference-line')!.getAttribute('x1'));
    expect(refX).toBeLessThanOrEqual(plotRight);
    expectSvgSnapshot(
      dotInterval([rows[4]!, { ...rows[5]!, count: 'c' }, rows[0]!], {
        ...options,
        reference: 1.2,
        title: 'Small reference',
      }),
      'dot-interval-suppressed-small-reference',
    );
  });

  it('the unknown group of one child (the demo) is a c mark with "count only"; a reference that cannot be shown is not drawn as 0', () => {
    const sex: DotIntervalRow[] = [
      { group: 'male', label: 'Male', rate: 'c', low: null, high: null, flag: null, count: 'c' },
      { group: 'female', label: 'Female', rate: 'c', low: null, high: null, flag: null, count: 'c' },
      { group: 'unknown', label: 'Not known', rate: null, low: null, high: null, flag: null, count: 'c' },
    ];
    const svg = dotInterval(sex, { title: 'By sex', reference: null });
    expect(svg.querySelector('line.reference-line')).toBeNull();
    expect(svg.querySelector('.reference-label')!.textContent).toBe('All children: not shown (suppressed)');
    expect(svg.querySelectorAll('.suppressed-mark')).toHaveLength(3);
    expect(svg.querySelector('.group-unknown .count-only')!.textContent).toBe('count only');
    expect(svg.querySelector('desc')!.textContent).toContain('against all children (not shown: suppressed)');
  });

  it('says each flag in words and shows it by shape, not colour alone', () => {
    const svg = dotInterval(rows, options);
    const values = [...svg.querySelectorAll('.row-value')].map((t) => t.textContent);
    expect(values).toEqual([
      '38.2 (35.1–41.5) similar',
      '61.0 (50.2–73.9) higher',
      '21.4 (16.8–27.2) lower',
      '45.3 (33.0–61.9) similar',
    ]);
    const shapeOf = (flag: string) => svg.querySelector(`.flag-${flag} .shape`)!.getAttribute('data-shape');
    expect(new Set([shapeOf('higher'), shapeOf('lower'), shapeOf('similar')]).size).toBe(3);
    expect(svg.querySelector('.flag-higher title')!.textContent).toBe(
      'Mixed or multiple: 61.0, interval 50.2 to 73.9, higher (count 98)',
    );
  });

  it('draws a labelled reference line at the all-children rate', () => {
    const svg = dotInterval(rows, options);
    expect(svg.querySelector('.reference-label')!.textContent).toBe('All children 39.5');
    const line = svg.querySelector('line.reference-line')!;
    expect(line.getAttribute('x1')).toBe(line.getAttribute('x2'));
  });

  it('puts no NaN in any attribute, even with no rows or only count-only rows', () => {
    expectNoBadNumbers(dotInterval(rows, options));
    expectNoBadNumbers(dotInterval([], { title: 'Empty', reference: 0 }));
    expectNoBadNumbers(dotInterval([rows[4]!, rows[5]!], { title: 'Counts', reference: 12 }));
    expectNoBadNumbers(
      dotInterval([{ ...rows[0]!, low: null, high: null, flag: null }], { title: 'No interval', reference: 30 }),
    );
    expectIdsResolve(dotInterval(rows, options));
  });
});
