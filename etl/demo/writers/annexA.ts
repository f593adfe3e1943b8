/**
 * Ofsted's Annex A child-level lists for the demo LA, as one workbook at the reference date. Sheet names,
 * headers and coded values follow Ofsted's template (Annex_A_template_2016_guidance.xlsx, "Update: August
 * 2019"); sheets are named "List 2" ... "List 7" as in filled workbooks. Children and episodes are the same
 * as in the canonical CSV (Child Unique ID = child_id).
 *
 * Choices where the template leaves room:
 * - Every list covers the 12 months up to the reference date (Ofsted asks for 6), so the workbook covers
 *   the same DfE year as the latest CIN census.
 * - Lists 6 and 7 have one row per episode / plan rather than one per child, so the workbook carries every
 *   plan the warehouse needs; List 6 leaves out NFA referrals and episodes closed after assessment (RC8,
 *   RC9), which Ofsted says are not needed there.
 * - List 1 (contacts) is not written: the demo simulates referrals, not contacts. Lists 8-11 are not
 *   written: the demo does not simulate looked-after children, care leavers or adoption.
 * - Allocated Worker is always blank: the demo invents no names.
 */
import { join } from 'node:path';
import { overlaps, type EarlyHelpAsAt, type ReferralAsAt } from '../asAt.ts';
import { annexAPeriodFromDay, demoLocalAuthority, referenceDateIso, referenceDay } from '../constants.ts';
import { ageOn, isoDate } from '../dates.ts';
import type { DemoChild } from '../model.ts';
import { StreamingWorkbook, type CellValue, type SheetWriter } from './xlsxStream.ts';

export const annexAFileName = `Annex_A_${referenceDateIso}.xlsx`;

const commonColumns = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'] as const;

export const annexAColumns = {
  'List 2': [
    ...commonColumns,
    'Assessment start date',
    'Assessment completion date',
    'Organisation completing assessment',
  ],
  'List 3': [
    ...commonColumns,
    'Date of referral',
    'Referral Source',
    'Referral NFA?',
    'Number of Referrals in Last 12 Months',
    'Allocated Team',
    'Allocated Worker',
  ],
  'List 4': [
    ...commonColumns,
    'Does the Child have a Disability',
    'Continuous Assessment Start Date',
    'Child Seen During Continuous Assessment',
    'Continuous Assessment Date of Authorisation',
    'Was the child assessed as requiring LA children’s social care support',
    'Allocated Team',
    'Allocated Worker',
  ],
  'List 5': [
    ...commonColumns,
    'Does the Child have a Disability',
    'Strategy discussion initiating Section 47 Enquiry Start Date',
    'Was an Initial Child Protection Conference deemed unnecessary?',
    'Date of Initial Child Protection Conference',
    'Did the Initial Child Protection Conference Result in a Child Protection Plan',
    'Number of Section 47 Enquiries in the last 12 months',
    'Number of ICPCs in the last 12 months',
    'Allocated Team',
    'Allocated Worker',
  ],
  'List 6': [
    ...commonColumns,
    'Does the Child have a Disability',
    'CIN Start Date',
    'Primary Need Code',
    'Date Child Was Last Seen',
    'CIN Closure Date',
    'Reason for Closure',
    'Case status',
    'Allocated Team',
    'Allocated Worker',
  ],
  'List 7': [
    ...commonColumns,
    'Does the Child have a Disability',
    'Child Protection Plan Start Date',
    'Initial Category of Abuse',
    'Latest Category of Abuse',
    'Date of the Last Statutory Visit',
    'Was the Child Seen Alone?',
    'Date of latest review conference',
    'Child Protection Plan End Date',
    'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
    'Number of Previous Child Protection Plans',
    'Allocated Team',
    'Allocated Worker',
  ],
} as const;

export type AnnexAList = keyof typeof annexAColumns;

