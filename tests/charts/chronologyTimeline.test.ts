// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { chronologyTimeline, type TimelineSignal } from '../../client/charts/chronologyTimeline.ts';
import type { ChronologySpell } from '../../metrics/contract/chronology.ts';
import { expectIdsResolve, expectNoBadNumbers, expectSvgSnapshot, expectTitleAndDesc } from './snapshot.ts';

// The child of tests/metrics/chronology.test.ts: early help with neglect, a CIN episode holding a
// 16A assessment, a neglect plan stepped down, then care from September 2024, still open.
const spells: ChronologySpell[] = [
  { lane: 'early_help', start: '2023-01-10', end: '2023-06-01', code: null, neglect: true },
  { lane: 'cin', start: '2023-06-01', end: '2024-08-01', code: 'N1', neglect: true },
  { lane: 'cp', start: '2023-06-01', end: '2024-02-01', code: 'NEG', neglect: true },
  { lane: 'looked_after', start: '2024-09-01', end: null, code: 'N1', neglect: false },
];
const signals: TimelineSignal[] = [
  { date: '2023-01-10', lane: 'early_help', label: 'Early help started showing neglect' },
  { date: '2023-06-01', lane: 'cin', label: 'Assessment authorised with factor 16A (neglect)' },
  { date: '2023-06-01', lane: 'cp', label: 'CP plan started under neglect' },
];
const options = { title: 'Spells of help for child K', until: '2026-03-31' };

describe('chronologyTimeline', () => {
  it('matches the snapshot', () => {
    expectSvgSnapshot(chronologyTimeline(spells, signals, options), 'chronology-timeline');
  });

  it('says every spell and signal in words', () => {
    const { desc } = expectTitleAndDesc(chronologyTimeline(spells, signals, options));
    expect(desc).toBe(
      'Early help: 1 spell, 10 January 2023 to 1 June 2023, showing neglect. ' +
        'Child in need: 1 spell, 1 June 2023 to 1 August 2024, showing neglect. ' +
        'Child protection: 1 spell, 1 June 2023 to 1 February 2024, showing neglect. ' +
        'Looked after: 1 spell, 1 September 2024 to 31 March 2026 (still open). ' +
        '3 neglect signals: Early help started showing neglect on 10 January 2023, Assessment authorised with ' +
        'factor 16A (neglect) on 1 June 2023 and CP plan started under neglect on 1 June 2023.',
    );
  });

  it('draws a mark per spell on its lane, hatches neglect, and an arrow for the open one', () => {
    const svg = chronologyTimeline(spells, signals, options);
    expect(svg.querySelectorAll('.spell')).toHaveLength(4);
    expect(svg.querySelectorAll('.spell-neglect')).toHaveLength(3);
    expect(svg.querySelectorAll('.spell-looked_after .open-arrow')).toHaveLength(1);
    expect(svg.querySelectorAll('.signal')).toHaveLength(3);
    expect([...svg.querySelectorAll('.lane-name')].map((t) => t.textContent)).toEqual([
      'Early help',
      'Child in need',
      'Child protection',
      'Looked after',
    ]);
    expectNoBadNumbers(svg);
    expectIdsResolve(svg);
  });

  it('says so when nothing is recorded', () => {
    const svg = chronologyTimeline([], [], options);
    expect(expectTitleAndDesc(svg).desc).toBe('No spells of help are recorded for this child.');
    expectNoBadNumbers(svg);
  });
});
