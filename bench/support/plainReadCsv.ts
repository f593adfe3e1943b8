// The baseline for the load benchmark: DuckDB's own read_csv of the same canonical CSV files
// straight into tables, with nothing else (no staging, validation, identity or merge).
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { machineSettings } from '../../sql/machine.ts';

const [csvDir, dbPath] = process.argv.slice(2);
if (!csvDir || !dbPath) throw new Error('usage: plainReadCsv.ts CSV_DIR DB_PATH');
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
// The warehouse's own thread count, so the comparison is like with like.
const instance = await DuckDBInstance.create(dbPath, { threads: String(machineSettings().duckdbThreads) });
const connection = await instance.connect();
let rows = 0;
for (const file of readdirSync(csvDir)
  .filter((f) => f.endsWith('.csv'))
  .sort()) {
  const table = file.replace(/\.csv$/, '');
  const result = await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv($path, header = true)`, {
    path: join(csvDir, file),
  });
  rows += Number(result.rowsChanged);
}
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ rows }));
