import type {
  Better,
  IndicatorStatus,
  IsoDate,
  MdcAssurance,
  MdcVariation,
  SpcLimits,
  Variation,
} from './contract/types.ts';
import { xmrMinimumPoints } from './spc.ts';

/**
 * An indicator's trajectory, status and Making Data Count readings (METRICS.md §13 "Indicators and
 * targets"), as pure functions of numbers already computed: the series and its SPC come from the
 * metrics layer, this module only judges them, so every boundary of §13 is tested without a warehouse.
 */

export interface Baseline {
  /** The end of the baseline period: where the trajectory starts. */
  to: IsoDate;
  value: number;
}

export interface Target {
  value: number;
  date: IsoDate;
}

/**
 * Values closer than this (relative) are equal: a trajectory interpolated by days is a float, and a
 * value "on the trajectory exactly" must not fall a rounding error to its worse side.
 */
const tolerance = 1e-9;

const days = (iso: IsoDate) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/**
 * The trajectory at a date: "the straight line from the baseline value at the end of the baseline
 * period to the target value at the target date" (§13). Before the baseline's end it is the baseline;
 * after the target date, the target (the line has reached where it was going).
 */
export function trajectoryAt(baseline: Baseline, target: Target, at: IsoDate): number {
  const start = days(baseline.to);
  const end = days(target.date);
  const t = days(at);
  if (end <= start || t >= end) return t >= end ? target.value : baseline.value;
  if (t <= start) return baseline.value;
  return baseline.value + ((target.value - baseline.value) * (t - start)) / (end - start);
}

/** -1 when `value` is on the worse side of `line`, 0 on it (within tolerance), 1 on the better side. */
export function sideOf(value: number, line: number, better: Better): -1 | 0 | 1 {
  const scale = Math.max(1, Math.abs(value), Math.abs(line));
  if (Math.abs(value - line) <= tolerance * scale) return 0;
  const above = value > line;
  return above === (better === 'up') ? 1 : -1;
}

/**
 * §13 status at a period: `on_track` on the trajectory or its better side; `off_track` worse than the
 * trajectory but equal to the baseline or better; `worse_than_baseline`; `no_target` without a target.
 */
export function statusAt(
  value: number,
  at: IsoDate,
  better: Better,
  baseline: Baseline | null,
  target: Target | null,
): IndicatorStatus {
  if (!target || !baseline) return 'no_target';
  if (sideOf(value, trajectoryAt(baseline, target, at), better) >= 0) return 'on_track';
  return sideOf(value, baseline.value, better) >= 0 ? 'off_track' : 'worse_than_baseline';
}

/**
 * The MDC variation icon of a judged point: special cause is an improvement or a concern by the
 * better direction (the SPC already made that call, METRICS.md §13 "SPC rules"); null for a gap.
 */
export function mdcVariation(variation: Variation | null): MdcVariation | null {
  switch (variation) {
    case 'special_cause_improvement':
      return 'improvement';
    case 'special_cause_concern':
      return 'concern';
    case 'special_cause_neither':
      return 'neither';
    case 'common_cause':
      return 'common_cause';
    default:
      return null;
  }
}

/**
 * The MDC assurance icon: `pass` when both process limits lie on the better side of the target,
 * `fail` when both lie on its worse side, otherwise `hit_and_miss`; none below 15 points (a run
 * chart has no limits) or without a target. A limit exactly on the target counts as its better side,
 * as a value on the trajectory counts as on track: the process can still meet it.
 */
export function mdcAssurance(
  limits: SpcLimits | null,
  pointsInLimits: number,
  better: Better,
  target: Target | null,
): MdcAssurance | null {
  if (!limits || !target || pointsInLimits < xmrMinimumPoints) return null;
  const upper = sideOf(limits.upl, target.value, better);
  const lower = sideOf(limits.lpl, target.value, better);
  if (upper >= 0 && lower >= 0) return 'pass';
  if (upper < 0 && lower < 0) return 'fail';
  return 'hit_and_miss';
}
