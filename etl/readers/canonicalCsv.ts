import { quotedIdentifier, type DuckDBConnection } from '@duckdb/node-api';
import { basename } from 'node:path';
import { canonicalTables, type TableSpec } from '../canonical/model.ts';
import { createStageTable, stageTableName } from '../load/stageTable.ts';
import { LoadError } from '../load/loadError.ts';
import type { ExtractReader } from './reader.ts';

/**
 * Reader for the canonical CSV of DATA.md: DuckDB's own read_csv stages the file as text.
 * It knows which table a file is by its header (the file name only breaks ties), so a renamed
 * export still lands in the right place.
 */

export async function csvHeader(c: DuckDBConnection, path: string): Promise<string[]> {
  try {
    const described = await c.runAndReadAll(
      `DESCRIBE SELECT * FROM read_csv($path, header = true, all_varchar = true, auto_detect = true, sample_size = 1)`,
      { path },
    );
    return described.getRowObjectsJson().map((row) => String(row['column_name']).trim().toLowerCase());
  } catch (err) {
    throw new LoadError(path, 'header', undefined, `cannot be read as CSV: ${firstLine(err)}`);
  }
}

/**
 * The canonical table a file holds. A canonical file name wins when the header carries that
 * table's required columns (a missing optional column is then reported, not guessed around);
 * otherwise the table whose columns are all present and explain most of the header.
 */
export function tableForHeader(header: string[], fileName: string): TableSpec | undefined {
  const byName = canonicalTables.find((t) => t.file === basename(fileName).toLowerCase());
  if (byName && byName.columns.filter((col) => col.required).every((col) => header.includes(col.name))) return byName;
  const complete = canonicalTables.filter((t) => t.columns.every((col) => header.includes(col.name)));
  return complete.sort((a, b) => b.columns.length - a.columns.length)[0];
}

/** Columns of the table missing from the header: a file without them cannot be loaded. */
export function missingColumns(spec: TableSpec, header: string[]): string[] {
  return spec.columns.map((col) => col.name).filter((name) => !header.includes(name));
}

export async function stageCanonicalCsv(c: DuckDBConnection, path: string, spec: TableSpec): Promise<void> {
  const header = await csvHeader(c, path);
  const missing = missingColumns(spec, header);
  if (missing.length > 0) {
    throw new LoadError(path, 'header', missing.join(', '), `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for ${spec.file}`);
  }
  await createStageTable(c, spec);
  const columnTypes = header.map((name) => `${quotedString(name)}: 'VARCHAR'`).join(', ');
  const selected = spec.columns.map((col) => quotedIdentifier(col.name)).join(', ');
  try {
    // Line numbers: the header is line 1, so data row n is line n + 1 (rows with embedded newlines
    // in quoted fields would shift later numbers; canonical extracts have none).
    await c.run(
      `INSERT INTO ${stageTableName(spec)}
       SELECT $file, (row_number() OVER () + 1)::VARCHAR, ${selected}
       FROM read_csv($path, header = true, columns = {${columnTypes}}, auto_detect = false,
                     delim = ',', quote = '"', escape = '"', null_padding = true, strict_mode = false)`,
      { path, file: basename(path) },
    );
  } catch (err) {
    throw new LoadError(path, 'row', undefined, `cannot be read as CSV: ${firstLine(err)}`);
  }
}

export const canonicalCsvReader: ExtractReader = {
  format: 'canonical-csv',
  async stage(c, path) {
    const spec = tableForHeader(await csvHeader(c, path), path);
    if (!spec) {
      throw new LoadError(path, 'header', undefined,
        `has no header matching a canonical table (${canonicalTables.map((t) => t.file).join(', ')})`);
    }
    await stageCanonicalCsv(c, path, spec);
    return { tables: [spec], rowsRejectedOnRead: 0 };
  },
};

function quotedString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0] ?? '';
}
