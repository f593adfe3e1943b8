import { create } from 'd3';
import type { MdcAssurance, MdcVariation } from '../../metrics/contract/types.ts';
import { neutral, okabeIto } from './palette.ts';

/**
 * NHS England "Making Data Count" icons, drawn in SVG: the variation icon (common cause, special cause
 * improvement, concern, or neither, with H or L for a high or low signal) and the assurance icon
 * (pass, fail, hit and miss). The colours follow MDC's meaning with the product's Okabe-Ito palette
 * (improvement blue, concern vermilion, neither reddish purple, common cause grey); each icon has a
 * letter and a text alternative, so no reader needs the colour (WCAG 1.4.1).
 */

export const variationWords: Record<MdcVariation, string> = {
  common_cause: 'common cause variation',
  improvement: 'special cause variation: improvement',
  concern: 'special cause variation: concern',
  neither: 'special cause variation: neither improvement nor concern',
};

export const assuranceWords: Record<MdcAssurance, string> = {
  pass: 'assurance: the process will consistently meet the target',
  fail: 'assurance: the process will consistently miss the target',
  hit_and_miss: 'assurance: the process will hit and miss the target at random',
};

const colours: Record<MdcVariation | MdcAssurance | 'none', string> = {
  common_cause: neutral.line,
  improvement: okabeIto.blue,
  pass: okabeIto.blue,
  concern: okabeIto.vermilion,
  fail: okabeIto.vermilion,
  neither: okabeIto.reddishPurple,
  hit_and_miss: neutral.line,
  none: neutral.rule,
};

function frame(label: string, kind: string, colour: string, size: number) {
  const svg = create('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('viewBox', '0 0 40 40')
    .attr('width', size)
    .attr('height', size)
    .attr('role', 'img')
    .attr('aria-label', label)
    .attr('class', `mdc-icon ${kind}`);
  svg.append('title').text(label);
  svg
    .append('circle')
    .attr('cx', 20)
    .attr('cy', 20)
    .attr('r', 18)
    .attr('fill', '#ffffff')
    .attr('stroke', colour)
    .attr('stroke-width', 3);
  return svg;
}

/** A small run of dots across the icon: flat for common cause, ending high or low for a signal. */
function dots(svg: ReturnType<typeof frame>, colour: string, end: 'high' | 'low' | null): void {
  const ys = end === 'high' ? [24, 24, 23, 18, 14] : end === 'low' ? [16, 16, 17, 22, 26] : [22, 18, 22, 18, 22];
  const g = svg.append('g').attr('class', 'mdc-dots');
  ys.forEach((y, i) => {
    g.append('circle')
      .attr('cx', 9 + i * 5.5)
      .attr('cy', y)
      .attr('r', 2)
      .attr('fill', i >= 3 && end ? colour : neutral.mark);
  });
}

function letter(svg: ReturnType<typeof frame>, text: string, colour: string, y = 14): void {
  svg
    .append('text')
    .attr('x', 20)
    .attr('y', y)
    .attr('text-anchor', 'middle')
    .attr('font-size', 10)
    .attr('font-weight', 700)
    .attr('font-family', 'sans-serif')
    .attr('fill', colour)
    .text(text);
}

/**
 * The variation icon of a quarter's reading. `end` says whether the signal is high or low (the
 * letter H or L, as MDC draws it); null for common cause. A point not judged (fewer than 15 points,
 * a suppressed value) gets an empty grey ring that says so.
 */
export function variationIcon(variation: MdcVariation | null, end: 'high' | 'low' | null, size = 32): SVGSVGElement {
  if (variation === null) {
    const svg = frame(
      'variation: not judged (fewer than 15 points, or no value)',
      'mdc-variation-none',
      colours.none,
      size,
    );
    letter(svg, '–', neutral.line, 24);
    return svg.node()!;
  }
  const colour = colours[variation];
  const high = variation === 'common_cause' ? null : end;
  const words = variationWords[variation] + (high ? `, ${high === 'high' ? 'higher' : 'lower'} than expected` : '');
  const svg = frame(words, `mdc-variation mdc-${variation.replace('_', '-')}`, colour, size);
  dots(svg, colour, high);
  if (high) letter(svg, high === 'high' ? 'H' : 'L', colour, high === 'high' ? 34 : 12);
  svg.attr('data-variation', variation);
  return svg.node()!;
}

/** The assurance icon: P (pass), F (fail) or ? (hit and miss) on a target line; an empty ring when there is none. */
export function assuranceIcon(assurance: MdcAssurance | null, size = 32): SVGSVGElement {
  if (assurance === null) {
    const svg = frame(
      'assurance: none (no target, or fewer than 15 points for process limits)',
      'mdc-assurance-none',
      colours.none,
      size,
    );
    letter(svg, '–', neutral.line, 24);
    return svg.node()!;
  }
  const colour = colours[assurance];
  const svg = frame(assuranceWords[assurance], `mdc-assurance mdc-${assurance.replace(/_/g, '-')}`, colour, size);
  svg
    .append('line')
    .attr('x1', 8)
    .attr('x2', 32)
    .attr('y1', 28)
    .attr('y2', 28)
    .attr('stroke', colour)
    .attr('stroke-width', 2)
    .attr('stroke-dasharray', '3 2');
  letter(svg, assurance === 'pass' ? 'P' : assurance === 'fail' ? 'F' : '?', colour, 23);
  svg.attr('data-assurance', assurance);
  return svg.node()!;
}
