import { execFileSync, spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTempDemo, type TempDemo } from './tempDemo.ts';

const schema = resolve(import.meta.dirname, '../../data/reference/cin-census/CIN_schema_2025.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (!hasXmllint)
  console.warn('xmllint not on PATH: skipping CIN census schema validation (apt-get install libxml2-utils)');

let demo: TempDemo;
beforeAll(async () => {
  demo = await generateTempDemo(3_000);
});
afterAll(() => demo.dispose());

describe('demo CIN census XML', () => {
  it('writes one file per year ending 31 March 2021..2026', async () => {
    const files = (await readdir(join(demo.dir, 'cin-census'))).sort();
    expect(files).toEqual([2021, 2022, 2023, 2024, 2025, 2026].map((y) => `CIN_Census_${y}.xml`));
  });

  it.skipIf(!hasXmllint)('every year validates against CIN_schema_2025.xsd', async () => {
    for (const file of await readdir(join(demo.dir, 'cin-census'))) {
      const path = join(demo.dir, 'cin-census', file);
      // xmllint exits non-zero and names the element when a file breaks the schema.
      const output = execFileSync('xmllint', ['--noout', '--schema', schema, path], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(output, file).toBe('');
    }
  });
});
