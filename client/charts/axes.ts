import { axisBottom, axisLeft, select, type AxisDomain, type AxisScale, type Selection } from 'd3';
import { round, spreadLabels, type ChartSvg } from './accessibility.ts';
import { neutral } from './palette.ts';

/**
 * What the charts share for axes, label room and suppressed marks, so each chart states only what
 * is its own. Charts cannot measure text (jsdom and print have no layout), so label room comes from
 * `measureText`, a table of the page font's advance widths; tests/browser/chartLabels.test.ts checks
 * in Chromium that no text leaves its SVG at 768, 1024 and 1366 px.
 */

/** Every chart's text size. WCAG and issue 10: never below 11 px, so axes do not keep d3's 10 px. */
export const chartFontSize = 12;

// DejaVu Sans (the page's first font, and the widest of its list) advance widths in em.
const advance: Record<string, number> = {
  ' ': 0.318,
  '!': 0.4,
  '"': 0.46,
  '%': 0.95,
  '&': 0.78,
  "'": 0.275,
  '(': 0.39,
  ')': 0.39,
  '*': 0.5,
  '+': 0.838,
  ',': 0.318,
  '-': 0.361,
  '.': 0.318,
  '/': 0.337,
  ':': 0.337,
  ';': 0.337,
  '?': 0.531,
  '–': 0.5,
  '—': 1,
  '’': 0.318,
  '‘': 0.318,
  '“': 0.518,
  '”': 0.518,
  '≤': 0.838,
  '≥': 0.838,
  '·': 0.318,
  '…': 1,
  a: 0.613,
  b: 0.635,
  c: 0.55,
  d: 0.635,
  e: 0.615,
  f: 0.352,
  g: 0.635,
  h: 0.634,
  i: 0.278,
  j: 0.278,
  k: 0.579,
  l: 0.278,
  m: 0.974,
  n: 0.634,
  o: 0.612,
  p: 0.635,
  q: 0.635,
  r: 0.411,
  s: 0.521,
  t: 0.392,
  u: 0.634,
  v: 0.592,
  w: 0.818,
  x: 0.592,
  y: 0.592,
  z: 0.525,
  A: 0.684,
  B: 0.686,
  C: 0.698,
  D: 0.77,
  E: 0.632,
  F: 0.575,
  G: 0.775,
  H: 0.752,
  I: 0.295,
  J: 0.295,
  K: 0.656,
  L: 0.557,
  M: 0.863,
  N: 0.748,
  O: 0.787,
  P: 0.603,
  Q: 0.787,
  R: 0.695,
  S: 0.635,
  T: 0.611,
  U: 0.732,
  V: 0.684,
  W: 0.989,
  X: 0.685,
  Y: 0.611,
  Z: 0.685,
};
const digitAdvance = 0.636;
const otherAdvance = 0.7;
// DejaVu Sans Bold is about 12% wider than Book.
const boldFactor = 1.12;

/** Width in px of `text` at `fontSize` in the page font; a little over, never under, the real width. */
export function measureText(text: string, fontSize = chartFontSize, bold = false): number {
  let em = 0;
  for (const ch of text) em += /[0-9]/.test(ch) ? digitAdvance : (advance[ch] ?? otherAdvance);
  return Math.ceil(em * fontSize * (bold ? boldFactor : 1) * 1.03);
}

/** The widest of `texts`, 0 for none. */
export function widest(texts: readonly string[], fontSize = chartFontSize, bold = false): number {
  return Math.max(0, ...texts.map((t) => measureText(t, fontSize, bold)));
}

// ---------------------------------------------------------------------------------------------
// Axes

type AnyAxis<D extends AxisDomain> = ReturnType<typeof axisBottom<D>>;

/** d3 sets 10 px sans-serif on an axis; the charts use the page font at 12 px. */
function styleAxis(g: Selection<SVGGElement, undefined, null, undefined>): void {
  g.attr('font-size', chartFontSize).attr('font-family', null);
}

export interface AxisPlacement<D extends AxisDomain> {
  scale: AxisScale<D>;
  /** Configures ticks and format on the d3 axis. */
  configure?: (axis: AnyAxis<D>) => AnyAxis<D>;
}

