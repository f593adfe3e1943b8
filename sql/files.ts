import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, so paths work whatever the caller's working directory. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The bundled reference data (data/reference), copied into the repository with its SOURCES.md. */
export const referenceDir = resolve(projectRoot, 'data/reference');

/**
 * The SQL of one block of a file of named blocks (metric queries, derived tables, census rules):
 * its lines without the `--` comment lines (the block's headers), trimmed, without a final `;`.
 */
export function sqlOfBlock(block: string): string {
  return block
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
}

export function readSqlFile(relativePath: string): string {
  return readFileSync(resolve(projectRoot, 'sql', relativePath), 'utf8');
}
