// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { durationBars, type DurationBand } from '../../client/charts/durationBars.ts';
import { expectIdsResolve, expectNoBadNumbers, expectSvgSnapshot, expectTitleAndDesc } from './snapshot.ts';

const bands: DurationBand[] = [
  { band: 'le_3m', label: '≤3 months', count: 48 },
  { band: '3_6m', label: '3–6 months', count: 37 },
  { band: '6_12m', label: '6–12 months', count: 29 },
  { band: '12_18m', label: '12–18 months', count: 14 },
  { band: '18m_2y', label: '18 months – 2 years', count: 6 },
  { band: '2y_plus', label: '2 years+', count: 'c' },
];
const options = {
  title: 'Children on a child protection plan by plan duration, 31 March 2025',
  emphasise: ['18m_2y', '2y_plus'],
  emphasisLabel: 'Plans open 18 months or more',
  valueLabel: 'Children',
};

describe('durationBars', () => {
  it('matches the snapshot with emphasised bands and a suppressed band', () => {
    expectSvgSnapshot(durationBars(bands, options), 'duration-bars-emphasis');
  });

  it('matches the snapshot with no emphasis', () => {
    expectSvgSnapshot(durationBars(bands.slice(0, 5), { title: 'Plan durations, no emphasis' }), 'duration-bars-plain');
  });

  it('has a title and a description of every band in words', () => {
    const { desc } = expectTitleAndDesc(durationBars(bands, options));
    expect(desc).toBe(
      'Children by plan duration: ≤3 months 48, 3–6 months 37, 6–12 months 29, 12–18 months 14, 18 months – 2 years 6 and 2 years+ c (suppressed). ' +
        'Emphasised (plans open 18 months or more): 18 months – 2 years and 2 years+.',
    );
  });

  it('draws a bar with a value label per band, and the letter c with no bar when suppressed', () => {
    const svg = durationBars(bands, options);
    expect(svg.querySelectorAll('.band')).toHaveLength(6);
    expect(svg.querySelectorAll('.bar')).toHaveLength(5);
    expect(svg.querySelector('.band-2y-plus .bar')).toBeNull();
    expect([...svg.querySelectorAll('.value-label')].map((t) => t.textContent)).toEqual([
      '48',
      '37',
      '29',
      '14',
      '6',
      'c',
    ]);
    // METRICS.md §7 "a labelled marker ... never as a value": the c is a dashed box on the baseline
    // with a title, not a letter floating over an empty column.
    const mark = svg.querySelector('.band-2y-plus .suppressed-mark')!;
    expect(mark.querySelector('rect')!.getAttribute('stroke-dasharray')).toBe('3 2');
    expect(mark.querySelector('title')!.textContent).toMatch(/^2 years\+: c \(suppressed/);
    expect(svg.querySelectorAll('.suppressed-mark')).toHaveLength(1);
    // Long labels wrap onto lines (tspans) but keep every word.
    const labels = [...svg.querySelectorAll('.band-label')].map((t) =>
      [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' '),
    );
    expect(labels).toEqual(bands.map((b) => b.label));
  });

  it('emphasises by hatch, outline and a legend in words, not colour alone', () => {
    const svg = durationBars(bands, options);
    const emphasised = svg.querySelector('.band.emphasised .bar')!;
    const plain = svg.querySelector('.band:not(.emphasised) .bar')!;
    expect(emphasised.getAttribute('fill')).toMatch(/^url\(#.+-hatch\)$/);
    expect(emphasised.getAttribute('stroke')).toBe('#0b0c0c');
    expect(plain.getAttribute('stroke')).toBeNull();
    expect(svg.querySelector('pattern line')).not.toBeNull();
    expect(svg.querySelector('.legend text')!.textContent).toBe('Plans open 18 months or more');
    expect(svg.querySelectorAll('.band.emphasised')).toHaveLength(2);
  });

  it('has only whole-number ticks for small counts, and no NaN anywhere', () => {
    const small = durationBars(
      [
        { band: 'a', label: 'A', count: 2 },
        { band: 'b', label: 'B', count: 'c' },
      ],
      { title: 'Small' },
    );
    const ticks = [...small.querySelectorAll('.y-axis .tick text')].map((t) => t.textContent);
    expect(ticks.every((t) => /^\d+$/.test(t ?? ''))).toBe(true);
    expectNoBadNumbers(small);
    expectNoBadNumbers(durationBars(bands, options));
    expectNoBadNumbers(durationBars([], { title: 'Empty' }));
    expectNoBadNumbers(
      durationBars(
        bands.map((b) => ({ ...b, count: 'c' })),
        { ...options, title: 'All suppressed' },
      ),
    );
    expectIdsResolve(durationBars(bands, options));
  });
});
