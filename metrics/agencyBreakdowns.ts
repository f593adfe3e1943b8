import type { AgencyBreakdowns, MetricsPack, SplitPoint } from './contract/types.ts';
import { referralSourceGroupName, referralSourceGroups } from './contract/referralSources.ts';
import { figureAt, valueAtPath } from './contract/figurePath.ts';
import { shareOf } from './contract/shares.ts';

/**
 * The partnership's agencies in the pack (issue 11, METRICS.md §12): who refers children to social
 * care and who leads early help, read from packs already computed (and already suppressed for a
 * board), so the section costs no query of its own and can never show what the pack hides.
 */
export function agencyBreakdowns(quarters: MetricsPack[], yearToDate: MetricsPack): AgencyBreakdowns {
  const referralSources = quarters.map((pack) => splitPoint(pack, 'strategy.referrals_by_source', 'repeat.referrals'));
  const leadAgencies = quarters.map((pack) =>
    splitPoint(pack, 'strategy.eh_starts_by_lead_agency', 'repeat.eh_starts'),
  );
  const year = {
    referralSources: splitPoint(yearToDate, 'strategy.referrals_by_source', 'repeat.referrals'),
    leadAgencies: splitPoint(yearToDate, 'strategy.eh_starts_by_lead_agency', 'repeat.eh_starts'),
  };
  return { referralSources, leadAgencies, yearToDate: year, reading: agencyReading(year) };
}

function splitPoint(pack: MetricsPack, splitPath: string, totalPath: string): SplitPoint {
  const cells = valueAtPath(pack, splitPath);
  return {
    period_to: pack.period.to,
    total: figureAt(pack, totalPath),
    cells:
      cells !== null && typeof cells === 'object'
        ? Object.fromEntries(Object.keys(cells).map((key) => [key, figureAt(cells, key)]))
        : {},
  };
}

/** The reporting year's three largest referral sources and most frequent lead agency, in words. */
function agencyReading(year: AgencyBreakdowns['yearToDate']): string {
  const sources = year.referralSources;
  const shown: { group: string; share: number }[] = [];
  for (const group of referralSourceGroups) {
    const share = shareOf(sources.cells[group] ?? null, sources.total);
    if (group !== 'unknown' && typeof share === 'number') shown.push({ group, share });
  }
  shown.sort((a, b) => b.share - a.share).splice(3);
  const parts: string[] = [];
  if (shown.length > 0) {
    const list = shown.map(
      (s) => `${referralSourceGroupName(s.group).split(':')[0]!.toLowerCase()} ${s.share.toFixed(1)}%`,
    );
    parts.push(`So far this reporting year the largest sources of referrals were ${joinWords(list)}.`);
  } else {
    parts.push('There are too few referrals this reporting year to show where they came from.');
  }
  const agencies = Object.entries(year.leadAgencies.cells).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[0] !== 'not recorded',
  );
  const leading = agencies.sort((a, b) => b[1] - a[1])[0];
  if (leading) parts.push(`Early help was led most often by ${leading[0]} (${leading[1]} starts).`);
  return parts.join(' ');
}

function joinWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
