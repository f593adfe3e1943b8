import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { canonicalTables, type TableSpec } from '../canonical/model.ts';
import { csvFileRows } from '../staging/csvRecords.ts';
import { LoadError } from '../staging/loadError.ts';
import { StageWriter } from '../staging/stageWriter.ts';
import type { ExtractReader } from './reader.ts';

/**
 * Reader for the canonical CSV of DATA.md. The file is staged where it lies: validation reads it
 * with DuckDB's own parallel `read_csv`, so nothing is copied first. The reader only knows which
 * table a file is, by its header (the file name only breaks ties), so a renamed export still lands
 * in the right place.
 */

/** The header is the first line; one longer than this is not a canonical extract. */
const headerLimit = 64 * 1024;

/** Column names of a CSV's first line, trimmed and lower-cased, as `read_csv` will be told them. */
export function csvHeader(path: string): string[] {
  const fd = openSync(path, 'r');
  let text: string;
  try {
    const head = Buffer.alloc(headerLimit);
    text = head.subarray(0, readSync(fd, head, 0, headerLimit, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const end = text.indexOf('\n');
  if (end < 0 && text.length >= headerLimit) {
    throw new LoadError(
      path,
      'line 1',
      undefined,
      `cannot be read as CSV: no end to the header line in its first ${headerLimit / 1024} KB`,
    );
  }
  const line = (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '').replace(/\r$/, '');
  return uniqueNames(splitCsvLine(line).map((name, i) => name.trim().toLowerCase() || `column${i}`));
}

/** One CSV line's fields, with RFC 4180 quoting ("a ""b""" is a "b"). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A repeated column name gets a suffix, so every column can still be named to `read_csv`. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 2; seen.has(unique); n += 1) unique = `${name}_${n}`;
    seen.add(unique);
    return unique;
  });
}

/**
 * The canonical table a file holds. A canonical file name wins when the header carries that
 * table's required columns (a missing optional column is then reported, not guessed around);
 * otherwise the table whose columns are all present and explain most of the header.
 */
export function tableForHeader(header: readonly string[], fileName: string): TableSpec | undefined {
  const byName = canonicalTables.find((t) => t.file === basename(fileName).toLowerCase());
  if (byName && byName.columns.filter((col) => col.required).every((col) => header.includes(col.name))) return byName;
  const complete = canonicalTables.filter((t) => t.columns.every((col) => col.optional || header.includes(col.name)));
  return complete.sort((a, b) => b.columns.length - a.columns.length)[0];
}

/** Columns of the table missing from the header: a file without them cannot be loaded (optional ones aside). */
export function missingColumns(spec: TableSpec, header: readonly string[]): string[] {
  return spec.columns.filter((col) => !col.optional && !header.includes(col.name)).map((col) => col.name);
}

export const canonicalCsvReader: ExtractReader = {
  format: 'canonical-csv',
  async stage(path, { scan, stagingDir }) {
    const header = csvHeader(path);
    const spec = tableForHeader(header, path);
    if (!spec) {
      throw new LoadError(
        path,
        'header',
        undefined,
        `has no header matching a canonical table (${canonicalTables.map((t) => t.file).join(', ')})`,
      );
    }
    const missing = missingColumns(spec, header);
    if (missing.length > 0) {
      throw new LoadError(
        path,
        'header',
        missing.join(', '),
        `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for ${spec.file}`,
      );
    }
    if (scan?.csvRegular === false) return transcribeRecords(path, spec, header, stagingDir);
    return {
      tables: [{ spec, csvPaths: [path], header, provenance: 'line', spacesAtEdges: scan?.spacesAtEdges ?? true }],
    };
  },
};

/**
 * The slow path, for a file whose records are not one line each with the header's fields (a quoted
 * newline, a row with extra fields, a quote never closed): each record is transcribed with the line
 * it starts on, and a record that cannot be a row is a reject naming its line. Reading by position
 * would misname every later line, or let extra fields pass unseen.
 */
function transcribeRecords(path: string, spec: TableSpec, header: readonly string[], stagingDir: string) {
  const writer = new StageWriter(stagingDir);
  try {
    for (const record of csvFileRows(path, header.length)) {
      const place = String(record.line);
      if ('problem' in record) {
        writer.reject(place, 'row', record.text, record.problem);
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((name, i) => (values[name] = record.fields[i] ?? ''));
      writer.row(spec.table, place, values);
    }
    return writer.close();
  } catch (err) {
    writer.abandon();
    throw err;
  }
}
