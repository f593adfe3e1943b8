/**
 * The demo's calibration table: every rate, chance and delay the family journey simulation
 * (journeys.ts) draws from, in one place. The numbers are tuned so that the headline rates of the
 * latest reporting year land near England's (data/reference/SOURCES.md); tests/demo/demoRates.test.ts
 * holds them to bands. Tiers are the family's risk tier, 0 (low) to 3 (chronic); severities run from
 * 1 (low) to 4 (immediate risk of significant harm). Day ranges are [first, last], both inclusive.
 */
import type { CpCategory, EarlyHelpClosure, IncidentConcern } from './model.ts';
import { Weighted } from './random.ts';

type DayRange = readonly [number, number];

/** A value for each band of severity: 1 (low), 2 (moderate), 3 and 4 (serious). */
export interface BySeverity {
  low: number;
  moderate: number;
  serious: number;
}

export function bySeverity(values: BySeverity, severity: number): number {
  return severity >= 3 ? values.serious : severity === 2 ? values.moderate : values.low;
}

/** Outcomes of one uniform draw u: the first band whose bound u is below, else `otherwise`. */
export interface Bands<T> {
  bands: readonly (readonly [number, T])[];
  otherwise: T;
}

export function band<T>(u: number, { bands, otherwise }: Bands<T>): T {
  for (const [below, value] of bands) if (u < below) return value;
  return otherwise;
}

/** Worries a year reaching services, by tier, before the young-children and recent-closure effects. */
export const incidentRate = [0.015, 0.175, 0.27, 0.38] as const;
export const youngChildrenRateMultiplier = 1.8;
/** Extra worries a year just after an involvement closes, fading with recentClosureDecayDays. */
export const recentClosureRate = [0.35, 0.7, 1.1, 1.6] as const;
export const recentClosureDecayDays = 150;

/** Severity 1 (low) .. 4 (immediate risk of significant harm) of a worry, by tier. */
export const severityByTier = [
  new Weighted<number>([
    [1, 0.78],
    [2, 0.19],
    [3, 0.03],
  ]),
  new Weighted<number>([
    [1, 0.51],
    [2, 0.31],
    [3, 0.14],
    [4, 0.04],
  ]),
  new Weighted<number>([
    [1, 0.51],
    [2, 0.365],
    [3, 0.1],
    [4, 0.025],
  ]),
  new Weighted<number>([
    [1, 0.46],
    [2, 0.34],
    [3, 0.14],
    [4, 0.06],
  ]),
] as const;

/** Families in tier 1+ whose next baby is referred before birth, more so after an earlier plan. */
export const preBirthReferral = {
  chanceByTier: [0, 0.04, 0.2, 0.35] as const,
  afterPlanMultiplier: 1.6,
  afterPlanCap: 0.9,
  /** After an earlier plan the unborn baby is more often at immediate risk (severity 4). */
  immediateAfterPlanChance: 0.55,
  /** Born siblings referred with the baby, when the family has nothing open. */
  siblingsChance: 0.6,
  /** When, before the birth, the pregnancy is known and a referral may come. */
  knownDaysBeforeBirth: [40, 160] as DayRange,
} as const;

/** A worry reaching services, once it arrives (FamilyJourney.worry). */
export const worries = {
  /** A family that has had a plan before is seen as riskier when it comes back. */
  returningFamilySeverityUpChance: 0.05,
  /** An open early help episode absorbs small worries and steps up for serious ones (severity 2+). */
  earlyHelpStepUpChance: 0.85,
  /** A worry about something other than the family's usual concern. */
  otherConcernChance: 0.12,
  /** A worry about all the family's children rather than one. */
  wholeFamilyChance: 0.8,
  /** Neglect is cumulative: a moderate worry about a neglectful family (tier 1+) is taken as serious. */
  neglectTipsIntoSeriousChance: 0.45,
  /** Sent to early help rather than referred; serious worries are always referred. */
  toEarlyHelpChance: { low: 0.6, moderate: 0.2 },
  /** A pregnancy due within knownPregnancyDays is part of the referral with this chance. */
  knownPregnancyDays: 150,
  pregnancyInReferralChance: 0.5,
} as const;

