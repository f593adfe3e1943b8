import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { isBoardOutput } from '../auth/index.ts';
import { ResultCache } from '../http/resultCache.ts';
import { calendar } from '../../metrics/calendar.ts';
import { suppressRows } from '../../metrics/suppression.ts';
import { boardPacksForPeriods } from '../../metrics/linkedPeriods.ts';
import { describeSpc, spcAnalysis } from '../../metrics/spc.ts';
import { figureTrend, UnknownFigureError } from '../../metrics/trend.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { BadRequest, periodFromQuery } from '../http/period.ts';
import { requirePublishedPeriod, requireWithinData } from '../http/publishedPeriods.ts';
import type { DataExtent, TrendResponse } from '../../metrics/contract/types.ts';

/** Series the API serves by name: rows queries of the trends family. */
const seriesFamily = 'trends';

export function metricsRoutes(warehouse: Warehouse, cache = new ResultCache(warehouse)): Router {
  const router = Router();
  const registry = metricsRegistry();
  const extent = () =>
    cache.get(
      'extent',
      async () => (await warehouse.withConnection((c) => registry.runOne(c, 'data_extent'))) as unknown as DataExtent,
    );
  /** The request's period, refused before any work when it is out of bounds or, for the board, unpublished. */
  const checkedPeriod = async (req: Parameters<typeof periodFromQuery>[0], kind: 'figures' | 'series') => {
    const period = periodFromQuery(req);
    const known = await extent();
    requireWithinData(period, known, { series: kind === 'series' });
    if (isBoardOutput(req)) requirePublishedPeriod(period, known, kind);
    return period;
  };

  router.get('/metrics', async (req, res) => {
    const period = await checkedPeriod(req, 'figures');
    const board = isBoardOutput(req);
    res.json(
      await cache.get(`metrics:${period.from}:${period.to}:${board}`, async () => {
        const pack = await computeMetricsPack(warehouse, period);
        // A reporting year hides what its quarters hide, so year minus quarters gives nothing back.
        return board ? (await boardPacksForPeriods(warehouse, [pack]))[0]! : pack;
      }),
    );
  });

  // Any figure of the §8 object as a series over quarter ends or reporting years.
  router.get('/trend', async (req, res) => {
    const period = await checkedPeriod(req, 'series');
    const figure = req.query['figure'];
    const cadence = req.query['cadence'] ?? 'quarter';
    if (typeof figure !== 'string' || figure === '')
      throw new BadRequest("'figure' is required, e.g. prevalence.cp_open_neglect_initial");
    if (cadence !== 'quarter' && cadence !== 'year')
      throw new BadRequest(`'cadence' must be quarter or year, not '${String(cadence).slice(0, 20)}'`);
    const board = isBoardOutput(req);
    try {
      const improvement = req.query['improvement'] ?? 'neither';
      if (improvement !== 'up' && improvement !== 'down' && improvement !== 'neither') {
        throw new BadRequest(`'improvement' must be up, down or neither, not '${String(improvement).slice(0, 20)}'`);
      }
      const body = await cache.get(
        `trend:${figure}:${cadence}:${period.from}:${period.to}:${board}:${improvement}`,
        async (): Promise<TrendResponse> => {
          const points = await figureTrend(warehouse, figure, cadence, period.from, period.to, { suppress: board });
          // SPC on the series as served: a suppressed point is a gap, never a hidden value.
          const spc = await warehouse.withConnection((c) =>
            spcAnalysis(
              c,
              points.map((p) => ({
                period_to: p.to,
                value: typeof p.value === 'number' ? p.value : p.value === 'c' ? 'c' : null,
              })),
              { improvement },
            ),
          );
          return { figure, cadence, period, points, spc, reading: describeSpc(spc, figure), suppressed: board };
        },
      );
      res.json(body);
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
    const period = await checkedPeriod(req, 'series');
    const periods = calendar('quarter', period.from, period.to);
    const board = isBoardOutput(req);
    const rows =
      periods.length === 0
        ? []
        : await cache.get(`series:${name}:${period.from}:${period.to}:${board}`, async () => {
            const computed = await warehouse.withConnection((c) => registry.run(c, name, { periods }));
            // Each quarter's categories are a breakdown of that quarter's children (METRICS.md §7).
            return board ? suppressRows(computed, 'children', [], { groupBy: ['quarter_end'] }) : computed;
          });
    res.json({ series: name, period, rows, suppressed: board });
  });

  router.get('/extent', async (_req, res) => {
    res.json(await extent());
  });

  return router;
}
