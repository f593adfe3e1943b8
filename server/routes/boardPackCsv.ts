import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { boardPackOf } from '../../metrics/precomputed.ts';
import { packFiguresCsv } from '../../metrics/packCsv.ts';
import { isBoardOutput } from '../auth/index.ts';
import { quarterParameter } from '../http/quarter.ts';
import { ResultCache } from '../http/resultCache.ts';
import { boardPackCacheKey } from './boardPack.ts';

/**
 * GET /board-pack.csv?quarter=YYYY-MM-DD: the pack's figures as one CSV, from the same cached pack
 * object GET /board-pack sends (so board members get exactly the suppressed values they see).
 */
export function boardPackCsvRoutes(warehouse: Warehouse, cache = new ResultCache(warehouse)): Router {
  const router = Router();
  router.get('/board-pack.csv', async (req, res) => {
    const quarter = quarterParameter(req.query['quarter']);
    const suppress = isBoardOutput(req);
    const build = () => boardPackOf(warehouse, quarter, { suppress });
    const pack = await cache.get(boardPackCacheKey(quarter.to, suppress), build);
    const { csv, rows } = packFiguresCsv(pack);
    res.locals.rowsReturned = rows;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    const name = `board-pack-${quarter.to}${suppress ? '-board' : '-unsuppressed'}.csv`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.send(csv);
  });
  return router;
}
