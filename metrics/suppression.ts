import { valueAtPath } from './contract/figurePath.ts';
import { referralSourceGroups } from './contract/referralSources.ts';

/**
 * Small-number suppression for board-facing output (METRICS.md §7): "any count from 1 to 5 is shown
 * as c; 0 stays 0. Every rate, percentage, ratio and interval built on a suppressed count is c too.
 * Secondary suppression: in any breakdown whose total is shown or can be worked out (a
 * disproportionality table's known-group total can be, from rate_all), if exactly one cell is
 * suppressed, also suppress the smallest other non-zero cell. An unknown group (sex or ethnicity not
 * recorded) is shown as c when 1–5 but never triggers secondary suppression: it describes no one's
 * attribute. unborn is an attribute and does trigger it."
 *
 * Every board output passes through suppressPack (the §8 object) or suppressRows (any other table),
 * so the rule lives here only. What is a count, what is built on which count, and which figures form
 * a breakdown is declared once, in `packSuppression` below; a new key is added there and nowhere else.
 *
 * Decisions:
 * - Ties for the secondary cell go to the first cell in the breakdown's declared order (bands from
 *   shortest to longest, groups in the SQL's sort order): deterministic, so two runs of a pack agree.
 * - Every declared breakdown is treated as having its total shown. When the total is itself
 *   suppressed every non-zero cell is 5 or less and already c, so this changes nothing then.
 * - In a disproportionality dimension the groups with a population (the "known groups") are a second
 *   breakdown: their total is recoverable from any shown rate and ratio (ratio = rate / rate_all, and
 *   rate_all is over the known groups), so secondary suppression runs on it too, until stable.
 * - An `unknown` group stands outside secondary suppression altogether: its c does not count towards
 *   "exactly one cell", and it is never the cell chosen second. Choosing it could protect nothing
 *   §7 protects (it describes no attribute), and the known groups' own total (from rate_all) is a
 *   breakdown without it, so a known group's c is always covered by another known group. The
 *   demo's sex breakdown (male 54, female 72, unknown 1) is therefore shown with only unknown as c.
 *   `unborn` has no population either, but it is an attribute (not yet born), so it triggers and
 *   can be chosen like any cell of the dimension.
 * - Fail closed: a number in prevalence, repeat or drift (or in a disproportionality row) that the
 *   table does not know is shown as c unless it is 0, because an unclassified small count must not
 *   reach a board. `unclassifiedPackKeys` lists such keys so a test can insist the table is complete.
 * - Other sections (period, population, benchmarks, ...) pass through unchanged.
 */

export const SUPPRESSED = 'c';
export type Suppressed = typeof SUPPRESSED;

const durationBands = ['le_3m', '3_6m', '6_12m', '1_2y', '2y_plus'] as const;

interface BreakdownRule {
  /** Where the breakdown object sits: 'section.key'. Its cells are counts. */
  at: string;
  /** The cells in display order; ties for the secondary cell go to the first. */
  cells: readonly string[];
  /** The figure that makes it a breakdown ('sum' when the reader adds the cells up). */
  total: string;
}

interface RowsRule {
  count: string;
  derived: readonly string[];
  /** Keys that are neither counts nor built on the count. */
  passThrough: readonly string[];
}

