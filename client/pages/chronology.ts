import { api } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatDate } from '../format.ts';

/** A child's chronology (officers): every recorded event in date order. The view is logged. */
export async function renderChronology(into: HTMLElement, childId: string): Promise<void> {
  const { events } = await api.chronology(childId);
  into.replaceChildren(
    h(
      'section',
      { id: 'chronology', 'aria-labelledby': 'chronology-heading', class: 'pack-section' },
      h('h2', { id: 'chronology-heading' }, `Chronology of child ${childId}`),
      h('p', { class: 'note' }, 'Identifiable: for audit by officers only. This view is recorded in the access log.'),
      h('p', {}, h('a', { href: '#cases' }, 'Back to the case lists')),
      h(
        'div',
        { class: 'table-wrap' },
        dataTable(
          `Every recorded event for child ${childId}, oldest first`,
          [
            { header: 'Date', value: (e: Record<string, string | null>) => formatDate(e['date']!), rowHeader: true },
            { header: 'Service', value: (e) => e['service'] ?? '' },
            { header: 'Event', value: (e) => e['event'] ?? '' },
            { header: 'Detail', value: (e) => e['detail'] ?? '' },
          ],
          events,
        ),
      ),
    ),
  );
}
