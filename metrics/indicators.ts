import type { DuckDBConnection } from '@duckdb/node-api';
import type { Better, Indicator, IndicatorRef } from './contract/types.ts';

/**
 * The strategy's success indicators as data (METRICS.md §13 "Indicators and targets"): stored in the
 * warehouse's `indicators` table, append-only. Creating one is version 1; every edit (a target set, a
 * rationale reworded, an indicator retired) adds the next version, naming what changed, who and when,
 * so the history of who moved which target is never lost. Readers take each id's highest version.
 */

export interface NewIndicator {
  title: string;
  ref: IndicatorRef;
  better: Better;
  owner: string;
  rationale: string;
}

/** What an edit may change; the figure an indicator follows never changes (a new indicator does). */
export interface IndicatorEdit {
  title?: string;
  better?: Better;
  owner?: string;
  rationale?: string;
  target?: { value: number; date: string } | null;
  baseline?: { from: string; to: string; value: number } | null;
  retired?: boolean;
}

/** The name annotations give the indicator's series: its path, or `path[group]` for one group or agency. */
export function seriesName(ref: IndicatorRef): string {
  if (ref.kind === 'figure') return ref.figure;
  return ref.kind === 'partner' ? `partner.${ref.figure}[${ref.group}]` : `${ref.figure}[${ref.group}]`;
}

/** Something an edit or a new indicator gets wrong, said in words the form shows as given. */
export class IndicatorError extends Error {}

/**
 * Blackburn with Darwen's evidence that its neglect strategy is succeeding, each mapped to the figure
 * that counts it (METRICS.md §10–12). No targets: a strategy lead sets them.
 */
export const defaultIndicators: NewIndicator[] = [
  {
    title: 'Children re-registered under the category of neglect',
    ref: { kind: 'figure', figure: 'repeat.cp_starts_repeat_neglect' },
    better: 'down',
    owner: "Children's social care",
    rationale:
      'Blackburn with Darwen: "reduction in the number of children re-registered under the category of neglect". ' +
      'A second neglect plan says the first did not change enough for the child.',
  },
  {
    title: 'Re-referrals for neglect following a single assessment',
    ref: { kind: 'figure', figure: 'strategy.rereferrals_neglect_after_assessment' },
    better: 'down',
    owner: "Children's social care front door",
    rationale:
      'Blackburn with Darwen: "reduction in the number of re-referrals for neglect following a single assessment". ' +
      'A child referred again within a year of a neglect assessment was not helped enough the first time.',
  },
  {
    title: 'Children looked after, per 10,000 children',
    ref: { kind: 'figure', figure: 'looked_after.lac_open_rate_per_10k' },
    better: 'down',
    owner: "Children's social care",
    rationale:
      'Blackburn with Darwen: "reduction in the number of LAC". The rate, not the count, so a growing child ' +
      'population does not read as a change in practice.',
  },
  {
    title: 'Pupils persistently absent from school',
    ref: { kind: 'partner', figure: 'school_persistent_absence', group: 'schools' },
    better: 'down',
    owner: 'Education (schools)',
    rationale:
      'Blackburn with Darwen: "reduction in the number of children frequently absent from school". ' +
      'Absence is often the first thing a school sees of neglect.',
  },
  {
    title: 'Early help assessments (CAFs) led by schools',
    ref: { kind: 'split_group', figure: 'strategy.eh_starts_by_lead_agency', group: 'school' },
    better: 'up',
    owner: 'Early help partnership',
    rationale:
      'Blackburn with Darwen: "increase in the number of CAFs completed per agency (proxy measure)". ' +
      'Schools first: they see most children; add an indicator per agency for the others.',
  },
  {
    title: 'Eligible 2-year-olds taking up funded early education',
    ref: { kind: 'partner', figure: 'two_year_funded_takeup', group: 'early_years' },
    better: 'up',
    owner: 'Early years',
    rationale:
      'Blackburn with Darwen: "increase in the uptake of 2 year offer". Early education is help a neglected ' +
      'toddler gets outside the home.',
  },
  {
    title: 'Early help closed because needs were met',
    ref: { kind: 'figure', figure: 'strategy.eh_closed_needs_met' },
    better: 'up',
    owner: 'Early help partnership',
    rationale:
      'Blackburn with Darwen: "increase in the number of cases stepped down as a result of desired outcomes being ' +
      'achieved". Closure with needs met is the one record that says the outcomes were achieved; a step-down from ' +
      'child in need to early help (strategy.cin_stepdowns_to_eh) records the move but not why.',
  },
];

const current = `
  SELECT * FROM indicators
  QUALIFY version = max(version) OVER (PARTITION BY indicator_id)`;

