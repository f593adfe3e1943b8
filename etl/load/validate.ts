import { quotedIdentifier, quotedString, type DuckDBConnection } from '@duckdb/node-api';
import { basename } from 'node:path';
import type { ColumnSpec, TableSpec } from '../canonical/model.ts';
import { IrregularCsvError, LoadError } from '../staging/loadError.ts';
import { provenanceColumn, rowPlace, stagedRelation, type StagedTable } from '../staging/stagedTable.ts';

/**
 * Validation reads a staged table in three steps, each a projection of the one before:
 *  1. present text: each value trimmed, NULL when empty (`p_<col>`);
 *  2. typed values, from the present text (`<col>`), keeping the present text the rules need;
 *  3. the rules over both, as one boolean.
 * Trimming is done once per value, and only when the file has spaces at value edges at all.
 */
const presentName = (name: string) => quotedIdentifier(`p_${name}`);
const typedName = (name: string) => quotedIdentifier(name);

/** The typed value of a column from its present text `p`, or NULL when the text cannot be that type. */
function typedExpression(column: ColumnSpec, p: string): string {
  switch (column.kind) {
    case 'id':
    case 'text':
      return column.lowerCase ? `lower(${p})` : p;
    case 'date':
      return `parse_extract_date(${p})`;
    case 'yesNo':
      return `parse_yes_no(${p})`;
    case 'count':
      return `try_cast(${p} AS INTEGER)`;
    case 'sex':
      return `sex_group(${p})`;
    case 'factors':
      // Lambdas per row are slow in bulk, so the list is only filtered when the text has empty items.
      return `CASE WHEN ${p} IS NULL THEN []::VARCHAR[]
        WHEN ${p} LIKE '%;;%' OR ${p} LIKE ';%' OR ${p} LIKE '%;' OR ${p} LIKE '% %'
          THEN list_filter(list_transform(string_split(${p}, ';'), f -> upper(trim(f))), f -> f <> '')
        ELSE string_split(upper(${p}), ';') END`;
    case 'code': {
      // Normalise spelling (neg → NEG) to the code as listed, so one case rule serves every input.
      const upper = column.codes.every((code) => code === code.toUpperCase());
      const lower = column.codes.every((code) => code === code.toLowerCase());
      if (upper || lower) {
        const fold = upper ? 'upper' : 'lower';
        return `CASE WHEN ${fold}(${p}) IN (${column.codes.map(quotedString).join(', ')}) THEN ${fold}(${p}) END`;
      }
      return `CASE lower(${p}) ${column.codes.map((code) => `WHEN ${quotedString(code.toLowerCase())} THEN ${quotedString(code)}`).join(' ')} END`;
    }
  }
}

/** Kinds whose text can fail to become a value. */
const parsedKinds = new Set(['date', 'yesNo', 'count', 'code']);

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

/** A rule a staged row must keep: `fails` is SQL over the present text (p_<col>) and typed columns. */
interface Rule {
  field: string;
  value: string;
  reason: string;
  fails: string;
  /** The DfE rule code, for the CIN census rules (etl/validation/rules.ts). */
  rule?: string;
}

/** A DfE CIN census rule that rejects a row: `fails` is SQL over the row's typed columns. */
export interface CodedCheck {
  rule: string;
  field: string;
  reason: string;
  fails: string;
}

/** What a row is checked against beyond its own text. */
export interface ValidationContext {
  /** The extract's reference date (YYYY-MM-DD): nothing in it can have happened after this. */
  referenceDate: string;
  /** The person loading has confirmed a population file that differs from the ONS estimate. */
  confirmPopulation?: boolean;
  /** Rules with DfE codes this table's rows must keep too (CIN census loads). */
  codedChecks?: readonly CodedCheck[];
  /** The DfE rule a repeated key breaks, named on its rejects (8510 for a census's LA child id). */
  duplicateRule?: string;
}

