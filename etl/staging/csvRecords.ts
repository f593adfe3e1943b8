import { readFileSync } from 'node:fs';

/**
 * RFC 4180 records of a CSV file, byte by byte, for the two things DuckDB's read_csv cannot say
 * cheaply: whether every record is one line with the header's number of fields (then rows can be
 * numbered by position, the fast path), and, when not, where each record starts and what is wrong
 * with it (then the file is transcribed record by record, each with its line).
 */
const quote = 0x22;
const comma = 0x2c;
const newline = 0x0a;
const carriageReturn = 0x0d;

export interface CsvRecordProblem {
  /** The line the record starts on (the header is line 1). */
  line: number;
  reason: string;
}

/** Feeds chunks in order; `regular` once finished says whether the fast path applies. */
export class CsvShape {
  private line = 1;
  private inQuotes = false;
  private fields = 1;
  private recordLine = 1;
  private recordEmpty = true;
  private expectedFields: number | undefined;
  multiLineRecords = 0;
  badRecords = 0;

  feed(chunk: Buffer): void {
    if (!this.inQuotes && chunk.indexOf(quote) === -1) {
      this.feedUnquoted(chunk);
      return;
    }
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (this.inQuotes) {
        // A doubled quote closes and re-opens: the state comes out the same as RFC 4180's escape.
        if (byte === quote) {
          this.inQuotes = false;
        } else if (byte === newline) {
          this.line += 1;
        }
        continue;
      }
      if (byte === quote) {
        this.inQuotes = true;
        this.recordEmpty = false;
        continue;
      }
      if (byte === comma) {
        this.fields += 1;
        this.recordEmpty = false;
      } else if (byte === newline) {
        this.endRecord();
        this.line += 1;
        this.recordLine = this.line;
      } else if (byte !== carriageReturn) {
        this.recordEmpty = false;
      }
    }
  }

  /**
   * A chunk with no quote in it, outside quotes (nearly every chunk of an extract): only commas and
   * line ends matter, so the loop counts commas and leaves whether a line is blank to its end, where
   * the line's bytes are looked at again only when it has no comma. Half the general loop's time,
   * which is most of the file scan's (docs/BENCHMARKS.md "The file scan").
   */
  private feedUnquoted(chunk: Buffer): void {
    let fields = this.fields;
    let lineStart = 0;
    for (let i = 0, n = chunk.length; i < n; i += 1) {
      const byte = chunk[i]!;
      if (byte === comma) fields += 1;
      else if (byte === newline) {
        this.fields = fields;
        if (fields > 1 || !onlyCarriageReturns(chunk, lineStart, i)) this.recordEmpty = false;
        this.endRecord();
        this.line += 1;
        this.recordLine = this.line;
        fields = 1;
        lineStart = i + 1;
      }
    }
    this.fields = fields;
    // The line the chunk ends inside: what of it is here decides, with what came before it.
    if (fields > 1 || !onlyCarriageReturns(chunk, lineStart, chunk.length)) this.recordEmpty = false;
  }

  /** True when every record is one line with the header's fields and no quote is left open. */
  finish(): boolean {
    if (this.inQuotes) this.badRecords += 1;
    else this.endRecord();
    return this.badRecords === 0 && this.multiLineRecords === 0;
  }

  private endRecord(): void {
    if (this.recordEmpty && this.fields === 1) {
      this.fields = 1;
      return; // a blank line, as DuckDB skips it
    }
    this.expectedFields ??= this.fields;
    if (this.fields !== this.expectedFields) this.badRecords += 1;
    if (this.recordLine !== this.line) this.multiLineRecords += 1;
    this.fields = 1;
    this.recordEmpty = true;
  }
}

function onlyCarriageReturns(chunk: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (chunk[i] !== carriageReturn) return false;
  return true;
}

/** One record's fields and where it starts, or what is wrong with it. */
export type CsvRecord = { line: number; fields: string[] } | { line: number; problem: string; text: string };

/**
 * The records of a whole CSV text as RFC 4180 has them, checked against the header's field count.
 * Used only on the slow path (a file CsvShape found irregular), so clarity wins over speed.
 */
export function* csvRecords(text: string, expectedFields?: number): Generator<CsvRecord> {
  let i = 0;
  let line = 1;
  let expected = expectedFields;
  while (i < text.length) {
    const start = i;
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let unterminated = false;
    for (;;) {
      if (i >= text.length) {
        fields.push(field);
        break;
      }
      const ch = text[i]!;
      if (ch === '"') {
        // A quoted value: up to the quote not followed by another.
        i += 1;
        let closed = false;
        while (i < text.length) {
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (text[i] === '\n') line += 1;
          field += text[i];
          i += 1;
        }
        if (!closed) {
          unterminated = true;
          fields.push(field);
          break;
        }
        continue;
      }
      if (ch === ',') {
        fields.push(field);
        field = '';
        i += 1;
        continue;
      }
      if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
        fields.push(field);
        i += ch === '\r' ? 2 : 1;
        line += 1;
        break;
      }
      field += ch;
      i += 1;
    }
    const raw = text.slice(start, i).replace(/\r?\n$/, '');
    if (unterminated) {
      yield {
        line: startLine,
        problem: 'has a quote that is never closed (the rest of the file would run into one value)',
        text: raw,
      };
      return;
    }
    if (fields.length === 1 && fields[0] === '') continue; // a blank line
    expected ??= fields.length;
    if (fields.length !== expected) {
      const hint = fields.length > expected ? ': a comma inside a value that is not quoted?' : '';
      yield { line: startLine, problem: `has ${fields.length} fields, not ${expected}${hint}`, text: raw };
      continue;
    }
    yield { line: startLine, fields };
  }
}

/**
 * The records of a CSV file after its header line, a byte-order mark dropped, each numbered by the
 * line it starts on: what a reader of a file too irregular for DuckDB's own CSV reader stages.
 */
export function* csvFileRows(path: string, expectedFields: number): Generator<CsvRecord> {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  let header = true;
  for (const record of csvRecords(text, expectedFields)) {
    if (header) header = false;
    else yield record;
  }
}
