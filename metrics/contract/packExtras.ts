/**
 * What the board pack carries besides figures (issue 10, "what a board expects"): whose pack it is,
 * the executive summary generated from its figures, and the officers' commentary. Part of the
 * contract (see types.ts): imports nothing outside this folder.
 */

/** The partnership and local authority a pack is for: on its cover and on every printed page. */
export interface Partnership {
  /** e.g. "Northbury Safeguarding Children Partnership" (lscb.config.json `partnership_name`). */
  name: string;
  la_name: string;
  la_code: string;
}

/** Plain-English sentences generated on the server from the pack's own (suppressed) figures. */
export interface ExecutiveSummary {
  /** The largest moves among the headline figures since the previous quarter. */
  changes: string[];
  /** What the SPC chart of neglect plans says. */
  signals: string[];
  /** Figures outside the range of England, the region and statistical neighbours. */
  outsideRange: string[];
}

/** One saved version of a quarter's commentary: append-only, so every version stays. */
export interface CommentaryVersion {
  version: number;
  /** Plain text as written: shown as text, never as markup. */
  body: string;
  author: string;
  /** UTC, ISO 8601 with a Z. */
  written_at: string;
}

/** GET /api/v1/commentary?quarter=… */
export interface CommentaryResponse {
  quarter: string;
  latest: CommentaryVersion | null;
  /** Officers and admins only: every version, newest first. */
  history?: CommentaryVersion[];
  /** Whether the signed-in user may save a new version. */
  canWrite: boolean;
  maxLength: number;
}
