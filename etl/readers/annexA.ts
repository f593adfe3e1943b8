import { statSync } from 'node:fs';
import type { CanonicalTable } from '../canonical/model.ts';
import { LoadError } from '../staging/loadError.ts';
import { StageWriter } from '../staging/stageWriter.ts';
import {
  cinPlanColumns,
  headerLabel,
  isKnownNonListSheet,
  listFromHeader,
  listNumberFromName,
  listSpec,
  type AnnexField,
  type ColumnSource,
  type ListSpec,
  type ValueKind,
} from './annexA/lists.ts';
import {
  categoryValue,
  cellText,
  closureReasonValue,
  dateValue,
  disabilityValue,
  ethnicityValue,
  genderCodesExpected,
  genderValue,
  isEmptyCell,
  isUnbornAge,
  primaryNeedValue,
  referralSourceValue,
  stripLetterPrefix,
  yesNoValue,
  type Cell,
} from './annexA/values.ts';
import { findHeader, headerSearchRows, listFromTitle, type Header } from './annexA/listFinder.ts';
import { openWorkbook, type Workbook } from './annexA/workbook.ts';
import { openCsvList } from './annexA/csvList.ts';
import type { ExtractReader, StageContext, StagedExtract } from './reader.ts';

/**
 * Reader for Ofsted's Annex A workbook (ILACS child-level lists). Lists are found by sheet name
 * (`List 2`, `List_2`, `List 2 - Early Help`: the list number decides), failing that by a title
 * cell such as "List 7: Child protection", failing that by a column only that list has.
 *
 * List 2 → early_help, 3 → referrals, 4 → assessments, 5 → section47, 6 → referrals (each row is
 * the child's latest CIN episode: "CIN Start Date" is the episode's start, i.e. its referral date;
 * a List 6 row with the same child and date as a List 3 row completes that referral rather than
 * duplicating it), and cin_plans only when List 6 carries CIN plan dates, 7 → cp_plans, 8 →
 * looked_after (one episode a row: see lists.ts).
 *
 * Every list repeats the child's characteristics; a workbook stages one children row per child, the
 * first seen in list order (List 2 first), since validation rejects a child twice in one file.
 *
 * Annex A has no record ids: a referral's id is `<child id>|<referral date>` (as the CIN census
 * reader makes it, so the two formats name the same episode alike); assessments, S47 enquiries and
 * plans carry no referral, and the merge links them to the child's referral by date. Annex A has no
 * reference date either: the load's own date is used.
 *
 * Rows are labelled `<sheet name> row <n>`, n the spreadsheet row (the header is row 1 in a filled
 * workbook, row 2 in Ofsted's template, which has a title row).
 */

type Values = Record<string, string | undefined>;

export interface SheetPlan {
  sheet: string;
  /** 1-based position in the workbook. */
  position: number;
  /** The Annex A list, when the sheet is one. */
  list?: number;
  foundBy?: 'name' | 'title' | 'header';
  /** `load`: staged; `not loaded`: a list 2–8 the warehouse has no table for; `ignored`: not needed. */
  action: 'load' | 'not loaded' | 'ignored';
  note?: string;
}

interface PlannedSheet extends SheetPlan {
  spec?: ListSpec;
  /** Parsed already while finding the list by content. */
  data?: Cell[][];
}

/** The sheets of a workbook and what the reader does with each; parses only sheets it must look inside. */
async function planSheets(book: Workbook): Promise<PlannedSheet[]> {
  const plans: PlannedSheet[] = [];
  for (const [index, sheet] of book.sheets.entries()) {
    const position = index + 1;
    let list = listNumberFromName(sheet);
    let foundBy: SheetPlan['foundBy'] = list === undefined ? undefined : 'name';
    let data: Cell[][] | undefined;
    if (list === undefined && !isKnownNonListSheet(sheet)) {
      data = await book.readSheet(position);
      list = listFromTitle(data);
      foundBy = list === undefined ? undefined : 'title';
      if (list === undefined) {
        const header = findHeader(data);
        list = header ? listFromHeader(new Set(header.columns.keys())) : undefined;
        foundBy = list === undefined ? undefined : 'header';
      }
    }
    const spec = list === undefined ? undefined : listSpec(list);
    if (spec?.table) {
      plans.push({ sheet, position, list, foundBy, action: 'load', spec, data });
    } else if (spec) {
      plans.push({ sheet, position, list, foundBy, action: 'not loaded', note: spec.notLoaded, spec });
    } else {
      plans.push({
        sheet,
        position,
        list,
        foundBy,
        action: 'ignored',
        note: list === undefined ? 'not an Annex A list' : `List ${list} is not used by this product`,
      });
    }
  }
  return plans;
}

