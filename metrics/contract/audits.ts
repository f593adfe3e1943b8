/**
 * Audits (METRICS.md §13 "Audit samples"): what the API sends about audit samples, judgements and
 * findings, and the judgement form's vocabulary, shared by the server (which checks what is sent
 * against it and counts findings by it) and the page (which draws the form from it).
 */

export interface AgeRange {
  from: number;
  to: number;
  n: number;
}

export type StrataSpec = { by: 'age'; ranges: AgeRange[] } | { by: 'ethnicity' | 'sex'; n: number };

/** A child in the sample. */
export interface SampledChild {
  childKey: number;
  laChildId: string;
  stratum: string;
  /** 1 for the first drawn in its stratum. */
  rank: number;
  /** sha256(seed || ':' || la_child_id), hex: the order the stratum was drawn in. */
  orderKey: string;
}

export interface StratumDraw {
  key: string;
  label: string;
  /** How many were asked for. */
  n: number;
  /** Children of the case list in this stratum. */
  population: number;
  /** Of those, children in an audit drawn within the look-back: never drawn. */
  recentlyAudited: number;
  /** Children passed over because a brother or sister had been drawn already. */
  siblingsPassedOver: number;
  drawn: SampledChild[];
  /** Fewer eligible children than n: every eligible child was taken. */
  short: boolean;
}

export interface AuditSample {
  strata: StratumDraw[];
  /** Children of the list in no stratum (no age, or an age outside every range). */
  outsideStrata: number;
  children: SampledChild[];
}

export type AuditStatus = 'open' | 'closed';

/** An audit as the register lists it: no child in it. */
export interface AuditSummary {
  id: number;
  theme: string;
  figure: string;
  period: { from: string; to: string };
  strata: StrataSpec;
  seed: string;
  lookbackDays: number;
  drawnBy: string;
  drawnAt: string;
  status: AuditStatus;
  closedBy: string | null;
  closedAt: string | null;
  sampleSize: number;
  judged: number;
}

/** One of a judgement's answers: a single option, or several (missed opportunities). */
export type JudgementAnswers = Record<string, string | string[]>;

export interface Judgement {
  childKey: number;
  version: number;
  answers: JudgementAnswers;
  note: string;
  author: string;
  writtenAt: string;
}

/** The sample page: officers and admins only. */
export interface AuditDetail {
  audit: AuditSummary;
  /** How the sample was drawn, stratum by stratum, beside the list it came from. */
  sample: Omit<AuditSample, 'children'>;
  children: (SampledChild & { judgement: Judgement | null })[];
  sentences: string[];
}

export interface JudgementField {
  key: string;
  label: string;
  /** 'one': exactly one option; 'many': any of them, or none. */
  kind: 'one' | 'many';
  options: readonly { value: string; label: string }[];
}

const yesNo = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/**
 * The judgement form, from the seeds: Ofsted's inspection grades for quality of practice; Ofsted
 * 2014's drift and delay, missed opportunities (early help, escalation, care proceedings) and
 * progress (positive, partial, none); the neglect assessment tool (Graded Care Profile 2); the
 * child's voice (Ofsted 2014 "views, wishes and feelings"); multi-agency working (Lambeth's audit
 * question 4), rated effective / partly effective / not effective; step-down.
 */
export const judgementFields: readonly JudgementField[] = [
  {
    key: 'quality',
    label: 'Overall quality of practice',
    kind: 'one',
    options: [
      { value: 'outstanding', label: 'Outstanding' },
      { value: 'good', label: 'Good' },
      { value: 'requires_improvement', label: 'Requires improvement' },
      { value: 'inadequate', label: 'Inadequate' },
    ],
  },
  { key: 'drift', label: 'Drift or delay', kind: 'one', options: yesNo },
  {
    key: 'missed',
    label: 'Missed opportunities',
    kind: 'many',
    options: [
      { value: 'early_help', label: 'Early help' },
      { value: 'escalation', label: 'Escalation' },
      { value: 'proceedings', label: 'Care proceedings' },
    ],
  },
  {
    key: 'progress',
    label: 'Progress for the child',
    kind: 'one',
    options: [
      { value: 'positive', label: 'Positive' },
      { value: 'partial', label: 'Partial' },
      { value: 'none', label: 'None' },
    ],
  },
  {
    key: 'tool',
    label: 'Neglect assessment tool used',
    kind: 'one',
    options: [
      { value: 'gcp2', label: 'Graded Care Profile 2' },
      { value: 'other', label: 'Another tool' },
      { value: 'none', label: 'None' },
    ],
  },
  { key: 'voice', label: 'Child’s voice heard', kind: 'one', options: yesNo },
  {
    key: 'multi_agency',
    label: 'Multi-agency working',
    kind: 'one',
    options: [
      { value: 'effective', label: 'Effective' },
      { value: 'partly_effective', label: 'Partly effective' },
      { value: 'not_effective', label: 'Not effective' },
    ],
  },
  {
    key: 'step_down',
    label: 'Step-down appropriate',
    kind: 'one',
    options: [...yesNo, { value: 'not_applicable', label: 'Not applicable' }],
  },
];

