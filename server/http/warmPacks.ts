import type { Warehouse } from '../../sql/warehouse.ts';
import { precomputeLatestQuarter } from '../../metrics/precomputed.ts';
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
  await precomputeLatestQuarter(warehouse, (quarter, suppress, pack) =>
    cache.get(boardPackCacheKey(quarter.to, suppress), pack),
  );
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
