import {
  bisector,
  line,
  max,
  min,
  scaleLinear,
  scaleLog,
  type ScaleLinear,
  type ScaleLogarithmic,
  type Selection,
} from 'd3';
import { formatCount, formatRate } from '../format.ts';
import { chartFrame, listInWords, mark, round, shapePath, type ChartSvg } from './accessibility.ts';
import {
  axisLabel,
  bottomAxis,
  chartFontSize,
  drawEndLabels,
  endLabelMargin,
  leftAxis,
  leftAxisMargin,
  measureText,
  suppressedMark,
  type EndLabel,
} from './axes.ts';
// The limits' shape is the API's, so the page draws what the server sends.
import type { FunnelLimit } from '../../metrics/contract/types.ts';
import { neutral, okabeIto } from './palette.ts';

export interface FunnelPoint {
  label: string;
  /** A count, or 'c' when suppressed (METRICS.md §7): then a c mark at its denominator, never a point at 0. */
  numerator: number | string;
  denominator: number;
  /** The home local authority: drawn larger, in another shape, and labelled. */
  highlight?: boolean;
}

export interface FunnelData {
  points: FunnelPoint[];
  /** The national proportion (0–1) the funnel is drawn around. */
  p0: number;
  /** The limit curves on a grid of n, e.g. log-spaced from the smallest to the largest denominator. */
  limits: FunnelLimit[];
  /**
   * Limits widened for over-dispersion between areas (Spiegelhalter 2005, additive random effects),
   * on the same grid. When given they are the curves drawn and the ones each point is placed against,
   * and the chart says so in its legend and description.
   */
  overdispersed_limits?: FunnelLimit[] | undefined;
  /** The reporting year the points describe (1 April to 31 March), named on the chart. */
  period?: { from: string; to: string } | undefined;
}

export interface FunnelPlotOptions {
  title: string;
  width?: number;
  height?: number;
  /** Log spreads small and large authorities evenly, so it is the default. */
  xScale?: 'log' | 'linear';
  /** Name of the p0 rule, e.g. "England". */
  referenceLabel?: string;
  xLabel?: string;
  yLabel?: string;
  /**
   * Name the areas beyond 99.8% on the chart (default true). With many such areas names collide;
   * the description and the table beside the chart still list them.
   */
  labelOutliers?: boolean;
  id?: string;
}

type Position = 'above99.8' | 'above95' | 'within' | 'below95' | 'below99.8';

interface Placed extends FunnelPoint {
  numerator: number;
  proportion: number;
  position: Position;
}

const byN = bisector<FunnelLimit, number>((d) => d.n).left;

/** The limits at n, interpolated between grid points on log n (the grid's natural spacing). */
export function limitsAt(limits: FunnelLimit[], n: number): FunnelLimit | undefined {
  if (limits.length === 0) return undefined;
  const i = byN(limits, n);
  const after = limits[Math.min(i, limits.length - 1)]!;
  const before = limits[Math.max(i - 1, 0)]!;
  if (i <= 0 || i >= limits.length || after.n === before.n) return { ...(i <= 0 ? before : after), n };
  const t =
    n > 0 && before.n > 0
      ? Math.log(n / before.n) / Math.log(after.n / before.n)
      : (n - before.n) / (after.n - before.n);
  const mix = (a: number, b: number) => a + (b - a) * t;
  return {
    n,
    lower95: mix(before.lower95, after.lower95),
    upper95: mix(before.upper95, after.upper95),
    lower998: mix(before.lower998, after.lower998),
    upper998: mix(before.upper998, after.upper998),
  };
}

function position(proportion: number, at: FunnelLimit | undefined): Position {
  if (!at) return 'within';
  if (proportion > at.upper998) return 'above99.8';
  if (proportion < at.lower998) return 'below99.8';
  if (proportion > at.upper95) return 'above95';
  if (proportion < at.lower95) return 'below95';
  return 'within';
}