/** What the reader would do with each sheet of a workbook (for diagnostics and tests). */
export async function planAnnexAWorkbook(path: string): Promise<SheetPlan[]> {
  const plans = await planSheets(openWorkbook(path));
  return plans.map(({ sheet, position, list, foundBy, action, note }) => ({
    sheet,
    position,
    list,
    foundBy,
    action,
    note,
  }));
}

function stagedValue(kind: ValueKind, cell: Cell, epoch1904: boolean): string | undefined {
  switch (kind) {
    case 'date':
      return dateValue(cell, epoch1904);
    case 'yesNo':
      return yesNoValue(cell);
    case 'category':
      return categoryValue(cell);
    case 'referralSource':
      return referralSourceValue(cell);
    case 'primaryNeed':
      return primaryNeedValue(cell);
    case 'closureReason':
      return closureReasonValue(cell);
    case 'ssda903Code':
      return ssda903CodeValue(cell);
    case 'id':
    case 'text':
    case 'count':
      return cellText(cell);
  }
}

/**
 * List 8's coded values as their SSDA903 code: `E1: Placement order` → E1, `N1 - Abuse or Neglect`
 * → N1, `a) E11 Adopted` → E11. Text with no code is staged as shown, for validation to judge.
 */
export function ssda903CodeValue(cell: Cell): string | undefined {
  const text = cellText(cell);
  if (text === undefined) return undefined;
  const code = /^([A-Z]\d{1,2}[A-Z]?)(?![A-Z0-9])/i.exec(stripLetterPrefix(text));
  return code ? code[1]!.toUpperCase() : text;
}

interface ChildEntry {
  srcRow: string;
  values: Values;
  /** Characteristics taken so far (each from the first sheet that has a column for it): Taken bits. */
  taken: number;
  unknownGender?: { srcRow: string; text: string };
}

/** A bit each, not a Set: a workbook holds an entry per child until the last list. */
const Taken = { birth: 1, sex: 2, ethnicity: 4, disability: 8 } as const;
const allTaken = Taken.birth | Taken.sex | Taken.ethnicity | Taken.disability;

interface ReferralEntry {
  srcRow: string;
  values: Values;
  list: number;
  completedByList6: boolean;
}

/**
 * Stages one workbook's lists as their rows are read. A child missing a characteristic is held until
 * every list is read, a referral until List 6 is (a List 6 row may complete it).
 */
class AnnexAStager {
  /**
   * Children seen, by id: null once staged. A child is staged as soon as all four characteristics
   * are taken (nothing later can change them), so only its id is held after that.
   */
  private readonly children = new Map<string, ChildEntry | null>();
  private readonly referrals: ReferralEntry[] = [];
  private readonly referralsByKey = new Map<string, ReferralEntry[]>();
  rowsStaged = 0;

  constructor(
    private readonly writer: StageWriter,
    private readonly epoch1904: boolean,
  ) {}

  /**
   * Stages one list's rows as the sheet is read: the first rows are held until the header is found
   * among them, then each row is staged and let go, so no list is ever held whole.
   */
  async stageSheet(plan: PlannedSheet, spec: ListSpec, book: Workbook): Promise<void> {
    const top: Cell[][] = [];
    let header: Header | null | undefined; // null: none in the first rows (the list is rejected)
    const settle = () => {
      header = this.headerOf(plan, spec, top) ?? null;
      if (header)
        for (const [r, cells] of top.entries()) if (r > header.row) this.stageRow(plan, spec, header, cells, r);
    };
    const onRow = (cells: Cell[], r: number) => {
      if (header === undefined) {
        while (top.length < r) top.push([]);
        top.push(cells);
        if (top.length >= headerSearchRows) settle();
      } else if (header) this.stageRow(plan, spec, header, cells, r);
    };
    if (plan.data) plan.data.forEach(onRow);
    else await book.eachRow(plan.position, onRow);
    plan.data = undefined;
    if (header === undefined) settle();
  }

