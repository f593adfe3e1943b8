import { extent, line, max, scaleLinear, scaleUtc, utcFormat } from 'd3';
import { annotationSentence, drawAnnotations, type ChartAnnotation } from './annotationMarkers.ts';
import { formatCount } from '../format.ts';
import { chartFrame, listInWords } from './accessibility.ts';
import {
  axisLabel,
  bottomAxis,
  drawEndLabels,
  endLabelMargin,
  isSuppressedValue,
  leftAxis,
  leftAxisMargin,
  suppressedMark,
  type EndLabel,
} from './axes.ts';

/** One value of one category at one date, e.g. children on NEG plans at 31 March 2025. */
export interface CategoryValue {
  date: string;
  category: string;
  /** A count, or 'c' when suppressed (METRICS.md §7): drawn as a break with a c mark, never as 0. */
  value: number | string;
}

export interface CategoryLinesOptions {
  title: string;
  /** Category code → name, colour and dash pattern; the order is the legend's. */
  styles: Record<string, { name: string; colour: string; dash: string }>;
  width?: number;
  height?: number;
  valueLabel?: string;
  id?: string;
  /** Notes of practice as numbered markers at their dates, and in the description (METRICS.md §13). */
  annotations?: ChartAnnotation[];
}

const parseDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const quarterLabel = utcFormat('%b %Y');
const numeric = (d: CategoryValue): d is CategoryValue & { value: number } => !isSuppressedValue(d.value);
const shown = (value: number | string) => (typeof value === 'number' ? formatCount(value) : value);

/**
 * A line per category over time, each labelled at its end so no reader needs colour to tell
 * them apart (WCAG 1.4.1). A suppressed value breaks its line and shows a c mark in the gap, at the
 * height between its neighbours where the line would have passed, so no suppressed figure is read as
 * zero. Returns an SVG with a title and a generated description; the page puts the same numbers in a
 * table beside it.
 */
