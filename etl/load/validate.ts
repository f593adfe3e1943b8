import { quotedIdentifier, quotedString, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec, TableSpec } from '../canonical/model.ts';
import { stageTableName } from './stageTable.ts';

/** The typed value of a staged text column, or NULL when the text cannot be that type. */
function typedExpression(column: ColumnSpec): string {
  const raw = `nullif(trim(${quotedIdentifier(column.name)}), '')`;
  switch (column.kind) {
    case 'id':
    case 'text':
      return raw;
    case 'date':
      return `parse_extract_date(${raw})`;
    case 'yesNo':
      return `parse_yes_no(${raw})`;
    case 'count':
      return `try_cast(${raw} AS INTEGER)`;
    case 'sex':
      return `sex_group(${raw})`;
    case 'factors':
      return `list_filter(list_transform(string_split(coalesce(${raw}, ''), ';'), f -> upper(trim(f))), f -> f <> '')`;
    case 'code': {
      // Normalise spelling (neg → NEG) to the code as listed, so one case rule serves every input.
      const codes = `[${column.codes.map(quotedString).join(', ')}]`;
      return `list_filter(${codes}, code -> lower(code) = lower(${raw}))[1]`;
    }
  }
}

function describeExpected(column: ColumnSpec): string {
  switch (column.kind) {
    case 'date':
      return 'not a real date (expected YYYY-MM-DD or DD/MM/YYYY)';
    case 'yesNo':
      return 'not a yes/no value (expected Y/N, true/false or 1/0)';
    case 'count':
      return 'not a whole number';
    case 'code':
      return `unknown code (expected one of ${column.codes.join(', ')})`;
    default:
      return 'invalid';
  }
}

/** One struct per broken rule, NULL when the rule holds; collected into a list per row. */
function problemChecks(spec: TableSpec): string[] {
  const problem = (field: string, value: string, reason: string) =>
    `{'field': ${quotedString(field)}, 'value': ${value}, 'reason': ${quotedString(reason)}}`;
  const checks: string[] = [];
  for (const column of spec.columns) {
    const raw = `nullif(trim(${quotedIdentifier(column.name)}), '')`;
    if (column.required) {
      checks.push(`CASE WHEN ${raw} IS NULL THEN ${problem(column.name, 'NULL', 'missing')} END`);
    }
    if (['date', 'yesNo', 'count', 'code'].includes(column.kind)) {
      checks.push(
        `CASE WHEN ${raw} IS NOT NULL AND ${typedExpression(column)} IS NULL
           THEN ${problem(column.name, raw, describeExpected(column))} END`,
      );
    }
  }
  for (const [earlier, later] of spec.dateOrder ?? []) {
    const e = typedExpression({ name: earlier, kind: 'date' });
    const l = typedExpression({ name: later, kind: 'date' });
    checks.push(
      `CASE WHEN ${l} < ${e} THEN ${problem(later, `${quotedIdentifier(later)}`, `${later} is before ${earlier}`)} END`,
    );
  }
  return checks;
}

/** Columns that identify the same real thing within one file (DATA.md identity rules). */
function duplicateKey(spec: TableSpec): string[] {
  if (spec.table === 'children') return ['child_id'];
  if (spec.table === 'population') return ['year', 'dimension', 'group'];
  return ['child_id', spec.naturalDate ?? 'start_date'];
}

/**
 * Types and checks one staged table. Produces `checked_<table>` (typed rows, with the list of
 * problems of each) and records every problem in `rejects`. Returns read/accepted/rejected counts.
 */
export async function validateStagedTable(
  c: DuckDBConnection,
  spec: TableSpec,
  loadId: number,
): Promise<{ read: number; accepted: number; rejected: number }> {
  const typedColumns = spec.columns
    .map((col) => `${typedExpression(col)} AS ${quotedIdentifier(col.name)}`)
    .join(',\n      ');
  const keyTyped = duplicateKey(spec).map((name) => {
    const col = spec.columns.find((c) => c.name === name);
    return col ? typedExpression(col) : quotedIdentifier(name);
  });
  const checked = `checked_${spec.table}`;
  await c.run(`
    CREATE OR REPLACE TEMP TABLE ${checked} AS
    WITH typed AS (
      SELECT src_file, src_row,
        ${typedColumns},
        list_filter([${problemChecks(spec).join(',\n        ')}], p -> p IS NOT NULL) AS problems,
        row_number() OVER (PARTITION BY ${keyTyped.join(', ')} ORDER BY rowid) AS occurrence,
        first(src_row) OVER (PARTITION BY ${keyTyped.join(', ')} ORDER BY rowid) AS first_row
      FROM ${stageTableName(spec)}
    )
    SELECT * EXCLUDE (occurrence, first_row, problems),
      CASE WHEN occurrence > 1 AND ${duplicateKey(spec).map((k) => `${quotedIdentifier(k)} IS NOT NULL`).join(' AND ')}
        THEN list_append(problems, {'field': ${quotedString(duplicateKey(spec).join('+'))}, 'value': NULL,
          'reason': 'duplicate of row ' || first_row || ' in the same file'})
        ELSE problems END AS problems
    FROM typed`);
  await c.run(
    `INSERT INTO rejects
     SELECT $load_id, src_file, src_row, p.field, p.value, p.reason
     FROM (SELECT src_file, src_row, unnest(problems) AS p FROM ${checked})`,
    { load_id: loadId },
  );
  const counts = await c.runAndReadAll(
    `SELECT count(*)::INTEGER AS read, count(*) FILTER (len(problems) = 0)::INTEGER AS accepted FROM ${checked}`,
  );
  const row = counts.getRowObjectsJson()[0] as { read: number; accepted: number };
  return { read: row.read, accepted: row.accepted, rejected: row.read - row.accepted };
}
