import { api } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatCount, formatDate } from '../format.ts';

/** Data quality (officers): every load with its counts, and rejected rows grouped by reason. */
export async function renderQuality(into: HTMLElement): Promise<void> {
  const quality = await api.quality();
  const { loads, reject_reasons: reasons, impossible_rates: impossible = [], cut_at_limit: cut = {} } = quality;
  // A list the server cut at its limit says so, rather than looking like all there is.
  const cutNote = (list: string, listed: (shown: string) => string) =>
    cut[list] === undefined ? null : h('p', { class: 'note' }, `Only ${listed(formatCount(cut[list]))} are listed.`);
  const flagRules = (quality as { flag_rules?: Record<string, unknown>[] }).flag_rules ?? [];
  const text = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  // Dates and counts as every other page shows them: "2 December 2026, 03:32", "2,793,872".
  const count = (v: unknown) => (typeof v === 'number' ? formatCount(v) : text(v));
  const dateText = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : text(v));
  // The load's stamp is the server's local time as DuckDB wrote it (now()::TIMESTAMP), not UTC, so it
  // is shown as written rather than through formatMoment.
  const loadedText = (v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(v)
      ? `${formatDate(v.slice(0, 10))}, ${v.slice(11, 16)}`
      : text(v);
  // Counts above their population mean the population is wrong: the rates are shown without intervals.
  const populationWarning =
    impossible.length === 0
      ? null
      : h(
          'section',
          { id: 'quality-population', 'aria-labelledby': 'population-heading', class: 'pack-section' },
          h('h2', { id: 'population-heading' }, 'Rates that cannot be true'),
          h(
            'p',
            {},
            'More children are counted than the population holds in these groups: check the loaded population ' +
              '(a file in thousands, or another LA’s) before the board sees the rates.',
          ),
          h(
            'div',
            { class: 'table-wrap' },
            dataTable(
              'Groups with more children than their population',
              [
                { header: 'As at', value: (r: Record<string, unknown>) => text(r['as_at']), rowHeader: true },
                { header: 'Cohort', value: (r) => text(r['cohort']) },
                { header: 'Dimension', value: (r) => text(r['dimension']) },
                { header: 'Group', value: (r) => text(r['group']) },
                { header: 'Children', value: (r) => text(r['count']), numeric: true },
                { header: 'Population', value: (r) => text(r['population']), numeric: true },
              ],
              impossible,
            ),
          ),
        );
  into.replaceChildren(
    ...(populationWarning ? [populationWarning] : []),
    h(
      'section',
      { id: 'quality-loads', 'aria-labelledby': 'loads-heading', class: 'pack-section' },
      h('h2', { id: 'loads-heading' }, 'Loads'),
      cutNote('loads', (n) => `the latest ${n} loads`),
      h(
        'div',
        { class: 'table-wrap' },
        dataTable(
          cut['loads'] === undefined
            ? 'Every load, newest first'
            : `The latest ${formatCount(cut['loads'])} loads, newest first`,
          [
            { header: 'Load', value: (l: Record<string, unknown>) => text(l['load_id']), rowHeader: true },
            { header: 'File', value: (l) => text(l['file']) },
            { header: 'Format', value: (l) => text(l['format']) },
            { header: 'Extract date', value: (l) => dateText(l['reference_date']) },
            { header: 'Loaded', value: (l) => `${loadedText(l['loaded_at'])} by ${text(l['loaded_by'])}` },
            { header: 'Read', value: (l) => count(l['rows_read']), numeric: true },
            { header: 'Accepted', value: (l) => count(l['rows_accepted']), numeric: true },
            { header: 'Rejected', value: (l) => count(l['rows_rejected']), numeric: true },
            { header: 'Merged', value: (l) => count(l['rows_merged']), numeric: true },
            { header: 'Status', value: (l) => `${text(l['status'])}${l['message'] ? `: ${text(l['message'])}` : ''}` },
          ],
          loads,
        ),
      ),
    ),
    h(
      'section',
      { id: 'quality-rejects', 'aria-labelledby': 'rejects-heading', class: 'pack-section' },
      h('h2', { id: 'rejects-heading' }, 'Rejected rows, by reason'),
      cutNote('reject_reasons', (n) => `the first ${n} reasons`),
      reasons.length === 0
        ? h('p', {}, 'No row has been rejected.')
        : h(
            'div',
            { class: 'table-wrap' },
            dataTable(
              'Rejected rows grouped by load, field and reason',
              [
                { header: 'Load', value: (r: Record<string, unknown>) => text(r['load_id']), rowHeader: true },
                { header: 'File', value: (r) => text(r['file']) },
                { header: 'Field', value: (r) => text(r['field']) },
                { header: 'Reason', value: (r) => text(r['reason']) },
                { header: 'Rows', value: (r) => text(r['rows']), numeric: true },
                { header: 'First row', value: (r) => text(r['first_row']) },
              ],
              reasons,
            ),
          ),
    ),
    flagsSection(flagRules, text),
  );
}