/** The earliest date a child's record can hold: anything before is a typing error (0000-01-01, 1066). */
const earliestDate = '1900-01-01';
/** The CIN census records an expected date of birth for an unborn child: up to ten months ahead. */
const expectedBirthAheadDays = 305;
/** How far a loaded population may differ from the ONS estimate for the LA before it is refused. */
export const populationTolerance = 0.25;
/** Every spelling of sex the CIN census and SSDA903 use (METRICS.md §1 "Sex"); anything else is refused. */
const sexSpellings = ['1', '2', '0', '9', 'M', 'F', 'U', 'MALE', 'FEMALE', 'UNKNOWN'];

function rules(spec: TableSpec, context: ValidationContext): Rule[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(context.referenceDate))
    throw new Error(`not a reference date: ${context.referenceDate}`);
  const list: Rule[] = [];
  for (const column of spec.columns) {
    const present = presentName(column.name);
    const typed = typedName(column.name);
    if (column.required)
      list.push({ field: column.name, value: 'NULL', reason: 'missing', fails: `${present} IS NULL` });
    if (parsedKinds.has(column.kind)) {
      list.push({
        field: column.name,
        value: present,
        reason: describeExpected(column),
        fails: `${present} IS NOT NULL AND ${typed} IS NULL`,
      });
    }
    if (column.kind === 'count') {
      list.push({ field: column.name, value: present, reason: 'must not be negative', fails: `${typed} < 0` });
    }
    if (column.kind === 'sex') {
      list.push({
        field: column.name,
        value: present,
        reason: `unknown code (expected one of 1, 2, 0, 9, M, F, U)`,
        fails: `${present} IS NOT NULL AND upper(${present}) NOT IN (${sexSpellings.map(quotedString).join(', ')})`,
      });
    }
    if (column.kind === 'date') {
      list.push({
        field: column.name,
        value: present,
        reason: `before ${earliestDate}: not a date in a child's record`,
        fails: `${typed} < DATE '${earliestDate}'`,
      });
      // An extract cannot know what happened after it was taken (a plan "starting" in 2099).
      const ahead = column.name === 'expected_birth_date' ? expectedBirthAheadDays : 0;
      list.push({
        field: column.name,
        value: present,
        reason:
          ahead > 0
            ? `more than ${ahead} days after the extract's reference date (${context.referenceDate})`
            : `after the extract's reference date (${context.referenceDate}): an extract cannot record what has not happened`,
        fails: `${typed} > DATE '${context.referenceDate}' + ${ahead}`,
      });
    }
  }
  if (spec.table === 'population' && !context.confirmPopulation) {
    // A file in thousands, or another LA's, would make every rate wrong: checked against the
    // bundled ONS estimate for this LA for the same mid-year or up to three years before.
    const ons = `(SELECT arg_max(ons_children, ons_year) FROM ons_children_by_year
                  WHERE ons_year <= ${typedName('year')} AND ons_year >= ${typedName('year')} - 3)`;
    list.push({
      field: 'count',
      value: presentName('count'),
      reason:
        `differs from the ONS mid-year estimate of this LA's children by more than ${populationTolerance * 100}% ` +
        '(a file in thousands, or another LA?); load it with --confirm-population if it is right',
      fails: `${typedName('dimension')} = 'all' AND ${ons} > 0 AND abs(${typedName('count')} / ${ons} - 1) > ${populationTolerance}`,
    });
  }
  for (const check of spec.checks ?? []) {
    list.push({ field: check.field, value: presentName(check.field), reason: check.reason, fails: check.fails });
  }
  for (const check of context.codedChecks ?? []) {
    list.push({
      field: check.field,
      value: `${typedName(check.field)}::VARCHAR`,
      reason: check.reason,
      fails: check.fails,
      rule: check.rule,
    });
  }
  for (const [earlier, later] of spec.dateOrder ?? []) {
    list.push({
      field: later,
      value: presentName(later),
      reason: `${later} is before ${earlier}`,
      fails: `${typedName(later)} < ${typedName(earlier)}`,
    });
  }
  return list;
}

