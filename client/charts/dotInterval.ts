import { max, scaleLinear } from 'd3';
import { formatCount, formatRate } from '../format.ts';
import { chartFrame, listInWords, mark, round, shapePath, type MarkShape } from './accessibility.ts';
import { axisLabel, bottomAxis, chartFontSize, fitCentred, measureText, suppressedMark, widest } from './axes.ts';
import { neutral, okabeIto } from './palette.ts';

export type DotIntervalFlag = 'higher' | 'lower' | 'similar';

/** One group of a breakdown (e.g. an ethnic group); rate null for unknown or unborn (count only), 'c' when suppressed. */
export interface DotIntervalRow {
  /** Stable key, used in class names. */
  group: string;
  /** What the reader sees. */
  label: string;
  rate: number | string | null;
  low: number | null;
  high: number | null;
  flag: DotIntervalFlag | null;
  /** A count, or 'c' when suppressed. */
  count: number | string;
}

export interface DotIntervalOptions {
  title: string;
  /** The rate for all children, drawn as a labelled reference line; null when it cannot be shown. */
  reference: number | null;
  referenceLabel?: string;
  /** Under the x axis, e.g. "Rate per 10,000 children". */
  valueLabel?: string;
  /** Named in the description, e.g. "95% confidence interval". */
  intervalLabel?: string;
  width?: number;
  /** Defaults to a fixed height per row. */
  height?: number;
  /** Least width of the group-name column at the left; it grows to fit the longest name. */
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
 * with no rate say "count only" instead of a dot, and a suppressed rate is a labelled c mark
 * (METRICS.md §7). Both sit in the value column at the right, where the reference line cannot cross
 * them. The name and value columns fit their longest text.
 */
export function dotInterval(rows: DotIntervalRow[], options: DotIntervalOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const labelWidth = Math.max(options.labelWidth ?? 80, widest(rows.map((r) => r.label)) + 16);
  // The value column holds "12.3 (10.1–14.9) similar", "count only: 7" or a c mark and its words.
  const valueWidth = widest(rows.map((r) => (hasRate(r) ? valueText(r) : 'count only: 9,999')));
  const margin = {
    top: 34,
    right: Math.max(120, valueWidth + 24),
    bottom: options.valueLabel ? 46 : 30,
    left: labelWidth,
  };
  const height = options.height ?? margin.top + Math.max(1, rows.length) * rowHeight + margin.bottom;
  const referenceLabel = options.referenceLabel ?? 'All children';
  const reference = options.reference !== null && Number.isFinite(options.reference) ? options.reference : null;
  const rowStep = rows.length > 0 ? (height - margin.top - margin.bottom) / rows.length : rowHeight;

  const highest =
    max([
      reference ?? 0,
      ...rows.flatMap((r) =>
        [hasRate(r) ? r.rate : null, r.high].filter((v): v is number => v !== null && Number.isFinite(v)),
      ),
    ]) ?? 1;
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

  bottomAxis(svg, height - margin.bottom, {
    scale: x,
    configure: (a) => a.ticks(Math.max(2, Math.min(6, Math.floor((width - margin.left - margin.right) / 60)))),
  });
  if (options.valueLabel) {
    axisLabel(svg, options.valueLabel, { x: (margin.left + width - margin.right) / 2, y: height - 8 });
  }

  if (reference !== null) {
    const refX = round(x(reference));
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
    const text = `${referenceLabel} ${formatRate(reference)}`;
    const at = fitCentred(refX, measureText(text), 4, width - 4);
    svg
      .append('text')
      .attr('class', 'reference-label')
      .attr('x', round(at.x))
      .attr('y', margin.top - 12)
      .attr('text-anchor', at.anchor)
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(text);
  } else {
    // "All children 0.0" on a 0–1 axis read as a rate of zero; say instead why there is no line.
    svg
      .append('text')
      .attr('class', 'reference-label suppressed')
      .attr('x', margin.left)
      .attr('y', margin.top - 12)
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(`${referenceLabel}: not shown (suppressed)`);
  }

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
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(row.label);

    const valueX = width - margin.right + 12;
    if (!hasRate(row)) {
      // Count only (unknown, unborn) or a suppressed rate: words in the value column, a c as a mark.
      const suppressed = row.rate === 'c' || row.count === 'c';
      let textX = valueX;
      if (suppressed) {
        suppressedMark(g, { x: valueX + 8, y: cy, label: row.label });
        textX += 22;
      }
      const words =
        row.rate === 'c' ? 'suppressed' : row.count === 'c' ? 'count only' : `count only: ${countWords(row.count)}`;
      g.append('text')
        .attr('class', row.rate === 'c' ? 'suppressed-words' : 'count-only')
        .attr('x', textX)
        .attr('y', cy)
        .attr('dy', '0.32em')
        .attr('font-size', chartFontSize)
        .attr('fill', neutral.line)
        .text(words);
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
    dot
      .append('path')
      .attr('class', `shape shape-${style.shape}`)
      .attr('data-shape', style.shape)
      .attr('d', shapePath(style.shape, 70))
      .attr('fill', style.fill)
      .attr('stroke', style.stroke)
      .attr('stroke-width', 1.25);
    g.append('text')
      .attr('class', 'row-value')
      .attr('x', valueX)
      .attr('y', cy)
      .attr('dy', '0.32em')
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(valueText(row));
  });

