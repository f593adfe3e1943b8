import { Router, type Request, type Response } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import {
  accessLogColumns,
  markSensitivity,
  readAccessLog,
  type AccessLogFilter,
  type AccessLogRow,
} from '../accessLog.ts';
import { requireRole } from '../auth/middleware.ts';
import { csvTable } from '../http/csv.ts';
import { compareDates, isRealDate } from '../../metrics/contract/dates.ts';

const defaultLimit = 1000;
const maxLimit = 100_000;

/** The filter from ?from&to&user&limit, or the message explaining what is wrong with it. */
function filterFromQuery(req: Request): AccessLogFilter | string {
  const text = (name: string): string | undefined => {
    const value = req.query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const from = text('from');
  const to = text('to');
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isRealDate(value))
      return `'${name}' must be a real date as YYYY-MM-DD, not '${value.slice(0, 40)}'`;
  }
  if (from && to && compareDates(from, to) > 0) return `'from' (${from}) is after 'to' (${to})`;
  const limitText = text('limit');
  const limit = limitText === undefined ? defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    return `'limit' must be a whole number from 1 to ${maxLimit}`;
  const username = text('user')?.toLowerCase();
  return { from, to, username, limit };
}

export function accessLogCsv(rows: AccessLogRow[]): string {
  return csvTable(accessLogColumns, rows);
}

/**
 * Admin-only readers, themselves logged (sensitivity 'admin'). There is deliberately no route that
 * changes the log: any other method on these paths is 405.
 */
export function accessLogRoutes(warehouse: Warehouse): Router {
  const router = Router();
  const guard = [markSensitivity('admin'), requireRole('admin')];
  const read = async (req: Request, res: Response): Promise<AccessLogRow[] | undefined> => {
    const filter = filterFromQuery(req);
    if (typeof filter === 'string') {
      res.status(400).json({ error: filter });
      return undefined;
    }
    const rows = await readAccessLog(warehouse, filter);
    res.locals.rowsReturned = rows.length;
    return rows;
  };

  router.get('/access-log', ...guard, async (req, res) => {
    const rows = await read(req, res);
    if (rows) res.json({ rows: rows.map((row) => ({ ...row, params: JSON.parse(row.params) as unknown })) });
  });
  router.get('/access-log.csv', ...guard, async (req, res) => {
    const rows = await read(req, res);
    if (!rows) return;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="access-log.csv"');
    res.send(accessLogCsv(rows));
  });
  router.all(['/access-log', '/access-log.csv'], (req, res) => {
    res.setHeader('Allow', 'GET, HEAD');
    res.status(405).json({ error: `the access log cannot be changed: ${req.method} is not allowed` });
  });
  return router;
}
