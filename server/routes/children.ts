import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { BadRequest } from '../http/period.ts';
import { metricsRegistry } from '../../metrics/registry.ts';

/** A child's chronology by LA child id (officers; every request logged as identity access). */
export function childRoutes(warehouse: Warehouse): Router {
  const router = Router();
  router.get('/:id/chronology', async (req, res) => {
    const id = String(req.params['id']);
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    if (id.length === 0 || id.length > 64 || /[\u0000-\u001f]/.test(id))
      throw new BadRequest('a child id is 1 to 64 printable characters');
    const events = await warehouse.withConnection((c) =>
      metricsRegistry().run(c, 'child_chronology', { params: { la_child_id: id } }),
    );
    res.locals['rowsReturned'] = events.length;
    if (events.length === 0) {
      res.status(404).json({ error: `no records for the child id '${id.slice(0, 64)}'` });
      return;
    }
    res.json({ child: id, events });
  });
  return router;
}
