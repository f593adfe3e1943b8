import { extent, line, scaleLinear, scaleUtc, utcFormat, type ScaleLinear, type ScaleTime } from 'd3';
import { bottomAxis, leftAxis } from './axes.ts';
import { formatRate } from '../format.ts';
import {
  attachFocusTooltip,
  chartFrame,
  listInWords,
  mark,
  round,
  rovingMarkFocus,
  shapePath,
  spreadLabels,
  type MarkShape,
} from './accessibility.ts';
import { suppressedMark } from './axes.ts';
import { annotationSentence, drawAnnotations, type ChartAnnotation } from './annotationMarkers.ts';
import { neutral, okabeIto, spcSignalColour } from './palette.ts';

export type SpcSignal =
  'common_cause' | 'special_cause_improvement' | 'special_cause_concern' | 'special_cause_neither';

/** One period of the series; `signal` is null for a gap (a period with no value). */
export interface SpcChartPoint {
  date: string;
  value: number | null;
  signal: SpcSignal | null;
  /** The rules the point is part of, e.g. 'outside_limits', 'shift', 'trend', 'two_of_three'. */
  rules: string[];
  /**
   * A suppressed count (METRICS.md §7): the line breaks and a labelled c mark stands at its date,
   * at the foot of the plot, never at a height that could be read as its value.
   */
  suppressed?: boolean;
  /** The rules in the words of the API's table (SpcPoint.signal_words), used in the point's label. */
  words?: string;
}

export interface SpcChartLimits {
  /** An XmR chart has a mean and process limits; a run chart (fewer than 15 points) only its mean (METRICS.md §13). */
  chart: 'xmr' | 'run';
  centre: number;
  upper?: number | undefined;
  lower?: number | undefined;
  /** [lower, upper] one and two sigma lines (METRICS.md §13: mean ± 1/3 and 2/3 of 2.66 MR̄), drawn as bands. */
  sigma1?: [number, number] | undefined;
  sigma2?: [number, number] | undefined;
  /** The points the limits come from, for the description ("limits from Sep 2015 to Mar 2019"). */
  baseline?: { from: string; to: string } | undefined;
}

export interface SpcChartOptions {
  title: string;
  limits: SpcChartLimits;
  width?: number;
  height?: number;
  /** What the values are, shown above the y axis and used in the description ("rate per 10,000"). */
  valueLabel?: string;
  /** Appended to every number on screen and in words, e.g. '%'. */
  unit?: string;
  /** The 1σ and 2σ bands, drawn whenever the limits carry them unless this is false. */
  showSigma?: boolean;
  /** False for print or small multiples: no tab stops, and the chart is a plain role="img". */
  interactive?: boolean;
  id?: string;
  /**
   * Notes of practice (METRICS.md §13 annotations), each a numbered marker at its date; a process
   * change is drawn solid (its limits are recalculated from there), any other note dashed.
   */
  annotations?: ChartAnnotation[];
  /** An indicator's target, drawn as a line with its value and date, and its trajectory from the baseline. */
  target?: { value: number; date: string; trajectory: { date: string; value: number }[] };
}

export type { ChartAnnotation as SpcChartAnnotation } from './annotationMarkers.ts';

/** Shape, colour and words for each signal, so no reader needs the colour (WCAG 1.4.1). */
export const spcSignalStyle: Record<SpcSignal, { shape: MarkShape; words: string; fill: string; stroke: string }> = {
  common_cause: { shape: 'circle', words: 'common cause', ...spcSignalColour.common_cause },
  special_cause_improvement: {
    shape: 'square',
    words: 'special cause (improvement)',
    ...spcSignalColour.special_cause_improvement,
  },
  special_cause_concern: {
    shape: 'triangle',
    words: 'special cause (concern)',
    ...spcSignalColour.special_cause_concern,
  },
  special_cause_neither: {
    shape: 'diamond',
    words: 'special cause (neither improvement nor concern)',
    ...spcSignalColour.special_cause_neither,
  },
};

