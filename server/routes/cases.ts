import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { BadRequest, periodFromQuery } from '../http/period.ts';
import { sendTable } from '../http/tableResponse.ts';
import { metricsRegistry } from '../../metrics/registry.ts';

/**
 * Case lists (officers only; every request is logged as a case list): the children behind a figure
 * for one period, with their LA child id. JSON, or Arrow when asked for (large lists).
 */
export const caseLists: Record<string, string> = {
  'prevalence.cp_open': 'cases_cp_open',
  'prevalence.neglect_any_stage_children': 'cases_neglect_any_stage',
  'prevalence.cp_open_hidden_neglect': 'cases_cp_open_hidden_neglect',
  'repeat.cp_starts': 'cases_cp_starts',
  // METRICS.md §10; their parts (N1, from a neglect plan) are these lists' flags (case list of: … where).
  'looked_after.lac_open': 'cases_lac_open',
  'looked_after.lac_starts': 'cases_lac_starts',
};

export function caseRoutes(warehouse: Warehouse): Router {
  const router = Router();
  router.get('/:figure', async (req, res) => {
    const figure = req.params['figure'] as string;
    // Own keys only: 'constructor' or '__proto__' would otherwise find Object.prototype's members.
    const query = Object.hasOwn(caseLists, figure) ? caseLists[figure] : undefined;
    if (!query)
      throw new BadRequest(
        `no case list for '${String(req.params['figure']).slice(0, 60)}' (lists: ${Object.keys(caseLists).join(', ')})`,
      );
    const period = periodFromQuery(req);
    await warehouse.withConnection(async (c) => {
      const prepared = await metricsRegistry().prepare(c, query, { periods: [period] });
      await sendTable(req, res, c, prepared, { meta: { figure: req.params['figure'], period } });
    });
  });
  return router;
}
