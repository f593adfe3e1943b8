import type { BoardPack, DisproportionalityRow, Figure, MetricsPack } from '../api.ts';
import type { BenchmarkMeasureKey, LoadRecord } from '../../metrics/contract/types.ts';
import { categoryLines } from '../charts/categoryLines.ts';
import { continuum } from '../charts/continuum.ts';
import { dotInterval } from '../charts/dotInterval.ts';
import { durationBars } from '../charts/durationBars.ts';
import { funnelPlot } from '../charts/funnelPlot.ts';
import { cpCategoryStyle } from '../charts/palette.ts';
import { spcChart } from '../charts/spcChart.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { addPackExtras } from './packExtras.ts';
import { formatDate } from '../format.ts';
import { direction, figureAt, showCount, showRate } from './figures.ts';

/**
 * The quarterly neglect board pack: each section answers one of the board's three questions (how
 * much neglect, is it getting better, are we seeing all of it fairly) with a chart, the same numbers
 * in a table, and one sentence generated from the data on the server.
 */

interface Headline {
  path: string;
  label: string;
  ratePath?: string;
  unit?: string;
  benchmark?: BenchmarkMeasureKey;
  /** DfE publishes this at 31 March only (METRICS.md §9: compare like with like). */
  at31March?: boolean;
}

export const headlines: Headline[] = [
  { path: 'prevalence.cp_open_neglect_initial', label: 'Children on a child protection plan for neglect', ratePath: 'prevalence.cp_open_neglect_initial_rate_per_10k' },
  { path: 'prevalence.neglect_any_stage_children', label: 'Children showing neglect at any stage (early help, child in need or child protection)', ratePath: 'prevalence.neglect_any_stage_children_rate_per_10k' },
  { path: 'prevalence.cp_open', label: 'All children on a child protection plan', ratePath: 'prevalence.cp_open_rate_per_10k', benchmark: 'cp_open_rate_per_10k', at31March: true },
  { path: 'percentages.cp_starts_second_or_subsequent_pct', label: 'Plans starting in the quarter that were a second or subsequent plan', unit: '%', benchmark: 'cp_starts_second_or_subsequent_pct' },
  { path: 'percentages.rereferrals_12m_pct', label: 'Referrals that were a re-referral within 12 months', unit: '%', benchmark: 'rereferrals_12m_pct' },
  { path: 'percentages.cp_open_2y_plus_pct', label: 'Plans open for 2 years or more', unit: '%', benchmark: 'cp_open_2y_plus_pct', at31March: true },
];

