import {
  create,
  select,
  symbol,
  symbolCircle,
  symbolDiamond,
  symbolSquare,
  symbolTriangle,
  type Selection,
  type SymbolType,
} from 'd3';
import { neutral, okabeIto } from './palette.ts';

/**
 * What every chart shares so it meets WCAG 2.2 AA the same way: a title and a generated
 * description referenced by aria-labelledby (1.1.1), marks told apart by shape and words as well
 * as colour (1.4.1), and keyboard-reachable point details with a visible focus ring (2.1.1,
 * 2.4.7, 1.4.13). Nothing here sets a style attribute or runs inline script, so the charts work
 * under the server's CSP (style-src 'self').
 */

export type ChartSvg = Selection<SVGSVGElement, undefined, null, undefined>;

export interface ChartFrame {
  svg: ChartSvg;
  /** Prefix for every id inside the chart (title, desc, patterns), so two charts can share a page. */
  id: string;
}

export interface FrameOptions {
  title: string;
  /** Overrides the id prefix; needed only when two charts on one page share a title. */
  id?: string | undefined;
  width: number;
  height: number;
  description: string;
  /**
   * True when the chart holds focusable marks. ARIA makes the children of role="img"
   * presentational, so a screen reader could not reach a focusable mark inside one and axe
   * reports it (nested-interactive); such charts are a labelled group instead.
   */
  interactive?: boolean | undefined;
}

/**
 * A fill of blue with white diagonals, defined in the chart's <defs> under `id`: still blue at a
 * glance, yet distinct in greyscale and to anyone who cannot tell the colours apart (1.4.1). Returns
 * the fill to use, `url(#id)`.
 */
export function emphasisHatch(svg: ChartSvg, id: string, stripeWidth: number): string {
  const pattern = svg
    .append('defs')
    .append('pattern')
    .attr('id', id)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 6)
    .attr('height', 6)
    .attr('patternTransform', 'rotate(45)');
  pattern.append('rect').attr('width', 6).attr('height', 6).attr('fill', okabeIto.blue);
  pattern
    .append('line')
    .attr('x1', 0)
    .attr('y1', 0)
    .attr('x2', 0)
    .attr('y2', 6)
    .attr('stroke', '#ffffff')
    .attr('stroke-width', stripeWidth);
  return `url(#${id})`;
}

/** The <svg> with its title and desc, labelled the same way in every chart. */
export function chartFrame(kind: string, options: FrameOptions): ChartFrame {
  const id = options.id ?? `chart-${kind}-${slug(options.title)}`;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const svg = create('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('viewBox', `0 0 ${options.width} ${options.height}`)
    .attr('width', options.width)
    .attr('height', options.height)
    .attr('role', options.interactive ? 'group' : 'img')
    .attr('aria-labelledby', `${titleId} ${descId}`)
    .attr('class', `chart ${kind}`);
  svg.append('title').attr('id', titleId).text(options.title);
  svg.append('desc').attr('id', descId).text(options.description);
  return { svg, id };
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'chart'
  );
}

/** Coordinates to 2 decimal places: the SVG stays small and its snapshots stable. */
export function round(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

// ---------------------------------------------------------------------------------------------
// Shapes

export type MarkShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'triangle-down';

// d3's triangle points up; the lower-than-expected mark needs one pointing down.
const symbolTriangleDown: SymbolType = {
  draw(context, size) {
    const sqrt3 = Math.sqrt(3);
    const y = -Math.sqrt(size / (sqrt3 * 3));
    context.moveTo(0, -y * 2);
    context.lineTo(-sqrt3 * y, y);
    context.lineTo(sqrt3 * y, y);
    context.closePath();
  },
};

const symbolTypes: Record<MarkShape, SymbolType> = {
  circle: symbolCircle,
  square: symbolSquare,
  diamond: symbolDiamond,
  triangle: symbolTriangle,
  'triangle-down': symbolTriangleDown,
};

// Angular shapes look smaller than a circle of the same area, so they get a little more.
const areaScale: Record<MarkShape, number> = {
  circle: 1,
  square: 1.5,
  diamond: 1.3,
  triangle: 1.45,
  'triangle-down': 1.45,
};

/** A path for a mark of roughly `size` square pixels, centred on the origin. */
export function shapePath(shape: MarkShape, size: number): string {
  return symbol(symbolTypes[shape], size * areaScale[shape]).digits(2)() ?? '';
}

// ---------------------------------------------------------------------------------------------
// Focusable marks and their tooltip

const markKeysHint = 'Tab reaches the latest point; the left and right arrow keys move between points.';

export interface MarkOptions {
  x: number;
  y: number;
  /** What the mark says in words: its <title>, and the visible tooltip on focus. */
  label: string;
  className: string;
  focusable: boolean;
  /** Radius of the focus ring, a little outside the mark. */
  ringRadius?: number;
}

/**
 * A <g> at (x, y) carrying a <title>. When focusable it can take focus (role img, named by its
 * title; `rovingMarkFocus` makes a chart's marks one tab stop) with a focus ring that
 * `attachFocusTooltip` shows, and a hit area big enough to hover.
 */
export function mark(parent: SVGGElement, options: MarkOptions): Selection<SVGGElement, unknown, null, undefined> {
  const x = round(options.x);
  const y = round(options.y);
  const g = select(parent)
    .append('g')
    .attr('class', `chart-mark ${options.className}`)
    .attr('transform', `translate(${x},${y})`);
  g.append('title').text(options.label);
  if (options.focusable) {
    g.attr('tabindex', 0).attr('role', 'img').attr('data-x', x).attr('data-y', y);
    g.append('circle')
      .attr('class', 'focus-ring')
      .attr('r', options.ringRadius ?? 9)
      .attr('fill', 'none')
      .attr('stroke', neutral.ink)
      .attr('stroke-width', 2.5)
      .attr('visibility', 'hidden');
  }
  return g;
}

const tooltipCharWidth = 6.4;
const tooltipPadding = 6;

/**
 * One tooltip per chart that shows the focused mark's title in visible text. Browsers show an
 * SVG <title> only on hover, so keyboard users would otherwise never see a point's details. The
 * tooltip stays while the mark has focus and Escape hides it (WCAG 1.4.13). The text is set with
 * textContent and positions with attributes: nothing the CSP forbids.
 */
export function attachFocusTooltip(svg: ChartSvg, width: number): void {
  const tooltip = svg
    .append('g')
    .attr('class', 'chart-tooltip')
    .attr('aria-hidden', 'true')
    .attr('pointer-events', 'none')
    .attr('visibility', 'hidden');
  const box = tooltip
    .append('rect')
    .attr('rx', 3)
    .attr('fill', '#ffffff')
    .attr('stroke', neutral.ink)
    .attr('stroke-width', 1)
    .attr('height', 22);
  const text = tooltip.append('text').attr('font-size', 12).attr('fill', neutral.ink).attr('dy', '0.32em');

  const node = svg.node()!;
  const setRing = (markElement: Element, visible: boolean) =>
    markElement.querySelector('.focus-ring')?.setAttribute('visibility', visible ? 'visible' : 'hidden');

  node.addEventListener('focusin', (event) => {
    const focused = focusableMarkOf(event.target);
    if (!focused) return;
    setRing(focused, true);
    const label = focused.querySelector('title')?.textContent ?? '';
    const x = Number(focused.getAttribute('data-x'));
    const y = Number(focused.getAttribute('data-y'));
    const boxWidth = Math.ceil(label.length * tooltipCharWidth) + tooltipPadding * 2;
    // Keep the box inside the chart: left of the point near the right edge, below it near the top.
    const left = Math.max(0, Math.min(x - boxWidth / 2, width - boxWidth));
    const top = y < 40 ? y + 14 : y - 36;
    box.attr('x', round(left)).attr('y', round(top)).attr('width', boxWidth);
    text
      .attr('x', round(left + tooltipPadding))
      .attr('y', round(top + 11))
      .text(label);
    tooltip.attr('visibility', 'visible');
    // Drawn last so it sits above every mark.
    node.appendChild(tooltip.node()!);
  });
  node.addEventListener('focusout', (event) => {
    const blurred = focusableMarkOf(event.target);
    if (blurred) setRing(blurred, false);
    tooltip.attr('visibility', 'hidden');
  });
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') tooltip.attr('visibility', 'hidden');
  });
}

