import { create, extent, line, scaleLinear, scaleUtc } from 'd3';
import { round } from './accessibility.ts';
import { neutral } from './palette.ts';

export type SparklineInput = readonly (number | null)[] | readonly { date: string; value: number | null }[];

export interface SparklineOptions {
  width?: number;
  height?: number;
  colour?: string;
  /** A shared [min, max] so sparklines in one table column compare; defaults to this series' own. */
  domain?: [number, number];
}

/**
 * A word-sized trend for a table cell, hidden from assistive technology: the figures beside it
 * carry the meaning (the table states the latest value and its change in words). Dated values
 * are spaced by date, so a missing quarter shows as a longer step; bare numbers are evenly
 * spaced. Nulls break the line. The last point is marked so the eye finds "now".
 */
export function sparkline(values: SparklineInput, options: SparklineOptions = {}): SVGSVGElement {
  const width = options.width ?? 80;
  const height = options.height ?? 16;
  const inset = 2.5;
  const points = values.map((v, index) =>
    typeof v === 'object' && v !== null
      ? { at: new Date(`${v.date}T00:00:00Z`).getTime(), value: v.value }
      : { at: index, value: v },
  );
  const present = points.filter(
    (p): p is { at: number; value: number } => p.value !== null && Number.isFinite(p.value) && Number.isFinite(p.at),
  );

  const atExtent = extent(present, (p) => p.at);
  const valueExtent = options.domain ?? extent(present, (p) => p.value);
  const dated = values.length > 0 && typeof values[0] === 'object' && values[0] !== null;
  const xRange = [inset, width - inset];
  const x =
    atExtent[0] === undefined || atExtent[0] === atExtent[1]
      ? () => width / 2
      : (dated
          ? scaleUtc().domain(atExtent as [number, number])
          : scaleLinear().domain(atExtent as [number, number])
        ).range(xRange);
  const y = scaleLinear()
    .domain(valueExtent[0] === undefined ? [0, 1] : (valueExtent as [number, number]))
    .range([height - inset, inset])
    .clamp(true);

  const colour = options.colour ?? neutral.ink;
  const svg = create('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('aria-hidden', 'true')
    .attr('focusable', 'false')
    .attr('class', 'sparkline');

  const path = line<(typeof points)[number]>()
    .defined((p) => p.value !== null && Number.isFinite(p.value) && Number.isFinite(p.at))
    .x((p) => x(p.at))
    .y((p) => y(p.value ?? 0))
    .digits(2);
  svg
    .append('path')
    .attr('class', 'sparkline-line')
    .attr('fill', 'none')
    .attr('stroke', colour)
    .attr('stroke-width', 1.25)
    .attr('d', path(points));

  const last = present[present.length - 1];
  if (last) {
    svg
      .append('circle')
      .attr('class', 'sparkline-last')
      .attr('cx', round(x(last.at)))
      .attr('cy', round(y(last.value)))
      .attr('r', 2)
      .attr('fill', colour);
  }
  return svg.node()!;
}
