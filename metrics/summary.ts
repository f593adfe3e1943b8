/**
 * The board pack's executive summary, generated on the server from the pack it sums up: what
 * changed most since the previous quarter, what the SPC chart calls a signal, and what lies outside
 * the range of England, the region and statistical neighbours. A pure function of the built pack,
 * so it says only what the pack shows: a board pack is suppressed before this runs, and a figure
 * shown as c is never given a value here (it is counted among "too small to publish").
 *
 * Plain English for a board: no ISO dates, no figure codes, numbers as the page shows them.
 */

import { countText as count } from './numberText.ts';
import { partnershipName, type LaConfig } from '../sql/config.ts';
import type { ExecutiveSummary, Partnership } from './contract/packExtras.ts';
import { valueAtPath } from './contract/figurePath.ts';
import { dayInWords, periodInWords } from './contract/quarters.ts';

export type { ExecutiveSummary } from './contract/packExtras.ts';

type Value = unknown;

/** The parts of the built pack (metrics/boardPack.ts) the summary reads: structural, to avoid an import cycle. */
export interface SummaryInput {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  figures: object;
  previous: object;
  neglectTrend: {
    spc: {
      chart: 'xmr' | 'run';
      n_points?: number;
      limits: { upl: number; lpl: number } | null;
      points: {
        period_to: string;
        value: number | null;
        rules: string[];
        signal_direction?: number | null;
        variation: string | null;
        /** The API's words for each rule that fired (metrics/spc.ts), shared with the sentence and the table. */
        flags?: { rule: string; direction: number; words: string }[];
      }[];
    };
  };
  benchmarks?: {
    year: number;
    region: string | null;
    measures: Record<
      string,
      {
        england: number | null;
        region: number | null;
        statistical_neighbours: { mean: number | null; count: number };
        basis?: 'at_31_march' | 'in_year';
      }
    >;
  };
  repeatFunnel?: {
    year: number;
    points: { label: string; numerator: number; denominator: number; highlight?: boolean }[];
    limits: { n: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
  };
  laName?: string;
}

type Kind = 'count' | 'rate' | 'pct';
interface Headline {
  path: string;
  label: string;
  kind: Kind;
}

/** The pack's headline figures, named as the page names them. */
const repeatShare = 'The share of new plans that were a second or subsequent plan';
const rereferralShare = 'The share of referrals that were a re-referral within 12 months';
const longPlanShare = 'The share of plans open for 2 years or more';

export const summaryHeadlines: Headline[] = [
  {
    path: 'prevalence.cp_open_neglect_initial',
    label: 'Children on a child protection plan for neglect',
    kind: 'count',
  },
  { path: 'prevalence.neglect_any_stage_children', label: 'Children showing neglect at any stage', kind: 'count' },
  { path: 'prevalence.cp_open', label: 'All children on a child protection plan', kind: 'count' },
  { path: 'percentages.cp_starts_second_or_subsequent_pct', label: repeatShare, kind: 'pct' },
  { path: 'percentages.rereferrals_12m_pct', label: rereferralShare, kind: 'pct' },
  { path: 'percentages.cp_open_2y_plus_pct', label: longPlanShare, kind: 'pct' },
];

/** DfE measures the pack benchmarks, with the local figure each is compared with. */
const benchmarked: Record<string, { path: string; label: string; kind: Kind }> = {
  cp_open_rate_per_10k: {
    path: 'prevalence.cp_open_rate_per_10k',
    label: 'The rate of children on a child protection plan',
    kind: 'rate',
  },
  cp_starts_second_or_subsequent_pct: {
    path: 'percentages.cp_starts_second_or_subsequent_pct',
    label: repeatShare,
    kind: 'pct',
  },
  cp_open_2y_plus_pct: { path: 'percentages.cp_open_2y_plus_pct', label: longPlanShare, kind: 'pct' },
  rereferrals_12m_pct: { path: 'percentages.rereferrals_12m_pct', label: rereferralShare, kind: 'pct' },
  assessments_neglect_pct: {
    path: 'percentages.assessments_neglect_pct',
    label: 'The share of assessments that identified neglect',
    kind: 'pct',
  },
  cp_open_neglect_initial_pct: {
    path: 'percentages.cp_open_neglect_initial_pct',
    label: 'The share of open plans with neglect as the initial category',
    kind: 'pct',
  },
  cp_starts_neglect_initial_pct: {
    path: 'percentages.cp_starts_neglect_initial_pct',
    label: 'The share of new plans with neglect as the initial category',
    kind: 'pct',
  },
  assessments_within_45wd_pct: {
    path: 'percentages.assessments_within_45wd_pct',
    label: 'The share of assessments completed within 45 working days',
    kind: 'pct',
  },
  icpcs_within_15wd_pct: {
    path: 'percentages.icpcs_within_15wd_pct',
    label: 'The share of initial conferences held within 15 working days',
    kind: 'pct',
  },
};

const isNumber = (v: Value): v is number => typeof v === 'number' && Number.isFinite(v);

const at = (node: unknown, path: string): Value => valueAtPath(node, path) as Value;

/** "October to December 2025". */
export const quarterWords = periodInWords;

const dayWords = dayInWords;

const smallWords = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];
/** A number that opens a sentence, in words up to ten. */
const opening = (v: number) => smallWords[v] ?? count(v);
function show(v: number, kind: Kind): string {
  if (kind === 'count') return count(v);
  return kind === 'pct' ? `${v.toFixed(1)}%` : `${v.toFixed(1)} per 10,000`;
}

