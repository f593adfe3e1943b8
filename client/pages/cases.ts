import { api, type Period } from '../api.ts';
import { sortableTable, type SortableColumn } from '../dataTable.ts';
import { h } from '../dom.ts';
import { caseCellSortKey, caseCellText, dateInWords, visibleColumns } from '../../metrics/contract/caseListColumns.ts';
import { caseListTitle } from './caseListTitles.ts';
import './cases.css';

type Row = Record<string, unknown>;

/**
 * Case lists (officers): the rows behind any count, in words, sortable and filterable, each child
 * opening their chronology, with a CSV export. Every view and export is logged.
 */
export async function renderCases(into: HTMLElement, period: Period, figure?: string): Promise<void> {
  const requested =
    figure ?? new URLSearchParams(location.hash.split('?')[1] ?? '').get('figure') ?? 'prevalence.cp_open';
  const { lists } = await api.caseLists();
  const chosen = lists.some((l) => l.figure === requested) ? requested : 'prevalence.cp_open';
  const select = h(
    'select',
    { id: 'case-list' },
    ...lists.map(({ figure: key }) => {
      const option = new Option(caseListTitle(key), key);
      option.selected = key === chosen;
      return option;
    }),
  );
  select.addEventListener('change', () => {
    history.replaceState(null, '', `${location.search}#cases?figure=${encodeURIComponent(select.value)}`);
    void renderCases(into, period, select.value);
  });
  const { rows } = await api.cases(chosen, period);
  const title = caseListTitle(chosen);
  const columns: SortableColumn<Row>[] = visibleColumns(rows).map(({ key, column }) => ({
    header: column.header,
    value: (row) => caseCellText(column, row[key]) || '–',
    sortKey: (row) => caseCellSortKey(column, row[key]),
    rowHeader: column.kind === 'child',
    numeric: column.kind === 'number',
    ...(column.kind === 'child'
      ? {
          cell: (row: Row) => h('a', { href: `#chronology/${encodeURIComponent(String(row[key]))}` }, String(row[key])),
        }
      : {}),
  }));
  const exportLink = h(
    'a',
    {
      class: 'export-link',
      href: `/api/v1/cases/${encodeURIComponent(chosen)}.csv?from=${period.from}&to=${period.to}`,
      download: '',
    },
    'Export as CSV',
  );
  into.replaceChildren(
    h(
      'section',
      { id: 'cases', 'aria-labelledby': 'cases-heading', class: 'pack-section' },
      h('h2', { id: 'cases-heading' }, 'Case list'),
      h(
        'p',
        { class: 'note' },
        'Identifiable: for audit by officers only. This view, and any export, is recorded in the access log.',
      ),
      h('p', {}, h('label', { for: 'case-list' }, 'The children or records behind '), select),
      h(
        'p',
        { class: 'case-count' },
        `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}: ${title.toLowerCase()}, ${dateInWords(period.from)} to ${dateInWords(period.to)}. `,
        rows.length ? exportLink : null,
      ),
      // Issue 13: an audit sample is drawn from the list on screen (client/pages/audits.ts).
      h(
        'p',
        {},
        h('a', { href: `#audit-draw/${encodeURIComponent(chosen)}`, class: 'audit-action' }, 'Draw audit sample'),
      ),
      rows.length
        ? sortableTable(`${title}, ${dateInWords(period.from)} to ${dateInWords(period.to)}`, columns, rows, {
            id: 'case-table',
          })
        : h('p', {}, 'No one is counted in this figure for the period.'),
    ),
  );
}
