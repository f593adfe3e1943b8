import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tableSpec } from '../../etl/canonical/model.ts';
import { maxValueLength, StageWriter } from '../../etl/staging/stageWriter.ts';

// The writer buffers each staged file (1 MB, written when the next line would not fit). What it
// writes must be the same text whatever the buffer: every line whole and in order, quoting where a
// value needs it, UTF-8 for any character, and a line longer than the buffer written whole.
const columns = tableSpec('children').columns.map((c) => c.name);
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function staged(rows: (string | undefined)[][]): string {
  dir = mkdtempSync(join(tmpdir(), 'lscb-stage-writer-'));
  const writer = new StageWriter(dir);
  rows.forEach((values, i) => writer.rowInOrder('children', `row ${i + 1}`, values));
  const { tables } = writer.close();
  return readFileSync(tables[0]!.csvPaths[0]!, 'utf8');
}

describe('StageWriter: staged CSV text', () => {
  it('writes the header, then one line a row: trimmed, quoted only where a comma, quote or line break is', () => {
    const row = columns.map(() => undefined as string | undefined);
    row[0] = ' C1 ';
    row[1] = 'a,b';
    row[2] = 'say "no"';
    row[3] = 'two\nlines';
    row[4] = 'Zoë – naïve';
    expect(staged([row])).toBe(
      `src_row,${columns.join(',')}\nrow 1,C1,"a,b","say ""no""","two\nlines",Zoë – naïve${','.repeat(columns.length - 5)}\n`,
    );
  });

  it('writes 60,000 rows (several buffers’ worth, with characters of 2 and 3 bytes) exactly as joined text', () => {
    const rows = Array.from({ length: 60_000 }, (_, i) =>
      columns.map((_, k) => `v${i}-${k}${i % 7 === 0 ? 'é€' : ''}`),
    );
    const expected = [
      `src_row,${columns.join(',')}`,
      ...rows.map((values, i) => [`row ${i + 1}`, ...values].join(',')),
    ].join('\n');
    const text = staged(rows);
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 << 20);
    expect(text).toBe(`${expected}\n`);
  });

  it('writes a line longer than its buffer (values at the longest a row may hold) whole, between its neighbours', () => {
    // 12 values of 100,000 characters, 3 bytes each in UTF-8: a 3.6 MB line.
    const long = columns.map((_, k) => (k < 12 ? '€'.repeat(maxValueLength) : 'x'));
    const short = columns.map(() => 's');
    const lines = staged([short, long, short]).split('\n');
    expect(lines).toHaveLength(5); // header, three rows, and the empty text after the last line feed
    expect(lines[1]).toBe(['row 1', ...short].join(','));
    expect(lines[2]).toBe(['row 2', ...long].join(','));
    expect(lines[3]).toBe(['row 3', ...short].join(','));
  });
});