/** The dependency table: the single place that says what is a count and what is built on it. */
export const packSuppression = {
  counts: {
    prevalence: [
      'cp_open',
      'cp_open_neglect_initial',
      'cp_open_neglect_latest',
      'cp_starts',
      'cp_starts_neglect_initial',
      'assessments_completed',
      'assessments_neglect',
      'eh_children',
      'eh_children_neglect',
      'neglect_any_stage_children',
      'cp_open_hidden_neglect',
      // Ofsted 2014 shares (issue 10): episodes and plans, records not children.
      'eh_episodes',
      'eh_episodes_neglect',
      'cin_plans',
      'cin_plans_neglect',
    ],
    repeat: [
      'cp_starts',
      'cp_starts_second_or_subsequent',
      'cp_starts_within_2y',
      'cp_starts_repeat_neglect',
      'referrals',
      'rereferrals_12m',
      'eh_starts',
      'eh_starts_repeat_12m',
    ],
    drift: [
      'cp_open_18m_plus',
      'stop_start_children',
      'assessments_completed',
      'assessments_within_45wd',
      'icpcs',
      'icpcs_within_15wd',
      'stop_start_children_neglect',
      'first_neglect_to_cp_n',
    ],
    // METRICS.md §12: plans, episodes and referrals.
    strategy: [
      'rereferrals_neglect_after_assessment',
      'cp_stepdowns_to_cin',
      'cin_stepdowns_to_eh',
      'eh_closed_needs_met',
    ],
    // METRICS.md §10: children looked after and children whose care began (children, not episodes).
    looked_after: ['lac_open', 'lac_open_n1', 'lac_starts', 'lac_starts_n1', 'lac_from_neglect_plan'],
  },
  breakdowns: [
    {
      at: 'prevalence.neglect_highest_stage',
      cells: ['cp', 'cin', 'early_help'],
      total: 'prevalence.neglect_any_stage_children',
    },
    { at: 'drift.cp_open_by_duration', cells: durationBands, total: 'prevalence.cp_open' },
    { at: 'drift.cp_ended_by_duration', cells: durationBands, total: 'sum' },
    // METRICS.md §12 splits: their cells sum to a shown figure. Lead agencies are free text, so
    // their cells are whatever the data holds (breakdownKeys takes undeclared keys in order).
    { at: 'strategy.referrals_by_source', cells: referralSourceGroups, total: 'repeat.referrals' },
    { at: 'strategy.eh_starts_by_lead_agency', cells: [], total: 'repeat.eh_starts' },
  ] satisfies BreakdownRule[],
  /** Derived figure → the counts it is built on; c when any of them is c (primary or secondary). */
  derived: {
    'prevalence.cp_open_rate_per_10k': ['prevalence.cp_open'],
    'prevalence.cp_open_neglect_initial_rate_per_10k': ['prevalence.cp_open_neglect_initial'],
    'prevalence.cp_open_neglect_latest_rate_per_10k': ['prevalence.cp_open_neglect_latest'],
    'prevalence.neglect_any_stage_children_rate_per_10k': ['prevalence.neglect_any_stage_children'],
    'looked_after.lac_open_rate_per_10k': ['looked_after.lac_open'],
    // METRICS.md §5: the median is over the plans counted in cp_starts_neglect_initial.
    'drift.median_days_first_neglect_to_cp': ['prevalence.cp_starts_neglect_initial'],
    // Issue 10: the same days, with their n, quartiles in whole days (n = cp_starts_neglect_initial).
    'drift.first_neglect_to_cp_q1_days': ['drift.first_neglect_to_cp_n'],
    'drift.first_neglect_to_cp_median_days': ['drift.first_neglect_to_cp_n'],
    'drift.first_neglect_to_cp_q3_days': ['drift.first_neglect_to_cp_n'],
    // METRICS.md §14: each percentage is built on its numerator and denominator.
    'percentages.cp_starts_second_or_subsequent_pct': ['repeat.cp_starts_second_or_subsequent', 'repeat.cp_starts'],
    'percentages.rereferrals_12m_pct': ['repeat.rereferrals_12m', 'repeat.referrals'],
    'percentages.cp_open_2y_plus_pct': ['drift.cp_open_by_duration.2y_plus', 'prevalence.cp_open'],
    'percentages.cp_open_neglect_initial_pct': ['prevalence.cp_open_neglect_initial', 'prevalence.cp_open'],
    'percentages.assessments_neglect_pct': ['prevalence.assessments_neglect', 'prevalence.assessments_completed'],
    'percentages.assessments_within_45wd_pct': ['drift.assessments_within_45wd', 'drift.assessments_completed'],
    'percentages.icpcs_within_15wd_pct': ['drift.icpcs_within_15wd', 'drift.icpcs'],
    'percentages.cp_starts_neglect_initial_pct': ['prevalence.cp_starts_neglect_initial', 'prevalence.cp_starts'],
    'percentages.eh_neglect_share_pct': ['prevalence.eh_episodes_neglect', 'prevalence.eh_episodes'],
    'percentages.cin_plans_neglect_share_pct': ['prevalence.cin_plans_neglect', 'prevalence.cin_plans'],
    'percentages.referrals_schools_pct': ['strategy.referrals_by_source.schools', 'repeat.referrals'],
    'percentages.referrals_health_pct': ['strategy.referrals_by_source.health', 'repeat.referrals'],
    'percentages.referrals_police_pct': ['strategy.referrals_by_source.police', 'repeat.referrals'],
  } satisfies Record<string, readonly string[]>,
  disproportionality: {
    count: 'count',
    derived: ['rate_per_10k', 'ci_low', 'ci_high', 'ratio', 'flag'],
    // population is children in the whole population of the group, not cohort children.
    passThrough: ['group', 'population'],
  } satisfies RowsRule,
} as const;