export const judgementNoteMaxLength = 2000;

/** What is wrong with a judgement's answers, or undefined: every field answered from its options. */
export function judgementProblem(answers: unknown): string | undefined {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return "'answers' must be an object";
  const given = answers as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!judgementFields.some((f) => f.key === key)) return `'${key.slice(0, 40)}' is not a judgement field`;
  }
  for (const field of judgementFields) {
    const value = given[field.key];
    const allowed = new Set(field.options.map((o) => o.value));
    if (field.kind === 'many') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !allowed.has(v))) {
        return `${field.label}: a list of ${[...allowed].join(', ')} (empty for none)`;
      }
      if (new Set(value).size !== value.length) return `${field.label}: an option is given twice`;
    } else if (typeof value !== 'string' || !allowed.has(value)) {
      return `${field.label}: one of ${[...allowed].join(', ')}`;
    }
  }
  return undefined;
}

/** A share with its 95% Wilson interval; on board output any of it may be 'c' (METRICS.md §7). */
export interface FindingShare {
  value: string;
  label: string;
  count: number | 'c';
  share: number | 'c';
  ciLow: number | 'c';
  ciHigh: number | 'c';
  /** Ofsted 2014's figure for the same judgement, where the report gives one. */
  ofsted: OfstedFigure | null;
}

export interface FindingField {
  key: string;
  label: string;
  /** Children judged: the denominator of every share of the field. */
  judged: number | 'c';
  shares: FindingShare[];
}

export interface AuditFindings {
  audit: AuditSummary;
  suppressed: boolean;
  fields: FindingField[];
  sentences: string[];
}

export interface OfstedFigure {
  /** The report's words. */
  text: string;
  /** The share the words give, 0–1, where they give one. */
  share: number | null;
  citation: string;
}

const ofstedReport = 'Ofsted (2014) In the child’s time: professional responses to neglect';

/**
 * Ofsted 2014's figures, by field and option, where the report gives one (seed: In the child's
 * time). Its denominators differ from an audit's: long-term cases, cases reviewed in depth (55 of
 * 124) and the 44 child in need and child protection cases whose progress was judged.
 */
export const ofsted2014: Record<string, Record<string, OfstedFigure>> = {
  drift: {
    yes: {
      text: 'drift and delay in a third of long-term cases',
      share: 1 / 3,
      citation: `${ofstedReport}, executive summary and paragraph 72`,
    },
  },
  missed: {
    early_help: {
      text: 'early help in a third of referrals; in over half of the rest an early help plan should have been considered earlier',
      share: null,
      citation: `${ofstedReport}, paragraph 24`,
    },
    escalation: {
      text: 'in over a third of the 55 cases reviewed in depth professionals should have challenged a failing plan (8 + 4 + 7 = 19 cases)',
      share: 19 / 55,
      citation: `${ofstedReport}, paragraph 57`,
    },
    proceedings: {
      text: '21% (11 cases) of long-term cases had missed opportunities for care proceedings',
      share: 0.21,
      citation: `${ofstedReport}, paragraph 72`,
    },
  },
  progress: {
    positive: {
      text: '27 of 44 cases showed positive progress',
      share: 27 / 44,
      citation: `${ofstedReport}, paragraph 63`,
    },
    partial: {
      text: '4 of 44 cases showed partial progress',
      share: 4 / 44,
      citation: `${ofstedReport}, paragraph 63`,
    },
    none: { text: '13 of 44 cases showed no progress', share: 13 / 44, citation: `${ofstedReport}, paragraph 63` },
  },
};

/** Said beside every findings table: a dozen children cannot carry fine distinctions. */
export const smallSampleSentence =
  'Audit samples are small: with 12 children one judgement moves a share by over 8 points, and the 95% intervals ' +
  'are wide. Read the shares as a picture of practice in the cases audited, not as a rate for every child.';