/** Columns whose present text a rule reads, besides their typed value. */
function presentColumnsRuled(spec: TableSpec): ColumnSpec[] {
  return spec.columns.filter(
    (col) =>
      col.required ||
      parsedKinds.has(col.kind) ||
      col.kind === 'sex' ||
      col.kind === 'count' ||
      (spec.dateOrder ?? []).some(([, later]) => later === col.name) ||
      (spec.table === 'population' && col.name === 'count') ||
      (spec.checks ?? []).some((check) => check.field === col.name),
  );
}

/** Columns that identify the same real thing within one file (DATA.md identity rules). */
function duplicateKey(spec: TableSpec): string[] {
  if (spec.table === 'children') return ['child_id'];
  if (spec.table === 'population') return ['year', 'dimension', 'group'];
  if (spec.identity) return [...spec.identity];
  return ['child_id', spec.naturalDate ?? 'start_date'];
}

/** The name of the typed, checked rows of one table in this load. */
export function checkedTableName(spec: TableSpec): string {
  return `checked_${spec.table}`;
}

/** The later rows of keys repeated in one table of the file: a census checks all its tables at once. */
function duplicateRowsName(spec: TableSpec): string {
  return `duplicate_${spec.table}`;
}

/** The name of a children file's new ids, numbered before its transaction (merge.ts numberNewChildren). */
export function newChildIdsName(spec: TableSpec): string {
  return `new_ids_${spec.table}`;
}

/** Drops what checkStagedTable and numberNewChildren made for a table. */
export async function dropCheckedTable(c: DuckDBConnection, spec: TableSpec): Promise<void> {
  await c.run(`DROP TABLE IF EXISTS ${checkedTableName(spec)}`);
  await c.run(`DROP TABLE IF EXISTS ${duplicateRowsName(spec)}`);
  await c.run(`DROP TABLE IF EXISTS ${newChildIdsName(spec)}`);
}

/**
 * Steps 1 and 2 over `relation`: typed columns plus the present text the rules read, and any
 * `carried` columns passed through.
 */
function typedRows(staged: StagedTable, relation: string, carried: string[]): string {
  const { spec } = staged;
  const present = (col: ColumnSpec) => {
    // An optional column the file leaves out (children.csv without family_id) is empty throughout.
    if (!staged.header.includes(col.name)) return `NULL::VARCHAR AS ${presentName(col.name)}`;
    const text = quotedIdentifier(col.name);
    return `nullif(${staged.spacesAtEdges ? `trim(${text})` : text}, '') AS ${presentName(col.name)}`;
  };
  const ruled = presentColumnsRuled(spec).map((col) => presentName(col.name));
  return `
    SELECT ${[
      ...carried,
      ...ruled,
      ...spec.columns.map((col) => `${typedExpression(col, presentName(col.name))} AS ${typedName(col.name)}`),
    ].join(', ')}
    FROM (SELECT ${[...carried, ...spec.columns.map(present)].join(', ')} FROM ${relation})`;
}

/** One staged table typed and checked into `checked_<table>`, before the load's transaction. */
export interface CheckedTable {
  staged: StagedTable;
  sourcePath: string;
  context: ValidationContext;
  /** The rules the rows were checked against, for the reasons of those that broke one. */
  ruleList: readonly Rule[];
  read: number;
  /** Rows breaking a rule (duplicates aside). */
  failing: number;
  /** Whether `duplicate_<table>` holds the later rows of keys repeated in the file. */
  duplicated: boolean;
}

/**
 * Types and checks one staged table into `checked_<table>`: typed rows with `accepted`. The staged
 * CSV is read once, straight into the typed table. Most rows are good, so the rules are evaluated
 * as one boolean; reasons are worked out afterwards, for the failing rows alone (recordRejects), and
 * duplicates only when the grouping finds any.
 *
 * Called before the load's transaction begins: DuckDB scans rows a transaction wrote itself on one
 * thread, and everything after this (the counts, the identity registration, the merge) reads the
 * checked table. At 12 M children the children file's count, registration and insert took 6.8 s
 * inside the transaction and 4.3 s after the table was committed (docs/BENCHMARKS.md). The table is
 * the connection's own scratch (TEMP), not the warehouse's: a failed load still changes nothing.
 */
