import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { computeMetricsPack } from '../metrics/figures.ts';
import { calendar } from '../metrics/calendar.ts';
import { figureTrend, UnknownFigureError } from '../metrics/trend.ts';
import { metricsRegistry } from '../metrics/registry.ts';
import { BadRequest, periodFromQuery } from '../http/period.ts';

/** Series the API serves by name: rows queries of the trends family. */
const seriesFamily = 'trends';

export function metricsRoutes(warehouse: Warehouse): Router {
  const router = Router();
  const registry = metricsRegistry();

  router.get('/metrics', async (req, res) => {
    res.json(await computeMetricsPack(warehouse, periodFromQuery(req)));
  });

  // Any figure of the §8 object as a series over quarter ends or reporting years.
  router.get('/trend', async (req, res) => {
    const period = periodFromQuery(req);
    const figure = req.query['figure'];
    const cadence = req.query['cadence'] ?? 'quarter';
    if (typeof figure !== 'string' || figure === '') throw new BadRequest("'figure' is required, e.g. prevalence.cp_open_neglect_initial");
    if (cadence !== 'quarter' && cadence !== 'year') throw new BadRequest(`'cadence' must be quarter or year, not '${String(cadence).slice(0, 20)}'`);
    try {
      const points = await figureTrend(warehouse, figure, cadence, period.from, period.to);
      res.json({ figure, cadence, period, points });
    } catch (err) {
      if (err instanceof UnknownFigureError) throw new BadRequest(err.message);
      throw err;
    }
  });

  router.get('/series/:name', async (req, res) => {
    const name = req.params.name;
    const query = registry.has(name) ? registry.get(name) : undefined;
    if (!query || query.family !== seriesFamily) {
      const known = registry.family(seriesFamily).map((q) => q.name);
      throw new BadRequest(`unknown series '${name.slice(0, 60)}' (known: ${known.join(', ')})`);
    }
    const period = periodFromQuery(req);
    const periods = calendar('quarter', period.from, period.to);
    const rows = periods.length === 0 ? [] : await warehouse.withConnection((c) => registry.run(c, name, { periods }));
    res.json({ series: name, period, rows });
  });

  // Data quality: loads, and rejects grouped by reason; with ?load=N that load's rejected rows.
  router.get('/quality', async (req, res) => {
    const loadParam = req.query['load'];
    const loadId = loadParam === undefined ? 0 : Number(loadParam);
    if (!Number.isInteger(loadId) || loadId < 0) throw new BadRequest(`'load' must be a load number, not '${String(loadParam).slice(0, 40)}'`);
    const body = await warehouse.withConnection(async (c) =>
      loadId
        ? { rejects: await registry.run(c, 'quality_rejects', { params: { load_id: loadId, limit: 10_000 } }) }
        : {
            loads: await registry.run(c, 'quality_loads', { params: { limit: 200 } }),
            reject_reasons: await registry.run(c, 'quality_reject_reasons', { params: { limit: 500 } }),
          },
    );
    res.json(body);
  });

  router.get('/extent', async (_req, res) => {
    const extent = await warehouse.withConnection((c) => registry.runOne(c, 'data_extent'));
    res.json(extent);
  });

  return router;
}