const positionWords: Record<Position, string> = {
  'above99.8': 'above the 99.8% limit',
  above95: 'above the 95% limit',
  within: 'within the 95% limits',
  below95: 'below the 95% limit',
  'below99.8': 'below the 99.8% limit',
};

const percent = (proportion: number) => `${formatRate(proportion * 100)}%`;

/**
 * A funnel plot of each authority's proportion against its denominator, inside 95% (dashed) and
 * 99.8% (solid) control limits around the national rate, every line labelled where it ends. The
 * home authority is a larger blue diamond with its name, its figure and its year; authorities beyond
 * 99.8% are named too. Which limits are drawn (adjusted for over-dispersion, or binomial) and the
 * year the points describe are written on the chart, not only in its description.
 * Points are not tab stops (a hundred and fifty would be a keyboard trap in all but name); each
 * has a <title> for hover, and the table beside the chart carries every figure.
 */
export function funnelPlot(data: FunnelData, options: FunnelPlotOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const referenceLabel = options.referenceLabel ?? 'England';
  const adjusted = (data.overdispersed_limits?.length ?? 0) > 0;
  const limits = (adjusted ? data.overdispersed_limits! : data.limits)
    .filter((l) => Number.isFinite(l.n) && l.n > 0)
    .sort((a, b) => a.n - b.n);
  const logX = (options.xScale ?? 'log') === 'log';
  const year = data.period ? yearWords(data.period) : null;

  // A zero denominator has no proportion, and a log scale no place for it.
  const placed: Placed[] = data.points
    .filter(
      (p): p is FunnelPoint & { numerator: number } =>
        p.denominator > 0 && typeof p.numerator === 'number' && Number.isFinite(p.numerator),
    )
    .map((p) => {
      const proportion = p.numerator / p.denominator;
      return { ...p, proportion, position: position(proportion, limitsAt(limits, p.denominator)) };
    });
  // A suppressed numerator has a place on the x axis (its denominator) but none on the y axis.
  const suppressed = data.points.filter((p) => p.denominator > 0 && typeof p.numerator !== 'number');
  const omitted = data.points.length - placed.length - suppressed.length;

  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  const yHigh = max([data.p0, ...placed.map((p) => p.proportion), ...limits.map((l) => clamp(l.upper998))]) ?? 1;
  const yLow = min([data.p0, ...placed.map((p) => p.proportion), ...limits.map((l) => clamp(l.lower998))]) ?? 0;
  const yPad = (yHigh - yLow) * 0.05 || 0.01;
  const y = scaleLinear()
    .domain([Math.max(0, yLow - yPad) * 100, Math.min(1, yHigh + yPad) * 100])
    .nice();
  const yTicks = y.ticks(6).map((d) => `${d}%`);

  const curveDefs = [
    { key: 'upper998', label: '99.8% limit', dash: null, className: 'limit-998 upper' },
    { key: 'lower998', label: '99.8% limit', dash: null, className: 'limit-998 lower' },
    { key: 'upper95', label: '95% limit', dash: '5 4', className: 'limit-95 upper' },
    { key: 'lower95', label: '95% limit', dash: '5 4', className: 'limit-95 lower' },
  ] as const;
  const endLabels: EndLabel[] = [
    ...curveDefs.map((c) => ({
      y: 0,
      text: c.label,
      className: c.className,
      colour: neutral.line,
      key: { dash: c.dash, width: 1.5 },
    })),
    {
      y: 0,
      text: `${referenceLabel} ${percent(data.p0)}`,
      className: 'p0',
      colour: neutral.ink,
      key: { dash: null, width: 1.5 },
    },
  ];
  // The legend lines above the plot say what each point is and which limits are drawn.
  const legend = [
    year ? `Each point: ${year}` : null,
    adjusted ? 'Limits allow for real differences between areas (over-dispersion)' : 'Limits: binomial chance alone',
  ];
  const margin = { top: 44, right: endLabelMargin(endLabels, 100), bottom: 44, left: leftAxisMargin(yTicks, 48) };
  const range: [number, number] = [margin.left, width - margin.right];
  y.range([height - margin.bottom, margin.top]);
  const yOf = (proportion: number) => round(y(clamp(proportion) * 100));

  const denominators = [...placed, ...suppressed].map((p) => p.denominator);
  const nLow = min([...denominators, ...limits.map((l) => l.n)]) ?? 1;
  const nHigh = max([...denominators, ...limits.map((l) => l.n)]) ?? 10;
  const xDomain: [number, number] = nLow === nHigh ? [nLow / 2, nHigh * 2] : [nLow, nHigh];
  // No nice() on the log scale: rounding out to powers of ten can leave half the width empty.
  const x: ScaleLogarithmic<number, number> | ScaleLinear<number, number> = logX
    ? scaleLog()
        .domain([xDomain[0] / 1.15, xDomain[1] * 1.15])
        .range(range)
    : scaleLinear().domain([0, xDomain[1]]).range(range).nice();

  const { svg } = chartFrame('funnel-plot', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(placed, suppressed, omitted, data.p0, referenceLabel, adjusted, year),
  });

  const plotWidth = range[1] - range[0];
  bottomAxis(svg, height - margin.bottom, {
    scale: x,
    configure: (a) => a.ticks(Math.max(2, Math.min(logX ? 5 : 6, Math.floor(plotWidth / 80))), logX ? ',' : ',~f'),
  });
  leftAxis(svg, margin.left, { scale: y, configure: (a) => a.ticks(6).tickFormat((d) => `${d}%`) });
  axisLabel(svg, options.xLabel ?? 'Denominator (number of children)', { x: (range[0] + range[1]) / 2, y: height - 6 });
  if (options.yLabel) axisLabel(svg, options.yLabel, { x: 4, y: margin.top - 10, anchor: 'start' });
  const legendGroup = svg.append('g').attr('class', 'legend');
  legend.forEach((text, i) => {
    if (!text) return;
    legendGroup
      .append('text')
      .attr('class', i === 0 ? 'period-label' : 'limits-label')
      .attr('x', width - 4)
      .attr('y', 14 + i * 15)
      .attr('text-anchor', 'end')
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(text);
  });

  const layout: Layout = { svg, x, yOf, range, width, height, margin };
  drawLimits(layout, limits, data.p0, curveDefs, endLabels, adjusted);
  const labels = drawPoints(layout, placed, data.period, options.labelOutliers ?? true);
  drawSuppressed(layout, labels, suppressed, data.period);

  return svg.node()!;
}

