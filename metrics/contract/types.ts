/**
 * The contract between the server and the client: every shape the API sends, defined once. The
 * metrics layer builds these objects, the server sends them and the client reads them, all
 * importing these types; this folder imports nothing outside itself (no node, no DuckDB), so the
 * client's bundle can take it whole.
 *
 * A new section of the board pack or a new field is added here first; both sides then fail to
 * compile until they agree on it.
 */

import type { CommentaryVersion, ExecutiveSummary, Partnership } from './packExtras.ts';

export type { CommentaryResponse, CommentaryVersion, ExecutiveSummary, Partnership } from './packExtras.ts';

/** A calendar day as YYYY-MM-DD. */
export type IsoDate = string;

/** METRICS.md §1: from and to are dates, both inclusive; the as-at date is `to`. */
export interface Period {
  from: IsoDate;
  to: IsoDate;
}

/** Board output's mark for a suppressed cell (METRICS.md §7). */
export type Suppressed = 'c';

/** A figure as served: a number, `c` when suppressed for board output, or null when undefined. */
export type Figure = number | Suppressed | null;

/** A figure broken down by band or stage, e.g. `drift.cp_open_by_duration` { le_3m, …, 2y_plus }. */
export type FigureBreakdown = Record<string, Figure>;

/**
 * One family of the §8 object (prevalence, repeat, drift, percentages): figure name → figure. The
 * names come from the `row` queries of sql/metrics/<family>.sql, so they are not listed here.
 */
export type FigureSection = Record<string, Figure | FigureBreakdown>;

export type DisproportionalityFlag = 'higher' | 'lower' | 'similar';

export interface DisproportionalityRow {
  group: string;
  count: number | Suppressed;
  population: number | null;
  rate_per_10k: Figure;
  ci_low: Figure;
  ci_high: Figure;
  ratio: Figure;
  /** null where only the count is shown (no population for the group); `c` when suppressed. */
  flag: DisproportionalityFlag | Suppressed | null;
}

/** §8: cohort → dimension (ethnicity, age_band, sex) → one row per group. */
export type Disproportionality = Record<string, Record<string, DisproportionalityRow[]>>;

/** Which population a dimension's rates used, in words a report can print. */
export interface Denominator {
  year: number;
  source: string;
  children: number;
  note: string;
}

export interface PopulationSummary {
  year: number | null;
  children_0_17: number | null;
  source: string | null;
}

/** The METRICS.md §8 object for one period (GET /api/v1/metrics). */
export interface MetricsPack {
  period: Period;
  population: PopulationSummary;
  prevalence: FigureSection;
  repeat: FigureSection;
  drift: FigureSection;
  percentages: FigureSection;
  /** METRICS.md §12: step-downs, re-referrals after a neglect assessment, and two splits. */
  strategy: FigureSection;
  /** METRICS.md §10: children looked after, care starts and the path from a neglect plan into care. */
  looked_after?: FigureSection;
  /** METRICS.md §11: each partner agency's measures as at the as-at date (absent from older callers' packs). */
  partner?: PartnerFigure[];
  disproportionality: Disproportionality;
  denominators: Record<string, Denominator>;
  /** England, region and neighbours; absent where the caller left them out (series, trends). */
  benchmarks?: Benchmarks | undefined;
  suppressed: boolean;
}

/** DATA.md partner_measures.unit. */
export type PartnerUnit = 'percent' | 'rate_per_10k' | 'count';

/**
 * METRICS.md §11: one measure of one partner agency, from the row whose period ends latest on or
 * before the as-at date. Board output: `numerator` and `value` are `c` when the numerator is 1–5.
 */
export interface PartnerFigure {
  measure: string;
  agency: string;
  unit: PartnerUnit;
  /** The period the value belongs to (not the pack's own period). */
  period_start: IsoDate;
  period_end: IsoDate;
  numerator: Figure;
  /** null for a count. */
  denominator: number | null;
  value: Figure;
}

