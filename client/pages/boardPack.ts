import type { BoardPack, DisproportionalityRow, Figure, MetricsPack } from '../api.ts';
import type { BenchmarkMeasureKey, ExtractSummary, HistoryFigure, LoadRecord } from '../../metrics/contract/types.ts';
import { quarterEnding, quarterLabel } from '../../metrics/contract/quarters.ts';
import { sparkline } from '../charts/sparkline.ts';
import { categoryLines } from '../charts/categoryLines.ts';
import { continuum, type ContinuumStage } from '../charts/continuum.ts';
import { dotInterval } from '../charts/dotInterval.ts';
import { durationBars } from '../charts/durationBars.ts';
import { funnelPlot } from '../charts/funnelPlot.ts';
import { cpCategoryStyle } from '../charts/palette.ts';
import { spcChartLimits, spcChartPoints } from '../charts/spcInput.ts';
import { spcChart } from '../charts/spcChart.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { addPackExtras } from './packExtras.ts';
import { packSection } from './packSection.ts';
import { intoCareSection } from './packIntoCare.ts';
import { agenciesSection } from './packAgencies.ts';
import { partnersSection } from './packPartners.ts';
import { strategySection } from './packStrategy.ts';
import { formatDate } from '../format.ts';
import { direction, figureAt, showCount, showPct, showRate } from './figures.ts';

/**
 * The quarterly neglect board pack: each section answers one of the board's three questions (how
 * much neglect, is it getting better, are we seeing all of it fairly) with a chart, the same numbers
 * in a table, and one sentence generated from the data on the server.
 */

interface Headline {
  path: string;
  label: string;
  /** What the count counts, where two figures of the pack could be read as the same thing. */
  basis?: (pack: BoardPack) => string;
  /** The figure is withdrawn, and this said instead, when the history before the quarter is too short. */
  needsHistory?: HistoryFigure;
  ratePath?: string;
  unit?: string;
  benchmark?: BenchmarkMeasureKey;
  /** DfE publishes this at 31 March only (METRICS.md §9: compare like with like). */
  at31March?: boolean;
}

export const headlines: Headline[] = [
  {
    path: 'prevalence.cp_open_neglect_initial',
    label: 'Children on a child protection plan for neglect',
    ratePath: 'prevalence.cp_open_neglect_initial_rate_per_10k',
    basis: (pack) => `Plans open on ${formatDate(pack.period.to)}, counted by their initial category.`,
  },
  {
    path: 'prevalence.neglect_any_stage_children',
    label: 'Children showing neglect at any stage (early help, child in need or child protection)',
    ratePath: 'prevalence.neglect_any_stage_children_rate_per_10k',
  },
  {
    path: 'prevalence.cp_open',
    label: 'All children on a child protection plan',
    ratePath: 'prevalence.cp_open_rate_per_10k',
    benchmark: 'cp_open_rate_per_10k',
    at31March: true,
  },
  {
    path: 'percentages.cp_starts_second_or_subsequent_pct',
    label: 'Plans starting in the quarter that were a second or subsequent plan',
    unit: '%',
    benchmark: 'cp_starts_second_or_subsequent_pct',
    needsHistory: 'repeat_plans',
  },
  {
    path: 'percentages.rereferrals_12m_pct',
    label: 'Referrals that were a re-referral within 12 months',
    unit: '%',
    benchmark: 'rereferrals_12m_pct',
    needsHistory: 'rereferrals_12m',
  },
  {
    path: 'percentages.cp_open_2y_plus_pct',
    label: 'Plans open for 2 years or more',
    unit: '%',
    benchmark: 'cp_open_2y_plus_pct',
    at31March: true,
  },
];

/** What the page says in place of a figure the history before the quarter cannot answer. */
export const historyWords: Record<HistoryFigure, string> = {
  rereferrals_12m: 'Not enough history: re-referrals need 12 months of referrals before the quarter.',
  repeat_plans: 'Not enough history: repeat plans need 12 months of earlier plans before the quarter.',
  spc_limits: 'Not enough history for process limits: they need at least 15 quarters with a published figure.',
};

const tooShort = (pack: BoardPack, figure: HistoryFigure | undefined) =>
  figure !== undefined && pack.history[figure] === 'too_short';

const section = packSection;

