import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, partnershipName } from '../../sql/config.ts';
import { completePack, executiveSummary, quarterWords, type SummaryInput } from '../../metrics/summary.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

/** A hand-built board pack: only what the summary reads, with numbers chosen so each rule is visible. */
function pack(overrides: Partial<SummaryInput> = {}): SummaryInput {
  const limits = { upl: 20.9, lpl: 8.1 };
  const points = Array.from({ length: 20 }, (_, i) => {
    const quarterEnds = ['03-31', '06-30', '09-30', '12-31'];
    const year = 2021 + Math.floor((i + 1) / 4);
    return {
      period_to: `${year}-${quarterEnds[(i + 1) % 4]}`,
      value: 14.5,
      rules: [] as string[],
      variation: 'common_cause' as string | null,
    };
  });
  // The last point is the pack's quarter, 2026-03-31.
  points[19] = { period_to: '2026-03-31', value: 21.3, rules: ['outside_limits'], variation: 'special_cause_neither' };
  return {
    period: { from: '2026-01-01', to: '2026-03-31' },
    previousPeriod: { from: '2025-10-01', to: '2025-12-31' },
    figures: {
      prevalence: {
        cp_open_neglect_initial: 127,
        neglect_any_stage_children: 300,
        cp_open: 'c',
        cp_open_rate_per_10k: 30.0,
      },
      percentages: {
        cp_starts_second_or_subsequent_pct: 30.4,
        rereferrals_12m_pct: 'c',
        cp_open_2y_plus_pct: 2.5,
        assessments_neglect_pct: 17.0,
      },
    },
    previous: {
      prevalence: { cp_open_neglect_initial: 114, neglect_any_stage_children: 300, cp_open: 240 },
      percentages: { cp_starts_second_or_subsequent_pct: 24.7, rereferrals_12m_pct: 20.0, cp_open_2y_plus_pct: 2.4 },
    },
    neglectTrend: { spc: { chart: 'xmr', n_points: 20, limits, points } },
    benchmarks: {
      year: 2025,
      region: 'North West',
      measures: {
        // 30.0 is below all three: outside the range.
        cp_open_rate_per_10k: {
          england: 40.6,
          region: 50.9,
          statistical_neighbours: { mean: 54.5, count: 10 },
          basis: 'at_31_march',
        },
        // 30.4 is above all three.
        cp_starts_second_or_subsequent_pct: {
          england: 24.5,
          region: 23.3,
          statistical_neighbours: { mean: 23.9, count: 10 },
          basis: 'in_year',
        },
        // 2.5 lies between England (2.3) and neighbours (2.8): inside.
        cp_open_2y_plus_pct: {
          england: 2.3,
          region: 2.0,
          statistical_neighbours: { mean: 2.8, count: 9 },
          basis: 'at_31_march',
        },
        // Local value suppressed: never mentioned.
        rereferrals_12m_pct: {
          england: 22.6,
          region: 21.7,
          statistical_neighbours: { mean: 20.9, count: 10 },
          basis: 'in_year',
        },
      },
    },
    laName: 'Northbury',
    ...overrides,
  };
}

const allText = (s: ReturnType<typeof executiveSummary>) => [...s.changes, ...s.signals, ...s.outsideRange].join('\n');

