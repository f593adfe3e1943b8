import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFile } from '../../etl/staging/fileScan.ts';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { warehouseFingerprint } from '../support/tableCounts.ts';

/**
 * Validation skips trimming when the file scan finds no space at any value's edge (the dearest
 * step of typing a CSV). These tests hold both halves of that bargain: the scan never misses an
 * edge space, and a file with edge spaces lands exactly as the same file without them.
 */
const dir = tempDir('spacing');
const written: string[] = [];
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  written.push(path);
  return path;
}

describe('the file scan finds spaces at value edges', () => {
  const cases: [string, string, boolean][] = [
    ['none: spaces only inside values', 'a,b\nYouth Service,x y\n', false],
    ['after a comma', 'a,b\n1, 2\n', true],
    ['before a comma', 'a,b\n1 ,2\n', true],
    ['before a line end', 'a,b\n1,2 \n', true],
    ['before a CRLF line end', 'a,b\r\n1,2 \r\n', true],
    ['at the start of a line', 'a,b\n 1,2\n', true],
    ['at the very start of the file', ' a,b\n1,2\n', true],
    ['at the very end of the file, with no newline', 'a,b\n1,2 ', true],
    ['inside quotes at the edge', 'a,b\n" NEG",2\n', true],
    ['a tab is not trimmed by DuckDB, so it does not count', 'a,b\n1,\t2\n', false],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: ${expected}`, async () => {
      expect((await scanFile(file(`case-${written.length}.csv`, text))).spacesAtEdges).toBe(expected);
    });
  }

  it('non-ASCII text always counts (DuckDB trims Unicode spaces such as U+00A0)', async () => {
    expect((await scanFile(file('nbsp.csv', 'a,b\nx\u00a0y,é\n'))).spacesAtEdges).toBe(true);
  });

  it('an edge space split across two 1 MiB read chunks is still found', async () => {
    // The space is the last byte of the first chunk; the comma is the first byte of the second.
    const first = Buffer.alloc(1 << 20, 'x');
    first[0] = 'a'.charCodeAt(0);
    first[first.length - 1] = 0x20;
    expect((await scanFile(file('split.csv', Buffer.concat([first, Buffer.from(',y\n')])))).spacesAtEdges).toBe(true);
    const clean = Buffer.alloc(1 << 20, 'x');
    expect((await scanFile(file('split-clean.csv', Buffer.concat([clean, Buffer.from(',y\n')])))).spacesAtEdges).toBe(
      false,
    );
  });

  it('hashes the content: SHA-256 of "abc"', async () => {
    expect((await scanFile(file('abc.txt', 'abc'))).hash).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('a CSV whose values carry edge spaces loads as the same CSV without them', () => {
  const clean = [
    'plan_id,referral_id,child_id,start_date,end_date,initial_category,latest_category,previous_plans',
    'P1,,C1,2024-01-01,2024-06-30,NEG,EMO,0',
    'P2,,C2,02/03/2024,,neg,MUL,1',
  ].join('\n');
  const spaced = [
    'plan_id, referral_id ,child_id,start_date,end_date,initial_category,latest_category,previous_plans',
    ' P1 ,,C1 , 2024-01-01,2024-06-30 , NEG,EMO ,0 ',
    'P2,,  C2,02/03/2024 ,  ," neg ",MUL, 1',
  ].join('\n');
  const warehouses: Warehouse[] = [];
  afterAll(() => warehouses.forEach((w) => w.close()));

  async function load(name: string, text: string) {
    const folder = join(dir, name);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'cp_plans.csv'), text);
    const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
    warehouses.push(warehouse);
    const [result] = await loadFiles(warehouse, [folder], { loadedBy: 'test', referenceDate: '2025-03-31' });
    return { warehouse, result };
  }

  it('both accept every row and the warehouses are identical', async () => {
    const a = await load('clean', clean);
    const b = await load('spaced', spaced);
    expect(a.result).toMatchObject({ status: 'loaded', rowsAccepted: 2, rowsRejected: 0 });
    expect(b.result).toMatchObject({ status: 'loaded', rowsAccepted: 2, rowsRejected: 0 });
    expect(await warehouseFingerprint(b.warehouse)).toBe(await warehouseFingerprint(a.warehouse));
    const ids = await b.warehouse.query<{ la_child_id: string }>('SELECT la_child_id FROM child_identity ORDER BY 1');
    expect(ids.map((r) => r.la_child_id)).toEqual(['C1', 'C2']);
  });
});
