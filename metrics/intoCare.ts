import { countText as count } from './numberText.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { valueAtPath } from './contract/figurePath.ts';
import type { Benchmarks, Figure, IntoCare, MetricsPack } from './contract/types.ts';
import { dayInWords } from './contract/quarters.ts';
import { describeSpc, spcAnalysis } from './spc.ts';

/**
 * The board pack's "Into care" section (METRICS.md §10): the rate of children looked after over the
 * pack's quarters, judged as an SPC series, and one sentence from the quarter's figures. The packs
 * come already suppressed for board output, so a hidden quarter stays `c` in the trend too.
 */
export const noEpisodes =
  'No care episodes are loaded (the children looked after return, SSDA903), so there are no looked-after figures.';
export const intoCareTrendFigure = 'looked_after.lac_open_rate_per_10k';
const label = 'Children looked after per 10,000 children, at each quarter end';
const spcLabel = 'the rate of children looked after';

const figureOf = (pack: MetricsPack, path: string) => valueAtPath(pack, path) as Figure | undefined;
const isNumber = (v: Figure | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const children = (v: number) => `${count(v)} ${v === 1 ? 'child' : 'children'}`;

export async function intoCareSection(
  c: DuckDBConnection,
  packs: MetricsPack[],
  figures: MetricsPack,
  benchmarks: Benchmarks | undefined,
): Promise<IntoCare> {
  // Zeros from a warehouse that holds no care episode would read as "no child in care": say so instead.
  const [loaded] = (await c.runAndReadAll('SELECT EXISTS (SELECT 1 FROM looked_after) AS loaded')).getRowObjectsJson();
  const episodesLoaded = loaded?.['loaded'] === true;
  const points = packs.map((p) => ({ period_to: p.period.to, value: figureOf(p, intoCareTrendFigure) ?? null }));
  // No better direction: more children in care can be protection working, or help arriving too late.
  const spc = await spcAnalysis(
    c,
    points.map((p) => ({ period_to: p.period_to, value: p.value })),
    { improvement: 'neither' },
  );
  return {
    episodes_loaded: episodesLoaded,
    trend: { figure: intoCareTrendFigure, label, points, spc, reading: describeSpc(spc, spcLabel) },
    reading: episodesLoaded ? intoCareReading(figures, benchmarks) : noEpisodes,
  };
}

/**
 * "On 31 March 2025, 9 children were looked after (4.5 per 10,000 children; England 67 per 10,000 at 31
 * March 2025). 6 children started to be looked after in the quarter: 3 with abuse or neglect (N1) as
 * their category of need, and 3 from a child protection plan for neglect …" N1 is named as DfE names it, never as
 * neglect alone (METRICS.md §2); a suppressed figure is said to be too small to publish.
 */
export function intoCareReading(pack: MetricsPack, benchmarks: Benchmarks | undefined): string {
  const open = figureOf(pack, 'looked_after.lac_open');
  const rate = figureOf(pack, 'looked_after.lac_open_rate_per_10k');
  const starts = figureOf(pack, 'looked_after.lac_starts');
  const startsN1 = figureOf(pack, 'looked_after.lac_starts_n1');
  const fromPlan = figureOf(pack, 'looked_after.lac_from_neglect_plan');
  if (open === undefined || open === null) return noEpisodes;
  const asAt = dayInWords(pack.period.to);
  const measure = benchmarks?.measures.lac_open_rate_per_10k;
  // METRICS.md §9: DfE's at-31-March rate stands beside a 31 March figure only, from the matching year
  // or the newest published one, named (as the pack's cards do).
  const england =
    pack.period.to.endsWith('-03-31') && measure && measure.england !== null
      ? `; England ${measure.england} per 10,000 at 31 March ${measure.year ?? benchmarks?.year}`
      : '';
  const first = isNumber(open)
    ? `On ${asAt}, ${children(open)} ${open === 1 ? 'was' : 'were'} looked after` +
      (isNumber(rate) ? ` (${rate.toFixed(1)} per 10,000 children${england})` : '') +
      '.'
    : `The number of children looked after on ${asAt} is too small to publish.`;
  if (!isNumber(starts)) return `${first} Too few children started to be looked after in the quarter to publish.`;
  if (starts === 0) return `${first} No child started to be looked after in the quarter.`;
  const part = (v: Figure | undefined, words: string) =>
    isNumber(v) ? `${count(v)} ${words}` : `a number too small to publish ${words}`;
  return (
    `${first} ${children(starts)} started to be looked after in the quarter: ` +
    `${part(startsN1, 'with abuse or neglect (N1) as their category of need')}, and ` +
    `${part(fromPlan, 'from a child protection plan for neglect open the day before or ended in the year before')}.`
  );
}
