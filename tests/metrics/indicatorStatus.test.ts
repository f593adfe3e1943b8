import { describe, expect, it } from 'vitest';
import { mdcAssurance, mdcVariation, statusAt, trajectoryAt } from '../../metrics/indicatorStatus.ts';
import type { SpcLimits } from '../../metrics/contract/types.ts';

/**
 * METRICS.md §13 "Indicators and targets", at each boundary. The trajectory is "the straight line
 * from the baseline value at the end of the baseline period to the target value at the target date".
 *
 * Fixture: baseline 40 at 2025-03-31, target 30 at 2026-03-31 (365 days later), better = down.
 * At 2025-09-30 (183 days on) the trajectory is 40 − 10 × 183/365 = 34.986301369863...
 */
const baseline = { to: '2025-03-31', value: 40 };
const target = { value: 30, date: '2026-03-31' };
const halfway = 40 - (10 * 183) / 365;

describe('trajectory', () => {
  it('runs straight from the baseline at its end to the target at its date, and stays there', () => {
    expect(trajectoryAt(baseline, target, '2025-03-31')).toBe(40);
    expect(trajectoryAt(baseline, target, '2025-09-30')).toBeCloseTo(halfway, 12);
    expect(trajectoryAt(baseline, target, '2026-03-31')).toBe(30);
    // After the target date the line has arrived; before the baseline's end it has not started.
    expect(trajectoryAt(baseline, target, '2026-12-31')).toBe(30);
    expect(trajectoryAt(baseline, target, '2024-12-31')).toBe(40);
  });
});

describe('status (better = down)', () => {
  it('on the trajectory exactly is on_track ("on the trajectory or on its better side")', () => {
    // The trajectory interpolated by days is a float: the same float, however computed, is on it.
    expect(statusAt(halfway, '2025-09-30', 'down', baseline, target)).toBe('on_track');
    expect(statusAt(34, '2025-09-30', 'down', baseline, target)).toBe('on_track');
  });
  it('worse than the trajectory but equal to the baseline is off_track ("equal to the baseline or better")', () => {
    expect(statusAt(40, '2025-09-30', 'down', baseline, target)).toBe('off_track');
    expect(statusAt(35.5, '2025-09-30', 'down', baseline, target)).toBe('off_track');
  });
  it('worse than the baseline is worse_than_baseline', () => {
    expect(statusAt(40.1, '2025-09-30', 'down', baseline, target)).toBe('worse_than_baseline');
  });
  it('at the baseline date the trajectory is the baseline: equal is on_track', () => {
    expect(statusAt(40, '2025-03-31', 'down', baseline, target)).toBe('on_track');
  });
  it('no target is no_target, whatever the value', () => {
    expect(statusAt(99, '2025-09-30', 'down', baseline, null)).toBe('no_target');
  });
});

describe('status (better = up)', () => {
  // Baseline 20 at 2025-03-31 rising to 30 at 2026-03-31: halfway (183 days) 20 + 10 × 183/365.
  const up = { to: '2025-03-31', value: 20 };
  const goal = { value: 30, date: '2026-03-31' };
  const line = 20 + (10 * 183) / 365;
  it('reads the sides the other way', () => {
    expect(statusAt(line, '2025-09-30', 'up', up, goal)).toBe('on_track');
    expect(statusAt(25.1, '2025-09-30', 'up', up, goal)).toBe('on_track');
    expect(statusAt(20, '2025-09-30', 'up', up, goal)).toBe('off_track');
    expect(statusAt(19.9, '2025-09-30', 'up', up, goal)).toBe('worse_than_baseline');
  });
});

describe('Making Data Count readings', () => {
  const limits = (lpl: number, upl: number): SpcLimits => ({
    upl,
    lpl,
    upper_2s: 0,
    lower_2s: 0,
    upper_1s: 0,
    lower_1s: 0,
  });
  it('assurance: pass when both limits are on the better side of the target, fail when both are worse', () => {
    // better = down, target 30: limits 20–28 both below (better) → pass; 32–40 both above → fail.
    expect(mdcAssurance(limits(20, 28), 15, 'down', target)).toBe('pass');
    expect(mdcAssurance(limits(32, 40), 15, 'down', target)).toBe('fail');
    // better = up reverses it.
    expect(mdcAssurance(limits(20, 28), 15, 'up', target)).toBe('fail');
    expect(mdcAssurance(limits(32, 40), 15, 'up', target)).toBe('pass');
  });
  it('assurance: limits straddling the target are hit_and_miss; a limit exactly on it counts as its better side', () => {
    expect(mdcAssurance(limits(25, 35), 15, 'down', target)).toBe('hit_and_miss');
    expect(mdcAssurance(limits(25, 35), 15, 'up', target)).toBe('hit_and_miss');
    expect(mdcAssurance(limits(22, 30), 15, 'down', target)).toBe('pass');
    expect(mdcAssurance(limits(30, 38), 15, 'up', target)).toBe('pass');
  });
  it('assurance: none below 15 points ("none with fewer than 15 points"), without limits or without a target', () => {
    expect(mdcAssurance(limits(20, 28), 14, 'down', target)).toBeNull();
    expect(mdcAssurance(null, 20, 'down', target)).toBeNull();
    expect(mdcAssurance(limits(20, 28), 20, 'down', null)).toBeNull();
  });
  it('variation: the SPC reading in MDC words; a gap is not judged', () => {
    expect(mdcVariation('special_cause_improvement')).toBe('improvement');
    expect(mdcVariation('special_cause_concern')).toBe('concern');
    expect(mdcVariation('special_cause_neither')).toBe('neither');
    expect(mdcVariation('common_cause')).toBe('common_cause');
    expect(mdcVariation(null)).toBeNull();
  });
});