const countedSections = Object.keys(packSuppression.counts) as (keyof typeof packSuppression.counts)[];

// ---------------------------------------------------------------------------------------------
// The rule itself

/** §7: a count from 1 to 5 is shown as c. */
/**
 * Paths of every count and breakdown cell that is 1–5 in the pack: what its board version hides
 * first. A period made of quarters hides them too (linkedPeriods.ts), so no subtraction of shown
 * figures can give a hidden one back.
 */
export function smallCountPaths(pack: unknown): string[] {
  if (!isObject(pack)) return [];
  const paths: string[] = [];
  for (const section of countedSections) {
    for (const key of packSuppression.counts[section]) {
      if (isSmallCount(getPath(pack, `${section}.${key}`))) paths.push(`${section}.${key}`);
    }
  }
  for (const rule of packSuppression.breakdowns) {
    const holder = getPath(pack, rule.at);
    if (!isObject(holder)) continue;
    for (const key of breakdownKeys(holder, rule.cells)) if (isSmallCount(holder[key])) paths.push(`${rule.at}.${key}`);
  }
  return paths;
}

export function isSmallCount(value: unknown): value is number {
  return typeof value === 'number' && value >= 1 && value <= 5;
}

const isSuppressed = (value: unknown): boolean => value === SUPPRESSED;

/** Groups that describe no one's attribute (§7): c when 1–5, outside secondary suppression. */
export const NOT_RECORDED_GROUPS: readonly string[] = ['unknown'];

/**
 * The cell to suppress second in one breakdown, or undefined: when exactly one cell is c, the
 * smallest other non-zero cell (the first of equals, in the order given). Cells flagged in `exempt`
 * (an unknown group) neither count towards the one c nor are chosen.
 */
export function secondaryCell(cells: readonly unknown[], exempt: readonly boolean[] = []): number | undefined {
  if (cells.filter((value, index) => !exempt[index] && isSuppressed(value)).length !== 1) return undefined;
  let chosen: number | undefined;
  cells.forEach((value, index) => {
    if (exempt[index] || typeof value !== 'number' || value === 0) return;
    const current = chosen === undefined ? undefined : (cells[chosen] as number);
    if (current === undefined || value < current) chosen = index;
  });
  return chosen;
}

export type SuppressedRow<R> = { [K in keyof R]: R[K] | Suppressed };

export interface SuppressRowsOptions<R> {
  /** Keys that split the rows into separate breakdowns (e.g. the quarter of a category series). */
  groupBy?: readonly (keyof R & string)[];
  /** Whether each group's total is shown; secondary suppression applies only then. Default true. */
  totalShown?: boolean;
  /** Further sets of rows within a group whose total is shown or can be worked out. */
  subtotals?: readonly ((row: R) => boolean)[];
  /** Rows outside secondary suppression (§7: an unknown group): c when 1–5, never a trigger. */
  exempt?: (row: R) => boolean;
}

/**
 * The §7 rule on any tabular breakdown: counts 1–5 become c, secondary suppression within each
 * group, then every derived key of a row whose count is c becomes c. Returns copies.
 */