  /** The list's header, or undefined after rejecting the list (no header, or a required column missing). */
  private headerOf(plan: PlannedSheet, spec: ListSpec, top: Cell[][]): Header | undefined {
    const where = plan.sheet;
    const what = `List ${spec.list} (${spec.title}) on sheet "${plan.sheet}" was not read`;
    const header = findHeader(top);
    if (!header) {
      const expected = spec.required.map(headerLabel).join(', ');
      this.writer.reject(
        where,
        undefined,
        undefined,
        `no header row in the first ${headerSearchRows} rows (expected columns such as ${expected}): ${what}`,
      );
      return undefined;
    }
    const missing = spec.required.filter((field) => !header.columns.has(field)).map(headerLabel);
    if (missing.length > 0) {
      this.writer.reject(
        where,
        missing.join(', '),
        undefined,
        `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ${what}`,
      );
      return undefined;
    }
    return header;
  }

  private stageRow(plan: PlannedSheet, spec: ListSpec, header: Header, cells: Cell[], r: number): void {
    if (cells.every(isEmptyCell)) return;
    const srcRow = `${plan.sheet} row ${r + 1}`;
    const cell = (field: AnnexField): Cell => {
      const index = header.columns.get(field);
      return index === undefined ? undefined : cells[index];
    };
    const childId = cellText(cell('child_id'));
    this.noteChild(childId, srcRow, header, cell);
    const values = this.rowValues(spec.columns, header, cell, childId);
    if (spec.table === 'referrals') {
      this.addReferral(spec.list, srcRow, values);
    } else if (spec.table) {
      this.stage(spec.table, srcRow, values);
    }
    if (spec.list === 6 && header.columns.has('cin_plan_start') && !isEmptyCell(cell('cin_plan_start'))) {
      this.stage('cin_plans', srcRow, this.rowValues(cinPlanColumns, header, cell, childId));
    }
  }

  private rowValues(
    columns: readonly ColumnSource[],
    header: Header,
    cell: (field: AnnexField) => Cell,
    childId: string | undefined,
  ): Values {
    const values: Values = { child_id: childId };
    for (const source of columns) {
      const field = source.from.find((f) => header.columns.has(f));
      values[source.column] = field === undefined ? undefined : stagedValue(source.kind, cell(field), this.epoch1904);
    }
    return values;
  }

  private stage(table: CanonicalTable, srcRow: string, values: Values): void {
    this.writer.row(table, srcRow, values);
    this.rowsStaged += 1;
  }

  /** First seen wins, per characteristic; one the first sheet has no column for comes from a later sheet. */
  private noteChild(
    childId: string | undefined,
    srcRow: string,
    header: Header,
    cell: (field: AnnexField) => Cell,
  ): void {
    if (childId === undefined) return;
    let child = this.children.get(childId);
    if (child === null) return;
    if (!child) {
      child = { srcRow, values: { child_id: childId }, taken: 0 };
      this.children.set(childId, child);
    }
    const has = (field: AnnexField) => header.columns.has(field);
    if (!(child.taken & Taken.birth) && has('birth_date')) {
      // Ofsted: an unborn child has age -1 and its expected date of birth in Date of Birth.
      const date = dateValue(cell('birth_date'), this.epoch1904);
      child.values[isUnbornAge(cell('age')) ? 'expected_birth_date' : 'birth_date'] = date;
      child.taken |= Taken.birth;
    }
    if (!(child.taken & Taken.sex) && has('gender')) {
      const gender = genderValue(cell('gender'));
      child.values['sex'] = gender.value;
      if (gender.unknown !== undefined) child.unknownGender = { srcRow, text: gender.unknown };
      child.taken |= Taken.sex;
    }
    if (!(child.taken & Taken.ethnicity) && has('ethnicity')) {
      child.values['ethnicity'] = ethnicityValue(cell('ethnicity'));
      child.taken |= Taken.ethnicity;
    }
    if (!(child.taken & Taken.disability) && has('disability')) {
      child.values['disability'] = disabilityValue(cell('disability'));
      child.taken |= Taken.disability;
    }
    if (child.taken === allTaken) {
      this.stageChild(child);
      this.children.set(childId, null);
    }
  }

  private stageChild(child: ChildEntry): void {
    if (child.unknownGender) {
      this.writer.reject(
        child.unknownGender.srcRow,
        'sex',
        child.unknownGender.text,
        `unknown gender (expected ${genderCodesExpected}); this child's characteristics were not loaded`,
      );
    } else {
      this.stage('children', child.srcRow, child.values);
    }
  }

