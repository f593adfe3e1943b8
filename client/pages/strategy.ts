import { api } from '../api.ts';
import type {
  IndicatorBenchmark,
  Figure,
  Indicator,
  IndicatorPoint,
  IndicatorScore,
  IndicatorStatus,
  Scorecard,
} from '../../metrics/contract/types.ts';
import { quarterEnding, quarterLabel } from '../../metrics/contract/quarters.ts';
import { assuranceIcon, variationIcon } from '../charts/mdcIcons.ts';
import { sparkline } from '../charts/sparkline.ts';
import { spcChartLimits, spcChartPoints } from '../charts/spcInput.ts';
import { spcChart } from '../charts/spcChart.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatDate } from '../format.ts';
import { showCount, showRate } from './figures.ts';
import { packSection } from './packSection.ts';

/**
 * The neglect strategy lead's pages (METRICS.md §13 "Indicators and targets"): a scorecard of every
 * success indicator, a page per indicator (its SPC chart with the target, trajectory and notes of
 * practice, its definition, its history, and forms to set the target and add a note), and the
 * annual strategy review that `lscb report --strategy` prints. Every number comes from the API.
 */

export const statusWords: Record<IndicatorStatus | 'c', string> = {
  on_track: 'On track',
  off_track: 'Off track',
  worse_than_baseline: 'Worse than the baseline',
  no_target: 'No target set',
  c: 'c (not shown: the value is too small to publish)',
};

/** Whole numbers as counts, anything else to one decimal place (rates and percentages, as DfE). */
export function showValue(value: Figure | undefined): string {
  if (value === undefined) return '–';
  return typeof value === 'number' && !Number.isInteger(value) ? showRate(value) : showCount(value);
}

const quarterName = (end: string) => quarterLabel(quarterEnding(end));

/** Whether the latest signal is high or low, for the icon's H or L. */
function signalEnd(score: IndicatorScore): 'high' | 'low' | null {
  const latest = score.latest ? score.spc.points.find((p) => p.period_to === score.latest!.period_to) : undefined;
  if (!latest || latest.signal_direction === null || latest.flags.length === 0) return null;
  return latest.signal_direction > 0 ? 'high' : 'low';
}

function targetWords(indicator: Indicator): string {
  return indicator.target ? `${showValue(indicator.target.value)} by ${formatDate(indicator.target.date)}` : 'None set';
}

function baselineWords(indicator: Indicator): string {
  return indicator.baseline
    ? `${showValue(indicator.baseline.value)} (${quarterName(indicator.baseline.to)})`
    : 'Not yet (no data)';
}

const betterWords = (indicator: Indicator) => (indicator.better === 'down' ? 'lower is better' : 'higher is better');

/**
 * The scorecard: one row per indicator with its trend, latest value, baseline, target, status and
 * the two Making Data Count icons. `links` makes each title a link to its page (leads and above).
 */
export function scorecardTable(card: Scorecard, options: { links: boolean; compact?: boolean }): HTMLTableElement {
  if (options.compact) return compactScorecard(card);
  const headers = ['Indicator', 'Trend', 'Latest', 'Baseline', 'Target', 'Status', 'Variation', 'Assurance'];
  return indicatorTable(card, headers, (score) => {
    const { indicator, latest } = score;
    const title = options.links ? h('a', { href: `#strategy/${indicator.id}` }, indicator.title) : indicator.title;
    return [
      h('th', { scope: 'row' }, title, h('div', { class: 'note' }, `${indicator.owner}; ${betterWords(indicator)}`)),
      h(
        'td',
        { class: 'trend' },
        score.points.length
          ? sparkline(
              score.points.map((p) => ({ date: p.period_to, value: typeof p.value === 'number' ? p.value : null })),
              { width: 100, height: 24 },
            )
          : null,
      ),
      latestCell(score),
      h('td', { class: 'numeric' }, baselineWords(indicator)),
      h('td', { class: 'numeric target' }, targetWords(indicator)),
      statusCell(score),
      h('td', { class: 'icon' }, variationIcon(latest?.variation ?? null, signalEnd(score))),
      h('td', { class: 'icon' }, assuranceIcon(latest?.assurance ?? null)),
    ];
  });
}

