import type { MetricsPack, Period } from './contract/types.ts';
import { calendar } from './calendar.ts';
import { computeMetricsPacks } from './figures.ts';
import { smallCountPaths, suppressPack } from './suppression.ts';
import type { Warehouse } from '../sql/warehouse.ts';

/**
 * Board versions of packs for periods longer than a quarter (a reporting year, a year to date), so
 * that no subtraction of shown figures recovers a hidden one (docs/SECURITY.md, "Published
 * periods"). A year's count minus three shown quarters would give the fourth quarter's hidden 3; so
 * any count a quarter inside the period hides is hidden in the period too. This over-hides counts
 * of stock figures (a year's children open at 31 March are its last quarter's), which is the safe
 * side. A period that is itself one quarter is suppressed as usual.
 */
export async function boardPacksForPeriods(warehouse: Warehouse, packs: MetricsPack[]): Promise<MetricsPack[]> {
  const quartersOf = (period: Period) => calendar('quarter', period.from, period.to);
  const spans = packs.filter((p) => {
    const quarters = quartersOf(p.period);
    return !(quarters.length === 1 && quarters[0]!.from === p.period.from);
  });
  const needed = new Map<string, Period>();
  for (const pack of spans) for (const q of quartersOf(pack.period)) needed.set(q.to, q);
  const quarterPacks = new Map(
    (await computeMetricsPacks(warehouse, [...needed.values()], { benchmarks: false })).map((q) => [q.period.to, q]),
  );
  return packs.map((pack) => {
    if (!spans.includes(pack)) return suppressPack(pack);
    const alsoHide = new Set(quartersOf(pack.period).flatMap((q) => smallCountPaths(quarterPacks.get(q.to))));
    return suppressPack(pack, { alsoHide });
  });
}
