import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier } from '@duckdb/node-api';
import type { TableSpec } from '../canonical/model.ts';

/**
 * Staging: a temp table per canonical table, every value text (DESIGN.md: "Staged values are text;
 * typing and validation happen in SQL"), with where each row came from.
 */
export function stageTableName(spec: TableSpec): string {
  return `stage_${spec.table}`;
}

export const provenanceColumns = ['src_file', 'src_row'] as const;

export async function createStageTable(c: DuckDBConnection, spec: TableSpec): Promise<void> {
  const columns = [...provenanceColumns, ...spec.columns.map((col) => col.name)]
    .map((name) => `${quotedIdentifier(name)} VARCHAR`)
    .join(', ');
  await c.run(`CREATE OR REPLACE TEMP TABLE ${stageTableName(spec)} (${columns})`);
}
