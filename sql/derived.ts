import type { DuckDBConnection } from '@duckdb/node-api';
import { readSqlFile, sqlOfBlock } from './files.ts';

/**
 * The derived tables of sql/derived.sql: per-record history facts built once per load, read by the
 * metric fragments of the same name. `derived_state` records the latest load they were built after,
 * so a warehouse whose tables are older than its data (a load killed before the rebuild, a warehouse
 * from before they existed) is rebuilt when next opened for writing.
 */
export interface DerivedTable {
  name: string;
  table: string;
  sql: string;
}

let cached: DerivedTable[] | undefined;
export function derivedTables(): DerivedTable[] {
  cached ??= readSqlFile('derived.sql')
    .split(/^(?=-- derived: )/m)
    .filter((block) => block.startsWith('-- derived: '))
    .map((block) => {
      const name = /^-- derived: (\w+)/.exec(block)![1]!;
      return { name, table: `derived_${name}`, sql: sqlOfBlock(block) };
    });
  return cached;
}

async function latestLoad(c: DuckDBConnection): Promise<number> {
  const rows = (await c.runAndReadAll('SELECT coalesce(max(load_id), 0)::INTEGER AS n FROM loads')).getRowObjectsJson();
  return Number(rows[0]?.['n'] ?? 0);
}

/** True when every derived table exists and was built after the warehouse's latest load. */
export async function derivedTablesCurrent(c: DuckDBConnection): Promise<boolean> {
  const state = (
    await c.runAndReadAll(
      `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'derived_state')::INTEGER AS has_state,
              (SELECT count(*) FROM duckdb_tables() WHERE table_name IN (${derivedTables()
                .map((d) => `'${d.table}'`)
                .join(', ')}))::INTEGER AS tables`,
    )
  ).getRowObjectsJson()[0]!;
  if (Number(state['has_state']) === 0 || Number(state['tables']) !== derivedTables().length) return false;
  const built = (
    await c.runAndReadAll('SELECT coalesce(max(built_after_load), -1)::INTEGER AS n FROM derived_state')
  ).getRowObjectsJson()[0]?.['n'];
  return Number(built) >= (await latestLoad(c));
}

/** Rebuilds every derived table in one transaction: a reader sees all old or all new. */
export async function rebuildDerivedTables(c: DuckDBConnection): Promise<void> {
  await c.run('BEGIN TRANSACTION');
  try {
    for (const derived of derivedTables()) await c.run(`CREATE OR REPLACE TABLE ${derived.table} AS ${derived.sql}`);
    await c.run('CREATE OR REPLACE TABLE derived_state (built_after_load INTEGER, built_at TIMESTAMP)');
    await c.run(`INSERT INTO derived_state VALUES ((SELECT coalesce(max(load_id), 0) FROM loads), now()::TIMESTAMP)`);
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK');
    throw err;
  }
}

/** Rebuilds the derived tables when they are missing or older than the latest load. */
export async function ensureDerivedTables(c: DuckDBConnection): Promise<boolean> {
  if (await derivedTablesCurrent(c)) return false;
  await rebuildDerivedTables(c);
  return true;
}
