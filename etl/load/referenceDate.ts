import type { DuckDBConnection } from '@duckdb/node-api';
import { formatsDatedByLatestEvent, type ExtractFormat, type StagedExtract } from '../readers/reader.ts';
import { stagedRelation } from '../staging/stagedTable.ts';

/**
 * The reference date a file loads under (docs/DATA.md "Reference dates"): the date the file states
 * (CIN census header), else the date the person loading gave, else, for returns that state none
 * (Annex A), the latest event date in its rows. Anything else has none, and is refused: a load
 * never takes today's date on its own, which once moved the pack to an empty future quarter.
 */
export async function chooseReferenceDate(
  c: DuckDBConnection,
  format: ExtractFormat,
  staged: StagedExtract,
  given: string | undefined,
): Promise<string | undefined> {
  if (staged.referenceDate) return staged.referenceDate;
  if (given) return given;
  if (formatsDatedByLatestEvent.has(format)) return latestEventDate(c, staged);
  return undefined;
}

/**
 * The latest event date in a file's staged rows: every date column but dates of birth (an unborn
 * child's expected date lies ahead), and nothing after today (a mistyped 2062 would otherwise date
 * the whole extract; validation rejects that row as after the reference date instead).
 */
export async function latestEventDate(c: DuckDBConnection, staged: StagedExtract): Promise<string | undefined> {
  const selects = staged.tables.flatMap((table) =>
    table.spec.columns
      .filter((column) => column.kind === 'date' && !column.name.includes('birth'))
      .filter((column) => table.header.includes(column.name))
      .map(
        (column) =>
          `SELECT max(parse_extract_date("${column.name}")) AS d FROM ${stagedRelation(table)} ` +
          `WHERE parse_extract_date("${column.name}") <= current_date`,
      ),
  );
  if (selects.length === 0) return undefined;
  const reader = await c.runAndReadAll(`SELECT max(d)::VARCHAR AS latest FROM (${selects.join(' UNION ALL ')})`);
  const latest = reader.getRowObjectsJson()[0]?.['latest'];
  return typeof latest === 'string' ? latest : undefined;
}

/** Why a file is not loaded, said before anything is written: nothing of it reaches the warehouse. */
export type Refusal = { reason: 'no reference date' } | { reason: 'other LA'; fileLa: string; warehouseLa: string };

export function noReferenceDateMessage(file: string, format: ExtractFormat): string {
  const what =
    format === 'canonical-csv'
      ? 'is canonical CSV, which carries no reference date'
      : 'states no reference date and has no event dates to take one from';
  return (
    `${file}: ${what}: nothing was loaded. Give the extract's reference date ` +
    '(the upload page\'s "Reference date", or lscb load --reference-date YYYY-MM-DD)'
  );
}

export function otherLaMessage(file: string, fileLa: string, warehouseLa: string, warehouseLaName: string): string {
  return (
    `${file}: is from LA ${fileLa}, but this warehouse is LA ${warehouseLa} (${warehouseLaName}): nothing was loaded. ` +
    "If it is right, confirm the LA (the upload page's confirmation, or lscb load --confirm-la)"
  );
}
