import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBoardPack, previousQuarter } from '../../metrics/boardPack.ts';
import { calendar } from '../../metrics/calendar.ts';
import { precomputeLatestQuarter, quartersKeptBefore } from '../../metrics/precomputed.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * The load's precompute builds the packs of the four quarters before the latest
 * (metrics/precomputed.ts, keepEarlierQuarters). A new warehouse's records may begin in its latest
 * quarter: those earlier packs are then of quarters before any record, and must build (empty), not
 * fail the precompute.
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  // One child, one referral and one CP plan, all in January to March 2025; the extract is dated
  // 2025-04-30, so the latest whole quarter is that one and the four before it hold no record.
  fixture = await fixtureWarehouse({
    'children.csv': [{ child_id: 'C1', birth_date: '2015-05-05', sex: 'F', ethnicity: 'WBRI' }],
    'referrals.csv': [{ referral_id: 'R1', child_id: 'C1', referral_date: '2025-01-10' }],
    'cp_plans.csv': [
      {
        plan_id: 'P1',
        referral_id: 'R1',
        child_id: 'C1',
        start_date: '2025-02-01',
        initial_category: 'NEG',
        latest_category: 'NEG',
      },
    ],
  });
});
afterAll(() => fixture.dispose());

describe('precompute over a history shorter than a year', { timeout: 120_000 }, () => {
  it('keeps the earlier quarters’ packs, which hold no record, without failing', async () => {
    expect(await precomputeLatestQuarter(fixture.warehouse)).toBe('2025-03-31');
    let quarter = calendar('quarter', '2025-03-31', '2025-03-31')[0]!;
    for (let i = 0; i < quartersKeptBefore; i++) quarter = previousQuarter(quarter);
    // 2024-01-01..2024-03-31: a year before the first referral, so nothing on a plan.
    const earliest = await buildBoardPack(fixture.warehouse, quarter, { suppress: false });
    expect(earliest.period).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(earliest.figures.prevalence.cp_open).toBe(0);
  });
});
