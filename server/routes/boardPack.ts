import { Router, type Request } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { calendar, isRealDate } from '../metrics/calendar.ts';
import { BadRequest } from '../http/period.ts';
import { buildBoardPack } from '../report/boardPack.ts';

/** Board output unless the signed-in user may see unsuppressed figures (officers and admins). */
export function isBoardOutput(req: Request): boolean {
  const role = (req as Request & { user?: { role?: string } }).user?.role;
  return role !== 'officer' && role !== 'admin';
}

export function boardPackRoutes(warehouse: Warehouse): Router {
  const router = Router();
  // GET /board-pack?quarter=YYYY-MM-DD (the quarter's last day)
  router.get('/board-pack', async (req, res) => {
    const quarterEnd = req.query['quarter'];
    if (typeof quarterEnd !== 'string' || !isRealDate(quarterEnd)) {
      throw new BadRequest("'quarter' is required: the last day of a quarter as YYYY-MM-DD, e.g. 2026-03-31");
    }
    const quarter = calendar('quarter', quarterEnd, quarterEnd)[0];
    if (!quarter) throw new BadRequest(`'quarter' must be the last day of a quarter (31 Mar, 30 Jun, 30 Sep or 31 Dec), not ${quarterEnd}`);
    res.json(await buildBoardPack(warehouse, quarter, { suppress: isBoardOutput(req) }));
  });
  return router;
}
