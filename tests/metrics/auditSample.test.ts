import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  drawAuditSample,
  lambethStrata,
  orderKey,
  shortfallSentences,
  strataProblem,
  type SampleRequest,
} from '../../metrics/auditSample.ts';
import type { ListedChild } from '../../sql/audits.ts';
import { findingFields, suppressFindingFields, type FindingRow } from '../../metrics/auditFindings.ts';
import { judgementFields } from '../../metrics/contract/audits.ts';

/**
 * METRICS.md §13 "Audit samples": "Strata are age ranges at the as-at date in completed years (by
 * default Lambeth's 0–5, 6–11 and 12–17), each with the number to draw. Within a stratum children
 * are ordered by sha256(seed || ':' || la_child_id) and taken from the top, skipping children
 * audited within the look-back (365 days by default) and, where a family id is recorded, a second
 * child of a family already drawn. The same list, strata, seed and look-back always give the same
 * sample."
 *
 * The fixture list: 36 children, ages 0 to 17 twice over (child i is aged i mod 18), so each
 * Lambeth stratum holds 12 children (6 ages × 2); plus two with no age (unborn, no birth date) that
 * fall in no stratum. Families: children 0–35 are families of one except F1, three siblings aged
 * 1, 3 and 8 (children 1, 3 and 8).
 */
function child(i: number, extra: Partial<ListedChild> = {}): ListedChild {
  return {
    childKey: i + 1,
    laChildId: `LA${String(i).padStart(4, '0')}`,
    age: i % 18,
    sex: i % 2 === 0 ? 'male' : 'female',
    ethnicity: ['white', 'mixed', 'black'][i % 3]!,
    familyId: [1, 3, 8].includes(i) ? 'F1' : `single-${i}`,
    ...extra,
  };
}
const population: ListedChild[] = [
  ...Array.from({ length: 36 }, (_, i) => child(i)),
  child(36, { age: null }),
  child(37, { age: null, familyId: null }),
];

const base: SampleRequest = {
  population,
  strata: lambethStrata,
  seed: 'neglect-audit-2026',
  lookbackDays: 365,
  drawnOn: '2026-06-30',
  audited: [],
};

const keys = (request: SampleRequest) => drawAuditSample(request).children.map((c) => c.childKey);

