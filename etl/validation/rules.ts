import { quotedString, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot, sqlOfBlock } from '../../sql/files.ts';
import { withTablesNarrowed } from '../../sql/ownTables.ts';
import { inTransaction } from '../../sql/transaction.ts';
import { tableSpec, type CanonicalTable } from '../canonical/model.ts';
import type { CodedCheck } from '../load/validate.ts';

/**
 * The DfE CIN census validation rules the loader applies, read from etl/validation/cinCensusRules.sql
 * (one block per rule, in code order). A `reject` rule is a check on one staged row, so it joins the
 * loader's own checks (etl/load/validate.ts) and the row lands in `rejects` with the code; a `flag`
 * rule compares records of one child across tables, so it runs over the warehouse once a census is
 * merged and its records stay loaded, listed in `validation_flags`.
 */
export interface CensusRule {
  code: string;
  kind: 'reject' | 'flag';
  table: CanonicalTable;
  fields: string[];
  message: string;
  sql: string;
}

const rulesPath = resolve(projectRoot, 'etl/validation/cinCensusRules.sql');

function header(block: string, name: string, code: string): string {
  const value = new RegExp(`^-- ${name}: (.+)$`, 'm').exec(block)?.[1]?.trim();
  if (!value) throw new Error(`cinCensusRules.sql: rule ${code} needs '-- ${name}:'`);
  return value;
}

function parseRules(text: string): CensusRule[] {
  return text
    .split(/^(?=-- rule: )/m)
    .filter((block) => block.startsWith('-- rule: '))
    .map((block) => {
      const code = /^-- rule: (\S+)/.exec(block)![1]!;
      const kind = header(block, 'kind', code);
      if (kind !== 'reject' && kind !== 'flag') throw new Error(`cinCensusRules.sql: rule ${code}: kind '${kind}'`);
      const table = header(block, 'table', code) as CanonicalTable;
      tableSpec(table); // throws on a table the model does not have
      const sql = sqlOfBlock(block);
      return {
        code,
        kind,
        table,
        fields: header(block, 'fields', code)
          .split(',')
          .map((f) => f.trim()),
        message: header(block, 'message', code),
        sql,
      };
    });
}

let cached: CensusRule[] | undefined;
/** Every rule, in the file's order (the DfE's code order). */
export function cinCensusRules(): CensusRule[] {
  cached ??= parseRules(readFileSync(rulesPath, 'utf8'));
  return cached;
}

/**
 * The reject rules about one canonical table, as checks validate.ts adds to its own. A rule about
 * the census year reads `$reference_date` (the census's 31 March); the year it covers starts the
 * day after the reference date a year before.
 */
export function codedChecksFor(table: CanonicalTable, referenceDate: string): CodedCheck[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(referenceDate)) throw new Error(`not a reference date: ${referenceDate}`);
  return cinCensusRules()
    .filter((rule) => rule.kind === 'reject' && rule.table === table)
    .map((rule) => ({
      rule: rule.code,
      field: rule.fields[0]!,
      reason: `${rule.message} (DfE rule ${rule.code})`,
      fails: `(${rule.sql.replaceAll('$reference_date', `'${referenceDate}'`)})`,
    }));
}

/**
 * DfE rules that are the loader's own duplicate check (etl/load/validate.ts): a census naming one LA
 * child id on two child records (8510) keeps the first and rejects the later with the rule's code.
 */
export const censusDuplicateRules: Partial<Record<CanonicalTable, string>> = { children: '8510' };

/** The warehouse's own key column of each table a flag can point at. */
const recordKeyColumn: Partial<Record<CanonicalTable, string>> = {
  referrals: 'referral_key',
  assessments: 'assessment_key',
  section47: 's47_key',
  cin_plans: 'cin_plan_key',
  cp_plans: 'cp_plan_key',
};

/** Tables a census load writes: a child with a record of this load in any of them is re-checked. */
const censusTables = ['children', ...Object.keys(recordKeyColumn)];

/**
 * Works out the flags of every child the census load `loadId` touched, over all their records in
 * the warehouse (earlier extracts included): their old flags go, the current ones are written, and
 * the load is listed in `flagged_loads`, in one transaction. A later extract that corrects a record
 * so clears its flag. Returns the flags written.
 *
 * It runs after the load's own transaction has committed. Flags are worked out from the records
 * alone, like the derived tables, so nothing is lost if the process stops in between: the load's
 * records stand, unflagged, and the next census load writes their flags first
 * (flagPendingCensusLoads). Inside the load's transaction the records the rules read were the
 * transaction's own, which DuckDB scans on one thread: at 12 M children the copies and rules took
 * 6.5 s there, against 3.9 s read committed (docs/BENCHMARKS.md, "The census flags after the load's
 * commit").
 */
