import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { suppressPack } from '../../metrics/suppression.ts';
import { figureTrend } from '../../metrics/trend.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * Issue 10: neglect's share of the work, for Ofsted's 2014 questions and for comparison with England.
 * Period 2025-01-01 to 2025-03-31. METRICS.md §1 "Overlaps the period: start <= to AND (end IS NULL OR
 * end >= from)"; §2 "an EH episode is flagged neglect (the extract's neglect flag, or factor 16A among
 * its factors)"; §1 "Children vs occasions": episodes and plans count records.
 *
 * eh_episodes — EH episodes overlapping the period; eh_episodes_neglect — of those, showing neglect;
 * eh_neglect_share_pct = eh_episodes_neglect / eh_episodes × 100:
 *   E1 X1 2024-06-01 → 2024-12-31: ends the day before `from`: not overlapping
 *   E2 X1 2024-10-01 → 2025-01-01: ends on `from`: overlaps; neglect flag Y: neglect
 *   E3 X2 2025-03-31 → open: starts on `to`: overlaps; flag N but factor 16A: neglect
 *   E4 X2 2025-04-01 → open: starts after `to`: not overlapping
 *   E5 X3 2024-01-01 → open, factor 2B: overlaps, no neglect
 *   E6 X4 2025-02-01 → 2025-02-20: overlaps, no neglect
 *   E7 X3 2025-01-15 → 2025-02-15, flag Y: overlaps, neglect (X3's second episode)
 *   eh_episodes = E2, E3, E5, E6, E7 = 5; eh_episodes_neglect = E2, E3, E7 = 3; share 60%
 *   (the children figures differ: eh_children = X1..X4 = 4, eh_children_neglect = X1, X2, X3 = 3)
 *
 * cin_plans — CIN plans overlapping the period; cin_plans_neglect — of those, plans whose CIN episode
 * contains an assessment with factor 16A authorised on or before `to`;
 * cin_plans_neglect_share_pct = cin_plans_neglect / cin_plans × 100:
 *   C1 Y1, episode R1, 2025-01-10 → open: R1 has A1 (16A, authorised 2025-03-31 = to): neglect
 *   C6 Y1, episode R1, 2025-02-01 → open: the same episode: neglect (plans are counted, not children)
 *   C2 Y2, episode R2, 2024-12-01 → 2025-02-01: R2's 16A assessment A2 is authorised 2025-04-01,
 *      after `to`: no
 *   C3 Y3, episode R3, 2024-07-01 → 2025-01-01 (ends on `from`): R3's assessment has 2B only: no
 *   C4 Y4, episode R4, 2024-03-01 → 2024-12-31: not overlapping (R4 has a 16A assessment)
 *   C5 Y5, episode R5, 2025-03-31 → open: the 16A assessment A6 is in Y5's earlier episode R6, not
 *      in R5: no ("whose CIN episode contains")
 *   cin_plans = C1, C2, C3, C5, C6 = 5; cin_plans_neglect = C1, C6 = 2; share 40%
 *
 * cp_starts_neglect_initial_pct = cp_starts_neglect_initial / cp_starts × 100 (METRICS.md §3 "CP plans
 * starting in the period ... initial category NEG"; §2 "MUL ... is never counted as neglect"):
 *   P1 2025-01-01 NEG; P2 2025-02-01 PHY, latest NEG (initial decides: no); P3 2025-02-15 NEG;
 *   P4 2025-03-01 MUL; P5 2024-12-31 NEG (before the period); P6 2025-03-31 NEG
 *   cp_starts = P1, P2, P3, P4, P6 = 5; cp_starts_neglect_initial = P1, P3, P6 = 3; 60%
 */
let fixture: FixtureWarehouse;
const quarter = { from: '2025-01-01', to: '2025-03-31' };

beforeAll(async () => {
  const eh = (
    id: string,
    child_id: string,
    start_date: string,
    end_date: string | null,
    neglect: string,
    factors = '',
  ) => ({
    episode_id: id,
    child_id,
    start_date,
    end_date,
    neglect,
    factors,
    closure_reason: end_date ? 'needs_met' : null,
  });
  const referral = (id: string, child_id: string, referral_date: string, closure_date: string | null = null) => ({
    referral_id: id,
    child_id,
    referral_date,
    closure_date,
    nfa: 'N',
  });
  const assessment = (
    id: string,
    referral_id: string,
    child_id: string,
    authorisation_date: string,
    factors: string,
  ) => ({ assessment_id: id, referral_id, child_id, start_date: '2023-01-01', authorisation_date, factors });
  const cinPlan = (
    id: string,
    referral_id: string,
    child_id: string,
    start_date: string,
    end_date: string | null = null,
  ) => ({ plan_id: id, referral_id, child_id, start_date, end_date });
  const cpPlan = (id: string, start_date: string, initial: string, latest = initial) => ({
    plan_id: id,
    child_id: `K-${id}`,
    start_date,
    initial_category: initial,
    latest_category: latest,
    previous_plans: 0,
  });
  fixture = await fixtureWarehouse({
    'early_help.csv': [
      eh('E1', 'X1', '2024-06-01', '2024-12-31', 'Y'),
      eh('E2', 'X1', '2024-10-01', '2025-01-01', 'Y'),
      eh('E3', 'X2', '2025-03-31', null, 'N', '16A'),
      eh('E4', 'X2', '2025-04-01', null, 'Y'),
      eh('E5', 'X3', '2024-01-01', null, 'N', '2B'),
      eh('E6', 'X4', '2025-02-01', '2025-02-20', 'N'),
      eh('E7', 'X3', '2025-01-15', '2025-02-15', 'Y'),
    ],
    'referrals.csv': [
      referral('R1', 'Y1', '2024-11-01'),
      referral('R2', 'Y2', '2024-11-01'),
      referral('R3', 'Y3', '2024-05-01'),
      referral('R4', 'Y4', '2024-01-01', '2024-12-31'),
      referral('R5', 'Y5', '2025-03-01'),
      referral('R6', 'Y5', '2023-01-01', '2023-06-01'),
    ],
    'assessments.csv': [
      assessment('A1', 'R1', 'Y1', '2025-03-31', '16A'),
      assessment('A2', 'R2', 'Y2', '2025-04-01', '16A'),
      assessment('A3', 'R3', 'Y3', '2024-06-01', '2B'),
      assessment('A4', 'R4', 'Y4', '2024-02-01', '16A'),
      assessment('A6', 'R6', 'Y5', '2023-02-01', '16A'),
    ],
    'cin_plans.csv': [
      cinPlan('C1', 'R1', 'Y1', '2025-01-10'),
      cinPlan('C6', 'R1', 'Y1', '2025-02-01'),
      cinPlan('C2', 'R2', 'Y2', '2024-12-01', '2025-02-01'),
      cinPlan('C3', 'R3', 'Y3', '2024-07-01', '2025-01-01'),
      cinPlan('C4', 'R4', 'Y4', '2024-03-01', '2024-12-31'),
      cinPlan('C5', 'R5', 'Y5', '2025-03-31'),
    ],
    'cp_plans.csv': [
      cpPlan('P1', '2025-01-01', 'NEG'),
      cpPlan('P2', '2025-02-01', 'PHY', 'NEG'),
      cpPlan('P3', '2025-02-15', 'NEG'),
      cpPlan('P4', '2025-03-01', 'MUL'),
      cpPlan('P5', '2024-12-31', 'NEG'),
      cpPlan('P6', '2025-03-31', 'NEG'),
    ],
  });
});
afterAll(() => fixture.dispose());

describe("neglect's share of early help and CIN plans (issue 10, Ofsted 2014)", () => {
  it('counts EH episodes overlapping the period and those showing neglect, and the share', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, quarter);
    expect(pack.prevalence).toMatchObject({
      eh_episodes: 5,
      eh_episodes_neglect: 3,
      eh_children: 4,
      eh_children_neglect: 3,
    });
    expect((pack['percentages'] as Record<string, number>)['eh_neglect_share_pct']).toBeCloseTo(60, 9);
  });

  it('counts CIN plans overlapping the period whose episode holds a 16A assessment authorised by `to`', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, quarter);
    expect(pack.prevalence).toMatchObject({ cin_plans: 5, cin_plans_neglect: 2 });
    expect((pack['percentages'] as Record<string, number>)['cin_plans_neglect_share_pct']).toBeCloseTo(40, 9);
  });

  it("gives neglect's share of CP plans starting in the period by initial category", async () => {
    const pack = await computeMetricsPack(fixture.warehouse, quarter);
    expect(pack.prevalence).toMatchObject({ cp_starts: 5, cp_starts_neglect_initial: 3 });
    expect((pack['percentages'] as Record<string, number>)['cp_starts_neglect_initial_pct']).toBeCloseTo(60, 9);
  });

  it('is null, not 0, when there is nothing to share out', async () => {
    const pack = await computeMetricsPack(fixture.warehouse, { from: '2020-01-01', to: '2020-03-31' });
    expect(pack.prevalence).toMatchObject({
      eh_episodes: 0,
      eh_episodes_neglect: 0,
      cin_plans: 0,
      cin_plans_neglect: 0,
    });
    const percentages = pack['percentages'] as Record<string, number | null>;
    expect(percentages['eh_neglect_share_pct']).toBeNull();
    expect(percentages['cin_plans_neglect_share_pct']).toBeNull();
    expect(percentages['cp_starts_neglect_initial_pct']).toBeNull();
  });
});

