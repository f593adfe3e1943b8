import { join } from 'node:path';
import { generateDemo } from '../../etl/demo/generate.ts';
import { demoLoadFolders } from '../../etl/load/demoWarehouse.ts';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from './fixtureWarehouse.ts';

/** A small generated demo LA loaded into a real warehouse file: realistic numbers for page tests. */
export async function smallDemoWarehouse(
  children = 6000,
): Promise<{ warehouse: Warehouse; dbPath: string; dir: string }> {
  const dir = tempDir('demo-wh');
  const manifest = (await generateDemo({ outDir: join(dir, 'demo'), children, seed: 11 })) as unknown as {
    referenceDate: string;
  };
  const dbPath = join(dir, 'lscb.duckdb');
  const warehouse = await Warehouse.open(dbPath);
  // What `lscb demo` loads (etl/load/demoWarehouse.ts): the extract, care episodes included, and the
  // partner agencies' measures.
  const folders = demoLoadFolders.map((folder) => join(dir, 'demo', folder));
  await loadFiles(warehouse, folders, { loadedBy: 'test', referenceDate: manifest.referenceDate });
  return { warehouse, dbPath, dir };
}
