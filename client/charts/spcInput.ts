import type { SpcLimits, SpcPoint } from '../../metrics/contract/types.ts';
import type { SpcChartLimits, SpcChartPoint } from './spcChart.ts';

/**
 * What the API judged (METRICS.md §13), as the SPC chart draws it: each point with its signal and
 * words, a suppressed quarter as a c mark and a break, never a value; the limits and σ bands of the
 * stretch that judges the latest point. The pack's neglect trend, its care trend and every
 * indicator's chart are drawn from the same judgement through these two functions.
 */
export function spcChartPoints(points: readonly SpcPoint[]): SpcChartPoint[] {
  return points.map((p) => ({
    date: p.period_to,
    value: p.value,
    signal: p.variation,
    rules: p.rules,
    suppressed: p.suppressed,
    words: p.signal_words,
  }));
}

export function spcChartLimits(judged: {
  chart: 'xmr' | 'run';
  centre: number | null;
  limits: SpcLimits | null;
  baseline: { from: string; to: string } | null;
}): SpcChartLimits {
  const { limits } = judged;
  return {
    chart: judged.chart,
    centre: judged.centre ?? 0,
    upper: limits?.upl,
    lower: limits?.lpl,
    sigma1: limits ? [limits.lower_1s, limits.upper_1s] : undefined,
    sigma2: limits ? [limits.lower_2s, limits.upper_2s] : undefined,
    baseline: judged.baseline ?? undefined,
  };
}
