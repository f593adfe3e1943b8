import { axisBottom, max, scaleLinear } from 'd3';
import { formatCount, formatRate } from '../format.ts';
import { chartFrame, listInWords, mark, round, shapePath, type MarkShape } from './accessibility.ts';
import { neutral, okabeIto } from './palette.ts';

export type DotIntervalFlag = 'higher' | 'lower' | 'similar';

/** One group of a breakdown (e.g. an ethnic group); rate null for unknown, unborn or suppressed. */
export interface DotIntervalRow {
  /** Stable key, used in class names. */
  group: string;
  /** What the reader sees. */
  label: string;
  rate: number | null;
  low: number | null;
  high: number | null;
  flag: DotIntervalFlag | null;
  /** A count, or 'c' when suppressed. */
  count: number | string;
}

export interface DotIntervalOptions {
  title: string;
  /** The rate for all children, drawn as a labelled reference line. */
  reference: number;
  referenceLabel?: string;
  /** Under the x axis, e.g. "Rate per 10,000 children". */
  valueLabel?: string;
  /** Named in the description, e.g. "95% confidence interval". */
  intervalLabel?: string;
  width?: number;
  /** Defaults to a fixed height per row. */
  height?: number;
  /** Width of the group-name column at the left. */
  labelWidth?: number;
  id?: string;
}

const flagStyle: Record<DotIntervalFlag | 'none', { shape: MarkShape; fill: string; stroke: string }> = {
  higher: { shape: 'triangle', fill: okabeIto.vermilion, stroke: neutral.ink },
  lower: { shape: 'triangle-down', fill: okabeIto.blue, stroke: neutral.ink },
  similar: { shape: 'circle', fill: neutral.mark, stroke: neutral.line },
  none: { shape: 'circle', fill: '#ffffff', stroke: neutral.ink },
};

const rowHeight = 28;

/**
 * A rate and its interval for each group against the all-children rate, one row per group in the
 * order given: a ranking would invite a league table of communities, which the breakdown is not.
 * Each row says its flag in words ("higher", "similar", "lower") and shows it by shape; groups
 * with no rate say "count only" instead of a dot.
 */
export function dotInterval(rows: DotIntervalRow[], options: DotIntervalOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const labelWidth = options.labelWidth ?? 200;
  const margin = { top: 34, right: 200, bottom: options.valueLabel ? 46 : 30, left: labelWidth };
  const height = options.height ?? margin.top + Math.max(1, rows.length) * rowHeight + margin.bottom;
  const referenceLabel = options.referenceLabel ?? 'All children';
  const rowStep = rows.length > 0 ? (height - margin.top - margin.bottom) / rows.length : rowHeight;

  const highest = max([options.reference, ...rows.flatMap((r) => [r.rate, r.high].filter((v): v is number => v !== null && Number.isFinite(v)))]) ?? 1;
  const x = scaleLinear()
    .domain([0, highest || 1])
    .nice()
    .range([margin.left, width - margin.right]);

  const { svg } = chartFrame('dot-interval', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(rows, options, referenceLabel),
  });

  svg
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).ticks(6));
  if (options.valueLabel) {
    svg
      .append('text')
      .attr('class', 'axis-label')
      .attr('x', round((margin.left + width - margin.right) / 2))
      .attr('y', height - 8)
      .attr('text-anchor', 'middle')
      .attr('fill', neutral.line)
      .text(options.valueLabel);
  }

  const refX = round(x(options.reference));
  svg
    .append('line')
    .attr('class', 'reference-line')
    .attr('x1', refX)
    .attr('x2', refX)
    .attr('y1', margin.top - 6)
    .attr('y2', height - margin.bottom)
    .attr('stroke', neutral.ink)
    .attr('stroke-width', 1.5)
    .attr('stroke-dasharray', '4 3');
  svg
    .append('text')
    .attr('class', 'reference-label')
    .attr('x', refX)
    .attr('y', margin.top - 12)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', neutral.ink)
    .text(`${referenceLabel} ${formatRate(options.reference)}`);

  const body = svg.append('g').attr('class', 'rows');
  rows.forEach((row, index) => {
    const cy = round(margin.top + rowStep * index + rowStep / 2);
    const g = body.append('g').attr('class', `row group-${cssKey(row.group)}`);
    g.append('text')
      .attr('class', 'group-label')
      .attr('x', margin.left - 12)
      .attr('y', cy)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .attr('font-size', 12)
      .attr('fill', neutral.ink)
      .text(row.label);

    if (row.rate === null || !Number.isFinite(row.rate)) {
      g.append('text')
        .attr('class', 'count-only')
        .attr('x', margin.left + 4)
        .attr('y', cy)
        .attr('dy', '0.32em')
        .attr('font-size', 12)
        .attr('fill', neutral.line)
        .text(`count only: ${countWords(row.count)}`);
      return;
    }

    if (row.low !== null && row.high !== null && Number.isFinite(row.low) && Number.isFinite(row.high)) {
      const [x1, x2] = [round(x(row.low)), round(x(row.high))];
      g.append('path')
        .attr('class', 'interval')
        .attr('d', `M${x1},${cy - 5}V${cy + 5}M${x1},${cy}H${x2}M${x2},${cy - 5}V${cy + 5}`)
        .attr('fill', 'none')
        .attr('stroke', neutral.ink)
        .attr('stroke-width', 1.5);
    }
    const style = flagStyle[row.flag ?? 'none'];
    const dot = mark(g.node()!, {
      x: x(row.rate),
      y: cy,
      label: `${row.label}: ${rowWords(row)}`,
      className: `dot flag-${row.flag ?? 'none'}`,
      focusable: false,
    });
    dot.append('path')
      .attr('class', `shape shape-${style.shape}`)
      .attr('data-shape', style.shape)
      .attr('d', shapePath(style.shape, 70))
      .attr('fill', style.fill)
      .attr('stroke', style.stroke)
      .attr('stroke-width', 1.25);
    g.append('text')
      .attr('class', 'row-value')
      .attr('x', width - margin.right + 12)
      .attr('y', cy)
      .attr('dy', '0.32em')
      .attr('font-size', 12)
      .attr('fill', neutral.ink)
      .text(valueText(row));
  });

  return svg.node()!;
}

function cssKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'group';
}

function countWords(count: number | string): string {
  return count === 'c' ? 'c (suppressed)' : formatCount(count);
}

function valueText(row: DotIntervalRow): string {
  const interval = row.low !== null && row.high !== null ? ` (${formatRate(row.low)}–${formatRate(row.high)})` : '';
  return `${formatRate(row.rate)}${interval}${row.flag ? ` ${row.flag}` : ''}`;
}

function rowWords(row: DotIntervalRow): string {
  const interval = row.low !== null && row.high !== null ? `, interval ${formatRate(row.low)} to ${formatRate(row.high)}` : '';
  return `${formatRate(row.rate)}${interval}${row.flag ? `, ${row.flag}` : ''} (count ${countWords(row.count)})`;
}

function describe(rows: DotIntervalRow[], options: DotIntervalOptions, referenceLabel: string): string {
  const what = options.valueLabel ?? 'Rate';
  const sentences = [
    `${what} for ${rows.length} ${rows.length === 1 ? 'group' : 'groups'}, each with its ${options.intervalLabel ?? '95% confidence interval'}, ` +
      `against ${referenceLabel.toLowerCase()} (${formatRate(options.reference)}).`,
  ];
  const rated = rows.filter((r) => r.rate !== null && Number.isFinite(r.rate));
  for (const flag of ['higher', 'similar', 'lower'] as const) {
    const named = rated.filter((r) => r.flag === flag).map((r) => `${r.label} ${formatRate(r.rate)}`);
    if (named.length) sentences.push(`${flag[0]!.toUpperCase()}${flag.slice(1)}: ${listInWords(named)}.`);
  }
  const unflagged = rated.filter((r) => r.flag === null).map((r) => `${r.label} ${formatRate(r.rate)}`);
  if (unflagged.length) sentences.push(`Not compared: ${listInWords(unflagged)}.`);
  const countOnly = rows.filter((r) => r.rate === null || !Number.isFinite(r.rate)).map((r) => `${r.label} (${countWords(r.count)})`);
  if (countOnly.length) sentences.push(`Count only: ${listInWords(countOnly)}.`);
  return sentences.join(' ');
}
