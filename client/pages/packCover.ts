import { periodInWords } from '../../metrics/contract/quarters.ts';
import type { BoardPack } from '../../metrics/contract/types.ts';
import { h } from '../dom.ts';

/**
 * The front of the pack: whose it is (the partnership and the local authority), the quarter, the
 * protective marking and the day it was produced; then the executive summary the server wrote from
 * the figures. The PDF's page header reads the names from the cover's data attributes, so the page
 * and the printed pack can never name different partnerships.
 */

/** "January to March 2026". */
export const quarterTitle = periodInWords;

export function packCover(pack: BoardPack, produced: Date = new Date()): HTMLElement {
  const day = produced.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  const partnership = pack.partnership;
  return h(
    'section',
    {
      id: 'cover',
      class: 'pack-cover',
      'aria-label': 'Cover',
      'data-partnership-name': partnership.name,
      'data-la-name': partnership.la_name,
      'data-quarter-title': quarterTitle(pack.period),
    },
    h('p', { class: 'marking cover-marking' }, 'OFFICIAL-SENSITIVE'),
    h('p', { class: 'cover-partnership' }, partnership.name),
    h('p', { class: 'cover-title' }, `Neglect board pack: ${quarterTitle(pack.period)}`),
    h(
      'dl',
      { class: 'cover-facts' },
      h('dt', {}, 'Local authority'),
      h('dd', {}, partnership.la_name),
      h('dt', {}, 'Quarter'),
      h('dd', {}, quarterTitle(pack.period)),
      h('dt', {}, 'Produced'),
      h('dd', {}, day),
      h('dt', {}, 'Figures'),
      h(
        'dd',
        {},
        pack.suppressed
          ? 'Board output: small numbers are suppressed (shown as c)'
          : 'Officer view: not suppressed; do not share outside the partnership',
      ),
    ),
  );
}

export function executiveSummarySection(pack: BoardPack): HTMLElement {
  const part = (id: string, title: string, lines: string[]) =>
    h(
      'div',
      { class: 'summary-part', id: `summary-${id}` },
      h('h3', {}, title),
      h('ul', {}, ...lines.map((line) => h('li', {}, line))),
    );
  return h(
    'section',
    { id: 'summary', class: 'pack-section summary', 'aria-labelledby': 'summary-heading' },
    h('h2', { id: 'summary-heading' }, 'Executive summary'),
    part('changes', 'What changed since the previous quarter', pack.summary.changes),
    part('signals', 'Signals of change', pack.summary.signals),
    part('range', 'Compared with England, the region and statistical neighbours', pack.summary.outsideRange),
    h(
      'p',
      { class: 'pack-downloads no-print' },
      h(
        'a',
        { href: `/api/v1/board-pack.csv?quarter=${encodeURIComponent(pack.period.to)}`, download: '' },
        'Download all the pack’s figures (CSV)',
      ),
    ),
  );
}
