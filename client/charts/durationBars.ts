import { max, scaleBand, scaleLinear } from 'd3';
import { formatCount } from '../format.ts';
import { chartFrame, emphasisHatch, listInWords, round } from './accessibility.ts';
import { axisLabel, chartFontSize, leftAxis, leftAxisMargin, measureText, suppressedMark } from './axes.ts';
import { neutral, okabeIto } from './palette.ts';

export interface DurationBand {
  /** Stable key, e.g. '2y_plus'. */
  band: string;
  /** What the reader sees, e.g. "2 years+". */
  label: string;
  /** A count, or 'c' when suppressed. */
  count: number | string;
}

export interface DurationBarsOptions {
  title: string;
  width?: number;
  height?: number;
  /** Band keys to emphasise with a hatch and a heavy outline, e.g. ['18m_2y', '2y_plus']. */
  emphasise?: string[];
  /** Legend text beside the hatch swatch, e.g. "Plans open 18 months or more". */
  emphasisLabel?: string;
  /** Above the y axis, e.g. "Children". */
  valueLabel?: string;
  id?: string;
}

/**
 * Children by plan duration as columns in band order, each with its count above it. A suppressed
 * count ('c') is a labelled c mark on the baseline (METRICS.md §7), never an empty or zero column.
 * Emphasised bands are hatched and outlined and named in a legend, so the emphasis survives
 * greyscale printing and does not rest on colour.
 */
