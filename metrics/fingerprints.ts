import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalTables } from '../etl/canonical/model.ts';
import { projectRoot } from '../sql/files.ts';
import type { Warehouse } from '../sql/warehouse.ts';

/**
 * What a stored result was computed from, as one hash, so it is read back only while all of that
 * stands (metrics/precomputed.ts, metrics/periodResults.ts). Two levels: the data's, for a metric
 * query's rows; and the data's with what a lead and an officer write beside it (indicators, notes
 * of practice), for a board pack or a scorecard that prints those too.
 */

/**
 * The metric code's own fingerprint: every .sql and .ts file of sql/ and metrics/, and the bundled
 * reference statistics the benchmarks read (data/reference/), read once per process. The reading
 * (4.5 MB, 10–14 ms) starts when this module loads, in the background, so a fresh process's first
 * pack does not wait for it (docs/BENCHMARKS.md).
 */
const codeFingerprint: Promise<string> = readCodeFingerprint();
// Awaited where it is used; a failure is reported there, not as an unhandled rejection here.
codeFingerprint.catch(() => undefined);

async function readCodeFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const folders: [string, (file: string) => boolean][] = [
    ['sql', (f) => f.endsWith('.sql') || f.endsWith('.ts')],
    ['metrics', (f) => f.endsWith('.sql') || f.endsWith('.ts')],
    ['data/reference', (f) => /\.(csv|json)$/.test(f)],
  ];
  for (const [folder, wanted] of folders) {
    const files = ((await readdir(join(projectRoot, folder), { recursive: true })) as string[]).filter(wanted).sort();
    const contents = await Promise.all(files.map((file) => readFile(join(projectRoot, folder, file))));
    files.forEach((file, i) => hash.update(file).update(contents[i]!));
  }
  return hash.digest('hex');
}

/**
 * The tables of records and reference figures a metric query reads. Their rows change through
 * loads, which the loads table records; their sizes are in the fingerprint as well, so rows written
 * any other way (a test's fixture, an analyst's INSERT) do not leave stale results behind.
 */
export const recordTables = [
  'child_identity',
  // Every table a load writes records to, so a table added to the model is covered from its first day.
  ...canonicalTables.map((spec) => spec.table),
  'bank_holidays',
];

/** Every small table's rows, md5 by md5, and the record tables' sizes, as one SQL expression each. */
const stateOf = {
  loads: `(SELECT coalesce(string_agg(md5(x::VARCHAR), ',' ORDER BY x.load_id), '') FROM loads x)`,
  settings: `(SELECT coalesce(string_agg(md5(x::VARCHAR), ',' ORDER BY x.key), '') FROM settings x)`,
  sizes: `(SELECT coalesce(string_agg(table_name || ':' || estimated_size, ',' ORDER BY table_name), '')
           FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN (${recordTables.map((t) => `'${t}'`).join(', ')}))`,
  indicators: `(SELECT coalesce(string_agg(md5(x::VARCHAR), ',' ORDER BY x.indicator_id, x.version), '') FROM indicators x)`,
  annotations: `(SELECT coalesce(string_agg(md5(x::VARCHAR), ',' ORDER BY x.annotation_id, x.version), '') FROM annotations x)`,
};

/**
 * What a load writes after its records commit, each with its time: the derived tables' rebuilds
 * (sql/derived.ts) and a census's flags (flagged_loads, etl/validation/rules.ts). A result computed
 * in between must not outlive them.
 */
const writtenAfterCommit: Record<string, string> = {
  derived_state: `(SELECT coalesce(string_agg(md5(x::VARCHAR), ',' ORDER BY x.name), '') FROM derived_state x)`,
  flagged_loads: `(SELECT coalesce(string_agg(md5(x::VARCHAR), ',' ORDER BY x.load_id), '') FROM flagged_loads x)`,
};

const writtenAfterCommitNames = Object.keys(writtenAfterCommit)
  .map((table) => `'${table}'`)
  .join(', ');

async function fingerprintOf(warehouse: Warehouse, parts: (keyof typeof stateOf)[]): Promise<string> {
  // A warehouse opened read-only before these tables existed has no state of them.
  const present = await warehouse.query<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables()
     WHERE schema_name = 'main' AND table_name IN (${writtenAfterCommitNames}) ORDER BY table_name`,
  );
  const state = [...parts.map((part) => stateOf[part]), ...present.map((t) => writtenAfterCommit[t.table_name]!)];
  const rows = await warehouse.query<{ state: string }>(`SELECT concat_ws('|', ${state.join(', ')}) AS state`);
  return createHash('sha256')
    .update(await codeFingerprint)
    .update(rows[0]?.state ?? '')
    .digest('hex');
}

/**
 * What a metric query's rows depend on: the records (through the loads and the derived tables'
 * rebuilds), the settings, the code.
 */
export function dataFingerprint(warehouse: Warehouse): Promise<string> {
  return fingerprintOf(warehouse, ['loads', 'settings', 'sizes']);
}

/** What a board pack or scorecard depends on: the data's, and the indicators and notes of practice. */
export function inputsFingerprint(warehouse: Warehouse): Promise<string> {
  return fingerprintOf(warehouse, ['loads', 'settings', 'sizes', 'indicators', 'annotations']);
}
