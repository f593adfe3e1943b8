import { toCsv } from '../metrics/contract/csv.ts';
import { h } from './dom.ts';

/**
 * "Download CSV" under every table of the pack. The file is written from the very cells on the
 * page, so a board member gets c exactly where the page shows c, and the numbers as shown.
 */

/** The table's cells as text, header row first, one array per row (caption left out: it is the file's name). */
export function tableCells(table: HTMLTableElement): string[][] {
  return [...table.rows].map((row) => [...row.cells].map((cell) => (cell.textContent ?? '').trim()));
}

export function tableCsv(table: HTMLTableElement): string {
  return toCsv(tableCells(table));
}

function fileName(table: HTMLTableElement, quarterEnd: string): string {
  const caption = (table.caption?.textContent ?? 'table')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  return `${caption || 'table'}-${quarterEnd}.csv`;
}

function download(table: HTMLTableElement, quarterEnd: string): void {
  // A byte-order mark so Excel reads the en dashes and curly quotes of the labels as UTF-8.
  const blob = new Blob(['\ufeff', tableCsv(table)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName(table, quarterEnd), hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Tables this short print whole on one page rather than split (client/print.css). */
const shortTableRows = 15;

/** Adds the download button after each data table under `root`, and marks short tables for print. */
export function prepareTables(root: HTMLElement, quarterEnd: string): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table.data-table')) {
    if (table.tBodies[0] && table.tBodies[0].rows.length <= shortTableRows) table.classList.add('short-table');
    if (table.nextElementSibling?.classList.contains('download-csv')) continue;
    const caption = table.caption?.textContent ?? 'this table';
    const button = h(
      'button',
      {
        type: 'button',
        class: 'download-csv no-print link-button',
        'aria-label': `Download CSV: ${caption}`,
      },
      'Download CSV',
    );
    button.addEventListener('click', () => download(table, quarterEnd));
    table.after(button);
  }
}
