import { describe, expect, it } from 'vitest';
import { calendar } from '../../metrics/calendar.ts';

describe('calendar of periods (METRICS.md §1: quarters 1 Jan–31 Mar, …; reporting year 1 Apr–31 Mar)', () => {
  it('lists the quarters ending within the range, oldest first', () => {
    expect(calendar('quarter', '2024-10-01', '2025-03-31')).toEqual([
      { from: '2024-10-01', to: '2024-12-31' },
      { from: '2025-01-01', to: '2025-03-31' },
    ]);
  });

  it('includes a quarter that ends in range but starts before it, and leaves out one that ends after', () => {
    expect(calendar('quarter', '2024-11-15', '2025-05-01')).toEqual([
      { from: '2024-10-01', to: '2024-12-31' },
      { from: '2025-01-01', to: '2025-03-31' },
    ]);
  });

  it('lists DfE reporting years ending 31 March', () => {
    expect(calendar('year', '2022-04-01', '2025-03-31')).toEqual([
      { from: '2022-04-01', to: '2023-03-31' },
      { from: '2023-04-01', to: '2024-03-31' },
      { from: '2024-04-01', to: '2025-03-31' },
    ]);
    expect(calendar('year', '2024-02-29', '2025-03-30')).toEqual([{ from: '2023-04-01', to: '2024-03-31' }]);
  });
});
