/**
 * The canonical CSV of DATA.md: what a case-management system report produces, one file per table, the
 * whole history from the extract start to the reference date.
 */
import { join } from 'node:path';
import type { CareEpisodeAsAt, EarlyHelpAsAt, ReferralAsAt } from '../asAt.ts';
import { isoDate } from '../dates.ts';
import type { DemoChild } from '../model.ts';
import { BufferedTextFile } from './bufferedFile.ts';

export const canonicalCsvHeaders = {
  'children.csv': 'child_id,birth_date,expected_birth_date,sex,ethnicity,disability',
  'early_help.csv': 'episode_id,child_id,start_date,end_date,lead_agency,neglect,factors,closure_reason',
  'referrals.csv': 'referral_id,child_id,referral_date,source,primary_need,nfa,closure_date,closure_reason',
  'assessments.csv': 'assessment_id,referral_id,child_id,start_date,authorisation_date,factors',
  'section47.csv': 's47_id,referral_id,child_id,start_date,icpc_date,icpc_not_required',
  'cin_plans.csv': 'plan_id,referral_id,child_id,start_date,end_date',
  'cp_plans.csv': 'plan_id,referral_id,child_id,start_date,end_date,initial_category,latest_category,previous_plans',
  'looked_after.csv':
    'episode_id,child_id,start_date,end_date,reason_new_episode,legal_status,category_of_need,placement_type,reason_ceased',
} as const;

/** DATA.md children.csv: the optional last column, shared by siblings. */
export const familyIdColumn = 'family_id';

export type CanonicalCsvFile = keyof typeof canonicalCsvHeaders;

const date = (day: number | null): string => (day === null ? '' : isoDate(day));
const yesNo = (value: boolean): string => (value ? 'Y' : 'N');

/** Per-table ids: a prefix and a running number, unique within the table. */
function idOf(prefix: string, n: number): string {
  return prefix + String(n).padStart(7, '0');
}

export class CanonicalCsvWriter {
  readonly rows: Record<CanonicalCsvFile, number> = {
    'children.csv': 0,
    'early_help.csv': 0,
    'referrals.csv': 0,
    'assessments.csv': 0,
    'section47.csv': 0,
    'cin_plans.csv': 0,
    'cp_plans.csv': 0,
    'looked_after.csv': 0,
  };

  private constructor(
    private readonly files: Record<CanonicalCsvFile, BufferedTextFile>,
    private readonly withFamilyId: boolean,
  ) {}

  /** withFamilyId adds children.csv's optional family_id column. */
  static async create(dir: string, withFamilyId: boolean): Promise<CanonicalCsvWriter> {
    const files = {} as Record<CanonicalCsvFile, BufferedTextFile>;
    for (const [name, header] of Object.entries(canonicalCsvHeaders) as [CanonicalCsvFile, string][]) {
      files[name] = await BufferedTextFile.create(join(dir, name));
      const columns = name === 'children.csv' && withFamilyId ? `${header},${familyIdColumn}` : header;
      files[name].write(columns + '\n');
    }
    return new CanonicalCsvWriter(files, withFamilyId);
  }

  private emit(file: CanonicalCsvFile, line: string): number {
    this.files[file].write(line + '\n');
    return ++this.rows[file];
  }

  /** Writes the child and every record in its extract view. */
  writeChild(
    childId: string,
    familyId: string,
    child: DemoChild,
    bornByExtract: boolean,
    earlyHelp: EarlyHelpAsAt[],
    referrals: ReferralAsAt[],
    care: CareEpisodeAsAt[],
  ): void {
    const birth = bornByExtract ? isoDate(child.birthDay) : '';
    const expected = child.expectedBirthDay === null ? '' : isoDate(child.expectedBirthDay);
    const sex = bornByExtract ? child.sex : 'U';
    // A disability is recorded once the child is born.
    const disability = bornByExtract && child.disabilities.length > 0 ? child.disabilities.join(';') : 'NONE';
    const family = this.withFamilyId ? `,${familyId}` : '';
    this.emit('children.csv', `${childId},${birth},${expected},${sex},${child.ethnicity},${disability}${family}`);

    for (const e of earlyHelp) {
      const n = this.rows['early_help.csv'] + 1;
      this.emit(
        'early_help.csv',
        `${idOf('EH', n)},${childId},${date(e.start)},${date(e.end)},${e.leadAgency},${yesNo(e.neglect)},${e.factors.join(';')},${e.closureReason ?? ''}`,
      );
    }

    for (const r of referrals) {
      const referralId = idOf('REF', this.rows['referrals.csv'] + 1);
      this.emit(
        'referrals.csv',
        `${referralId},${childId},${date(r.date)},${r.source},${r.primaryNeed},${yesNo(r.nfa)},${date(r.closure)},${r.closureReason ?? ''}`,
      );
      for (const a of r.assessments) {
        const id = idOf('ASM', this.rows['assessments.csv'] + 1);
        this.emit(
          'assessments.csv',
          `${id},${referralId},${childId},${date(a.start)},${date(a.authorised)},${a.factors.join(';')}`,
        );
      }
      for (const s of r.section47s) {
        const id = idOf('S47', this.rows['section47.csv'] + 1);
        this.emit(
          'section47.csv',
          `${id},${referralId},${childId},${date(s.start)},${date(s.icpc)},${yesNo(s.icpcNotRequired)}`,
        );
      }
      for (const p of r.cinPlans) {
        const id = idOf('CIN', this.rows['cin_plans.csv'] + 1);
        this.emit('cin_plans.csv', `${id},${referralId},${childId},${date(p.start)},${date(p.end)}`);
      }
      for (const p of r.cpPlans) {
        const id = idOf('CPP', this.rows['cp_plans.csv'] + 1);
        this.emit(
          'cp_plans.csv',
          `${id},${referralId},${childId},${date(p.start)},${date(p.end)},${p.initialCategory},${p.latestCategory},${p.previousPlans}`,
        );
      }
    }

    for (const e of care) {
      const id = idOf('LAC', this.rows['looked_after.csv'] + 1);
      this.emit(
        'looked_after.csv',
        `${id},${childId},${date(e.start)},${date(e.end)},${e.reasonNewEpisode},${e.legalStatus},${e.categoryOfNeed},${e.placement},${e.reasonCeased ?? ''}`,
      );
    }
  }

  get wantsFlush(): boolean {
    return Object.values(this.files).some((f) => f.wantsFlush);
  }

  async flush(): Promise<void> {
    for (const f of Object.values(this.files)) if (f.wantsFlush) await f.flush();
  }

  async close(): Promise<void> {
    for (const f of Object.values(this.files)) await f.close();
  }

  bytesWritten(): number {
    return Object.values(this.files).reduce((sum, f) => sum + f.bytesWritten, 0);
  }
}
