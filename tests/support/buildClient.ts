import { join } from 'node:path';
import { build } from 'vite';
import { projectRoot } from '../../sql/warehouse.ts';
import { tempDir } from './fixtureWarehouse.ts';

/** Builds the client into a temp folder, so tests never depend on a stale dist/. */
export async function buildClientForTest(): Promise<string> {
  const outDir = join(tempDir('client'), 'dist');
  await build({
    root: join(projectRoot, 'client'),
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