export async function flagCensusRecords(c: DuckDBConnection, loadId: number): Promise<number> {
  const referenceDate = (
    await c.runAndReadAll(`SELECT reference_date::VARCHAR AS d FROM loads WHERE load_id = $id`, { id: loadId })
  ).getRowObjectsJson()[0]?.['d'] as string | null | undefined;
  await c.run(
    `CREATE OR REPLACE TEMP TABLE flag_scope AS ${censusTables
      .map((t) => `SELECT child_key FROM ${t} WHERE load_id = $id`)
      .join(' UNION ')}`,
    { id: loadId },
  );
  // Each rule reads the records of the children in scope only. Their rows are copied once into
  // temporary tables of the warehouse tables' names, so the 58 rules, written for the whole
  // warehouse, scan a census's children and not every stored record 58 times (at 12 M children the
  // rules took about 15 s reading the stored tables: docs/BENCHMARKS.md). A rule comparing a child
  // with every other (1520) reads `warehouse_children`, the whole table.
  // The rules are one statement, a UNION ALL: DuckDB runs their small scans side by side on both
  // cores, where 58 statements one after another left one core idle most of the time (at 12 M
  // children the copies and rules took 5.3 s → 3.7 s, for the same flags; docs/BENCHMARKS.md "A
  // warm cache, the flag rules in one statement").
  const flagRules = cinCensusRules().filter((r) => r.kind === 'flag');
  const usesReferenceDate = flagRules.some((rule) => rule.sql.includes('$reference_date'));
  const params: Record<string, string | number> = { load_id: loadId };
  if (usesReferenceDate) params['reference_date'] = referenceDate ?? '9999-12-31';
  try {
    return await withTablesNarrowed(c, censusTables, 'flag_scope', { copy: true }, async (own) => {
      await c.run(`CREATE OR REPLACE TEMP VIEW warehouse_children AS SELECT * FROM ${own('children')}`);
      try {
        return await inTransaction(c, async () => {
          await c.run(`DELETE FROM ${own('validation_flags')} WHERE child_key IN (SELECT child_key FROM flag_scope)`);
          const inserted = await c.run(
            `INSERT INTO ${own('validation_flags')} (load_id, rule, child_key, record_table, record_key, fields, message)
             ${flagRules
               .map(
                 (rule) =>
                   `SELECT DISTINCT $load_id, ${quotedString(rule.code)}, child_key, ${quotedString(rule.table)}, record_key,
                           ${quotedString(rule.fields.join(', '))}, ${quotedString(rule.message)}
                    FROM (${rule.sql})`,
               )
               .join('\nUNION ALL\n')}`,
            params,
          );
          await c.run(`INSERT INTO ${own('flagged_loads')} VALUES ($load_id, now()::TIMESTAMP)`, { load_id: loadId });
          return Number(inserted.rowsChanged);
        });
      } finally {
        await c.run('DROP VIEW IF EXISTS temp.warehouse_children');
      }
    });
  } finally {
    await c.run('DROP TABLE IF EXISTS temp.flag_scope');
  }
}

/**
 * Writes the flags of every census load whose records committed without them (its process stopped
 * between the two transactions), oldest first, before anything else is loaded: a load's scope is
 * the records still carrying its load id, which a later census would take over. Returns the loads
 * flagged.
 */
export async function flagPendingCensusLoads(c: DuckDBConnection): Promise<number[]> {
  const pending = (
    await c.runAndReadAll(
      `SELECT load_id FROM loads l
       WHERE format = 'cin-census-xml' AND status = 'loaded'
         AND NOT EXISTS (SELECT 1 FROM flagged_loads f WHERE f.load_id = l.load_id)
       ORDER BY load_id`,
    )
  )
    .getRowObjectsJson()
    .map((row) => Number(row['load_id']));
  for (const loadId of pending) await flagCensusRecords(c, loadId);
  return pending;
}

/** What a census load's result says when its records are in and its flags are not. */
export function flagsNotWrittenMessage(file: string, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return `${file}: loaded, but its validation flags were not written (${reason}); the next census load writes them`;
}
