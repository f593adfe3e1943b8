import { describe, expect, it } from 'vitest';
import { agencyBreakdowns } from '../../metrics/agencyBreakdowns.ts';
import type { MetricsPack } from '../../metrics/contract/types.ts';
import { suppressPack } from '../../metrics/suppression.ts';

/** The parts of a §8 object the agency section reads: §4 totals and the §12 splits. */
function pack(to: string, referrals: number, bySource: Record<string, number>, leadAgencies: Record<string, number>) {
  const ehStarts = Object.values(leadAgencies).reduce((a, b) => a + b, 0);
  return {
    period: { from: `${to.slice(0, 4)}-01-01`, to },
    population: { year: 2024, children_0_17: 60000, source: 'ons' },
    prevalence: {},
    repeat: { referrals, eh_starts: ehStarts },
    drift: {},
    percentages: {},
    strategy: { referrals_by_source: bySource, eh_starts_by_lead_agency: leadAgencies },
    disproportionality: {},
    denominators: {},
    suppressed: false,
  } as unknown as MetricsPack;
}

const sources = (police: number, schools: number, health: number, unknown: number) => ({
  individual: 0,
  schools,
  education_services: 0,
  health,
  housing: 0,
  la_services: 0,
  police,
  other_legal_agency: 0,
  other: 0,
  anonymous: 0,
  unknown,
});

describe('who refers children and who leads early help (METRICS.md §12)', () => {
  // Quarter 1: 200 referrals, police 80 (40.0%), schools 60 (30.0%), health 50 (25.0%), unknown 10.
  // Quarter 2: 100 referrals, police 3, schools 45, health 40, unknown 12: police 3 is a count of
  // 1 to 5, so for a board it is c (§7), and its share is c too; the split's total (referrals) is
  // shown, so "the smallest other non-zero cell" is hidden second: unknown, 12.
  // Lead agencies in quarter 2: not recorded 2 is c, and the only other cell, school 20, follows it
  // (the total, eh_starts 22, is shown). A split's "not recorded" is treated as any other cell.
  // Year: 300 referrals: police 83 (27.7%), schools 105 (35.0%), health 90 (30.0%).
  const quarters = [
    pack('2025-03-31', 200, sources(80, 60, 50, 10), { school: 12, 'health visiting': 8 }),
    pack('2025-06-30', 100, sources(3, 45, 40, 12), { school: 20, 'not recorded': 2 }),
  ];
  const year = pack('2025-06-30', 300, sources(83, 105, 90, 22), {
    school: 32,
    'health visiting': 8,
    'not recorded': 2,
  });

  it('gives each quarter its cells and total, and reads the year in words', () => {
    const agencies = agencyBreakdowns(quarters, year);
    expect(agencies.referralSources.map((p) => [p.period_to, p.total, p.cells['police']])).toEqual([
      ['2025-03-31', 200, 80],
      ['2025-06-30', 100, 3],
    ]);
    expect(agencies.leadAgencies[1]!.cells).toEqual({ school: 20, 'not recorded': 2 });
    expect(agencies.reading).toBe(
      'So far this reporting year the largest sources of referrals were schools 35.0%, health services 30.0% and police 27.7%. ' +
        'Early help was led most often by school (32 starts).',
    );
  });

  it('follows the board suppression of the pack: a hidden cell, and the one hidden after it', () => {
    const agencies = agencyBreakdowns(
      quarters.map((q) => suppressPack(q)),
      suppressPack(year),
    );
    const board = agencies.referralSources[1]!;
    expect(board.cells['police']).toBe('c');
    expect(board.cells['unknown']).toBe('c');
    expect(board.cells['schools']).toBe(45);
    expect(agencies.leadAgencies[1]!.cells).toEqual({ school: 'c', 'not recorded': 'c' });
  });
});
