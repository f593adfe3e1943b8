import type { AuditSummary, StrataSpec } from '../../metrics/contract/audits.ts';
import { api, type Period } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatDate } from '../format.ts';
import { caseListTitle } from './caseListTitles.ts';
import './audits.css';

/**
 * The audit register (everyone: board members and leads see closed audits only) and the form that
 * draws a sample from a case list (officers and admins). METRICS.md §13 "Audit samples".
 */

/** A case list's title, as the case-list page names it. */
export const listWords = caseListTitle;

export function strataWords(strata: StrataSpec): string {
  if (strata.by === 'age') return strata.ranges.map((r) => `${r.n} aged ${r.from}–${r.to}`).join('; ');
  return `${strata.n} per ${strata.by === 'sex' ? 'sex' : 'ethnic group'}`;
}

const statusWords = (a: AuditSummary) => (a.status === 'closed' ? 'Closed' : 'Open');

export async function renderAuditRegister(into: HTMLElement): Promise<void> {
  const { audits, canDraw } = await api.audits();
  const table = dataTable(
    'Every audit, newest first',
    [
      { header: 'Audit', value: (a: AuditSummary) => a.theme, rowHeader: true },
      { header: 'Case list', value: (a) => listWords(a.figure) },
      { header: 'Period', value: (a) => `${formatDate(a.period.from)} to ${formatDate(a.period.to)}` },
      { header: 'Children', value: (a) => String(a.sampleSize), numeric: true },
      { header: 'Status', value: statusWords },
      { header: 'Drawn', value: (a) => `${formatDate(a.drawnAt.slice(0, 10))} by ${a.drawnBy}` },
    ],
    audits,
  );
  // Each audit opens its sample (officers) and, once closed, its findings.
  table.querySelectorAll<HTMLTableRowElement>('tbody tr').forEach((row, i) => {
    const audit = audits[i]!;
    const head = row.querySelector('th')!;
    const links: (Node | string)[] = [];
    if (canDraw) links.push(h('a', { href: `#audit/${audit.id}` }, audit.theme));
    else links.push(document.createTextNode(audit.theme));
    if (audit.status === 'closed') {
      links.push(' · ', h('a', { href: `#audit-findings/${audit.id}` }, 'Findings'));
    }
    head.replaceChildren(...links);
  });
  into.replaceChildren(
    h(
      'section',
      { id: 'audits', 'aria-labelledby': 'audits-heading', class: 'pack-section' },
      h('h2', { id: 'audits-heading' }, 'Audit register'),
      h(
        'p',
        { class: 'note' },
        canDraw
          ? 'Audits drawn from the case lists, with their samples and judgements. Board members see the findings of closed audits only, with small numbers suppressed.'
          : 'The partnership’s multi-agency audits. Findings are shown for closed audits, with small numbers suppressed.',
      ),
      canDraw ? h('p', {}, h('a', { href: '#audit-draw', class: 'audit-action' }, 'Draw a new audit sample')) : null,
      audits.length
        ? h('div', { class: 'table-wrap' }, table)
        : h('p', {}, canDraw ? 'No audit has been drawn yet.' : 'No audit has been closed yet.'),
    ),
  );
}

function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'audit-field' },
    h('label', { for: id }, label),
    hint ? h('span', { class: 'note', id: `${id}-hint` }, hint) : null,
    input,
  );
}

function numberInput(id: string, value: number, label: string, min = 0, max = 100): HTMLInputElement {
  return h('input', { id, name: id, type: 'number', min, max, step: 1, value, 'aria-label': label, required: true });
}

