// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { assuranceIcon, variationIcon } from '../../client/charts/mdcIcons.ts';
import { expectSvgSnapshot } from './snapshot.ts';

/** NHS "Making Data Count" icons (METRICS.md §13): each one drawn, and each with words. */
describe('Making Data Count icons', () => {
  it('matches the snapshots: variation (common cause, improvement low, concern high, neither) and assurance', () => {
    expectSvgSnapshot(variationIcon('common_cause', null), 'mdc-variation-common-cause');
    expectSvgSnapshot(variationIcon('improvement', 'low'), 'mdc-variation-improvement-low');
    expectSvgSnapshot(variationIcon('concern', 'high'), 'mdc-variation-concern-high');
    expectSvgSnapshot(variationIcon('neither', 'high'), 'mdc-variation-neither-high');
    expectSvgSnapshot(assuranceIcon('pass'), 'mdc-assurance-pass');
    expectSvgSnapshot(assuranceIcon('fail'), 'mdc-assurance-fail');
    expectSvgSnapshot(assuranceIcon('hit_and_miss'), 'mdc-assurance-hit-and-miss');
  });

  it('gives every icon a text alternative: role img, an aria-label and a title saying the same', () => {
    const icons = [
      [variationIcon('common_cause', null), 'common cause variation'],
      [variationIcon('improvement', 'low'), 'special cause variation: improvement, lower than expected'],
      [variationIcon('concern', 'high'), 'special cause variation: concern, higher than expected'],
      [variationIcon(null, null), 'variation: not judged (fewer than 15 points, or no value)'],
      [assuranceIcon('pass'), 'assurance: the process will consistently meet the target'],
      [assuranceIcon('fail'), 'assurance: the process will consistently miss the target'],
      [assuranceIcon('hit_and_miss'), 'assurance: the process will hit and miss the target at random'],
      [assuranceIcon(null), 'assurance: none (no target, or fewer than 15 points for process limits)'],
    ] as const;
    for (const [icon, words] of icons) {
      expect(icon.getAttribute('role')).toBe('img');
      expect(icon.getAttribute('aria-label')).toBe(words);
      expect(icon.querySelector('title')?.textContent).toBe(words);
    }
  });

  it('marks a high or low signal with H or L, and the assurance with P, F or ?', () => {
    const letterOf = (svg: SVGSVGElement) => svg.querySelector('text')?.textContent;
    expect(letterOf(variationIcon('concern', 'high'))).toBe('H');
    expect(letterOf(variationIcon('improvement', 'low'))).toBe('L');
    expect(variationIcon('common_cause', 'high').querySelector('text')).toBeNull();
    expect(letterOf(assuranceIcon('pass'))).toBe('P');
    expect(letterOf(assuranceIcon('fail'))).toBe('F');
    expect(letterOf(assuranceIcon('hit_and_miss'))).toBe('?');
  });
});