/** A LAIT figure set beside a known partner measure (METRICS.md §11), as §9 sets DfE's beside the pack's. */
export interface PartnerBenchmark {
  /** The LAIT indicator, in LAIT's words. */
  indicator: string;
  /** LAIT's year: the academic year ending in it (2025 = 2024/25). */
  year: number;
  year_words: string;
  /** same_year: the academic year the value's period ends in; latest_published: the newest before it. */
  year_rule: 'same_year' | 'latest_published';
  england: number | null;
  region: number | null;
  region_name: string | null;
  statistical_neighbours: { mean: number | null; count: number };
}

/** One agency's measure in the pack's Partners section: its latest value, its trend and its benchmark. */
export interface PartnerMeasureView {
  measure: string;
  agency: string;
  /** The agency as the page names it: a name as written, an id such as `early_years` as "Early years". */
  agency_title: string;
  /** Plain English for a known id; an unknown id is its own title. */
  title: string;
  known: boolean;
  unit: PartnerUnit;
  /** Which way is better, where LAIT says (absence: lower; 2-year take-up: higher). */
  better: 'higher' | 'lower' | null;
  latest: PartnerFigure & { period_words: string };
  /** Every period up to the as-at date within the pack's 20 quarters, oldest first. */
  series: { period_start: IsoDate; period_end: IsoDate; period_words: string; numerator: Figure; value: Figure }[];
  benchmark: PartnerBenchmark | null;
}

/** The Partners section (METRICS.md §11): every measure of every agency, agencies in name order. */
export interface PartnersSection {
  measures: PartnerMeasureView[];
  /** One sentence written on the server: how many measures, from how many agencies, for which periods. */
  reading: string;
}

// ---------------------------------------------------------------------------------------------------
// Benchmarks (METRICS.md §9)

/**
 * The DfE measures benchmarked: sql/metrics/benchmarks.sql gives one row per measure, and
 * metrics/benchmarks.ts lists them in `benchmarkMeasures`. A measure added there is added here.
 */
export type BenchmarkMeasureKey =
  | 'cp_open_rate_per_10k'
  | 'cp_starts_second_or_subsequent_pct'
  | 'cp_open_2y_plus_pct'
  | 'rereferrals_12m_pct'
  | 'assessments_neglect_pct'
  | 'assessments_within_45wd_pct'
  | 'icpcs_within_15wd_pct'
  | 'cp_open_neglect_initial_pct'
  | 'cp_starts_neglect_initial_pct'
  | 'lac_open_rate_per_10k'
  | 'referrals_schools_pct'
  | 'referrals_health_pct'
  | 'referrals_police_pct';

/** DfE publication symbols: suppressed, not available, not applicable, low reliability. */
export type DfeStatus = 'c' | 'x' | 'z' | 'u';

export interface BenchmarkMeasure {
  /**
   * The DfE reporting year of these figures: the pack's matching year, or for a measure England has
   * no figure for in that year the newest earlier one (the neglect share: 2020); null when there is no
   * national figure at all (cp_starts_neglect_initial_pct): the page says "no national figure".
   */
  year: number | null;
  england: number | null;
  region: number | null;
  /** Mean of the neighbours' own values; withheld ones are left out, `count` says how many counted. */
  statistical_neighbours: { mean: number | null; count: number };
  /** The configured LA as DfE published it; null for an LA DfE does not publish (the demo's). */
  la_published: number | null;
  la_published_status: DfeStatus | null;
  /** at_31_march: a stock at 31 March; in_year: a share of the events of the reporting year. */
  basis: 'at_31_march' | 'in_year';
  /**
   * Whether the period's local figure is like with like (METRICS.md §9): an at-31-March measure only
   * when the as-at date is that 31 March; an in-year one when the period lies inside that DfE year.
   */
  like_with_like: boolean;
}

