import { quotedIdentifier, quotedString, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec, TableSpec } from '../canonical/model.ts';
import { stageTableName } from './stageTable.ts';

/** The typed value of a staged text column, or NULL when the text cannot be that type. */
function typedExpression(column: ColumnSpec, source = quotedIdentifier(column.name)): string {
  const raw = `nullif(trim(${source}), '')`;
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
      // Lambdas per row are slow in bulk, so the list is only filtered when the text has empty items.
      return `CASE WHEN ${raw} IS NULL THEN []::VARCHAR[]
        WHEN ${raw} LIKE '%;;%' OR ${raw} LIKE ';%' OR ${raw} LIKE '%;' OR ${raw} LIKE '% %'
          THEN list_filter(list_transform(string_split(${raw}, ';'), f -> upper(trim(f))), f -> f <> '')
        ELSE string_split(upper(${raw}), ';') END`;
    case 'code': {
      // Normalise spelling (neg → NEG) to the code as listed, so one case rule serves every input.
      const upper = column.codes.every((code) => code === code.toUpperCase());
      const lower = column.codes.every((code) => code === code.toLowerCase());
      if (upper || lower) {
        const fold = upper ? 'upper' : 'lower';
        return `CASE WHEN ${fold}(${raw}) IN (${column.codes.map(quotedString).join(', ')}) THEN ${fold}(${raw}) END`;
      }
      return `CASE lower(${raw}) ${column.codes.map((code) => `WHEN ${quotedString(code.toLowerCase())} THEN ${quotedString(code)}`).join(' ')} END`;
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

/** A rule a staged row must keep: `fails` is SQL over the raw text (r_<col>) and typed columns. */
interface Rule {
  field: string;
  value: string;
  reason: string;
  fails: string;
}

const rawName = (name: string) => quotedIdentifier(`r_${name}`);
const typedName = (name: string) => quotedIdentifier(name);

function rules(spec: TableSpec): Rule[] {
  const list: Rule[] = [];
  for (const column of spec.columns) {
    const raw = `nullif(trim(${rawName(column.name)}), '')`;
    if (column.required) list.push({ field: column.name, value: 'NULL', reason: 'missing', fails: `${raw} IS NULL` });
    if (['date', 'yesNo', 'count', 'code'].includes(column.kind)) {
      list.push({
        field: column.name, value: raw, reason: describeExpected(column),
        fails: `${raw} IS NOT NULL AND ${typedName(column.name)} IS NULL`,
      });
    }
  }
  for (const [earlier, later] of spec.dateOrder ?? []) {
    list.push({
      field: later, value: rawName(later), reason: `${later} is before ${earlier}`,
      fails: `${typedName(later)} < ${typedName(earlier)}`,
    });
  }
  return list;
}

/** Columns that identify the same real thing within one file (DATA.md identity rules). */
function duplicateKey(spec: TableSpec): string[] {
  if (spec.table === 'children') return ['child_id'];
  if (spec.table === 'population') return ['year', 'dimension', 'group'];
  return ['child_id', spec.naturalDate ?? 'start_date'];
}

/**
 * Types and checks one staged table into `checked_<table>`: typed rows with `accepted`. Most rows
 * are good, so the fast path only evaluates the rules as one boolean; the reasons are worked out
 * afterwards, for the failing rows alone, and every one is recorded in `rejects`.
 */
export async function validateStagedTable(
  c: DuckDBConnection,
  spec: TableSpec,
  loadId: number,
): Promise<{ read: number; accepted: number; rejected: number }> {
  const stage = stageTableName(spec);
  const checked = `checked_${spec.table}`;
  const ruleList = rules(spec);
  const key = duplicateKey(spec).map(typedName);
  const keyPresent = key.map((k) => `${k} IS NOT NULL`).join(' AND ');
  const failsAny = ruleList.length ? ruleList.map((r) => `coalesce(${r.fails}, false)`).join(' OR ') : 'false';

  // One pass types every row and checks its rules; the few repeated keys are found afterwards by
  // grouping the typed table (a CTE read twice would type every row twice).
  await c.run(`
    CREATE OR REPLACE TEMP TABLE ${checked} AS
    SELECT *, rules_kept AS accepted, false AS duplicate, NULL::VARCHAR AS first_row
    FROM (
    SELECT * EXCLUDE (${spec.columns.map((col) => rawName(col.name)).join(', ')}), NOT (${failsAny}) AS rules_kept
    FROM (
      SELECT rowid AS stage_row, src_file, src_row,
        ${spec.columns.map((col) => `${quotedIdentifier(col.name)} AS ${rawName(col.name)}`).join(', ')},
        ${spec.columns.map((col) => `${typedExpression(col)} AS ${typedName(col.name)}`).join(',\n        ')}
      FROM ${stage}
    ) typed
    ) ruled`);
  await c.run(`
    UPDATE ${checked} SET duplicate = true, accepted = false, first_row = repeats.first_row
    FROM (
      SELECT stage_row,
             row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY stage_row) AS occurrence,
             first(src_row) OVER (PARTITION BY ${key.join(', ')} ORDER BY stage_row) AS first_row
      FROM ${checked}
      SEMI JOIN (SELECT ${key.join(', ')} FROM ${checked} WHERE ${keyPresent} GROUP BY ALL HAVING count(*) > 1) repeated
        USING (${key.join(', ')})
    ) repeats
    WHERE ${checked}.stage_row = repeats.stage_row AND repeats.occurrence > 1`);

  // Reasons, for the failing rows only: one reject row per broken rule.
  if (ruleList.length > 0) {
    const problems = ruleList.map((r) =>
      `CASE WHEN ${r.fails} THEN {'field': ${quotedString(r.field)}, 'value': ${r.value}::VARCHAR, 'reason': ${quotedString(r.reason)}} END`);
    await c.run(
      `INSERT INTO rejects
       SELECT $load_id, src_file, src_row, p.field, p.value, p.reason
       FROM (
         SELECT src_file, src_row, unnest(list_filter([${problems.join(', ')}], p -> p IS NOT NULL)) AS p
         FROM (
           SELECT s.rowid AS stage_row, s.src_file, s.src_row,
             ${spec.columns.map((col) => `s.${quotedIdentifier(col.name)} AS ${rawName(col.name)}`).join(', ')},
             ${spec.columns.map((col) => `${typedExpression(col, `s.${quotedIdentifier(col.name)}`)} AS ${typedName(col.name)}`).join(', ')}
           FROM ${stage} s
           WHERE s.rowid IN (SELECT stage_row FROM ${checked} WHERE NOT rules_kept)
         )
       )`,
      { load_id: loadId },
    );
  }
  await c.run(
    `INSERT INTO rejects
     SELECT $load_id, src_file, src_row, ${quotedString(duplicateKey(spec).join('+'))}, NULL,
            'duplicate of row ' || first_row || ' in the same file'
     FROM ${checked} WHERE duplicate`,
    { load_id: loadId },
  );
  const counts = await c.runAndReadAll(
    `SELECT count(*)::INTEGER AS read, count(*) FILTER (accepted)::INTEGER AS accepted FROM ${checked}`,
  );
  const row = counts.getRowObjectsJson()[0] as { read: number; accepted: number };
  return { read: row.read, accepted: row.accepted, rejected: row.read - row.accepted };
}