describe('executive summary', () => {
  it('names the largest moves among the headline figures, with both numbers, largest first', () => {
    const { changes } = executiveSummary(pack());
    // Relative moves: repeat share 24.7 → 30.4 is +23%; neglect plans 114 → 127 is +11%; 2.4 → 2.5 is +4%;
    // any-stage 300 → 300 did not move; cp_open and re-referrals are c in one quarter.
    expect(changes[0]).toBe(
      'The share of new plans that were a second or subsequent plan rose from 24.7% to 30.4% (5.7 percentage points) since the previous quarter (October to December 2025).',
    );
    expect(changes[1]).toBe(
      'Children on a child protection plan for neglect rose from 114 to 127 (up 11%) since the previous quarter (October to December 2025).',
    );
    expect(changes[2]).toContain('plans open for 2 years or more rose from 2.4% to 2.5%');
    expect(changes[3]).toBe(
      'Two headline figures are too small to publish in one of the two quarters, so their changes are not described.',
    );
    expect(changes).toHaveLength(4);
  });

  it('says so when nothing moved', () => {
    const still = pack({ previous: pack().figures });
    expect(executiveSummary(still).changes[0]).toBe(
      'None of the headline figures changed since the previous quarter (October to December 2025).',
    );
  });

  it('names an SPC signal in this quarter with the limit it crossed, and earlier signals by their quarter', () => {
    expect(executiveSummary(pack()).signals).toEqual([
      'The rate of children on a child protection plan for neglect this quarter (21.3 per 10,000 children) is a signal of change: above the upper process limit of 20.9.',
    ]);
    const base = pack();
    const points = base.neglectTrend.spc.points.map((p, i) =>
      i === 19
        ? { ...p, value: 14, rules: [], variation: 'common_cause' }
        : i === 15 || i === 16
          ? { ...p, rules: ['shift'], variation: 'special_cause_concern' }
          : p,
    );
    const quiet = executiveSummary(pack({ neglectTrend: { spc: { ...base.neglectTrend.spc, points } } }));
    expect(quiet.signals[0]).toBe(
      'The rate of children on a child protection plan for neglect this quarter shows no signal of change: it is within the range the last 20 quarters would lead us to expect.',
    );
    expect(quiet.signals[1]).toBe(
      'Two earlier quarters on the chart showed a signal, the latest in the quarter to 30 June 2025.',
    );
  });

  it('does not test for signals on a run chart (too few points)', () => {
    const base = pack();
    const run = executiveSummary(
      pack({ neglectTrend: { spc: { chart: 'run', limits: null, points: base.neglectTrend.spc.points.slice(0, 9) } } }),
    );
    expect(run.signals).toEqual([
      'The rate of children on a child protection plan for neglect has 9 quarters with a published figure: too few to test for signals of change (statistical process control needs 15).',
    ]);
  });

  it('lists what lies outside England, the region and neighbours, never a suppressed figure', () => {
    const { outsideRange } = executiveSummary(pack());
    expect(outsideRange).toEqual([
      'The rate of children on a child protection plan (30.0 per 10,000) is lower than England (40.6 per 10,000), North West (50.9 per 10,000) and statistical neighbours (54.5 per 10,000); DfE figures for the year to 31 March 2025.',
      'The share of new plans that were a second or subsequent plan (30.4%) is higher than England (24.5%), North West (23.3%) and statistical neighbours (23.9%); DfE figures for the year to 31 March 2025.',
    ]);
  });

  it('compares the neglect share of open plans with England', () => {
    const base = pack();
    const figures = {
      ...base.figures,
      percentages: { ...(base.figures as any).percentages, cp_open_neglect_initial_pct: 52.6 },
    };
    const measures = {
      cp_open_neglect_initial_pct: {
        england: 48.0,
        region: null,
        statistical_neighbours: { mean: null, count: 0 },
        basis: 'at_31_march' as const,
      },
    };
    const { outsideRange } = executiveSummary(
      pack({ figures, benchmarks: { year: 2025, region: 'North West', measures } }),
    );
    expect(outsideRange).toEqual([
      'The share of open plans with neglect as the initial category (52.6%) is higher than England (48.0%); ' +
        'DfE figures for the year to 31 March 2025.',
    ]);
  });

  it('compares an at-31-March figure only in the January to March pack', () => {
    const december = executiveSummary(
      pack({
        period: { from: '2025-10-01', to: '2025-12-31' },
        previousPeriod: { from: '2025-07-01', to: '2025-09-30' },
      }),
    );
    expect(december.outsideRange.join(' ')).not.toContain('rate of children on a child protection plan');
    expect(december.outsideRange[0]).toContain('second or subsequent');
  });

  it('places the partnership on the funnel of all LAs when it lies beyond a limit', () => {
    const repeatFunnel = {
      year: 2025,
      points: [{ label: 'Northbury (local data)', numerator: 30, denominator: 60, highlight: true }],
      limits: [
        { n: 50, lower95: 0.13, upper95: 0.37, lower998: 0.07, upper998: 0.44 },
        { n: 60, lower95: 0.14, upper95: 0.36, lower998: 0.08, upper998: 0.42 },
      ],
    };
    const { outsideRange } = executiveSummary(pack({ repeatFunnel }));
    expect(outsideRange).toContain(
      "Northbury's second or subsequent plans in the year to 31 March 2025 (50.0%) lie above the upper 99.8% limit (42.0%) of the funnel of all English local authorities.",
    );
  });

  it('is plain English: no ISO dates, no figure codes, no value of a suppressed figure', () => {
    for (const input of [pack(), pack({ previous: pack().figures })]) {
      const text = allText(executiveSummary(input));
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(text).not.toMatch(/[a-z]+_[a-z0-9_]+/); // cp_open, rereferrals_12m_pct …
      expect(text).not.toMatch(/\bc\b/);
      // Re-referrals are c this quarter: their England figure may appear nowhere as a comparison.
      expect(text).not.toContain('re-referral within 12 months (');
    }
  });

  it('completes the pack with the partnership (default name from the LA) and the summary', () => {
    const done = completePack(pack(), { la_code: '990', la_name: 'Northbury' });
    expect(done.partnership).toEqual({
      name: 'Northbury Safeguarding Children Partnership',
      la_name: 'Northbury',
      la_code: '990',
    });
    expect(done.summary.changes[0]).toContain('second or subsequent');
    const named = completePack(pack(), {
      la_code: '990',
      la_name: 'Northbury',
      partnership_name: 'Northbury and Dale Partnership',
    });
    expect(named.partnership.name).toBe('Northbury and Dale Partnership');
  });

  it('names quarters in words', () => {
    expect(quarterWords({ from: '2025-10-01', to: '2025-12-31' })).toBe('October to December 2025');
  });
});

describe('partnership_name in lscb.config.json', () => {
  const write = (config: object) => {
    const path = join(tempDir('partnership'), 'lscb.config.json');
    writeFileSync(path, JSON.stringify(config));
    return path;
  };

  it('is optional: the default is "<LA> Safeguarding Children Partnership", as the demo prints', () => {
    const config = loadConfig(write({ la_code: '990', la_name: 'Northbury', benchmark_la_code: '350' }));
    expect(config.partnership_name).toBeUndefined();
    expect(partnershipName(config)).toBe('Northbury Safeguarding Children Partnership');
  });

  it('is taken as written, trimmed, and refused when it is not a name', () => {
    const named = loadConfig(
      write({ la_code: '350', la_name: 'Bolton', partnership_name: '  Bolton Safeguarding Children Partnership ' }),
    );
    expect(partnershipName(named)).toBe('Bolton Safeguarding Children Partnership');
    for (const bad of ['', '   ', 42, 'x'.repeat(201)]) {
      expect(() => loadConfig(write({ la_code: '350', la_name: 'Bolton', partnership_name: bad }))).toThrow(
        ConfigError,
      );
    }
  });
});
