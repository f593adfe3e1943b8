// The census floor's second half, for `npm run bench -- scale`: DuckDB's own read_csv of the rows a
// census read staged (bench/support/stageCensus.ts, kept) into empty tables of a fresh database,
// and a checkpoint; nothing typed, checked, keyed or merged. The read alone plus this is the least
// a load that reads the census as ours does and stores its rows in DuckDB can take, whatever it
// checks afterwards (docs/BENCHMARKS.md, "The census floor").
// Prints { seconds, rows }: its own clock, from the first statement to the checkpoint's end.
import { DuckDBInstance, quotedIdentifier, quotedString } from '@duckdb/node-api';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { machineSettings } from '../../sql/machine.ts';

const [stagedDir, dbPath] = process.argv.slice(2);
if (!stagedDir || !dbPath) throw new Error('usage: insertStagedCensus.ts STAGED_DIR DB_PATH');
for (const path of [dbPath, `${dbPath}.wal`]) rmSync(path, { force: true });

// A census is staged in parts (part0/, part1/, …), each holding a file per table.
const parts = readdirSync(stagedDir).map((part) => join(stagedDir, part));
const filesByTable = new Map<string, string[]>();
for (const part of parts)
  for (const file of readdirSync(part).filter((f) => f.endsWith('.csv')))
    filesByTable.set(file, [...(filesByTable.get(file) ?? []), join(part, file)]);

// The warehouse's own thread count, as for the CSV load's read_csv.
const instance = await DuckDBInstance.create(dbPath, { threads: String(machineSettings().duckdbThreads) });
const connection = await instance.connect();
const started = process.hrtime.bigint();
const tables = [...filesByTable].map(([file, paths]) => ({
  name: quotedIdentifier(file.replace(/\.csv$/, '')),
  paths,
}));
for (const { name, paths } of tables)
  await connection.run(
    `CREATE TABLE ${name} AS SELECT * FROM read_csv([${paths.map(quotedString).join(', ')}], header = true)`,
  );
await connection.run('CHECKPOINT');
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
let rows = 0;
for (const { name } of tables)
  rows += Number(
    (await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${name}`)).getRowObjectsJson()[0]?.['n'],
  );
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ seconds, rows }));
