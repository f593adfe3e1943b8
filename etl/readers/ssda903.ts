import type { StagedExtract } from './reader.ts';
import type { StageWriter } from '../staging/stageWriter.ts';
import { stagedSsda903Date } from './ssda903Dates.ts';

/**
 * What the SSDA903 readers (CSV: ssda903Csv.ts, XML: ssda903Xml.ts) share: which of the return's
 * fields become which canonical column, and the staging of a header row (→ children) and an
 * episode (→ looked_after). DATA.md "SSDA903 (children looked after)".
 *
 * Only the fields named here are ever staged. Postcodes (HOME_POST, PL_POST), UPN and URN, like
 * every other field of the return, are read past: they reach no staged file, no reject and no
 * table, so they cannot be stored by mistake.
 */

/** Header fields (CSV `header.csv`, XML `HEADER`) → children columns. `CHILDID` is the XML's name. */
export const headerFields: Readonly<Record<string, string>> = {
  CHILD: 'child_id',
  CHILDID: 'child_id',
  SEX: 'sex',
  DOB: 'birth_date',
  ETHNIC: 'ethnicity',
};

/** Episode fields (CSV `episodes.csv`, XML `EPISODE`) → looked_after columns. `PL` is the XML's PLACE. */
export const episodeFields: Readonly<Record<string, string>> = {
  CHILD: 'child_id',
  DECOM: 'start_date',
  DEC: 'end_date',
  RNE: 'reason_new_episode',
  LS: 'legal_status',
  CIN: 'category_of_need',
  PLACE: 'placement_type',
  PL: 'placement_type',
  REC: 'reason_ceased',
};

/** Fields the return carries that identify a child or a place: never staged, named for the docs and tests. */
export const neverStoredFields = ['UPN', 'HOME_POST', 'PL_POST', 'URN'] as const;

/**
 * Children columns SSDA903 does not carry: a header row leaves the stored values alone instead of
 * clearing what a census or canonical file gave (etl/load/merge.ts, StagedTable.keepsStored).
 */
export const childColumnsNotInSsda903 = ['expected_birth_date', 'disability', 'family_id'] as const;

const dateColumns = new Set(['birth_date', 'start_date', 'end_date']);

type Values = Record<string, string | undefined>;

/** Stages SSDA903 rows given by canonical column, reading dates by the one two-digit-year rule. */
export class Ssda903Stager {
  rowsStaged = 0;

  constructor(
    readonly writer: StageWriter,
    private readonly pivotYear: number,
  ) {}

  private dated(values: Values): Values {
    const out: Values = {};
    for (const [column, value] of Object.entries(values)) {
      out[column] = dateColumns.has(column) ? stagedSsda903Date(value, this.pivotYear) : value;
    }
    return out;
  }

  child(srcRow: string, values: Values): void {
    this.writer.row('children', srcRow, this.dated(values));
    this.rowsStaged += 1;
  }

  episode(srcRow: string, values: Values): void {
    this.writer.row('looked_after', srcRow, this.dated(values));
    this.rowsStaged += 1;
  }

  /** The staged extract: children tables keep what SSDA903 has no field for. */
  close(): StagedExtract {
    const { tables, readRejects } = this.writer.close();
    return {
      tables: tables.map((table) =>
        table.spec.table === 'children' ? { ...table, keepsStored: [...childColumnsNotInSsda903] } : table,
      ),
      readRejects,
    };
  }
}