// The rules as METRICS.md §13 states them, for a chart given rules without the API's words.
const ruleWords: Record<string, string> = {
  outside_limits: 'outside a process limit',
  shift: '7 or more in a row on one side of the mean',
  trend: '7 in a row each higher or each lower',
  two_of_three: '2 of 3 beyond a 2σ line',
};

const parseDate = (iso: string) => {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`SPC chart: ${JSON.stringify(iso)} is not a YYYY-MM-DD date`);
  return date;
};
const monthLabel = utcFormat('%b %Y');
// Special-cause points a little larger than common cause: they are what the board should see first.
const markSize = { common: 60, special: 80 };

/**
 * An SPC chart after NHS England's "Making Data Count": the series, its centre line and (XmR
 * only) dashed process limits, each labelled in words at the right; every point coloured and
 * shaped by its signal and reachable by keyboard, its details in a <title> and a visible tooltip.
 */
export function spcChart(points: SpcChartPoint[], options: SpcChartOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const height = options.height ?? 320;
  const margin = { top: 24, right: 150, bottom: 32, left: 52 };
  const interactive = options.interactive ?? true;
  const unit = options.unit ?? '';
  const format = (value: number) => `${formatRate(value)}${unit}`;
  const { limits } = options;
  const xmr = limits.chart === 'xmr';

  const dated = points.map((point) => ({ ...point, time: parseDate(point.date) }));
  const present = dated.filter(
    (point): point is typeof point & { value: number } => point.value !== null && Number.isFinite(point.value),
  );

  const lines: { key: string; value: number; label: string; dash: string | null; colour: string; weight: number }[] = [
    {
      key: 'centre',
      value: limits.centre,
      label: `Mean ${format(limits.centre)}`,
      dash: null,
      colour: neutral.ink,
      weight: 1.5,
    },
  ];
  if (xmr && limits.upper !== undefined) {
    lines.push({
      key: 'upper-limit',
      value: limits.upper,
      label: `Upper limit ${format(limits.upper)}`,
      dash: '6 4',
      colour: neutral.line,
      weight: 1.5,
    });
  }
  if (xmr && limits.lower !== undefined) {
    lines.push({
      key: 'lower-limit',
      value: limits.lower,
      label: `Lower limit ${format(limits.lower)}`,
      dash: '6 4',
      colour: neutral.line,
      weight: 1.5,
    });
  }
  const showSigma = xmr && options.showSigma !== false;
  if (showSigma) {
    for (const [name, pair] of [
      ['1σ', limits.sigma1],
      ['2σ', limits.sigma2],
    ] as const) {
      if (!pair) continue;
      lines.push({
        key: `sigma sigma-${name[0]}-low`,
        value: pair[0],
        label: `−${name}`,
        dash: '1 3',
        colour: neutral.line,
        weight: 1,
      });
      lines.push({
        key: `sigma sigma-${name[0]}-high`,
        value: pair[1],
        label: `+${name}`,
        dash: '1 3',
        colour: neutral.line,
        weight: 1,
      });
    }
  }
  const drawnLines = lines.filter((l) => Number.isFinite(l.value));

  const timeExtent = extent(dated, (d) => d.time);
  const [start, end] = timeExtent[0] && timeExtent[1] ? timeExtent : [new Date(0), new Date(0)];
  // A single period still needs a span to sit in the middle of.
  const halfMonth = 15 * 24 * 3600 * 1000;
  const x = scaleUtc()
    .domain(
      start.getTime() === end.getTime()
        ? [new Date(start.getTime() - halfMonth), new Date(end.getTime() + halfMonth)]
        : [start, end],
    )
    .range([margin.left, width - margin.right]);
  const values = [
    ...present.map((d) => d.value),
    ...drawnLines.map((l) => l.value),
    ...(options.target ? [options.target.value, ...options.target.trajectory.map((t) => t.value)] : []),
  ];
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (!Number.isFinite(low) || !Number.isFinite(high)) [low, high] = [0, 1];
  const pad = high > low ? (high - low) * 0.05 : Math.max(1, Math.abs(high) * 0.1);
  const y = scaleLinear()
    .domain([low - pad, high + pad])
    .nice()
    .range([height - margin.bottom, margin.top]);

  const { svg } = chartFrame('spc-chart', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(dated, present, options, format),
    interactive,
  });

  const ticks = tickDates(
    dated.map((d) => d.time),
    Math.max(2, Math.floor((width - margin.left - margin.right) / 90)),
  );
  bottomAxis(svg, height - margin.bottom, {
    scale: x,
    configure: (axis) => axis.tickValues(ticks).tickFormat((d) => monthLabel(d as Date)),
  });
  leftAxis(svg, margin.left, { scale: y, configure: (axis) => axis.ticks(6) });
  if (options.valueLabel) {
    svg
      .append('text')
      .attr('class', 'axis-label')
      .attr('x', margin.left)
      .attr('y', margin.top - 10)
      .attr('fill', neutral.line)
      .text(options.valueLabel);
  }

  // The σ bands behind everything: 2σ lighter, 1σ within it darker, so the zones read at a glance
  // (their values are labelled at the right and stated in the description).
  if (showSigma) {
    const bands = svg.append('g').attr('class', 'sigma-bands').attr('aria-hidden', 'true');
    for (const [name, pair, fill] of [
      ['2', limits.sigma2, '#f3f2f1'],
      ['1', limits.sigma1, '#e6e4e2'],
    ] as const) {
      if (!pair || !Number.isFinite(pair[0]) || !Number.isFinite(pair[1])) continue;
      bands
        .append('rect')
        .attr('class', `sigma-band sigma-band-${name}`)
        .attr('x', margin.left)
        .attr('width', width - margin.left - margin.right)
        .attr('y', round(y(pair[1])))
        .attr('height', round(Math.max(0, y(pair[0]) - y(pair[1]))))
        .attr('fill', fill);
    }
  }

  const reference = svg.append('g').attr('class', 'reference-lines');
  for (const l of drawnLines) {
    reference
      .append('line')
      .attr('class', `reference-line ${l.key}`)
      .attr('x1', margin.left)
      .attr('x2', width - margin.right)
      .attr('y1', round(y(l.value)))
      .attr('y2', round(y(l.value)))
      .attr('stroke', l.colour)
      .attr('stroke-width', l.weight)
      .attr('stroke-dasharray', l.dash);
  }
  const labels = spreadLabels(
    drawnLines.map((l) => ({ y: y(l.value), text: l.label, key: l.key })),
    14,
    margin.top,
    height - margin.bottom,
  );
  reference
    .append('g')
    .attr('class', 'line-labels')
    .selectAll('text')
    .data(labels)
    .join('text')
    .attr('class', (d) => `line-label ${d.key}`)
    .attr('x', width - margin.right + 6)
    .attr('y', (d) => round(d.y))
    .attr('dy', '0.32em')
    .attr('font-size', 12)
    .attr('fill', neutral.ink)
    .text((d) => d.text);

  if (options.target) drawTarget(svg, options.target, x, y, { left: margin.left, right: width - margin.right }, format);
  if (options.annotations?.length) {
    drawAnnotations(svg, options.annotations, x, { top: margin.top, bottom: height - margin.bottom }, [start, end]);
  }

  const path = line<(typeof dated)[number]>()
    .defined((d) => d.value !== null && Number.isFinite(d.value))
    .x((d) => x(d.time))
    .y((d) => y(d.value ?? 0))
    .digits(2);
  svg
    .append('path')
    .attr('class', 'series')
    .attr('fill', 'none')
    .attr('stroke', neutral.line)
    .attr('stroke-width', 1.5)
    .attr('d', path(dated));

  const marks = svg.append('g').attr('class', 'points').node()!;
  for (const point of present) {
    const signal = point.signal ?? 'common_cause';
    const style = spcSignalStyle[signal];
    const g = mark(marks, {
      x: x(point.time),
      y: y(point.value),
      label: pointLabel(point, signal, format),
      className: `point ${signal}`,
      focusable: interactive,
    });
    g.attr('data-signal', signal);
    g.append('path')
      .attr('class', `shape shape-${style.shape}`)
      .attr('data-shape', style.shape)
      .attr('d', shapePath(style.shape, signal === 'common_cause' ? markSize.common : markSize.special))
      .attr('fill', style.fill)
      .attr('stroke', style.stroke)
      .attr('stroke-width', signal === 'common_cause' ? 1.5 : 1);
  }
  // A suppressed point: the line already breaks there (defined() above); a labelled c mark at the
  // foot of the plot says why, at no height that could be read as a value.
  const hidden = dated.filter((point) => point.suppressed);
  if (hidden.length > 0) {
    const holder = svg.append('g').attr('class', 'suppressed-marks').node()!;
    for (const point of hidden) {
      const at = { x: x(point.time), y: height - margin.bottom - 12 };
      suppressedMark(holder, { ...at, label: monthLabel(point.time), className: 'spc-suppressed' });
    }
  }
  if (interactive) {
    attachFocusTooltip(svg, width);
    rovingMarkFocus(svg);
  }

  return svg.node()!;
}

