import type { FixtureTables } from '../support/fixtureWarehouse.ts';

/**
 * Hand-built fixture for CP plans open at an as-at date (METRICS.md §1, §3).
 * Period 2025-01-01 to 2025-03-31, so the as-at date is 2025-03-31.
 *
 * child  plan(s)                                  open at 2025-03-31?          initial  latest
 * A      2024-06-01 → (open)                      yes                          NEG      NEG
 * B      2024-01-01 → 2025-03-31                  no: ended on the as-at date   NEG      NEG
 * C      2025-03-31 → (open)                      yes: starts on the as-at date PHY      NEG
 * D      2025-04-01 → (open)                      no: starts after              NEG      NEG
 * E      2024-02-01 → 2024-05-01, and             no                           NEG      NEG
 *        2024-09-01 → (open)                      yes (one child, two plans)    EMO      EMO
 * F      2023-01-01 → 2025-04-01                  yes: ends after               MUL      MUL
 * G      2025-02-01 → (open), unborn (no DOB)     yes                          NEG      NEG
 * H      2024-12-01 → 2025-03-30                  no                           NEG      NEG
 *
 * cp_open = A, C, E, F, G = 5 children
 * cp_open_neglect_initial = A, G = 2 (F is MUL: "never counted as neglect")
 * cp_open_neglect_latest = A, C, G = 3
 *
 * Population: mid-2023 10,000, mid-2024 20,000, mid-2025 30,000. 30 June 2025 is after the as-at
 * date, so mid-2024 applies: 20,000 children.
 * cp_open_rate_per_10k = 5 / 20,000 × 10,000 = 2.5; neglect initial 2 → 1.0; latest 3 → 1.5.
 *
 * Quarter ends for the trend, period 2024-10-01 to 2025-03-31:
 *   2024-12-31: NEG A, B, H = 3; PHY 0; EMO E = 1; SAB 0; MUL F = 1
 *   2025-03-31: NEG A, G = 2;    PHY C = 1; EMO E = 1; SAB 0; MUL F = 1
 */
export const cpOpenFixture: FixtureTables = {
  'children.csv': [
    { child_id: 'A', birth_date: '2021-05-01', sex: 'M', ethnicity: 'WBRI' },
    { child_id: 'B', birth_date: '2015-01-20', sex: 'F', ethnicity: 'MWBC' },
    { child_id: 'C', birth_date: '2012-11-02', sex: 'F', ethnicity: 'BAFR' },
    { child_id: 'D', birth_date: '2019-03-03', sex: 'M', ethnicity: 'WBRI' },
    { child_id: 'E', birth_date: '2010-07-07', sex: 'M', ethnicity: 'APKN' },
    { child_id: 'F', birth_date: '2008-02-29', sex: 'F', ethnicity: 'WOTH' },
    { child_id: 'G', expected_birth_date: '2025-06-01', sex: 'U', ethnicity: 'NOBT' },
    { child_id: 'H', birth_date: '2023-12-25', sex: 'M', ethnicity: 'MWAS' },
  ],
  'cp_plans.csv': [
    {
      plan_id: 'P-A',
      child_id: 'A',
      start_date: '2024-06-01',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    },
    {
      plan_id: 'P-B',
      child_id: 'B',
      start_date: '2024-01-01',
      end_date: '2025-03-31',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    },
    {
      plan_id: 'P-C',
      child_id: 'C',
      start_date: '2025-03-31',
      initial_category: 'PHY',
      latest_category: 'NEG',
      previous_plans: 0,
    },
    {
      plan_id: 'P-D',
      child_id: 'D',
      start_date: '2025-04-01',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    },
    {
      plan_id: 'P-E1',
      child_id: 'E',
      start_date: '2024-02-01',
      end_date: '2024-05-01',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    },
    {
      plan_id: 'P-E2',
      child_id: 'E',
      start_date: '2024-09-01',
      initial_category: 'EMO',
      latest_category: 'EMO',
      previous_plans: 1,
    },
    {
      plan_id: 'P-F',
      child_id: 'F',
      start_date: '2023-01-01',
      end_date: '2025-04-01',
      initial_category: 'MUL',
      latest_category: 'MUL',
      previous_plans: 0,
    },
    {
      plan_id: 'P-G',
      child_id: 'G',
      start_date: '2025-02-01',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    },
    {
      plan_id: 'P-H',
      child_id: 'H',
      start_date: '2024-12-01',
      end_date: '2025-03-30',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    },
  ],
  'population.csv': [
    { year: 2023, dimension: 'all', group: 'all', count: 10000 },
    { year: 2024, dimension: 'all', group: 'all', count: 20000 },
    { year: 2025, dimension: 'all', group: 'all', count: 30000 },
  ],
};
