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

/** A column an officer can sort by: its sort key beside the words shown. */
export interface SortableColumn<Row> extends TableColumn<Row> {
  sortKey?: (row: Row) => string | number;
  /** Renders the cell's content (a link); text otherwise. */
  cell?: (row: Row) => Node;
}

/**
 * A data table an officer can sort (each column header is a button; aria-sort says the order) and
 * filter (one box: rows whose words contain every word typed). The rows stay in the DOM's one table,
 * so the caption, scopes and row headers of dataTable still hold; a polite live line says how many
 * rows show.
 */
export function sortableTable<Row>(
  caption: string,
  columns: SortableColumn<Row>[],
  rows: Row[],
  options: { id: string },
): HTMLElement {
  const table = document.createElement('table');
  table.className = 'data-table sortable';
  table.createCaption().textContent = caption;
  const headRow = table.createTHead().insertRow();
  const body = table.createTBody();
  const words = rows.map((row) => columns.map((c) => c.value(row).toLowerCase()).join(' '));
  let order = rows.map((_, i) => i);
  let sortedBy: { column: number; direction: 'ascending' | 'descending' } | undefined;
  const status = document.createElement('p');
  status.className = 'table-status';
  status.setAttribute('aria-live', 'polite');
  const filter = document.createElement('input');
  filter.type = 'search';
  filter.id = `${options.id}-filter`;
  const label = document.createElement('label');
  label.htmlFor = filter.id;
  label.textContent = 'Filter rows ';
  const draw = () => {
    const terms = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = order.filter((i) => terms.every((t) => words[i]!.includes(t)));
    body.replaceChildren(
      ...shown.map((i) => {
        const row = rows[i]!;
        const tr = document.createElement('tr');
        for (const column of columns) {
          const cell = document.createElement(column.rowHeader ? 'th' : 'td');
          if (column.rowHeader) (cell as HTMLTableCellElement).scope = 'row';
          if (column.numeric) cell.className = 'numeric';
          if (column.cell) cell.append(column.cell(row));
          else cell.textContent = column.value(row);
          tr.append(cell);
        }
        return tr;
      }),
    );
    status.textContent =
      shown.length === rows.length ? `${rows.length} rows.` : `Showing ${shown.length} of ${rows.length} rows.`;
  };
  columns.forEach((column, index) => {
    const th = document.createElement('th');
    th.scope = 'col';
    if (column.numeric) th.className = 'numeric';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.textContent = column.header;
    button.addEventListener('click', () => {
      const direction = sortedBy?.column === index && sortedBy.direction === 'ascending' ? 'descending' : 'ascending';
      sortedBy = { column: index, direction };
      const key = column.sortKey ?? column.value;
      order = rows
        .map((row, i) => ({ i, k: key(row) }))
        .sort((a, b) => {
          const diff =
            typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
          return (direction === 'ascending' ? diff : -diff) || a.i - b.i;
        })
        .map(({ i }) => i);
      for (const other of headRow.cells) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', direction);
      draw();
    });
    th.append(button);
    headRow.append(th);
  });
  filter.addEventListener('input', draw);
  draw();
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  const container = document.createElement('div');
  container.className = 'sortable-table';
  container.append(label, filter, status, wrap);
  return container;
}
