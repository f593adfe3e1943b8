import type { MetricsPack, Period } from './contract/types.ts';
import { calendar } from './calendar.ts';
import { computeMetricsPacks, type PackSection } from './figures.ts';
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
export async function boardPacksForPeriods(
  warehouse: Warehouse,
  packs: MetricsPack[],
  options: {
    /** Quarters' packs the caller has computed already (unsuppressed): not computed again. */
    known?: readonly MetricsPack[];
    /** The sections the packs hold (computeMetricsPacks): the quarters need no others. */
    sections?: ReadonlySet<PackSection>;
    queries?: ReadonlySet<string>;
  } = {},
): Promise<MetricsPack[]> {
  const quartersOf = (period: Period) => calendar('quarter', period.from, period.to);
  const isQuarter = (period: Period) => {
    const quarters = quartersOf(period);
    return quarters.length === 1 && quarters[0]!.from === period.from;
  };
  const spans = packs.filter((p) => !isQuarter(p.period));
  const quarterPacks = new Map(
    (options.known ?? []).filter((p) => !p.suppressed && isQuarter(p.period)).map((q) => [q.period.to, q]),
  );
  const needed = new Map<string, Period>();
  for (const pack of spans) for (const q of quartersOf(pack.period)) if (!quarterPacks.has(q.to)) needed.set(q.to, q);
  const computed = await computeMetricsPacks(warehouse, [...needed.values()], {
    benchmarks: false,
    ...(options.sections ? { sections: options.sections } : {}),
    ...(options.queries ? { queries: options.queries } : {}),
  });
  for (const q of computed) quarterPacks.set(q.period.to, q);
  return packs.map((pack) => {
    if (!spans.includes(pack)) return suppressPack(pack);
    const alsoHide = new Set(quartersOf(pack.period).flatMap((q) => smallCountPaths(quarterPacks.get(q.to))));
    return suppressPack(pack, { alsoHide });
  });
}
