import { createHash } from 'node:crypto';
import type { ListedChild } from '../sql/audits.ts';
import type { AuditSample, SampledChild, StrataSpec, StratumDraw } from './contract/audits.ts';

/**
 * Audit samples (METRICS.md §13 "Audit samples"): a stratified random sample of the children on a
 * case list, as Lambeth drew its neglect audit ("4 aged 0-5 years; 4 aged 6-11 years; and 4 aged
 * 12-17"). Pure: the children, the audits already done and the request in, the sample out, so the
 * same inputs always give the same sample and the tests need no warehouse.
 *
 * Decisions (docs/METRICS.md §13, docs/DECISIONS.md):
 * - A child listed twice (two plans starting in the period) is one child: the population is children.
 * - A child with no birth date, or not yet born at the as-at date, has no age and falls in no age
 *   stratum; the sample says how many children were outside every stratum.
 * - "Audited in the look-back": the child is in a saved audit's sample (open or closed) whose draw
 *   date is at most `lookbackDays` days before this draw's date.
 * - Families: strata are drawn in the order given, each from the top of its hash order, so when two
 *   siblings fall in different strata the earlier stratum's draw keeps its child and the later
 *   stratum passes over the sibling. A child with no family id is a family of one.
 */

export type { AgeRange, AuditSample, SampledChild, StrataSpec, StratumDraw } from './contract/audits.ts';

/** Lambeth's strata (seed: Lambeth multi-agency neglect audit, 2020, "Methodology"). */
export const lambethStrata: StrataSpec = {
  by: 'age',
  ranges: [
    { from: 0, to: 5, n: 4 },
    { from: 6, to: 11, n: 4 },
    { from: 12, to: 17, n: 4 },
  ],
};

export const defaultLookbackDays = 365;

/** The groups of METRICS.md §1, in display order. */
export const ethnicityGroups = ['white', 'mixed', 'asian', 'black', 'other', 'unknown'] as const;
export const sexGroups = ['male', 'female', 'unknown'] as const;

const groupWords: Record<string, string> = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian or Asian British',
  black: 'Black or Black British',
  other: 'Other ethnic group',
  unknown: 'Not recorded',
  male: 'Male',
  female: 'Female',
};

/** A child in an earlier saved audit, dated by that audit's draw date (YYYY-MM-DD). */
export interface AuditedChild {
  childKey: number;
  drawnOn: string;
}

export interface SampleRequest {
  population: readonly ListedChild[];
  strata: StrataSpec;
  seed: string;
  lookbackDays: number;
  /** The draw's date (YYYY-MM-DD): the look-back ends here. */
  drawnOn: string;
  audited: readonly AuditedChild[];
}

/** The drawing order of a child under a seed: METRICS.md §13 `sha256(seed || ':' || la_child_id)`. */
export function orderKey(seed: string, laChildId: string): string {
  return createHash('sha256').update(`${seed}:${laChildId}`, 'utf8').digest('hex');
}

/** Whole days from a to b (YYYY-MM-DD), b − a. */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

interface Stratum {
  key: string;
  label: string;
  n: number;
  holds: (child: ListedChild) => boolean;
}

function strataOf(spec: StrataSpec): Stratum[] {
  if (spec.by === 'age') {
    return spec.ranges.map((r) => ({
      key: `age_${r.from}_${r.to}`,
      label: `Aged ${r.from}–${r.to}`,
      n: r.n,
      holds: (c) => c.age !== null && c.age >= r.from && c.age <= r.to,
    }));
  }
  const groups: readonly string[] = spec.by === 'ethnicity' ? ethnicityGroups : sexGroups;
  return groups.map((g) => ({
    key: `${spec.by}_${g}`,
    label: groupWords[g] ?? g,
    n: spec.n,
    holds: (c) => (spec.by === 'ethnicity' ? c.ethnicity : c.sex) === g,
  }));
}

const maxStrata = 12;
const maxPerStratum = 100;

