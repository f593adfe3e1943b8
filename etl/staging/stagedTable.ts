import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { TableSpec } from '../canonical/model.ts';

/**
 * Staged rows: every reader leaves each canonical table's rows as text in a CSV file: staged values
 * are text, and typing and validation happen in SQL (docs/DECISIONS.md). Canonical CSV is staged where it
 * lies; other formats are transcribed into CSV files in the load's staging folder. DuckDB's
 * parallel `read_csv` then reads them in one pass, with no staging copy inside the database.
 */
export interface StagedTable {
  spec: TableSpec;
  /**
   * The CSV files holding the rows, read in this order as one table: one file, or a census read in
   * parts by several workers (etl/readers/cinCensusParts.ts), each part's rows in a file of its own.
   */
  csvPaths: readonly string[];
  /** Its columns, in file order; every one is read as text. */
  header: readonly string[];
  /**
   * Where each row came from: the line in the file itself (canonical CSV), or the `src_row`
   * column a reader wrote (an XML element path, a workbook sheet and row).
   */
  provenance: 'line' | 'src_row';
  /**
   * Whether a value may begin or end with a space (so validation trims every value). Transcribed
   * files never have any: the writer trims as it writes.
   */
  spacesAtEdges: boolean;
  /**
   * Columns this file does not carry (SSDA903 has no disability; an older children.csv no
   * family_id): the merge keeps the warehouse's value for them instead of clearing it.
   */
  keepsStored?: readonly string[];
}

/** The column a transcribing reader writes first: where in its source file the row came from. */
export const provenanceColumn = 'src_row';

/**
 * The staged rows as a relation of text columns, in file order. A file read by position (canonical
 * CSV, `provenance: 'line'`) is read in DuckDB's strict mode, which refuses a record with too few or
 * too many fields: the file scan does not count them (csvRecords.ts CsvShape), and such a file is
 * then read record by record instead (IrregularCsvError).
 */
export function stagedRelation(
  staged: Pick<StagedTable, 'csvPaths' | 'header'> & Partial<Pick<StagedTable, 'provenance'>>,
): string {
  const columns = staged.header.map((name) => `${quotedString(name)}: 'VARCHAR'`).join(', ');
  const strict = staged.provenance === 'line';
  return `read_csv([${staged.csvPaths.map(quotedString).join(', ')}], header = true, columns = {${columns}}, auto_detect = false,
                   delim = ',', quote = '"', escape = '"', null_padding = ${!strict}, strict_mode = ${strict})`;
}

/**
 * SQL for a staged row's place in its file, over a table built from the relation in file order
 * (DuckDB keeps insertion order, so `rowid` is the row's position): the header is line 1, so row
 * n (from 0) is on line n + 2. Rows with newlines inside quoted fields would shift later numbers;
 * canonical extracts have none.
 */
export function rowPlace(staged: StagedTable, rowid = 'rowid'): string {
  return staged.provenance === 'line' ? `(${rowid} + 2)::VARCHAR` : quotedIdentifier(provenanceColumn);
}
