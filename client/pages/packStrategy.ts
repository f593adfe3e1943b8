import type { BoardPack } from '../../metrics/contract/types.ts';
import { h } from '../dom.ts';
import { packSection } from './packSection.ts';
import { scorecardTable } from './strategy.ts';

/**
 * The board pack's Strategy section: the neglect strategy's success indicators at the quarter, read
 * only and, for the board, suppressed like the rest of the pack (METRICS.md §7, §13). Absent when the
 * pack came without a scorecard.
 */
export function strategySection(pack: BoardPack): HTMLElement | null {
  const card = pack.strategy;
  if (!card || card.indicators.length === 0) return null;
  const onTrack = card.indicators.filter((s) => s.latest?.status === 'on_track').length;
  const targets = card.indicators.filter((s) => s.indicator.target).length;
  const reading =
    targets === 0
      ? `${card.indicators.length} success indicators are followed; no targets have been set yet.`
      : `${onTrack} of the ${targets} indicators with a target are on track.`;
  return packSection(
    'strategy',
    'Is the neglect strategy working? Success indicators',
    reading,
    h(
      'p',
      { class: 'note' },
      'Status compares the latest value with the straight line from the baseline to the target. The icons are NHS ' +
        'England’s “Making Data Count” readings: variation (is the latest quarter unusual?) and assurance (will the ' +
        'process meet its target?); neither is shown with fewer than 15 quarters.',
    ),
    h('div', { class: 'table-wrap' }, scorecardTable(card, { links: false, compact: true })),
  );
}
