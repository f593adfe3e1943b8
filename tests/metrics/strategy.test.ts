import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRegistry } from '../../metrics/registry.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §12 Step-down and the strategy's own figures, on a hand-built fixture.
 * Period 2025-01-01 to 2025-03-31.
 *
 * rereferrals_neglect_after_assessment: "of rereferrals_12m, referrals where the earlier referral
 * (the latest one in the 365 days before) belongs to a CIN episode with an assessment whose factors
 * include 16A, authorised before this referral's date."
 *   A1: F1 2024-06-01 (16A authorised 2024-07-01), F2 2025-01-15: re-referral, counted
 *   A2: F3 2024-09-01 (16A authorised 2025-02-10), F4 2025-02-10: re-referral; authorised ON the
 *       re-referral date, not before it: not counted
 *   A6: F12 2024-09-01 (16A authorised 2025-02-09), F13 2025-02-10: the day before: counted
 *   A3: F5 2024-01-10 (16A), F6 2025-01-11: 367 days apart (29 Feb 2024): not a re-referral
 *   A4: F7 2024-03-01 (16A), F8 2024-10-01 (no assessment), F9 2025-03-01: the earlier referral is
 *       the latest one, F8, which holds no 16A assessment: not counted
 *   A5: F10 2024-12-01 (factors 2A only), F11 2025-01-20: re-referral, no 16A: not counted
 *   rereferrals_12m = F2, F4, F9, F11, F13 = 5; rereferrals_neglect_after_assessment = F2, F13 = 2
 *
 * cp_stepdowns_to_cin: "CP plans ending in the period whose child's CIN episode (the plan's episode)
 * was still open on the day after the plan ended (open-at convention, §1)."
 *   B1: episode 2024-05-01 → closed 2025-03-15, plan ends 2025-02-01: open on 2025-02-02: counted
 *   B2: episode closed 2025-02-02, plan ends 2025-02-01: "a plan that ended on d is not open at d",
 *       and so for an episode: closed on the day after, not open then: not counted
 *   B3: episode closed 2025-02-03, plan ends 2025-02-01: counted
 *   B4: plan ends 2025-04-01, after the period: not counted
 *   B5: episode still open, plan ends 2025-03-31 (the period's last day): counted
 *   cp_stepdowns_to_cin = 3
 *
 * cin_stepdowns_to_eh: "CIN episodes (not NFA) closing in the period with closure reason RC9, or
 * followed by an EH episode of the same child starting on the closure date or in the 28 days after
 * it (close <= start <= close + 28)." Every D episode closes 2025-01-20.
 *   D1: RC9: counted;  D2: RC7, EH starts 2025-02-17 (day 28): counted
 *   D3: RC7, EH starts 2025-02-18 (day 29): not counted;  D4: NFA with RC9: not counted
 *   D5: RC7, EH starts on the closure date: counted;  D6: RC7, EH starts the day before: not counted
 *   B1, B2, B3 close in the period too, with no reason and no early help: not counted
 *   cin_stepdowns_to_eh = 3
 *
 * eh_closed_needs_met: "EH episodes ending in the period with closure reason needs_met."
 *   E1 ends 2025-02-01 needs_met: counted; E2 ends 2025-02-01 disengaged; E3 ends 2025-04-01
 *   needs_met (after the period): eh_closed_needs_met = 1
 *
 * eh_starts_by_lead_agency: "eh_starts split by lead_agency (text as recorded, trimmed, case-folded;
 * empty = not recorded)". Starts in the period: D2 ' School ', D3 'school', D5 'Health Visiting',
 * D6 '' → school 2, health visiting 1, not recorded 1 (sum 4 = eh_starts).
 *
 * referrals_by_source: referrals in the period F2 2A, F4 6, F6 3B, F9 3f, F11 5D, F13 (none):
 *   schools 1 (2A), police 1 (6), health 2 (3B, 3F: case-folded), LA services 1 (5D), unknown 1.
 */
const referral = (
  referral_id: string,
  child_id: string,
  referral_date: string,
  extra: Record<string, string> = {},
) => ({ referral_id, child_id, referral_date, nfa: 'N', ...extra });
const assessment = (
  assessment_id: string,
  referral_id: string,
  child_id: string,
  authorisation_date: string,
  factors: string,
) => ({
  assessment_id,
  referral_id,
  child_id,
  start_date: authorisation_date.slice(0, 8) + '01',
  authorisation_date,
  factors,
});
const closedEpisode = (id: string, child: string, reason: string, nfa = 'N') =>
  referral(id, child, '2024-10-01', { closure_date: '2025-01-20', closure_reason: reason, nfa });
const earlyHelp = (episode_id: string, child_id: string, start_date: string, lead_agency = '') => ({
  episode_id,
  child_id,
  start_date,
  lead_agency,
  neglect: 'N',
});