function comparison(pack: BoardPack, headline: Headline): string | null {
  if (!headline.benchmark) return null;
  const measure = pack.benchmarks?.measures[headline.benchmark];
  if (!measure) return null;
  if (headline.at31March && !pack.period.to.endsWith('-03-31')) {
    return `DfE compares this at 31 March only; see the January–March pack.`;
  }
  const unit = headline.unit ?? ' per 10,000';
  const parts = [
    measure.england !== null ? `England ${showRate(measure.england)}${unit}` : null,
    measure.statistical_neighbours.mean !== null
      ? `statistical neighbours ${showRate(measure.statistical_neighbours.mean)}${unit}`
      : null,
    measure.region !== null && pack.benchmarks?.region
      ? `${pack.benchmarks.region} ${showRate(measure.region)}${unit}`
      : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join('; ')} (DfE, year to 31 March ${pack.benchmarks?.year}).` : null;
}

/** A national figure in words, or the plain statement that none is published. */
function nationalFigure(pack: BoardPack, key: BenchmarkMeasureKey, source: string, name = 'England '): string {
  const measure = pack.benchmarks?.measures[key];
  if (!measure || measure.england === null) return 'No national figure is published.';
  const year = measure.year ?? pack.benchmarks.year;
  return `${name}${showRate(measure.england)}% (${source}, year to 31 March ${year}).`;
}

/** The neglect headline's comparison with England: the share of open plans, initial category (DfE's basis). */
function neglectShareComparison(pack: BoardPack): string {
  const share = figureAt(pack.figures, 'percentages.cp_open_neglect_initial_pct');
  const local =
    typeof share === 'number'
      ? `${showRate(share)}% of open plans had neglect as the initial category`
      : 'The share of open plans with neglect as the initial category is too small to publish';
  return `${local}; ${nationalFigure(pack, 'cp_open_neglect_initial_pct', 'DfE')}`;
}

interface NationalRow {
  label: string;
  path: string;
  benchmark?: BenchmarkMeasureKey;
  source?: string;
  /** Trended beside the table (Ofsted's 2014 questions have no national figure to compare with). */
  trend?: boolean;
}

const nationalRows: NationalRow[] = [
  {
    label: 'Plans open at the quarter end with neglect as the initial category',
    path: 'percentages.cp_open_neglect_initial_pct',
    benchmark: 'cp_open_neglect_initial_pct',
    source: 'DfE',
  },
  {
    label: 'Plans starting in the quarter with neglect as the initial category',
    path: 'percentages.cp_starts_neglect_initial_pct',
    benchmark: 'cp_starts_neglect_initial_pct',
    source: 'DfE',
  },
  {
    label: 'Assessments completed within 45 working days',
    path: 'percentages.assessments_within_45wd_pct',
    benchmark: 'assessments_within_45wd_pct',
    source: 'DfE, LAIT',
  },
  {
    label: 'Initial child protection conferences within 15 working days',
    path: 'percentages.icpcs_within_15wd_pct',
    benchmark: 'icpcs_within_15wd_pct',
    source: 'DfE, LAIT',
  },
  { label: 'Early help episodes that were about neglect', path: 'percentages.eh_neglect_share_pct', trend: true },
  {
    label: 'Child in need plans for children showing neglect',
    path: 'percentages.cin_plans_neglect_share_pct',
    trend: true,
  },
];

/** Neglect beside England, and Ofsted's 2014 questions (how much early help and CIN work is about neglect). */
function nationalSection(pack: BoardPack): HTMLElement {
  const rows = nationalRows.filter((r) => figureAt(pack.figures, r.path) !== null || r.benchmark);
  const table = dataTable(
    'Neglect and timeliness compared with England',
    [
      { header: 'Figure', value: (r: NationalRow) => r.label, rowHeader: true },
      {
        header: pack.benchmarks?.la_name ?? 'This area',
        value: (r) => showPct(figureAt(pack.figures, r.path)),
        numeric: true,
      },
      // The column is headed England, so its cells do not repeat the name.
      {
        header: 'England',
        value: (r) =>
          r.benchmark ? nationalFigure(pack, r.benchmark, r.source ?? 'DfE', '') : 'No national figure is published.',
      },
    ],
    rows,
  );
  const trends = h(
    'div',
    { class: 'share-trends' },
    ...nationalRows.filter((r) => r.trend).map((r) => shareTrend(pack, r)),
  );
  return section(
    'national',
    'Neglect compared with England',
    undefined,
    h(
      'p',
      { class: 'note' },
      'Shares of plans are counted by the category a plan started with, as DfE counts them. ' +
        'No national figure is published for how much early help and child in need work is about neglect, so those are shown ' +
        'against their own trend.',
    ),
    h('div', { class: 'table-wrap' }, table),
    trends,
  );
}

/** A share's 20 quarters as a sparkline, with its first and latest values in words beside it. */
function shareTrend(pack: BoardPack, row: NationalRow): HTMLElement {
  const points = pack.shareTrends.find((t) => t.figure === row.path)?.points ?? [];
  const first = points.find((p) => typeof p.value === 'number');
  const words =
    first && typeof first.value === 'number'
      ? `Over ${points.length} quarters: ${showPct(first.value)} in ${quarterLabel(quarterEnding(first.period_to))}, ` +
        `${showPct(figureAt(pack.figures, row.path))} in ${quarterLabel(pack.period)}.`
      : 'Too few quarters with a published figure to show a trend.';
  return h(
    'div',
    { class: 'share-trend', 'data-trend': row.path },
    h(
      'p',
      { class: 'share-trend-label' },
      row.label,
      ': ',
      h('strong', { 'data-figure': row.path }, showPct(figureAt(pack.figures, row.path))),
    ),
    points.length
      ? sparkline(
          points.map((p) => ({ date: p.period_to, value: typeof p.value === 'number' ? p.value : null })),
          { width: 160, height: 32 },
        )
      : null,
    h('p', { class: 'note share-trend-reading' }, words),
  );
}

function headlineCards(pack: BoardPack): HTMLElement {
  const list = h('dl', { class: 'headline-figures' });
  for (const headline of headlines) {
    const value = figureAt(pack.figures, headline.path);
    const show = (v: Figure) =>
      headline.unit && typeof v === 'number'
        ? `${showRate(v)}${headline.unit}`
        : headline.unit
          ? showRate(v)
          : showCount(v);
    const rate = headline.ratePath ? figureAt(pack.figures, headline.ratePath) : null;
    if (tooShort(pack, headline.needsHistory)) {
      list.append(
        h(
          'div',
          { class: 'figure' },
          h('dt', {}, headline.label),
          h(
            'dd',
            {},
            h(
              'span',
              { class: 'no-history', 'data-history': headline.needsHistory },
              historyWords[headline.needsHistory!],
            ),
          ),
        ),
      );
      continue;
    }
    list.append(
      h(
        'div',
        { class: 'figure' },
        h('dt', {}, headline.label, headline.basis ? h('span', { class: 'basis' }, headline.basis(pack)) : null),
        h(
          'dd',
          {},
          h('span', { class: 'count', 'data-figure': headline.path }, show(value)),
          headline.ratePath
            ? h('span', { class: 'rate', 'data-figure': headline.ratePath }, `${showRate(rate)} per 10,000 children`)
            : null,
          h('span', { class: 'travel' }, direction(value, figureAt(pack.previous, headline.path), show)),
          comparison(pack, headline) ? h('span', { class: 'benchmark' }, comparison(pack, headline)) : null,
          headline.path === 'prevalence.cp_open_neglect_initial'
            ? h('span', { class: 'benchmark' }, neglectShareComparison(pack))
            : null,
        ),
      ),
    );
  }
  return list;
}

function continuumSection(pack: BoardPack): HTMLElement {
  const stages = pack.figures.prevalence['neglect_highest_stage'] as Record<string, Figure> | undefined;
  // Each stage records neglect its own way (METRICS.md §2), said beside its bar; looked after is
  // category of need N1, "abuse or neglect", counted at the quarter end (METRICS.md §10).
  const lookedAfter = pack.intoCare?.episodes_loaded === true && pack.figures.looked_after !== undefined;
  const rows: { key: ContinuumStage; label: string; children: Figure; basis: string }[] = [
    {
      key: 'early_help',
      label: 'Early help only',
      children: stages?.['early_help'] ?? null,
      basis: 'an episode with the neglect flag or factor 16A',
    },
    {
      key: 'cin',
      label: 'Child in need (not on a plan)',
      children: stages?.['cin'] ?? null,
      basis: 'an assessment with factor 16A (neglect)',
    },
    {
      key: 'cp',
      label: 'Child protection plan',
      children: stages?.['cp'] ?? null,
      basis: 'a plan with neglect as its initial or latest category',
    },
    ...(lookedAfter
      ? [
          {
            key: 'looked_after' as const,
            label: 'Looked after',
            children: figureAt(pack.figures, 'looked_after.lac_open_n1'),
            basis: `category of need N1, abuse or neglect, on ${formatDate(pack.period.to)}`,
          },
        ]
      : []),
  ];
  const headlineCount = showCount(figureAt(pack.figures, 'prevalence.cp_open_neglect_initial'));
  const chart = continuum(
    rows.map((r) => ({ ...r, children: r.children ?? 0 })),
    {
      title: lookedAfter
        ? 'Children showing neglect in the quarter, by the highest stage of help they reached, and children looked after for abuse or neglect'
        : 'Children showing neglect in the quarter, by the highest stage of help they reached',
    },
  );
  const table = dataTable(
    'Children showing neglect, by highest stage of help',
    [
      {
        header: 'Stage',
        rowHeader: true,
        value: (r: (typeof rows)[number]) =>
          r.key === 'cp' ? `${r.label} (any plan during the quarter, initial or latest category neglect)` : r.label,
      },
      { header: 'Children', value: (r) => showCount(r.children), numeric: true },
      { header: 'How neglect is seen', value: (r) => r.basis },
    ],
    rows,
  );
  const extra = dataTable(
    'Neglect seen at each stage',
    [
      { header: 'Figure', value: (r: [string, Figure]) => r[0], rowHeader: true },
      { header: 'Children', value: (r) => showCount(r[1]), numeric: true },
    ],
    [
      ['Children showing neglect at any stage', figureAt(pack.figures, 'prevalence.neglect_any_stage_children')],
      ['Early help episodes showing neglect (children)', figureAt(pack.figures, 'prevalence.eh_children_neglect')],
      ['Assessments completed with neglect (factor 16A)', figureAt(pack.figures, 'prevalence.assessments_neglect')],
      [
        '“Hidden” neglect: on a plan for another category after a neglect assessment',
        figureAt(pack.figures, 'prevalence.cp_open_hidden_neglect'),
      ],
    ],
  );
  // Two neglect-plan numbers appear in the pack: say which is which where the larger one appears.
  const basis = h(
    'p',
    { class: 'note basis-note' },
    `Child protection here counts every child on a plan at any time during the quarter whose plan had neglect as its initial ` +
      `or latest category, so it is larger than the headline’s ${headlineCount}, which counts plans open on ` +
      `${formatDate(pack.period.to)} by their initial category only.`,
  );
  const careNote = lookedAfter
    ? h(
        'p',
        { class: 'note looked-after-note' },
        `Looked after counts the children in care on ${formatDate(pack.period.to)} whose category of need is N1, ` +
          '“abuse or neglect” (DfE records no neglect apart from abuse). It is not a further step of the stages ' +
          'above: a child in care may be counted there too. The “Into care” section has the figures.',
      )
    : null;
  return section(
    'continuum',
    // The heading stays: looked after is shown beside the stages, not as one of them (careNote).
    'Neglect across early help, child in need and child protection',
    pack.readings.continuum,
    h('figure', {}, chart),
    basis,
    careNote,
    h('div', { class: 'table-wrap' }, table, extra),
  );
}

function trendSection(pack: BoardPack): HTMLElement {
  const { spc, points, label } = pack.neglectTrend;
  // The chart draws what the API judged: its limits and σ bands (from the baseline), its words
  // for each point, and a suppressed quarter as a c mark and a break, never a value.
  const chart = spcChart(spcChartPoints(spc.points), {
    title: 'Children on a child protection plan for neglect per 10,000 children, at each quarter end',
    valueLabel: 'Rate per 10,000',
    limits: spcChartLimits(spc),
    // Notes of practice as numbered markers, so a rise can be read against the training before it.
    annotations: pack.neglectTrend.annotations.map((a) => ({
      date: a.noted_on,
      body: a.body,
      processChange: a.process_change,
    })),
  });
  const notesIn = (end: string) =>
    pack.neglectTrend.annotations
      .filter((a) => a.noted_on >= quarterEnding(end).from && a.noted_on <= end)
      .map((a) => `${formatDate(a.noted_on)}: ${a.body}${a.process_change ? ' (change in the process)' : ''}`)
      .join('; ');
  const table = dataTable(
    label,
    [
      { header: 'Quarter end', value: (p: (typeof points)[number]) => formatDate(p.period_to), rowHeader: true },
      { header: 'Rate per 10,000', value: (p) => showRate(p.value), numeric: true },
      {
        header: 'Signal',
        value: (p) => signalWords(spc.points.find((s) => s.period_to === p.period_to)),
        numeric: false,
      },
      { header: 'Notes of practice', value: (p) => notesIn(p.period_to) },
    ],
    points,
  );
  // A series with no published point has nothing to draw: a centre of 0.0 on an empty axis would mislead.
  const shortNote = tooShort(pack, 'spc_limits')
    ? h(
        'p',
        { class: 'no-history', 'data-history': 'spc_limits' },
        `${historyWords.spc_limits} This series has ${spc.n_points}.`,
      )
    : null;
  // What happened in practice, so a board can read a change against it (Ofsted: a rise in plans
  // followed training nobody could date). A process change is where the limits were recalculated.
  const { annotations, recalculatedFrom } = pack.neglectTrend;
  const practice =
    annotations.length > 0
      ? h(
          'div',
          { class: 'annotations' },
          h('h3', {}, 'What happened in practice'),
          h(
            'ul',
            {},
            ...annotations.map((a) =>
              h(
                'li',
                { 'data-noted-on': a.noted_on },
                `${formatDate(a.noted_on)}: ${a.body}`,
                a.process_change ? ' (a change in the process: the limits are calculated afresh from here)' : '',
              ),
            ),
          ),
        )
      : null;
  const recalculated =
    recalculatedFrom.length > 0
      ? h(
          'p',
          { class: 'recalculated' },
          `Process limits are calculated from the quarters after the change recorded on ${formatDate(recalculatedFrom[recalculatedFrom.length - 1]!)}.`,
        )
      : null;
  return section(
    'neglect-trend',
    'Is it changing? Neglect plans over five years',
    pack.readings.trend,
    shortNote,
    spc.n_points > 0 ? h('figure', {}, chart) : null,
    recalculated,
    practice,
    h('div', { class: 'table-wrap' }, table),
  );
}

/** The API's words for the point (metrics/spc.ts), the same words the sentence uses. */
function signalWords(point: BoardPack['neglectTrend']['spc']['points'][number] | undefined): string {
  return point?.signal_words ?? 'no value';
}

function categoriesSection(pack: BoardPack): HTMLElement {
  const chart = categoryLines(
    // A c stays c: the chart breaks its line there with a labelled mark (METRICS.md §7), never 0.
    pack.categories.map((r) => ({ date: r.quarter_end, category: r.category, value: r.children })),
    {
      title: 'Children on child protection plans at each quarter end, by initial category',
      styles: cpCategoryStyle,
      valueLabel: 'Children',
      annotations: pack.neglectTrend.annotations.map((a) => ({
        date: a.noted_on,
        body: a.body,
        processChange: a.process_change,
      })),
    },
  );
  const quarterEnds = [...new Set(pack.categories.map((r) => r.quarter_end))].sort();
  const codes = Object.keys(cpCategoryStyle);
  const at = (q: string, code: string) =>
    pack.categories.find((r) => r.quarter_end === q && r.category === code)?.children ?? null;
  const table = dataTable(
    'Children on child protection plans at each quarter end, by initial category of the open plan',
    [
      { header: 'Quarter end', value: (q: string) => formatDate(q), rowHeader: true },
      ...codes.map((code) => ({
        header: cpCategoryStyle[code]!.name,
        value: (q: string) => showCount(at(q, code)),
        numeric: true,
      })),
    ],
    quarterEnds,
  );
  table.id = 'cp-open-by-category-table';
  return section(
    'categories',
    'Child protection plans by category of abuse',
    undefined,
    h('figure', {}, chart),
    h('div', { class: 'table-wrap' }, table),
  );
}

function repeatSection(pack: BoardPack): HTMLElement {
  // Notes in plain English: the definitions page says exactly how each is counted.
  const at = (path: string) => figureAt(pack.figures, path);
  const rows: [string, Figure, string, HistoryFigure?][] = [
    [
      'Plans starting in the quarter',
      at('repeat.cp_starts'),
      'Every child protection plan that started in the quarter',
    ],
    [
      '… of which a second or subsequent plan (DfE measure)',
      at('repeat.cp_starts_second_or_subsequent'),
      'Counted as DfE counts it, so comparable with England',
      'repeat_plans',
    ],
    [
      '… of which within 2 years of the last plan ending (local measure)',
      at('repeat.cp_starts_within_2y'),
      'A local measure: not comparable with DfE',
      'repeat_plans',
    ],
    [
      '… of which re-registered under neglect',
      at('repeat.cp_starts_repeat_neglect'),
      'A local indicator (as Blackburn with Darwen reports it)',
      'repeat_plans',
    ],
    ['Referrals in the quarter', at('repeat.referrals'), ''],
    [
      '… of which a re-referral within 12 months',
      at('repeat.rereferrals_12m'),
      'Counted as DfE counts it, so comparable with England',
      'rereferrals_12m',
    ],
  ];
  const table = dataTable(
    'Repeat plans and re-referrals in the quarter',
    [
      { header: 'Figure', value: (r: (typeof rows)[number]) => r[0], rowHeader: true },
      {
        header: 'Number',
        value: (r) => (tooShort(pack, r[3]) ? 'not enough history' : showCount(r[1])),
        numeric: true,
      },
      { header: 'Note', value: (r) => (tooShort(pack, r[3]) ? historyWords[r[3]!] : r[2]) },
    ],
    rows,
  );
  const funnel = pack.repeatFunnel
    ? h(
        'figure',
        {},
        funnelPlot(pack.repeatFunnel, {
          title: `Second or subsequent child protection plans, all local authorities, year to 31 March ${pack.repeatFunnel.year}`,
          xLabel: 'Child protection plans starting in the year',
          yLabel: 'Second or subsequent plans',
          // About a fifth of LAs lie beyond 99.8% (the indicator is over-dispersed): naming them all
          // buries the home LA's label; the chart's description lists them.
          labelOutliers: false,
        }),
      )
    : null;
  return section(
    'repeat',
    'Repeat plans and re-referrals',
    pack.readings.repeat,
    funnel,
    h('div', { class: 'table-wrap' }, table),
  );
}

const bandLabels: Record<string, string> = {
  le_3m: '3 months or less',
  '3_6m': '3 to 6 months',
  '6_12m': '6 to 12 months',
  '1_2y': '1 to 2 years',
  '2y_plus': '2 years or more',
};

function driftSection(pack: BoardPack): HTMLElement {
  const open = (pack.figures.drift['cp_open_by_duration'] ?? {}) as Record<string, Figure>;
  const bands = Object.keys(bandLabels).map((band) => ({ band, label: bandLabels[band]!, count: open[band] ?? null }));
  const chart = durationBars(
    bands.map((b) => ({ ...b, count: b.count ?? 0 })),
    {
      title: 'Children on a child protection plan at the quarter end, by time on the plan',
      emphasise: ['2y_plus'],
    },
  );
  const rows: [string, Figure][] = [
    ['Plans open 18 months or more', figureAt(pack.figures, 'drift.cp_open_18m_plus')],
    [
      'Children whose help closed and reopened at least twice in 3 years (“stop-start”)',
      figureAt(pack.figures, 'drift.stop_start_children'),
    ],
    ['… of them showing neglect', figureAt(pack.figures, 'drift.stop_start_children_neglect')],
    ['Assessments completed', figureAt(pack.figures, 'drift.assessments_completed')],
    ['… within 45 working days', figureAt(pack.figures, 'drift.assessments_within_45wd')],
    ['Initial child protection conferences', figureAt(pack.figures, 'drift.icpcs')],
    ['… within 15 working days of the Section 47 enquiry starting', figureAt(pack.figures, 'drift.icpcs_within_15wd')],
  ];
  const table = dataTable(
    'Plan durations, drift and timeliness',
    [
      { header: 'Figure', value: (r: (typeof rows)[number]) => r[0], rowHeader: true },
      { header: 'Number', value: (r) => showCount(r[1]), numeric: true },
    ],
    rows,
  );
  const bandTable = dataTable(
    'Children on a plan at the quarter end, by time on the plan',
    [
      { header: 'Time on the plan', value: (b: (typeof bands)[number]) => b.label, rowHeader: true },
      { header: 'Children', value: (b) => showCount(b.count), numeric: true },
    ],
    bands,
  );
  return section(
    'drift',
    'Plan durations and drift',
    pack.readings.drift,
    h('figure', {}, chart),
    h('div', { class: 'table-wrap' }, bandTable, table, daysToPlanTable(pack)),
  );
}

/**
 * Days from the first sign of neglect to a neglect plan, for the quarter and the reporting year so
 * far: a median alone swings with the few plans of one quarter, so it comes with its n and
 * quartiles, in whole days.
 */
function daysToPlanTable(pack: BoardPack): HTMLElement {
  const days = (v: Figure) => (typeof v === 'number' ? `${showCount(Math.round(v))} days` : showCount(v));
  const rows = [
    { label: `The quarter (${quarterLabel(pack.period)})`, figures: pack.figures },
    { label: `The reporting year to ${formatDate(pack.yearToDate.period.to)}`, figures: pack.yearToDate },
  ];
  const drift = (figures: MetricsPack, key: string) => figureAt(figures, `drift.first_neglect_to_cp_${key}`);
  // Before the quartiles existed only the unrounded median did: show it in whole days all the same.
  const median = (figures: MetricsPack) =>
    drift(figures, 'median_days') ?? figureAt(figures, 'drift.median_days_first_neglect_to_cp');
  const table = dataTable(
    'Days from the first sign of neglect to a neglect plan (plans starting in the period)',
    [
      { header: 'Period', value: (r: (typeof rows)[number]) => r.label, rowHeader: true },
      { header: 'Plans', value: (r) => showCount(drift(r.figures, 'n')), numeric: true },
      { header: 'Quarter of plans within', value: (r) => days(drift(r.figures, 'q1_days')), numeric: true },
      { header: 'Median', value: (r) => days(median(r.figures)), numeric: true },
      { header: 'Three quarters of plans within', value: (r) => days(drift(r.figures, 'q3_days')), numeric: true },
    ],
    rows,
  );
  table.id = 'days-to-neglect-plan';
  return table;
}

const groupLabels: Record<string, string> = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian',
  black: 'Black',
  other: 'Other',
  unknown: 'Not known',
  unborn: 'Unborn',
  under_1: 'Under 1',
  '1_4': '1 to 4',
  '5_9': '5 to 9',
  '10_15': '10 to 15',
  '16_plus': '16 and 17',
  male: 'Male',
  female: 'Female',
};
const dimensionLabels: Record<string, string> = { ethnicity: 'ethnic group', age_band: 'age', sex: 'sex' };

function disproportionalitySection(pack: BoardPack): HTMLElement {
  const cohort = pack.figures.disproportionality['cp_open_neglect'] ?? {};
  const body: Node[] = [];
  for (const dimension of ['ethnicity', 'age_band', 'sex']) {
    const rows = cohort[dimension] ?? [];
    const reference = rateAll(rows);
    const title = `Children on a neglect plan per 10,000 children, by ${dimensionLabels[dimension]}, with 95% intervals`;
    body.push(
      h(
        'figure',
        {},
        dotInterval(
          rows.map((r) => ({
            group: r.group,
            label: groupLabels[r.group] ?? r.group,
            // 'c': a suppressed rate, drawn as a labelled c mark; null: a count-only group (unknown, unborn).
            rate: typeof r.rate_per_10k === 'number' || r.rate_per_10k === 'c' ? r.rate_per_10k : null,
            low: typeof r.ci_low === 'number' ? r.ci_low : null,
            high: typeof r.ci_high === 'number' ? r.ci_high : null,
            flag: r.flag === 'higher' || r.flag === 'lower' || r.flag === 'similar' ? r.flag : null,
            count: r.count ?? 0,
          })),
          { title, reference, id: `disproportionality-${dimension}` },
        ),
      ),
    );
    body.push(
      h(
        'div',
        { class: 'table-wrap' },
        dataTable(
          title,
          [
            {
              header: dimensionLabels[dimension]!.replace(/^./, (c) => c.toUpperCase()),
              value: (r: DisproportionalityRow) => groupLabels[r.group] ?? r.group,
              rowHeader: true,
            },
            { header: 'Children', value: (r) => showCount(r.count), numeric: true },
            { header: 'Rate per 10,000', value: (r) => showRate(r.rate_per_10k), numeric: true },
            {
              header: '95% interval',
              value: (r) => (r.ci_low === null ? '–' : `${showRate(r.ci_low)} to ${showRate(r.ci_high)}`),
              numeric: true,
            },
            { header: 'Ratio to all children', value: (r) => showRate(r.ratio), numeric: true },
            { header: 'Compared with all children', value: (r) => r.flag ?? 'count only' },
          ],
          rows,
        ),
      ),
    );
  }
  const denominators = pack.figures.denominators;
  body.push(
    h(
      'p',
      { class: 'note' },
      `Denominators: ${Object.entries(denominators)
        .map(([d, v]) => `${dimensionLabels[d] ?? d} — ${v.note}`)
        .join('; ')}.`,
    ),
  );
  return section(
    'disproportionality',
    'Are we seeing all of it fairly? Who is over-represented',
    pack.readings.disproportionality,
    ...body,
  );
}

/** The all-children rate the dots are compared with: the rate over known groups, served as ratio = rate / rate_all. */
function rateAll(rows: DisproportionalityRow[]): number | null {
  const row = rows.find((r) => typeof r.rate_per_10k === 'number' && typeof r.ratio === 'number' && r.ratio > 0);
  return row ? (row.rate_per_10k as number) / (row.ratio as number) : null;
}

function qualitySection(pack: BoardPack): HTMLElement {
  const { quality } = pack;
  const extracts = dataTable(
    'Extracts loaded',
    [
      {
        header: 'Data up to',
        value: (e: ExtractSummary) => (e.reference_date ? formatDate(e.reference_date) : 'not known'),
        rowHeader: true,
      },
      { header: 'Loaded on', value: (e) => formatDate(e.loaded_on) },
      { header: 'Files', value: (e) => showCount(e.files), numeric: true },
      { header: 'Rows read', value: (e) => showCount(e.rows_read), numeric: true },
      { header: 'Rows not used', value: (e) => showCount(e.rows_rejected), numeric: true },
    ],
    quality.extracts,
  );
  const summary = quality.data_to
    ? `The figures use data up to ${formatDate(quality.data_to)}${quality.loaded_on ? `, loaded on ${formatDate(quality.loaded_on)}` : ''}.`
    : 'No extract has loaded yet.';
  const unused =
    quality.rejectedRows > 0
      ? ` ${showCount(quality.rejectedRows)} records could not be used because they were incomplete or inconsistent; ` +
        'the performance team checks each one with the service that recorded it.'
      : '';
  // METRICS.md §16: records that contradict another record of the same child are used, and counted here.
  const flagged =
    quality.flaggedRecords !== undefined && quality.flaggedRecords !== 0
      ? ` ${showCount(quality.flaggedRecords)} records (of ${showCount(quality.flaggedChildren ?? null)} children) ` +
        'break a DfE census rule against another record of the same child; they are used as recorded, as the ' +
        'method notes say, while the service corrects them.'
      : '';
  if (pack.suppressed) {
    // Board members get the plain summary: file names and load messages describe systems, not children.
    return section(
      'quality',
      'About the data',
      undefined,
      h('p', { class: 'data-summary' }, summary + unused + flagged),
      h('div', { class: 'table-wrap' }, extracts),
      h(
        'p',
        { class: 'note' },
        'Board output: any count from 1 to 5 is shown as c, with every rate and percentage built on it, ' +
          'and one more cell where a total would reveal it (DfE practice).',
      ),
    );
  }
  const loads = dataTable(
    'Latest files loaded',
    [
      { header: 'File', value: (l: LoadRecord) => String(l['file']), rowHeader: true },
      { header: 'Format', value: (l) => String(l['format']) },
      { header: 'Extract date', value: (l) => (l['reference_date'] ? formatDate(String(l['reference_date'])) : '–') },
      { header: 'Rows read', value: (l) => showCount(l['rows_read'] as number), numeric: true },
      { header: 'Rejected', value: (l) => showCount(l['rows_rejected'] as number), numeric: true },
      { header: 'Status', value: (l) => String(l['status']) },
    ],
    pack.quality.loads ?? [],
  );
  return section(
    'quality',
    'About the data',
    undefined,
    h('p', { class: 'data-summary' }, summary),
    h(
      'p',
      {},
      `${showCount(quality.rejectedRows)} rows have been rejected across all loads and ${showCount(quality.failedLoads)} ` +
        'loads failed; the data-quality page gives each reason.' +
        flagged,
    ),
    h('div', { class: 'table-wrap' }, extracts, loads),
    h('p', { class: 'note' }, 'Officer view: figures are not suppressed. Do not share outside the partnership.'),
  );
}

function periodNote(pack: BoardPack): string {
  const { population } = pack.figures;
  const quarter = `Quarter ${formatDate(pack.period.from)} to ${formatDate(pack.period.to)}. `;
  if (population.children_0_17 === null || population.year === null) {
    return `${quarter}No child population estimate is loaded for this year, so no rates per 10,000 children are shown.`;
  }
  return `${quarter}Rates per 10,000 children aged 0–17 (${showCount(population.children_0_17)}, mid-${population.year} estimate).`;
}

export function renderBoardPack(pack: BoardPack, into: HTMLElement): void {
  into.replaceChildren(
    section(
      'headline',
      'How much neglect is there?',
      pack.readings.headline,
      h('p', { class: 'period-note' }, periodNote(pack)),
      headlineCards(pack),
    ),
    nationalSection(pack),
    continuumSection(pack),
    trendSection(pack),
    categoriesSection(pack),
    repeatSection(pack),
    driftSection(pack),
    intoCareSection(pack),
    disproportionalitySection(pack),
    agenciesSection(pack),
    partnersSection(pack) ?? '',
    strategySection(pack) ?? '',
    qualitySection(pack),
  );
  addPackExtras(pack, into);
}

export type { MetricsPack };
