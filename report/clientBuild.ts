import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { builtClientDir } from '../server/app.ts';
import { projectRoot } from '../sql/files.ts';

/** The newest modification time of the files the page is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(resolve(projectRoot, 'client'));
  walk(resolve(projectRoot, 'metrics/contract'));
  // The definitions page is rendered from docs/METRICS.md at build time.
  newest = Math.max(newest, statSync(resolve(projectRoot, 'docs/METRICS.md')).mtimeMs);
  return newest;
}

/**
 * Builds the page when it is missing or older than its sources, so a PDF printed after an update
 * shows the updated pack, not the last build's. Returns whether it built.
 */
export async function buildClientIfStale(): Promise<boolean> {
  const index = resolve(builtClientDir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return false;
  await build({
    root: resolve(projectRoot, 'client'),
    configFile: resolve(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
  });
  return true;
}