function changes(pack: SummaryInput): string[] {
  const moves: { headline: Headline; before: number; now: number; size: number }[] = [];
  let unpublished = 0;
  for (const headline of summaryHeadlines) {
    const now = at(pack.figures, headline.path);
    const before = at(pack.previous, headline.path);
    if (now === 'c' || before === 'c') unpublished += 1;
    if (!isNumber(now) || !isNumber(before)) continue;
    // Counts and shares move on different scales: rank both by the change relative to where they were.
    moves.push({ headline, before, now, size: Math.abs(now - before) / Math.max(Math.abs(before), 1) });
  }
  const since = `since the previous quarter (${quarterWords(pack.previousPeriod)})`;
  const moved = moves
    .filter((m) => m.now !== m.before)
    .sort((a, b) => b.size - a.size)
    .slice(0, 3);
  const lines = moved.map(({ headline, before, now }) => {
    const verb = now > before ? 'rose' : 'fell';
    const by =
      headline.kind === 'count'
        ? before > 0
          ? ` (${now > before ? 'up' : 'down'} ${Math.round((Math.abs(now - before) / before) * 100)}%)`
          : ''
        : ` (${Math.abs(now - before).toFixed(1)} percentage points)`;
    const from = show(before, headline.kind);
    return `${headline.label} ${verb} from ${from} to ${show(now, headline.kind)}${by} ${since}.`;
  });
  if (lines.length === 0) {
    lines.push(
      moves.length > 0
        ? `None of the headline figures changed ${since}.`
        : `No headline figure can be compared ${since}.`,
    );
  }
  if (unpublished > 0) {
    const which = unpublished === 1 ? 'One headline figure is' : `${opening(unpublished)} headline figures are`;
    const change = unpublished === 1 ? 'its change is' : 'their changes are';
    lines.push(`${which} too small to publish in one of the two quarters, so ${change} not described.`);
  }
  return lines;
}

const ruleWords: Record<string, string> = {
  outside_limits: 'a point outside the process limits',
  shift: 'a long run of quarters on one side of the average',
  trend: 'a run of quarters rising or falling in a row',
  two_of_three: 'two of three quarters beyond a 2σ line',
};

function signals(pack: SummaryInput): string[] {
  const { spc } = pack.neglectTrend;
  const subject = 'The rate of children on a child protection plan for neglect';
  const valued = spc.points.filter((p) => isNumber(p.value));
  if (spc.chart === 'run' || !spc.limits) {
    return [
      `${subject} has ${count(valued.length)} quarters with a published figure: ` +
        'too few to test for signals of change ' +
        '(statistical process control needs 15).',
    ];
  }
  const latest = spc.points.find((p) => p.period_to === pack.period.to);
  const lines: string[] = [];
  const special = (p: { variation: string | null }) => p.variation !== null && p.variation.startsWith('special_cause');
  if (latest && special(latest) && isNumber(latest.value)) {
    const limits = spc.limits;
    const where =
      latest.flags && latest.flags.length > 0
        ? latest.flags
            .map((f) =>
              f.rule === 'outside_limits'
                ? `${f.words} of ${(f.direction > 0 ? limits.upl : limits.lpl).toFixed(1)}`
                : f.words,
            )
            .join(' and ')
        : latest.rules.includes('outside_limits')
          ? latest.value > spc.limits.upl
            ? `above the upper process limit of ${spc.limits.upl.toFixed(1)}`
            : `below the lower process limit of ${spc.limits.lpl.toFixed(1)}`
          : latest.rules.map((r) => ruleWords[r] ?? r.replaceAll('_', ' ')).join(' and ');
    const concern =
      latest.variation === 'special_cause_concern'
        ? ' of concern'
        : latest.variation === 'special_cause_improvement'
          ? ' of improvement'
          : '';
    const value = show(latest.value, 'rate');
    lines.push(`${subject} this quarter (${value} children) is a signal of change${concern}: ${where}.`);
  } else {
    lines.push(
      `${subject} this quarter shows no signal of change: it is within the range the last ` +
        `${count(valued.length)} quarters would lead us to expect.`,
    );
  }
  const earlier = spc.points.filter((p) => p.period_to !== pack.period.to && special(p));
  if (earlier.length > 0) {
    const last = earlier[earlier.length - 1]!;
    const which = earlier.length === 1 ? 'One earlier quarter' : `${opening(earlier.length)} earlier quarters`;
    lines.push(`${which} on the chart showed a signal, the latest in the quarter to ${dayWords(last.period_to)}.`);
  }
  return lines;
}

