import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
 * Loads the demo LA's canonical CSV into a warehouse through the same loader a user's files take,
 * generating the extracts first when they are absent. The CSV's reference date is the demo's
 * extract date, so "the latest complete quarter" is the demo's last quarter, not today's.
 */
export async function loadDemoWarehouse(options: DemoWarehouseOptions): Promise<FileLoadResult[]> {
  const demoDir = options.demoDir ?? defaultDemoDir;
  const manifestPath = join(demoDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    options.log?.(`Generating the demo local authority in ${demoDir} ...`);
    await generateDemo({ outDir: demoDir, children: options.children, seed: options.seed });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { referenceDate: string };
  const warehouse = await Warehouse.open(options.dbPath);
  try {
    return await loadFiles(warehouse, [join(demoDir, 'csv')], {
      loadedBy: 'lscb demo',
      referenceDate: manifest.referenceDate,
      onFile: options.onFile,
    });
  } finally {
    warehouse.close();
  }
}

/** A fresh demo warehouse: any earlier file at dbPath is replaced. */
export async function rebuildDemoWarehouse(options: DemoWarehouseOptions): Promise<FileLoadResult[]> {
  for (const suffix of ['', '.wal']) rmSync(options.dbPath + suffix, { force: true });
  return loadDemoWarehouse(options);
}
