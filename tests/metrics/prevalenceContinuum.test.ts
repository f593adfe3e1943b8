import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §3 across the continuum, on a hand-built fixture. Period 2025-01-01 to 2025-03-31
 * (as-at 2025-03-31); population mid-2024 = 10,000 children.
 *
 * Early help ("eh_children — children with an EH episode overlapping the period"; neglect = "the
 * extract's neglect flag, or factor 16A among its factors"):
 *   P1 2024-05-01 → 2025-01-01, flag N, factors 16A: overlaps (ends on `from`), neglect
 *   P2 2024-01-01 → 2024-12-31, flag Y: ends before the period, not counted
 *   P3 2025-03-31 → open, flag N: overlaps (starts on `to`), not neglect
 *   P4 2025-02-01 → 2025-02-28, flag Y: overlaps, neglect
 *   eh_children = P1, P3, P4 = 3; eh_children_neglect = P1, P4 = 2
 * CIN ("a CIN episode overlapping the period that contains a 16A assessment authorised on or before
 * `to`"):
 *   P1 referral 2025-02-01 (open), assessment authorised 2025-03-01 with 16A: signal
 *   P5 referral 2024-11-01 (open), assessment authorised 2024-12-10 with 16A;2B: signal
 *   P6 referral 2025-01-10 → 2025-02-10, 16A assessment authorised 2025-04-05 (after `to`): no
 *   P7 referral 2024-06-01 → 2024-12-31 (before the period), 16A assessment: no
 *   P9 referral 2024-02-01 → 2024-06-30 (before the period) with a 16A assessment authorised
 *      2024-03-01: no; P9's referral 2025-02-20 (open) has no assessment: no
 * CP ("a CP plan overlapping the period with initial or latest category NEG"):
 *   P8 2024-10-01 → 2025-01-15, PHY then NEG: signal (latest NEG); not open at the as-at date
 *   P5 2025-02-15 → open, EMO/EMO: no signal (but see hidden neglect)
 *   P9 2025-03-01 → open, PHY/PHY
 *   P10 2025-01-20 → open, NEG/NEG, an unborn child (no birth date): signal
 *   P11 2024-01-01 → open, MUL/MUL: "MUL ... is never counted as neglect"
 * neglect_any_stage_children = P1, P4, P5, P8, P10 = 5, rate 5 / 10,000 × 10,000 = 5.0
 * neglect_highest_stage: cp = P8, P10 = 2; cin = P1 (EH and CIN), P5 = 2; early_help = P4 = 1
 * cp_open at 2025-03-31 = P5, P9, P10, P11 = 4 (rate 4.0); neglect initial = latest = P10 = 1 (1.0)
 * cp_starts (in the period) = P5, P9, P10 = 3; cp_starts_neglect_initial = P10 = 1
 * assessments_completed (authorised in the period) = P1's = 1; assessments_neglect = 1
 * cp_open_hidden_neglect ("open at the as-at date, initial and latest both in PHY, EMO, SAB, and an
 * assessment with 16A authorised in the 365 days up to and including that plan's start date"):
 *   P5: EMO/EMO from 2025-02-15; 16A authorised 2024-12-10, inside 2024-02-17 … 2025-02-15: yes
 *   P9: PHY/PHY from 2025-03-01; 16A authorised 2024-03-01, 365 days before the start (29 Feb
 *       2024 lies between), one day outside 2024-03-02 … 2025-03-01: no
 *   = 1
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    'children.csv': [{ child_id: 'P10', expected_birth_date: '2025-05-01', sex: 'U', ethnicity: 'NOBT' }],
    'early_help.csv': [
      {
        episode_id: 'E1',
        child_id: 'P1',
        start_date: '2024-05-01',
        end_date: '2025-01-01',
        neglect: 'N',
        factors: '16A',
        closure_reason: 'stepped_up',
      },
      {
        episode_id: 'E2',
        child_id: 'P2',
        start_date: '2024-01-01',
        end_date: '2024-12-31',
        neglect: 'Y',
        closure_reason: 'needs_met',
      },
      { episode_id: 'E3', child_id: 'P3', start_date: '2025-03-31', neglect: 'N' },
      {
        episode_id: 'E4',
        child_id: 'P4',
        start_date: '2025-02-01',
        end_date: '2025-02-28',
        neglect: 'Y',
        closure_reason: 'disengaged',
      },
    ],
    'referrals.csv': [
      { referral_id: 'F1', child_id: 'P1', referral_date: '2025-02-01', nfa: 'N' },
      { referral_id: 'F5', child_id: 'P5', referral_date: '2024-11-01', nfa: 'N' },
      { referral_id: 'F6', child_id: 'P6', referral_date: '2025-01-10', closure_date: '2025-02-10', nfa: 'N' },
      { referral_id: 'F7', child_id: 'P7', referral_date: '2024-06-01', closure_date: '2024-12-31', nfa: 'N' },
      { referral_id: 'F9', child_id: 'P9', referral_date: '2024-02-01', closure_date: '2024-06-30', nfa: 'N' },
      { referral_id: 'F9b', child_id: 'P9', referral_date: '2025-02-20', nfa: 'N' },
    ],
    'assessments.csv': [
      {
        assessment_id: 'A1',
        referral_id: 'F1',
        child_id: 'P1',
        start_date: '2025-02-02',
        authorisation_date: '2025-03-01',
        factors: '16A',
      },
      {
        assessment_id: 'A5',
        referral_id: 'F5',
        child_id: 'P5',
        start_date: '2024-11-05',
        authorisation_date: '2024-12-10',
        factors: '16A;2B',
      },
      {
        assessment_id: 'A6',
        referral_id: 'F6',
        child_id: 'P6',
        start_date: '2025-01-12',
        authorisation_date: '2025-04-05',
        factors: '16A',
      },
      {
        assessment_id: 'A7',
        referral_id: 'F7',
        child_id: 'P7',
        start_date: '2024-06-02',
        authorisation_date: '2024-07-01',
        factors: '16A',
      },
      {
        assessment_id: 'A9',
        referral_id: 'F9',
        child_id: 'P9',
        start_date: '2024-02-02',
        authorisation_date: '2024-03-01',
        factors: '16A',
      },
    ],
    'cp_plans.csv': [
      {
        plan_id: 'C8',
        child_id: 'P8',
        start_date: '2024-10-01',
        end_date: '2025-01-15',
        initial_category: 'PHY',
        latest_category: 'NEG',
      },
      {
        plan_id: 'C5',
        referral_id: 'F5',
        child_id: 'P5',
        start_date: '2025-02-15',
        initial_category: 'EMO',
        latest_category: 'EMO',
      },
      {
        plan_id: 'C9',
        referral_id: 'F9b',
        child_id: 'P9',
        start_date: '2025-03-01',
        initial_category: 'PHY',
        latest_category: 'PHY',
      },
      { plan_id: 'C10', child_id: 'P10', start_date: '2025-01-20', initial_category: 'NEG', latest_category: 'NEG' },
      { plan_id: 'C11', child_id: 'P11', start_date: '2024-01-01', initial_category: 'MUL', latest_category: 'MUL' },
    ],
    'population.csv': [{ year: 2024, dimension: 'all', group: 'all', count: 10000 }],
  });
});
afterAll(() => fixture.dispose());