export async function checkStagedTable(
  c: DuckDBConnection,
  staged: StagedTable,
  sourcePath: string,
  context: ValidationContext,
): Promise<CheckedTable> {
  const { spec } = staged;
  const checked = checkedTableName(spec);
  const ruleList = rules(spec, context);
  if (spec.table === 'population') {
    await c.run(`CREATE OR REPLACE TEMP VIEW ons_children_by_year AS
      SELECT year AS ons_year, max(count) AS ons_children FROM population WHERE source = 'ons' AND dimension = 'all' GROUP BY year`);
  }
  const key = duplicateKey(spec).map(typedName);
  const keyPresent = key.map((k) => `${k} IS NOT NULL`).join(' AND ');
  const failsAny = failsAnyRule(ruleList);
  const provenance = provenanceCarried(staged);
  const ruledPresent = presentColumnsRuled(spec).map((col) => presentName(col.name));

  // Positions cost a single-threaded numbering pass, so the fast path goes without: only a file
  // with repeated keys needs to know which occurrence came first.
  const createChecked = async (withPosition: boolean) => {
    const relation = withPosition
      ? `(SELECT row_number() OVER () - 1 AS stage_row, * FROM ${stagedRelation(staged)})`
      : stagedRelation(staged);
    const carried = [...(withPosition ? ['stage_row'] : []), ...provenance];
    try {
      await c.run(`
        CREATE OR REPLACE TEMP TABLE ${checked} AS
        SELECT * ${ruledPresent.length ? `EXCLUDE (${ruledPresent.join(', ')})` : ''}, NOT (${failsAny}) AS accepted
        FROM (${typedRows(staged, relation, carried)})`);
    } catch (err) {
      const refusal = staged.provenance === 'line' ? IrregularCsvError : LoadError;
      throw new refusal(
        sourcePath,
        'row',
        undefined,
        `cannot be read as CSV: ${String((err as Error).message ?? err).split('\n')[0]}`,
      );
    }
  };
  await createChecked(false);

  // Keys are grouped by their hash: one 64-bit value instead of the id's text and a date (at 12 M,
  // 0.67 → 0.58 s for the referrals). Two keys sharing a hash look repeated, and only send the file
  // down the exact path below, which finds no repeat among them.
  const counts = (
    await c.runAndReadAll(`
    SELECT count(*)::INTEGER AS read, count(*) FILTER (NOT accepted)::INTEGER AS failing,
           (SELECT count(*) FROM (SELECT 1 FROM ${checked} WHERE ${keyPresent} GROUP BY hash(${key.join(', ')}) HAVING count(*) > 1))::INTEGER
             AS repeated_keys
    FROM ${checked}`)
  ).getRowObjectsJson()[0] as { read: number; failing: number; repeated_keys: number };

  // A key seen before in the same file: the later rows will be rejected, naming the first.
  if (counts.repeated_keys > 0) {
    await createChecked(true);
    await c.run(`
      CREATE OR REPLACE TEMP TABLE ${duplicateRowsName(spec)} AS
      SELECT stage_row, place, first_row FROM (
        SELECT stage_row, ${rowPlace(staged, 'stage_row')} AS place,
               row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY stage_row) AS occurrence,
               first(${rowPlace(staged, 'stage_row')}) OVER (PARTITION BY ${key.join(', ')} ORDER BY stage_row) AS first_row
        FROM ${checked}
        SEMI JOIN (SELECT ${key.join(', ')} FROM ${checked} WHERE ${keyPresent} GROUP BY ALL HAVING count(*) > 1) repeated
          USING (${key.join(', ')})
      ) WHERE occurrence > 1`);
  }
  return {
    staged,
    sourcePath,
    context,
    ruleList,
    read: counts.read,
    failing: counts.failing,
    duplicated: counts.repeated_keys > 0,
  };
}

