import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Names the warehouse's own tables in a way temporary objects cannot shadow. A step that narrows
 * work to some children creates temporary views or tables with the warehouse tables' names, so SQL
 * written for the whole warehouse runs unchanged on the few (sql/derived.ts, etl/validation/rules.ts);
 * a bare or `main.` name would then find the temporary one, the database's own name does not.
 */
export async function ownTableNamer(c: DuckDBConnection): Promise<(table: string) => string> {
  const db = (await c.runAndReadAll('SELECT current_database() AS db')).getRowObjectsJson()[0]?.['db'] as string;
  const quoted = `"${db.replaceAll('"', '""')}"`;
  return (table) => `${quoted}.main.${table}`;
}
