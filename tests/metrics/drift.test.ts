import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §5 Drift and delay, on hand-built fixtures. Period 2025-01-01 to 2025-03-31.
 *
 * Durations of plans open at 2025-03-31 ("days from plan start to the as-at date: le_3m ≤ 91, 3_6m
 * 92–182, 6_12m 183–364, 1_2y 365–729, 2y_plus ≥ 730"):
 *   D1 from 2024-12-30:  91 → le_3m            D2 from 2024-12-29:  92 → 3_6m
 *   D3 from 2024-09-30: 182 → 3_6m             D4 from 2024-03-31: 365 → 1_2y
 *   D5 from 2023-04-01: 366 (29 Feb 2024) + 364 = 730 → 2y_plus
 *   D6 from 2023-09-30: 366 + 182 = 548 → 1_2y   D7 from 2023-10-01: 366 + 181 = 547 → 1_2y
 *   D8 from 2023-10-02: 546 → 1_2y
 *   D9 two open plans, from 2024-06-01 and 2025-01-10: placed by the earlier, 303 days → 6_12m
 *   cp_open_by_duration = { le_3m 1, 3_6m 2, 6_12m 1, 1_2y 4, 2y_plus 1 } (9 children)
 *   cp_open_18m_plus ("plans open at the as-at date with at least 547 days since start") = D5, D6, D7 = 3
 * Plans ending in the period ("same bands on end - start"):
 *   D10 2025-01-01 → 2025-02-15: 45 → le_3m;  D12 2024-07-01 → 2025-01-02: 185 → 6_12m
 *   D11 2022-02-28 → 2025-03-01: 730 + 367 = 1097 → 2y_plus
 *   cp_ended_by_duration = { le_3m 1, 3_6m 0, 6_12m 1, 1_2y 0, 2y_plus 1 }
 *
 * Timeliness ("working days between a and b: days x with a < x <= b that are Monday–Friday and not
 * an England bank holiday"; 25 and 26 December 2024 and 1 January 2025 are bank holidays):
 *   A1 started Fri 2024-11-22, authorised Wed 2025-01-29: 25–29 Nov 5, 2–20 Dec 15 (20), 23–24 Dec
 *      2 (22), 27 Dec 1 (23), 30–31 Dec 2 (25), 2–3 Jan 2 (27), 6–24 Jan 15 (42), 27–29 Jan 3 = 45:
 *      within 45 (it would be 48 without the three bank holidays)
 *   A2 started 2024-11-22, authorised Thu 2025-01-30: 46: not within
 *   A3 started Sat 2025-02-01, authorised Mon 2025-02-03: 1 (Sunday is no working day): within
 *   A4 authorised 2025-04-01: outside the period
 *   assessments_completed = 3, assessments_within_45wd = 2
 *   S1 started Thu 2025-01-02, conference Thu 2025-01-23: 3 Jan 1, 6–10 Jan 5, 13–17 Jan 5,
 *      20–23 Jan 4 = 15: within;  S2 same start, conference 2025-01-24: 16: not within
 *   S3 started Fri 2024-12-20, conference Fri 2025-01-10: 23–24 Dec 2, 27 Dec 1, 30–31 Dec 2,
 *      2–3 Jan 2, 6–10 Jan 5 = 12: within
 *   S4 no conference (not required): not counted
 *   icpcs = 3, icpcs_within_15wd = 2
 */
let durations: FixtureWarehouse;
const plan = (child_id: string, start_date: string, end_date: string | null = null, initial = 'PHY') => ({
  plan_id: `${child_id}-${start_date}`,
  child_id,
  start_date,
  end_date,
  initial_category: initial,
  latest_category: initial,
  previous_plans: 0,
});

beforeAll(async () => {
  durations = await fixtureWarehouse({
    'cp_plans.csv': [
      plan('D1', '2024-12-30'),
      plan('D2', '2024-12-29'),
      plan('D3', '2024-09-30'),
      plan('D4', '2024-03-31'),
      plan('D5', '2023-04-01'),
      plan('D6', '2023-09-30'),
      plan('D7', '2023-10-01'),
      plan('D8', '2023-10-02'),
      plan('D9', '2024-06-01'),
      plan('D9', '2025-01-10'),
      plan('D10', '2025-01-01', '2025-02-15'),
      plan('D11', '2022-02-28', '2025-03-01'),
      plan('D12', '2024-07-01', '2025-01-02'),
    ],
    'assessments.csv': [
      {
        assessment_id: 'A1',
        child_id: 'T1',
        start_date: '2024-11-22',
        authorisation_date: '2025-01-29',
        factors: '2B',
      },
      { assessment_id: 'A2', child_id: 'T2', start_date: '2024-11-22', authorisation_date: '2025-01-30' },
      {
        assessment_id: 'A3',
        child_id: 'T3',
        start_date: '2025-02-01',
        authorisation_date: '2025-02-03',
        factors: '16A',
      },
      { assessment_id: 'A4', child_id: 'T4', start_date: '2025-03-01', authorisation_date: '2025-04-01' },
    ],
    'section47.csv': [
      { s47_id: 'S1', child_id: 'T1', start_date: '2025-01-02', icpc_date: '2025-01-23', icpc_not_required: 'N' },
      { s47_id: 'S2', child_id: 'T2', start_date: '2025-01-02', icpc_date: '2025-01-24', icpc_not_required: 'N' },
      { s47_id: 'S3', child_id: 'T3', start_date: '2024-12-20', icpc_date: '2025-01-10', icpc_not_required: 'N' },
      { s47_id: 'S4', child_id: 'T4', start_date: '2025-02-03', icpc_not_required: 'Y' },
    ],
  });
});
afterAll(() => durations.dispose());

const quarter = { from: '2025-01-01', to: '2025-03-31' };

describe('METRICS.md §5 plan durations', () => {
  it('bands children on open plans by days since the plan started, edges included', async () => {
    const { drift } = await computeMetricsPack(durations.warehouse, quarter);
    expect(drift['cp_open_by_duration']).toEqual({ le_3m: 1, '3_6m': 2, '6_12m': 1, '1_2y': 4, '2y_plus': 1 });
    expect(drift['cp_open_18m_plus']).toBe(3);
  });

  it('bands plans that ended in the period by their length', async () => {
    const { drift } = await computeMetricsPack(durations.warehouse, quarter);
    expect(drift['cp_ended_by_duration']).toEqual({ le_3m: 1, '3_6m': 0, '6_12m': 1, '1_2y': 0, '2y_plus': 1 });
  });
});

describe('METRICS.md §14 percentages on the duration fixture', () => {
  it('2 years or more: 1 of 9 open; assessments in time 2 of 3; conferences in time 2 of 3', async () => {
    const pack = await computeMetricsPack(durations.warehouse, quarter);
    const percentages = pack['percentages'] as Record<string, number | null>;
    expect(percentages['cp_open_2y_plus_pct']).toBeCloseTo(100 / 9, 9);
    expect(percentages['assessments_within_45wd_pct']).toBeCloseTo(200 / 3, 9);
    expect(percentages['icpcs_within_15wd_pct']).toBeCloseTo(200 / 3, 9);
    expect(percentages['rereferrals_12m_pct']).toBeNull(); // no referrals: no denominator
  });
});

describe('METRICS.md §5 timeliness in working days', () => {
  it('counts assessments within 45 working days, bank holidays excluded', async () => {
    const { drift } = await computeMetricsPack(durations.warehouse, quarter);
    expect(drift).toMatchObject({ assessments_completed: 3, assessments_within_45wd: 2 });
  });

  it('counts initial conferences within 15 working days of the Section 47 start', async () => {
    const { drift } = await computeMetricsPack(durations.warehouse, quarter);
    expect(drift).toMatchObject({ icpcs: 3, icpcs_within_15wd: 2 });
  });
});

/**
 * Stop-start ("merge every EH episode and CIN episode (open ones run to the as-at date) into spells:
 * intervals that overlap or touch (next start ≤ previous end + 1 day) join one spell. A reopening is
 * a spell that starts within 365 days after the previous spell ended. Count children with at least 2
 * reopenings starting in the 1,095 days up to the as-at date (to - 1095 < start <= to)").
 * As at 2025-03-31, to - 1095 = 2022-04-01, so reopenings must start from 2022-04-02.
 *   S1: EH 2022-06-01 → 2022-09-30; CIN 2023-01-15 → 2023-03-31 (reopening 1, 107 days);
 *       EH 2023-04-01 → 2023-06-30 touches it (same spell); CIN 2024-01-10 → open (reopening 2,
 *       194 days after 2023-06-30): 2 reopenings: counted
 *   S2: EH 2022-01-01 → 2022-03-01; EH 2022-05-01 → 2022-06-01 (reopening, 61 days);
 *       EH 2023-09-01 → 2023-10-01 (457 days after: not a reopening): 1: not counted
 *   S3: EH 2024-01-01 → 2024-02-01; EH 2024-02-03 → 2024-03-01 (starts 2 days after: a reopening);
 *       EH 2024-03-02 → open touches it; EH 2025-04-01 is after the as-at date: 1: not counted
 *   S4: EH 2021-01-01 → 2021-02-01; EH 2021-06-01 → 2021-07-01 (a reopening before the window);
 *       EH 2022-08-01 → 2022-09-01 (396 days: no); CIN 2023-05-01 → 2023-06-01 (242 days: yes): 1
 *   S5: EH 2024-01-01 → 2024-03-01; CIN 2024-06-01 → 2025-06-01 (reopening, 92 days; runs to the
 *       as-at date); EH 2025-01-01 → open overlaps it: 1: not counted
 *   S6: EH 2023-01-01 → 2023-02-01; an NFA referral 2023-06-01 → 2023-06-01; EH 2023-09-01 →
 *       2023-10-01. METRICS.md §5 (amended): "merge every EH episode and every CIN episode whose
 *       referral was not NFA (an NFA referral is a decision, not help ...)": the spells are Jan and
 *       Sep 2023, one reopening (212 days): not counted. (Before the amendment the NFA referral made
 *       a spell of its own, and reopenings on 2023-06-01 (120 days) and 2023-09-01 (92): counted.)
 *   S7: EH neglect 2023-01-01 → 2023-03-01; EH 2023-05-01 → 2023-06-01 (61 days); EH 2023-08-01 →
 *       2023-09-01 (61 days): 2 reopenings: counted
 *   S8: EH neglect 2022-04-01 → 2022-04-30; EH 2022-06-01 → 2022-07-01 (32 days, starts in the
 *       window); EH 2022-09-01 → 2022-10-01 (62 days): counted
 *   S9: EH 2024-01-01 → 2024-02-01, 2024-04-01 → 2024-05-01 (60), 2024-07-01 → 2024-08-01 (61): counted
 *   S10: EH 2023-01-01 → 2023-02-01, 2023-03-01 → 2023-04-01 (28), 2023-05-01 → 2023-06-01 (30): counted
 *   S11: the same episodes as S10: counted
 *   stop_start_children = S1, S7, S8, S9, S10, S11 = 6 (7 under the old rule, with S6)
 *
 * stop_start_children_neglect ("of those, children with a neglect signal dated in the same 1,095
 * days: an EH neglect episode start, the authorisation of a 16A assessment, or the start of a plan
 * with initial or latest category NEG"; the same 1,095 days are to - 1095 < date <= to, 2022-04-02
 * to 2025-03-31):
 *   S1: no signal: no.  S7: EH neglect episode started 2023-01-01: yes.
 *   S8: its EH neglect episode started 2022-04-01 = to - 1095, outside the window: no.
 *   S9: a 16A assessment authorised 2025-03-31, the as-at date itself: yes.
 *   S10: a plan from 2024-09-01, initial PHY, latest NEG: yes.
 *   S11: a 16A assessment authorised 2025-04-01, after the as-at date: no.
 *   stop_start_children_neglect = S7, S9, S10 = 3
 *
 * Days from first neglect signal to a neglect plan ("over CP plans starting in the period with
 * initial NEG ... the plan itself is a signal, so a plan with no earlier one counts 0 days"):
 *   M1: EH neglect episode from 2024-10-01, plan 2025-01-31: 122 days
 *   M2: CIN referral 2024-12-01 whose assessment has 16A, plan 2025-02-01: 62 days
 *   M3: plan 2025-03-01 with no earlier signal (an EH neglect episode from 2025-03-15 is later): 0
 *   M4: an earlier plan 2022-01-01 → 2022-12-31 EMO then NEG, plan 2025-03-20. METRICS.md §5
 *       (amended): "start of an earlier plan whose *initial* category is NEG — a plan that only later
 *       became NEG gives no dated signal": the earlier plan is no signal, so 0 days (it was 1096 + 78
 *       = 1174 under the old rule, initial or latest)
 *   M5: an earlier plan 2023-10-01 → 2024-03-31 initial NEG, latest PHY (initial NEG: a signal),
 *       plan 2025-02-15: 92 (to 2024-01-01) + 366 (to 2025-01-01) + 31 + 14 = 503
 *   median (quantile_cont 0.5) of 0, 0, 62, 122, 503 = 62 (old rule: 0, 62, 122, 503, 1174 → 122)
 * With its n and quartiles, in whole days (issue 10), over the same plans: first_neglect_to_cp_n = 5;
 *   quantile_cont 0.25 at position 4 × 0.25 = 1 → 0; 0.75 at position 3 → 122.
 *   For 2025-01-01 to 2025-02-28 (M1 122, M2 62, M5 503 → 62, 122, 503): q1 at position 0.5 =
 *   (62 + 122) / 2 = 92, median 122, q3 at position 1.5 = (122 + 503) / 2 = 312.5, shown as 313
 *   (round(): half away from zero); median_days_first_neglect_to_cp stays 122, unrounded.
 *   The reporting year 2024-04-01 to 2025-03-31 has the same five plans (M5's earlier plan started
 *   before it): n 5, quartiles 0, 62, 122.
 */
let journeys: FixtureWarehouse;
beforeAll(async () => {
  const eh = (child_id: string, start_date: string, end_date: string | null = null, neglect = 'N') => ({
    episode_id: `${child_id}-${start_date}`,
    child_id,
    start_date,
    end_date,
    neglect,
    closure_reason: end_date ? 'needs_met' : null,
  });
  const cin = (child_id: string, referral_date: string, closure_date: string | null = null) => ({
    referral_id: `${child_id}-${referral_date}`,
    child_id,
    referral_date,
    closure_date,
    nfa: 'N',
  });
  journeys = await fixtureWarehouse({
    'early_help.csv': [
      eh('S1', '2022-06-01', '2022-09-30'),
      eh('S1', '2023-04-01', '2023-06-30'),
      eh('S2', '2022-01-01', '2022-03-01'),
      eh('S2', '2022-05-01', '2022-06-01'),
      eh('S2', '2023-09-01', '2023-10-01'),
      eh('S3', '2024-01-01', '2024-02-01'),
      eh('S3', '2024-02-03', '2024-03-01'),
      eh('S3', '2024-03-02'),
      eh('S3', '2025-04-01'),
      eh('S4', '2021-01-01', '2021-02-01'),
      eh('S4', '2021-06-01', '2021-07-01'),
      eh('S4', '2022-08-01', '2022-09-01'),
      eh('S5', '2024-01-01', '2024-03-01'),
      eh('S5', '2025-01-01'),
      eh('S6', '2023-01-01', '2023-02-01'),
      eh('S6', '2023-09-01', '2023-10-01'),
      eh('S7', '2023-01-01', '2023-03-01', 'Y'),
      eh('S7', '2023-05-01', '2023-06-01'),
      eh('S7', '2023-08-01', '2023-09-01'),
      eh('S8', '2022-04-01', '2022-04-30', 'Y'),
      eh('S8', '2022-06-01', '2022-07-01'),
      eh('S8', '2022-09-01', '2022-10-01'),
      eh('S9', '2024-01-01', '2024-02-01'),
      eh('S9', '2024-04-01', '2024-05-01'),
      eh('S9', '2024-07-01', '2024-08-01'),
      ...['S10', 'S11'].flatMap((child) => [
        eh(child, '2023-01-01', '2023-02-01'),
        eh(child, '2023-03-01', '2023-04-01'),
        eh(child, '2023-05-01', '2023-06-01'),
      ]),
      eh('M1', '2024-10-01', '2025-01-31', 'Y'),
      eh('M3', '2025-03-15', null, 'Y'),
    ],
    'referrals.csv': [
      cin('S1', '2023-01-15', '2023-03-31'),
      cin('S1', '2024-01-10'),
      cin('S4', '2023-05-01', '2023-06-01'),
      cin('S5', '2024-06-01', '2025-06-01'),
      cin('M2', '2024-12-01'),
      { ...cin('S6', '2023-06-01', '2023-06-01'), nfa: 'Y' },
    ],
    'assessments.csv': [
      {
        assessment_id: 'AM2',
        referral_id: 'M2-2024-12-01',
        child_id: 'M2',
        start_date: '2024-12-02',
        authorisation_date: '2025-01-10',
        factors: '16A',
      },
      {
        assessment_id: 'AS9',
        child_id: 'S9',
        start_date: '2025-03-01',
        authorisation_date: '2025-03-31',
        factors: '16A',
      },
      {
        assessment_id: 'AS11',
        child_id: 'S11',
        start_date: '2025-03-01',
        authorisation_date: '2025-04-01',
        factors: '16A',
      },
    ],
    'cp_plans.csv': [
      plan('M1', '2025-01-31', null, 'NEG'),
      plan('M2', '2025-02-01', null, 'NEG'),
      plan('M3', '2025-03-01', null, 'NEG'),
      { ...plan('M4', '2022-01-01', '2022-12-31', 'EMO'), latest_category: 'NEG' },
      plan('M4', '2025-03-20', null, 'NEG'),
      { ...plan('M5', '2023-10-01', '2024-03-31', 'NEG'), latest_category: 'PHY' },
      plan('M5', '2025-02-15', null, 'NEG'),
      { ...plan('S10', '2024-09-01', null, 'PHY'), latest_category: 'NEG' },
    ],
  });
});
afterAll(() => journeys.dispose());

describe('METRICS.md §5 stop-start and time to a neglect plan', () => {
  it('counts children with at least two reopenings in three years, NFA referrals not being help', async () => {
    const { drift } = await computeMetricsPack(journeys.warehouse, quarter);
    expect(drift['stop_start_children']).toBe(6); // S1, S7, S8, S9, S10, S11; not S6 (NFA)
  });

  it('counts the stop-start children with a neglect signal in the same 1,095 days', async () => {
    const { drift } = await computeMetricsPack(journeys.warehouse, quarter);
    expect(drift['stop_start_children_neglect']).toBe(3); // S7, S9, S10
  });

  it('gives the median days from the first neglect signal to a neglect plan, earlier plans by initial category', async () => {
    const { drift } = await computeMetricsPack(journeys.warehouse, quarter);
    expect(drift['median_days_first_neglect_to_cp']).toBe(62); // 122 under the old initial-or-latest rule
  });

  it('shows the drift with its n and quartiles in whole days, for the quarter and the reporting year', async () => {
    const { drift } = await computeMetricsPack(journeys.warehouse, quarter);
    expect(drift).toMatchObject({
      first_neglect_to_cp_n: 5,
      first_neglect_to_cp_q1_days: 0,
      first_neglect_to_cp_median_days: 62,
      first_neglect_to_cp_q3_days: 122,
    });
    const year = (await computeMetricsPack(journeys.warehouse, { from: '2024-04-01', to: '2025-03-31' })).drift;
    expect(year).toMatchObject({
      first_neglect_to_cp_n: 5,
      first_neglect_to_cp_q1_days: 0,
      first_neglect_to_cp_median_days: 62,
      first_neglect_to_cp_q3_days: 122,
    });
    const twoMonths = (await computeMetricsPack(journeys.warehouse, { from: '2025-01-01', to: '2025-02-28' })).drift;
    expect(twoMonths).toMatchObject({
      median_days_first_neglect_to_cp: 122,
      first_neglect_to_cp_n: 3,
      first_neglect_to_cp_q1_days: 92,
      first_neglect_to_cp_median_days: 122,
      first_neglect_to_cp_q3_days: 313,
    });
  });

  it('is null when no neglect plan started in the period', async () => {
    const { drift } = await computeMetricsPack(journeys.warehouse, { from: '2024-01-01', to: '2024-03-31' });
    expect(drift['median_days_first_neglect_to_cp']).toBeNull();
    expect(drift).toMatchObject({
      first_neglect_to_cp_n: 0,
      first_neglect_to_cp_q1_days: null,
      first_neglect_to_cp_q3_days: null,
    });
  });

  it('has every §5 key', async () => {
    const { drift } = await computeMetricsPack(journeys.warehouse, quarter);
    expect(Object.keys(drift).sort()).toEqual([
      'assessments_completed',
      'assessments_within_45wd',
      'cp_ended_by_duration',
      'cp_open_18m_plus',
      'cp_open_by_duration',
      'first_neglect_to_cp_median_days',
      'first_neglect_to_cp_n',
      'first_neglect_to_cp_q1_days',
      'first_neglect_to_cp_q3_days',
      'icpcs',
      'icpcs_within_15wd',
      'median_days_first_neglect_to_cp',
      'stop_start_children',
      'stop_start_children_neglect',
    ]);
  });
});
