import { statSync } from 'node:fs';
import { csvFileRows } from '../staging/csvRecords.ts';
import { LoadError } from '../staging/loadError.ts';
import { StageWriter } from '../staging/stageWriter.ts';
import { unreadableTextReason } from '../staging/textEncoding.ts';
import { csvHeader } from './canonicalCsv.ts';
import type { ExtractReader } from './reader.ts';
import { episodeFields, headerFields, Ssda903Stager } from './ssda903.ts';
import { loadPivotYear } from './ssda903Dates.ts';

/**
 * Reader for the SSDA903 return's CSV files (DATA.md "SSDA903 (children looked after)"):
 * `header.csv` (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB) → children, and `episodes.csv`
 * (CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME_POST,
 * PL_POST, URN) → looked_after. The file is known by its header, not its name.
 *
 * Rows are transcribed by column name, so only the fields ssda903.ts names are staged. A record
 * with the wrong number of fields is rejected whole, naming its line and never quoting it: its
 * values would have shifted, and its text holds postcodes and a URN.
 */

export type Ssda903CsvKind = 'header' | 'episodes';

/** Columns each file must have: those the product stores (UPN, MOTHER, postcodes, URN may be absent). */
const requiredColumns: Record<Ssda903CsvKind, readonly string[]> = {
  header: ['CHILD', 'SEX', 'DOB', 'ETHNIC'],
  episodes: ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'DEC', 'REC'],
};

/** Which SSDA903 file a CSV header (csvHeader's lower-cased names) is, if either. */
export function ssda903CsvKind(header: readonly string[]): Ssda903CsvKind | undefined {
  const has = (name: string) => header.includes(name.toLowerCase());
  if (has('CHILD') && has('DECOM')) return 'episodes';
  if (has('CHILD') && has('DOB') && has('SEX') && !has('child_id')) return 'header';
  return undefined;
}

export const ssda903CsvReader: ExtractReader = {
  format: 'ssda903-csv',
  async stage(path, { stagingDir, progress }) {
    const encoding = unreadableTextReason(path);
    if (encoding) throw new LoadError(path, 'file', undefined, encoding);
    const header = csvHeader(path);
    const kind = ssda903CsvKind(header);
    if (!kind) {
      throw new LoadError(
        path,
        'header',
        undefined,
        'is not an SSDA903 header.csv (CHILD, SEX, DOB, ETHNIC, …) or episodes.csv (CHILD, DECOM, RNE, …)',
      );
    }
    // The placement type is PLACE in the CSV files and PL in the XML; a CSV written with PL is read too.
    const has = (name: string) => header.includes(name.toLowerCase()) || (name === 'PLACE' && header.includes('pl'));
    const missing = requiredColumns[kind].filter((name) => !has(name));
    if (missing.length > 0) {
      throw new LoadError(
        path,
        'header',
        missing.join(', '),
        `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for SSDA903 ${kind}.csv`,
      );
    }
    const fields = kind === 'header' ? headerFields : episodeFields;
    // Position of each staged column in the record; every other column is never looked at.
    const positions = Object.entries(fields).flatMap(([field, column]) => {
      const index = header.indexOf(field.toLowerCase());
      return index < 0 ? [] : [{ column, index }];
    });

    const stager = new Ssda903Stager(new StageWriter(stagingDir), loadPivotYear());
    try {
      for (const record of csvFileRows(path, header.length)) {
        const line = String(record.line);
        if ('problem' in record) {
          stager.writer.reject(line, 'row', undefined, record.problem);
          continue;
        }
        const values: Record<string, string | undefined> = {};
        for (const { column, index } of positions) values[column] = record.fields[index];
        if (kind === 'header') stager.child(line, values);
        else stager.episode(line, values);
      }
    } catch (err) {
      stager.writer.abandon();
      throw err;
    }
    const size = statSync(path).size;
    progress?.(size, size);
    return stager.close();
  },
};
