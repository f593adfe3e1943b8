import type { BoardPack } from '../../metrics/contract/types.ts';
import { prepareTables } from '../downloads.ts';
import { commentarySection } from './commentary.ts';
import { executiveSummarySection, packCover } from './packCover.ts';

/**
 * What a board expects around the figures (issue 10): the cover, the executive summary and the
 * commentary before the sections, and a CSV download under every table. Called once the pack's
 * sections are on the page.
 */
export function addPackExtras(pack: BoardPack, into: HTMLElement): void {
  into.prepend(packCover(pack), executiveSummarySection(pack), commentarySection(pack));
  prepareTables(into, pack.period.to);
}
