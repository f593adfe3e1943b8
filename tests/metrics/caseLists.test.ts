import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';

/**
 * A case list is the children behind a figure: its length is the figure, for every period.
 * On cpOpenFixture (tests/metrics/cpOpen.fixture.ts): open at 2025-03-31 are A, C, E, F, G; at
 * 2024-12-31 A, B, E, F, H.
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
});
afterAll(() => fixture.dispose());

const cases = (name: string, from: string, to: string) =>
  fixture.warehouse.withConnection((c) => metricsRegistry().run(c, name, { periods: [{ from, to }] }));

describe('case lists agree with their figures', () => {
  it.each([
    ['2025-01-01', '2025-03-31', ['A', 'C', 'E', 'F', 'G']],
    ['2024-10-01', '2024-12-31', ['A', 'B', 'E', 'F', 'H']],
  ])('cases_cp_open for %s to %s', async (from, to, children) => {
    const rows = await cases('cases_cp_open', from, to);
    const pack = await computeMetricsPack(fixture.warehouse, { from, to });
    expect(rows).toHaveLength(pack.prevalence['cp_open'] as number);
    expect(rows.map((r) => r['la_child_id']).sort()).toEqual(children);
    expect(rows.filter((r) => r['neglect_initial'])).toHaveLength(pack.prevalence['cp_open_neglect_initial'] as number);
  });

  it('carries the flags and bands that put a child there', async () => {
    const rows = await cases('cases_cp_open', '2025-01-01', '2025-03-31');
    const f = rows.find((r) => r['la_child_id'] === 'F')!;
    // F: MUL plan from 2023-01-01; 2023-01-01 → 2025-03-31 = 365 + 366 + 89 = 820 days.
    expect(f).toMatchObject({
      plan_start: '2023-01-01',
      days_on_plan: 820,
      duration_band: '2y_plus',
      neglect_initial: false,
      open_18m_plus: true,
    });
    const g = rows.find((r) => r['la_child_id'] === 'G')!;
    expect(g).toMatchObject({ age_band: 'unborn', sex: 'unknown', ethnicity: 'unknown' });
  });

  it('cases_cp_starts flags second or subsequent plans as the figure counts them', async () => {
    // Starts in Jan–Mar 2025: C (2025-03-31), G (2025-02-01); E's second plan started 2024-09-01.
    const rows = await cases('cases_cp_starts', '2025-01-01', '2025-03-31');
    const pack = await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' });
    expect(rows).toHaveLength(pack.repeat['cp_starts'] as number);
    expect(rows.map((r) => r['la_child_id'])).toEqual(['G', 'C']);
  });
});
