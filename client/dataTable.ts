/** A real HTML table (caption, scoped headers) carrying the same numbers as a chart (WCAG 1.3.1). */
export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string;
  numeric?: boolean;
  /** Marks the column whose cells head their rows. */
  rowHeader?: boolean;
}

export function dataTable<Row>(caption: string, columns: TableColumn<Row>[], rows: Row[]): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'data-table';
  table.createCaption().textContent = caption;
  const headRow = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = column.header;
    if (column.numeric) th.className = 'numeric';
    headRow.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const column of columns) {
      const cell = document.createElement(column.rowHeader ? 'th' : 'td');
      if (column.rowHeader) (cell as HTMLTableCellElement).scope = 'row';
      if (column.numeric) cell.className = 'numeric';
      cell.textContent = column.value(row);
      tr.append(cell);
    }
  }
  return table;
}