/**
 * The scorecard as the board pack prints it: five columns, so it fits a tablet's 768 px and an A4
 * page; the baseline rides with the target and the two icons share a cell.
 */
function compactScorecard(card: Scorecard): HTMLTableElement {
  const headers = ['Indicator', 'Latest', 'Baseline and target', 'Status', 'Readings'];
  return indicatorTable(card, headers, (score) => {
    const { indicator, latest } = score;
    return [
      h('th', { scope: 'row' }, indicator.title, h('div', { class: 'note' }, betterWords(indicator))),
      latestCell(score),
      h('td', {}, `Baseline ${baselineWords(indicator)}; target ${targetWords(indicator).toLowerCase()}`),
      statusCell(score),
      h(
        'td',
        { class: 'icon' },
        variationIcon(latest?.variation ?? null, signalEnd(score), 24),
        assuranceIcon(latest?.assurance ?? null, 24),
      ),
    ];
  });
}

/** A scorecard table, caption and headers, with one row of `cells` per indicator. */
function indicatorTable(
  card: Scorecard,
  headers: readonly string[],
  cells: (score: IndicatorScore) => HTMLElement[],
): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'data-table scorecard';
  table.createCaption().textContent =
    `Success indicators at ${formatDate(card.as_at)}` +
    (card.suppressed ? ' (board output: small numbers shown as c)' : '');
  const head = table.createTHead().insertRow();
  for (const header of headers) head.append(h('th', { scope: 'col' }, header));
  const body = table.createTBody();
  for (const score of card.indicators) {
    const row = body.insertRow();
    row.dataset['indicator'] = String(score.indicator.id);
    row.append(...cells(score));
  }
  return table;
}

const latestCell = ({ indicator, latest, unavailable }: IndicatorScore) =>
  h(
    'td',
    { class: 'numeric latest', 'data-latest': indicator.id },
    latest ? `${showValue(latest.value)} (${quarterName(latest.period_to)})` : (unavailable ?? '–'),
  );

const statusCell = ({ latest }: IndicatorScore) =>
  h('td', { class: 'status', 'data-status': latest?.status ?? '' }, latest?.status ? statusWords[latest.status] : '–');

/** The scorecard page (#strategy). */
export async function renderScorecard(into: HTMLElement, quarterEnd: string): Promise<void> {
  const card = await api.scorecard(quarterEnd);
  into.replaceChildren(
    packSection(
      'strategy',
      'Is the neglect strategy working?',
      'Each indicator follows one figure against its baseline and, once a lead sets one, its target. ' +
        'Status compares the latest value with the straight line from the baseline to the target; the icons ' +
        'are NHS England’s “Making Data Count” readings of variation and of assurance.',
      h('div', { class: 'table-wrap' }, scorecardTable(card, { links: true })),
    ),
  );
}

function chartOf(score: IndicatorScore, options: { interactive: boolean; from?: string }) {
  const { spc, indicator } = score;
  const shown = options.from ? spc.points.filter((p) => p.period_to >= options.from!) : spc.points;
  const trajectory = score.points
    .filter((p): p is IndicatorPoint & { trajectory: number } => p.trajectory !== null)
    .map((p) => ({ date: p.period_to, value: p.trajectory }));
  // The trajectory is drawn over the chart's own quarters; beyond them the target line and its label say where it goes.
  const latestSegment = spc.segments.at(-1);
  return spcChart(spcChartPoints(shown), {
    title: indicator.title,
    id: `indicator-${indicator.id}-chart${options.from ? '-year' : ''}`,
    interactive: options.interactive,
    limits: spcChartLimits({
      chart: latestSegment?.chart ?? 'run',
      centre: latestSegment?.mean ?? null,
      limits: latestSegment?.limits ?? null,
      baseline: latestSegment?.baseline ?? null,
    }),
    annotations: score.annotations
      .filter((a) => !options.from || a.noted_on >= options.from)
      .map((a) => ({ date: a.noted_on, body: a.body, processChange: a.process_change })),
    ...(indicator.target && typeof indicator.baseline?.value === 'number'
      ? { target: { value: indicator.target.value, date: indicator.target.date, trajectory } }
      : {}),
  });
}

