import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo, type DemoManifest, type DemoOptions } from '../../etl/demo/generate.ts';

export interface TempDemo {
  dir: string;
  manifest: DemoManifest;
  dispose(): Promise<void>;
}

/** A demo run in a fresh folder under the system temp directory. */
export async function generateTempDemo(
  children: number,
  seed?: number,
  options: Pick<DemoOptions, 'familyId'> = {},
): Promise<TempDemo> {
  const dir = await mkdtemp(join(tmpdir(), 'lscb-demo-'));
  const manifest = await generateDemo({ outDir: dir, children, seed, ...options });
  return { dir, manifest, dispose: () => rm(dir, { recursive: true, force: true }) };
}
