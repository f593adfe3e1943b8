import type { FindingField, FindingShare } from '../../metrics/contract/audits.ts';
import { api } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatDate } from '../format.ts';
import { listWords } from './audits.ts';

/**
 * A closed audit's findings (everyone; board output suppressed): each judgement's share of the
 * children judged with its 95% Wilson interval, beside Ofsted 2014's figure where there is one.
 * Aggregates only: no child and no note reach this page.
 */

const percent = (value: number | 'c') => (value === 'c' ? 'c' : `${Math.round(value * 100)}%`);

function interval(share: FindingShare): string {
  if (share.ciLow === 'c' || share.ciHigh === 'c') return 'c';
  return `${percent(share.ciLow)} to ${percent(share.ciHigh)}`;
}

function ofstedWords(share: FindingShare): string {
  if (!share.ofsted) return '–';
  const figure = share.ofsted.share === null ? '' : ` (${percent(share.ofsted.share)})`;
  return `${share.ofsted.text}${figure}. ${share.ofsted.citation}.`;
}

function fieldTable(field: FindingField): HTMLTableElement {
  const judged = field.judged === 'c' ? 'c' : String(field.judged);
  return dataTable(
    `${field.label}: ${judged} children judged`,
    [
      { header: 'Judgement', value: (s: FindingShare) => s.label, rowHeader: true },
      { header: 'Children', value: (s) => String(s.count), numeric: true },
      { header: 'Share', value: (s) => percent(s.share), numeric: true },
      { header: '95% interval', value: interval, numeric: true },
      { header: 'Ofsted 2014', value: ofstedWords },
    ],
    field.shares,
  );
}

export async function renderAuditFindings(into: HTMLElement, id: number): Promise<void> {
  const findings = await api.auditFindings(id);
  const a = findings.audit;
  into.replaceChildren(
    h(
      'section',
      { id: 'audit-findings', 'aria-labelledby': 'audit-findings-heading', class: 'pack-section' },
      h('h2', { id: 'audit-findings-heading' }, `Findings: ${a.theme}`),
      h(
        'p',
        { class: 'note' },
        `${listWords(a.figure)}, ${formatDate(a.period.from)} to ${formatDate(a.period.to)}; closed on ` +
          `${formatDate((a.closedAt ?? a.drawnAt).slice(0, 10))}. ` +
          (findings.suppressed ? 'Board output: small numbers suppressed.' : 'Officer view: unsuppressed.'),
      ),
      h('p', {}, h('a', { href: '#audits' }, 'Back to the audit register')),
      ...findings.sentences.map((s) => h('p', { class: 'audit-caveat' }, s)),
      ...findings.fields.map((field) => h('div', { class: 'table-wrap finding' }, fieldTable(field))),
    ),
  );
  document.body.dataset['suppressed'] = String(findings.suppressed);
}
