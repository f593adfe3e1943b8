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

  it('orders the stages early help, CIN, CP whatever order they arrive in', () => {
    const svg = continuum([stages[2]!, stages[0]!, { ...stages[1]!, rate: null }], { title });
    expect([...svg.querySelectorAll('.stage-label')].map((t) => t.textContent)).toEqual(['Early help', 'Child in need', 'Child protection']);
    expect(svg.querySelector('.stage-cin .value-label')!.textContent).toBe('642 children');
  });

  it('puts no NaN in any attribute, even with every stage suppressed or none', () => {
    expectNoBadNumbers(continuum(stages, { title }));
    expectNoBadNumbers(continuum([], { title: 'Empty' }));
    expectNoBadNumbers(continuum(stages.map((s) => ({ ...s, children: 'c' })), { title: 'All suppressed' }));
    expectNoBadNumbers(continuum([{ key: 'cp', label: 'Child protection', children: 0, rate: 0 }], { title: 'Zero' }));
    expectIdsResolve(continuum(stages, { title }));
  });
});
