import { quotedIdentifier, type DuckDBConnection } from '@duckdb/node-api';
import type { TableSpec } from '../canonical/model.ts';
import { checkedTableName } from './validate.ts';

/**
 * Merging accepted rows into the warehouse under DATA.md's identity rules: one row per real thing,
 * keyed by (child, date); a later extract (by reference date) fills in or corrects it, an older one
 * never overwrites a newer one, and nothing is ever duplicated.
 */

/**
 * New LA child ids get a surrogate key; the id itself is stored nowhere else. Keys continue from the
 * largest one issued (one writer at a time: DuckDB allows one per file), in id order so a load is
 * repeatable.
 */
async function registerChildren(c: DuckDBConnection, checked: string): Promise<void> {
  await c.run(`
    INSERT INTO child_identity (child_key, la_child_id)
    SELECT (SELECT coalesce(max(child_key), 0) FROM child_identity) + row_number() OVER (ORDER BY child_id), child_id
    FROM (SELECT DISTINCT child_id FROM ${checked} WHERE accepted) incoming
    ANTI JOIN child_identity i ON i.la_child_id = incoming.child_id`);
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

/** Merges `checked_<table>` into the warehouse table; returns rows inserted or updated. */
export async function mergeCheckedTable(
  c: DuckDBConnection,
  spec: TableSpec,
  loadId: number,
  referenceDate: string,
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

  await registerChildren(c, checked);
  const columns = warehouseColumns(spec);
  // The accepted rows with their child's key; read once by the insert or merge, never stored.
  const keyed = `SELECT i.child_key, checked.rowid AS stage_row, checked.* FROM ${checked} checked
                 JOIN child_identity i ON i.la_child_id = checked.child_id
                 WHERE checked.accepted`;
  let incoming = keyed;
  if (spec.referralId) {
    // The referral a record belongs to: the same child's referral carrying that extract id; failing
    // that (an id from another format, or none), the child's latest referral made on or before the
    // record's own date, which is the episode it happened in.
    const ownDate = quotedIdentifier(spec.naturalDate ?? 'start_date');
    const referralId = quotedIdentifier(spec.referralId);
    // Most records name their referral by an id the referrals carry (every canonical CSV and census
    // record does), so that equality join goes first, and only the records it leaves are matched
    // by date: a plain join on the child, then a per-record pick (DuckDB plans an ASOF join over
    // the referrals this same transaction just wrote as a nested loop, which is quadratic). At 12 M
    // children the date match for every record was most of a table's merge (docs/BENCHMARKS.md).
    incoming = `
      WITH keyed AS (${keyed}),
      by_id AS (
        SELECT k.stage_row, arg_max(r.referral_key, r.ref_date) AS resolved_referral_key
        FROM keyed k JOIN referrals r ON r.child_key = k.child_key AND r.source_id = k.${referralId}
        GROUP BY k.stage_row
      ),
      by_date AS (
        SELECT k.stage_row, arg_max(r.referral_key, r.referral_date) AS resolved_referral_key
        FROM keyed k ANTI JOIN by_id USING (stage_row)
        JOIN referrals r ON r.child_key = k.child_key AND r.referral_date <= k.${ownDate}
        GROUP BY k.stage_row
      ),
      chosen AS (SELECT * FROM by_id UNION ALL SELECT * FROM by_date)
      SELECT keyed.*, chosen.resolved_referral_key FROM keyed LEFT JOIN chosen USING (stage_row)`;
    columns.push({ target: 'referral_key', source: 's.resolved_referral_key' });
  }
  columns.push({ target: 'ref_date', source: '$ref_date::DATE' }, { target: 'load_id', source: '$load_id' });

  const naturalKey = spec.naturalDate
    ? `t.child_key = s.child_key AND t.${quotedIdentifier(spec.naturalDate)} = s.${quotedIdentifier(spec.naturalDate)}`
    : 't.child_key = s.child_key';
  // A table with nothing in it yet (a first load) has nothing to match: insert without the join.
  const empty =
    (await c.runAndReadAll(`SELECT NOT EXISTS (SELECT 1 FROM ${spec.table}) AS empty`)).getRowObjectsJson()[0]?.[
      'empty'
    ] === true;
  if (empty) {
    const inserted = await c.run(
      `INSERT INTO ${spec.table} (child_key, ${columns.map((col) => quotedIdentifier(col.target)).join(', ')})
       SELECT s.child_key, ${columns.map((col) => col.source).join(', ')} FROM (${incoming}) s`,
      params,
    );
    return Number(inserted.rowsChanged);
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
  await c.run(
    `CREATE OR REPLACE TEMP TABLE merge_plan AS
     SELECT s.*, t.rowid AS replaces${recordKey ? `, t.${recordKey} AS kept_key` : ''}${stored}
     FROM (${incoming}) s LEFT JOIN ${spec.table} t ON ${naturalKey}
     WHERE t.rowid IS NULL OR t.ref_date <= $ref_date::DATE`,
    { ref_date: referenceDate },
  );
  await c.run(`DELETE FROM ${spec.table} WHERE rowid IN (SELECT replaces FROM merge_plan WHERE replaces IS NOT NULL)`);
  const keyColumn = recordKey ? `${recordKey}, ` : '';
  const keyValue = recordKey ? `coalesce(s.kept_key, nextval('record_key_seq')), ` : '';
  const merged = await c.run(
    `INSERT INTO ${spec.table} (${keyColumn}child_key, ${columns.map((col) => quotedIdentifier(col.target)).join(', ')})
     SELECT ${keyValue}s.child_key, ${columns.map((col) => col.source).join(', ')} FROM merge_plan s`,
    params,
  );
  await c.run('DROP TABLE merge_plan');
  return Number(merged.rowsChanged);
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
