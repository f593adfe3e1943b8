import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharingQueryResults } from '../../metrics/queryMemo.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * Query results shared within one piece of work (metrics/queryMemo.ts): inside a scope each query
 * (name, periods, parameters) runs once; outside it nothing is kept. cpOpen.fixture.ts: cp_open is
 * 5 children at 2025-03-31 (A, C, E, F, G).
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
});
afterAll(() => fixture.dispose());

const quarter = [{ from: '2025-01-01', to: '2025-03-31' }];
const cpOpen = () => fixture.warehouse.withConnection((c) => metricsRegistry().run(c, 'cp_open', { periods: quarter }));

describe('sharing query results', { timeout: 60_000 }, () => {
  it('inside a scope a query runs once; outside it, every run reads the data as it is', async () => {
    await sharingQueryResults(async () => {
      const first = await cpOpen();
      expect(first[0]?.['cp_open']).toBe(5);
      // Callers get copies: one that edits its rows does not change what the next one gets.
      first[0]!['cp_open'] = 99;
      // The plans go: a query run again would count none, the shared result still says 5.
      await fixture.warehouse.query('DELETE FROM cp_plans');
      expect((await cpOpen())[0]?.['cp_open']).toBe(5);
      // Other periods are other queries.
      const year = await fixture.warehouse.withConnection((c) =>
        metricsRegistry().run(c, 'cp_open', { periods: [{ from: '2024-04-01', to: '2025-03-31' }] }),
      );
      expect(year[0]?.['cp_open']).toBe(0);
    });
    expect((await cpOpen())[0]?.['cp_open']).toBe(0);
  });
});