/**
 * Records loaded but flagged by a DfE CIN census rule (METRICS.md §16): counts by rule, the records
 * by child on request (LA child ids, so fetched only when asked and logged), and the validation
 * report as CSV for the case-management team.
 */
function flagsSection(flagRules: Record<string, unknown>[], text: (v: unknown) => string): HTMLElement {
  const byChild = h('div', { id: 'quality-flags-by-child' });
  const showByChild = h('button', { type: 'button' }, 'Show flagged records by child');
  showByChild.addEventListener('click', () => {
    showByChild.disabled = true;
    void fetch('/api/v1/quality/flags', { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        const { flags } = (await response.json()) as { flags: Record<string, unknown>[] };
        byChild.replaceChildren(
          h(
            'div',
            { class: 'table-wrap' },
            dataTable(
              'Flagged records by child',
              [
                {
                  header: 'LA child id',
                  value: (r: Record<string, unknown>) => text(r['la_child_id']),
                  rowHeader: true,
                },
                { header: 'Rule', value: (r) => text(r['rule']) },
                { header: 'Record', value: (r) => `${text(r['record_table'])} ${text(r['record_key'])}` },
                { header: 'Fields', value: (r) => text(r['fields']) },
                { header: 'What is wrong', value: (r) => text(r['message']) },
                { header: 'Load', value: (r) => text(r['load_id']), numeric: true },
              ],
              flags,
            ),
          ),
        );
      })
      .catch((err: unknown) => {
        byChild.replaceChildren(h('p', { role: 'alert' }, `Could not load the flagged records: ${String(err)}`));
        showByChild.disabled = false;
      });
  });
  return h(
    'section',
    { id: 'quality-flags', 'aria-labelledby': 'flags-heading', class: 'pack-section' },
    h('h2', { id: 'flags-heading' }, 'Records flagged by DfE CIN census rules'),
    h(
      'p',
      {},
      'These records were loaded, but contradict another record of the same child (the DfE rule code says how). ',
      h('a', { href: './definitions.html#section-16' }, 'How each figure treats them'),
      ' is in the definitions (§16, flagged records).',
    ),
    flagRules.length === 0
      ? h('p', {}, 'No record is flagged.')
      : h(
          'div',
          { class: 'table-wrap' },
          dataTable(
            'Flagged records by DfE rule',
            [
              { header: 'Rule', value: (r: Record<string, unknown>) => text(r['rule']), rowHeader: true },
              { header: 'What is wrong', value: (r) => text(r['message']) },
              { header: 'Records', value: (r) => text(r['records']), numeric: true },
              { header: 'Children', value: (r) => text(r['children']), numeric: true },
            ],
            flagRules,
          ),
        ),
    // Records by child only when some are flagged: with none, the button would offer an empty list.
    h(
      'p',
      {},
      ...(flagRules.length === 0 ? [] : [showByChild, ' ']),
      h(
        'a',
        { href: '/api/v1/quality/validation-report.csv', download: 'validation-report.csv' },
        'Export the validation report (CSV)',
      ),
    ),
    byChild,
  );
}