/** The quarters' table: value, trajectory, status, SPC reading and the notes of each quarter. */
function quartersTable(score: IndicatorScore, from?: string): HTMLTableElement {
  const points = from ? score.points.filter((p) => p.period_to >= from) : score.points;
  const notesIn = (end: string) => {
    const start = quarterEnding(end).from;
    return score.annotations
      .filter((a) => a.noted_on >= start && a.noted_on <= end)
      .map((a) => `${formatDate(a.noted_on)}: ${a.body}${a.process_change ? ' (change in the process)' : ''}`)
      .join('; ');
  };
  const table = dataTable(
    `${score.indicator.title}, each quarter`,
    [
      { header: 'Quarter end', value: (p: IndicatorPoint) => formatDate(p.period_to), rowHeader: true },
      { header: 'Value', value: (p) => showValue(p.value), numeric: true },
      { header: 'Trajectory', value: (p) => (p.trajectory === null ? '–' : showRate(p.trajectory)), numeric: true },
      { header: 'Status', value: (p) => (p.status ? statusWords[p.status] : '–') },
      {
        header: 'Signal',
        value: (p) => score.spc.points.find((s) => s.period_to === p.period_to)?.signal_words ?? 'no value',
      },
      { header: 'Notes of practice', value: (p) => notesIn(p.period_to) },
    ],
    points,
  );
  table.id = `indicator-${score.indicator.id}-quarters`;
  return table;
}

function historyTable(history: Indicator[]): HTMLTableElement {
  return dataTable(
    'Every change to this indicator, oldest first (nothing is overwritten)',
    [
      { header: 'Version', value: (v: Indicator) => String(v.version), numeric: true, rowHeader: true },
      { header: 'When (UTC)', value: (v) => v.written_at.replace('T', ' ').replace('Z', '') },
      { header: 'Who', value: (v) => v.author },
      { header: 'What changed', value: (v) => v.change },
    ],
    history,
  );
}

function field(label: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'form-field' }, h('label', { for: input.id }, label), input);
}

/** The target form: a value and a date; saving adds a version of the indicator. */
function targetForm(score: IndicatorScore, reload: () => void): HTMLElement {
  const { indicator } = score;
  const value = h('input', {
    id: 'target-value',
    type: 'number',
    step: 'any',
    required: true,
    value: indicator.target ? String(indicator.target.value) : undefined,
  });
  const date = h('input', { id: 'target-date', type: 'date', required: true, value: indicator.target?.date });
  const message = h('p', { class: 'form-message', role: 'status' });
  const form = h(
    'form',
    { class: 'strategy-form', id: 'target-form', 'aria-labelledby': 'target-form-heading' },
    h('h3', { id: 'target-form-heading' }, indicator.target ? 'Change the target' : 'Set a target'),
    field(`Target value (${betterWords(indicator)})`, value),
    field('Reach it by', date),
    h('button', { type: 'submit', class: 'action-button' }, 'Save the target'),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = 'Saving…';
    api
      .setTarget(indicator.id, { value: Number(value.value), date: date.value })
      .then(reload)
      .catch((err: Error) => {
        message.textContent = `Not saved: ${err.message}`;
      });
  });
  return form;
}

