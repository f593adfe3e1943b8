/**
 * A child's chronology as the API sends it (GET /api/v1/children/:id/chronology), shared by the
 * server (metrics/chronology.ts) and the page (client/pages/chronology.ts).
 */
export interface ChronologyEvent {
  /** YYYY-MM-DD. Events of one day come in the order of the process (docs/DECISIONS.md). */
  date: string;
  /** What happened, as a key: referral, assessment_authorised, cp_plan_started, ... */
  kind: string;
  service: string;
  event: string;
  /** The codes of the event in words ("Source: Health services: GP"); '' when there are none. */
  detail: string;
  /** A neglect signal of METRICS.md §2: EH showing neglect, a 16A assessment, a plan starting NEG. */
  neglect: boolean;
}

export const chronologyLanes = ['early_help', 'cin', 'cp', 'looked_after'] as const;
export type ChronologyLane = (typeof chronologyLanes)[number];

export const chronologyLaneNames: Record<ChronologyLane, string> = {
  early_help: 'Early help',
  cin: 'Child in need',
  cp: 'Child protection',
  looked_after: 'Looked after',
};

/** One spell of help on the timeline: an EH episode, a CIN episode, a CP plan or a care episode. */
export interface ChronologySpell {
  lane: ChronologyLane;
  start: string;
  /** null while it is open. */
  end: string | null;
  /** The CP plan's initial category, the CIN episode's primary need, the care episode's need. */
  code: string | null;
  neglect: boolean;
}

export interface ChildChronology {
  child: string;
  /** The extract date (or the last event, if later): open spells run to it on the timeline. */
  asAt: string;
  events: ChronologyEvent[];
  spells: ChronologySpell[];
  /** LA child ids of the other children with the same family id. */
  siblings: string[];
}
