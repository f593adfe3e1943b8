import { scaleBand, scaleUtc, utcFormat, utcYear } from 'd3';
import {
  chronologyLaneNames,
  chronologyLanes,
  type ChronologyLane,
  type ChronologySpell,
} from '../../metrics/contract/chronology.ts';
import { dateInWords } from '../../metrics/contract/caseListColumns.ts';
import { chartFrame, emphasisHatch, listInWords, round, shapePath } from './accessibility.ts';
import { bottomAxis, chartFontSize, widest } from './axes.ts';
import { neutral, okabeIto } from './palette.ts';

/** A neglect signal (METRICS.md §2) on the lane of the service that recorded it. */
export interface TimelineSignal {
  date: string;
  lane: ChronologyLane;
  /** What it was, in words: "Assessment authorised with factor 16A (neglect)". */
  label: string;
}

export interface ChronologyTimelineOptions {
  title: string;
  /** The date open spells run to (the extract date): they are drawn to it and called open. */
  until: string;
  width?: number;
  id?: string;
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * A child's spells of help on one lane per service (early help, child in need, child protection,
 * looked after), oldest at the left, with the neglect signals marked as diamonds on their lanes. A
 * spell that shows neglect is hatched and outlined; an open spell runs to the extract date and
 * ends in an arrow. Shape, hatch and words carry every meaning as well as colour; the description
 * says it all in words, and the page sets the same spells out in a table.
 */
