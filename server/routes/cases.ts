import type { DuckDBConnection } from '@duckdb/node-api';
import { Router, type Response } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { BadRequest, periodFromQuery } from '../http/period.ts';
import { csvCell } from '../http/csv.ts';
import { sendTable } from '../http/tableResponse.ts';
import { caseListDeclarations, caseListFor, prepareCaseList, type CaseListSource } from '../../metrics/caseLists.ts';
import type { Period } from '../../metrics/calendar.ts';
import { caseCellText, caseListColumn } from '../../metrics/contract/caseListColumns.ts';

/**
 * Case lists (officers only; every request is logged as a case list): the rows behind a figure for
 * one period, with their LA child id. JSON, or Arrow when asked for (large lists); `<figure>.csv`
 * exports the same rows in words. Which list is behind which figure is declared in the SQL
 * (`-- case list of:`, metrics/caseLists.ts).
 *
 * `caseLists` maps each figure whose list is a whole query to that query, so running the query
 * through the registry gives exactly the figure's rows. Figures that are part of a list (`where` /
 * `by` declarations: prevalence.cp_open_neglect_initial, drift.cp_open_by_duration.le_3m, ...) are
 * not in it: use `caseListSource` and `prepareCaseList`, which apply their filter.
 */
export const caseLists: Record<string, string> = Object.fromEntries(
  caseListDeclarations()
    .filter((d) => d.where === undefined && d.by === undefined)
    .map((d) => [d.figure, d.query]),
);

/** The list behind any figure path, filter included, or a 400 naming what exists. */
export function caseListSource(figure: string): CaseListSource {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  const source = figure.length <= 160 && !/[\u0000-\u001f]/.test(figure) ? caseListFor(figure) : undefined;
  if (!source)
    throw new BadRequest(
      `no case list for '${figure.slice(0, 60)}' (lists: ${caseListDeclarations()
        .map((d) => (d.by ? `${d.figure}.<${d.by}>` : d.figure))
        .join(', ')})`,
    );
  return source;
}

/** Every list the page can offer: whole and filtered figures, and each split by its known codes. */
export function caseListIndex(): { figure: string; query: string }[] {
  const index: { figure: string; query: string }[] = [];
  for (const d of caseListDeclarations()) {
    if (!d.by) {
      index.push({ figure: d.figure, query: d.query });
      continue;
    }
    const column = caseListColumn(d.by);
    if (column.kind === 'code')
      for (const key of Object.keys(column.codes)) index.push({ figure: `${d.figure}.${key}`, query: d.query });
  }
  return index;
}

export function caseRoutes(warehouse: Warehouse): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ lists: caseListIndex() });
  });
  router.get('/:figure', async (req, res) => {
    const requested = String(req.params['figure']);
    const exporting = requested.endsWith('.csv');
    const figure = exporting ? requested.slice(0, -'.csv'.length) : requested;
    const source = caseListSource(figure);
    const period = periodFromQuery(req);
    await warehouse.withConnection(async (c) => {
      const prepared = await prepareCaseList(c, source, period);
      if (exporting) {
        await sendCsv(res, c, prepared, figure, period);
        return;
      }
      await sendTable(req, res, c, prepared, { meta: { figure, period } });
    });
  });
  return router;
}

/**
 * A case list as CSV for a spreadsheet, in the words the page shows (headers, dates, codes, yes/no),
 * every cell through csvCell so one starting =, +, - or @ is text, not a formula. Logged like the
 * list (sensitivity case_list; the path ends in .csv, which is how the log tells an export).
 */
async function sendCsv(
  res: Response,
  c: DuckDBConnection,
  prepared: { sql: string; params: Record<string, string | number> },
  figure: string,
  period: Period,
): Promise<void> {
  const reader = await c.runAndReadAll(prepared.sql, prepared.params);
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  const names = reader.deduplicatedColumnNames();
  const columns = names
    .map((key) => ({ key, column: caseListColumn(key, rows[0]?.[key]) }))
    .filter(({ column }) => column.kind !== 'hidden');
  const lines = [
    columns.map(({ column }) => csvCell(column.header)).join(','),
    ...rows.map((row) => columns.map(({ key, column }) => csvCell(caseCellText(column, row[key]))).join(',')),
  ];
  res.locals.rowsReturned = rows.length;
  const file = `case-list-${figure.replaceAll(/[^a-z0-9_.]/g, '_')}-${period.from}-to-${period.to}.csv`;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
  res.send(`${lines.join('\r\n')}\r\n`);
}
