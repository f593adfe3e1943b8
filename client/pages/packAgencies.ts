import type { BoardPack, Figure } from '../api.ts';
import type { BenchmarkMeasureKey, SplitPoint } from '../../metrics/contract/types.ts';
import { referralSourceGroupName, referralSourceGroups } from '../../metrics/contract/referralSources.ts';
import { periodInWords, quarterEnding, quarterLabel } from '../../metrics/contract/quarters.ts';
import { shareOf } from '../../metrics/contract/shares.ts';
import { sparkline } from '../charts/sparkline.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { showCount, showPct } from './figures.ts';
import { packSection } from './packSection.ts';

/**
 * The partnership's agencies in the pack (METRICS.md §12): where referrals to social care come from,
 * as small multiples of each source's share over the pack's quarters with the numbers in a table,
 * and which agencies lead early help. Every figure arrives suppressed when the pack is a board's.
 */
export function agenciesSection(pack: BoardPack): HTMLElement {
  const agencies = pack.agencies;
  if (!agencies) return packSection('agencies', 'Who refers children, and who leads early help', undefined);
  const latest = agencies.referralSources.at(-1);
  const year = agencies.yearToDate;
  // Groups no referral came from in the whole window stay out of the small multiples (not the table).
  const groups = referralSourceGroups.filter((group) =>
    agencies.referralSources.some((point) => (point.cells[group] ?? 0) !== 0),
  );
  const shares = (group: string) =>
    agencies.referralSources.map((point) => ({
      date: point.period_to,
      value: numberOrNull(shareOf(point.cells[group] ?? null, point.total)),
    }));
  const highest = Math.max(0, ...groups.flatMap((group) => shares(group).map((p) => p.value ?? 0)));
  const multiples = h(
    'div',
    { class: 'share-trends source-multiples' },
    ...groups.map((group) => {
      const series = shares(group);
      const shown = series.filter((p) => p.value !== null);
      return h(
        'div',
        { class: 'share-trend', 'data-source-group': group },
        h(
          'p',
          { class: 'share-trend-label' },
          referralSourceGroupName(group),
          ': ',
          h('strong', {}, showPct(latest ? shareOf(latest.cells[group] ?? null, latest.total) : null)),
        ),
        shown.length > 1 ? sparkline(series, { width: 160, height: 32, domain: [0, highest || 1] }) : null,
        h(
          'p',
          { class: 'note share-trend-reading' },
          shown.length > 1
            ? `Share of referrals over ${shown.length} quarters: from ${showPct(shown[0]!.value)} in ` +
                `${quarterLabel(quarterEnding(shown[0]!.date))} to ${showPct(shown.at(-1)!.value)}.`
            : 'Too few quarters with a published figure to show a trend.',
        ),
      );
    }),
  );
  const sourceTable = dataTable(
    `Referrals by source: ${latest ? quarterLabel(quarterEnding(latest.period_to)) : 'the quarter'} and the reporting year so far`,
    [
      { header: 'Source (DfE group)', value: (group: string) => referralSourceGroupName(group), rowHeader: true },
      { header: 'Referrals in the quarter', value: (group) => showCount(cell(latest, group)), numeric: true },
      {
        header: 'Share in the quarter',
        value: (group) => showPct(latest ? shareOf(cell(latest, group), latest.total) : null),
        numeric: true,
      },
      {
        header: 'Referrals in the year',
        value: (group) => showCount(cell(year.referralSources, group)),
        numeric: true,
      },
      {
        header: 'Share in the year',
        value: (group) => showPct(shareOf(cell(year.referralSources, group), year.referralSources.total)),
        numeric: true,
      },
      { header: 'England (LAIT)', value: (group) => englandShare(pack, group) },
    ],
    [...referralSourceGroups],
  );
  sourceTable.id = 'referrals-by-source-table';
  const agencyNames = [
    ...new Set([...Object.keys(year.leadAgencies.cells), ...Object.keys(agencies.leadAgencies.at(-1)?.cells ?? {})]),
  ];
  const latestAgencies = agencies.leadAgencies.at(-1);
  const agencyTable = dataTable(
    'Early help starts by lead agency (as recorded): the quarter and the reporting year so far',
    [
      { header: 'Lead agency', value: (name: string) => name, rowHeader: true },
      { header: 'Starts in the quarter', value: (name) => showCount(cell(latestAgencies, name, 0)), numeric: true },
      { header: 'Starts in the year', value: (name) => showCount(cell(year.leadAgencies, name, 0)), numeric: true },
    ],
    agencyNames,
  );
  agencyTable.id = 'eh-starts-by-lead-agency-table';
  return packSection(
    'agencies',
    'Who refers children, and who leads early help',
    agencies.reading,
    h(
      'p',
      { class: 'note' },
      'Sources are grouped as the DfE groups them in the children in need census. A source with no ' +
        'referral in the pack’s quarters is left out of the small charts.',
    ),
    multiples,
    h('div', { class: 'table-wrap' }, sourceTable),
    h('div', { class: 'table-wrap' }, agencyTable),
  );
}

/** LAIT publishes England's share of referrals for schools, health services and police only. */
const lait: Partial<Record<string, BenchmarkMeasureKey>> = {
  schools: 'referrals_schools_pct',
  health: 'referrals_health_pct',
  police: 'referrals_police_pct',
};

/** England's share for the DfE year, named, beside the year's local share (METRICS.md §9: in year). */
function englandShare(pack: BoardPack, group: string): string {
  const key = lait[group];
  const measure = key ? pack.benchmarks?.measures[key] : undefined;
  if (!measure || typeof measure.england !== 'number' || measure.year === null) return '';
  return `${showPct(measure.england)} in ${periodInWords({ from: `${measure.year - 1}-04-01`, to: `${measure.year}-03-31` })}`;
}

/** A cell of a split; an agency absent from a period had no starts there (`absent`). */
function cell(point: SplitPoint | undefined, key: string, absent: Figure = null): Figure {
  if (!point) return null;
  return point.cells[key] ?? absent;
}

const numberOrNull = (value: Figure): number | null => (typeof value === 'number' ? value : null);