/** What is wrong with a strata specification sent by a client, or undefined. */
export function strataProblem(spec: unknown): string | undefined {
  const s = spec as { by?: unknown; ranges?: unknown; n?: unknown } | null;
  if (typeof s !== 'object' || s === null) return "'strata' must be {by: 'age', ranges} or {by: 'ethnicity'|'sex', n}";
  const countProblem = (n: unknown) =>
    typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= maxPerStratum
      ? undefined
      : `the number to draw per stratum must be a whole number from 1 to ${maxPerStratum}`;
  if (s.by === 'ethnicity' || s.by === 'sex') return countProblem(s.n);
  if (s.by !== 'age') return "strata are by 'age', 'ethnicity' or 'sex'";
  if (!Array.isArray(s.ranges) || s.ranges.length === 0 || s.ranges.length > maxStrata) {
    return `age strata need from 1 to ${maxStrata} ranges`;
  }
  const ranges = s.ranges as { from?: unknown; to?: unknown; n?: unknown }[];
  for (const r of ranges) {
    const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 25;
    if (!ok(r.from) || !ok(r.to) || (r.from as number) > (r.to as number)) {
      return 'each age range needs whole years from and to (0 to 25), from not after to';
    }
    const problem = countProblem(r.n);
    if (problem) return problem;
  }
  const sorted = [...ranges].sort((a, b) => (a.from as number) - (b.from as number));
  for (let i = 1; i < sorted.length; i += 1) {
    if ((sorted[i]!.from as number) <= (sorted[i - 1]!.to as number)) return 'age ranges must not overlap';
  }
  return undefined;
}

/**
 * Draws the sample. Each stratum's children are ordered by their order key (ties, which sha256 makes
 * practically impossible, by LA child id) and taken from the top, skipping children audited within
 * the look-back and a second child of a family already drawn, until n are taken or none are left.
 */
export function drawAuditSample(request: SampleRequest): AuditSample {
  const recent = new Set(
    request.audited
      .filter((a) => daysBetween(a.drawnOn, request.drawnOn) <= request.lookbackDays)
      .map((a) => a.childKey),
  );
  const byKey = new Map<number, ListedChild>();
  for (const child of request.population) if (!byKey.has(child.childKey)) byKey.set(child.childKey, child);
  const children = [...byKey.values()];
  const families = new Set<string>();
  const strata = strataOf(request.strata);
  const placed = new Set<number>();

  const draws = strata.map((stratum): StratumDraw => {
    const members = children
      .filter((c) => !placed.has(c.childKey) && stratum.holds(c))
      .map((c) => ({ child: c, key: orderKey(request.seed, c.laChildId) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.child.laChildId < b.child.laChildId ? -1 : 1));
    for (const m of members) placed.add(m.child.childKey);
    const drawn: SampledChild[] = [];
    let siblingsPassedOver = 0;
    let recentlyAudited = 0;
    for (const { child, key } of members) {
      if (recent.has(child.childKey)) {
        recentlyAudited += 1;
        continue;
      }
      if (drawn.length >= stratum.n) continue;
      if (child.familyId !== null && families.has(child.familyId)) {
        siblingsPassedOver += 1;
        continue;
      }
      if (child.familyId !== null) families.add(child.familyId);
      drawn.push({
        childKey: child.childKey,
        laChildId: child.laChildId,
        stratum: stratum.key,
        rank: drawn.length + 1,
        orderKey: key,
      });
    }
    return {
      key: stratum.key,
      label: stratum.label,
      n: stratum.n,
      population: members.length,
      recentlyAudited,
      siblingsPassedOver,
      drawn,
      short: drawn.length < stratum.n,
    };
  });
  return {
    strata: draws,
    outsideStrata: children.length - placed.size,
    children: draws.flatMap((d) => d.drawn),
  };
}

/** One sentence per stratum that could not give its n, for the sample page. */
export function shortfallSentences(sample: AuditSample): string[] {
  return sample.strata
    .filter((s) => s.short)
    .map(
      (s) =>
        `${s.label}: ${s.drawn.length} drawn of ${s.n} asked for — every eligible child in the stratum was taken ` +
        `(${s.population} on the list, ${s.recentlyAudited} audited within the look-back, ${s.siblingsPassedOver} brothers or sisters of children already drawn).`,
    );
}
