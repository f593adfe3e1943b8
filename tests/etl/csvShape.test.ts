import { describe, expect, it } from 'vitest';
import { CsvShape } from '../../etl/staging/csvRecords.ts';

/**
 * CsvShape decides whether a canonical CSV can be read by position: every record on a line of its
 * own, so row n is on line n + 2. A quoted line break, a quote never closed, or a blank line (DuckDB
 * skips it) before a record breaks that; the number of fields is DuckDB's strict mode's to check.
 * Chunks without a quote take a quicker path than chunks with one, and a file arrives in megabyte
 * chunks cut anywhere, so each text is fed whole, cut in two at every byte, cut in three at every
 * pair of places, and one byte at a time: the answer must not change.
 */
const cases: [string, string, boolean][] = [
  ['plain records', 'a,b,c\n1,2,3\n4,5,6\n', true],
  ['no newline at the end', 'a,b,c\n1,2,3\n4,5,6', true],
  ['CRLF line ends', 'a,b\r\n1,2\r\n3,4\r\n', true],
  ['a record with a field too few: for DuckDB to refuse', 'a,b,c\n1,2,3\n4,5\n', true],
  ['a blank line before a record: DuckDB would skip it and misnumber the rest', 'a,b\n1,2\n\n3,4\n', false],
  ['a blank CRLF line before a record', 'a,b\r\n1,2\r\n\r\n3,4\r\n', false],
  ['a blank line as the first line', '\na,b\n1,2\n', false],
  ['blank lines at the end only', 'a,b\n1,2\n\n\r\n\n', true],
  ['a blank line at the end without a final newline', 'a,b\n1,2\n\n', true],
  ['a line of two carriage returns is not blank', 'a,b\n1,2\n\r\r\n3,4\n', true],
  ['a blank line, then a lone carriage return at the end', 'a,b\n1,2\n\n\r', true],
  ['a one-column file with an empty value before a record', 'a\n1\n\n2\n', false],
  ['a quoted comma', 'a,b\n"1,5",2\n3,4\n', true],
  ['a quoted line break: a record over two lines', 'a,b\n"1\n5",2\n3,4\n', false],
  ['a doubled quote inside quotes', 'a,b\n"say ""hi""",2\n3,4\n', true],
  ['a quote left open', 'a,b\n"1,2\n', false],
  ['a quote left open on the last line', 'a,b\n1,2\n"3,4', false],
  ['a blank line after a quoted record', 'a,b\n"1",2\n\n3,4\n', false],
  ['a quoted empty value is not a blank line', 'a\n1\n""\n2\n', true],
  ['only a header', 'a,b,c\n', true],
];

function shapeOf(chunks: string[]): boolean {
  const shape = new CsvShape();
  for (const chunk of chunks) shape.feed(Buffer.from(chunk, 'latin1'));
  return shape.finish();
}

describe('CsvShape: whether a CSV reads by position, however its bytes arrive', () => {
  for (const [name, text, regular] of cases) {
    it(`${name}: ${regular ? 'regular' : 'not regular'}`, () => {
      expect(shapeOf([text]), 'whole').toBe(regular);
      for (let cut = 0; cut <= text.length; cut += 1) {
        expect(shapeOf([text.slice(0, cut), text.slice(cut)]), `cut at byte ${cut}`).toBe(regular);
        for (let second = cut; second <= text.length; second += 1)
          expect(
            shapeOf([text.slice(0, cut), text.slice(cut, second), text.slice(second)]),
            `cut at bytes ${cut} and ${second}`,
          ).toBe(regular);
      }
      expect(shapeOf([...text]), 'a byte at a time').toBe(regular);
    });
  }
});
