import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { requireQuarterInData } from '../http/period.ts';
import { quarterParameter } from '../http/quarter.ts';
import { isBoardOutput } from '../auth/index.ts';
import { ResultCache } from '../http/resultCache.ts';
import { boardPackOf, scorecardOf } from '../../metrics/precomputed.ts';
import { latestCommentary } from '../../sql/commentary.ts';

/** One cache entry per quarter and output kind, shared by the pack and its figures CSV. */
export const boardPackCacheKey = (quarterEnd: string, suppress: boolean) => `board-pack:${quarterEnd}:${suppress}`;

export function boardPackRoutes(warehouse: Warehouse, cache = new ResultCache(warehouse)): Router {
  const router = Router();
  // GET /board-pack?quarter=YYYY-MM-DD (the quarter's last day)
  router.get('/board-pack', async (req, res) => {
    const quarter = quarterParameter(req.query['quarter']);
    await requireQuarterInData(warehouse, quarter);
    const suppress = isBoardOutput(req);
    // Precomputed after the load when it is this quarter's (metrics/precomputed.ts), else computed.
    const pack = await cache.get(boardPackCacheKey(quarter.to, suppress), () =>
      boardPackOf(warehouse, quarter, { suppress }),
    );
    // Commentary, targets and notes of practice change without the data changing, so they are read
    // outside the cached pack: commentary fresh, the scorecard precomputed under a fingerprint that
    // includes the indicators and notes.
    res.json({
      ...pack,
      commentary: await latestCommentary(warehouse, quarter.to),
      strategy: await scorecardOf(warehouse, quarter.to, { suppress }),
    });
  });
  return router;
}
