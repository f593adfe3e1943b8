import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, so paths work whatever the caller's working directory. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The bundled reference data (data/reference), copied into the repository with its SOURCES.md. */
export const referenceDir = resolve(projectRoot, 'data/reference');

export function readSqlFile(relativePath: string): string {
  return readFileSync(resolve(projectRoot, 'sql', relativePath), 'utf8');
}
