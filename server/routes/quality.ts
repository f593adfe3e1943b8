import { Router } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { BadRequest } from '../http/period.ts';
import { impossibleRates } from '../../metrics/populationChecks.ts';
import { ListsAtLimit } from '../../metrics/listsAtLimit.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { markSensitivity } from '../accessLog.ts';
import { csvTable } from '../http/csv.ts';

/** Load numbers are DuckDB INTEGERs; a larger number would overflow in SQL and surface as a 500. */
const maxLoadId = 2 ** 31 - 1;

/** How many rows the data-quality summary lists of each; a list that reaches its limit says so. */
export const qualityListLimits = { loads: 200, reject_reasons: 500, flag_rules: 500, rejects: 10_000 };

/** Data quality (officers and admins): loads, and rejected rows with their reasons. */
export function qualityRoutes(warehouse: Warehouse, limits = qualityListLimits): Router {
  const router = Router();
  const registry = metricsRegistry();
  // Data quality: loads, and rejects grouped by reason; with ?load=N that load's rejected rows. A
  // list cut at its limit is named in cut_at_limit, with the limit, so the page can say so.
  router.get('/', async (req, res) => {
    const loadParam = req.query['load'];
    const loadId = loadParam === undefined ? 0 : Number(loadParam);
    if (!Number.isInteger(loadId) || loadId < 0 || loadId > maxLoadId)
      throw new BadRequest(`'load' must be a load number, not '${String(loadParam).slice(0, 40)}'`);
    const body = await warehouse.withConnection(async (c) => {
      const cutLists = new ListsAtLimit();
      const list = (name: keyof typeof limits, query: string, params: Record<string, number> = {}) =>
        cutLists.list(name, limits[name], (limit) => registry.run(c, query, { params: { ...params, limit } }));
      const lists = loadId
        ? { rejects: await list('rejects', 'quality_rejects', { load_id: loadId }) }
        : {
            loads: await list('loads', 'quality_loads'),
            reject_reasons: await list('reject_reasons', 'quality_reject_reasons'),
            // Counts by DfE rule only: the children behind them are at /flags.
            flag_rules: await list('flag_rules', 'quality_flag_rules'),
            impossible_rates: await impossibleRates(c),
          };
      return cutLists.anyCut ? { ...lists, cut_at_limit: cutLists.cut } : lists;
    });
    res.locals['rowsReturned'] = Object.values(body).reduce(
      (n, rows) => n + (Array.isArray(rows) ? rows.length : 0),
      0,
    );
    res.json(body);
  });

  // Flagged records by child (LA child ids): logged as an identity view.
  router.get('/flags', markSensitivity('identity'), async (_req, res) => {
    const flags = await warehouse.withConnection((c) =>
      registry.run(c, 'quality_flags', { params: { limit: 10_000 } }),
    );
    res.locals['rowsReturned'] = flags.length;
    res.json({ flags });
  });

  // The validation report to hand the case-management team: rejects with a DfE rule code and flagged
  // records, as CSV. csvTable turns a cell starting like a formula into text; the access log records
  // the export (its path ends in .csv).
  router.get('/validation-report.csv', markSensitivity('identity'), async (_req, res) => {
    const rows = await warehouse.withConnection((c) =>
      registry.run(c, 'quality_validation_report', { params: { limit: 1_000_000 } }),
    );
    res.locals['rowsReturned'] = rows.length;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="validation-report.csv"');
    res.send(csvTable(validationReportColumns, rows));
  });

  return router;
}

const validationReportColumns = [
  'kind',
  'rule',
  'message',
  'load_id',
  'file',
  'row',
  'field',
  'value',
  'la_child_id',
  'record_table',
  'record_key',
] as const;