const quarter = { from: '2025-01-01', to: '2025-03-31' };

describe('METRICS.md §3 prevalence across early help, CIN and CP', () => {
  it('counts early help children and those showing neglect', async () => {
    const { prevalence } = await computeMetricsPack(fixture.warehouse, quarter);
    expect(prevalence).toMatchObject({ eh_children: 3, eh_children_neglect: 2 });
  });

  it('counts neglect at any stage, split by the highest stage', async () => {
    const { prevalence } = await computeMetricsPack(fixture.warehouse, quarter);
    expect(prevalence['neglect_any_stage_children']).toBe(5);
    expect(prevalence['neglect_any_stage_children_rate_per_10k']).toBeCloseTo(5.0, 9);
    expect(prevalence['neglect_highest_stage']).toEqual({ cp: 2, cin: 2, early_help: 1 });
  });

  it('counts CP plans open, starting, and assessments with factor 16A', async () => {
    const { prevalence } = await computeMetricsPack(fixture.warehouse, quarter);
    expect(prevalence).toMatchObject({
      cp_open: 4,
      cp_open_neglect_initial: 1,
      cp_open_neglect_latest: 1,
      cp_starts: 3,
      cp_starts_neglect_initial: 1,
      assessments_completed: 1,
      assessments_neglect: 1,
    });
    expect(prevalence['cp_open_rate_per_10k']).toBeCloseTo(4.0, 9);
  });

  it('finds hidden neglect within the 365 days up to and including the plan start, not a day more', async () => {
    const { prevalence } = await computeMetricsPack(fixture.warehouse, quarter);
    expect(prevalence['cp_open_hidden_neglect']).toBe(1);
  });

  it('has every §3 key', async () => {
    // The §3 keys, and the counts behind Ofsted's 2014 shares that issue 10 adds to §3 (eh_episodes,
    // eh_episodes_neglect, cin_plans, cin_plans_neglect; tests/metrics/neglectShares.test.ts).
    const { prevalence } = await computeMetricsPack(fixture.warehouse, quarter);
    expect(Object.keys(prevalence).sort()).toEqual([
      'assessments_completed',
      'assessments_neglect',
      'cin_plans',
      'cin_plans_neglect',
      'cp_open',
      'cp_open_hidden_neglect',
      'cp_open_neglect_initial',
      'cp_open_neglect_initial_rate_per_10k',
      'cp_open_neglect_latest',
      'cp_open_neglect_latest_rate_per_10k',
      'cp_open_rate_per_10k',
      'cp_starts',
      'cp_starts_neglect_initial',
      'eh_children',
      'eh_children_neglect',
      'eh_episodes',
      'eh_episodes_neglect',
      'neglect_any_stage_children',
      'neglect_any_stage_children_rate_per_10k',
      'neglect_highest_stage',
    ]);
  });
});
