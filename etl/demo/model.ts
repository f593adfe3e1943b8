/**
 * What the simulation produces for one family: children and the records of their journeys, with every
 * date as a day number. Dates may run past the reference date (a plan the simulation knows will end in
 * the autumn); each writer shows only what was known at its own "as at" date.
 */

export type Sex = 'M' | 'F';
export type CpCategory = 'NEG' | 'PHY' | 'EMO' | 'SAB' | 'MUL';
export type EarlyHelpClosure = 'stepped_up' | 'needs_met' | 'disengaged' | 'moved' | 'other';

/** The family's main safeguarding concern: it shapes assessment factors and plan categories. */
export type FamilyConcern = 'neglect' | 'domesticAbuse' | 'physical' | 'sexual' | 'multiple';
/** What a single incident is about: the family's concern, or a teenager's own risks outside the home. */
export type IncidentConcern = FamilyConcern | 'adolescent';

export interface EarlyHelpEpisode {
  start: number;
  end: number;
  leadAgency: string;
  neglect: boolean;
  factors: readonly string[];
  closureReason: EarlyHelpClosure;
}

export interface Assessment {
  start: number;
  authorised: number;
  factors: readonly string[];
}

export interface Section47Enquiry {
  start: number;
  /** Day the outcome was known: the conference, or the decision that none was needed. */
  decided: number;
  icpcTarget: number;
  icpc: number | null;
  resultedInPlan: boolean;
}

export interface CinPlan {
  start: number;
  end: number;
}

export interface CpPlan {
  start: number;
  end: number;
  initialCategory: CpCategory;
  latestCategory: CpCategory;
  /** The day the latest category replaced the initial one (a review conference). */
  latestCategoryFrom: number;
  previousPlans: number;
  reviews: readonly number[];
}

/**
 * One SSDA903 episode of care: a period of care is a run of these, each starting on the day the one
 * before ended. Codes are SSDA903's; `reasonCeased` is X1 when another episode follows the same day.
 */
export interface CareEpisode {
  start: number;
  end: number;
  /** RNE: S starts a period of care; L, P, T, U and B change legal status and/or placement within it. */
  reasonNewEpisode: string;
  legalStatus: string;
  /** Category of need N1-N8, fixed for the period. */
  categoryOfNeed: string;
  placement: string;
  placementProvider: string;
  /** Fictional placement postcode and Ofsted URN: written to the return, never stored by a load. */
  placementPostcode: string;
  urn: string;
  reasonCeased: string;
  /** REASON_PLACE_CHANGE, on an episode that ended because the child moved placement. */
  reasonPlaceChange: string;
}

/** One CIN episode (a CIN census CINdetails): referral to closure and everything done inside it. */
export interface Referral {
  date: number;
  source: string;
  primaryNeed: string;
  nfa: boolean;
  closure: number;
  closureReason: string;
  assessments: Assessment[];
  section47s: Section47Enquiry[];
  cinPlans: CinPlan[];
  cpPlans: CpPlan[];
  /** Fictional team name for Annex A's Allocated Team column. */
  team: string;
}

export interface DemoChild {
  birthDay: number;
  /** Set when the child was known before birth (a pre-birth referral). */
  expectedBirthDay: number | null;
  sex: Sex;
  ethnicity: string;
  /** CIN census disability codes; empty means NONE. */
  disabilities: readonly string[];
  /** The day the child turns 18: services stop then. */
  adultDay: number;
  fifthBirthday: number;
  earlyHelp: EarlyHelpEpisode[];
  referrals: Referral[];
  /** CP plans started so far, including those before the extract window: NumberOfPreviousCPP. */
  cpPlansSoFar: number;
  /** Episodes of care in date order: every period of care the child has had (SSDA903). */
  care: CareEpisode[];
}

export interface Family {
  index: number;
  /** 0 = never more than occasional help, 3 = chronic, high-risk. */
  tier: 0 | 1 | 2 | 3;
  concern: FamilyConcern;
  /** Engages briefly, drops out, is referred again: Ofsted's "stop-start" pattern. */
  stopStart: boolean;
  /** The family's fictional home postcode (SSDA903 HOME_POST): written, never stored by a load. */
  homePostcode: string;
  children: DemoChild[];
}
