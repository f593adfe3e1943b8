import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { ListsAtLimit } from '../../metrics/listsAtLimit.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { parseFlags, positiveInteger, UsageError, type Command } from './command.ts';
import { textTable } from './textTable.ts';

export const command: Command = {
  name: 'quality',
  summary: 'List loads and rejected rows (data quality)',
  help: `Usage: lscb quality [--db FILE] [--load N] [--limit N] [--json]

Lists the latest loads (file, format, reference date, who, when, rows read / accepted / rejected /
merged, failures) and the rejected rows grouped by reason. With --load N, lists that load's rejected
rows one by one (row or XML element path, field, value, reason).

Options:
  --db FILE    warehouse file (default ${defaultWarehousePath})
  --load N     show the rejected rows of load N
  --limit N    at most N rows per list (default 50); a list cut short says so, and in JSON is
               named in "cut_at_limit" with the limit
  --json       print JSON`,
  async run(argv) {
    const { values } = parseFlags('quality', argv, {
      db: { type: 'string' },
      load: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const dbPath = values.db ?? defaultWarehousePath;
    if (!existsSync(dbPath)) throw new UsageError(`lscb quality: no warehouse at ${dbPath}.`);
    const limit = positiveInteger('quality', 'limit', values.limit, 50);
    const loadId = values.load === undefined ? 0 : positiveInteger('quality', 'load', values.load, 0);
    const warehouse = await Warehouse.open(dbPath); // writable: an older warehouse gets the current schema, macros and reference tables
    try {
      const registry = metricsRegistry();
      const lists = new ListsAtLimit();
      const { cut } = lists;
      const report = await warehouse.withConnection(async (c) => {
        const list = (name: string, query: string, params: Record<string, number> = {}) =>
          lists.list(name, limit, (asked) => registry.run(c, query, { params: { ...params, limit: asked } }));
        if (!loadId)
          return {
            loads: await list('loads', 'quality_loads'),
            reject_reasons: await list('reject_reasons', 'quality_reject_reasons'),
          };
        const known = await c.runAndReadAll('SELECT 1 FROM loads WHERE load_id = $load_id', { load_id: loadId });
        if (known.currentRowCount === 0)
          throw new UsageError(`lscb quality: there is no load ${loadId}; 'lscb quality' lists the loads.`);
        return { rejects: await list('rejects', 'quality_rejects', { load_id: loadId }) };
      });
      if (values.json) console.log(JSON.stringify(lists.anyCut ? { ...report, cut_at_limit: cut } : report, null, 2));
      else
        for (const [title, rows] of Object.entries(report)) {
          const more = title in cut ? `\n  … more rows than --limit ${limit}; a higher --limit lists them` : '';
          console.log(`${title.replace('_', ' ')}\n${textTable(rows, { last: 'reason' })}${more}\n`);
        }
      return 0;
    } finally {
      warehouse.close();
    }
  },
};