type Row = Record<string, unknown>;

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function indicatorOf(row: Row): Indicator {
  const kind = row['kind'] as IndicatorRef['kind'];
  const figure = row['figure'] as string;
  const group = (row['figure_group'] as string | null) ?? '';
  const ref: IndicatorRef = kind === 'figure' ? { kind, figure } : { kind, figure, group };
  const baselineTo = row['baseline_to'] as string | null;
  const targetDate = row['target_date'] as string | null;
  return {
    id: num(row['indicator_id'])!,
    version: num(row['version'])!,
    title: row['title'] as string,
    ref,
    series: seriesName(ref),
    better: row['better'] as Better,
    baseline: baselineTo
      ? { from: row['baseline_from'] as string, to: baselineTo, value: num(row['baseline_value']) }
      : null,
    target: targetDate ? { value: num(row['target_value'])!, date: targetDate } : null,
    owner: row['owner'] as string,
    rationale: row['rationale'] as string,
    retired: row['retired'] === true,
    change: row['change'] as string,
    author: row['author'] as string,
    written_at: `${String(row['written_at']).replace(' ', 'T').slice(0, 19)}Z`,
  };
}

const columns = `indicator_id, version, title, kind, figure, figure_group, better,
  strftime(baseline_from, '%Y-%m-%d') AS baseline_from, strftime(baseline_to, '%Y-%m-%d') AS baseline_to,
  baseline_value, target_value, strftime(target_date, '%Y-%m-%d') AS target_date, owner, rationale, retired,
  change, author, strftime(written_at, '%Y-%m-%d %H:%M:%S') AS written_at`;

/** Every indicator as it stands, retired ones included (the caller decides), in the order created. */
export async function currentIndicators(c: DuckDBConnection): Promise<Indicator[]> {
  const reader = await c.runAndReadAll(`SELECT ${columns} FROM (${current}) ORDER BY indicator_id`);
  return reader.getRowObjectsJson().map((row) => indicatorOf(row as Row));
}

export async function indicatorById(c: DuckDBConnection, id: number): Promise<Indicator | undefined> {
  const reader = await c.runAndReadAll(`SELECT ${columns} FROM (${current}) WHERE indicator_id = $id`, { id });
  const row = reader.getRowObjectsJson()[0];
  return row ? indicatorOf(row as Row) : undefined;
}

/** Every version of one indicator, oldest first: who changed what, and when. */
export async function indicatorHistory(c: DuckDBConnection, id: number): Promise<Indicator[]> {
  const reader = await c.runAndReadAll(`SELECT ${columns} FROM indicators WHERE indicator_id = $id ORDER BY version`, {
    id,
  });
  return reader.getRowObjectsJson().map((row) => indicatorOf(row as Row));
}

const textLimit = 2000;

/** Why the new indicator cannot be stored, or undefined. */
export function newIndicatorProblem(input: unknown): string | undefined {
  const i = (input ?? {}) as Record<string, unknown>;
  for (const field of ['title', 'owner', 'rationale'] as const) {
    const value = i[field];
    if (typeof value !== 'string' || value.trim() === '') return `'${field}' is required (plain text)`;
    if (value.length > textLimit) return `'${field}' is at most ${textLimit} characters`;
  }
  if (i['better'] !== 'up' && i['better'] !== 'down') return "'better' must be up or down";
  const ref = (i['ref'] ?? {}) as Record<string, unknown>;
  if (!['figure', 'split_group', 'partner'].includes(ref['kind'] as string)) {
    return "'ref.kind' must be figure, split_group or partner";
  }
  if (typeof ref['figure'] !== 'string' || !/^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(ref['figure'])) {
    return "'ref.figure' must be a figure path such as repeat.cp_starts_repeat_neglect, or a partner measure id";
  }
  if (ref['kind'] !== 'figure' && (typeof ref['group'] !== 'string' || ref['group'].trim() === '')) {
    return "'ref.group' is required: the split's group, or the partner measure's agency";
  }
  return undefined;
}

/** Why the target cannot be set, or undefined. A target needs a value and a date (METRICS.md §13). */
export function targetProblem(target: unknown): string | undefined {
  if (target === null) return undefined;
  const t = (target ?? {}) as Record<string, unknown>;
  if (typeof t['value'] !== 'number' || !Number.isFinite(t['value'])) return "a target's 'value' must be a number";
  if (typeof t['date'] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(t['date'])) {
    return "a target's 'date' must be a date, YYYY-MM-DD";
  }
  if (Number.isNaN(Date.parse(`${t['date']}T00:00:00Z`))) return `'${t['date']}' is not a real date`;
  return undefined;
}

