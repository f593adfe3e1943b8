import { api, type Period } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';

const lists: Record<string, string> = {
  'prevalence.cp_open': 'Children on a child protection plan at the quarter end',
  'prevalence.neglect_any_stage_children': 'Children showing neglect at any stage',
  'prevalence.cp_open_hidden_neglect': '“Hidden” neglect: plans for another category after a neglect assessment',
  'repeat.cp_starts': 'Plans starting in the quarter, with repeat flags',
};

/** Case lists (officers): the children behind a figure, with their LA child ids. Every view is logged. */
export async function renderCases(into: HTMLElement, period: Period, figure = 'prevalence.cp_open'): Promise<void> {
  const select = h(
    'select',
    { id: 'case-list' },
    ...Object.entries(lists).map(([key, label]) => {
      const option = new Option(label, key);
      option.selected = key === figure;
      return option;
    }),
  );
  select.addEventListener('change', () => void renderCases(into, period, select.value));
  const { rows } = await api.cases(figure, period);
  const columns = Object.keys(rows[0] ?? {}).map((key) => ({
    header: key.replaceAll('_', ' '),
    value: (row: Record<string, unknown>) => (row[key] === null || row[key] === undefined ? '–' : String(row[key])),
    rowHeader: key === 'la_child_id',
    numeric: typeof rows[0]?.[key] === 'number',
  }));
  into.replaceChildren(
    h(
      'section',
      { id: 'cases', 'aria-labelledby': 'cases-heading', class: 'pack-section' },
      h('h2', { id: 'cases-heading' }, 'Case list'),
      h('p', { class: 'note' }, 'Identifiable: for audit by officers only. This view is recorded in the access log.'),
      h('label', { for: 'case-list' }, 'Figure '),
      select,
      // Issue 13: an audit sample is drawn from the list on screen (client/pages/audits.ts).
      h(
        'p',
        {},
        h('a', { href: `#audit-draw/${encodeURIComponent(figure)}`, class: 'audit-action' }, 'Draw audit sample'),
      ),
      h('p', {}, `${rows.length} ${rows.length === 1 ? 'row' : 'rows'} for ${period.from} to ${period.to}.`),
      rows.length
        ? h('div', { class: 'table-wrap' }, linkChildren(dataTable(lists[figure] ?? figure, columns, rows)))
        : null,
    ),
  );
}

/** Each LA child id opens that child's chronology. */
function linkChildren(table: HTMLTableElement): HTMLTableElement {
  for (const cell of table.querySelectorAll<HTMLTableCellElement>('tbody th')) {
    const id = cell.textContent ?? '';
    cell.replaceChildren(h('a', { href: `#chronology/${encodeURIComponent(id)}` }, id));
  }
  return table;
}