export function durationBars(bands: DurationBand[], options: DurationBarsOptions): SVGSVGElement {
  const width = options.width ?? 560;
  const height = options.height ?? 280;
  const emphasised = new Set(options.emphasise ?? []);
  const anyEmphasis = bands.some((b) => emphasised.has(b.band));
  const y = scaleLinear()
    .domain([0, max(bands, (b) => (typeof b.count === 'number' ? b.count : 0)) || 1])
    .nice();
  const tickValues = y.ticks(5).filter(Number.isInteger);
  const left = leftAxisMargin(
    tickValues.map((t) => formatCount(t)),
    48,
  );
  const x = scaleBand<string>()
    .domain(bands.map((b) => b.band))
    .range([left, width - 16])
    .padding(0.25);
  // Band names wrap to the width of a step; the bottom margin grows with the most lines any needs.
  const wrapped = new Map(bands.map((b) => [b.band, wrap(b.label, x.step() - 4, emphasised.has(b.band))]));
  const lines = Math.max(1, ...[...wrapped.values()].map((l) => l.length));
  const margin = {
    top: anyEmphasis || options.valueLabel ? 44 : 24,
    right: 16,
    bottom: 16 + (lines - 1) * 13.2 + 14,
    left,
  };
  y.range([height - margin.bottom, margin.top]);

  const { svg, id } = chartFrame('duration-bars', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(bands, emphasised, options.emphasisLabel),
  });
  // Blue with white diagonals (emphasisHatch), defined only when a band is emphasised.
  const hatch = anyEmphasis ? emphasisHatch(svg, `${id}-hatch`, 2.5) : '';

  // Counts are whole children: no tick at 0.5.
  leftAxis(svg, margin.left, {
    scale: y,
    configure: (a) => a.tickValues(tickValues).tickFormat((d) => formatCount(Number(d))),
  });
  if (options.valueLabel) axisLabel(svg, options.valueLabel, { x: margin.left, y: margin.top - 22, anchor: 'start' });
  svg
    .append('line')
    .attr('class', 'baseline')
    .attr('x1', margin.left)
    .attr('x2', width - margin.right)
    .attr('y1', height - margin.bottom)
    .attr('y2', height - margin.bottom)
    .attr('stroke', neutral.ink)
    .attr('stroke-width', 1);

  const bandWidth = x.bandwidth();
  const body = svg.append('g').attr('class', 'bands');
  for (const band of bands) {
    const left = round(x(band.band) ?? margin.left);
    const centre = round(left + bandWidth / 2);
    const strong = emphasised.has(band.band);
    const numeric = typeof band.count === 'number' && Number.isFinite(band.count);
    const g = body.append('g').attr('class', `band band-${cssKey(band.band)}${strong ? ' emphasised' : ''}`);
    g.append('title').text(
      `${band.label}: ${countWords(band.count)}${strong && options.emphasisLabel ? ` (${options.emphasisLabel})` : ''}`,
    );
    const baseline = height - margin.bottom;
    if (numeric) {
      const top = round(y(band.count as number));
      g.append('rect')
        .attr('class', 'bar')
        .attr('x', left)
        .attr('y', top)
        .attr('width', round(bandWidth))
        .attr('height', round(baseline - top))
        .attr('fill', strong ? hatch : okabeIto.blue)
        .attr('stroke', strong ? neutral.ink : null)
        .attr('stroke-width', strong ? 2 : null);
      g.append('text')
        .attr('class', 'value-label')
        .attr('x', centre)
        .attr('y', top - 6)
        .attr('text-anchor', 'middle')
        .attr('font-size', chartFontSize)
        .attr('font-weight', strong ? 700 : 400)
        .attr('fill', neutral.ink)
        .text(formatCount(band.count));
    } else {
      // The c mark sits on the baseline: no column, whose height would be read as a number.
      suppressedMark(g, { x: centre, y: baseline - 12, label: band.label, className: 'value-label-mark' })
        .select('text')
        .attr('class', 'value-label suppressed');
    }
    const label = g
      .append('text')
      .attr('class', 'band-label')
      .attr('x', centre)
      .attr('y', baseline + 16)
      .attr('text-anchor', 'middle')
      .attr('font-size', chartFontSize)
      .attr('font-weight', strong ? 700 : 400)
      .attr('fill', neutral.ink);
    wrapped.get(band.band)!.forEach((text, i) => {
      label
        .append('tspan')
        .attr('x', centre)
        .attr('dy', i === 0 ? 0 : '1.1em')
        .text(text);
    });
  }

  if (anyEmphasis) {
    const legend = svg
      .append('g')
      .attr('class', 'legend')
      .attr('transform', `translate(${width - margin.right - 4},${12})`);
    const text = options.emphasisLabel ?? 'Emphasised';
    legend
      .append('text')
      .attr('x', 0)
      .attr('y', 7)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .attr('font-size', 12)
      .attr('fill', neutral.ink)
      .text(text);
    legend
      .append('rect')
      .attr('class', 'legend-swatch')
      .attr('x', -(measureText(text) + 24))
      .attr('y', 0)
      .attr('width', 16)
      .attr('height', 14)
      .attr('fill', hatch)
      .attr('stroke', neutral.ink)
      .attr('stroke-width', 2);
  }

  return svg.node()!;
}

function cssKey(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'band'
  );
}

function countWords(count: number | string): string {
  return typeof count === 'number' ? formatCount(count) : count === 'c' ? 'c (suppressed)' : count;
}

/** Words into lines at most `limit` px wide in the chart font (a long word keeps its own line). */
function wrap(text: string, limit: number, bold: boolean): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const current = lines[lines.length - 1];
    if (current !== undefined && measureText(`${current} ${word}`, chartFontSize, bold) <= limit)
      lines[lines.length - 1] = `${current} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [''];
}

function describe(bands: DurationBand[], emphasised: Set<string>, emphasisLabel: string | undefined): string {
  if (bands.length === 0) return 'No data for this period.';
  const parts = bands.map((b) => `${b.label} ${countWords(b.count)}`);
  const sentences = [`Children by plan duration: ${listInWords(parts)}.`];
  const strong = bands.filter((b) => emphasised.has(b.band)).map((b) => b.label);
  if (strong.length)
    sentences.push(`Emphasised${emphasisLabel ? ` (${emphasisLabel.toLowerCase()})` : ''}: ${listInWords(strong)}.`);
  return sentences.join(' ');
}
