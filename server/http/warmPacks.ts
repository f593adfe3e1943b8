import type { Warehouse } from '../../sql/warehouse.ts';
import { boardPackOf, quarterToPrecompute, scorecardOf } from '../../metrics/precomputed.ts';
import { sharingQueryResults } from '../../metrics/queryMemo.ts';
import { boardPackCacheKey } from '../routes/boardPack.ts';
import type { ResultCache } from './resultCache.ts';

/**
 * Computes the latest quarter's board pack (board and officer output) and its strategy scorecard
 * into the server's caches, read from the warehouse when a load precomputed them
 * (metrics/precomputed.ts), so the first person to open the pack after the server starts, or after
 * an upload, finds it ready (issue 17: a pack costs seconds on a large warehouse). The cache keeps
 * promises, so a request arriving while this runs waits for the same computation, never a second.
 */
export async function warmBoardPacks(warehouse: Warehouse, cache: ResultCache): Promise<void> {
  const quarter = await quarterToPrecompute(warehouse);
  if (!quarter) return;
  // Both outputs and both scorecards run the same metric queries: each runs once (metrics/queryMemo.ts).
  await sharingQueryResults(async () => {
    for (const suppress of [true, false]) {
      await cache.get(boardPackCacheKey(quarter.to, suppress), () => boardPackOf(warehouse, quarter, { suppress }));
      await scorecardOf(warehouse, quarter.to, { suppress });
    }
  });
}

/** Warms now and after every change of the data; a failure is logged, never thrown. */
export function keepBoardPacksWarm(warehouse: Warehouse, cache: ResultCache): void {
  const warm = () =>
    warmBoardPacks(warehouse, cache).catch((err: unknown) =>
      console.error(`lscb: could not precompute the board pack: ${String((err as Error).message ?? err)}`),
    );
  void warm();
  warehouse.onChanged(() => void warm());
}