let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    'referrals.csv': [
      referral('F1', 'A1', '2024-06-01', { closure_date: '2024-08-01' }),
      referral('F2', 'A1', '2025-01-15', { source: '2A' }),
      referral('F3', 'A2', '2024-09-01'),
      referral('F4', 'A2', '2025-02-10', { source: '6' }),
      referral('F12', 'A6', '2024-09-01'),
      referral('F13', 'A6', '2025-02-10'),
      referral('F5', 'A3', '2024-01-10'),
      referral('F6', 'A3', '2025-01-11', { source: '3B' }),
      referral('F7', 'A4', '2024-03-01'),
      referral('F8', 'A4', '2024-10-01'),
      referral('F9', 'A4', '2025-03-01', { source: '3f' }),
      referral('F10', 'A5', '2024-12-01'),
      referral('F11', 'A5', '2025-01-20', { source: '5D' }),
      referral('F20', 'B1', '2024-05-01', { closure_date: '2025-03-15' }),
      referral('F21', 'B2', '2024-05-01', { closure_date: '2025-02-02' }),
      referral('F22', 'B3', '2024-05-01', { closure_date: '2025-02-03' }),
      referral('F23', 'B4', '2024-05-01'),
      referral('F24', 'B5', '2024-05-01'),
      closedEpisode('F30', 'D1', 'RC9'),
      closedEpisode('F31', 'D2', 'RC7'),
      closedEpisode('F32', 'D3', 'RC7'),
      closedEpisode('F33', 'D4', 'RC9', 'Y'),
      closedEpisode('F34', 'D5', 'RC7'),
      closedEpisode('F35', 'D6', 'RC7'),
    ],
    'assessments.csv': [
      assessment('AS1', 'F1', 'A1', '2024-07-01', '16A'),
      assessment('AS2', 'F3', 'A2', '2025-02-10', '16A'),
      assessment('AS6', 'F12', 'A6', '2025-02-09', '3A;16A'),
      assessment('AS3', 'F5', 'A3', '2024-02-01', '16A'),
      assessment('AS4', 'F7', 'A4', '2024-03-20', '16A'),
      assessment('AS5', 'F10', 'A5', '2024-12-20', '2A'),
    ],
    'cp_plans.csv': [
      { plan_id: 'C1', referral_id: 'F20', child_id: 'B1', start_date: '2024-06-01', end_date: '2025-02-01' },
      { plan_id: 'C2', referral_id: 'F21', child_id: 'B2', start_date: '2024-06-01', end_date: '2025-02-01' },
      { plan_id: 'C3', referral_id: 'F22', child_id: 'B3', start_date: '2024-06-01', end_date: '2025-02-01' },
      { plan_id: 'C4', referral_id: 'F23', child_id: 'B4', start_date: '2024-06-01', end_date: '2025-04-01' },
      { plan_id: 'C5', referral_id: 'F24', child_id: 'B5', start_date: '2024-06-01', end_date: '2025-03-31' },
    ].map((plan) => ({ ...plan, initial_category: 'NEG', latest_category: 'NEG' })),
    'early_help.csv': [
      earlyHelp('H2', 'D2', '2025-02-17', ' School '),
      earlyHelp('H3', 'D3', '2025-02-18', 'school'),
      earlyHelp('H5', 'D5', '2025-01-20', 'Health Visiting'),
      earlyHelp('H6', 'D6', '2025-01-19'),
      { ...earlyHelp('E1', 'E1', '2024-11-01'), end_date: '2025-02-01', closure_reason: 'needs_met' },
      { ...earlyHelp('E2', 'E2', '2024-11-01'), end_date: '2025-02-01', closure_reason: 'disengaged' },
      { ...earlyHelp('E3', 'E3', '2024-11-01'), end_date: '2025-04-01', closure_reason: 'needs_met' },
    ],
  });
});
afterAll(() => fixture?.dispose());

const period = { from: '2025-01-01', to: '2025-03-31' };
const run = (name: string) =>
  fixture.warehouse.withConnection((c) => metricsRegistry().run(c, name, { periods: [period] }));

describe('METRICS.md §12 step-down and the strategy figures', () => {
  it('counts re-referrals following a neglect assessment authorised before the re-referral', async () => {
    const [row] = await run('strategy_rereferrals');
    expect(row).toMatchObject({ rereferrals_neglect_after_assessment: 2 });
    const [repeat] = await run('repeat_referrals');
    expect(repeat).toMatchObject({ rereferrals_12m: 5 });
  });

  it('counts step-downs from CP to CIN, from CIN to early help, and early help closed with needs met', async () => {
    const [row] = await run('strategy_stepdowns');
    expect(row).toMatchObject({ cp_stepdowns_to_cin: 3, cin_stepdowns_to_eh: 3, eh_closed_needs_met: 1 });
  });

  it('splits early help starts by lead agency, trimmed and case-folded, summing to eh_starts', async () => {
    const rows = await run('strategy_eh_starts_by_lead_agency');
    expect(rows.map((r) => [r['lead_agency'], r['eh_starts']])).toEqual([
      ['school', 2],
      ['health visiting', 1],
      ['not recorded', 1],
    ]);
    const [repeat] = await run('repeat_early_help');
    expect(repeat).toMatchObject({ eh_starts: 4 });
  });

  it("splits referrals by source into the DfE's groups, summing to referrals", async () => {
    const [row] = await run('strategy_referrals_by_source');
    expect(row?.['referrals_by_source']).toEqual({
      individual: 0,
      schools: 1,
      education_services: 0,
      health: 2,
      housing: 0,
      la_services: 1,
      police: 1,
      other_legal_agency: 0,
      other: 0,
      anonymous: 0,
      unknown: 1,
    });
    const codes = await run('strategy_referrals_by_source_code');
    expect(codes.find((r) => r['source_code'] === '3F')).toMatchObject({ source_group: 'health', referrals: 1 });
    expect(codes.reduce((sum, r) => sum + (r['referrals'] as number), 0)).toBe(6);
    const [repeat] = await run('repeat_referrals');
    expect(repeat).toMatchObject({ referrals: 6 });
  });
});
