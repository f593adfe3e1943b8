import type { AuditDetail, StratumDraw } from '../../metrics/contract/audits.ts';
import { api } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatDate } from '../format.ts';
import { listWords, strataWords } from './audits.ts';

/**
 * An audit's sample (officers and admins): how it was drawn, stratum by stratum beside the case list
 * it came from, so the officer can see it is fair; each child with its judgement; closing.
 */

type Child = AuditDetail['children'][number];

function details(detail: AuditDetail): HTMLElement {
  const a = detail.audit;
  const rows: [string, string][] = [
    ['Case list', listWords(a.figure)],
    ['Period', `${formatDate(a.period.from)} to ${formatDate(a.period.to)}`],
    ['Strata', strataWords(a.strata)],
    ['Seed', a.seed],
    ['Look-back', `${a.lookbackDays} days`],
    ['Drawn', `${formatDate(a.drawnAt.slice(0, 10))} by ${a.drawnBy}`],
    [
      'Status',
      a.status === 'closed'
        ? `Closed on ${formatDate(a.closedAt!.slice(0, 10))} by ${a.closedBy}`
        : 'Open for judgements',
    ],
  ];
  return h('dl', { class: 'audit-details' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function fairness(detail: AuditDetail): HTMLTableElement {
  const strata = detail.sample.strata;
  const drawnIn = (s: StratumDraw) => detail.children.filter((c) => c.stratum === s.key).length;
  const table = dataTable(
    'The sample beside the case list it was drawn from, stratum by stratum',
    [
      { header: 'Stratum', value: (s: StratumDraw) => s.label, rowHeader: true },
      { header: 'Children on the list', value: (s) => String(s.population), numeric: true },
      { header: 'Audited within the look-back', value: (s) => String(s.recentlyAudited), numeric: true },
      { header: 'Brothers or sisters passed over', value: (s) => String(s.siblingsPassedOver), numeric: true },
      { header: 'Asked for', value: (s) => String(s.n), numeric: true },
      { header: 'Drawn', value: (s) => String(drawnIn(s)), numeric: true },
    ],
    strata,
  );
  if (detail.sample.outsideStrata > 0) {
    const row = table.tBodies[0]!.insertRow();
    const head = h('th', { scope: 'row' }, 'In no stratum (no age, or outside every range)');
    row.append(
      head,
      h('td', { class: 'numeric' }, String(detail.sample.outsideStrata)),
      ...['–', '–', '–', '0'].map((v) => h('td', { class: 'numeric' }, v)),
    );
  }
  return table;
}

function judgementWords(child: Child): string {
  const j = child.judgement;
  if (!j) return 'Not yet judged';
  return `Version ${j.version} by ${j.author}, ${formatDate(j.writtenAt.slice(0, 10))}`;
}

function children(detail: AuditDetail): HTMLTableElement {
  const label = new Map(detail.sample.strata.map((s) => [s.key, s.label]));
  const table = dataTable(
    'The children drawn, in drawing order within each stratum',
    [
      { header: 'LA child id', value: (c: Child) => c.laChildId, rowHeader: true },
      { header: 'Stratum', value: (c) => label.get(c.stratum) ?? c.stratum },
      { header: 'Order drawn', value: (c) => String(c.rank), numeric: true },
      { header: 'Judgement', value: judgementWords },
      { header: 'Action', value: () => '' },
    ],
    detail.children,
  );
  table.querySelectorAll<HTMLTableRowElement>('tbody tr').forEach((row, i) => {
    const child = detail.children[i]!;
    row
      .querySelector('th')!
      .replaceChildren(h('a', { href: `#chronology/${encodeURIComponent(child.laChildId)}` }, child.laChildId));
    const verb = detail.audit.status === 'closed' ? 'View' : child.judgement ? 'Edit' : 'Record';
    row.cells[row.cells.length - 1]!.replaceChildren(
      h(
        'a',
        { href: `#audit-judge/${detail.audit.id}/${child.childKey}`, class: 'judge-link' },
        `${verb} judgement`,
        h('span', { class: 'visually-hidden' }, ` for child ${child.laChildId}`),
      ),
    );
  });
  return table;
}

export async function renderAuditSample(into: HTMLElement, id: number): Promise<void> {
  const detail = await api.audit(id);
  const a = detail.audit;
  const unjudged = detail.children.filter((c) => !c.judgement).length;
  const message = h('p', { class: 'form-message', role: 'status', 'aria-live': 'polite' });
  let closing: HTMLElement | null = null;
  if (a.status === 'open') {
    const button = h('button', { type: 'submit', disabled: unjudged > 0 }, 'Close the audit');
    closing = h(
      'form',
      { class: 'audit-form', id: 'audit-close-form' },
      h(
        'p',
        {},
        unjudged > 0
          ? `${unjudged} of ${detail.children.length} children still need a judgement before the audit can be closed.`
          : 'Every child has a judgement. Closing makes the judgements read-only and publishes the findings.',
      ),
      button,
      message,
    );
    closing.addEventListener('submit', (event) => {
      event.preventDefault();
      button.disabled = true;
      api
        .closeAudit(a.id)
        .then(() => {
          location.hash = `#audit-findings/${a.id}`;
        })
        .catch((err: Error) => {
          message.textContent = `The audit could not be closed: ${err.message}`;
          button.disabled = false;
        });
    });
  }
  into.replaceChildren(
    h(
      'section',
      { id: 'audit-sample', 'aria-labelledby': 'audit-sample-heading', class: 'pack-section' },
      h('h2', { id: 'audit-sample-heading' }, `Audit ${a.id}: ${a.theme}`),
      h('p', { class: 'note' }, 'Identifiable: for audit by officers only. This view is recorded in the access log.'),
      h('p', {}, h('a', { href: '#audits' }, 'Back to the audit register')),
      details(detail),
      h('h3', {}, 'How the sample was drawn'),
      h('div', { class: 'table-wrap' }, fairness(detail)),
      ...detail.sentences.map((s) => h('p', { class: 'audit-shortfall' }, s)),
      h('h3', {}, `The sample: ${detail.children.length} ${detail.children.length === 1 ? 'child' : 'children'}`),
      detail.children.length ? h('div', { class: 'table-wrap' }, children(detail)) : h('p', {}, 'No child was drawn.'),
      closing,
      a.status === 'closed' ? h('p', {}, h('a', { href: `#audit-findings/${a.id}` }, 'Read the findings')) : null,
    ),
  );
}