/** An x axis along the bottom of the plot at `y`. */
export function bottomAxis<D extends AxisDomain>(svg: ChartSvg, y: number, placement: AxisPlacement<D>): void {
  const axis = (placement.configure ?? ((a) => a))(axisBottom(placement.scale));
  const g = svg.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${y})`);
  g.call(axis);
  styleAxis(g);
}

/** A y axis along the left of the plot at `x`. */
export function leftAxis<D extends AxisDomain>(svg: ChartSvg, x: number, placement: AxisPlacement<D>): void {
  const axis = (placement.configure ?? ((a) => a))(axisLeft(placement.scale) as unknown as AnyAxis<D>);
  const g = svg.append('g').attr('class', 'axis y-axis').attr('transform', `translate(${x},0)`);
  g.call(axis as unknown as (s: typeof g) => void);
  styleAxis(g);
}

/** Room at the left for a y axis's tick labels (tick 6 px, gap 3 px, a little air). */
export function leftAxisMargin(tickLabels: readonly string[], minimum: number): number {
  return Math.max(minimum, widest(tickLabels) + 16);
}

export interface AxisLabelOptions {
  x: number;
  y: number;
  anchor?: 'start' | 'middle' | 'end';
  className?: string;
}

/** A grey axis title ("Rate per 10,000"), kept inside the chart by its anchor. */
export function axisLabel(svg: ChartSvg, text: string, options: AxisLabelOptions): void {
  svg
    .append('text')
    .attr('class', options.className ?? 'axis-label')
    .attr('x', round(options.x))
    .attr('y', round(options.y))
    .attr('text-anchor', options.anchor === 'start' ? null : (options.anchor ?? 'middle'))
    .attr('font-size', chartFontSize)
    .attr('fill', neutral.line)
    .text(text);
}

/**
 * A text anchor and x that keep a label of `width` centred on `x` where it fits, otherwise against
 * the nearer edge of [left, right].
 */
export function fitCentred(
  x: number,
  width: number,
  left: number,
  right: number,
): { x: number; anchor: 'start' | 'middle' | 'end' } {
  if (x - width / 2 < left) return { x: left, anchor: 'start' };
  if (x + width / 2 > right) return { x: right, anchor: 'end' };
  return { x, anchor: 'middle' };
}

// ---------------------------------------------------------------------------------------------
// Line-end labels

export interface EndLabel {
  y: number;
  text: string;
  className: string;
  colour: string;
  /** A sample of the line before the text, so a label pushed off its line still says which it is. */
  key?: { dash: string | null; width: number } | undefined;
  bold?: boolean;
}

/** Room at the right for end labels starting 6 px after the plot. */
export function endLabelMargin(labels: readonly Pick<EndLabel, 'text' | 'key' | 'bold'>[], minimum = 16): number {
  const needed = Math.max(0, ...labels.map((l) => measureText(l.text, chartFontSize, l.bold) + (l.key ? 20 : 0)));
  return Math.max(minimum, needed + 6 + 6);
}

/** Labels at the ends of lines, pushed apart by 14 px and kept between top and bottom. */
export function drawEndLabels(
  parent: Selection<SVGGElement, undefined, null, undefined>,
  labels: EndLabel[],
  options: { x: number; top: number; bottom: number },
): void {
  for (const label of spreadLabels(labels, 14, options.top, options.bottom)) {
    const ly = round(label.y);
    let textX = options.x;
    if (label.key) {
      parent
        .append('line')
        .attr('class', `line-key ${label.className}`)
        .attr('x1', options.x)
        .attr('x2', options.x + 16)
        .attr('y1', ly)
        .attr('y2', ly)
        .attr('stroke', label.colour)
        .attr('stroke-width', label.key.width)
        .attr('stroke-dasharray', label.key.dash);
      textX += 20;
    }
    parent
      .append('text')
      .attr('class', `line-label ${label.className}`)
      .attr('x', textX)
      .attr('y', ly)
      .attr('dy', '0.32em')
      .attr('font-size', chartFontSize)
      .attr('font-weight', label.bold ? 700 : null)
      .attr('fill', label.key ? neutral.ink : label.colour)
      .text(label.text);
  }
}

// ---------------------------------------------------------------------------------------------
// Suppressed values (METRICS.md §7: "charts show it as c at its place (a labelled marker, a broken
// line), never as a value")

export const suppressedWords = 'c (suppressed: a small number, or hidden so a small number cannot be worked out)';
const markSize = 16;

/**
 * A suppressed value's mark: a white box with a dashed outline holding the letter c, centred on
 * (x, y), with a <title> naming what is suppressed. It has no length or height that could be read
 * as a number, and the dashed outline sets it apart from every data mark.
 */
export function suppressedMark(
  parent: SVGGElement | Selection<SVGGElement, undefined, null, undefined>,
  options: { x: number; y: number; label: string; colour?: string; className?: string },
): Selection<SVGGElement, undefined, null, undefined> {
  const holder = (parent instanceof Element ? select(parent) : parent) as Selection<
    SVGGElement,
    undefined,
    null,
    undefined
  >;
  const g = holder
    .append('g')
    .attr('class', `suppressed-mark${options.className ? ` ${options.className}` : ''}`)
    .attr('transform', `translate(${round(options.x)},${round(options.y)})`);
  g.append('title').text(`${options.label}: ${suppressedWords}`);
  g.append('rect')
    .attr('x', -markSize / 2)
    .attr('y', -markSize / 2)
    .attr('width', markSize)
    .attr('height', markSize)
    .attr('rx', 2)
    .attr('fill', '#ffffff')
    .attr('stroke', options.colour ?? neutral.ink)
    .attr('stroke-width', 1.5)
    .attr('stroke-dasharray', '3 2');
  g.append('text')
    .attr('class', 'suppressed')
    .attr('y', 0)
    .attr('dy', '0.32em')
    .attr('text-anchor', 'middle')
    .attr('font-size', chartFontSize)
    .attr('font-weight', 700)
    .attr('fill', neutral.ink)
    .text('c');
  return g;
}

/** True for the suppression marker 'c' (any non-numeric count a chart is given). */
export function isSuppressedValue(value: unknown): boolean {
  return typeof value !== 'number' || !Number.isFinite(value);
}
