import type { BoardPack, Figure } from '../api.ts';
import { spcChartLimits, spcChartPoints } from '../charts/spcInput.ts';
import { spcChart } from '../charts/spcChart.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { formatDate } from '../format.ts';
import { direction, figureAt, showCount, showRate } from './figures.ts';
import { packSection } from './packSection.ts';

/**
 * "Into care" (METRICS.md §10): how many children are looked after, how many came into care in the
 * quarter, and how many of those came from a child protection plan for neglect, the path Ofsted
 * followed. Category of need N1 is "abuse or neglect" and is never called neglect alone (§2). The
 * figures arrive suppressed when the pack is a board's; the client only lays them out.
 */
interface IntoCareFigure {
  path: string;
  label: string;
  /** What is counted and when, so two counts of the section are never read as the same thing. */
  basis: (pack: BoardPack) => string;
  ratePath?: string;
}

export const intoCareFigures: IntoCareFigure[] = [
  {
    path: 'looked_after.lac_open',
    label: 'Children looked after',
    ratePath: 'looked_after.lac_open_rate_per_10k',
    basis: (pack) => `Children with a care episode open on ${formatDate(pack.period.to)}.`,
  },
  {
    path: 'looked_after.lac_open_n1',
    label: 'Children looked after with abuse or neglect (N1) as their category of need',
    basis: (pack) => `Of the children looked after on ${formatDate(pack.period.to)}, by their open episode's need.`,
  },
  {
    path: 'looked_after.lac_starts',
    label: 'Children who started to be looked after in the quarter',
    basis: () => 'A new period of care; a change of placement or legal status is not a start.',
  },
  {
    path: 'looked_after.lac_starts_n1',
    label: '… of whom with abuse or neglect (N1) as their category of need',
    basis: () => 'The category of need of the episode the period of care began with.',
  },
  {
    path: 'looked_after.lac_from_neglect_plan',
    label: '… of whom from a child protection plan for neglect',
    basis: () =>
      'A plan with neglect as its initial or latest category, open the day before care began or ended in the 365 days before.',
  },
];

/** DfE's rate of children looked after, beside the local one only at a 31 March (METRICS.md §9). */
function benchmarkWords(pack: BoardPack): string {
  const measure = pack.benchmarks?.measures.lac_open_rate_per_10k;
  if (!measure) return 'No national figure is bundled for children looked after.';
  if (!pack.period.to.endsWith('-03-31')) return 'DfE compares this at 31 March only; see the January–March pack.';
  const parts = [
    measure.england !== null ? `England ${showRate(measure.england)} per 10,000` : null,
    measure.statistical_neighbours.mean !== null
      ? `statistical neighbours ${showRate(measure.statistical_neighbours.mean)} per 10,000`
      : null,
    measure.region !== null && pack.benchmarks.region
      ? `${pack.benchmarks.region} ${showRate(measure.region)} per 10,000`
      : null,
  ].filter(Boolean);
  return parts.length
    ? `${parts.join('; ')} (DfE, children looked after at 31 March ${measure.year ?? pack.benchmarks.year}, LAIT).`
    : 'No national figure is published for this year.';
}

function figureCards(pack: BoardPack): HTMLElement {
  const list = h('dl', { class: 'headline-figures into-care-figures' });
  for (const figure of intoCareFigures) {
    const value = figureAt(pack.figures, figure.path);
    list.append(
      h(
        'div',
        { class: 'figure' },
        h('dt', {}, figure.label, h('span', { class: 'basis' }, figure.basis(pack))),
        h(
          'dd',
          {},
          h('span', { class: 'count', 'data-figure': figure.path }, showCount(value)),
          figure.ratePath
            ? h(
                'span',
                { class: 'rate', 'data-figure': figure.ratePath },
                `${showRate(figureAt(pack.figures, figure.ratePath))} per 10,000 children`,
              )
            : null,
          h('span', { class: 'travel' }, direction(value, figureAt(pack.previous, figure.path), showCount)),
          figure.ratePath
            ? h('span', { class: 'benchmark', 'data-benchmark': 'lac_open_rate_per_10k' }, benchmarkWords(pack))
            : null,
        ),
      ),
    );
  }
  return list;
}

function trendFigure(pack: BoardPack): (Node | null)[] {
  const trend = pack.intoCare?.trend;
  if (!trend) return [];
  const { spc, points } = trend;
  const chart = spcChart(spcChartPoints(spc.points), {
    title: 'Children looked after per 10,000 children, at each quarter end',
    valueLabel: 'Rate per 10,000',
    id: 'into-care-trend-chart',
    limits: spcChartLimits(spc),
  });
  const table = dataTable(
    trend.label,
    [
      { header: 'Quarter end', value: (p: (typeof points)[number]) => formatDate(p.period_to), rowHeader: true },
      { header: 'Rate per 10,000', value: (p) => showRate(p.value), numeric: true },
      {
        header: 'Signal',
        value: (p) => spc.points.find((s) => s.period_to === p.period_to)?.signal_words ?? 'no value',
      },
    ],
    points,
  );
  table.id = 'into-care-trend-table';
  return [
    h('p', { class: 'reading into-care-trend-reading' }, trend.reading),
    spc.n_points > 0 ? h('figure', {}, chart) : null,
    h('div', { class: 'table-wrap' }, table),
  ];
}

export function intoCareSection(pack: BoardPack): HTMLElement {
  // A pack from a warehouse with no care episodes says so rather than showing zeros (metrics/intoCare.ts).
  if (!pack.intoCare?.episodes_loaded || !pack.figures.looked_after) {
    return packSection(
      'into-care',
      'Into care',
      pack.intoCare?.reading ?? 'No care episodes are loaded, so there are no looked-after figures.',
    );
  }
  const rows: [string, Figure, Figure][] = intoCareFigures.map((f) => [
    f.label,
    figureAt(pack.figures, f.path),
    figureAt(pack.previous, f.path),
  ]);
  const table = dataTable(
    'Children looked after and children coming into care',
    [
      { header: 'Figure', value: (r: (typeof rows)[number]) => r[0], rowHeader: true },
      { header: 'This quarter', value: (r) => showCount(r[1]), numeric: true },
      { header: 'Previous quarter', value: (r) => showCount(r[2]), numeric: true },
    ],
    rows,
  );
  table.id = 'into-care-table';
  return packSection(
    'into-care',
    'Into care',
    pack.intoCare?.reading,
    h(
      'p',
      { class: 'note' },
      'From the children looked after return (SSDA903). Category of need N1 is “abuse or neglect”: DfE does not ' +
        'record neglect apart from abuse, so N1 is not a count of neglect.',
    ),
    figureCards(pack),
    h('div', { class: 'table-wrap' }, table),
    ...trendFigure(pack),
  );
}
