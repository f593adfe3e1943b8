/**
 * What a record looked like on a given day. The simulation knows each journey to its end; an extract made
 * on day d shows only what had happened by d: later records absent, later end dates blank (still open),
 * a category change not yet made. The canonical CSV is the view at the reference date, each CIN census the
 * view at its own 31 March, so all three formats agree wherever they overlap.
 */
import type { CareEpisode, CpCategory, DemoChild, EarlyHelpEpisode, Referral } from './model.ts';

export interface EarlyHelpAsAt {
  start: number;
  end: number | null;
  leadAgency: string;
  neglect: boolean;
  factors: readonly string[];
  closureReason: string | null;
}

export interface AssessmentAsAt {
  start: number;
  authorised: number | null;
  factors: readonly string[];
}

export interface Section47AsAt {
  start: number;
  icpcTarget: number;
  icpc: number | null;
  /** The enquiry ended without a conference (known only once decided). */
  icpcNotRequired: boolean;
  resultedInPlan: boolean | null;
}

export interface CinPlanAsAt {
  start: number;
  end: number | null;
}

export interface CpPlanAsAt {
  start: number;
  end: number | null;
  initialCategory: CpCategory;
  latestCategory: CpCategory;
  previousPlans: number;
  reviews: readonly number[];
}

export interface ReferralAsAt {
  date: number;
  source: string;
  primaryNeed: string;
  nfa: boolean;
  closure: number | null;
  closureReason: string | null;
  assessments: AssessmentAsAt[];
  section47s: Section47AsAt[];
  cinPlans: CinPlanAsAt[];
  cpPlans: CpPlanAsAt[];
  team: string;
}

export interface CareEpisodeAsAt extends Omit<CareEpisode, 'end' | 'reasonCeased' | 'reasonPlaceChange'> {
  end: number | null;
  reasonCeased: string | null;
  reasonPlaceChange: string | null;
}

const knownBy = (day: number, asAt: number): number | null => (day <= asAt ? day : null);

export function earlyHelpAsAt(e: EarlyHelpEpisode, asAt: number): EarlyHelpAsAt | null {
  if (e.start > asAt) return null;
  const end = knownBy(e.end, asAt);
  return {
    start: e.start,
    end,
    leadAgency: e.leadAgency,
    neglect: e.neglect,
    factors: e.factors,
    closureReason: end === null ? null : e.closureReason,
  };
}

export function referralAsAt(r: Referral, asAt: number): ReferralAsAt | null {
  if (r.date > asAt) return null;
  const closure = knownBy(r.closure, asAt);
  return {
    date: r.date,
    source: r.source,
    primaryNeed: r.primaryNeed,
    nfa: r.nfa,
    closure,
    closureReason: closure === null ? null : r.closureReason,
    assessments: r.assessments
      .filter((a) => a.start <= asAt)
      .map((a) => {
        // Factors are recorded when the assessment is authorised; an open one has none yet.
        const authorised = knownBy(a.authorised, asAt);
        return { start: a.start, authorised, factors: authorised === null ? [] : a.factors };
      }),
    section47s: r.section47s
      .filter((s) => s.start <= asAt)
      .map((s) => {
        const decided = s.decided <= asAt;
        return {
          start: s.start,
          icpcTarget: s.icpcTarget,
          icpc: s.icpc !== null && decided ? s.icpc : null,
          icpcNotRequired: decided && s.icpc === null,
          resultedInPlan: decided && s.icpc !== null ? s.resultedInPlan : null,
        };
      }),
    cinPlans: r.cinPlans.filter((p) => p.start <= asAt).map((p) => ({ start: p.start, end: knownBy(p.end, asAt) })),
    cpPlans: r.cpPlans
      .filter((p) => p.start <= asAt)
      .map((p) => ({
        start: p.start,
        end: knownBy(p.end, asAt),
        initialCategory: p.initialCategory,
        latestCategory: p.latestCategoryFrom <= asAt ? p.latestCategory : p.initialCategory,
        previousPlans: p.previousPlans,
        reviews: p.reviews.filter((d) => d <= asAt),
      })),
    team: r.team,
  };
}

/** METRICS.md §1: start <= to AND (end IS NULL OR end >= from). */
export function overlaps(start: number, end: number | null, from: number, to: number): boolean {
  return start <= to && (end === null || end >= from);
}

/** A child's records as at a day, ordered by date; children with none are not in that extract. */
export function childAsAt(
  child: DemoChild,
  asAt: number,
  from: number,
): { earlyHelp: EarlyHelpAsAt[]; referrals: ReferralAsAt[] } {
  const earlyHelp: EarlyHelpAsAt[] = [];
  for (const e of child.earlyHelp) {
    const view = earlyHelpAsAt(e, asAt);
    if (view && overlaps(view.start, view.end, from, asAt)) earlyHelp.push(view);
  }
  const referrals: ReferralAsAt[] = [];
  for (const r of child.referrals) {
    const view = referralAsAt(r, asAt);
    if (view && overlaps(view.date, view.closure, from, asAt)) referrals.push(view);
  }
  earlyHelp.sort((a, b) => a.start - b.start);
  referrals.sort((a, b) => a.date - b.date);
  return { earlyHelp, referrals };
}

/**
 * The child's episodes of care as known on asAt that overlap [from, asAt]. Episodes are kept one by
 * one, like referrals: a period of care that began before `from` arrives without its first (S)
 * episode, as it would from a real system's extract, and METRICS.md §10 does not count it as a start.
 */
export function careAsAt(child: DemoChild, asAt: number, from: number): CareEpisodeAsAt[] {
  const episodes: CareEpisodeAsAt[] = [];
  for (const e of child.care) {
    if (e.start > asAt) break;
    const end = knownBy(e.end, asAt);
    if (!overlaps(e.start, end, from, asAt)) continue;
    episodes.push({
      ...e,
      end,
      reasonCeased: end === null ? null : e.reasonCeased,
      reasonPlaceChange: end === null ? null : e.reasonPlaceChange,
    });
  }
  return episodes;
}