/** Early help episodes: their length, and whether neglect is flagged or recorded as a factor. */
export const earlyHelp = {
  /** Stop-start families disengage early. */
  stopStartDays: [20, 110] as DayRange,
  shortChance: 0.15,
  shortDays: [14, 60] as DayRange,
  longDays: [61, 300] as DayRange,
  neglectFlagChance: { neglect: 0.55, multiple: 0.3, other: 0.05 },
  /** Most neglect-flagged episodes also carry factor 16A; a few systems only record one or the other. */
  neglectFactorChance: 0.75,
  factorWithoutFlagChance: 0.02,
} as const;

/** A child named at a conference that decides on a plan becomes its subject with these odds, by age. */
export function cpInclusionChance(age: number): number {
  if (age < 0) return 0.99; // unborn
  if (age < 1) return 0.98;
  if (age < 5) return 0.96;
  if (age < 10) return 0.88;
  if (age < 16) return 0.62;
  return 0.35;
}

// Adolescent worries (exploitation, going missing, self-harm) concern one teenager and rarely neglect.
export const adolescentWorryChance = [0.45, 0.3, 0.2, 0.15] as const;

export const categoryByConcern: Record<IncidentConcern, Weighted<CpCategory>> = {
  neglect: new Weighted<CpCategory>([
    ['NEG', 0.9],
    ['MUL', 0.04],
    ['EMO', 0.05],
    ['PHY', 0.01],
  ]),
  domesticAbuse: new Weighted<CpCategory>([
    ['EMO', 0.66],
    ['PHY', 0.1],
    ['NEG', 0.2],
    ['MUL', 0.04],
  ]),
  physical: new Weighted<CpCategory>([
    ['PHY', 0.7],
    ['EMO', 0.1],
    ['NEG', 0.16],
    ['MUL', 0.04],
  ]),
  sexual: new Weighted<CpCategory>([
    ['SAB', 0.85],
    ['EMO', 0.1],
    ['PHY', 0.05],
  ]),
  multiple: new Weighted<CpCategory>([
    ['MUL', 0.36],
    ['NEG', 0.4],
    ['EMO', 0.16],
    ['PHY', 0.08],
  ]),
  adolescent: new Weighted<CpCategory>([
    ['EMO', 0.45],
    ['PHY', 0.28],
    ['SAB', 0.22],
    ['NEG', 0.05],
  ]),
};

/** A changed latest category: neglect is most often what a plan turns out to be about. */
export const changedCategory = new Weighted<CpCategory>([
  ['NEG', 0.45],
  ['EMO', 0.2],
  ['MUL', 0.2],
  ['PHY', 0.1],
  ['SAB', 0.05],
]);

/** Assessment factors (CIN census codes) and the chance each is recorded, by what the worry is about. */
export const factorChances: Record<IncidentConcern, readonly (readonly [string, number])[]> = {
  neglect: [
    ['16A', 0.5],
    ['4B', 0.32],
    ['2B', 0.22],
    ['1B', 0.16],
    ['3B', 0.22],
    ['5B', 0.08],
    ['6B', 0.05],
    ['17A', 0.08],
  ],
  domesticAbuse: [
    ['3A', 0.5],
    ['3B', 0.62],
    ['4B', 0.3],
    ['1B', 0.16],
    ['2B', 0.1],
    ['17A', 0.22],
    ['16A', 0.04],
  ],
  physical: [
    ['18C', 0.6],
    ['3B', 0.2],
    ['4B', 0.2],
    ['17A', 0.1],
    ['16A', 0.06],
    ['1B', 0.08],
  ],
  sexual: [
    ['19C', 0.6],
    ['19B', 0.18],
    ['4A', 0.2],
    ['17A', 0.15],
    ['16A', 0.06],
  ],
  multiple: [
    ['16A', 0.3],
    ['17A', 0.4],
    ['18C', 0.3],
    ['3B', 0.4],
    ['4B', 0.3],
    ['2B', 0.15],
  ],
  adolescent: [
    ['4A', 0.35],
    ['14A', 0.25],
    ['11A', 0.14],
    ['24A', 0.16],
    ['10A', 0.2],
    ['15A', 0.14],
    ['2A', 0.15],
    ['1A', 0.07],
    ['13A', 0.06],
    ['16A', 0.03],
  ],
};

