import { max, scaleLinear } from 'd3';
import { formatCount, formatRate } from '../format.ts';
import { chartFrame, listInWords, round } from './accessibility.ts';
import { chartFontSize, suppressedMark, widest } from './axes.ts';
import { neutral, okabeIto } from './palette.ts';

export type ContinuumStage = 'early_help' | 'cin' | 'cp' | 'looked_after';

export interface ContinuumRow {
  key: ContinuumStage;
  label: string;
  /** A count, or 'c' when suppressed. */
  children: number | string;
  /** Per 10,000 children; 'c' when suppressed, null or absent when there is none. */
  rate?: number | string | null;
  /**
   * How neglect is seen at this stage, in words (early help: the neglect flag or factor 16A; looked
   * after: category of need N1, abuse or neglect), drawn under the bar and read in the description:
   * each stage records neglect differently (METRICS.md §2), and the chart must not hide that.
   */
  basis?: string;
}

export interface ContinuumOptions {
  title: string;
  width?: number;
  height?: number;
  /** Least width of the stage-name column at the left; it grows to fit the longest name. */
  labelWidth?: number;
  id?: string;
}

// The continuum reads from the least to the most intrusive help, whatever order the rows come in.
const stageOrder: Record<ContinuumStage, number> = { early_help: 0, cin: 1, cp: 2, looked_after: 3 };
const rowHeight = 36;
/** A row with its basis in words under the bar. */
const rowHeightWithBasis = 54;
const basisFontSize = 11;
const barHeight = 20;

/**
 * Children with neglect at each stage of the continuum, early help to child protection and on to
 * being looked after, as bars labelled with the count and the rate per 10,000, each with how that
 * stage sees neglect when given. A suppressed count ('c') is a labelled c mark with no bar (METRICS.md
 * §7), because any bar length would disclose the number. The name column fits the longest stage name
 * ("Child in need (not on a plan)" lost "Child" in a fixed 150 px).
 */
export function continuum(stages: ContinuumRow[], options: ContinuumOptions): SVGSVGElement {
  const width = options.width ?? 640;
  const rows = stages.slice().sort((a, b) => (stageOrder[a.key] ?? 4) - (stageOrder[b.key] ?? 4));
  const margin = {
    top: 8,
    right: 16,
    bottom: 8,
    left: Math.max(options.labelWidth ?? 150, widest(rows.map((r) => r.label)) + 16),
  };
  const withBasis = rows.some((r) => r.basis);
  const height =
    options.height ??
    margin.top + Math.max(1, rows.length) * (withBasis ? rowHeightWithBasis : rowHeight) + margin.bottom;
  const rowStep = rows.length > 0 ? (height - margin.top - margin.bottom) / rows.length : rowHeight;

  // Leave room after the longest bar for its label.
  const longestLabel = widest(rows.map(valueText));
  const x = scaleLinear()
    .domain([0, max(rows, (r) => (typeof r.children === 'number' ? r.children : 0)) || 1])
    .range([margin.left, Math.max(margin.left + 40, width - margin.right - longestLabel - 8)]);

  const { svg } = chartFrame('continuum', {
    title: options.title,
    id: options.id,
    width,
    height,
    description: describe(rows),
  });

  svg
    .append('line')
    .attr('class', 'baseline')
    .attr('x1', margin.left)
    .attr('x2', margin.left)
    .attr('y1', margin.top)
    .attr('y2', height - margin.bottom)
    .attr('stroke', neutral.ink)
    .attr('stroke-width', 1);

  const body = svg.append('g').attr('class', 'stages');
  rows.forEach((row, index) => {
    // With a basis line the bar sits in the upper part of its row and the words below it.
    const cy = round(margin.top + rowStep * index + (withBasis ? barHeight / 2 + 6 : rowStep / 2));
    const g = body.append('g').attr('class', `stage stage-${row.key}`);
    g.append('title').text(`${row.label}: ${valueText(row)}`);
    g.append('text')
      .attr('class', 'stage-label')
      .attr('x', margin.left - 10)
      .attr('y', cy)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .attr('font-size', chartFontSize)
      .attr('fill', neutral.ink)
      .text(row.label);
    if (typeof row.children === 'number' && Number.isFinite(row.children)) {
      const end = round(x(row.children));
      g.append('rect')
        .attr('class', 'bar')
        .attr('x', margin.left)
        .attr('y', round(cy - barHeight / 2))
        .attr('width', round(end - margin.left))
        .attr('height', barHeight)
        // Looked after is a count at the as-at date, not a highest stage of the quarter: another colour.
        .attr('fill', row.key === 'looked_after' ? okabeIto.bluishGreen : okabeIto.blue);
      g.append('text')
        .attr('class', 'value-label')
        .attr('x', end + 6)
        .attr('y', cy)
        .attr('dy', '0.32em')
        .attr('font-size', chartFontSize)
        .attr('fill', neutral.ink)
        .text(valueText(row));
    } else {
      suppressedMark(g, { x: margin.left + 12, y: cy, label: row.label, className: 'value-label-mark' })
        .select('text')
        .attr('class', 'value-label suppressed');
    }
    if (row.basis) {
      g.append('text')
        .attr('class', 'stage-basis')
        .attr('x', margin.left + 4)
        .attr('y', round(cy + barHeight / 2 + 14))
        .attr('font-size', basisFontSize)
        .attr('fill', neutral.ink)
        .text(row.basis);
    }
  });

  return svg.node()!;
}

function rateText(rate: ContinuumRow['rate']): string {
  if (rate === null || rate === undefined) return '';
  if (typeof rate === 'number' && !Number.isFinite(rate)) return '';
  return `${formatRate(rate)} per 10,000`;
}

function valueText(row: ContinuumRow): string {
  // A suppressed count suppresses its rate too; "c, c per 10,000" would say nothing more.
  if (typeof row.children !== 'number') return row.children;
  const count = `${formatCount(row.children)} ${row.children === 1 ? 'child' : 'children'}`;
  const rate = rateText(row.rate);
  return rate ? `${count}, ${rate}` : count;
}

function describe(rows: ContinuumRow[]): string {
  if (rows.length === 0) return 'No data for this period.';
  const parts = rows.map((row) => {
    if (typeof row.children !== 'number')
      return `${row.label} ${row.children === 'c' ? 'c (suppressed)' : row.children}`;
    const rate = row.rate === 'c' ? 'rate suppressed' : rateText(row.rate);
    return `${row.label} ${formatCount(row.children)}${rate ? ` (${rate})` : ''}`;
  });
  const withBasis = rows.map((row, i) => (row.basis ? `${parts[i]} (${row.basis})` : parts[i]!));
  const to = rows.some((r) => r.key === 'looked_after') ? 'being looked after' : 'child protection';
  return `Children with neglect at each stage, from early help to ${to}: ${listInWords(withBasis)}.`;
}
