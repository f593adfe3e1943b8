import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDates, isRealDate } from '../../metrics/contract/dates.ts';
import { figureAt, valueAtPath } from '../../metrics/contract/figurePath.ts';
import {
  periodsEndingBetween,
  previousQuarter,
  quarterLabel,
  quarterOf,
  quartersBetween,
  quartersInside,
} from '../../metrics/contract/quarters.ts';

describe('metrics/contract: the code the server and the client share', () => {
  it('imports nothing outside its own folder, so the client can bundle it', () => {
    const dir = join(import.meta.dirname, '../../metrics/contract');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const source of imports) expect(source, `${file} imports ${source}`).toMatch(/^\.\/[A-Za-z]+\.ts$/);
    }
  });

  it('takes only real days written YYYY-MM-DD', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '31/03/2026', '']) {
      expect(isRealDate(bad), bad).toBe(false);
    }
  });

  it('compares dates as days and refuses what is not one', () => {
    expect(compareDates('2026-03-31', '2026-04-01')).toBeLessThan(0);
    expect(compareDates('2026-03-31', '2026-03-31')).toBe(0);
    expect(() => compareDates('2026-13-01', '2026-01-01')).toThrow(RangeError);
  });

  it('finds a figure by its path, deep or missing', () => {
    const pack = { prevalence: { cp_open: 12 }, drift: { cp_open_by_duration: { '2y_plus': 'c' } } };
    expect(figureAt(pack, 'prevalence.cp_open')).toBe(12);
    expect(figureAt(pack, 'drift.cp_open_by_duration.2y_plus')).toBe('c');
    expect(figureAt(pack, 'drift.cp_open_by_duration')).toBeNull();
    expect(figureAt(pack, 'repeat.cp_starts')).toBeNull();
    expect(valueAtPath(pack, 'prevalence.cp_open.deeper')).toBeUndefined();
  });

  it('names quarters and finds the one a date is in, and the one before', () => {
    expect(quarterOf('2026-02-14')).toEqual({ from: '2026-01-01', to: '2026-03-31', label: 'Jan–Mar 2026' });
    expect(quarterLabel({ from: '2025-10-01', to: '2025-12-31' })).toBe('Oct–Dec 2025');
    expect(previousQuarter({ from: '2026-01-01', to: '2026-03-31' })).toMatchObject({
      from: '2025-10-01',
      to: '2025-12-31',
    });
  });

  it('lists quarter and reporting-year ends between two dates', () => {
    expect(periodsEndingBetween('quarter', '2025-05-01', '2025-12-31').map((p) => p.to)).toEqual([
      '2025-06-30',
      '2025-09-30',
      '2025-12-31',
    ]);
    expect(periodsEndingBetween('year', '2023-04-01', '2025-06-30')).toEqual([
      { from: '2023-04-01', to: '2024-03-31' },
      { from: '2024-04-01', to: '2025-03-31' },
    ]);
    expect(quartersBetween('2025-05-20', '2025-12-31').map((q) => q.label)).toEqual([
      'Oct–Dec 2025',
      'Jul–Sep 2025',
      'Apr–Jun 2025',
    ]);
  });

  it('offers only quarters wholly inside the data: none the data starts or ends part-way through', () => {
    expect(quartersInside('2012-02-03', '2013-01-15').map((q) => q.label)).toEqual([
      'Oct–Dec 2012',
      'Jul–Sep 2012',
      'Apr–Jun 2012',
    ]);
    expect(quartersInside('2012-01-01', '2012-03-31').map((q) => q.label)).toEqual(['Jan–Mar 2012']);
    expect(quartersInside('2012-01-02', '2012-03-31')).toEqual([]);
  });
});
