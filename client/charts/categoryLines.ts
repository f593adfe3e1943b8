import { create, extent, max, scaleLinear, scaleUtc, axisBottom, axisLeft, line, group, utcFormat } from 'd3';

/** One value of one category at one date, e.g. children on NEG plans at 31 March 2025. */
export interface CategoryValue {
  date: string;
  category: string;
  value: number;
}

export interface CategoryLinesOptions {
  title: string;
  /** Category code → name, colour and dash pattern; the order is the legend's. */
  styles: Record<string, { name: string; colour: string; dash: string }>;
  width?: number;
  height?: number;
  valueLabel?: string;
}

const parseDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const quarterLabel = utcFormat('%b %Y');

/**
 * A line per category over time, each labelled at its end so no reader needs colour to tell
 * them apart (WCAG 1.4.1). Returns an SVG with a title and a generated description; the page
 * puts the same numbers in a table beside it.
 */
export function categoryLines(data: CategoryValue[], options: CategoryLinesOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const height = options.height ?? 320;
  const margin = { top: 16, right: 130, bottom: 32, left: 48 };
  const dates = extent(data, (d) => parseDate(d.date)) as [Date, Date] | [undefined, undefined];
  const x = scaleUtc()
    .domain(dates[0] ? (dates as [Date, Date]) : [new Date(0), new Date(1)])
    .range([margin.left, width - margin.right]);
  const y = scaleLinear()
    .domain([0, max(data, (d) => d.value) || 1])
    .nice()
    .range([height - margin.bottom, margin.top]);

  const svg = create('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('class', 'chart category-lines');
  const titleId = `chart-title-${slug(options.title)}`;
  const descId = `${titleId}-desc`;
  svg.attr('aria-labelledby', `${titleId} ${descId}`);
  svg.append('title').attr('id', titleId).text(options.title);
  svg.append('desc').attr('id', descId).text(describe(data, options));

  svg
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).ticks(Math.min(8, Math.max(2, Math.floor(width / 110)))).tickFormat((d) => quarterLabel(d as Date)));
  svg
    .append('g')
    .attr('class', 'axis y-axis')
    .attr('transform', `translate(${margin.left},0)`)
    .call(axisLeft(y).ticks(6));
  if (options.valueLabel) {
    svg
      .append('text')
      .attr('class', 'axis-label')
      .attr('x', margin.left)
      .attr('y', margin.top - 4)
      .text(options.valueLabel);
  }

  const byCategory = group(data, (d) => d.category);
  const path = line<CategoryValue>()
    .x((d) => x(parseDate(d.date)))
    .y((d) => y(d.value));
  const endLabels: { category: string; y: number; text: string }[] = [];
  for (const [category, style] of Object.entries(options.styles)) {
    const values = (byCategory.get(category) ?? []).slice().sort((a, b) => a.date.localeCompare(b.date));
    if (values.length === 0) continue;
    svg
      .append('path')
      .attr('class', `series series-${category}`)
      .attr('fill', 'none')
      .attr('stroke', style.colour)
      .attr('stroke-width', 2.5)
      .attr('stroke-dasharray', style.dash || null)
      .attr('d', path(values));
    const last = values[values.length - 1]!;
    endLabels.push({ category, y: y(last.value), text: `${style.name} ${last.value}` });
  }

  // Push end labels apart so close lines keep readable labels.
  endLabels.sort((a, b) => a.y - b.y);
  for (let i = 1; i < endLabels.length; i++) {
    const previous = endLabels[i - 1]!;
    const current = endLabels[i]!;
    if (current.y - previous.y < 14) current.y = previous.y + 14;
  }
  svg
    .append('g')
    .attr('class', 'end-labels')
    .selectAll('text')
    .data(endLabels)
    .join('text')
    .attr('x', width - margin.right + 6)
    .attr('y', (d) => d.y)
    .attr('dy', '0.32em')
    .attr('fill', (d) => options.styles[d.category]!.colour)
    .text((d) => d.text);

  return svg.node()!;
}

function describe(data: CategoryValue[], options: CategoryLinesOptions): string {
  if (data.length === 0) return 'No data for this period.';
  const dates = [...new Set(data.map((d) => d.date))].sort();
  const first = dates[0]!;
  const last = dates[dates.length - 1]!;
  const parts = Object.entries(options.styles).flatMap(([category, style]) => {
    const start = data.find((d) => d.category === category && d.date === first);
    const end = data.find((d) => d.category === category && d.date === last);
    return start && end ? [`${style.name} ${start.value} to ${end.value}`] : [];
  });
  return `From ${quarterLabel(parseDate(first))} to ${quarterLabel(parseDate(last))}: ${parts.join('; ')}.`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
}
