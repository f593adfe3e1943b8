import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §5 stop_start_children at its edges, beside tests/metrics/drift.test.ts's fixture:
 * "intervals that overlap or touch (next start ≤ previous end + 1 day) join one spell. A reopening
 * is a spell that starts within 365 days after the previous spell ended. Count children with at
 * least 2 reopenings starting in the 1,095 days up to the as-at date (to - 1095 < start <= to)."
 * The reopenings are found in one pass over a child's episodes (sql/derived.sql
 * stop_start_reopenings); these children hold that pass to the definition where it could slip.
 * As at 2025-03-31 the 1,095 days run from 2022-04-02. No episode carries a neglect signal.
 *   B1: 2022-05-01 → 2022-06-01; 2023-06-01 → 2023-07-01 (2022-06-01 + 365 = 2023-06-01: "within
 *       365 days", a reopening); 2024-06-30 → 2024-07-31 (2023-07-01 + 365 = 2024-06-30, 2024 being
 *       a leap year: a reopening): 2 reopenings: counted
 *   B2: 2022-05-01 → 2022-06-01; 2023-06-02 → 2023-07-01 (366 days: a new spell, not a reopening);
 *       2023-08-01 → 2023-09-01 (31 days: a reopening): 1: not counted
 *   B3: 2022-05-01 → 2023-12-31 holding 2022-06-01 → 2022-07-01 (one spell: the inner episode's
 *       earlier end does not end it); 2024-02-01 → 2024-03-01 (32 days after 2023-12-31: a
 *       reopening); 2024-04-01 → 2024-05-01 (31 days): 2: counted
 *   B4: 2023-01-01 → 2023-02-01; 2023-02-02 → 2023-03-01 (the day after: touches, one spell);
 *       2023-03-03 → 2023-04-01 (two days after: a new spell, a reopening); 2023-05-01 → open
 *       (a reopening): 2: counted
 *   B5: early help 2023-01-01 → 2023-02-01 and a CIN referral (not NFA) 2023-01-01 → 2023-06-01
 *       (the same start, the shorter first in start order: one spell to June); early help
 *       2023-03-01 → 2023-04-01 (inside it); 2023-08-01 → 2023-09-01 (61 days after 2023-06-01: a
 *       reopening): 1: not counted. (Two early help episodes of one child cannot share a start:
 *       DATA.md's key is (child, start date), and the second would be rejected.)
 *   stop_start_children = B1, B3, B4 = 3; stop_start_children_neglect = 0 (no signal)
 */
let boundaries: FixtureWarehouse;
beforeAll(async () => {
  const eh = (child_id: string, start_date: string, end_date: string | null = null) => ({
    episode_id: `${child_id}-${start_date}-${end_date ?? 'open'}`,
    child_id,
    start_date,
    end_date,
    neglect: 'N',
    closure_reason: end_date ? 'needs_met' : null,
  });
  boundaries = await fixtureWarehouse({
    'early_help.csv': [
      eh('B1', '2022-05-01', '2022-06-01'),
      eh('B1', '2023-06-01', '2023-07-01'),
      eh('B1', '2024-06-30', '2024-07-31'),
      eh('B2', '2022-05-01', '2022-06-01'),
      eh('B2', '2023-06-02', '2023-07-01'),
      eh('B2', '2023-08-01', '2023-09-01'),
      eh('B3', '2022-05-01', '2023-12-31'),
      eh('B3', '2022-06-01', '2022-07-01'),
      eh('B3', '2024-02-01', '2024-03-01'),
      eh('B3', '2024-04-01', '2024-05-01'),
      eh('B4', '2023-01-01', '2023-02-01'),
      eh('B4', '2023-02-02', '2023-03-01'),
      eh('B4', '2023-03-03', '2023-04-01'),
      eh('B4', '2023-05-01'),
      eh('B5', '2023-01-01', '2023-02-01'),
      eh('B5', '2023-03-01', '2023-04-01'),
      eh('B5', '2023-08-01', '2023-09-01'),
    ],
    'referrals.csv': [
      { referral_id: 'B5-R', child_id: 'B5', referral_date: '2023-01-01', closure_date: '2023-06-01', nfa: 'N' },
    ],
  });
});
afterAll(() => boundaries.dispose());

describe('METRICS.md §5 stop-start at its edges', () => {
  it('counts a gap of exactly 365 days as a reopening and 366 days as none; a spell holds a shorter episode', async () => {
    const { drift } = await computeMetricsPack(boundaries.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(drift['stop_start_children']).toBe(3); // B1, B3, B4
    expect(drift['stop_start_children_neglect']).toBe(0);
  });

  it('finds each child its reopenings, on the days the definition gives', async () => {
    const rows = await boundaries.warehouse.query<{ child: string; reopened: string }>(
      `SELECT i.la_child_id AS child, r.spell_start::VARCHAR AS reopened
       FROM derived_stop_start_reopenings r JOIN child_identity i USING (child_key) ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { child: 'B1', reopened: '2023-06-01' },
      { child: 'B1', reopened: '2024-06-30' },
      { child: 'B2', reopened: '2023-08-01' },
      { child: 'B3', reopened: '2024-02-01' },
      { child: 'B3', reopened: '2024-04-01' },
      { child: 'B4', reopened: '2023-03-03' },
      { child: 'B4', reopened: '2023-05-01' },
      { child: 'B5', reopened: '2023-08-01' },
    ]);
  });
});