const section = (id: string, title: string, reading: string | undefined, ...body: (Node | null)[]) =>
  h('section', { id, 'aria-labelledby': `${id}-heading`, class: 'pack-section' },
    h('h2', { id: `${id}-heading` }, title),
    reading ? h('p', { class: 'reading' }, reading) : null,
    ...body);

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
    measure.statistical_neighbours.mean !== null ? `statistical neighbours ${showRate(measure.statistical_neighbours.mean)}${unit}` : null,
    measure.region !== null && pack.benchmarks?.region ? `${pack.benchmarks.region} ${showRate(measure.region)}${unit}` : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join('; ')} (DfE, year to 31 March ${pack.benchmarks?.year}).` : null;
}

function headlineCards(pack: BoardPack): HTMLElement {
  const list = h('dl', { class: 'headline-figures' });
  for (const headline of headlines) {
    const value = figureAt(pack.figures, headline.path);
    const show = (v: Figure) => (headline.unit && typeof v === 'number' ? `${showRate(v)}${headline.unit}` : headline.unit ? showRate(v) : showCount(v));
    const rate = headline.ratePath ? figureAt(pack.figures, headline.ratePath) : null;
    list.append(h('div', { class: 'figure' },
      h('dt', {}, headline.label),
      h('dd', {},
        h('span', { class: 'count', 'data-figure': headline.path }, show(value)),
        headline.ratePath ? h('span', { class: 'rate', 'data-figure': headline.ratePath }, `${showRate(rate)} per 10,000 children`) : null,
        h('span', { class: 'travel' }, direction(value, figureAt(pack.previous, headline.path), show)),
        comparison(pack, headline) ? h('span', { class: 'benchmark' }, comparison(pack, headline)) : null)));
  }
  return list;
}

function continuumSection(pack: BoardPack): HTMLElement {
  const stages = pack.figures.prevalence['neglect_highest_stage'] as Record<string, Figure> | undefined;
  const rows = [
    { key: 'early_help' as const, label: 'Early help only', children: stages?.['early_help'] ?? null },
    { key: 'cin' as const, label: 'Child in need (not on a plan)', children: stages?.['cin'] ?? null },
    { key: 'cp' as const, label: 'Child protection plan', children: stages?.['cp'] ?? null },
  ];
  const chart = continuum(rows.map((r) => ({ ...r, children: r.children ?? 0 })), {
    title: 'Children showing neglect in the quarter, by the highest stage of help they reached',
  });
  const table = dataTable('Children showing neglect, by highest stage of help', [
    { header: 'Stage', value: (r: (typeof rows)[number]) => r.label, rowHeader: true },
    { header: 'Children', value: (r) => showCount(r.children), numeric: true },
  ], rows);
  const extra = dataTable('Neglect seen at each stage', [
    { header: 'Figure', value: (r: [string, Figure]) => r[0], rowHeader: true },
    { header: 'Children', value: (r) => showCount(r[1]), numeric: true },
  ], [
    ['Children showing neglect at any stage', figureAt(pack.figures, 'prevalence.neglect_any_stage_children')],
    ['Early help episodes showing neglect (children)', figureAt(pack.figures, 'prevalence.eh_children_neglect')],
    ['Assessments completed with neglect (factor 16A)', figureAt(pack.figures, 'prevalence.assessments_neglect')],
    ['“Hidden” neglect: on a plan for another category after a neglect assessment', figureAt(pack.figures, 'prevalence.cp_open_hidden_neglect')],
  ]);
  return section('continuum', 'Neglect across early help, child in need and child protection', pack.readings.continuum,
    h('figure', {}, chart), h('div', { class: 'table-wrap' }, table, extra));
}

function trendSection(pack: BoardPack): HTMLElement {
  const { spc, points, label } = pack.neglectTrend;
  const chart = spcChart(
    spc.points.map((p) => ({ date: p.period_to, value: p.value, signal: p.variation, rules: p.rules })),
    {
      title: 'Children on a child protection plan for neglect per 10,000 children, at each quarter end',
      valueLabel: 'Rate per 10,000',
      limits: {
        chart: spc.chart,
        centre: spc.centre ?? 0,
        upper: spc.limits?.upl,
        lower: spc.limits?.lpl,
      },
    },
  );
  const table = dataTable(label, [
    { header: 'Quarter end', value: (p: (typeof points)[number]) => formatDate(p.period_to), rowHeader: true },
    { header: 'Rate per 10,000', value: (p) => showRate(p.value), numeric: true },
    { header: 'Signal', value: (p) => signalWords(spc.points.find((s) => s.period_to === p.period_to)), numeric: false },
  ], points);
  return section('neglect-trend', 'Is it changing? Neglect plans over five years', pack.readings.trend,
    h('figure', {}, chart), h('div', { class: 'table-wrap' }, table));
}

function signalWords(point: BoardPack['neglectTrend']['spc']['points'][number] | undefined): string {
  if (!point || point.variation === null) return 'no value';
  if (point.variation === 'common_cause') return 'common cause';
  return `special cause (${point.rules.join(', ').replaceAll('_', ' ')})`;
}

function categoriesSection(pack: BoardPack): HTMLElement {
  const chart = categoryLines(
    pack.categories.map((r) => ({ date: r.quarter_end, category: r.category, value: typeof r.children === 'number' ? r.children : 0 })),
    { title: 'Children on child protection plans at each quarter end, by initial category', styles: cpCategoryStyle, valueLabel: 'Children' },
  );
  const quarterEnds = [...new Set(pack.categories.map((r) => r.quarter_end))].sort();
  const codes = Object.keys(cpCategoryStyle);
  const at = (q: string, code: string) => pack.categories.find((r) => r.quarter_end === q && r.category === code)?.children ?? null;
  const table = dataTable('Children on child protection plans at each quarter end, by initial category of the open plan', [
    { header: 'Quarter end', value: (q: string) => formatDate(q), rowHeader: true },
    ...codes.map((code) => ({ header: cpCategoryStyle[code]!.name, value: (q: string) => showCount(at(q, code)), numeric: true })),
  ], quarterEnds);
  table.id = 'cp-open-by-category-table';
  return section('categories', 'Child protection plans by category of abuse', undefined, h('figure', {}, chart), h('div', { class: 'table-wrap' }, table));
}

function repeatSection(pack: BoardPack): HTMLElement {
  const rows: [string, Figure, string][] = [
    ['Plans starting in the quarter', figureAt(pack.figures, 'repeat.cp_starts'), 'METRICS.md §4'],
    ['… of which a second or subsequent plan (DfE measure)', figureAt(pack.figures, 'repeat.cp_starts_second_or_subsequent'), 'compare with DfE'],
    ['… of which within 2 years of the last plan ending (local measure)', figureAt(pack.figures, 'repeat.cp_starts_within_2y'), 'local only: not comparable with DfE'],
    ['… of which re-registered under neglect', figureAt(pack.figures, 'repeat.cp_starts_repeat_neglect'), 'Blackburn with Darwen indicator'],
    ['Referrals in the quarter', figureAt(pack.figures, 'repeat.referrals'), ''],
    ['… of which a re-referral within 12 months', figureAt(pack.figures, 'repeat.rereferrals_12m'), 'compare with DfE'],
  ];
  const table = dataTable('Repeat plans and re-referrals in the quarter', [
    { header: 'Figure', value: (r: (typeof rows)[number]) => r[0], rowHeader: true },
    { header: 'Number', value: (r) => showCount(r[1]), numeric: true },
    { header: 'Note', value: (r) => r[2] },
  ], rows);
  const funnel = pack.repeatFunnel
    ? h('figure', {}, funnelPlot(pack.repeatFunnel, {
      title: `Second or subsequent child protection plans, all local authorities, year to 31 March ${pack.repeatFunnel.year}`,
      xLabel: 'Child protection plans starting in the year',
      yLabel: 'Second or subsequent plans',
      // About a fifth of LAs lie beyond 99.8% (the indicator is over-dispersed): naming them all
      // buries the home LA's label; the chart's description lists them.
      labelOutliers: false,
    }))
    : null;
  return section('repeat', 'Repeat plans and re-referrals', pack.readings.repeat, funnel, h('div', { class: 'table-wrap' }, table));
}

const bandLabels: Record<string, string> = {
  le_3m: '3 months or less', '3_6m': '3 to 6 months', '6_12m': '6 to 12 months', '1_2y': '1 to 2 years', '2y_plus': '2 years or more',
};

function driftSection(pack: BoardPack): HTMLElement {
  const open = (pack.figures.drift['cp_open_by_duration'] ?? {}) as Record<string, Figure>;
  const bands = Object.keys(bandLabels).map((band) => ({ band, label: bandLabels[band]!, count: open[band] ?? null }));
  const chart = durationBars(bands.map((b) => ({ ...b, count: b.count ?? 0 })), {
    title: 'Children on a child protection plan at the quarter end, by time on the plan',
    emphasise: ['2y_plus'],
  });
  const rows: [string, Figure][] = [
    ['Plans open 18 months or more', figureAt(pack.figures, 'drift.cp_open_18m_plus')],
    ['Children whose help closed and reopened at least twice in 3 years (“stop-start”)', figureAt(pack.figures, 'drift.stop_start_children')],
    ['Assessments completed', figureAt(pack.figures, 'drift.assessments_completed')],
    ['… within 45 working days', figureAt(pack.figures, 'drift.assessments_within_45wd')],
    ['Initial child protection conferences', figureAt(pack.figures, 'drift.icpcs')],
    ['… within 15 working days of the Section 47 enquiry starting', figureAt(pack.figures, 'drift.icpcs_within_15wd')],
    ['Median days from the first sign of neglect to a neglect plan', figureAt(pack.figures, 'drift.median_days_first_neglect_to_cp')],
  ];
  const table = dataTable('Plan durations, drift and timeliness', [
    { header: 'Figure', value: (r: (typeof rows)[number]) => r[0], rowHeader: true },
    { header: 'Number', value: (r) => showCount(r[1]), numeric: true },
  ], rows);
  const bandTable = dataTable('Children on a plan at the quarter end, by time on the plan', [
    { header: 'Time on the plan', value: (b: (typeof bands)[number]) => b.label, rowHeader: true },
    { header: 'Children', value: (b) => showCount(b.count), numeric: true },
  ], bands);
  return section('drift', 'Plan durations and drift', pack.readings.drift, h('figure', {}, chart), h('div', { class: 'table-wrap' }, bandTable, table));
}

const groupLabels: Record<string, string> = {
  white: 'White', mixed: 'Mixed', asian: 'Asian', black: 'Black', other: 'Other', unknown: 'Not known',
  unborn: 'Unborn', under_1: 'Under 1', '1_4': '1 to 4', '5_9': '5 to 9', '10_15': '10 to 15', '16_plus': '16 and 17',
  male: 'Male', female: 'Female',
};
const dimensionLabels: Record<string, string> = { ethnicity: 'ethnic group', age_band: 'age', sex: 'sex' };

function disproportionalitySection(pack: BoardPack): HTMLElement {
  const cohort = pack.figures.disproportionality['cp_open_neglect'] ?? {};
  const body: Node[] = [];
  for (const dimension of ['ethnicity', 'age_band', 'sex']) {
    const rows = cohort[dimension] ?? [];
    const reference = rateAll(rows);
    const title = `Children on a neglect plan per 10,000 children, by ${dimensionLabels[dimension]}, with 95% intervals`;
    body.push(h('figure', {}, dotInterval(rows.map((r) => ({
      group: r.group,
      label: groupLabels[r.group] ?? r.group,
      rate: typeof r.rate_per_10k === 'number' ? r.rate_per_10k : null,
      low: typeof r.ci_low === 'number' ? r.ci_low : null,
      high: typeof r.ci_high === 'number' ? r.ci_high : null,
      flag: r.flag === 'higher' || r.flag === 'lower' || r.flag === 'similar' ? r.flag : null,
      count: r.count ?? 0,
    })), { title, reference: reference ?? 0, id: `disproportionality-${dimension}` })));
    body.push(h('div', { class: 'table-wrap' }, dataTable(title, [
      { header: dimensionLabels[dimension]!.replace(/^./, (c) => c.toUpperCase()), value: (r: DisproportionalityRow) => groupLabels[r.group] ?? r.group, rowHeader: true },
      { header: 'Children', value: (r) => showCount(r.count), numeric: true },
      { header: 'Rate per 10,000', value: (r) => showRate(r.rate_per_10k), numeric: true },
      { header: '95% interval', value: (r) => (r.ci_low === null ? '–' : `${showRate(r.ci_low)} to ${showRate(r.ci_high)}`), numeric: true },
      { header: 'Ratio to all children', value: (r) => showRate(r.ratio), numeric: true },
      { header: 'Compared with all children', value: (r) => r.flag ?? 'count only' },
    ], rows)));
  }
  const denominators = pack.figures.denominators;
  body.push(h('p', { class: 'note' }, `Denominators: ${Object.entries(denominators).map(([d, v]) => `${dimensionLabels[d] ?? d} — ${v.note}`).join('; ')}.`));
  return section('disproportionality', 'Are we seeing all of it fairly? Who is over-represented', pack.readings.disproportionality, ...body);
}

/** The all-children rate the dots are compared with: the rate over known groups, served as ratio = rate / rate_all. */
function rateAll(rows: DisproportionalityRow[]): number | null {
  const row = rows.find((r) => typeof r.rate_per_10k === 'number' && typeof r.ratio === 'number' && r.ratio > 0);
  return row ? (row.rate_per_10k as number) / (row.ratio as number) : null;
}

function qualitySection(pack: BoardPack): HTMLElement {
  const loads = dataTable('Latest loads of data', [
    { header: 'File', value: (l: LoadRecord) => String(l['file']), rowHeader: true },
    { header: 'Format', value: (l) => String(l['format']) },
    { header: 'Extract date', value: (l) => (l['reference_date'] ? formatDate(String(l['reference_date'])) : '–') },
    { header: 'Rows read', value: (l) => showCount(l['rows_read'] as number), numeric: true },
    { header: 'Rejected', value: (l) => showCount(l['rows_rejected'] as number), numeric: true },
    { header: 'Status', value: (l) => String(l['status']) },
  ], pack.quality.loads ?? []);
  return section('quality', 'About the data', undefined,
    h('p', {}, `${showCount(pack.quality.rejectedRows)} rows have been rejected across all loads and ${showCount(pack.quality.failedLoads)} loads failed; officers can see each reason on the data-quality page.`),
    h('div', { class: 'table-wrap' }, loads),
    h('p', { class: 'note' }, pack.suppressed
      ? 'Board output: any count from 1 to 5 is shown as c, with every rate and percentage built on it, and one more cell where a total would reveal it (DfE practice).'
      : 'Officer view: figures are not suppressed. Do not share outside the partnership.'));
}

export function renderBoardPack(pack: BoardPack, into: HTMLElement): void {
  into.replaceChildren(
    section('headline', 'How much neglect is there?', pack.readings.headline,
      h('p', { class: 'period-note' }, `Quarter ${formatDate(pack.period.from)} to ${formatDate(pack.period.to)}. ` +
        `Rates per 10,000 children aged 0–17 (${showCount(pack.figures.population.children_0_17)}, mid-${pack.figures.population.year ?? '?'} estimate).`),
      headlineCards(pack)),
    continuumSection(pack),
    trendSection(pack),
    categoriesSection(pack),
    repeatSection(pack),
    driftSection(pack),
    disproportionalitySection(pack),
    qualitySection(pack),
  );
  addPackExtras(pack, into);
}

export type { MetricsPack };
