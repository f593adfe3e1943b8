import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §4 Repeat, on a hand-built fixture. Period 2025-01-01 to 2025-03-31.
 *
 * CP plans (child: plan start → end, initial/latest, previous_plans):
 *   R1: P1 2020-01-01 → 2020-06-01 PHY/PHY;  P2 2025-01-15 → open NEG/NEG
 *   R2: P3 2023-03-01 → 2023-09-01 EMO/NEG;  P4 2025-02-01 → open NEG/NEG
 *   R3: P5 2025-03-31 → open NEG/NEG, previous_plans 2 (the census knows of plans we do not hold)
 *   R4: P6 2025-01-01 → open MUL/MUL (first plan; starts on the first day of the period)
 *   R5: P7 2025-01-05 → 2025-01-20 NEG/NEG;  P8 2025-02-10 → open NEG/NEG (two plans in one period)
 *   R6: P9 2025-04-01 → open NEG/NEG (after the period)
 *   R7: P10 2021-01-01 → 2023-01-15 NEG/NEG; P11 2025-01-14 → open PHY/PHY
 * cp_starts = P2, P4, P5, P6, P7, P8, P11 = 7
 * cp_starts_second_or_subsequent ("another CP plan with an earlier start date in the data, or ...
 *   previous_plans > 0") = P2 (P1), P4 (P3), P5 (previous_plans 2), P8 (P7), P11 (P10) = 5
 * cp_starts_within_2y ("most recent earlier plan ended at most 730 days before this start"):
 *   P2: 2020-06-01 → 2025-01-15 is far over 730: no
 *   P4: 2023-09-01 → 2025-02-01 = 366 (2023-09-01 → 2024-09-01 spans 29 Feb 2024) + 153 = 519: yes
 *   P5: no earlier plan in the data: no;  P8: 2025-01-20 → 2025-02-10 = 21: yes
 *   P11: 2023-01-15 → 2025-01-14 = 365 + 365 = 730 (2024-01-15 → 2025-01-14 is 365 days,
 *        29 Feb included): exactly 730: yes
 *   = 3
 * cp_starts_repeat_neglect ("of cp_starts with initial NEG, plans where the child has an earlier
 *   plan whose initial or latest category was NEG"): NEG starts P2, P4, P5, P7, P8; with an earlier
 *   NEG plan: P4 (P3's latest is NEG), P8 (P7) = 2. P2's earlier plan is PHY/PHY.
 *
 * Referrals ("rereferrals_12m — referrals where the child has another referral dated in the 365 days
 * before this one (this - 365 <= previous < this)"):
 *   R1: 2024-01-20, 2025-01-20: 366 days apart (29 Feb 2024): not a re-referral
 *   R2: 2024-02-10, 2025-02-09: 365 days apart: a re-referral (the edge)
 *   R3: 2025-03-01 NFA: counted as a referral, not a re-referral
 *   R4: 2025-01-10, 2025-03-10: the second is a re-referral, the first has no earlier one
 * referrals in the period = 5; rereferrals_12m = 2
 *
 * Early help ("eh_starts_repeat_12m — episodes where the child's previous EH episode ended in the 365
 * days before this start"):
 *   R1: 2024-03-01 → 2024-06-30, then 2025-01-10 → open: previous ended 194 days before: repeat
 *   R2: 2023-01-01 → 2023-12-31, then 2025-02-01 → 2025-03-15: 398 days: not a repeat
 *   R3: 2025-01-05 → 2025-01-31, then 2025-02-01 → open: the second is a repeat, the first not
 * eh_starts = 4; eh_starts_repeat_12m = 2
 */
const plan = (
  plan_id: string,
  child_id: string,
  start_date: string,
  end_date: string | null,
  initial: string,
  latest: string,
  previous_plans = 0,
) => ({ plan_id, child_id, start_date, end_date, initial_category: initial, latest_category: latest, previous_plans });

let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    'cp_plans.csv': [
      plan('P1', 'R1', '2020-01-01', '2020-06-01', 'PHY', 'PHY'),
      plan('P2', 'R1', '2025-01-15', null, 'NEG', 'NEG'),
      plan('P3', 'R2', '2023-03-01', '2023-09-01', 'EMO', 'NEG'),
      plan('P4', 'R2', '2025-02-01', null, 'NEG', 'NEG'),
      plan('P5', 'R3', '2025-03-31', null, 'NEG', 'NEG', 2),
      plan('P6', 'R4', '2025-01-01', null, 'MUL', 'MUL'),
      plan('P7', 'R5', '2025-01-05', '2025-01-20', 'NEG', 'NEG'),
      plan('P8', 'R5', '2025-02-10', null, 'NEG', 'NEG'),
      plan('P9', 'R6', '2025-04-01', null, 'NEG', 'NEG'),
      plan('P10', 'R7', '2021-01-01', '2023-01-15', 'NEG', 'NEG'),
      plan('P11', 'R7', '2025-01-14', null, 'PHY', 'PHY'),
    ],
    'referrals.csv': [
      { referral_id: 'F1', child_id: 'R1', referral_date: '2024-01-20', nfa: 'N' },
      { referral_id: 'F2', child_id: 'R1', referral_date: '2025-01-20', nfa: 'N' },
      { referral_id: 'F3', child_id: 'R2', referral_date: '2024-02-10', nfa: 'N' },
      { referral_id: 'F4', child_id: 'R2', referral_date: '2025-02-09', nfa: 'N' },
      { referral_id: 'F5', child_id: 'R3', referral_date: '2025-03-01', nfa: 'Y', closure_date: '2025-03-01' },
      { referral_id: 'F6', child_id: 'R4', referral_date: '2025-01-10', nfa: 'N' },
      { referral_id: 'F7', child_id: 'R4', referral_date: '2025-03-10', nfa: 'N' },
    ],
    'early_help.csv': [
      {
        episode_id: 'E1',
        child_id: 'R1',
        start_date: '2024-03-01',
        end_date: '2024-06-30',
        neglect: 'N',
        closure_reason: 'needs_met',
      },
      { episode_id: 'E2', child_id: 'R1', start_date: '2025-01-10', neglect: 'N' },
      {
        episode_id: 'E3',
        child_id: 'R2',
        start_date: '2023-01-01',
        end_date: '2023-12-31',
        neglect: 'N',
        closure_reason: 'needs_met',
      },
      {
        episode_id: 'E4',
        child_id: 'R2',
        start_date: '2025-02-01',
        end_date: '2025-03-15',
        neglect: 'N',
        closure_reason: 'disengaged',
      },
      {
        episode_id: 'E5',
        child_id: 'R3',
        start_date: '2025-01-05',
        end_date: '2025-01-31',
        neglect: 'N',
        closure_reason: 'other',
      },
      { episode_id: 'E6', child_id: 'R3', start_date: '2025-02-01', neglect: 'N' },
    ],
  });
});
afterAll(() => fixture.dispose());

describe('METRICS.md §4 repeat', () => {
  it('counts CP starts, second or subsequent (DfE), within 2 years (local) and repeat neglect', async () => {
    const { repeat } = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(repeat).toMatchObject({
      cp_starts: 7,
      cp_starts_second_or_subsequent: 5,
      cp_starts_within_2y: 3,
      cp_starts_repeat_neglect: 2,
    });
  });

  it('counts referrals and re-referrals within 365 days, the 365th day included', async () => {
    const { repeat } = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(repeat).toMatchObject({ referrals: 5, rereferrals_12m: 2 });
  });

  it('counts early help starts and repeats within 12 months of the previous episode ending', async () => {
    const { repeat } = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(repeat).toMatchObject({ eh_starts: 4, eh_starts_repeat_12m: 2 });
  });

  it('repeats the prevalence cp_starts under repeat ("cp_starts — as above")', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(pack.prevalence['cp_starts']).toBe(7);
    expect(pack.prevalence['cp_starts_neglect_initial']).toBe(5); // P2, P4, P5, P7, P8
  });

  it('METRICS.md §14 percentages: 5 of 7 starts second or subsequent, 2 of 5 referrals re-referrals', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    const percentages = pack['percentages'] as Record<string, number>;
    expect(percentages['cp_starts_second_or_subsequent_pct']).toBeCloseTo((5 / 7) * 100, 9);
    expect(percentages['rereferrals_12m_pct']).toBeCloseTo(40, 9);
  });
});