  return svg.node()!;
}

function hasRate(row: DotIntervalRow): row is DotIntervalRow & { rate: number } {
  return typeof row.rate === 'number' && Number.isFinite(row.rate);
}

function cssKey(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'group'
  );
}

function countWords(count: number | string): string {
  return count === 'c' ? 'c (suppressed)' : formatCount(count);
}

function valueText(row: DotIntervalRow): string {
  const interval = row.low !== null && row.high !== null ? ` (${formatRate(row.low)}–${formatRate(row.high)})` : '';
  return `${formatRate(row.rate)}${interval}${row.flag ? ` ${row.flag}` : ''}`;
}

function rowWords(row: DotIntervalRow): string {
  const interval =
    row.low !== null && row.high !== null ? `, interval ${formatRate(row.low)} to ${formatRate(row.high)}` : '';
  return `${formatRate(row.rate)}${interval}${row.flag ? `, ${row.flag}` : ''} (count ${countWords(row.count)})`;
}

function describe(rows: DotIntervalRow[], options: DotIntervalOptions, referenceLabel: string): string {
  const what = options.valueLabel ?? 'Rate';
  const reference =
    options.reference !== null && Number.isFinite(options.reference)
      ? formatRate(options.reference)
      : 'not shown: suppressed';
  const sentences = [
    `${what} for ${rows.length} ${rows.length === 1 ? 'group' : 'groups'}, each with its ${options.intervalLabel ?? '95% confidence interval'}, ` +
      `against ${referenceLabel.toLowerCase()} (${reference}).`,
  ];
  const rated = rows.filter(hasRate);
  for (const flag of ['higher', 'similar', 'lower'] as const) {
    const named = rated.filter((r) => r.flag === flag).map((r) => `${r.label} ${formatRate(r.rate)}`);
    if (named.length) sentences.push(`${flag[0]!.toUpperCase()}${flag.slice(1)}: ${listInWords(named)}.`);
  }
  const unflagged = rated.filter((r) => r.flag === null).map((r) => `${r.label} ${formatRate(r.rate)}`);
  if (unflagged.length) sentences.push(`Not compared: ${listInWords(unflagged)}.`);
  const suppressed = rows.filter((r) => r.rate === 'c').map((r) => r.label);
  if (suppressed.length) sentences.push(`Suppressed (c): ${listInWords(suppressed)}.`);
  const countOnly = rows.filter((r) => !hasRate(r) && r.rate !== 'c').map((r) => `${r.label} (${countWords(r.count)})`);
  if (countOnly.length) sentences.push(`Count only: ${listInWords(countOnly)}.`);
  return sentences.join(' ');
}