// Ofsted's preferred codes (Codes_used sheet). The template really gives REFU and NOBT the same letter.
const ethnicityLetters: Record<string, string> = {
  WBRI: 'a',
  WIRI: 'b',
  WIRT: 'c',
  WOTH: 'd',
  WROM: 'e',
  MWBC: 'f',
  MWBA: 'g',
  MWAS: 'h',
  MOTH: 'i',
  AIND: 'j',
  APKN: 'k',
  ABAN: 'l',
  AOTH: 'm',
  BCRB: 'n',
  BAFR: 'o',
  BOTH: 'p',
  CHNE: 'q',
  OOTH: 'r',
  REFU: 's',
  NOBT: 's',
};
// 5D (early help) post-dates the 2019 template; it gets the next free letter.
const referralSources: Record<string, string> = {
  '1A': 'a) 1A: Individual',
  '1B': 'b) 1B: Individual',
  '1C': 'c) 1C: Individual',
  '1D': 'd) 1D: Individual',
  '2A': 'e) 2A: Schools',
  '2B': 'f) 2B: Education services',
  '3A': 'g) 3A: Health services',
  '3B': 'h) 3B: Health services',
  '3C': 'i) 3C: Health services',
  '3D': 'j) 3D: Health services',
  '3E': 'k) 3E: Health services',
  '3F': 'l) 3F: Health services',
  '4': 'm) 4: Housing',
  '5A': 'n) 5A: LA services',
  '5B': 'o) 5B: LA services',
  '5C': 'p) 5C: LA services',
  '6': 'q) 6: Police',
  '7': 'r) 7: Other legal agency',
  '8': 's) 8: Other',
  '9': 't) 9: Anonymous',
  '10': 'u) 10: Unknown',
  '5D': 'v) 5D: LA services',
};
const primaryNeeds: Record<string, string> = {
  N1: 'N1 - Abuse or neglect',
  N2: 'N2 - Child’s disability',
  N3: 'N3 - Parental disability or illness',
  N4: 'N4 - Family in acute stress',
  N5: 'N5 - Family dysfunction',
  N6: 'N6 - Socially unacceptable behaviour',
  N7: 'N7 - Low income',
  N8: 'N8 - Absent parenting',
  N9: 'N9 - Cases other than children in need',
  N0: 'N0 - Not stated',
};
const closureReasons: Record<string, string> = {
  RC1: 'RC1 - Adopted',
  RC2: 'RC2 - Died',
  RC3: 'RC3 - Child arrangements order',
  RC4: 'RC4 - Special guardianship order',
  RC5: 'RC5 - Transferred to services of another local authority',
  RC6: 'RC6 - Transferred to adult social care services',
  RC7: 'RC7 - Services ceased for any other reason, including child no longer in need',
  RC8: 'RC8 - Case closed after assessment, no further action',
  RC9: 'RC9 - Case closed after assessment, referred to early help',
};
const categories: Record<string, string> = {
  NEG: 'a) Neglect',
  PHY: 'b) Physical abuse',
  SAB: 'c) Sexual abuse',
  EMO: 'd) Emotional abuse',
  MUL: 'e) Multiple/not recommended',
};
const yes = 'a) Yes';
const no = 'b) No';

/** A stable pseudo-random number for details Annex A asks for and the simulation does not model. */
function detailHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

const from = annexAPeriodFromDay;
const to = referenceDay;
const inPeriod = (day: number): boolean => day >= from && day <= to;

export class AnnexAWriter {
  private readonly lists: Record<AnnexAList, SheetWriter>;

  private constructor(private readonly workbook: StreamingWorkbook) {
    const front = workbook.addSheet('Front_Sheet', ['Annex A - Child level data']);
    for (const line of [
      `Local authority: ${demoLocalAuthority.name} (${demoLocalAuthority.code}), ${demoLocalAuthority.region}. FICTIONAL DEMO DATA: no real child is described.`,
      `Reference date ${isoDate(to)}; lists cover ${isoDate(from)} to ${isoDate(to)} (12 months).`,
      'Lists 2-7 only: the demo simulates no contacts (List 1) and no looked-after children, care leavers or adoption (Lists 8-11).',
      'Lists 6 and 7 have one row per episode / plan. Allocated Worker is left blank.',
    ]) {
      front.row([line]);
    }
    this.lists = Object.fromEntries(
      (Object.keys(annexAColumns) as AnnexAList[]).map((name) => [name, workbook.addSheet(name, annexAColumns[name])]),
    ) as Record<AnnexAList, SheetWriter>;
  }

  static create(dir: string): AnnexAWriter {
    return new AnnexAWriter(new StreamingWorkbook(join(dir, annexAFileName), dir));
  }

