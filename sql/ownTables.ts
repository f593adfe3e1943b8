import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Names the warehouse's own tables in a way temporary objects cannot shadow. A step that narrows
 * work to some children creates temporary views or tables with the warehouse tables' names, so SQL
 * written for the whole warehouse runs unchanged on the few (`withTablesNarrowed`); a bare or `main.`
 * name would then find the temporary one, the database's own name does not.
 */
export async function ownTableNamer(c: DuckDBConnection): Promise<(table: string) => string> {
  const db = (await c.runAndReadAll('SELECT current_database() AS db')).getRowObjectsJson()[0]?.['db'] as string;
  const quoted = `"${db.replaceAll('"', '""')}"`;
  return (table) => `${quoted}.main.${table}`;
}

/**
 * Runs `work` with each of `tables` shadowed by a temporary object of the same name holding only
 * the rows of the children in `children` (a relation with a `child_key` column), so SQL written for
 * the whole warehouse computes for those children alone: the derived tables' per-child rebuild
 * (sql/derived.ts) and the census flag rules (etl/validation/rules.ts). `copy` makes them tables,
 * worth it when many statements read them; otherwise they are views. `own` names the real tables.
 */
export async function withTablesNarrowed<T>(
  c: DuckDBConnection,
  tables: readonly string[],
  children: string,
  options: { copy: boolean },
  work: (own: (table: string) => string) => Promise<T>,
): Promise<T> {
  const own = await ownTableNamer(c);
  const kind = options.copy ? 'TABLE' : 'VIEW';
  try {
    for (const t of tables)
      await c.run(
        `CREATE OR REPLACE TEMP ${kind} ${t} AS SELECT * FROM ${own(t)} WHERE child_key IN (SELECT child_key FROM ${children})`,
      );
    return await work(own);
  } finally {
    for (const t of tables) await c.run(`DROP ${kind} IF EXISTS temp.${t}`);
  }
}
