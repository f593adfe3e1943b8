import { quotedIdentifier, type DuckDBConnection } from '@duckdb/node-api';
import type { TableSpec } from '../canonical/model.ts';
import { checkedTableName, newChildIdsName, type CheckedTable } from './validate.ts';

/**
 * Merging accepted rows into the warehouse under DATA.md's identity rules: one row per real thing,
 * keyed by (child, date); a later extract (by reference date) fills in or corrects it, an older one
 * never overwrites a newer one, and nothing is ever duplicated.
 */

/** A children file introduces children; every other file names children it has registered. */
function introducesChildren(spec: TableSpec): boolean {
  return spec.table === 'children';
}

/**
 * A children file's new LA child ids, numbered in id order from 1 into a temporary table before
 * the file's transaction (one writer at a time: nothing registers a child in between). Numbered
 * inside the transaction, the window's single output was written to the identity table on one
 * thread: 1.43 s for 4.6 M new ids at 12 M, against 0.5 s numbered here and 0.6 s inserted on both
 * cores (docs/BENCHMARKS.md). Known children are dropped first; an id repeated in the file (whose
 * later rows the transaction rejects) is numbered once.
 */
export async function numberNewChildren(c: DuckDBConnection, table: CheckedTable): Promise<void> {
  const { spec } = table.staged;
  if (!introducesChildren(spec)) return;
  await c.run(`
    CREATE OR REPLACE TEMP TABLE ${newChildIdsName(spec)} AS
    SELECT row_number() OVER (ORDER BY child_id) AS n, child_id
    FROM (SELECT ${table.duplicated ? 'DISTINCT ' : ''}child_id FROM ${checkedTableName(spec)} incoming
          ANTI JOIN child_identity i ON i.la_child_id = incoming.child_id
          WHERE accepted)`);
}

/**
 * New LA child ids get a surrogate key; the id itself is stored nowhere else. Keys continue from the
 * largest one issued (one writer at a time: DuckDB allows one per file), in id order so a load is
 * repeatable: a children file's as numbered before its transaction (numberNewChildren), any other
 * file's here. Known children are dropped before the distinct ids are found.
 */
async function registerChildren(c: DuckDBConnection, spec: TableSpec, checked: string): Promise<void> {
  const issued = '(SELECT coalesce(max(child_key), 0) FROM child_identity)';
  if (introducesChildren(spec)) {
    await c.run(`INSERT INTO child_identity (child_key, la_child_id)
                 SELECT ${issued} + n, child_id FROM ${newChildIdsName(spec)}`);
    return;
  }
  await c.run(`
    INSERT INTO child_identity (child_key, la_child_id)
    SELECT ${issued} + row_number() OVER (ORDER BY child_id), child_id
    FROM (SELECT DISTINCT child_id FROM ${checked} incoming
          ANTI JOIN child_identity i ON i.la_child_id = incoming.child_id
          WHERE accepted)`);
}

/**
 * The child_key a row is written with while its child has no key yet. Keys are issued from 1, so
 * this one is never a child's.
 */
const unregisteredKey = -1;

/**
 * Whether a file's new children are registered before its rows are written. A children file
 * introduces children, and a merge into a table that holds rows goes through its plan, joined to
 * the identity table by an inner join that lets DuckDB build on the (smaller) file's side: both
 * register first. Every other first load into an empty table names children a children file of
 * the same extract has just registered, and is as large as the identity table: its rows are
 * written first, left-joined to their keys, and only when one of them carries unregisteredKey are
 * its children registered and the rows written again. That spares each such file a pass over its
 * rows against the whole identity table (at 12 M, 0.2–0.4 s for each of the six files after
 * children.csv). In a census year's merge the left join cost more than the pass it saved (the
 * assessments' plan 0.7 → 1.6 s, the load's peak 1.9 → 2.1 GB; docs/BENCHMARKS.md).
 */
function registersFirst(spec: TableSpec, empty: boolean): boolean {
  return introducesChildren(spec) || !empty;
}