export interface Benchmarks {
  /** DfE reporting year the figures are for, named by the 31 March it ends on. */
  year: number;
  /** The reporting year the as-at date falls in (1 April to 31 March). */
  reporting_year: number;
  /** same_year, or latest_published when the as-at date's year is not published yet. */
  year_rule: 'same_year' | 'latest_published';
  as_at: IsoDate;
  la_code: string;
  la_name: string;
  /** The LA whose region and neighbours are used: la_code itself, or benchmark_la_code for a fictional LA. */
  comparator_la_code: string;
  comparator_la_name: string | null;
  region: string | null;
  neighbours: { rank: number; la_code: string; la_name: string | null }[];
  /** One per row the bundled DfE files hold for the year; one they lack is absent, so read with `?.`. */
  measures: Record<BenchmarkMeasureKey, BenchmarkMeasure>;
}

// ---------------------------------------------------------------------------------------------------
// Funnel plot of repeat plans (Spiegelhalter 2005)

export interface FunnelPoint {
  /** DfE old LA code; absent for the LA's own point from local data. */
  la_code?: string;
  label: string;
  numerator: number;
  denominator: number;
  proportion: number;
  /** The LA's own point from local data, drawn apart and labelled. */
  highlight?: boolean;
}

/** Limits at n, as proportions (0–1) like p0. */
export interface FunnelLimit {
  n: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export interface FunnelData {
  /** DfE reporting year of the LAs' points. */
  year: number;
  /** England's proportion of CP plan starts that were a second or subsequent plan. */
  p0: number;
  england: { numerator: number; denominator: number };
  points: FunnelPoint[];
  /** LAs with no point, and why: a withheld count (its DfE symbol) or no starts. */
  excluded: { la_code: string; label: string; reason: string }[];
  /** The DfE reporting year of the points (1 April to 31 March), to name on the chart and in the sentence. */
  period: { from: string; to: string };
  /** Exact binomial limits. */
  limits: FunnelLimit[];
  /** p0 ± z·√(p0(1−p0)/n) on the same grid, for reference. */
  normal_limits: FunnelLimit[];
  /** Limits widened for over-dispersion between LAs (Spiegelhalter 2005, additive random effects): the curves to draw. */
  overdispersed_limits: FunnelLimit[];
  overdispersion: {
    method: 'additive_random_effects';
    /** LAs in the estimate. */
    k: number;
    /** The 10th and 90th percentile z-scores the others were winsorised to. */
    winsorised_to: [number, number];
    /** Mean squared winsorised z-score (the multiplicative factor). */
    phi: number;
    /** Between-LA variance on the proportion scale. */
    tau2: number;
  };
  method: string;
}

// ---------------------------------------------------------------------------------------------------
// SPC (METRICS.md §13)

export type Improvement = 'up' | 'down' | 'neither';
export type SpcRule = 'outside_limits' | 'shift' | 'trend' | 'two_of_three';
export type Variation =
  'common_cause' | 'special_cause_improvement' | 'special_cause_concern' | 'special_cause_neither';

/** One rule a point is part of, in the direction it points. */
export interface SpcFlag {
  rule: SpcRule;
  /** 1 above the mean, rising or beyond an upper line; -1 the other way. */
  direction: 1 | -1;
  /** The rule in the words the sentence and the table both use, e.g. "above the upper limit". */
  words: string;
}

export interface SpcPoint {
  period_to: IsoDate;
  /** null for a gap or a suppressed point (`suppressed` says which). */
  value: number | null;
  /** A suppressed count (`c`, METRICS.md §7): a gap in the analysis, shown as c, never as a value. */
  suppressed: boolean;
  /** Only between adjacent periods that both have values; null after a gap. */
  moving_range: number | null;
  /** -1 below, 0 on, 1 above the mean of its segment; null for a gap. */
  side: number | null;
  /** Index into SpcResult.segments: whose mean and limits judge this point. */
  segment: number;
  /** The distinct rules this point is part of. */
  rules: SpcRule[];
  /** Each rule with its direction and words; a point can be flagged both ways. */
  flags: SpcFlag[];
  /** 1 or -1; for a point flagged both ways the worse direction, or null when no direction is better. */
  signal_direction: number | null;
  /** null for a gap. */
  variation: Variation | null;
  /** What the table shows, e.g. "special cause (concern): above the upper limit", "common cause", "no value (suppressed, not judged)". */
  signal_words: string;
}

export interface SpcLimits {
  upl: number;
  lpl: number;
  upper_2s: number;
  lower_2s: number;
  upper_1s: number;
  lower_1s: number;
}

/**
 * A stretch of the series judged against one baseline (METRICS.md §13 "SPC limits"): the whole series,
 * or from a recorded recalculation point on. Its mean and limits come from its first 15 points and
 * are extended forward unchanged.
 */
export interface SpcSegment {
  from: IsoDate;
  to: IsoDate;
  /** A segment of fewer than 15 points is a run chart: its mean, no limits, no flags. */
  chart: 'xmr' | 'run';
  n_points: number;
  baseline: { from: IsoDate; to: IsoDate; n_points: number };
  mean: number;
  mr_bar: number | null;
  limits: SpcLimits | null;
}

export interface SpcResult {
  /** Of the latest segment (the one the board acts on). */
  chart: 'xmr' | 'run';
  improvement: Improvement;
  /** Points with values in the whole series. */
  n_points: number;
  /** The latest segment's mean (also on a run chart); null for an empty series. */
  centre: number | null;
  mean: number | null;
  /** XmR only. */
  mr_bar: number | null;
  limits: SpcLimits | null;
  /** The latest segment's baseline: the points its mean and limits come from. */
  baseline: { from: IsoDate; to: IsoDate; n_points: number } | null;
  segments: SpcSegment[];
  points: SpcPoint[];
  /** Which rules fired anywhere in the series. */
  signals: SpcRule[];
}

// ---------------------------------------------------------------------------------------------------
// Trends (GET /api/v1/trend)

export type Cadence = 'quarter' | 'year';

export interface TrendPoint extends Period {
  value: Figure;
}

export interface TrendResponse {
  figure: string;
  cadence: Cadence;
  period: Period;
  points: TrendPoint[];
  spc: SpcResult;
  reading: string;
  suppressed: boolean;
}

// ---------------------------------------------------------------------------------------------------
// The board pack (GET /api/v1/board-pack)

/** A dated note of what happened in practice; a process change recalculates SPC limits (§13). */
export interface Annotation {
  noted_on: IsoDate;
  body: string;
  process_change: boolean;
  figures: string[];
}

export interface NeglectTrend {
  figure: string;
  label: string;
  points: { period_to: IsoDate; value: Figure }[];
  spc: SpcResult;
  reading: string;
  /** Notes dated within the trend's window, and the process changes its limits were recalculated from. */
  annotations: Annotation[];
  recalculatedFrom: IsoDate[];
}

/** Children on CP plans at one quarter end with one initial category. */
export interface CategoryRow {
  /** The period the row was computed for; its end is the quarter end. */
  period_from: IsoDate;
  period_to: IsoDate;
  quarter_end: IsoDate;
  category: string;
  children: number | Suppressed;
}

/** One load of one file, as officers see it on the data-quality note. */
export interface LoadRecord {
  load_id: number;
  file: string;
  format: string;
  reference_date: IsoDate | null;
  loaded_at: string;
  status: string;
  rows_read: number | null;
  rows_accepted: number | null;
  rows_rejected: number | null;
  rows_merged: number | null;
  message: string | null;
}

/** One extract: every file loaded with the same reference date, added up. */
export interface ExtractSummary {
  reference_date: IsoDate | null;
  /** The day the last of its files was loaded. */
  loaded_on: IsoDate;
  files: number;
  failed_files: number;
  rows_read: number;
  rows_rejected: number;
}

export interface QualitySummary {
  /** The newest extract's reference date: the data run up to this day. */
  data_to: IsoDate | null;
  /** When the newest extract was loaded. */
  loaded_on: IsoDate | null;
  /** Newest first. */
  extracts: ExtractSummary[];
  /** Officers and admins only: the latest files, with names and messages; board output has none. */
  loads?: LoadRecord[];
  rejectedRows: number;
  failedLoads: number;
  /**
   * Records loaded but flagged by a DfE CIN census rule (METRICS.md §16), with the children they
   * belong to; board output shows 1–5 as c (§7).
   */
  flaggedRecords?: number | 'c';
  flaggedChildren?: number | 'c';
}

export type ReadingSection = 'headline' | 'continuum' | 'trend' | 'repeat' | 'drift' | 'disproportionality';

/**
 * Figures the history before the quarter is too short to answer, said in place of a number: re-referrals
 * need 12 months of referrals before the quarter, repeat plans need earlier plans (12 months of
 * them), and SPC limits need at least 15 points.
 */
export type HistoryFigure = 'rereferrals_12m' | 'repeat_plans' | 'spc_limits';
export type HistoryNotes = Partial<Record<HistoryFigure, 'too_short'>>;

export interface BoardPack {
  period: Period;
  previousPeriod: Period;
  suppressed: boolean;
  figures: MetricsPack;
  previous: MetricsPack;
  /** The reporting year to the quarter's end (1 April to `period.to`): drift over more than one quarter's plans. */
  yearToDate: MetricsPack;
  /** Figures with no national comparison, each over the pack's 20 quarters (Ofsted's 2014 neglect shares). */
  shareTrends: { figure: string; points: { period_to: IsoDate; value: Figure }[] }[];
  neglectTrend: NeglectTrend;
  categories: CategoryRow[];
  benchmarks: Benchmarks;
  /** Absent for a year before the bundled DfE files: no England proportion to draw the funnel around. */
  repeatFunnel?: FunnelData;
  quality: QualitySummary;
  readings: Record<ReadingSection, string>;
  /** Which figures the history before the quarter cannot answer (absent: it can). */
  history: HistoryNotes;
  /** Whose pack it is: the cover and every printed page name the partnership and the LA. */
  partnership: Partnership;
  /** Generated on the server from this pack's own figures (metrics/summary.ts). */
  summary: ExecutiveSummary;
  /** The latest commentary, added by the route outside the cached figures; null when none is written. */
  commentary?: CommentaryVersion | null;
  /** Children looked after (METRICS.md §10): their trend and sentence; absent from packs built before issue 11. */
  intoCare?: IntoCare;
  /** The strategy's success indicators at the quarter (METRICS.md §13), suppressed as the pack is. */
  strategy?: Scorecard;
  /** METRICS.md §12 referrals by source and early help by lead agency, over the pack's quarters. */
  agencies?: AgencyBreakdowns;
  /** METRICS.md §11: partner agencies' measures, trends and LAIT benchmarks (absent from older packs). */
  partners?: PartnersSection;
}

/** One quarter of a METRICS.md §12 split: its total and its cells, suppressed as the pack is. */
export interface SplitPoint {
  period_to: IsoDate;
  total: Figure;
  cells: Record<string, Figure>;
}

/** Who refers children and who leads early help (METRICS.md §12), quarter by quarter. */
export interface AgencyBreakdowns {
  referralSources: SplitPoint[];
  leadAgencies: SplitPoint[];
  /** The same two splits over the reporting year to the quarter's end. */
  yearToDate: { referralSources: SplitPoint; leadAgencies: SplitPoint };
  reading: string;
}

/**
 * The pack's "Into care" section (METRICS.md §10): the looked-after figures are in `figures.looked_after`;
 * this carries their trend over the pack's quarters and the section's sentence.
 */
export interface IntoCare {
  /** Whether the warehouse holds any care episode: without one the figures are zeros that mean "not loaded". */
  episodes_loaded: boolean;
  trend: {
    figure: string;
    label: string;
    points: { period_to: IsoDate; value: Figure }[];
    spc: SpcResult;
    reading: string;
  };
  reading: string;
}

/** GET /api/v1/extent: what periods the warehouse can answer for. */
export interface DataExtent {
  first_date: IsoDate | null;
  /** The first day of the first quarter recorded in full (referrals at half their usual rate or more). */
  recorded_from?: IsoDate | null;
  extract_date: IsoDate | null;
  latest_quarter_end: IsoDate | null;
}

// ---------------------------------------------------------------------------------------------------
// Strategy indicators (METRICS.md §13 "Indicators and targets")
/**
 * The strategy's success indicators as the API sends them (METRICS.md §13 "Indicators and targets").
 * Defined here, beside the rest of the contract, so the strategy page, the board pack's Strategy
 * section and the strategy review all read one shape.
 */

/**
 * What an indicator follows: a figure by its path (`repeat.cp_starts_repeat_neglect`), one group of
 * a split (`strategy.eh_starts_by_lead_agency`, group `school`), or a partner measure of one agency
 * (`school_persistent_absence`, agency `schools`).
 */
export type IndicatorRef =
  | { kind: 'figure'; figure: string }
  | { kind: 'split_group'; figure: string; group: string }
  | { kind: 'partner'; figure: string; group: string };

export type Better = 'up' | 'down';

/** METRICS.md §13: the value against the trajectory and the baseline. */
export type IndicatorStatus = 'on_track' | 'off_track' | 'worse_than_baseline' | 'no_target';

/** Making Data Count's variation icon: special cause improvement or concern, neither, or common cause. */
export type MdcVariation = 'improvement' | 'concern' | 'neither' | 'common_cause';

/** Making Data Count's assurance icon: both limits on the target's better side, both on its worse side, or straddling it. */
export type MdcAssurance = 'pass' | 'fail' | 'hit_and_miss';

export interface Indicator {
  id: number;
  version: number;
  title: string;
  ref: IndicatorRef;
  /** The name annotations use for the indicator's series (its figure path, `path[group]` for a group). */
  series: string;
  better: Better;
  /** The period and value fixed when the indicator was created; null until the data can answer it. */
  baseline: { from: IsoDate; to: IsoDate; value: Figure } | null;
  target: { value: number; date: IsoDate } | null;
  /** An agency or a role, never a person's name. */
  owner: string;
  rationale: string;
  retired: boolean;
  /** What the latest version changed, who made it and when (UTC). */
  change: string;
  author: string;
  written_at: string;
}

/** One quarter of an indicator: its value, the trajectory there and its status (null where the value is not shown). */
export interface IndicatorPoint {
  period_to: IsoDate;
  value: Figure;
  trajectory: number | null;
  status: IndicatorStatus | 'c' | null;
}

export interface IndicatorScore {
  indicator: Indicator;
  points: IndicatorPoint[];
  spc: SpcResult;
  /** The latest quarter with a value shown. */
  latest: {
    period_to: IsoDate;
    value: Figure;
    status: IndicatorStatus | 'c' | null;
    /** null when the point is not judged (a run chart, a suppressed value). */
    variation: MdcVariation | null;
    /** null with fewer than 15 points in the latest stretch of limits, or without a target. */
    assurance: MdcAssurance | null;
  } | null;
  /** Notes dated within the series; the process changes marked for this indicator recalculate its limits. */
  annotations: Annotation[];
  recalculatedFrom: IsoDate[];
  reading: string;
  /** Where the figure is defined (an anchor of definitions.html). */
  definition: string;
  /** Why no value can be shown yet, when none can (a figure or measure not in the warehouse). */
  unavailable?: string;
}

/**
 * The national figures beside an indicator's own, where its figure has them (METRICS.md §9, §11):
 * DfE or LAIT for England, the region and the statistical neighbours, for the year named.
 */
export interface IndicatorBenchmark {
  /** Who publishes it and which measure, in words. */
  source: string;
  year_words: string;
  england: number | null;
  region: number | null;
  region_name: string | null;
  neighbours_mean: number | null;
  neighbours_count: number;
  /** What a local value must be to stand beside it, in words (a 31 March stock, a year's share). */
  compare: string;
}

export interface Scorecard {
  as_at: IsoDate;
  suppressed: boolean;
  indicators: IndicatorScore[];
  /** Whether this user may set targets and add annotations (the page offers its forms only then). */
  canEdit?: boolean;
}

/** One stored version of an indicator, oldest first in a history. */
export type IndicatorVersion = Indicator;
