import { describe, expect, it } from 'vitest';
import { formatMoment } from '../../client/format.ts';

describe('formatMoment: a UTC moment as a reader in England says it', () => {
  it('in winter England keeps UTC: 2 December 2026, 03:32 UTC is 03:32', () => {
    expect(formatMoment('2026-12-02T03:32:59Z')).toBe('2 December 2026 at 03:32');
  });

  it('in summer England is an hour ahead, and the day follows the time across midnight', () => {
    // 23:30 UTC on 1 July is 00:30 BST on 2 July: the day must be 2 July, as the time is.
    expect(formatMoment('2026-07-01T23:30:00Z')).toBe('2 July 2026 at 00:30');
  });
});