/** The note form: what happened and when, optionally a change in the process for this indicator. */
function annotationForm(score: IndicatorScore, reload: () => void): HTMLElement {
  const date = h('input', { id: 'note-date', type: 'date', required: true });
  const body = h('textarea', { id: 'note-body', required: true, maxlength: '2000', rows: '2' });
  const change = h('input', { id: 'note-process-change', type: 'checkbox' });
  const message = h('p', { class: 'form-message', role: 'status' });
  const form = h(
    'form',
    { class: 'strategy-form', id: 'note-form', 'aria-labelledby': 'note-form-heading' },
    h('h3', { id: 'note-form-heading' }, 'Add a note of practice'),
    field('Date', date),
    field('What happened (for example “Graded Care Profile 2 training for all health visitors”)', body),
    h(
      'div',
      { class: 'form-field checkbox' },
      change,
      h(
        'label',
        { for: 'note-process-change' },
        'A change in the process: recalculate this indicator’s limits from this date',
      ),
    ),
    h('button', { type: 'submit', class: 'action-button' }, 'Add the note'),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = 'Saving…';
    api
      .addAnnotation({
        noted_on: date.value,
        body: body.value,
        process_change: change.checked,
        figures: [score.indicator.series],
      })
      .then(reload)
      .catch((err: Error) => {
        message.textContent = `Not saved: ${err.message}`;
      });
  });
  return form;
}

/** England, the region and the neighbours in one sentence, or why there is none. */
function benchmarkWords(benchmark: IndicatorBenchmark | null): string {
  if (!benchmark) return 'None published: a local measure, or a figure DfE and LAIT do not publish.';
  const figure = (v: number | null) => (v === null ? 'not published' : showRate(v));
  const region = benchmark.region_name ? `${benchmark.region_name} ` : 'the region ';
  return (
    `${benchmark.source}, ${benchmark.year_words}: England ${figure(benchmark.england)}, ${region}${figure(benchmark.region)}, ` +
    `statistical neighbours ${figure(benchmark.neighbours_mean)} (mean of ${benchmark.neighbours_count}); ${benchmark.compare}.`
  );
}

/** One indicator's page (#strategy/ID). */
export async function renderIndicator(into: HTMLElement, id: number, quarterEnd: string): Promise<void> {
  const { score, history, canEdit, benchmark } = await api.indicator(id, quarterEnd);
  const { indicator } = score;
  const reload = () => void renderIndicator(into, id, quarterEnd).then(() => into.dispatchEvent(new Event('changed')));
  const limits = score.recalculatedFrom.length
    ? h(
        'p',
        { class: 'recalculated' },
        `Process limits are calculated afresh from the change in the process recorded on ${formatDate(score.recalculatedFrom.at(-1)!)}.`,
      )
    : null;
  const definition =
    indicator.ref.kind === 'partner'
      ? `Partner measure ${indicator.ref.figure}, agency ${indicator.ref.group}`
      : indicator.ref.kind === 'split_group'
        ? `${indicator.ref.figure}, group “${indicator.ref.group}”`
        : indicator.ref.figure;
  into.replaceChildren(
    h('p', {}, h('a', { href: '#strategy' }, '← All indicators')),
    packSection(
      `indicator-${indicator.id}`,
      indicator.title,
      score.reading,
      h(
        'dl',
        { class: 'indicator-facts' },
        h('dt', {}, 'Why it matters'),
        h('dd', {}, indicator.rationale),
        h('dt', {}, 'Owner'),
        h('dd', {}, indicator.owner),
        h('dt', {}, 'Figure'),
        h('dd', {}, definition, ' — ', h('a', { href: score.definition }, 'how it is defined')),
        h('dt', {}, 'Better'),
        h('dd', {}, betterWords(indicator)),
        h('dt', {}, 'Benchmarks'),
        h('dd', { 'data-benchmark': benchmark ? 'yes' : 'none' }, benchmarkWords(benchmark)),
        h('dt', {}, 'Baseline'),
        h('dd', { 'data-baseline': '' }, baselineWords(indicator)),
        h('dt', {}, 'Target'),
        h('dd', { 'data-target': '' }, targetWords(indicator)),
        h('dt', {}, 'Status'),
        h(
          'dd',
          { 'data-status': score.latest?.status ?? '' },
          score.latest?.status ? statusWords[score.latest.status] : '–',
          ' ',
          variationIcon(score.latest?.variation ?? null, signalEnd(score)),
          ' ',
          assuranceIcon(score.latest?.assurance ?? null),
        ),
      ),
      score.points.length ? h('figure', {}, chartOf(score, { interactive: true })) : null,
      limits,
      h('div', { class: 'table-wrap' }, quartersTable(score)),
      canEdit ? h('div', { class: 'strategy-forms' }, targetForm(score, reload), annotationForm(score, reload)) : null,
      h('div', { class: 'table-wrap' }, historyTable(history)),
    ),
  );
}