export function suppressRows<R extends Record<string, unknown>>(
  rows: readonly R[],
  countKey: keyof R & string,
  derivedKeys: readonly (keyof R & string)[],
  options: SuppressRowsOptions<R> = {},
): SuppressedRow<R>[] {
  const out = rows.map((row) => ({ ...row }) as Record<string, unknown>);
  for (const row of out) if (isSmallCount(row[countKey])) row[countKey] = SUPPRESSED;

  if (options.totalShown ?? true) {
    const groups = new Map<string, number[]>();
    out.forEach((row, index) => {
      const key = JSON.stringify((options.groupBy ?? []).map((k) => row[k] ?? null));
      const members = groups.get(key) ?? [];
      members.push(index);
      groups.set(key, members);
    });
    for (const members of groups.values()) {
      const breakdowns = [members, ...(options.subtotals ?? []).map((inSet) => members.filter((i) => inSet(rows[i]!)))];
      const exempt = (i: number) => options.exempt?.(rows[i]!) ?? false;
      suppressUntilStable(
        breakdowns.map((indices) =>
          indices.map((i) => ({
            get: () => out[i]![countKey],
            set: () => {
              out[i]![countKey] = SUPPRESSED;
            },
            exempt: exempt(i),
          })),
        ),
      );
    }
  }

  for (const row of out) {
    if (!isSuppressed(row[countKey])) continue;
    // A null stays null: it was never a figure (e.g. no rate for the unknown group), so c would
    // suggest a hidden value that does not exist.
    for (const key of derivedKeys) if (key in row && row[key] !== null) row[key] = SUPPRESSED;
  }
  return out as SuppressedRow<R>[];
}

interface Cell {
  get(): unknown;
  set(): void;
  exempt?: boolean;
}

// A cell suppressed second can leave exactly one c in another breakdown it belongs to, so repeat.
function suppressUntilStable(breakdowns: Cell[][]): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const cells of breakdowns) {
      const index = secondaryCell(
        cells.map((cell) => cell.get()),
        cells.map((cell) => cell.exempt ?? false),
      );
      if (index !== undefined) {
        cells[index]!.set();
        changed = true;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The §8 pack

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

function splitPath(path: string): [string, string] {
  const dot = path.indexOf('.');
  return [path.slice(0, dot), path.slice(dot + 1)];
}

/** The value at 'section.key' or deeper ('drift.cp_open_by_duration.2y_plus'). */
const getPath = (pack: Obj, path: string): unknown => valueAtPath(pack, path);

function setPath(pack: Obj, path: string, value: unknown): void {
  const [section, key] = splitPath(path);
  const holder = pack[section];
  if (isObject(holder) && key in holder) holder[key] = value;
}

/** A breakdown's cells: the declared ones in order, then any the table does not name yet. */
function breakdownKeys(holder: Obj, declared: readonly string[]): string[] {
  return [...declared.filter((k) => k in holder), ...Object.keys(holder).filter((k) => !declared.includes(k))];
}

/** Fails closed: every non-zero number inside becomes c. */
function suppressUnknown(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 ? 0 : SUPPRESSED;
  if (Array.isArray(value)) return value.map(suppressUnknown);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, suppressUnknown(v)]));
  return value;
}

function classifiedKeys(section: string): Set<string> {
  const keys = new Set<string>((packSuppression.counts as Record<string, readonly string[]>)[section] ?? []);
  for (const rule of packSuppression.breakdowns) {
    const [s, key] = splitPath(rule.at);
    if (s === section) keys.add(key);
  }
  for (const path of Object.keys(packSuppression.derived)) {
    const [s, key] = splitPath(path);
    if (s === section) keys.add(key);
  }
  return keys;
}

/** Keys in the counted sections and disproportionality rows that the table does not classify. */
export function unclassifiedPackKeys(pack: unknown): string[] {
  if (!isObject(pack)) return [];
  const unknown: string[] = [];
  for (const section of countedSections) {
    const holder = pack[section];
    if (!isObject(holder)) continue;
    const known = classifiedKeys(section);
    for (const key of Object.keys(holder)) if (!known.has(key)) unknown.push(`${section}.${key}`);
  }
  const rule = packSuppression.disproportionality;
  const rowKeys = new Set<string>([rule.count, ...rule.derived, ...rule.passThrough]);
  for (const row of disproportionalityRows(pack).flatMap((d) => d.rows)) {
    for (const key of Object.keys(row)) {
      if (!rowKeys.has(key) && !unknown.includes(`disproportionality.*.*.${key}`))
        unknown.push(`disproportionality.*.*.${key}`);
    }
  }
  return unknown;
}

