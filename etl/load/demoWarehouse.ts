import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { addAnnotation } from '../../metrics/annotations.ts';
import { projectRoot, Warehouse } from '../../sql/warehouse.ts';
import { generateDemo } from '../demo/generate.ts';
import { loadFiles, type FileLoadResult } from './loadFiles.ts';

export const defaultDemoDir = resolve(projectRoot, 'data/demo');

export interface DemoWarehouseOptions {
  dbPath: string;
  demoDir?: string;
  children?: number;
  seed?: number;
  onFile?: (result: FileLoadResult) => void;
  log?: (line: string) => void;
}

/**
 * What the demo warehouse loads: the case-management extract (canonical CSV, looked_after.csv
 * included) and the partner agencies' aggregates. The demo folder also holds the same LA as CIN
 * census XML, Annex A and SSDA903 (CSV and XML) for users to try uploading; loading those too would
 * only merge the same records again.
 */
export const demoLoadFolders = ['csv', 'partners'] as const;

/**
 * Loads the demo LA into a warehouse through the same loader a user's files take, generating the
 * extracts first when they are absent. The CSV's reference date is the demo's extract date, so "the
 * latest complete quarter" is the demo's last quarter, not today's.
 */
export async function loadDemoWarehouse(options: DemoWarehouseOptions): Promise<FileLoadResult[]> {
  const demoDir = options.demoDir ?? defaultDemoDir;
  const manifestPath = join(demoDir, 'manifest.json');
  if (!existsSync(manifestPath) || !isCurrentManifest(manifestPath)) {
    options.log?.(`Generating the demo local authority in ${demoDir} ...`);
    await generateDemo({ outDir: demoDir, children: options.children, seed: options.seed });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { referenceDate: string };
  const warehouse = await Warehouse.open(options.dbPath);
  try {
    const folders = demoLoadFolders.map((f) => join(demoDir, f)).filter((path) => existsSync(path));
    const results = await loadFiles(warehouse, folders, {
      loadedBy: 'lscb demo',
      referenceDate: manifest.referenceDate,
      onFile: options.onFile,
    });
    await warehouse.withConnection((c) => recordDemoPractice(c));
    return results;
  } finally {
    warehouse.close();
  }
}

/**
 * A demo folder written before the generator wrote children looked after and partner measures
 * (its manifest has no SSDA903 returns) is generated again, so `npm start` shows them.
 */
function isCurrentManifest(path: string): boolean {
  try {
    return 'ssda903' in (JSON.parse(readFileSync(path, 'utf8')) as object);
  } catch {
    return false;
  }
}

/**
 * The demo partnership's own history of practice, as a strategy lead would record it: Northbury
 * trained every health visitor and social worker in Graded Care Profile 2 from January 2021, after
 * which more neglect was recognised and planned for. Marked as a change in the process for the
 * neglect-plan rate, so its SPC limits are calculated from the quarters after it (METRICS.md §13).
 */
async function recordDemoPractice(c: DuckDBConnection): Promise<void> {
  const existing = await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM annotations WHERE author = 'lscb demo'`);
  if ((existing.getRowObjectsJson()[0]?.['n'] as number) > 0) return;
  await addAnnotation(c, {
    notedOn: '2021-01-04',
    body: 'Graded Care Profile 2 training for all health visitors and social workers begins',
    processChange: true,
    figures: ['prevalence.cp_open_neglect_initial_rate_per_10k'],
    author: 'lscb demo',
  });
}

/** A fresh demo warehouse: any earlier file at dbPath is replaced. */
export async function rebuildDemoWarehouse(options: DemoWarehouseOptions): Promise<FileLoadResult[]> {
  for (const suffix of ['', '.wal']) rmSync(options.dbPath + suffix, { force: true });
  return loadDemoWarehouse(options);
}