/**
 * Ticks on the data's own dates, counted back from the latest so it is always labelled. Dates are
 * period ends (31 March); calendar ticks would put "Apr 2025" beside the point titled "Mar 2025".
 */
function tickDates(times: Date[], most: number): Date[] {
  const step = Math.max(1, Math.ceil(times.length / most));
  const ticks: Date[] = [];
  for (let i = times.length - 1; i >= 0; i -= step) ticks.unshift(times[i]!);
  return ticks;
}

function rulesInWords(rules: string[]): string {
  return rules.map((rule) => ruleWords[rule] ?? rule.replace(/_/g, ' ')).join(', ');
}

function pointLabel(
  point: { time: Date; value: number; rules: string[]; words?: string | undefined },
  signal: SpcSignal,
  format: (v: number) => string,
): string {
  if (point.words) return `${monthLabel(point.time)}: ${format(point.value)} — ${point.words}`;
  const words = spcSignalStyle[signal].words;
  const rules = signal === 'common_cause' || point.rules.length === 0 ? '' : `: ${rulesInWords(point.rules)}`;
  return `${monthLabel(point.time)}: ${format(point.value)} — ${words}${rules}`;
}

function describe(
  dated: { time: Date; value: number | null; suppressed?: boolean | undefined }[],
  present: { time: Date; value: number; signal: SpcSignal | null; rules: string[] }[],
  options: SpcChartOptions,
  format: (v: number) => string,
): string {
  const { limits } = options;
  const what = options.valueLabel ? ` of ${options.valueLabel}` : '';
  if (present.length === 0) return `${limits.chart === 'xmr' ? 'XmR' : 'Run'} chart${what}: no data for this period.`;
  const first = dated[0]!;
  const last = dated[dated.length - 1]!;
  const suppressed = dated.filter((d) => d.suppressed).length;
  const gaps = dated.length - present.length - suppressed;
  const missing = [
    suppressed > 0 ? `${suppressed} suppressed (c), shown as a c mark and a break in the line` : '',
    gaps > 0 ? `${gaps} with no value` : '',
  ].filter(Boolean);
  const counted = `${present.length} ${present.length === 1 ? 'point' : 'points'}`;
  const sentences = [
    `${limits.chart === 'xmr' ? 'XmR' : 'Run'} chart${what} from ${monthLabel(first.time)} to ${monthLabel(last.time)}, ` +
      `${counted}${missing.length ? ` and ${missing.join(' and ')}` : ''}.`,
  ];
  if (limits.chart === 'xmr') {
    const bounds = [
      limits.lower !== undefined ? `lower ${format(limits.lower)}` : '',
      limits.upper !== undefined ? `upper ${format(limits.upper)}` : '',
    ].filter(Boolean);
    const { baseline } = limits;
    const from = baseline
      ? ` from ${monthLabel(parseDate(baseline.from))} to ${monthLabel(parseDate(baseline.to))}`
      : '';
    const limitWords = bounds.length ? `; process limits ${bounds.join(', ')}` : '';
    sentences.push(`Mean${from} ${format(limits.centre)}${limitWords}.`);
    if (options.showSigma !== false && limits.sigma1 && limits.sigma2) {
      sentences.push(
        `Shaded bands mark 1σ (${format(limits.sigma1[0])} to ${format(limits.sigma1[1])}) ` +
          `and 2σ (${format(limits.sigma2[0])} to ${format(limits.sigma2[1])}) around the mean.`,
      );
    }
  } else {
    sentences.push(`Mean ${format(limits.centre)}; too few points for process limits, so no point is judged.`);
  }

  const special: string[] = [];
  for (const signal of ['special_cause_concern', 'special_cause_improvement', 'special_cause_neither'] as const) {
    const runs: (typeof present)[] = [];
    present.forEach((point, index) => {
      if (point.signal !== signal) return;
      const run = runs[runs.length - 1];
      const previous = run?.[run.length - 1];
      if (run && previous && present[index - 1] === previous) run.push(point);
      else runs.push([point]);
    });
    for (const run of runs) {
      const firstPoint = run[0]!;
      const lastPoint = run[run.length - 1]!;
      const when =
        run.length === 1
          ? monthLabel(firstPoint.time)
          : `${monthLabel(firstPoint.time)} to ${monthLabel(lastPoint.time)}`;
      const rules = [...new Set(run.flatMap((p) => p.rules))];
      const count = run.length === 1 ? '1 point' : `${run.length} points`;
      special.push(
        `${spcSignalStyle[signal].words} at ${count}, ${when}${rules.length ? ` (${rulesInWords(rules)})` : ''}`,
      );
    }
  }
  sentences.push(special.length ? `Signals: ${listInWords(special)}.` : 'Every point shows common cause variation.');

  const latest = present[present.length - 1]!;
  sentences.push(
    `Latest, ${monthLabel(latest.time)}: ${format(latest.value)}, ${spcSignalStyle[latest.signal ?? 'common_cause'].words}.`,
  );
  if (options.target) {
    sentences.push(
      `Target ${format(options.target.value)} by ${monthLabel(parseDate(options.target.date))}, drawn as a dotted line with the trajectory to it.`,
    );
  }
  if (options.annotations?.length) sentences.push(annotationSentence(options.annotations));
  return sentences.join(' ');
}