describe('the shares flow into the trend and board output like any figure', () => {
  it('is a trend: quarter ends Dec 2024 and Mar 2025', async () => {
    // Oct–Dec 2024: EH episodes overlapping are E1, E2, E5 (E6, E7, E3 start later): neglect E1, E2 = 2 of
    // 3 → 66.7%; CIN plans overlapping: C2, C3, C4 (C1, C5, C6 start later), none with a 16A assessment
    // authorised by 2024-12-31 in its own episode except C4's (R4: A4 2024-02-01) → 1 of 3 → 33.3%.
    const eh = await figureTrend(
      fixture.warehouse,
      'percentages.eh_neglect_share_pct',
      'quarter',
      '2024-10-01',
      '2025-03-31',
    );
    expect(eh.map((p) => p.to)).toEqual(['2024-12-31', '2025-03-31']);
    expect(eh[0]!.value).toBeCloseTo(200 / 3, 9);
    expect(eh[1]!.value).toBeCloseTo(60, 9);
    const cin = await figureTrend(
      fixture.warehouse,
      'percentages.cin_plans_neglect_share_pct',
      'quarter',
      '2024-10-01',
      '2025-03-31',
    );
    expect(cin[0]!.value).toBeCloseTo(100 / 3, 9);
    expect(cin[1]!.value).toBeCloseTo(40, 9);
  });

  it('board output: counts of 1–5 and the shares built on them are c (METRICS.md §7)', async () => {
    const board = suppressPack(await computeMetricsPack(fixture.warehouse, quarter));
    // Every count here is 1–5 (5, 3, 5, 2; starts 5 of which 3 neglect), so every share is c too.
    expect(board.prevalence).toMatchObject({
      eh_episodes: 'c',
      eh_episodes_neglect: 'c',
      cin_plans: 'c',
      cin_plans_neglect: 'c',
    });
    expect(board['percentages']).toMatchObject({
      eh_neglect_share_pct: 'c',
      cin_plans_neglect_share_pct: 'c',
      cp_starts_neglect_initial_pct: 'c',
    });
  });
});