function disproportionalityRows(pack: Obj): { cohort: string; dimension: string; rows: Obj[] }[] {
  const found: { cohort: string; dimension: string; rows: Obj[] }[] = [];
  const section = pack['disproportionality'];
  if (!isObject(section)) return found;
  for (const [cohort, dimensions] of Object.entries(section)) {
    if (!isObject(dimensions)) continue;
    for (const [dimension, rows] of Object.entries(dimensions)) {
      if (Array.isArray(rows)) found.push({ cohort, dimension, rows: rows.filter(isObject) });
    }
  }
  return found;
}

/**
 * The board version of a METRICS.md §8 object: a deep copy with §7 applied and `suppressed: true`.
 * Safe to apply twice.
 */
export function suppressPack<T>(pack: T, options: { alsoHide?: ReadonlySet<string> } = {}): T {
  if (!isObject(pack)) throw new TypeError('suppressPack expects a METRICS.md §8 object');
  const out = structuredClone(pack) as Obj;
  // Counts hidden because a linked period hides them (a quarter inside this year: linkedPeriods.ts).
  const alsoHide = options.alsoHide ?? new Set<string>();
  const hidden = (path: string, value: unknown) =>
    isSmallCount(value) || (alsoHide.has(path) && typeof value === 'number');

  // Unclassified figures first, so nothing below can read an unsuppressed one.
  for (const section of countedSections) {
    const holder = out[section];
    if (!isObject(holder)) continue;
    const known = classifiedKeys(section);
    for (const key of Object.keys(holder)) if (!known.has(key)) holder[key] = suppressUnknown(holder[key]);
  }

  // Primary: counts, and the cells of every breakdown.
  for (const section of countedSections) {
    for (const key of packSuppression.counts[section]) {
      const path = `${section}.${key}`;
      if (hidden(path, getPath(out, path))) setPath(out, path, SUPPRESSED);
    }
  }
  for (const rule of packSuppression.breakdowns) {
    const holder = getPath(out, rule.at);
    if (!isObject(holder)) continue;
    for (const key of breakdownKeys(holder, rule.cells)) {
      if (hidden(`${rule.at}.${key}`, holder[key])) holder[key] = SUPPRESSED;
    }
  }

  // Secondary, within each breakdown (they share no cells, so one pass each is enough).
  for (const rule of packSuppression.breakdowns) {
    const holder = getPath(out, rule.at);
    if (!isObject(holder)) continue;
    const keys = breakdownKeys(holder, rule.cells);
    suppressUntilStable([
      keys.map((key) => ({
        get: () => holder[key],
        set: () => {
          holder[key] = SUPPRESSED;
        },
      })),
    ]);
  }

  // Derived figures, after secondary suppression so they follow it too.
  for (const [path, builtOn] of Object.entries(packSuppression.derived)) {
    if (builtOn.some((count) => isSuppressed(getPath(out, count)))) setPath(out, path, SUPPRESSED);
  }

  // Disproportionality: each dimension of each cohort is a breakdown of the cohort's count.
  const rule = packSuppression.disproportionality;
  const rowKeys = new Set<string>([rule.count, ...rule.derived, ...rule.passThrough]);
  const section = out['disproportionality'];
  for (const { cohort, dimension, rows } of disproportionalityRows(out)) {
    const safeRows = rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, rowKeys.has(k) ? v : suppressUnknown(v)])),
    );
    const suppressed = suppressRows(safeRows, rule.count, rule.derived, {
      subtotals: [(row) => typeof row['population'] === 'number' && row['population'] > 0],
      exempt: (row) => NOT_RECORDED_GROUPS.includes(String(row['group'])),
    });
    ((section as Obj)[cohort] as Obj)[dimension] = suppressed;
  }

  // METRICS.md §11: a partner measure whose numerator is 1–5 shows c for it and for its value.
  if (Array.isArray(out['partner'])) out['partner'] = suppressPartnerRows(out['partner'] as Obj[]);

  out['suppressed'] = true;
  return out as T;
}

/**
 * METRICS.md §11 "Board output. A value whose numerator is 1 to 5 is c." Partner rows are no
 * breakdown of a shown total (each is its own measure and period), so there is no secondary cell.
 */
export function suppressPartnerRows<R extends Record<string, unknown>>(rows: readonly R[]): SuppressedRow<R>[] {
  return suppressRows(rows, 'numerator', ['value'], { totalShown: false });
}