/** The target as a dotted line labelled at the right, and the trajectory to it as a thin line. */
function drawTarget(
  svg: ReturnType<typeof chartFrame>['svg'],
  target: NonNullable<SpcChartOptions['target']>,
  x: ScaleTime<number, number>,
  y: ScaleLinear<number, number>,
  plot: { left: number; right: number },
  format: (value: number) => string,
): void {
  const group = svg.append('g').attr('class', 'target');
  group
    .append('line')
    .attr('class', 'target-line')
    .attr('x1', plot.left)
    .attr('x2', plot.right)
    .attr('y1', round(y(target.value)))
    .attr('y2', round(y(target.value)))
    .attr('stroke', okabeIto.bluishGreen)
    .attr('stroke-width', 2)
    .attr('stroke-dasharray', '2 3');
  group
    .append('text')
    .attr('class', 'target-label')
    .attr('x', plot.left + 4)
    .attr('y', round(y(target.value)) - 4)
    .attr('font-size', 11)
    .attr('fill', neutral.ink)
    .text(`Target ${format(target.value)} by ${monthLabel(parseDate(target.date))}`);
  if (target.trajectory.length > 1) {
    const path = line<{ date: string; value: number }>()
      .x((d) => Math.min(plot.right, Math.max(plot.left, x(parseDate(d.date)))))
      .y((d) => y(d.value))
      .digits(2);
    group
      .append('path')
      .attr('class', 'trajectory')
      .attr('fill', 'none')
      .attr('stroke', okabeIto.bluishGreen)
      .attr('stroke-width', 1.5)
      .attr('d', path(target.trajectory));
  }
}
