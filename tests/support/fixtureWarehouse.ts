import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalTables } from '../../etl/canonical/model.ts';
import { loadFiles, type FileLoadResult } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';

/** A row of a canonical CSV file; missing columns are written empty. */
export type FixtureRow = Record<string, string | number | null | undefined>;
export type FixtureTables = Partial<Record<string, FixtureRow[]>>;

/** A fresh folder under the test run's own root (tests/support/testRunRoot.ts), removed with it. */
export function tempDir(prefix: string): string {
  const root = process.env['LSCB_TEST_ROOT'] ?? join(tmpdir(), 'lscb-tests');
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${prefix}-`));
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes canonical CSV files (file name → rows) with the exact DATA.md headers. */
export function writeCanonicalCsv(dir: string, tables: FixtureTables): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, rows] of Object.entries(tables)) {
    const spec = canonicalTables.find((t) => t.file === file);
    if (!spec) throw new Error(`no canonical table for ${file}`);
    const header = spec.columns.map((c) => c.name);
    const lines = [header.join(','), ...(rows ?? []).map((row) => header.map((h) => csvCell(row[h])).join(','))];
    writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
  }
}

export interface FixtureWarehouse {
  warehouse: Warehouse;
  dbPath: string;
  dir: string;
  results: FileLoadResult[];
  dispose(): void;
}

/** A real DuckDB file in a temp folder, loaded from the fixture through the product's own loader. */
export async function fixtureWarehouse(tables: FixtureTables, referenceDate = '2025-04-30'): Promise<FixtureWarehouse> {
  const dir = tempDir('fixture');
  const csvDir = join(dir, 'csv');
  writeCanonicalCsv(csvDir, tables);
  const dbPath = join(dir, 'lscb.duckdb');
  const warehouse = await Warehouse.open(dbPath);
  const results = await loadFiles(warehouse, [csvDir], { loadedBy: 'test', referenceDate });
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new Error(`fixture did not load: ${failed.map((f) => f.message).join('; ')}`);
  return {
    warehouse,
    dbPath,
    dir,
    results,
    dispose() {
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
