import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { BadRequest } from '../http/period.ts';
import { childChronology } from '../../metrics/chronology.ts';

/**
 * A child's chronology by LA child id (officers; every request logged as identity access): events in
 * words, oldest first and in process order within a day, the spells for the timeline, and siblings.
 */
export function childRoutes(warehouse: Warehouse): Router {
  const router = Router();
  router.get('/:id/chronology', async (req, res) => {
    const id = String(req.params['id']);
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    if (id.length === 0 || id.length > 64 || /[\u0000-\u001f]/.test(id))
      throw new BadRequest('a child id is 1 to 64 printable characters');
    const chronology = await warehouse.withConnection((c) => childChronology(c, id));
    res.locals['rowsReturned'] = chronology?.events.length ?? 0;
    if (!chronology) {
      res.status(404).json({ error: `no records for the child id '${id.slice(0, 64)}'` });
      return;
    }
    res.json(chronology);
  });
  return router;
}
