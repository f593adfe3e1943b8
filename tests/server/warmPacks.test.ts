import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestQuarterEnd } from '../../metrics/indicatorScores.ts';
import { ResultCache } from '../../server/http/resultCache.ts';
import { warmBoardPacks } from '../../server/http/warmPacks.ts';
import { boardPackCacheKey } from '../../server/routes/boardPack.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * The latest quarter's board pack is precomputed into the server's cache (issue 17), board and
 * officer output alike, and a change of the data leaves nothing stale behind.
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
});
afterAll(() => fixture.dispose());

const notAgain = () => Promise.reject(new Error('computed again, not taken from the cache'));

describe('warming the board pack', { timeout: 120_000 }, () => {
  it('puts the latest quarter’s pack, both outputs, in the cache the route reads', async () => {
    const cache = new ResultCache(fixture.warehouse);
    await warmBoardPacks(fixture.warehouse, cache);
    const to = await latestQuarterEnd(fixture.warehouse);
    // cpOpenFixture's extract is dated 2025-04-30: the latest whole quarter ends 2025-03-31.
    expect(to).toBe('2025-03-31');
    const board = (await cache.get(boardPackCacheKey(to!, true), notAgain)) as { suppressed: boolean; figures: any };
    const officer = (await cache.get(boardPackCacheKey(to!, false), notAgain)) as { suppressed: boolean; figures: any };
    // tests/metrics/cpOpen.fixture.ts: cp_open 5 at 2025-03-31, c on the board.
    expect(board.suppressed).toBe(true);
    expect(board.figures.prevalence.cp_open).toBe('c');
    expect(officer.suppressed).toBe(false);
    expect(officer.figures.prevalence.cp_open).toBe(5);
  });

  it('stores all four results in the warehouse, so a restarted server reads them too', async () => {
    // A fresh warehouse: its default indicators are written before anything is computed, or the
    // first result would see its inputs change under it and not be stored.
    const fresh = await fixtureWarehouse(cpOpenFixture);
    try {
      await warmBoardPacks(fresh.warehouse, new ResultCache(fresh.warehouse));
      const keys = await fresh.warehouse.query<{ key: string }>('SELECT key FROM precomputed ORDER BY key');
      expect(keys.map((k) => k.key)).toEqual([
        'board-pack:2025-03-31:board',
        'board-pack:2025-03-31:officer',
        'scorecard:2025-03-31:board',
        'scorecard:2025-03-31:officer',
      ]);
    } finally {
      fresh.dispose();
    }
  });

  it('a change of the data empties the cache, so the next pack is computed afresh', async () => {
    const cache = new ResultCache(fixture.warehouse);
    await warmBoardPacks(fixture.warehouse, cache);
    fixture.warehouse.markChanged();
    await expect(cache.get(boardPackCacheKey('2025-03-31', true), notAgain)).rejects.toThrow(/computed again/);
  });
});
