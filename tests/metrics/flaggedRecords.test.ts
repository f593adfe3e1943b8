import { afterEach, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import type { Warehouse } from '../../sql/warehouse.ts';
import { edited, loadCensus, validCensus } from '../etl/validationCensus.fixture.ts';

/**
 * METRICS.md §16 "Flagged records": how each figure treats a record loaded with a DfE rule's flag.
 * Every case starts from the valid minimal census (tests/etl/validationCensus.fixture.ts): child C1,
 * one episode referred 2025-06-01, one CP plan from 2025-06-15 (NEG, open), reference 2026-03-31.
 */
const open: Warehouse[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

const cpPlanOpen = '<CPPstartDate>2025-06-15</CPPstartDate>';
const secondPlan = (start: string) =>
  `</ChildProtectionPlans><ChildProtectionPlans><CPPstartDate>${start}</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>`;
const q2 = { from: '2025-04-01', to: '2025-06-30' };
const q3 = { from: '2025-07-01', to: '2025-09-30' };

async function loaded(xml: string) {
  const census = await loadCensus(xml);
  open.push(census.warehouse);
  expect(census.result.status).toBe('loaded');
  return census;
}

// Each case opens a new warehouse and computes whole packs: slow on a loaded machine.
describe('METRICS.md §16 flagged records', { timeout: 300_000 }, () => {
  it('overlapping CP plans of one child: one child open, each plan a start (8935, 8940)', async () => {
    // Plans from 2025-06-15 (open) and 2025-07-01 (open): both open at 2025-09-30.
    const { warehouse, flagRules } = await loaded(
      edited(validCensus, ['</ChildProtectionPlans>', secondPlan('2025-07-01')]),
    );
    expect(flagRules).toEqual(expect.arrayContaining(['8935', '8940']));
    const pack = await computeMetricsPack(warehouse, q3);
    // cp_open counts children: C1 once, not twice.
    expect(pack.prevalence['cp_open']).toBe(1);
    // cp_starts counts plans as recorded: the 2025-07-01 plan is Q3's one start.
    expect(pack.prevalence['cp_starts']).toBe(1);
  });

  it('a plan open past the child’s death: not open at an as-at date on or after the death (8915)', async () => {
    // Died 2025-06-10; the plan "starts" 2025-06-15 and never ends.
    const { warehouse, flagRules } = await loaded(
      edited(validCensus, [
        '<PersonBirthDate>2015-04-01</PersonBirthDate>',
        '<PersonBirthDate>2015-04-01</PersonBirthDate><PersonDeathDate>2025-06-10</PersonDeathDate>',
      ]),
    );
    expect(flagRules).toContain('8915');
    const june = await computeMetricsPack(warehouse, q2);
    // As at 2025-06-30 the child has died: no child on a plan. The start is still counted as recorded.
    expect(june.prevalence['cp_open']).toBe(0);
    expect(june.prevalence['cp_starts']).toBe(1);
  });

  it('a plan ending after the death date (8920): open before the death, not after', async () => {
    // Plan 2025-06-15 to 2025-08-01; died 2025-07-01. Open at 2025-06-30 (alive), not at 2025-09-30.
    const { warehouse, flagRules } = await loaded(
      edited(
        validCensus,
        [
          '<PersonBirthDate>2015-04-01</PersonBirthDate>',
          '<PersonBirthDate>2015-04-01</PersonBirthDate><PersonDeathDate>2025-07-01</PersonDeathDate>',
        ],
        [cpPlanOpen, `${cpPlanOpen}<CPPendDate>2025-08-01</CPPendDate>`],
      ),
    );
    expect(flagRules).toContain('8920');
    expect((await computeMetricsPack(warehouse, q2)).prevalence['cp_open']).toBe(1);
    // 2025-07-31 is before the plan's end but after the death: not open.
    expect((await computeMetricsPack(warehouse, { from: '2025-07-01', to: '2025-07-31' })).prevalence['cp_open']).toBe(
      0,
    );
  });

  it('a CP plan in an episode marked no further action (8832): the plan counts as recorded', async () => {
    const { warehouse, flagRules } = await loaded(
      edited(validCensus, ['<ReferralNFA>0</ReferralNFA>', '<ReferralNFA>1</ReferralNFA>']),
    );
    expect(flagRules).toContain('8832');
    const pack = await computeMetricsPack(warehouse, q2);
    // The plan is real work with the child: open at 2025-06-30 and a start in Q2; only the NFA marker is wrong.
    expect(pack.prevalence['cp_open']).toBe(1);
    expect(pack.prevalence['cp_starts']).toBe(1);
  });

  it('the same UPN under two LA child ids (1520): both children count until the LA merges them', async () => {
    const second = `
    <Child>
      <ChildIdentifiers><LAchildID>C2</LAchildID><UPN>P201123456789</UPN><PersonBirthDate>2015-04-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2025-06-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2025-06-15</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>`;
    const { warehouse, flagRules } = await loaded(edited(validCensus, ['</Children>', second]));
    expect(flagRules).toContain('1520');
    // Two LA child ids are two children to the warehouse: the flag is what tells the officer.
    expect((await computeMetricsPack(warehouse, q2)).prevalence['cp_open']).toBe(2);
    const flagged = await warehouse.query<{ n: number }>(
      `SELECT count(DISTINCT child_key)::INTEGER AS n FROM validation_flags WHERE rule = '1520'`,
    );
    expect(flagged[0]?.n).toBe(2);
  });
});
