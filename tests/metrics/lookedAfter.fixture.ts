import type { FixtureTables } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §10 Children looked after, on a hand-built fixture. Quarter 2025-01-01 to 2025-03-31
 * (as-at 31 March 2025), and the quarter before (to 31 December 2024).
 *
 * §10: "A period of care is a run of episodes, each starting on the day the one before it ended. It
 * begins at an episode whose reason for a new episode is S, or, where no reason is recorded, at the
 * run's first episode." "A run whose first episode's reason is something other than S began before
 * the data and is not a start." §1 "Open at date d: start <= d AND (end IS NULL OR end > d)".
 *
 * Episodes (child: episode start → end, reason for new episode, category of need):
 *   L1:  E1 2024-06-01 → 2025-01-10 S N1;  E2 2025-01-10 → open P N1
 *        E2 starts on the day E1 ended with a placement change (P): the same period of care, begun
 *        2024-06-01, so no start in the quarter.
 *   L2:  E3 2025-02-01 → 2025-02-20 S N2;  E4 2025-02-21 → open P N2
 *        A day's gap (21 February ≠ 20 February), but the new run starts with P: not a start. L2 is
 *        a start through E3.
 *   L3:  E5 2025-01-05 → open, no reason, N1: the run's first episode with no reason: a start.
 *   L4:  E6 2024-01-01 → 2025-03-31 S N1: ends on the as-at date, so not open at 31 March.
 *   L5:  E7 2025-03-31 → open S N3: starts on the as-at date: open, and a start.
 *   L6:  E8 2025-02-10 → open T N4: a run whose first episode's reason is T began before the data.
 *   L7:  E9 2024-10-01 → 2024-12-01 S N1; E10 2025-01-15 → 2025-02-15 no reason N1;
 *        E11 2025-02-15 → open no reason N1. E10 is the first of a new run (gap after E9), no reason:
 *        a start; E11 continues it (starts the day E10 ended): not another.
 *   L8:  E12 2025-03-01 → open S N1.
 *   L9:  E13 2024-11-01 → 2024-12-31 S N2;  E14 2025-01-02 → open P N2 (gap of a day, P: no start).
 *   L10: E15 2024-11-01 → 2024-12-31 S N5;  E16 2025-01-02 → open S N5 (gap of a day, S: a start).
 *
 * CP plans for lac_from_neglect_plan ("of lac_starts, children who had a CP plan with initial or latest
 * category NEG that was open on the day before care began, or that ended in the 365 days before it
 * (care start − 365 <= end < care start)"):
 *   L2 (care 2025-02-01): NEG/NEG 2024-09-01 → 2025-02-01: open on 31 January (ends on care start): yes
 *   L3 (care 2025-01-05): NEG/NEG 2023-06-01 → 2024-01-06 = care start − 365 (2024 has 29 February): yes
 *   L7 (care 2025-01-15): NEG/NEG 2023-06-01 → 2024-01-15 = care start − 366: no
 *   L5 (care 2025-03-31): PHY initial, NEG latest, 2025-01-20 → open: open the day before, latest NEG: yes
 *   L8 (care 2025-03-01): NEG/NEG 2025-03-01 → open: starts on the day care began, not open the day
 *        before: no
 *   L10 (care 2025-01-02): EMO/EMO 2024-06-01 → 2024-12-03: 30 days before, but not neglect: no
 *
 * Quarter to 31 March 2025:
 *   lac_open ("children with a care episode open at the as-at date") = L1 (E2), L2 (E4), L3, L5, L6,
 *     L7 (E11), L8, L9 (E14), L10 (E16) = 9; not L4 (ended on 31 March).
 *   lac_open_rate_per_10k = 9 / 20,000 × 10,000 = 4.5 (population.csv: 20,000 children, mid-2024).
 *   lac_open_n1 ("of lac_open, children whose open episode's category of need is N1") = L1, L3, L7,
 *     L8 = 4.
 *   lac_starts ("children with a period of care starting in the period") = L2 (E3), L3 (E5), L5 (E7),
 *     L7 (E10), L8 (E12), L10 (E16) = 6.
 *   lac_starts_n1 ("of lac_starts, children whose first episode's category of need is N1") = L3, L7,
 *     L8 = 3.
 *   lac_from_neglect_plan = L2, L3, L5 = 3.
 * Quarter to 31 December 2024:
 *   lac_open = L1 (E1), L4 (E6) = 2, both N1; L9 and L10's E13 and E15 ended on 31 December: not open.
 *   lac_starts = L7 (E9 2024-10-01), L9 (E13), L10 (E15) = 3; lac_starts_n1 = L7 = 1.
 *   lac_from_neglect_plan = L7: P3 ended 2024-01-15, 260 days before E9 began on 2024-10-01 (the same
 *   plan is 366 days before L7's next period of care, from E10 on 2025-01-15, which it does not reach).
 */
const episode = (
  episode_id: string,
  child_id: string,
  start_date: string,
  end_date: string | null,
  reason_new_episode: string | null,
  category_of_need: string,
) => ({ episode_id, child_id, start_date, end_date, reason_new_episode, category_of_need, legal_status: 'C2' });

const plan = (
  plan_id: string,
  child_id: string,
  start: string,
  end: string | null,
  initial: string,
  latest: string,
) => ({
  plan_id,
  child_id,
  start_date: start,
  end_date: end,
  initial_category: initial,
  latest_category: latest,
  previous_plans: 0,
});

export const lookedAfterFixture: FixtureTables = {
  'looked_after.csv': [
    episode('E1', 'L1', '2024-06-01', '2025-01-10', 'S', 'N1'),
    episode('E2', 'L1', '2025-01-10', null, 'P', 'N1'),
    episode('E3', 'L2', '2025-02-01', '2025-02-20', 'S', 'N2'),
    episode('E4', 'L2', '2025-02-21', null, 'P', 'N2'),
    episode('E5', 'L3', '2025-01-05', null, null, 'N1'),
    episode('E6', 'L4', '2024-01-01', '2025-03-31', 'S', 'N1'),
    episode('E7', 'L5', '2025-03-31', null, 'S', 'N3'),
    episode('E8', 'L6', '2025-02-10', null, 'T', 'N4'),
    episode('E9', 'L7', '2024-10-01', '2024-12-01', 'S', 'N1'),
    episode('E10', 'L7', '2025-01-15', '2025-02-15', null, 'N1'),
    episode('E11', 'L7', '2025-02-15', null, null, 'N1'),
    episode('E12', 'L8', '2025-03-01', null, 'S', 'N1'),
    episode('E13', 'L9', '2024-11-01', '2024-12-31', 'S', 'N2'),
    episode('E14', 'L9', '2025-01-02', null, 'P', 'N2'),
    episode('E15', 'L10', '2024-11-01', '2024-12-31', 'S', 'N5'),
    episode('E16', 'L10', '2025-01-02', null, 'S', 'N5'),
  ],
  'cp_plans.csv': [
    plan('P1', 'L2', '2024-09-01', '2025-02-01', 'NEG', 'NEG'),
    plan('P2', 'L3', '2023-06-01', '2024-01-06', 'NEG', 'NEG'),
    plan('P3', 'L7', '2023-06-01', '2024-01-15', 'NEG', 'NEG'),
    plan('P4', 'L5', '2025-01-20', null, 'PHY', 'NEG'),
    plan('P5', 'L8', '2025-03-01', null, 'NEG', 'NEG'),
    plan('P6', 'L10', '2024-06-01', '2024-12-03', 'EMO', 'EMO'),
  ],
  'population.csv': [{ year: 2024, dimension: 'all', group: 'all', count: 20000 }],
};