/** Whether this load's rows, written before registration, name a child with no key. */
async function namesUnregisteredChild(c: DuckDBConnection, table: string): Promise<boolean> {
  const [row] = (
    await c.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE child_key = ${unregisteredKey}) AS unregistered`)
  ).getRowObjectsJson();
  return row?.['unregistered'] === true;
}

/** Warehouse column for a canonical column: ids of the extract become source_id / referral_key. */
function warehouseColumns(spec: TableSpec): { target: string; source: string }[] {
  return spec.columns
    .filter((col) => col.name !== 'child_id' && col.name !== spec.referralId)
    .map((col) => ({
      target: col.name === spec.sourceId ? 'source_id' : col.name,
      source: `s.${quotedIdentifier(col.name)}`,
    }));
}

/**
 * Merges `checked_<table>` into the warehouse table; returns rows inserted or updated. `accepted` is
 * how many of its rows are accepted (recordRejects has counted them).
 */
export async function mergeCheckedTable(
  c: DuckDBConnection,
  spec: TableSpec,
  loadId: number,
  referenceDate: string,
  accepted: number,
  keepsStored: readonly string[] = [],
): Promise<number> {
  const checked = checkedTableName(spec);
  const params = { load_id: loadId, ref_date: referenceDate };

  if (spec.table === 'population') {
    // A population file states the whole of each year it covers, so it replaces those years.
    await c.run(
      `DELETE FROM population WHERE source = 'local'
         AND year IN (SELECT year FROM ${checked} WHERE accepted)`,
    );
    const inserted = await c.run(
      `INSERT INTO population SELECT year, dimension, "group", count, 'local', $load_id
       FROM ${checked} WHERE accepted`,
      { load_id: loadId },
    );
    return Number(inserted.rowsChanged);
  }

  if (spec.identity) return mergeByIdentity(c, spec, checked, loadId);

  // A table with nothing in it yet (a first load) has nothing to match: insert without the join.
  const empty =
    (await c.runAndReadAll(`SELECT NOT EXISTS (SELECT 1 FROM ${spec.table}) AS empty`)).getRowObjectsJson()[0]?.[
      'empty'
    ] === true;
  const registeredFirst = registersFirst(spec, empty);
  if (registeredFirst) await registerChildren(c, spec, checked);
  const columns = warehouseColumns(spec);
  // The accepted rows with their child's key; read once by the insert or merge, never stored.
  // Before registration a child with no key yet is kept, with unregisteredKey.
  const childKey = registeredFirst ? 'i.child_key' : `coalesce(i.child_key, ${unregisteredKey}) AS child_key`;
  const keyed = `SELECT ${childKey}, checked.rowid AS stage_row, checked.* FROM ${checked} checked
                 ${registeredFirst ? 'JOIN' : 'LEFT JOIN'} child_identity i ON i.la_child_id = checked.child_id
                 WHERE checked.accepted`;
  const referralId = spec.referralId ? quotedIdentifier(spec.referralId) : undefined;
  // The referral a record belongs to: the same child's referral carrying that extract id; failing
  // that (an id from another format, or none), the child's latest referral made on or before the
  // record's own date (resolveReferralsByDate, after the rows are in). Most records name their
  // referral by an id the referrals carry (every canonical CSV and census record does), and a child
  // has one referral per id, so the id is joined in the insert's own pass, with no grouping and
  // nothing stored (at 12 M the grouped resolution was 1.2 s of the assessments' 4.8 s insert). A
  // child with two referrals under one id would repeat a record: that is checked after the insert
  // or merge plan, and only then is it done again, grouped (docs/BENCHMARKS.md).
  const incomingWith = (referrals: 'joined' | 'grouped') => {
    if (!referralId) return keyed;
    if (referrals === 'joined') {
      return `SELECT keyed.*, r.referral_key AS resolved_referral_key FROM (${keyed}) keyed
              LEFT JOIN referrals r ON r.child_key = keyed.child_key AND r.source_id = keyed.${referralId}`;
    }
    return `
      WITH keyed AS (${keyed}),
      by_id AS (
        SELECT k.stage_row, arg_max(r.referral_key, r.ref_date) AS resolved_referral_key
        FROM keyed k JOIN referrals r ON r.child_key = k.child_key AND r.source_id = k.${referralId}
        GROUP BY k.stage_row
      )
      SELECT keyed.*, by_id.resolved_referral_key FROM keyed LEFT JOIN by_id USING (stage_row)`;
  };
  if (referralId) columns.push({ target: 'referral_key', source: 's.resolved_referral_key' });
  columns.push({ target: 'ref_date', source: '$ref_date::DATE' }, { target: 'load_id', source: '$load_id' });

  const naturalKey = spec.naturalDate
    ? `t.child_key = s.child_key AND t.${quotedIdentifier(spec.naturalDate)} = s.${quotedIdentifier(spec.naturalDate)}`
    : 't.child_key = s.child_key';
  if (empty) {
    const insert = (referrals: 'joined' | 'grouped') =>
      c.run(
        `INSERT INTO ${spec.table} (child_key, ${columns.map((col) => quotedIdentifier(col.target)).join(', ')})
         SELECT s.child_key, ${columns.map((col) => col.source).join(', ')} FROM (${incomingWith(referrals)}) s`,
        params,
      );
    let inserted = Number((await insert('joined')).rowsChanged);
    if (!registeredFirst && (await namesUnregisteredChild(c, spec.table))) {
      await c.run(`DELETE FROM ${spec.table} WHERE load_id = $load_id`, { load_id: loadId });
      await registerChildren(c, spec, checked);
      inserted = Number((await insert('joined')).rowsChanged);
    }
    // Every accepted row's child is registered, so the insert wrote one row per accepted row, or
    // more when an id named two referrals: then its rows (this load's alone) are written again.
    if (referralId && inserted > accepted) {
      await c.run(`DELETE FROM ${spec.table} WHERE load_id = $load_id`, { load_id: loadId });
      inserted = Number((await insert('grouped')).rowsChanged);
    }
    if (referralId) await resolveReferralsByDate(c, spec, loadId);
    return inserted;
  }
  // A record a later (or same-dated) extract sends again replaces the warehouse's row whole, keeping
  // its key: the old row is deleted and the new one inserted. That is what an UPDATE of every
  // column would do, at a fraction of the cost: DuckDB updates rows already stored column by
  // column, and a census re-sends most open episodes every year.
  const recordKey = spec.recordKey ? quotedIdentifier(spec.recordKey) : undefined;
  // An optional column (children.family_id) a file leaves empty, and a column the file's format does
  // not carry (StagedTable.keepsStored), keep what the warehouse holds rather than clearing it.
  const kept = new Set([...spec.columns.filter((col) => col.optional).map((col) => col.name), ...keepsStored]);
  const storedName = (name: string) => quotedIdentifier(`stored_${name}`);
  const stored = [...kept].map((name) => `, t.${quotedIdentifier(name)} AS ${storedName(name)}`).join('');
  for (const column of columns) {
    if (kept.has(column.target)) column.source = `coalesce(${column.source}, s.${storedName(column.target)})`;
  }
  const plan = (referrals: 'joined' | 'grouped') =>
    c.run(
      `CREATE OR REPLACE TEMP TABLE merge_plan AS
       SELECT s.*, t.rowid AS replaces${recordKey ? `, t.${recordKey} AS kept_key` : ''}${stored}
       FROM (${incomingWith(referrals)}) s LEFT JOIN ${spec.table} t ON ${naturalKey}
       WHERE t.rowid IS NULL OR t.ref_date <= $ref_date::DATE`,
      { ref_date: referenceDate },
    );
  await plan('joined');
  // The stored table holds one row per natural key, so a staged row planned twice had an id naming
  // two referrals: the plan is made again, grouped.
  if (referralId && (await plannedTwice(c))) await plan('grouped');
  await c.run(`DELETE FROM ${spec.table} WHERE rowid IN (SELECT replaces FROM merge_plan WHERE replaces IS NOT NULL)`);
  const keyColumn = recordKey ? `${recordKey}, ` : '';
  const keyValue = recordKey ? `coalesce(s.kept_key, nextval('record_key_seq')), ` : '';
  const merged = await c.run(
    `INSERT INTO ${spec.table} (${keyColumn}child_key, ${columns.map((col) => quotedIdentifier(col.target)).join(', ')})
     SELECT ${keyValue}s.child_key, ${columns.map((col) => col.source).join(', ')} FROM merge_plan s`,
    params,
  );
  await c.run('DROP TABLE merge_plan');
  if (referralId) await resolveReferralsByDate(c, spec, loadId);
  return Number(merged.rowsChanged);
}

async function plannedTwice(c: DuckDBConnection): Promise<boolean> {
  const [row] = (
    await c.runAndReadAll('SELECT count(*) > count(DISTINCT stage_row) AS twice FROM merge_plan')
  ).getRowObjectsJson();
  return row?.['twice'] === true;
}

/**
 * This load's records that named no referral the child has by id get the child's latest referral
 * made on or before the record's own date: the episode it happened in. A plain join on the child
 * and a per-record pick, not an ASOF join: DuckDB plans one over the referrals this same
 * transaction just wrote as a nested loop, which is quadratic (docs/BENCHMARKS.md).
 */
async function resolveReferralsByDate(c: DuckDBConnection, spec: TableSpec, loadId: number): Promise<void> {
  const table = spec.table;
  const recordKey = quotedIdentifier(spec.recordKey!);
  const ownDate = quotedIdentifier(spec.naturalDate ?? 'start_date');
  await c.run(
    `UPDATE ${table} SET referral_key = by_date.referral_key
     FROM (
       SELECT t.${recordKey} AS record, arg_max(r.referral_key, r.referral_date) AS referral_key
       FROM ${table} t JOIN referrals r ON r.child_key = t.child_key AND r.referral_date <= t.${ownDate}
       WHERE t.load_id = $load_id AND t.referral_key IS NULL
       GROUP BY t.${recordKey}
     ) by_date
     WHERE ${table}.${recordKey} = by_date.record`,
    { load_id: loadId },
  );
}

/**
 * A table keyed by no child (partner_measures): a row of a later load replaces the stored row with
 * the same identity columns (DATA.md: "a later load of the same (measure, agency, period) replaces
 * it"), whatever the two files' reference dates.
 */
async function mergeByIdentity(c: DuckDBConnection, spec: TableSpec, checked: string, loadId: number): Promise<number> {
  const identity = (spec.identity ?? []).map((name) => quotedIdentifier(name));
  await c.run(
    `DELETE FROM ${spec.table} t WHERE EXISTS (
       SELECT 1 FROM ${checked} s WHERE s.accepted AND ${identity.map((col) => `t.${col} = s.${col}`).join(' AND ')})`,
  );
  const columns = spec.columns.map((col) => quotedIdentifier(col.name));
  const inserted = await c.run(
    `INSERT INTO ${spec.table} (${columns.join(', ')}, load_id)
     SELECT ${columns.join(', ')}, $load_id FROM ${checked} WHERE accepted`,
    { load_id: loadId },
  );
  return Number(inserted.rowsChanged);
}