/** The draw form: a case list and period, strata (Lambeth's by default), a seed, the look-back. */
export async function renderAuditDraw(into: HTMLElement, period: Period, figure: string | undefined): Promise<void> {
  const { lists } = await api.audits();
  const list = h(
    'select',
    { id: 'audit-figure', name: 'figure' },
    ...lists.map((key) => {
      const option = new Option(listWords(key), key);
      option.selected = key === (figure ?? 'prevalence.neglect_any_stage_children');
      return option;
    }),
  );
  const theme = h('input', { id: 'audit-theme', name: 'theme', type: 'text', maxlength: 200, required: true });
  theme.value = 'Neglect: multi-agency case audit';
  const from = h('input', { id: 'audit-from', name: 'from', type: 'date', value: period.from, required: true });
  const to = h('input', { id: 'audit-to', name: 'to', type: 'date', value: period.to, required: true });
  const by = h(
    'select',
    { id: 'audit-by', name: 'by' },
    new Option('Age ranges (completed years at the period’s end)', 'age', true, true),
    new Option('Ethnic group', 'ethnicity'),
    new Option('Sex', 'sex'),
  );
  const defaults = [
    [0, 5, 4],
    [6, 11, 4],
    [12, 17, 4],
  ];
  const rangeRows = defaults.map(([a, b, n], i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, `Range ${i + 1}`),
      h('td', {}, numberInput(`range-${i}-from`, a!, `Range ${i + 1}: from age`, 0, 25)),
      h('td', {}, numberInput(`range-${i}-to`, b!, `Range ${i + 1}: to age`, 0, 25)),
      h('td', {}, numberInput(`range-${i}-n`, n!, `Range ${i + 1}: children to draw`, 1, 100)),
    ),
  );
  const ranges = h(
    'fieldset',
    { class: 'audit-ranges' },
    h('legend', {}, 'Age ranges (Lambeth’s 0–5, 6–11 and 12–17 by default)'),
    // On a screen too narrow for the four columns the table scrolls, not the page (WCAG 1.4.10).
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Stratum'),
            h('th', { scope: 'col' }, 'From age'),
            h('th', { scope: 'col' }, 'To age'),
            h('th', { scope: 'col' }, 'Children to draw'),
          ),
        ),
        h('tbody', {}, ...rangeRows),
      ),
    ),
  );
  const perGroup = field(
    'audit-n',
    'Children to draw per group',
    numberInput('audit-n', 4, 'Children per group', 1, 100),
  );
  perGroup.hidden = true;
  by.addEventListener('change', () => {
    ranges.hidden = by.value !== 'age';
    perGroup.hidden = by.value === 'age';
  });
  const seed = h('input', {
    id: 'audit-seed',
    name: 'seed',
    type: 'text',
    maxlength: 100,
    'aria-describedby': 'audit-seed-hint',
  });
  const lookback = numberInput('audit-lookback', 365, 'Look-back in days', 0, 3650);
  const message = h('p', { class: 'form-message', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Draw sample');
  const form = h(
    'form',
    { class: 'audit-form', id: 'audit-draw-form' },
    field('audit-theme', 'Theme', theme),
    field('audit-figure', 'Case list', list),
    field('audit-from', 'Period from', from),
    field('audit-to', 'Period to (the as-at date of ages)', to),
    field('audit-by', 'Strata', by),
    ranges,
    perGroup,
    field('audit-seed', 'Seed', seed, 'Leave blank and one is chosen and kept; the same seed draws the same sample.'),
    field('audit-lookback', 'Look-back (days)', lookback),
    submit,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (id: string) => Number((form.querySelector(`#${id}`) as HTMLInputElement).value);
    const strata: StrataSpec =
      by.value === 'age'
        ? {
            by: 'age',
            ranges: defaults.map((_, i) => ({
              from: value(`range-${i}-from`),
              to: value(`range-${i}-to`),
              n: value(`range-${i}-n`),
            })),
          }
        : { by: by.value as 'ethnicity' | 'sex', n: value('audit-n') };
    submit.disabled = true;
    message.textContent = 'Drawing the sample…';
    api
      .drawAudit({
        theme: theme.value,
        figure: list.value,
        from: from.value,
        to: to.value,
        strata,
        seed: seed.value.trim() || undefined,
        lookbackDays: Number(lookback.value),
      })
      .then((drawn) => {
        location.hash = `#audit/${drawn.audit.id}`;
      })
      .catch((err: Error) => {
        message.textContent = `The sample could not be drawn: ${err.message}`;
        submit.disabled = false;
      });
  });
  into.replaceChildren(
    h(
      'section',
      { id: 'audit-draw', 'aria-labelledby': 'audit-draw-heading', class: 'pack-section' },
      h('h2', { id: 'audit-draw-heading' }, 'Draw an audit sample'),
      h(
        'p',
        { class: 'note' },
        'A stratified random sample of the children on a case list. Children audited within the look-back, and a second child of a family already drawn, are skipped. The draw is saved and recorded in the access log.',
      ),
      form,
    ),
  );
}
