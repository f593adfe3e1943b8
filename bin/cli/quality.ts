import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
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
  --limit N    at most N rows per list (default 50)
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
      const report = await warehouse.withConnection(async (c) =>
        loadId
          ? { rejects: await registry.run(c, 'quality_rejects', { params: { load_id: loadId, limit } }) }
          : {
              loads: await registry.run(c, 'quality_loads', { params: { limit } }),
              reject_reasons: await registry.run(c, 'quality_reject_reasons', { params: { limit } }),
            },
      );
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else
        for (const [title, rows] of Object.entries(report))
          console.log(`${title.replace('_', ' ')}\n${textTable(rows, { last: 'reason' })}\n`);
      return 0;
    } finally {
      warehouse.close();
    }
  },
};