/** The staged column naming each row's source place (a census's XML line), when rows carry one. */
function provenanceCarried(staged: StagedTable): string[] {
  return staged.provenance === 'src_row' ? [quotedIdentifier(provenanceColumn)] : [];
}

function failsAnyRule(ruleList: readonly Rule[]): string {
  return ruleList.length ? ruleList.map((r) => `coalesce(${r.fails}, false)`).join(' OR ') : 'false';
}

/**
 * Inside the load's transaction: every problem of a checked table recorded in `rejects` under the
 * load, and its repeated keys' later rows no longer accepted.
 */
export async function recordRejects(
  c: DuckDBConnection,
  table: CheckedTable,
  loadId: number,
): Promise<{ read: number; accepted: number; rejected: number }> {
  const { staged, sourcePath, context, ruleList } = table;
  const { spec } = staged;
  const checked = checkedTableName(spec);
  const failsAny = failsAnyRule(ruleList);
  const provenance = provenanceCarried(staged);
  const params = { load_id: loadId, file: basename(sourcePath) };

  // Reasons, for the failing rows only: the staged text is read again, and every broken rule of a
  // failing row gives one reject row. Rows that name their source place (a census's XML line) are
  // narrowed to the failing rows' places before anything is typed; a CSV's rows are numbered, a
  // single-threaded pass (at 12 M the numbering and typing of a census's 2.6 M referrals for its
  // 57 rejects took 1.2 s).
  if (table.failing > 0 && ruleList.length > 0) {
    const problems = ruleList.map(
      (r) =>
        `CASE WHEN ${r.fails} THEN {'field': ${quotedString(r.field)}, 'value': ${r.value}::VARCHAR, 'reason': ${quotedString(r.reason)}, 'rule': ${r.rule ? quotedString(r.rule) : 'NULL::VARCHAR'}} END`,
    );
    const rows =
      staged.provenance === 'src_row'
        ? `(SELECT * FROM ${stagedRelation(staged)} WHERE ${provenance[0]} IN (SELECT ${provenance[0]} FROM ${checked} WHERE NOT accepted))`
        : `(SELECT row_number() OVER () - 1 AS stage_row, * FROM ${stagedRelation(staged)})`;
    const carried = staged.provenance === 'src_row' ? provenance : ['stage_row', ...provenance];
    await c.run(
      `INSERT INTO rejects (load_id, file, "row", field, value, reason, rule)
       SELECT $load_id, $file, place, p.field, p.value, p.reason, p.rule
       FROM (
         SELECT ${rowPlace(staged, 'stage_row')} AS place, unnest(list_filter([${problems.join(', ')}], p -> p IS NOT NULL)) AS p
         FROM (${typedRows(staged, rows, carried)})
         WHERE ${failsAny}
       )`,
      params,
    );
  }

  // A key seen before in the same file: the later rows are rejected, naming the first.
  let duplicates = 0;
  if (table.duplicated) {
    await c.run(
      `INSERT INTO rejects (load_id, file, "row", field, value, reason, rule)
       SELECT $load_id, $file, place, ${quotedString(duplicateKey(spec).join('+'))}, NULL,
              'duplicate of row ' || first_row || ' in the same file'${context.duplicateRule ? ` || ' (DfE rule ${context.duplicateRule})'` : ''},
              ${context.duplicateRule ? quotedString(context.duplicateRule) : 'NULL'}
       FROM ${duplicateRowsName(spec)} ORDER BY stage_row`,
      params,
    );
    duplicates = Number(
      (
        await c.run(
          `UPDATE ${checked} SET accepted = false WHERE accepted AND stage_row IN (SELECT stage_row FROM ${duplicateRowsName(spec)})`,
        )
      ).rowsChanged,
    );
  }
  const accepted = table.read - table.failing - duplicates;
  return { read: table.read, accepted, rejected: table.read - accepted };
}