  /** List 3 rows are referrals; a List 6 row for the same child and date completes one of them. */
  private addReferral(list: number, srcRow: string, values: Values): void {
    const childId = values['child_id'];
    const date = values['referral_date'];
    const key = childId !== undefined && date !== undefined ? `${childId}|${date}` : undefined;
    values['referral_id'] = key;
    if (key !== undefined && list === 6) {
      const match = this.referralsByKey.get(key)?.find((entry) => entry.list !== 6 && !entry.completedByList6);
      if (match) {
        for (const [column, value] of Object.entries(values)) {
          if (value !== undefined && match.values[column] === undefined) match.values[column] = value;
        }
        match.srcRow = `${match.srcRow} + ${srcRow}`;
        match.completedByList6 = true;
        return;
      }
    }
    const entry: ReferralEntry = { srcRow, values, list, completedByList6: false };
    this.referrals.push(entry);
    if (key !== undefined) this.referralsByKey.set(key, [...(this.referralsByKey.get(key) ?? []), entry]);
  }

  /**
   * Stages the referrals held so far. Only a List 6 row completes one, so once List 6 is read they
   * need not be held through the lists after it.
   */
  flushReferrals(): void {
    for (const referral of this.referrals) this.stage('referrals', referral.srcRow, referral.values);
    this.referrals.length = 0;
    this.referralsByKey.clear();
  }

  finish(): void {
    this.flushReferrals();
    for (const child of this.children.values()) if (child) this.stageChild(child);
    this.children.clear();
  }
}

/** Stages the lists of an opened workbook (or of a list saved as CSV, opened as one). */
async function stageAnnexA(book: Workbook, { stagingDir, progress }: StageContext): Promise<StagedExtract> {
  const path = book.path;
  const totalBytes = statSync(path).size;
  const plans = await planSheets(book);
  const lists = plans.filter((plan) => plan.action !== 'ignored');
  // A list saved on its own that this product does not read is said so, in its own terms.
  const only = plans[0];
  if (book.savedAsCsv && only && only.action !== 'load') {
    const what = only.list === undefined ? 'is not an Annex A list' : `is Annex A List ${only.list}`;
    throw new LoadError(
      path,
      'file',
      undefined,
      `${what}${only.note && only.list !== undefined ? ` (${only.note})` : ''}: nothing to load`,
    );
  }
  if (lists.length === 0) {
    const found =
      book.sheets.length === 0 ? 'it has no sheets' : `its sheets are ${book.sheets.map((s) => `"${s}"`).join(', ')}`;
    throw new LoadError(
      path,
      'workbook',
      undefined,
      `has no recognised Annex A list (expected sheets List 2 to List 8): ${found}`,
    );
  }

  const writer = new StageWriter(stagingDir);
  const stager = new AnnexAStager(writer, book.epoch1904);
  try {
    // List order, so "first seen" is the same whatever order the sheets are in.
    const toLoad = lists
      .filter((plan) => plan.action === 'load')
      .sort((a, b) => (a.list ?? 0) - (b.list ?? 0) || a.position - b.position);
    for (const [done, plan] of toLoad.entries()) {
      if ((plan.list ?? 0) > 6) stager.flushReferrals();
      await stager.stageSheet(plan, plan.spec!, book);
      // Progress moves a sheet at a time.
      progress?.(Math.round((totalBytes * (done + 1)) / toLoad.length), totalBytes);
    }
    stager.finish();
  } catch (err) {
    writer.abandon();
    throw err;
  }
  const { tables, readRejects } = writer.close();
  if (stager.rowsStaged === 0 && readRejects.count === 0) {
    throw new LoadError(
      path,
      'workbook',
      undefined,
      `has Annex A lists (${lists.map((plan) => `"${plan.sheet}"`).join(', ')}) but no rows of children in Lists 2 to 8: nothing to load (is it the blank template?)`,
    );
  }
  return { tables, readRejects };
}

export const annexAReader: ExtractReader = {
  format: 'annex-a-xlsx',
  stage: (path, context) => stageAnnexA(openWorkbook(path), context),
};

/** An Annex A list saved as CSV (one list per file): read as a workbook of one sheet. */
export const annexACsvReader: ExtractReader = {
  format: 'annex-a-csv',
  stage: (path, context) => stageAnnexA(openCsvList(path), context),
};