describe('audit samples (METRICS.md §13)', () => {
  it('orders by sha256(seed || ":" || la_child_id)', () => {
    expect(orderKey('s1', 'LA0001')).toBe(createHash('sha256').update('s1:LA0001').digest('hex'));
    const sample = drawAuditSample(base);
    for (const stratum of sample.strata) {
      const order = stratum.drawn.map((c) => c.orderKey);
      expect(order).toEqual([...order].sort());
      expect(stratum.drawn.map((c) => c.rank)).toEqual([1, 2, 3, 4]);
    }
  });

  it('gives the identical sample for the same seed, and a different one for another seed', () => {
    expect(drawAuditSample(base)).toEqual(drawAuditSample({ ...base, population: [...population].reverse() }));
    expect(keys(base)).toEqual(keys(base));
    expect(keys({ ...base, seed: 'another seed' })).not.toEqual(keys(base));
  });

  it('draws exactly n per stratum from the children of that age, and counts the population per stratum', () => {
    const sample = drawAuditSample(base);
    // 12 children in each of 0–5, 6–11, 12–17; the two without an age are outside every stratum.
    expect(sample.strata.map((s) => [s.key, s.population, s.drawn.length, s.short])).toEqual([
      ['age_0_5', 12, 4, false],
      ['age_6_11', 12, 4, false],
      ['age_12_17', 12, 4, false],
    ]);
    expect(sample.outsideStrata).toBe(2);
    expect(sample.children).toHaveLength(12);
    const ageOf = new Map(population.map((c) => [c.childKey, c.age]));
    for (const drawn of sample.children) {
      const [, from, to] = drawn.stratum.split('_').map(Number);
      expect(ageOf.get(drawn.childKey)).toBeGreaterThanOrEqual(from!);
      expect(ageOf.get(drawn.childKey)).toBeLessThanOrEqual(to!);
    }
  });

  it('skips a child audited 200 days ago under a 365-day look-back, but not one audited 400 days ago', () => {
    const first = drawAuditSample(base).strata[1]!.drawn[0]!;
    // 2026-06-30 − 200 days = 2025-12-12; − 400 days = 2025-05-26.
    const recent = drawAuditSample({ ...base, audited: [{ childKey: first.childKey, drawnOn: '2025-12-12' }] });
    expect(recent.children.map((c) => c.childKey)).not.toContain(first.childKey);
    expect(recent.strata[1]!.recentlyAudited).toBe(1);
    expect(recent.strata[1]!.drawn).toHaveLength(4);
    const longAgo = drawAuditSample({ ...base, audited: [{ childKey: first.childKey, drawnOn: '2025-05-26' }] });
    expect(longAgo.strata[1]!.drawn[0]!.childKey).toBe(first.childKey);
    expect(longAgo.strata[1]!.recentlyAudited).toBe(0);
    // The look-back is the request's: 400 days ago is inside a 450-day one.
    const wider = drawAuditSample({
      ...base,
      lookbackDays: 450,
      audited: [{ childKey: first.childKey, drawnOn: '2025-05-26' }],
    });
    expect(wider.children.map((c) => c.childKey)).not.toContain(first.childKey);
  });

  it('never draws two children of one family, whichever the seed', () => {
    const familyOf = new Map(population.map((c) => [c.childKey, c.familyId]));
    let passedOver = 0;
    for (let s = 0; s < 40; s += 1) {
      // F1's three (aged 1 and 3, and 8 in the next stratum) can give one child at most.
      const sample = drawAuditSample({
        ...base,
        seed: `seed-${s}`,
        strata: {
          by: 'age',
          ranges: [
            { from: 0, to: 5, n: 6 },
            { from: 6, to: 11, n: 6 },
          ],
        },
      });
      const families = sample.children.map((c) => familyOf.get(c.childKey));
      expect(new Set(families).size, `seed-${s}`).toBe(families.length);
      expect(families.filter((f) => f === 'F1').length, `seed-${s}`).toBeLessThanOrEqual(1);
      passedOver += sample.strata.reduce((sum, x) => sum + x.siblingsPassedOver, 0);
    }
    // Over 40 seeds the second sibling is reached before the stratum fills at least once.
    expect(passedOver).toBeGreaterThan(0);
  });

  it('takes every eligible child of a stratum with fewer than n, and says so', () => {
    // Ages 16 and 17 only: children 16, 17, 34, 35, one of whom was audited last month.
    const sample = drawAuditSample({
      ...base,
      strata: { by: 'age', ranges: [{ from: 16, to: 17, n: 4 }] },
      audited: [{ childKey: 17, drawnOn: '2026-05-31' }],
    });
    const [stratum] = sample.strata;
    expect(stratum!.population).toBe(4);
    expect(stratum!.drawn.map((c) => c.childKey).sort((a, b) => a - b)).toEqual([18, 35, 36]);
    expect(stratum!.short).toBe(true);
    expect(shortfallSentences(sample)).toEqual([
      'Aged 16–17: 3 drawn of 4 asked for — every eligible child in the stratum was taken ' +
        '(4 on the list, 1 audited within the look-back, 0 brothers or sisters of children already drawn).',
    ]);
    expect(shortfallSentences(drawAuditSample(base))).toEqual([]);
  });

  it('counts a child listed twice (two plans) once', () => {
    const twice = drawAuditSample({ ...base, population: [...population, child(5)] });
    expect(twice.strata[0]!.population).toBe(12);
    expect(twice).toEqual(drawAuditSample(base));
  });

  it('stratifies by ethnic group or sex, n per group', () => {
    const byEthnicity = drawAuditSample({ ...base, strata: { by: 'ethnicity', n: 2 } });
    // white, mixed and black have 38 / 3 ≈ 13 children each; the other groups have none.
    expect(byEthnicity.strata.map((s) => [s.key, s.population, s.drawn.length])).toEqual([
      ['ethnicity_white', 13, 2],
      ['ethnicity_mixed', 13, 2],
      ['ethnicity_asian', 0, 0],
      ['ethnicity_black', 12, 2],
      ['ethnicity_other', 0, 0],
      ['ethnicity_unknown', 0, 0],
    ]);
    const bySex = drawAuditSample({ ...base, strata: { by: 'sex', n: 3 } });
    expect(bySex.strata.map((s) => [s.label, s.population, s.drawn.length])).toEqual([
      ['Male', 19, 3],
      ['Female', 19, 3],
      ['Not recorded', 0, 0],
    ]);
  });

  it('refuses strata it cannot draw', () => {
    expect(strataProblem(lambethStrata)).toBeUndefined();
    expect(strataProblem({ by: 'sex', n: 3 })).toBeUndefined();
    expect(
      strataProblem({
        by: 'age',
        ranges: [
          { from: 0, to: 5, n: 4 },
          { from: 5, to: 11, n: 4 },
        ],
      }),
    ).toBe('age ranges must not overlap');
    expect(strataProblem({ by: 'age', ranges: [{ from: 0, to: 5, n: 0 }] })).toMatch(/whole number from 1/);
    expect(strataProblem({ by: 'age', ranges: [{ from: 6, to: 5, n: 1 }] })).toMatch(/from not after to/);
    expect(strataProblem({ by: 'postcode', n: 1 })).toMatch(/'age', 'ethnicity' or 'sex'/);
    expect(strataProblem(null)).toBeDefined();
  });
});