  /** The child's rows in each list, from its extract view (records as at the reference date). */
  writeChild(
    childId: string,
    childNumber: number,
    child: DemoChild,
    earlyHelp: EarlyHelpAsAt[],
    referrals: ReferralAsAt[],
  ): void {
    const born = child.birthDay <= to;
    const common: CellValue[] = [
      childId,
      born ? (child.sex === 'M' ? 'a) Male' : 'b) Female') : 'c) Not stated/recorded',
      `${ethnicityLetters[child.ethnicity] ?? 's'}) ${child.ethnicity}`,
      born ? { day: child.birthDay } : null,
      born ? ageOn(child.birthDay, to) : -1,
    ];
    const disabled = born && child.disabilities.length > 0 ? yes : no;

    for (const e of earlyHelp) {
      if (!overlaps(e.start, e.end, from, to)) continue;
      this.lists['List 2'].row([...common, { day: e.start }, e.end === null ? null : { day: e.end }, e.leadAgency]);
    }

    // Ofsted: referrals in the 12 months before the child's latest referral, the same on every row.
    const listed = referrals.filter((r) => inPeriod(r.date));
    const latest = listed.length > 0 ? listed[listed.length - 1]!.date : to;
    const referralsBeforeLatest = referrals.filter((r) => r.date >= latest - 365 && r.date < latest).length;
    for (const r of listed) {
      this.lists['List 3'].row([
        ...common,
        { day: r.date },
        referralSources[r.source] ?? r.source,
        r.nfa ? yes : no,
        referralsBeforeLatest,
        r.team,
        null,
      ]);
    }

    const enquiries = referrals.flatMap((r) => r.section47s);
    for (const r of referrals) {
      const supported = r.cinPlans.length > 0 || r.cpPlans.length > 0 || r.section47s.some((s) => s.resultedInPlan);
      for (const a of r.assessments) {
        if (!overlaps(a.start, a.authorised, from, to)) continue;
        const seen = detailHash(childNumber, a.start) % 100 < 97 ? yes : no;
        const outcome = a.authorised === null ? null : supported ? yes : no;
        this.lists['List 4'].row([
          ...common,
          disabled,
          { day: a.start },
          seen,
          a.authorised === null ? null : { day: a.authorised },
          outcome,
          r.team,
          null,
        ]);
      }

      for (const s of r.section47s) {
        if (!inPeriod(s.start)) continue;
        const earlierEnquiries = enquiries.filter((o) => o.start >= s.start - 365 && o.start < s.start).length;
        const conferencesUpTo = s.icpc ?? s.start;
        const conferences = enquiries.filter(
          (o) => o.icpc !== null && o.icpc >= s.start - 365 && o.icpc <= conferencesUpTo,
        ).length;
        const unnecessary = s.icpcNotRequired ? yes : s.icpc !== null ? no : null;
        const resulted = s.resultedInPlan === null ? null : s.resultedInPlan ? yes : no;
        this.lists['List 5'].row([
          ...common,
          disabled,
          { day: s.start },
          unnecessary,
          s.icpc === null ? null : { day: s.icpc },
          resulted,
          earlierEnquiries,
          conferences,
          r.team,
          null,
        ]);
      }

      if (!r.nfa && r.closureReason !== 'RC8' && r.closureReason !== 'RC9' && overlaps(r.date, r.closure, from, to)) {
        const openOn = (start: number, end: number | null): boolean => start <= to && (end === null || end > to);
        let status = 'e) Closed episode';
        if (r.closure === null) {
          if (r.cpPlans.some((p) => openOn(p.start, p.end))) status = 'b) Child Protection plan';
          else if (r.cinPlans.some((p) => openOn(p.start, p.end))) status = 'c) Child in need plan';
          else status = 'd) Open assessment';
        }
        const lastDay = r.closure ?? to;
        const lastSeen =
          born && child.birthDay <= lastDay
            ? Math.max(r.date, child.birthDay, lastDay - (detailHash(childNumber, r.date) % 21))
            : null;
        this.lists['List 6'].row([
          ...common,
          disabled,
          { day: r.date },
          primaryNeeds[r.primaryNeed] ?? r.primaryNeed,
          lastSeen === null ? null : { day: lastSeen },
          r.closure === null ? null : { day: r.closure },
          r.closureReason === null ? null : (closureReasons[r.closureReason] ?? r.closureReason),
          status,
          r.team,
          null,
        ]);
      }

      for (const p of r.cpPlans) {
        if (!overlaps(p.start, p.end, from, to)) continue;
        const h = detailHash(childNumber, p.start);
        const lastDay = p.end ?? to;
        const visit = born && child.birthDay <= lastDay ? Math.max(p.start, child.birthDay, lastDay - (h % 10)) : null;
        const age = born ? ageOn(child.birthDay, lastDay) : -1;
        const seenAlone = visit === null ? null : age >= 4 ? (h % 100 < 88 ? yes : no) : no;
        const lastReview = p.reviews.length > 0 ? p.reviews[p.reviews.length - 1]! : null;
        this.lists['List 7'].row([
          ...common,
          disabled,
          { day: p.start },
          categories[p.initialCategory] ?? p.initialCategory,
          categories[p.latestCategory] ?? p.latestCategory,
          visit === null ? null : { day: visit },
          seenAlone,
          lastReview === null ? null : { day: lastReview },
          p.end === null ? null : { day: p.end },
          (h >>> 8) % 100 < 2 ? yes : no,
          p.previousPlans,
          r.team,
          null,
        ]);
      }
    }
  }

  get wantsFlush(): boolean {
    return this.workbook.wantsFlush;
  }

  flush(): Promise<void> {
    return this.workbook.flush();
  }

  close(): Promise<number> {
    return this.workbook.close(to);
  }

  rows(): Record<AnnexAList, number> {
    return Object.fromEntries(
      (Object.keys(this.lists) as AnnexAList[]).map((name) => [name, this.lists[name].rows]),
    ) as Record<AnnexAList, number>;
  }
}