export const sourcesYoungChildren = new Weighted<string>([
  ['6', 0.3],
  ['3B', 0.14],
  ['3A', 0.05],
  ['3E', 0.05],
  ['3D', 0.03],
  ['3F', 0.03],
  ['2A', 0.06],
  ['5A', 0.03],
  ['5B', 0.02],
  ['5C', 0.03],
  ['1A', 0.06],
  ['1B', 0.02],
  ['1D', 0.02],
  ['4', 0.03],
  ['7', 0.03],
  ['8', 0.06],
  ['9', 0.02],
  ['10', 0.02],
]);
export const sourcesSchoolAge = new Weighted<string>([
  ['6', 0.28],
  ['2A', 0.22],
  ['2B', 0.02],
  ['3A', 0.04],
  ['3C', 0.02],
  ['3E', 0.04],
  ['3F', 0.03],
  ['5A', 0.03],
  ['5B', 0.03],
  ['5C', 0.03],
  ['1A', 0.06],
  ['1B', 0.02],
  ['1C', 0.02],
  ['1D', 0.01],
  ['4', 0.02],
  ['7', 0.03],
  ['8', 0.06],
  ['9', 0.02],
  ['10', 0.02],
]);

export const leadAgencies = new Weighted<string>([
  ['Family Hub', 0.32],
  ['School', 0.22],
  ['Health Visiting', 0.14],
  ['Early Help Locality Team', 0.18],
  ['Youth Service', 0.06],
  ['Voluntary Sector', 0.08],
]);
export const earlyHelpFactors: Record<IncidentConcern, readonly (readonly [string, number])[]> = {
  neglect: [
    ['4B', 0.3],
    ['2B', 0.12],
    ['1B', 0.1],
    ['3B', 0.15],
    ['5B', 0.06],
  ],
  domesticAbuse: [
    ['3B', 0.55],
    ['4B', 0.25],
    ['1B', 0.1],
  ],
  physical: [
    ['4B', 0.2],
    ['3B', 0.2],
    ['14A', 0.1],
  ],
  sexual: [
    ['4A', 0.3],
    ['17A', 0.1],
  ],
  multiple: [
    ['3B', 0.3],
    ['4B', 0.3],
    ['17A', 0.2],
  ],
  adolescent: [
    ['4A', 0.35],
    ['14A', 0.3],
    ['10A', 0.15],
    ['2A', 0.1],
  ],
};

export const earlyHelpClosure = new Weighted<EarlyHelpClosure>([
  ['needs_met', 0.68],
  ['disengaged', 0.17],
  ['moved', 0.05],
  ['other', 0.1],
]);
export const stopStartClosure = new Weighted<EarlyHelpClosure>([
  ['disengaged', 0.6],
  ['needs_met', 0.3],
  ['other', 0.1],
]);

/**
 * A referral's course, step by step (FamilyJourney.refer): the front door, the assessment, a section 47
 * enquiry and conference for serious worries, then a CP plan, a CIN plan, a step-down to early help or
 * closure, and what follows closure.
 */
