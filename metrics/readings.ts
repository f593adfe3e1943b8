import { countText } from './numberText.ts';
import type { MetricsPack } from './figures.ts';
import { valueAtPath } from './contract/figurePath.ts';
import type { HistoryNotes } from './contract/types.ts';

/**
 * One plain-English sentence per board pack section, generated from the figures. A sentence says
 * only what the numbers bear: a change between two quarters is a change, not a trend (the SPC
 * sentence speaks about trends), and an interval that overlaps the average is "similar", never
 * "higher". Suppressed figures ('c') are named as too small to publish.
 */

type Value = number | string | null | undefined;

const isNumber = (v: Value): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: Value) => (isNumber(v) ? countText(v) : 'a number too small to publish');
const one = (v: number) => v.toFixed(1);

const figure = (pack: MetricsPack, path: string): Value => valueAtPath(pack, path) as Value;

/** "rose from 120 to 131", "fell from 14 to 12", "was unchanged at 40". */
export function change(previous: Value, current: Value, unit = ''): string {
  if (!isNumber(previous) || !isNumber(current))
    return `was ${isNumber(current) ? count(current) + unit : 'too small to publish'}`;
  const show = (v: number) => (Number.isInteger(v) ? count(v) : one(v)) + unit;
  if (current === previous) return `was unchanged at ${show(current)}`;
  return `${current > previous ? 'rose' : 'fell'} from ${show(previous)} to ${show(current)}`;
}

export function headlineReading(current: MetricsPack, previous: MetricsPack | undefined): string {
  const now = figure(current, 'prevalence.cp_open_neglect_initial');
  const before = previous ? figure(previous, 'prevalence.cp_open_neglect_initial') : undefined;
  const rate = figure(current, 'prevalence.cp_open_neglect_initial_rate_per_10k');
  const rateText = isNumber(rate) ? ` (${one(rate)} per 10,000 children)` : '';
  if (!isNumber(now)) return 'The number of children on a child protection plan for neglect is too small to publish.';
  return previous
    ? `Children on a child protection plan for neglect ${change(before, now)} since the previous quarter${rateText}.`
    : `${count(now)} children were on a child protection plan for neglect${rateText}.`;
}

export function continuumReading(pack: MetricsPack): string {
  const total = figure(pack, 'prevalence.neglect_any_stage_children');
  const cp = figure(pack, 'prevalence.neglect_highest_stage.cp');
  if (!isNumber(total) || total === 0) return 'Too few children showed neglect at any stage to describe the continuum.';
  if (!isNumber(cp)) return `${count(total)} children showed neglect at some stage of help in the period.`;
  const share = ((total - cp) / total) * 100;
  return (
    `${count(total)} children showed neglect at some stage of help in the period; ${one(share)}% of them were seen ` +
    'only in early help or child in need work, which counts of child protection plans alone would miss.'
  );
}

export function repeatReading(pack: MetricsPack, englandPct?: number | null, history: HistoryNotes = {}): string {
  if (history.repeat_plans === 'too_short') {
    return (
      'The data do not yet go back far enough to tell repeat plans from first plans: that needs 12 months of plans ' +
      'before the quarter.'
    );
  }
  const pct = figure(pack, 'percentages.cp_starts_second_or_subsequent_pct');
  if (!isNumber(pct)) return 'Too few plans started in the period to publish the share that were repeat plans.';
  const england = isNumber(englandPct) ? ` (England ${one(englandPct)}% in the latest published year)` : '';
  return `${one(pct)}% of child protection plans that started in the period were a second or subsequent plan${england}.`;
}

export function driftReading(pack: MetricsPack): string {
  const over18 = figure(pack, 'drift.cp_open_18m_plus');
  const stopStart = figure(pack, 'drift.stop_start_children');
  const parts: string[] = [];
  parts.push(
    isNumber(over18)
      ? `${count(over18)} plans had been open for 18 months or more`
      : 'plans open for 18 months or more were too few to publish',
  );
  // The neglect sentence names the stop-start children showing neglect (METRICS.md §5) where the pack has them.
  const stopStartNeglect = figure(pack, 'drift.stop_start_children_neglect');
  if (isNumber(stopStart)) {
    const neglect =
      stopStartNeglect === undefined || stopStartNeglect === null
        ? ''
        : isNumber(stopStartNeglect)
          ? `, ${count(stopStartNeglect)} of them showing neglect`
          : ', too few of them showing neglect to publish';
    parts.push(`${count(stopStart)} children had help close and reopen at least twice in three years${neglect}`);
  }
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

const groupNames: Record<string, string> = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian',
  black: 'Black',
  other: 'Other ethnic group',
  under_1: 'under 1',
  '1_4': 'aged 1–4',
  '5_9': 'aged 5–9',
  '10_15': 'aged 10–15',
  '16_plus': 'aged 16–17',
  male: 'boys',
  female: 'girls',
};

export function disproportionalityReading(pack: MetricsPack): string {
  const rows = pack.disproportionality['cp_open_neglect'] ?? {};
  const higher: string[] = [];
  const lower: string[] = [];
  for (const dimensionRows of Object.values(rows)) {
    for (const row of dimensionRows) {
      const name = groupNames[row.group] ?? row.group;
      if (row.flag === 'higher') higher.push(name);
      if (row.flag === 'lower') lower.push(name);
    }
  }
  if (higher.length === 0 && lower.length === 0) {
    return 'No group’s rate of neglect plans differs from the all-children rate by more than chance would explain.';
  }
  const list = (names: string[]) =>
    names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const parts = [];
  if (higher.length) parts.push(`higher than the all-children rate for ${list(higher)}`);
  if (lower.length) parts.push(`lower for ${list(lower)}`);
  return `Rates of neglect plans were ${parts.join(', and ')}, beyond what chance would explain (95% intervals).`;
}
