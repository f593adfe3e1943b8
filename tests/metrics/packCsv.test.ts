import { describe, expect, it } from 'vitest';
import { packFiguresRows, type PackForCsv } from '../../metrics/packCsv.ts';

describe("the board pack's CSV names every figure by its path", () => {
  // METRICS.md §11: a partner value belongs to the partner's own period, which the pack states.
  const pack: PackForCsv = {
    period: { from: '2026-01-01', to: '2026-03-31' },
    previousPeriod: { from: '2025-10-01', to: '2025-12-31' },
    figures: {
      partner: [
        {
          measure: 'school_persistent_absence',
          agency: 'schools',
          unit: 'percent',
          period_start: '2026-01-05',
          period_end: '2026-03-27',
          numerator: 1810,
          denominator: 9950,
          value: 18.19,
        },
        {
          measure: 'police_da_incidents_children',
          agency: 'police',
          unit: 'count',
          period_start: '2025-10-01',
          period_end: '2025-12-31',
          numerator: 'c',
          denominator: null,
          value: 'c',
        },
      ],
    },
    previous: {},
    neglectTrend: { figure: 'prevalence.cp_open_neglect_initial_rate_per_10k', points: [] },
  };

  it('keys partner measures by measure and agency, dated by their own period', () => {
    expect(packFiguresRows(pack)).toEqual([
      ['partner.school_persistent_absence.schools.numerator', 1810, '2026-01-05', '2026-03-27'],
      ['partner.school_persistent_absence.schools.denominator', 9950, '2026-01-05', '2026-03-27'],
      ['partner.school_persistent_absence.schools.value', 18.19, '2026-01-05', '2026-03-27'],
      ['partner.police_da_incidents_children.police.numerator', 'c', '2025-10-01', '2025-12-31'],
      ['partner.police_da_incidents_children.police.denominator', null, '2025-10-01', '2025-12-31'],
      ['partner.police_da_incidents_children.police.value', 'c', '2025-10-01', '2025-12-31'],
    ]);
  });
});