export function categoryLines(data: CategoryValue[], options: CategoryLinesOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const height = options.height ?? 320;
  const series = Object.entries(options.styles)
    .map(([category, style]) => ({
      category,
      style,
      values: data.filter((d) => d.category === category).sort((a, b) => a.date.localeCompare(b.date)),
    }))
    .filter((s) => s.values.length > 0);

  const endLabels: EndLabel[] = series.map(({ category, style, values }) => ({
    y: 0,
    text: `${style.name} ${shown(values[values.length - 1]!.value)}`,
    className: `end-label series-${category}`,
    colour: style.colour,
    bold: true,
  }));
  const y = scaleLinear()
    .domain([0, max(data.filter(numeric), (d) => d.value) || 1])
    .nice();
  const yTicks = y.ticks(6).map((t) => formatCount(t));
  // A c mark at the last date reaches 8 px past the plot: the end labels then start clear of it.
  const labelGap = series.some(({ values }) => !numeric(values[values.length - 1]!)) ? 12 : 6;
  // The right margin fits the longest end label ("Emotional abuse 50" was cut to "…5").
  const margin = {
    top: 16,
    right: endLabelMargin(endLabels, 40) + labelGap - 6,
    bottom: 32,
    left: leftAxisMargin(yTicks, 40),
  };
  y.range([height - margin.bottom, margin.top]);
  const dates = extent(data, (d) => parseDate(d.date)) as [Date, Date] | [undefined, undefined];
  const x = scaleUtc()
    .domain(dates[0] ? (dates as [Date, Date]) : [new Date(0), new Date(1)])
    .range([margin.left, width - margin.right]);

  const { svg } = chartFrame('category-lines', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(data, options),
  });

  if (options.annotations?.length && dates[0] && dates[1]) {
    drawAnnotations(svg, options.annotations, x, { top: margin.top, bottom: height - margin.bottom }, [
      dates[0],
      dates[1],
    ]);
  }

  const plotWidth = width - margin.left - margin.right;
  bottomAxis(svg, height - margin.bottom, {
    scale: x,
    configure: (a) =>
      a.ticks(Math.min(8, Math.max(2, Math.floor(plotWidth / 90)))).tickFormat((d) => quarterLabel(d as Date)),
  });
  leftAxis(svg, margin.left, { scale: y, configure: (a) => a.ticks(6) });
  if (options.valueLabel) axisLabel(svg, options.valueLabel, { x: margin.left, y: margin.top - 4, anchor: 'start' });

  // defined() breaks the line at every suppressed value instead of joining across it or dropping to 0.
  const path = line<CategoryValue>()
    .defined(numeric)
    .x((d) => x(parseDate(d.date)))
    .y((d) => y(d.value as number))
    .digits(2);
  const lines = svg.append('g').attr('class', 'series-lines');
  const marks = svg.append('g').attr('class', 'suppressed-marks');
  // Two series suppressed at one date between similar neighbours would stack their marks: each
  // later one moves up until it clears the others at that date.
  const taken = new Map<number, number[]>();
  const clear = (mx: number, my: number) => {
    const ys = taken.get(Math.round(mx)) ?? [];
    let y0 = my;
    while (ys.some((t) => Math.abs(t - y0) < 18)) y0 -= 18;
    taken.set(Math.round(mx), [...ys, y0]);
    return y0;
  };
  series.forEach(({ category, style, values }, index) => {
    lines
      .append('path')
      .attr('class', `series series-${category}`)
      .attr('fill', 'none')
      .attr('stroke', style.colour)
      .attr('stroke-width', 2.5)
      .attr('stroke-dasharray', style.dash || null)
      .attr('d', path(values));
    values.forEach((d, i) => {
      if (numeric(d)) return;
      const mx = x(parseDate(d.date));
      suppressedMark(marks, {
        x: mx,
        y: clear(mx, gapHeight(values, i, y, height - margin.bottom)),
        label: `${style.name}, ${quarterLabel(parseDate(d.date))}`,
        colour: style.colour,
        className: `series-${category}`,
      });
    });
    const last = values[values.length - 1]!;
    endLabels[index]!.y = numeric(last)
      ? y(last.value)
      : gapHeight(values, values.length - 1, y, height - margin.bottom);
  });

  drawEndLabels(svg.append('g').attr('class', 'end-labels'), endLabels, {
    x: width - margin.right + labelGap,
    top: margin.top,
    bottom: height - margin.bottom,
  });
  return svg.node()!;
}

/** Where the line would have passed: between the nearest shown neighbours, or level with the one there is. */
function gapHeight(values: CategoryValue[], index: number, y: (v: number) => number, fallback: number): number {
  const before = values.slice(0, index).reverse().find(numeric);
  const after = values.slice(index + 1).find(numeric);
  const around = [before, after]
    .filter((d): d is CategoryValue & { value: number } => d !== undefined)
    .map((d) => y(d.value));
  return around.length ? around.reduce((a, b) => a + b, 0) / around.length : fallback - 10;
}

function describe(data: CategoryValue[], options: CategoryLinesOptions): string {
  if (data.length === 0) return 'No data for this period.';
  const dates = [...new Set(data.map((d) => d.date))].sort();
  const first = dates[0]!;
  const last = dates[dates.length - 1]!;
  const parts = Object.entries(options.styles).flatMap(([category, style]) => {
    const start = data.find((d) => d.category === category && d.date === first);
    const end = data.find((d) => d.category === category && d.date === last);
    return start && end ? [`${style.name} ${shown(start.value)} to ${shown(end.value)}`] : [];
  });
  const sentences = [
    `From ${quarterLabel(parseDate(first))} to ${quarterLabel(parseDate(last))}: ${parts.join('; ')}.`,
  ];
  const hidden = Object.entries(options.styles).flatMap(([category, style]) => {
    const at = data.filter((d) => d.category === category && !numeric(d)).map((d) => quarterLabel(parseDate(d.date)));
    return at.length ? [`${style.name} at ${listInWords(at)}`] : [];
  });
  if (hidden.length) sentences.push(`Suppressed (c, shown as a break in the line): ${listInWords(hidden)}.`);
  if (options.annotations?.length) sentences.push(annotationSentence(options.annotations));
  return sentences.join(' ');
}