function utcNow(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}

async function insertVersion(
  c: DuckDBConnection,
  id: number,
  version: number,
  i: Omit<Indicator, 'id' | 'version' | 'series' | 'written_at'>,
): Promise<void> {
  await c.run(
    `INSERT INTO indicators VALUES ($id, $version, $title, $kind, $figure, $group, $better,
       $baseline_from::DATE, $baseline_to::DATE, $baseline_value::DOUBLE, $target_value::DOUBLE, $target_date::DATE,
       $owner, $rationale, $retired, $change, $author, $now::TIMESTAMP)`,
    {
      id,
      version,
      title: i.title,
      kind: i.ref.kind,
      figure: i.ref.figure,
      group: i.ref.kind === 'figure' ? null : i.ref.group,
      better: i.better,
      baseline_from: i.baseline?.from ?? null,
      baseline_to: i.baseline?.to ?? null,
      baseline_value: typeof i.baseline?.value === 'number' ? i.baseline.value : null,
      target_value: i.target?.value ?? null,
      target_date: i.target?.date ?? null,
      owner: i.owner,
      rationale: i.rationale,
      retired: i.retired,
      change: i.change,
      author: i.author,
      now: utcNow(),
    },
  );
}

/** Stores a new indicator (version 1) with the baseline given (computed by the caller from the data). */
export async function addIndicator(
  c: DuckDBConnection,
  input: NewIndicator,
  baseline: Indicator['baseline'],
  author: string,
): Promise<number> {
  const next = await c.runAndReadAll('SELECT coalesce(max(indicator_id), 0)::INTEGER + 1 AS id FROM indicators');
  const id = Number(next.getRowObjectsJson()[0]?.['id']);
  await insertVersion(c, id, 1, {
    ...input,
    title: input.title.trim(),
    owner: input.owner.trim(),
    rationale: input.rationale.trim(),
    baseline,
    target: null,
    retired: false,
    change: baseline ? 'created' : 'created; baseline to follow when the data can answer the figure',
    author,
  });
  return id;
}

/** Words for what an edit changed, stored with the version. */
function changeWords(before: Indicator, edit: IndicatorEdit): string {
  const words: string[] = [];
  if (edit.target !== undefined) {
    words.push(
      edit.target === null
        ? 'target removed'
        : `target set to ${edit.target.value} by ${edit.target.date}` +
            (before.target ? ` (was ${before.target.value} by ${before.target.date})` : ''),
    );
  }
  if (edit.baseline !== undefined) {
    words.push(edit.baseline ? `baseline fixed at ${edit.baseline.value} (${edit.baseline.to})` : 'baseline cleared');
  }
  for (const field of ['title', 'better', 'owner', 'rationale'] as const) {
    if (edit[field] !== undefined && edit[field] !== before[field]) words.push(`${field} changed`);
  }
  if (edit.retired !== undefined && edit.retired !== before.retired) words.push(edit.retired ? 'retired' : 'restored');
  return words.join('; ') || 'saved unchanged';
}

/** Adds the next version of an indicator with the edit applied; returns the indicator as it now stands. */
export async function editIndicator(
  c: DuckDBConnection,
  id: number,
  edit: IndicatorEdit,
  author: string,
): Promise<Indicator> {
  const before = await indicatorById(c, id);
  if (!before) throw new IndicatorError(`no indicator ${id}`);
  if (edit.target !== undefined) {
    const problem = targetProblem(edit.target);
    if (problem) throw new IndicatorError(problem);
    if (edit.target && before.baseline && edit.target.date <= before.baseline.to) {
      throw new IndicatorError(`the target date must be after the baseline period (${before.baseline.to})`);
    }
  }
  await insertVersion(c, id, before.version + 1, {
    title: edit.title?.trim() ?? before.title,
    ref: before.ref,
    better: edit.better ?? before.better,
    baseline: edit.baseline !== undefined ? edit.baseline : before.baseline,
    target: edit.target !== undefined ? edit.target : before.target,
    owner: edit.owner?.trim() ?? before.owner,
    rationale: edit.rationale?.trim() ?? before.rationale,
    retired: edit.retired ?? before.retired,
    change: changeWords(before, edit),
    author,
  });
  return (await indicatorById(c, id))!;
}

/** Whether the warehouse has ever held an indicator (the defaults are offered once, never re-added). */
export async function hasAnyIndicator(c: DuckDBConnection): Promise<boolean> {
  const reader = await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM indicators');
  return Number(reader.getRowObjectsJson()[0]?.['n']) > 0;
}
