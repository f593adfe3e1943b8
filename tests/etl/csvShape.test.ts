import { describe, expect, it } from 'vitest';
import { CsvShape } from '../../etl/staging/csvRecords.ts';

/**
 * CsvShape decides whether a canonical CSV can be read by position (every record one line with the
 * header's number of fields, no quote left open). Chunks without a quote take a quicker loop than
 * chunks with one, and a file arrives in megabyte chunks cut anywhere, so each text below is fed
 * whole, cut in two at every byte, and one byte at a time: the answer must not change.
 */
const cases: [string, string, boolean][] = [
  ['plain records', 'a,b,c\n1,2,3\n4,5,6\n', true],
  ['no newline at the end', 'a,b,c\n1,2,3\n4,5,6', true],
  ['CRLF line ends', 'a,b\r\n1,2\r\n3,4\r\n', true],
  ['a blank line, skipped as DuckDB skips it', 'a,b\n1,2\n\n3,4\n', true],
  ['a blank CRLF line', 'a,b\r\n1,2\r\n\r\n3,4\r\n', true],
  ['a record with a field too few', 'a,b,c\n1,2,3\n4,5\n', false],
  ['a record with a field too many', 'a,b\n1,2\n3,4,5\n', false],
  ['a last record with a field too few and no newline', 'a,b,c\n1,2,3\n4,5', false],
  ['a one-column file', 'a\n1\n2\n', true],
  ['a one-column file with an empty value is a blank line', 'a\n1\n\n2\n', true],
  ['a quoted comma', 'a,b\n"1,5",2\n3,4\n', true],
  ['a quoted line break: a record over two lines', 'a,b\n"1\n5",2\n3,4\n', false],
  ['a doubled quote inside quotes', 'a,b\n"say ""hi""",2\n3,4\n', true],
  ['a quote left open', 'a,b\n"1,2\n3,4\n', false],
  ['only a header', 'a,b,c\n', true],
  ['a line of a lone carriage return', 'a,b\n1,2\n\r\n3,4\n', true],
  ['a line of a lone space is a value, so a field too few', 'a,b\n1,2\n \n', false],
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
      for (let cut = 0; cut <= text.length; cut += 1)
        expect(shapeOf([text.slice(0, cut), text.slice(cut)]), `cut at byte ${cut}`).toBe(regular);
      expect(shapeOf([...text]), 'a byte at a time').toBe(regular);
    });
  }
});