describe('audit findings on board output (METRICS.md §7)', () => {
  // Twelve children judged. Drift: yes 3, no 9. Quality: outstanding 0, good 7, requires improvement 3,
  // inadequate 2. Progress: positive 8, partial 4, none 0. Missed: escalation 6, proceedings 2.
  const counts: Record<string, Record<string, number>> = {
    quality: { outstanding: 0, good: 7, requires_improvement: 3, inadequate: 2 },
    drift: { yes: 3, no: 9 },
    missed: { early_help: 0, escalation: 6, proceedings: 2 },
    progress: { positive: 8, partial: 4, none: 0 },
  };
  const rows: FindingRow[] = judgementFields.flatMap((f) =>
    f.options.map((o) => ({
      field: f.key,
      value: o.value,
      count: counts[f.key]?.[o.value] ?? 6,
      judged: 12,
      ci_low: 0.1,
      ci_high: 0.9,
    })),
  );
  const shown = suppressFindingFields(findingFields(rows));
  const countsOf = (key: string) => shown.find((f) => f.key === key)!.shares.map((s) => s.count);

  it('hides 1–5 and, in a single-answer field, the smallest other non-zero count when one is hidden', () => {
    // Drift: yes 3 is c; no 9 would give it back (12 − 9), so it is c too.
    expect(countsOf('drift')).toEqual(['c', 'c']);
    // Quality: two cells already c, so no secondary; 0 stays 0.
    expect(countsOf('quality')).toEqual([0, 7, 'c', 'c']);
    // Progress: partial 4 is c; the smallest other non-zero is positive 8.
    expect(countsOf('progress')).toEqual(['c', 'c', 0]);
    // Missed opportunities: each option stands alone (its complement is not shown).
    expect(countsOf('missed')).toEqual([0, 6, 'c']);
    const escalation = shown.find((f) => f.key === 'missed')!.shares[1]!;
    expect([escalation.share, escalation.ciLow]).toEqual([0.5, 0.1]);
    const proceedings = shown.find((f) => f.key === 'missed')!.shares[2]!;
    expect([proceedings.share, proceedings.ciLow, proceedings.ciHigh]).toEqual(['c', 'c', 'c']);
    expect(shown.every((f) => f.judged === 12)).toBe(true);
  });
});