export function chronologyTimeline(
  spells: readonly ChronologySpell[],
  signals: readonly TimelineSignal[],
  options: ChronologyTimelineOptions,
): SVGSVGElement {
  const width = options.width ?? 720;
  const laneHeight = 34;
  const legendHeight = 28;
  const left = widest(chronologyLanes.map((l) => chronologyLaneNames[l])) + 16;
  const margin = { top: 12 + legendHeight, right: 20, bottom: 32, left };
  const height = margin.top + laneHeight * chronologyLanes.length + margin.bottom;
  const dates = [...spells.flatMap((s) => [s.start, s.end ?? options.until]), ...signals.map((s) => s.date)];
  const first = dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : options.until;
  const x = scaleUtc()
    .domain([utcYear.floor(day(first)), utcYear.ceil(day(options.until))])
    .range([margin.left, width - margin.right]);
  const y = scaleBand<ChronologyLane>()
    .domain([...chronologyLanes])
    .range([margin.top, height - margin.bottom])
    .paddingInner(0.3)
    .paddingOuter(0.15);

  const { svg, id } = chartFrame('chronology-timeline', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(spells, signals, options.until),
  });
  const hatch = emphasisHatch(svg, `${id}-hatch`, 2);

  // Lanes: a name and a rule each.
  const lanes = svg.append('g').attr('class', 'lanes');
  for (const lane of chronologyLanes) {
    const top = y(lane)!;
    lanes
      .append('text')
      .attr('class', 'lane-name')
      .attr('x', margin.left - 8)
      .attr('y', round(top + y.bandwidth() / 2 + chartFontSize / 3))
      .attr('text-anchor', 'end')
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(chronologyLaneNames[lane]);
    lanes
      .append('line')
      .attr('x1', margin.left)
      .attr('x2', width - margin.right)
      .attr('y1', round(top + y.bandwidth()))
      .attr('y2', round(top + y.bandwidth()))
      .attr('stroke', neutral.rule);
  }

  const marks = svg.append('g').attr('class', 'spells');
  for (const spell of spells) {
    const x0 = x(day(spell.start));
    const x1 = Math.max(x(day(spell.end ?? options.until)), x0 + 3);
    const top = y(spell.lane)!;
    const g = marks.append('g').attr('class', `spell spell-${spell.lane}${spell.neglect ? ' spell-neglect' : ''}`);
    g.append('rect')
      .attr('x', round(x0))
      .attr('y', round(top + 4))
      .attr('width', round(x1 - x0))
      .attr('height', round(y.bandwidth() - 8))
      .attr('fill', spell.neglect ? hatch : okabeIto.blue)
      .attr('fill-opacity', spell.neglect ? 1 : 0.35)
      .attr('stroke', spell.neglect ? neutral.ink : okabeIto.blue)
      .attr('stroke-width', spell.neglect ? 1.5 : 1);
    if (spell.end === null) {
      const mid = top + y.bandwidth() / 2;
      g.append('path')
        .attr('class', 'open-arrow')
        .attr('d', `M${round(x1)},${round(mid - 7)}L${round(x1 + 8)},${round(mid)}L${round(x1)},${round(mid + 7)}Z`)
        .attr('fill', neutral.ink);
    }
  }

  const signalMarks = svg.append('g').attr('class', 'signals');
  for (const signal of signals) {
    signalMarks
      .append('path')
      .attr('class', 'signal')
      .attr('d', shapePath('diamond', 90))
      .attr('transform', `translate(${round(x(day(signal.date)))},${round(y(signal.lane)! + y.bandwidth() / 2)})`)
      .attr('fill', okabeIto.vermilion)
      .attr('stroke', '#ffffff')
      .attr('stroke-width', 1);
  }

  bottomAxis(svg, height - margin.bottom, {
    scale: x,
    configure: (axis) => axis.ticks(utcYear.every(yearStep(x.domain()))).tickFormat((d) => utcFormat('%Y')(d as Date)),
  });

  // Legend: what the hatch, the diamond and the arrow mean, in words beside each.
  const legend = svg.append('g').attr('class', 'legend').attr('transform', `translate(${margin.left},14)`);
  let at = 0;
  const entry = (draw: (g: typeof legend) => void, text: string) => {
    const g = legend.append('g').attr('transform', `translate(${at},0)`);
    draw(g);
    g.append('text').attr('x', 18).attr('y', 4).attr('font-size', chartFontSize).attr('fill', neutral.ink).text(text);
    at += 18 + widest([text]) + 18;
  };
  entry(
    (g) =>
      g
        .append('rect')
        .attr('x', 0)
        .attr('y', -7)
        .attr('width', 14)
        .attr('height', 14)
        .attr('fill', hatch)
        .attr('stroke', neutral.ink),
    'Spell showing neglect',
  );
  entry(
    (g) =>
      g
        .append('path')
        .attr('d', shapePath('diamond', 90))
        .attr('transform', 'translate(7,0)')
        .attr('fill', okabeIto.vermilion),
    'Neglect signal',
  );
  entry((g) => g.append('path').attr('d', 'M3,-7L11,0L3,7Z').attr('fill', neutral.ink), 'Still open');
  return svg.node()!;
}

/** Every year on a short history, fewer on a long one, so the labels never crowd. */
function yearStep([from, to]: Date[]): number {
  const years = to!.getUTCFullYear() - from!.getUTCFullYear();
  return years <= 8 ? 1 : years <= 16 ? 2 : 5;
}

function describe(spells: readonly ChronologySpell[], signals: readonly TimelineSignal[], until: string): string {
  if (spells.length === 0 && signals.length === 0) return 'No spells of help are recorded for this child.';
  const lanes = chronologyLanes
    .map((lane) => {
      const own = spells.filter((s) => s.lane === lane);
      if (own.length === 0) return `${chronologyLaneNames[lane]}: none`;
      const each = own.map(
        (s) =>
          `${dateInWords(s.start)} to ${s.end ? dateInWords(s.end) : `${dateInWords(until)} (still open)`}` +
          (s.neglect ? ', showing neglect' : ''),
      );
      return `${chronologyLaneNames[lane]}: ${own.length} ${own.length === 1 ? 'spell' : 'spells'}, ${listInWords(each)}`;
    })
    .join('. ');
  const marked = signals.length
    ? `${signals.length} neglect ${signals.length === 1 ? 'signal' : 'signals'}: ${listInWords(
        signals.map((s) => `${s.label} on ${dateInWords(s.date)}`),
      )}.`
    : 'No neglect signal is recorded.';
  return `${lanes}. ${marked}`;
}
