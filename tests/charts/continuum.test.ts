// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { continuum, type ContinuumRow } from '../../client/charts/continuum.ts';
import { expectIdsResolve, expectNoBadNumbers, expectSvgSnapshot, expectTitleAndDesc } from './snapshot.ts';

const stages: ContinuumRow[] = [
  { key: 'early_help', label: 'Early help', children: 1284, rate: 57.6 },
  { key: 'cin', label: 'Child in need', children: 642, rate: 28.8 },
  { key: 'cp', label: 'Child protection', children: 'c', rate: 'c' },
];
const title = 'Children with neglect across the continuum, 31 March 2025';
const snapshotOf = (svg: SVGSVGElement) => expectSvgSnapshot(svg, 'continuum-long-labels');

describe('continuum', () => {
  it('matches the snapshot with a suppressed stage', () => {
    expectSvgSnapshot(continuum(stages, { title }), 'continuum-suppressed');
  });

  it('has a title and a description of every stage in words', () => {
    const { desc } = expectTitleAndDesc(continuum(stages, { title }));
    expect(desc).toBe(
      'Children with neglect at each stage, from early help to child protection: ' +
        'Early help 1,284 (57.6 per 10,000), Child in need 642 (28.8 per 10,000) and Child protection c (suppressed).',
    );
  });

  it('draws a bar per stage with a count, and the letter c with no bar when suppressed', () => {
    const svg = continuum(stages, { title });
    expect(svg.querySelectorAll('.stage')).toHaveLength(3);
    expect(svg.querySelectorAll('.bar')).toHaveLength(2);
    expect(svg.querySelector('.stage-cp .bar')).toBeNull();
    const labels = [...svg.querySelectorAll('.value-label')].map((t) => t.textContent);
    expect(labels).toEqual(['1,284 children, 57.6 per 10,000', '642 children, 28.8 per 10,000', 'c']);
    const widths = [...svg.querySelectorAll('.bar')].map((b) => Number(b.getAttribute('width')));
    expect(widths[0]).toBeGreaterThan(widths[1]! * 1.9);
  });

  it('METRICS.md §7: a suppressed stage is a labelled c mark, not an empty bar', () => {
    const mark = continuum(stages, { title }).querySelector('.stage-cp .suppressed-mark')!;
    expect(mark.querySelector('rect')!.getAttribute('stroke-dasharray')).toBe('3 2');
    expect(mark.querySelector('text')!.textContent).toBe('c');
    expect(mark.querySelector('title')!.textContent).toMatch(/^Child protection: c \(suppressed/);
  });

  it('fits the name column to the longest stage name (the board pack lost "Child" of "Child in need (not on a plan)")', () => {
    const board = [
      { key: 'early_help' as const, label: 'Early help only', children: 120 },
      { key: 'cin' as const, label: 'Child in need (not on a plan)', children: 80 },
      { key: 'cp' as const, label: 'Child protection plan', children: 156 },
    ];
    const svg = continuum(board, { title, width: 704 });
    // The 29 characters in DejaVu Sans at 12 px: 14.3 em of advance widths (C .698, h .634, i .278,
    // space .318, …) = 172 px. The name ends 10 px before the bars start, so the bars must start at
    // 172 + 10 = 182 or more for its first letter to stay at x ≥ 0. The old fixed 150 px left
    // "Child" outside the SVG. (tests/browser/chartLabels.test.ts measures it in Chromium.)
    const barX = Number(svg.querySelector('.bar')!.getAttribute('x'));
    expect(barX).toBeGreaterThanOrEqual(182);
    snapshotOf(svg);
  });

  it('orders the stages early help, CIN, CP whatever order they arrive in', () => {
    const svg = continuum([stages[2]!, stages[0]!, { ...stages[1]!, rate: null }], { title });
    expect([...svg.querySelectorAll('.stage-label')].map((t) => t.textContent)).toEqual([
      'Early help',
      'Child in need',
      'Child protection',
    ]);
    expect(svg.querySelector('.stage-cin .value-label')!.textContent).toBe('642 children');
  });

  it('puts no NaN in any attribute, even with every stage suppressed or none', () => {
    expectNoBadNumbers(continuum(stages, { title }));
    expectNoBadNumbers(continuum([], { title: 'Empty' }));
    expectNoBadNumbers(
      continuum(
        stages.map((s) => ({ ...s, children: 'c' })),
        { title: 'All suppressed' },
      ),
    );
    expectNoBadNumbers(continuum([{ key: 'cp', label: 'Child protection', children: 0, rate: 0 }], { title: 'Zero' }));
    expectIdsResolve(continuum(stages, { title }));
  });

  describe('early help to being looked after, each stage with its neglect basis (issue 11)', () => {
    const journey: ContinuumRow[] = [
      {
        key: 'looked_after',
        label: 'Looked after',
        children: 41,
        rate: 6.9,
        basis: 'category of need N1, abuse or neglect',
      },
      { key: 'early_help', label: 'Early help only', children: 120, basis: 'neglect flag or factor 16A' },
      { key: 'cin', label: 'Child in need (not on a plan)', children: 80, basis: 'an assessment with factor 16A' },
      { key: 'cp', label: 'Child protection plan', children: 'c', basis: 'plan category neglect' },
    ];

    it('matches the snapshot', () => {
      expectSvgSnapshot(continuum(journey, { title, width: 704 }), 'continuum-looked-after');
    });

    it('orders looked after last and writes each basis under its bar and in the description', () => {
      const svg = continuum(journey, { title, width: 704 });
      expect([...svg.querySelectorAll('.stage')].map((g) => g.getAttribute('class'))).toEqual([
        'stage stage-early_help',
        'stage stage-cin',
        'stage stage-cp',
        'stage stage-looked_after',
      ]);
      expect([...svg.querySelectorAll('.stage-basis')].map((t) => t.textContent)).toEqual([
        'neglect flag or factor 16A',
        'an assessment with factor 16A',
        'plan category neglect',
        'category of need N1, abuse or neglect',
      ]);
      const { desc } = expectTitleAndDesc(svg);
      expect(desc).toBe(
        'Children with neglect at each stage, from early help to being looked after: ' +
          'Early help only 120 (neglect flag or factor 16A), Child in need (not on a plan) 80 (an assessment with factor 16A), ' +
          'Child protection plan c (suppressed) (plan category neglect) and ' +
          'Looked after 41 (6.9 per 10,000) (category of need N1, abuse or neglect).',
      );
      // Looked after counts children at the as-at date, not a highest stage: drawn in its own colour.
      const fill = (key: string) => svg.querySelector(`.stage-${key} .bar`)!.getAttribute('fill');
      expect(fill('looked_after')).not.toBe(fill('early_help'));
      expectNoBadNumbers(svg);
      expectIdsResolve(svg);
    });

    it('keeps each basis line inside its own row', () => {
      const svg = continuum(journey, { title, width: 704 });
      const height = Number(svg.getAttribute('height') ?? svg.getAttribute('viewBox')!.split(' ')[3]);
      const ys = [...svg.querySelectorAll('.stage-basis')].map((t) => Number(t.getAttribute('y')));
      expect(ys.every((y, i) => i === 0 || y > ys[i - 1]! + 36)).toBe(true);
      expect(Math.max(...ys)).toBeLessThan(height);
    });
  });
});
