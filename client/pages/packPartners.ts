import type { BoardPack, Figure } from '../api.ts';
import type { PartnerMeasureView, PartnerUnit } from '../../metrics/contract/types.ts';
import { sparkline } from '../charts/sparkline.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { showCount, showPct, showRate } from './figures.ts';
import { packSection } from './packSection.ts';

/**
 * The partnership's other agencies in the pack (METRICS.md §11): each agency's measures with the
 * latest value and the period it belongs to (not necessarily the pack's quarter), a small trend,
 * and LAIT's England, regional and neighbour figures where LAIT publishes the measure. Every chart
 * has its numbers in a table. Values arrive suppressed when the pack is a board's.
 */
const partnersTitle = 'Partners: schools, early years, health and police';

export function partnersSection(pack: BoardPack): HTMLElement | null {
  const partners = pack.partners;
  if (!partners) return null;
  const { measures } = partners;
  if (measures.length === 0) return packSection('partners', partnersTitle, partners.reading);
  const agencies = [...new Set(measures.map((m) => m.agency))];
  return packSection(
    'partners',
    partnersTitle,
    partners.reading,
    // Agencies side by side, as the pack's other small multiples (styles.css .share-trends).
    h(
      'div',
      { class: 'share-trends partner-agencies' },
      ...agencies.map((agency) =>
        h(
          'div',
          { class: 'share-trend partner-agency', 'data-agency': agency },
          h('h3', {}, measures.find((m) => m.agency === agency)?.agency_title ?? agency),
          ...measures.filter((m) => m.agency === agency).map(measureBlock),
        ),
      ),
    ),
    h('div', { class: 'table-wrap' }, latestTable(measures)),
  );
}

/** A value in its unit: a percentage, a rate per 10,000 or a count; c and the dash as elsewhere. */
export function showPartnerValue(value: Figure, unit: PartnerUnit): string {
  if (unit === 'percent') return showPct(value);
  if (unit === 'rate_per_10k') return typeof value === 'number' ? `${showRate(value)} per 10,000` : showRate(value);
  return showCount(value);
}

function measureBlock(measure: PartnerMeasureView): HTMLElement {
  const { latest, unit } = measure;
  const points = measure.series.map((p) => ({
    date: p.period_end,
    value: typeof p.value === 'number' ? p.value : null,
  }));
  const shown = points.filter((p) => p.value !== null);
  const trend = dataTable(
    `${measure.title} (${measure.agency_title}): each period sent`,
    [
      { header: 'Period', value: (p: PartnerMeasureView['series'][number]) => p.period_words, rowHeader: true },
      { header: 'Value', value: (p) => showPartnerValue(p.value, unit), numeric: true },
      ...(unit === 'count'
        ? []
        : [
            {
              header: 'Numerator',
              value: (p: PartnerMeasureView['series'][number]) => showCount(p.numerator),
              numeric: true,
            },
          ]),
    ],
    measure.series,
  );
  trend.classList.add('partner-series-table');
  return h(
    'div',
    {
      class: 'partner-measure',
      'data-measure': measure.measure,
      'data-agency': measure.agency,
      'data-value': String(latest.value),
    },
    h(
      'p',
      { class: 'partner-measure-label' },
      measure.title,
      measure.known ? '' : ' (a measure of the agency’s own, with no national definition)',
      ': ',
      h('strong', { class: 'partner-value' }, showPartnerValue(latest.value, unit)),
      h('span', { class: 'partner-period' }, ` for ${latest.period_words}`),
      unit === 'count' || typeof latest.numerator !== 'number' || latest.denominator === null
        ? ''
        : ` (${showCount(latest.numerator)} of ${showCount(latest.denominator)})`,
      '.',
    ),
    shown.length > 1 ? sparkline(points, { width: 160, height: 32 }) : null,
    h('p', { class: 'note partner-benchmark' }, benchmarkWords(measure)),
    h('div', { class: 'table-wrap' }, trend),
  );
}

function benchmarkWords(measure: PartnerMeasureView): string {
  const b = measure.benchmark;
  if (!b) {
    return measure.known
      ? 'No national figure is published for this measure.'
      : 'No national figure: the measure is the agency’s own.';
  }
  const parts = [
    `England ${showPct(b.england)}`,
    b.region_name ? `${b.region_name} ${showPct(b.region)}` : null,
    `statistical neighbours ${showPct(b.statistical_neighbours.mean)} (mean of ${b.statistical_neighbours.count})`,
  ].filter((p): p is string => p !== null);
  const better = measure.better ? ` ${measure.better === 'lower' ? 'Lower' : 'Higher'} is better.` : '';
  const year = b.year_rule === 'same_year' ? b.year_words : `${b.year_words}, the latest published`;
  return `${parts.join(', ')}: ${b.indicator}, ${year}.${better}`;
}

function latestTable(measures: PartnerMeasureView[]): HTMLTableElement {
  const benchmark = (
    m: PartnerMeasureView,
    pick: (b: NonNullable<PartnerMeasureView['benchmark']>) => number | null,
  ) => (m.benchmark ? showPct(pick(m.benchmark)) : '–');
  const table = dataTable(
    'Partner measures: the latest value of each, the period it is for, and LAIT benchmarks',
    [
      // The agency beside its measure, not in a column of its own, so the table fits a tablet's width.
      {
        header: 'Measure (agency)',
        value: (m: PartnerMeasureView) => `${m.title} (${m.agency_title})`,
        rowHeader: true,
      },
      { header: 'Period', value: (m) => m.latest.period_words },
      { header: 'Value', value: (m) => showPartnerValue(m.latest.value, m.unit), numeric: true },
      { header: 'England', value: (m) => benchmark(m, (b) => b.england), numeric: true },
      { header: 'Region', value: (m) => benchmark(m, (b) => b.region), numeric: true },
      { header: 'Neighbours', value: (m) => benchmark(m, (b) => b.statistical_neighbours.mean), numeric: true },
      {
        header: 'LAIT academic year',
        value: (m) => (m.benchmark ? `${m.benchmark.year - 1}/${String(m.benchmark.year).slice(2)}` : '–'),
      },
    ],
    measures,
  );
  table.id = 'partners-table';
  return table;
}