export const referralPathway = {
  /** Severity 1 referrals closed at the front door with no further action, mostly the same day. */
  frontDoor: { noFurtherActionChance: 0.42, sameDayChance: 0.7, laterDays: [1, 3] as DayRange },
  /** Unborn subjects: the expected date of birth recorded, around the real one. */
  expectedBirthOffsetDays: [-12, 16] as DayRange,
  /** The single assessment: most start on the day and are authorised within 45 working days. */
  assessment: {
    sameDayStartChance: 0.6,
    startDelayDays: [1, 5] as DayRange,
    inTimeChance: 0.84,
    inTimeWorkingDays: [6, 45] as DayRange,
    lateWorkingDays: [46, 95] as DayRange,
  },
  /** Serious worries (severity 3 and 4) go to a section 47 enquiry, and most of those to a conference. */
  section47: {
    sameDayStartChance: 0.5,
    startDelayDays: [1, 3] as DayRange,
    conferenceChance: { serious: 0.4, immediate: 0.9 },
    planChance: { serious: 0.72, immediate: 0.93 },
  },
  /** With no CP plan: the share given a CIN plan, then the share stepped down to early help; the rest close. */
  afterAssessment: {
    cinPlanShare: { low: 0.04, moderate: 0.48, serious: 0.62 } as BySeverity,
    earlyHelpShare: { low: 0.2, moderate: 0.18, serious: 0.18 } as BySeverity,
  },
  cinPlan: {
    startDelayDays: [0, 10] as DayRange,
    shortChance: 0.5,
    shortDays: [60, 200] as DayRange,
    longDays: [201, 480] as DayRange,
    closureDelayDays: [0, 10] as DayRange,
    /** Early help after a CIN plan that ran its course. */
    stepDownChance: 0.28,
  },
  /** A CIN plan escalating to a section 47 enquiry before it ends, by tier; more often for neglect. */
  cinEscalation: {
    chanceByTier: [0.03, 0.07, 0.14, 0.24] as const,
    neglectMultiplier: 1.25,
    /** Days into the plan: from earliestDay to endMarginDays before its planned end. */
    earliestDay: 30,
    endMarginDays: 10,
    reassessmentChance: 0.5,
    reassessmentWorkingDays: [8, 40] as DayRange,
    conferenceChance: 0.8,
    planChance: 0.78,
    /** Without a CP plan the CIN plan goes on at least this long after the enquiry's outcome. */
    cinContinuesDays: 30,
    stepDownChance: 0.25,
  },
  /** After a CP plan: usually a step-down CIN plan, then closure, sometimes early help. */
  afterCpPlan: {
    stepDownCinChance: 0.7,
    stepDownCinDays: [60, 300] as DayRange,
    closureDelayDays: [0, 10] as DayRange,
    earlyHelpChance: 0.2,
  },
  /**
   * The same children referred again by another agency within the year after closure, by tier; twice as
   * often after a plan (families coming off a plan are the ones most often referred straight back).
   */
  reReferral: {
    chanceByTier: [0.08, 0.11, 0.13, 0.15] as const,
    afterPlanMultiplier: 2,
    delayDays: [14, 330] as DayRange,
    /** A re-referral is mostly a low-level worry (severity 2 at most), less so after a plan. */
    lowSeverityChance: { afterPlan: 0.4, otherwise: 0.8 },
  },
  /** A step-down is usually a hand-over on the day; sometimes early help takes a couple of weeks to pick up. */
  stepDownToEarlyHelp: { handOverChance: 0.85, handOverDays: [0, 1] as DayRange, laterDays: [2, 21] as DayRange },
} as const;

/** A section 47 enquiry's conference: most meet the 15 working day standard, about one in five is late. */
export const conference = {
  inTimeChance: 0.8,
  inTimeWorkingDays: [4, 15] as DayRange,
  lateWorkingDays: [16, 35] as DayRange,
  /** An enquiry that ends without a conference has its outcome this many days after it starts. */
  outcomeWithoutConferenceDays: [5, 20] as DayRange,
} as const;

/** CP plans: the latest category, reviews, and the chronic families' plans that drag on. */
export const cpPlan = {
  changedCategoryChance: 0.1,
  chronicTierExtensionChance: 0.15,
  chronicTierExtensionDays: [120, 300] as DayRange,
  firstReviewDays: [50, 90] as DayRange,
  reviewIntervalDays: [150, 182] as DayRange,
} as const;

/** Low-level worries are assessed with fewer of the worry's factors confirmed. */
export const assessmentFactorScale: BySeverity = { low: 0.45, moderate: 0.85, serious: 1 };

/** CP plan lengths in days: mostly 3-15 months, with a tail of plans lasting two years or more. */
export const cpPlanDurationDays: Bands<DayRange> = {
  bands: [
    [0.2, [35, 120]],
    [0.56, [121, 270]],
    [0.84, [271, 450]],
    [0.958, [451, 729]],
  ],
  otherwise: [730, 1_100],
};

/** Why an episode closed after a plan ran its course: mostly RC7 (case closed after assessment or service). */
export const closureReasonAfterServiceBands: Bands<string> = {
  bands: [
    [0.9, 'RC7'],
    [0.95, 'RC5'],
    [0.98, 'RC3'],
  ],
  otherwise: 'RC4',
};

/** A referral's primary need code (CIN census N0-N9). */
export const primaryNeed = {
  /** A disabled child born: disability (N2) is the need this often. */
  disabilityChance: 0.5,
  /** Serious worries: abuse or neglect (N1), else one of these. */
  seriousAbuseOrNeglectChance: 0.88,
  seriousOtherNeeds: ['N4', 'N5', 'N8'] as const,
  /** Adolescent worries: socially unacceptable behaviour (N6) this often. */
  adolescentSocialBehaviourChance: 0.4,
  moderate: {
    bands: [
      [0.45, 'N1'],
      [0.6, 'N4'],
      [0.75, 'N5'],
      [0.83, 'N3'],
      [0.87, 'N7'],
      [0.92, 'N8'],
    ],
    otherwise: 'N0',
  } as Bands<string>,
  low: {
    bands: [
      [0.3, 'N1'],
      [0.5, 'N4'],
      [0.65, 'N5'],
      [0.71, 'N3'],
      [0.81, 'N9'],
      [0.91, 'N0'],
    ],
    otherwise: 'N8',
  } as Bands<string>,
} as const;