/**
 * The annual strategy review (#strategy-review): each indicator's reporting year to the quarter
 * against its baseline and target, with its chart and the notes of practice of the year, one
 * section per indicator so the printed PDF's outline lists them.
 */
export async function renderStrategyReview(into: HTMLElement, quarterEnd: string): Promise<void> {
  const card = await api.scorecard(quarterEnd);
  const yearStart = `${Number(quarterEnd.slice(0, 4)) - (quarterEnd.slice(5) <= '03-31' ? 1 : 0)}-04-01`;
  const yearWords = `the year from ${formatDate(yearStart)} to ${formatDate(quarterEnd)}`;
  const sections = card.indicators.map((score) => {
    const { indicator, latest } = score;
    const inYear = score.points.filter((p) => p.period_to >= yearStart);
    const first = inYear[0];
    const notes = score.annotations.filter((a) => a.noted_on >= yearStart && a.noted_on <= quarterEnd);
    const summary =
      latest && first
        ? `Over ${yearWords}: ${showValue(first.value)} in ${quarterName(first.period_to)}, ${showValue(latest.value)} in ` +
          `${quarterName(latest.period_to)}. Baseline ${baselineWords(indicator)}; target ${targetWords(indicator).toLowerCase()}; ` +
          `status ${latest.status ? statusWords[latest.status].toLowerCase() : 'not known'}.`
        : `No value for ${yearWords}: ${score.unavailable ?? 'the data cannot answer it yet'}.`;
    return packSection(
      `review-${indicator.id}`,
      indicator.title,
      score.reading,
      h('p', { class: 'review-summary', 'data-latest': indicator.id }, summary),
      score.points.length ? h('figure', {}, chartOf(score, { interactive: false })) : null,
      inYear.length ? h('div', { class: 'table-wrap' }, quartersTable(score, yearStart)) : null,
      h(
        'div',
        { class: 'annotations' },
        h('h3', {}, `What happened in practice in the year`),
        notes.length
          ? h(
              'ul',
              {},
              ...notes.map((a) =>
                h(
                  'li',
                  { 'data-noted-on': a.noted_on },
                  `${formatDate(a.noted_on)}: ${a.body}${a.process_change ? ' (a change in the process)' : ''}`,
                ),
              ),
            )
          : h('p', {}, 'No notes of practice were recorded in the year.'),
      ),
    );
  });
  into.replaceChildren(
    h(
      'section',
      { id: 'review-cover', class: 'pack-section', 'aria-labelledby': 'review-cover-heading' },
      h('h2', { id: 'review-cover-heading' }, 'Neglect strategy: annual review'),
      h(
        'p',
        { class: 'reading' },
        `Each success indicator over ${yearWords}, against its baseline and target` +
          (card.suppressed ? '. Board output: any count from 1 to 5 is shown as c.' : '.'),
      ),
      h('div', { class: 'table-wrap' }, scorecardTable(card, { links: false })),
    ),
    ...sections,
  );
}