interface Layout {
  svg: ChartSvg;
  x: (n: number) => number;
  yOf: (proportion: number) => number;
  range: [number, number];
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

interface CurveDef {
  key: 'upper998' | 'lower998' | 'upper95' | 'lower95';
  label: string;
  dash: string | null;
  className: string;
}

/** The four limit curves and the national line, each labelled where it ends. */
function drawLimits(
  layout: Layout,
  limits: FunnelLimit[],
  p0: number,
  curveDefs: readonly CurveDef[],
  endLabels: EndLabel[],
  adjusted: boolean,
): void {
  const { svg, x, yOf, range, height, margin } = layout;
  const curves = svg.append('g').attr('class', `control-limits${adjusted ? ' overdispersed' : ''}`);
  const inView = limits.filter((l) => x(l.n) >= range[0] - 0.5 && x(l.n) <= range[1] + 0.5);
  // Labels sit where the curves end, which is the plot's edge unless the grid stops short of it.
  const labelX = round((inView.length >= 2 ? x(inView[inView.length - 1]!.n) : range[1]) + 6);
  const drawn: EndLabel[] = [];
  curveDefs.forEach((curve, i) => {
    if (inView.length < 2) return;
    const path = line<FunnelLimit>()
      .x((d) => x(d.n))
      .y((d) => yOf(d[curve.key]))
      .digits(2);
    curves
      .append('path')
      .attr('class', `limit ${curve.className}`)
      .attr('fill', 'none')
      .attr('stroke', neutral.line)
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', curve.dash)
      .attr('d', path(inView));
    drawn.push({ ...endLabels[i]!, y: yOf(inView[inView.length - 1]![curve.key]) });
  });
  curves
    .append('line')
    .attr('class', 'reference-line p0')
    .attr('x1', range[0])
    .attr('x2', labelX - 6)
    .attr('y1', yOf(p0))
    .attr('y2', yOf(p0))
    .attr('stroke', neutral.ink)
    .attr('stroke-width', 1.5);
  drawn.push({ ...endLabels[4]!, y: yOf(p0) });
  // Labels pushed apart no longer touch their curves, so each starts with a sample of its line.
  drawEndLabels(curves.append('g').attr('class', 'line-labels'), drawn, {
    x: labelX,
    top: margin.top,
    bottom: height - margin.bottom,
  });
}

/** Every placed point, the home authority last and larger, with the names the chart shows. */
function drawPoints(
  layout: Layout,
  placed: Placed[],
  period: FunnelData['period'],
  labelOutliers: boolean,
): Selection<SVGGElement, undefined, null, undefined> {
  const { svg, x, yOf, width } = layout;
  // The home authority last, so no other point covers it.
  const ordered = [...placed.filter((p) => !p.highlight), ...placed.filter((p) => p.highlight)];
  const points = svg.append('g').attr('class', 'points').node()!;
  const labels = svg.append('g').attr('class', 'point-labels');
  for (const point of ordered) {
    const px = x(point.denominator);
    const py = yOf(point.proportion);
    const outlier = point.position === 'above99.8' || point.position === 'below99.8';
    const g = mark(points, {
      x: px,
      y: py,
      label: `${point.label}: ${formatCount(point.numerator)} of ${formatCount(point.denominator)} (${percent(point.proportion)}), ${positionWords[point.position]}`,
      className: `point${point.highlight ? ' highlight' : ''}${outlier ? ' outlier' : ''}`,
      focusable: false,
    });
    g.attr('data-position', point.position);
    if (point.highlight) {
      g.append('path')
        .attr('class', 'shape shape-diamond')
        .attr('data-shape', 'diamond')
        .attr('d', shapePath('diamond', 110))
        .attr('fill', okabeIto.blue)
        .attr('stroke', neutral.ink)
        .attr('stroke-width', 1.5);
    } else {
      g.append('circle')
        .attr('class', 'shape shape-circle')
        .attr('data-shape', 'circle')
        .attr('r', 3)
        .attr('fill', neutral.mark)
        .attr('stroke', neutral.line)
        .attr('stroke-width', 1);
    }
    if (point.highlight || (outlier && labelOutliers)) {
      const text = point.highlight
        ? `${point.label} ${percent(point.proportion)}${period ? ` (${shortYear(period)})` : ''}`
        : point.label;
      const textWidth = measureText(text, chartFontSize, point.highlight);
      // The home authority is named beside its point, on whichever side has room; other outliers
      // above or below theirs, away from the funnel, so the names do not cross a curve. Either way
      // the name is kept inside the chart.
      let [tx, ty, anchor]: [number, number, 'start' | 'middle' | 'end'] = point.highlight
        ? px + 10 + textWidth <= width - 4
          ? [px + 10, py, 'start']
          : [px - 10, py, 'end']
        : [px, py + (point.position === 'above99.8' ? -11 : 11), 'middle'];
      if (anchor === 'end' && tx - textWidth < 4) [tx, anchor] = [4, 'start'];
      if (anchor === 'middle' && tx - textWidth / 2 < 4) [tx, anchor] = [4, 'start'];
      if (anchor === 'middle' && tx + textWidth / 2 > width - 4) [tx, anchor] = [width - 4, 'end'];
      labels
        .append('text')
        .attr('class', `point-label${point.highlight ? ' highlight' : ''}`)
        .attr('x', round(tx))
        .attr('y', round(ty))
        .attr('dy', '0.32em')
        .attr('text-anchor', anchor)
        .attr('font-size', chartFontSize)
        .attr('font-weight', point.highlight ? 700 : 400)
        .attr('fill', neutral.ink)
        // A white halo keeps a name legible where it crosses a limit curve.
        .attr('stroke', '#ffffff')
        .attr('stroke-width', 3)
        .attr('stroke-linejoin', 'round')
        .attr('paint-order', 'stroke')
        .text(text);
    }
  }
  return labels;
}

/** The c marks of points whose numerator is suppressed. */
function drawSuppressed(
  layout: Layout,
  labels: Selection<SVGGElement, undefined, null, undefined>,
  suppressed: FunnelPoint[],
  period: FunnelData['period'],
): void {
  const { x, width, height, margin } = layout;
  for (const point of suppressed) {
    // The c mark stands on the x axis at the point's denominator, with its name when it is the home
    // authority: a proportion built on a suppressed count is c too (METRICS.md §7).
    const px = x(point.denominator);
    const py = height - margin.bottom - 12;
    suppressedMark(labels.node()!, {
      x: px,
      y: py,
      label: point.label,
      className: `point${point.highlight ? ' highlight' : ''}`,
    });
    if (point.highlight) {
      const text = `${point.label}: c${period ? ` (${shortYear(period)})` : ''}`;
      const right = px + 12 + measureText(text, chartFontSize, true) <= width - 4;
      labels
        .append('text')
        .attr('class', 'point-label highlight suppressed')
        .attr('x', round(right ? px + 12 : px - 12))
        .attr('y', round(py))
        .attr('dy', '0.32em')
        .attr('text-anchor', right ? 'start' : 'end')
        .attr('font-size', chartFontSize)
        .attr('font-weight', 700)
        .attr('fill', neutral.ink)
        .text(text);
    }
  }
}

const monthYear = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** "year to 31 March 2025" (or "1 January to 31 December 2024" for a period that is not a year to March). */
function yearWords(period: { from: string; to: string }): string {
  return period.to.endsWith('-03-31') && period.from === `${Number(period.to.slice(0, 4)) - 1}-04-01`
    ? `year to ${monthYear(period.to)}`
    : `${monthYear(period.from)} to ${monthYear(period.to)}`;
}

/** "2024–25", as DfE names a reporting year. */
function shortYear(period: { from: string; to: string }): string {
  return `${period.from.slice(0, 4)}–${period.to.slice(2, 4)}`;
}

function describe(
  placed: Placed[],
  suppressed: FunnelPoint[],
  omitted: number,
  p0: number,
  referenceLabel: string,
  adjusted: boolean,
  year: string | null,
): string {
  const limitsWords = adjusted
    ? '95% and 99.8% control limits adjusted for over-dispersion between areas (Spiegelhalter’s additive random effects)'
    : '95% and 99.8% binomial control limits';
  const sentences = [
    `Funnel plot of ${placed.length} ${placed.length === 1 ? 'area' : 'areas'}${year ? `, ${year},` : ''} against ${referenceLabel} ${percent(p0)}, with ${limitsWords}.`,
  ];
  for (const home of placed.filter((p) => p.highlight)) {
    sentences.push(
      `${home.label}: ${percent(home.proportion)} (${formatCount(home.numerator)} of ${formatCount(home.denominator)}), ${positionWords[home.position]}.`,
    );
  }
  const outside = placed.filter((p) => p.position === 'above99.8' || p.position === 'below99.8');
  if (outside.length) {
    const named = outside.map((p) => `${p.label} (${p.position === 'above99.8' ? 'above' : 'below'})`);
    sentences.push(`Outside the 99.8% limits: ${listInWords(named)}.`);
  } else {
    sentences.push('No area is outside the 99.8% limits.');
  }
  const outside95 = placed.filter((p) => p.position !== 'within').length;
  sentences.push(`${outside95} ${outside95 === 1 ? 'area is' : 'areas are'} outside the 95% limits.`);
  if (suppressed.length) sentences.push(`Suppressed (c), not placed: ${listInWords(suppressed.map((p) => p.label))}.`);
  if (omitted > 0) sentences.push(`${omitted} with no denominator ${omitted === 1 ? 'is' : 'are'} not shown.`);
  return sentences.join(' ');
}