/**
 * A chart's focusable marks as one tab stop, a roving tabindex (WAI-ARIA Authoring Practices'
 * composite widgets): Tab reaches the latest mark and the next Tab leaves the chart; the left and
 * right arrow keys move from mark to mark, Home and End to the first and the last. With every point
 * a tab stop, the demo board pack's two SPC charts (20 quarters each) were 40 of its 71 tab stops.
 * Up and down are left to scroll the page.
 */
export function rovingMarkFocus(svg: ChartSvg): void {
  const node = svg.node()!;
  const marks = [...node.querySelectorAll<SVGGElement>('.chart-mark[tabindex]')];
  const latest = marks[marks.length - 1];
  if (!latest) return;
  // Said where a screen reader reads the chart's description, since nothing on screen says it.
  const desc = node.querySelector(':scope > desc');
  if (desc) desc.textContent = `${desc.textContent ?? ''} ${markKeysHint}`;
  const makeStop = (stop: SVGGElement) => {
    for (const m of marks) m.setAttribute('tabindex', m === stop ? '0' : '-1');
  };
  makeStop(latest);
  // A mark focused by a click stays the chart's stop, as a mark reached by the keys does.
  node.addEventListener('focusin', (event) => {
    const focused = focusableMarkOf(event.target);
    if (focused) makeStop(focused);
  });
  node.addEventListener('keydown', (event) => {
    const focused = focusableMarkOf(event.target);
    const at = focused ? marks.indexOf(focused) : -1;
    if (at === -1) return;
    const steps: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: marks.length - 1 };
    const to = steps[event.key];
    if (to === undefined) return;
    event.preventDefault();
    marks[Math.max(0, Math.min(marks.length - 1, to))]!.focus();
  });
}

function focusableMarkOf(target: EventTarget | null): SVGGElement | null {
  return target instanceof Element ? target.closest<SVGGElement>('.chart-mark[tabindex]') : null;
}

// ---------------------------------------------------------------------------------------------
// Direct labels

/**
 * Labels at the end of lines, pushed apart so each stays readable when lines are close. The
 * first pass pushes down; the second pulls back up anything pushed past the bottom.
 */
export function spreadLabels<L extends { y: number }>(labels: L[], gap: number, top: number, bottom: number): L[] {
  const sorted = labels.slice().sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.y - previous.y < gap) current.y = previous.y + gap;
  }
  const last = sorted[sorted.length - 1];
  if (last && last.y > bottom) {
    last.y = bottom;
    for (let i = sorted.length - 2; i >= 0; i--) {
      const next = sorted[i + 1]!;
      const current = sorted[i]!;
      if (next.y - current.y < gap) current.y = next.y - gap;
    }
  }
  // Too many labels for the height: let them overlap at the top rather than leave the chart.
  for (const label of sorted) label.y = Math.max(top, label.y);
  return sorted;
}

/** "a, b and c". */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Approximate text width for layout: jsdom and print cannot measure text, so none of the charts do. */
export function textWidth(text: string, fontSize = 12): number {
  return Math.ceil(text.length * fontSize * 0.55);
}
