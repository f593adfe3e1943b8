import { axisBottom, axisLeft, bisector, line, max, min, scaleLinear, scaleLog } from 'd3';
import { formatCount, formatRate } from '../format.ts';
import { chartFrame, listInWords, mark, round, shapePath, spreadLabels } from './accessibility.ts';
import { neutral, okabeIto } from './palette.ts';

export interface FunnelPoint {
  label: string;
  numerator: number;
  denominator: number;
  /** The home local authority: drawn larger, in another shape, and labelled. */
  highlight?: boolean;
}

/** Control limits at denominator n, as proportions (0–1) like p0. */
export interface FunnelLimit {
  n: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export interface FunnelData {
  points: FunnelPoint[];
  /** The national proportion (0–1) the funnel is drawn around. */
  p0: number;
  /** The limit curves on a grid of n, e.g. log-spaced from the smallest to the largest denominator. */
  limits: FunnelLimit[];
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
  const t = n > 0 && before.n > 0 ? Math.log(n / before.n) / Math.log(after.n / before.n) : (n - before.n) / (after.n - before.n);
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
 * home authority is a larger blue diamond with its name; authorities beyond 99.8% are named too.
 * Points are not tab stops (a hundred and fifty would be a keyboard trap in all but name); each
 * has a <title> for hover, and the table beside the chart carries every figure.
 */
export function funnelPlot(data: FunnelData, options: FunnelPlotOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const margin = { top: 24, right: 140, bottom: 44, left: 56 };
  const referenceLabel = options.referenceLabel ?? 'England';
  const limits = data.limits.filter((l) => Number.isFinite(l.n) && l.n > 0).sort((a, b) => a.n - b.n);
  const logX = (options.xScale ?? 'log') === 'log';

  // A zero denominator has no proportion, and a log scale no place for it.
  const placed: Placed[] = data.points
    .filter((p) => p.denominator > 0 && Number.isFinite(p.numerator))
    .map((p) => {
      const proportion = p.numerator / p.denominator;
      return { ...p, proportion, position: position(proportion, limitsAt(limits, p.denominator)) };
    });
  const omitted = data.points.length - placed.length;

  const nLow = min([...placed.map((p) => p.denominator), ...limits.map((l) => l.n)]) ?? 1;
  const nHigh = max([...placed.map((p) => p.denominator), ...limits.map((l) => l.n)]) ?? 10;
  const xDomain: [number, number] = nLow === nHigh ? [nLow / 2, nHigh * 2] : [nLow, nHigh];
  const range: [number, number] = [margin.left, width - margin.right];
  // No nice() on the log scale: rounding out to powers of ten can leave half the width empty.
  const x = logX ? scaleLog().domain([xDomain[0] / 1.15, xDomain[1] * 1.15]).range(range) : scaleLinear().domain([0, xDomain[1]]).range(range).nice();
  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  const yHigh = max([data.p0, ...placed.map((p) => p.proportion), ...limits.map((l) => clamp(l.upper998))]) ?? 1;
  const yLow = min([data.p0, ...placed.map((p) => p.proportion), ...limits.map((l) => clamp(l.lower998))]) ?? 0;
  const yPad = (yHigh - yLow) * 0.05 || 0.01;
  const y = scaleLinear()
    .domain([Math.max(0, yLow - yPad) * 100, Math.min(1, yHigh + yPad) * 100])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const yOf = (proportion: number) => round(y(clamp(proportion) * 100));

  const { svg } = chartFrame('funnel-plot', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(placed, omitted, data.p0, referenceLabel),
  });

  svg
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).ticks(logX ? 5 : 6, logX ? ',' : ',~f'));
  svg
    .append('g')
    .attr('class', 'axis y-axis')
    .attr('transform', `translate(${margin.left},0)`)
    .call(axisLeft(y).ticks(6).tickFormat((d) => `${d}%`));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', round((margin.left + width - margin.right) / 2))
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .attr('fill', neutral.line)
    .text(options.xLabel ?? 'Denominator (number of children)');
  if (options.yLabel) {
    svg.append('text').attr('class', 'axis-label').attr('x', margin.left).attr('y', margin.top - 10).attr('fill', neutral.line).text(options.yLabel);
  }

  const curves = svg.append('g').attr('class', 'control-limits');
  const curveDefs = [
    { key: 'upper998', label: '99.8% limit', dash: null, className: 'limit-998 upper' },
    { key: 'lower998', label: '99.8% limit', dash: null, className: 'limit-998 lower' },
    { key: 'upper95', label: '95% limit', dash: '5 4', className: 'limit-95 upper' },
    { key: 'lower95', label: '95% limit', dash: '5 4', className: 'limit-95 lower' },
  ] as const;
  const inView = limits.filter((l) => x(l.n) >= range[0] - 0.5 && x(l.n) <= range[1] + 0.5);
  const endLabels: { y: number; text: string; className: string; dash: string | null; colour: string }[] = [];
  // Labels sit where the curves end, which is the plot's edge unless the grid stops short of it.
  const labelX = round((inView.length >= 2 ? x(inView[inView.length - 1]!.n) : range[1]) + 6);
  for (const curve of curveDefs) {
    if (inView.length < 2) break;
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
    endLabels.push({ y: yOf(inView[inView.length - 1]![curve.key]), text: curve.label, className: curve.className, dash: curve.dash, colour: neutral.line });
  }
  curves
    .append('line')
    .attr('class', 'reference-line p0')
    .attr('x1', range[0])
    .attr('x2', labelX - 6)
    .attr('y1', yOf(data.p0))
    .attr('y2', yOf(data.p0))
    .attr('stroke', neutral.ink)
    .attr('stroke-width', 1.5);
  endLabels.push({ y: yOf(data.p0), text: `${referenceLabel} ${percent(data.p0)}`, className: 'p0', dash: null, colour: neutral.ink });
  // Labels pushed apart no longer touch their curves, so each starts with a sample of its line.
  const labelGroup = curves.append('g').attr('class', 'line-labels');
  for (const label of spreadLabels(endLabels, 14, margin.top, height - margin.bottom)) {
    const ly = round(label.y);
    labelGroup
      .append('line')
      .attr('class', `line-key ${label.className}`)
      .attr('x1', labelX)
      .attr('x2', labelX + 16)
      .attr('y1', ly)
      .attr('y2', ly)
      .attr('stroke', label.colour)
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', label.dash);
    labelGroup
      .append('text')
      .attr('class', `line-label ${label.className}`)
      .attr('x', labelX + 20)
      .attr('y', ly)
      .attr('dy', '0.32em')
      .attr('font-size', 12)
      .attr('fill', neutral.ink)
      .text(label.text);
  }

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
      g.append('circle').attr('class', 'shape shape-circle').attr('data-shape', 'circle').attr('r', 3).attr('fill', neutral.mark).attr('stroke', neutral.line).attr('stroke-width', 1);
    }
    if (point.highlight || (outlier && (options.labelOutliers ?? true))) {
      // The home authority is named beside its point (left of it near the right edge); other
      // outliers above or below theirs, away from the funnel, so the names do not cross a curve.
      const leftward = px > range[1] - 120;
      const [dx, dy, anchor] = point.highlight
        ? [leftward ? -10 : 10, 0, leftward ? 'end' : 'start']
        : [0, point.position === 'above99.8' ? -11 : 11, 'middle'];
      labels
        .append('text')
        .attr('class', `point-label${point.highlight ? ' highlight' : ''}`)
        .attr('x', round(px + dx))
        .attr('y', round(py + dy))
        .attr('dy', '0.32em')
        .attr('text-anchor', anchor)
        .attr('font-size', 12)
        .attr('font-weight', point.highlight ? 700 : 400)
        .attr('fill', neutral.ink)
        // A white halo keeps a name legible where it crosses a limit curve.
        .attr('stroke', '#ffffff')
        .attr('stroke-width', 3)
        .attr('stroke-linejoin', 'round')
        .attr('paint-order', 'stroke')
        .text(point.highlight ? `${point.label} ${percent(point.proportion)}` : point.label);
    }
  }

  return svg.node()!;
}

function describe(placed: Placed[], omitted: number, p0: number, referenceLabel: string): string {
  const sentences = [
    `Funnel plot of ${placed.length} ${placed.length === 1 ? 'area' : 'areas'} against ${referenceLabel} ${percent(p0)}, with 95% and 99.8% control limits.`,
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
  if (omitted > 0) sentences.push(`${omitted} with no denominator ${omitted === 1 ? 'is' : 'are'} not shown.`);
  return sentences.join(' ');
}
