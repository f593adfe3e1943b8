/**
 * Reads every sheet of an .xlsx workbook with one reader and prints the rows and cells it found:
 * `stream` is the Annex A reader's own (etl/readers/annexA/workbook.ts), `read-excel-file` what it
 * used before issue 11 (each sheet parsed whole). Run in a process of its own, so its peak memory
 * is the reader's.
 *
 *   node bin/run-ts.js bench/support/readWorkbookSheets.ts stream|read-excel-file WORKBOOK
 */
import { readSheet } from 'read-excel-file/node';
import { openWorkbook } from '../../etl/readers/annexA/workbook.ts';

const [reader, path] = process.argv.slice(2);
if (!path || (reader !== 'stream' && reader !== 'read-excel-file')) {
  console.error('usage: readWorkbookSheets.ts stream|read-excel-file WORKBOOK');
  process.exit(2);
}
const book = openWorkbook(path);
let rows = 0;
let cells = 0;
for (let position = 1; position <= book.sheets.length; position += 1) {
  // One sheet held at a time, as the Annex A reader holds them.
  const data = reader === 'stream' ? await book.readSheet(position) : await readSheet(path, position);
  rows += data.length;
  for (const row of data) cells += row.filter((cell) => cell !== null && cell !== undefined).length;
}
console.log(JSON.stringify({ sheets: book.sheets.length, rows, cells }));
