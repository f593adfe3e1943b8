import { DataType, tableFromIPC } from 'apache-arrow';

/**
 * A table sent as an Arrow IPC stream, as the row objects its JSON form carries, so a page need not
 * know which came: dates as YYYY-MM-DD, everything else as apache-arrow reads it (numbers, booleans,
 * dictionary-encoded text as strings, null for a missing value). Read column by column, which is
 * how Arrow lays the values out.
 */
export function rowsFromArrow(bytes: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(bytes);
  const rows = Array.from({ length: table.numRows }, (): Record<string, unknown> => ({}));
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name);
    if (!column) continue;
    const isDate = DataType.isDate(field.type);
    let i = 0;
    for (const value of column) {
      // A DateDay arrives as epoch milliseconds.
      rows[i]![field.name] =
        value === null ? null : isDate ? new Date(value as number).toISOString().slice(0, 10) : value;
      i += 1;
    }
  }
  return rows;
}
