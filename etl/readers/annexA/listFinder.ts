import { fieldForHeader, listNumberFromName, type AnnexField } from './lists.ts';
import { isEmptyCell, type Cell } from './values.ts';

/**
 * Finding an Annex A list inside a sheet's rows: its title cell ("List 7: Child protection") and
 * its header row, which may sit below a title (Ofsted's template has one).
 */

/** How many rows from the top a header may sit. */
export const headerSearchRows = 20;

/** A title cell alone on its row near the top, e.g. "List 7: Child protection". */
export function listFromTitle(data: Cell[][]): number | undefined {
  for (const row of data.slice(0, 5)) {
    const filled = row.filter((cell) => !isEmptyCell(cell));
    if (filled.length === 1 && typeof filled[0] === 'string') {
      const list = listNumberFromName(filled[0]);
      if (list !== undefined) return list;
    }
  }
  return undefined;
}

export interface Header {
  /** 0-based index of the header row. */
  row: number;
  /** Column index of each recognised column (the first, if a header repeats). */
  columns: Map<AnnexField, number>;
}

/** The first row near the top naming at least two known Annex A columns. */
export function findHeader(data: Cell[][]): Header | undefined {
  for (const [row, cells] of data.slice(0, headerSearchRows).entries()) {
    const columns = new Map<AnnexField, number>();
    for (const [index, cell] of cells.entries()) {
      if (typeof cell !== 'string') continue;
      const field = fieldForHeader(cell);
      if (field && !columns.has(field)) columns.set(field, index);
    }
    if (columns.size >= 2) return { row, columns };
  }
  return undefined;
}
