import { utcFormat, type ScaleTime, type Selection } from 'd3';
import { round } from './accessibility.ts';
import { neutral } from './palette.ts';

/**
 * Notes of practice on a trend chart (METRICS.md §13 annotations): what happened and when ("Graded
 * Care Profile 2 training for all health visitors"), so a change in the line can be read against it.
 * Every trend chart draws them the same way and says them the same way in its description.
 */
export interface ChartAnnotation {
  date: string;
  body: string;
  processChange: boolean;
}

/** The notes in words, numbered as their markers are, for the chart's description. */
export function annotationSentence(annotations: ChartAnnotation[]): string {
  const notes = annotations.map(
    (a, i) =>
      `${i + 1}, ${dayLabel(new Date(`${a.date}T00:00:00Z`))}: ${a.body}` +
      (a.processChange ? ' (a change in the process: limits recalculated from here)' : ''),
  );
  return `Notes of practice, marked by number: ${notes.join('; ')}.`;
}

const dayLabel = utcFormat('%-d %b %Y');

/**
 * A numbered marker per note of practice, at its date: a vertical rule (solid for a change in the
 * process, dashed otherwise) and its number at the top, with the note as the marker's title. Notes
 * outside the chart's dates are left to the description and the table.
 */
export function drawAnnotations(
  svg: Selection<SVGSVGElement, undefined, null, undefined>,
  annotations: ChartAnnotation[],
  x: ScaleTime<number, number>,
  plot: { top: number; bottom: number },
  [start, end]: [Date, Date],
): void {
  const group = svg.append('g').attr('class', 'annotation-markers');
  annotations.forEach((note, index) => {
    const time = new Date(`${note.date}T00:00:00Z`);
    if (time < start || time > end) return;
    const at = round(x(time));
    const marker = group
      .append('g')
      .attr('class', `annotation-marker${note.processChange ? ' process-change' : ''}`)
      .attr('data-noted-on', note.date);
    marker
      .append('title')
      .text(`${index + 1}. ${dayLabel(time)}: ${note.body}${note.processChange ? ' (a change in the process)' : ''}`);
    marker
      .append('line')
      .attr('x1', at)
      .attr('x2', at)
      .attr('y1', plot.top)
      .attr('y2', plot.bottom)
      .attr('stroke', neutral.ink)
      .attr('stroke-width', note.processChange ? 1.5 : 1)
      .attr('stroke-dasharray', note.processChange ? null : '4 3');
    marker
      .append('text')
      .attr('x', at)
      .attr('y', plot.top - 4)
      .attr('text-anchor', 'middle')
      .attr('font-size', 11)
      .attr('font-weight', 700)
      .attr('fill', neutral.ink)
      .text(String(index + 1));
  });
}
