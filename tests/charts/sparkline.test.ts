// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { sparkline } from '../../client/charts/sparkline.ts';
import { expectNoBadNumbers, expectSvgSnapshot } from './snapshot.ts';

const values = [12, 14, 13, 17, 16, 19, 18, 21];
const dated = [
  { date: '2024-03-31', value: 40.1 },
  { date: '2024-06-30', value: 42.3 },
  { date: '2024-09-30', value: null },
  { date: '2024-12-31', value: 39.8 },
  { date: '2025-03-31', value: 44.0 },
];

describe('sparkline', () => {
  it('matches the snapshot for plain numbers', () => {
    expectSvgSnapshot(sparkline(values), 'sparkline-values');
  });

  it('matches the snapshot for dated values with a gap', () => {
    expectSvgSnapshot(sparkline(dated, { width: 100, height: 20 }), 'sparkline-dated');
  });

  it('is 80 by 16, hidden from assistive technology, with the last point marked', () => {
    const svg = sparkline(values);
    expect(svg.getAttribute('width')).toBe('80');
    expect(svg.getAttribute('height')).toBe('16');
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect(svg.getAttribute('role')).toBeNull();
    const last = svg.querySelectorAll('.sparkline-last');
    expect(last).toHaveLength(1);
    expect(Number(last[0]!.getAttribute('cx'))).toBeCloseTo(77.5);
    // The highest value is the last, so its marker is at the top inset.
    expect(Number(last[0]!.getAttribute('cy'))).toBeCloseTo(2.5);
  });

  it('breaks the line at a null and spaces dated values by date', () => {
    const svg = sparkline(dated);
    expect(svg.querySelector('path')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('uses a shared domain when given, and puts no NaN in any attribute for edge cases', () => {
    expectNoBadNumbers(sparkline(values, { domain: [0, 100] }));
    for (const input of [[], [5], [3, 3, 3], [null, 4, null]]) {
      const svg = sparkline(input);
      expectNoBadNumbers(svg);
    }
    expect(sparkline([]).querySelector('.sparkline-last')).toBeNull();
    expect(sparkline([null, 4, null]).querySelectorAll('.sparkline-last')).toHaveLength(1);
  });
});