interface Funnel {
  year: number;
  points: { numerator: number; denominator: number; highlight?: boolean }[];
  limits: { n: number; upper95: number; lower95: number; upper998: number; lower998: number }[];
}

/** Where the highlighted LA lies on the funnel of all LAs, at the limits nearest its own size. */
function funnelLine(funnel: Funnel | undefined, laName: string): string | undefined {
  const local = funnel?.points.find((p) => p.highlight);
  if (!funnel || !local || local.denominator <= 0 || funnel.limits.length === 0) return undefined;
  const distance = (l: { n: number }) => Math.abs(l.n - local.denominator);
  const limit = funnel.limits.reduce((best, l) => (distance(l) < distance(best) ? l : best));
  const share = local.numerator / local.denominator;
  const asPct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const which =
    share > limit.upper998
      ? (['above', 'upper', '99.8%', limit.upper998] as const)
      : share < limit.lower998
        ? (['below', 'lower', '99.8%', limit.lower998] as const)
        : share > limit.upper95
          ? (['above', 'upper', '95%', limit.upper95] as const)
          : share < limit.lower95
            ? (['below', 'lower', '95%', limit.lower95] as const)
            : undefined;
  if (!which) return undefined;
  const [side, bound, level, value] = which;
  return (
    `${laName}'s second or subsequent plans in the year to 31 March ${funnel.year} (${asPct(share)}) ` +
    `lie ${side} the ${bound} ${level} limit ` +
    `(${asPct(value)}) of the funnel of all English local authorities.`
  );
}

function outsideRange(pack: SummaryInput): string[] {
  const laName = pack.laName ?? 'The local authority';
  const benchmarks = pack.benchmarks;
  if (!benchmarks) return ['No published national figures are available to compare with.'];
  const lines: string[] = [];
  for (const [key, measure] of Object.entries(benchmarks.measures)) {
    const local = benchmarked[key];
    if (!local) continue;
    // A stock at 31 March is only comparable in the January to March pack (METRICS.md §9).
    if (measure.basis === 'at_31_march' && !pack.period.to.endsWith('-03-31')) continue;
    const value = at(pack.figures, local.path);
    if (!isNumber(value)) continue;
    const others = [
      isNumber(measure.england) ? { name: 'England', value: measure.england } : null,
      isNumber(measure.region) ? { name: benchmarks.region ?? 'the region', value: measure.region } : null,
      isNumber(measure.statistical_neighbours.mean)
        ? { name: 'statistical neighbours', value: measure.statistical_neighbours.mean }
        : null,
    ].filter((o): o is { name: string; value: number } => o !== null);
    if (others.length === 0) continue;
    const rounded = (v: number) => Number(v.toFixed(1));
    const higher = others.every((o) => rounded(value) > rounded(o.value));
    const lower = others.every((o) => rounded(value) < rounded(o.value));
    if (!higher && !lower) continue;
    const list = others.map((o) => `${o.name} (${show(o.value, local.kind)})`);
    const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0];
    lines.push(
      `${local.label} (${show(value, local.kind)}) is ${higher ? 'higher' : 'lower'} than ${joined}; ` +
        `DfE figures for the year to 31 March ${benchmarks.year}.`,
    );
  }
  const funnel = funnelLine(pack.repeatFunnel, laName === 'The local authority' ? 'The local authority' : laName);
  if (funnel) lines.push(funnel);
  if (lines.length === 0) {
    lines.push(
      'No published figure this quarter puts the partnership outside the range of England, ' +
        'its region and its statistical neighbours.',
    );
  }
  return lines;
}

export function executiveSummary(pack: SummaryInput): ExecutiveSummary {
  return { changes: changes(pack), signals: signals(pack), outsideRange: outsideRange(pack) };
}

/**
 * The built pack with whose it is (cover and printed pages) and its summary. Called on the pack as
 * it will be served, so for board output the summary is written from suppressed figures.
 */
export function completePack<P extends SummaryInput>(
  pack: P,
  la: LaConfig,
): P & { partnership: Partnership; summary: ExecutiveSummary } {
  const partnership: Partnership = { name: partnershipName(la), la_name: la.la_name, la_code: la.la_code };
  return { ...pack, partnership, summary: executiveSummary({ ...pack, laName: la.la_name }) };
}