/**
 * Children looked after (SSDA903): who comes into care, on what legal basis and placement, and how
 * care ends. Tuned so that about 70 children per 10,000 are looked after at 31 March 2026 (England 67
 * in 2025, LAIT "children looked after rate per 10,000") and about two in three periods of care are
 * for abuse or neglect (N1). Care decisions draw from the family's own care stream (journeys.ts), so
 * the CIN and CP journeys keep the draws they were calibrated with.
 */
export const care = {
  /**
   * A CP plan ends with its children coming into care, by the plan's category (a neglect plan is the
   * escalation path Ofsted followed) and the family's tier.
   */
  afterCpPlanChance: { neglect: 0.3, other: 0.2 },
  afterCpPlanTierMultiplier: [0.6, 0.8, 1, 1.25] as const,
  /**
   * A CIN plan ending in care instead (a teenager's family breaking down, acute stress, chronic
   * neglect that never reached a conference): a few care starts come this way.
   */
  fromCinPlanChance: { adolescent: 0.22, neglect: 0.09, other: 0.06 },
  /** Care starts this far into a CIN plan (never later than its planned end). */
  fromCinPlanAfterDays: [20, 200] as DayRange,
  /** The category of need of a period that starts from a CIN plan, when the worry is not abuse or neglect. */
  needFromCinPlan: {
    bands: [
      [0.3, 'N1'],
      [0.55, 'N4'],
      [0.75, 'N5'],
      [0.85, 'N6'],
      [0.93, 'N8'],
      [0.97, 'N3'],
    ],
    otherwise: 'N2',
  } as Bands<string>,
  /** After a CP plan the need is abuse or neglect (N1), apart from a few recorded as family dysfunction. */
  n1AfterCpPlanChance: 0.9,
} as const;

/** A child on a plan that ends in care comes in with this chance, by age: babies almost always. */
export function careInclusionChance(age: number): number {
  if (age < 1) return 0.97;
  if (age < 5) return 0.9;
  if (age < 10) return 0.8;
  if (age < 16) return 0.6;
  return 0.3;
}

export type CareOutcome =
  'adoption' | 'specialGuardianship' | 'childArrangements' | 'home' | 'adulthood' | 'custody' | 'other';

/** How a period of care ends, by age at its start: young children are adopted or go to guardians. */
export const careOutcomeByAge = {
  under5: new Weighted<CareOutcome>([
    ['adoption', 0.27],
    ['specialGuardianship', 0.2],
    ['childArrangements', 0.03],
    ['home', 0.25],
    ['adulthood', 0.25],
  ]),
  under12: new Weighted<CareOutcome>([
    ['adoption', 0.03],
    ['specialGuardianship', 0.16],
    ['childArrangements', 0.05],
    ['home', 0.34],
    ['adulthood', 0.42],
  ]),
  teenager: new Weighted<CareOutcome>([
    ['home', 0.38],
    ['adulthood', 0.5],
    ['custody', 0.03],
    ['other', 0.09],
  ]),
} as const;

/** Length of a period of care in days by how it ends; 'adulthood' runs to the 18th birthday. */
export const careLengthDays: Record<Exclude<CareOutcome, 'adulthood'>, DayRange> = {
  adoption: [480, 1_100],
  specialGuardianship: [300, 1_000],
  childArrangements: [200, 700],
  home: [30, 900],
  custody: [60, 700],
  other: [40, 600],
};

/** Placement moves a year within a period of care: more in the first year, more for teenagers. */
export const placementMovesPerYear = { firstYear: 0.5, later: 0.2, teenagerMultiplier: 1.6 } as const;

export const careStartLegalStatus = {
  afterCpPlan: new Weighted<string>([
    ['C1', 0.55],
    ['V2', 0.3],
    ['L2', 0.1],
    ['L1', 0.05],
  ]),
  fromCinPlan: new Weighted<string>([
    ['V2', 0.7],
    ['C1', 0.2],
    ['L1', 0.1],
  ]),
} as const;
