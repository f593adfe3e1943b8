import { readFileSync } from 'node:fs';

/**
 * RFC 4180 records of a CSV file, for the two things DuckDB's read_csv cannot say: whether every
 * record is on a line of its own (then rows can be numbered by position, the fast path, and DuckDB's
 * strict mode checks their fields), and, when not, where each record starts and what is wrong with
 * it (then the file is transcribed record by record, each with its line).
 */
const quote = 0x22;
const newline = 0x0a;
const carriageReturn = 0x0d;

export interface CsvRecordProblem {
  /** The line the record starts on (the header is line 1). */
  line: number;
  reason: string;
}

/** What the current line holds so far: nothing, a lone carriage return, or anything else. */
const enum LineSoFar {
  Empty,
  CarriageReturn,
  Content,
}

/**
 * Whether a canonical CSV can be read by position: every record on a line of its own, so the n-th
 * row DuckDB reads is on line n + 2 (stagedTable.ts rowPlace). Not so when a quoted value holds a
 * line break, a quote is never closed, or a blank line (which DuckDB skips) comes before a record:
 * each would misname every later line. Fields are not counted here: reading by position, DuckDB's
 * strict mode refuses a record with too few or too many, and the load then reads the file record
 * by record (docs/DATA.md §4). Chunks are fed in order; `finish` gives the answer.
 */
export class CsvShape {
  private inQuotes = false;
  private lineSoFar = LineSoFar.Empty;
  private blankSeen = false;
  private irregular = false;

  feed(chunk: Buffer): void {
    if (this.irregular) return;
    if (!this.inQuotes && chunk.indexOf(quote) === -1) this.feedUnquoted(chunk);
    else this.feedBytes(chunk);
  }

  /** True when every record is one line, no quote is left open and no blank line precedes a record. */
  finish(): boolean {
    return !this.irregular && !this.inQuotes;
  }

  private feedBytes(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (this.inQuotes) {
        // A doubled quote closes and re-opens: the state comes out the same as RFC 4180's escape.
        if (byte === quote) this.inQuotes = false;
        else if (byte === newline) this.irregular = true;
      } else if (byte === newline) {
        if (this.lineSoFar !== LineSoFar.Content) this.blankSeen = true;
        this.lineSoFar = LineSoFar.Empty;
      } else if (byte === carriageReturn && this.lineSoFar === LineSoFar.Empty) {
        this.lineSoFar = LineSoFar.CarriageReturn;
      } else {
        if (this.blankSeen && byte !== carriageReturn) this.irregular = true;
        this.lineSoFar = LineSoFar.Content;
        if (byte === quote) this.inQuotes = true;
      }
      if (this.irregular) return;
    }
  }

  /**
   * A chunk with no quote, outside quotes (nearly every chunk of an extract): only blank lines
   * matter, and Node's native search finds them (an empty line, or a lone carriage return), so
   * the chunk's bytes are not walked one by one. The file scan's record check went from most of
   * the scan's time to almost none (docs/BENCHMARKS.md "The file scan").
   */
  private feedUnquoted(chunk: Buffer): void {
    if (chunk.length === 0) return;
    // The line the previous chunk ended inside, if it was blank so far, may end blank here.
    let firstBlankEnd = -1; // the newline ending the chunk's first blank line
    if (this.lineSoFar === LineSoFar.Empty && chunk[0] === newline) firstBlankEnd = 0;
    else if (this.lineSoFar === LineSoFar.Empty && chunk[0] === carriageReturn && chunk[1] === newline)
      firstBlankEnd = 1;
    else if (this.lineSoFar === LineSoFar.CarriageReturn && chunk[0] === newline) firstBlankEnd = 0;
    if (firstBlankEnd === -1) {
      const empty = chunk.indexOf('\n\n');
      const carriage = chunk.indexOf('\n\r\n');
      const ends = [empty === -1 ? -1 : empty + 1, carriage === -1 ? -1 : carriage + 2].filter((at) => at >= 0);
      if (ends.length > 0) firstBlankEnd = Math.min(...ends);
    }
    // A blank line before this chunk, or in it, followed by anything but line ends: irregular.
    const after = this.blankSeen ? 0 : firstBlankEnd === -1 ? -1 : firstBlankEnd + 1;
    if (after !== -1 && hasContent(chunk, after)) {
      this.irregular = true;
      return;
    }
    if (firstBlankEnd !== -1) this.blankSeen = true;
    // What the chunk's last line holds so far.
    const lastNewline = chunk.lastIndexOf(newline);
    const tail = chunk.length - lastNewline - 1;
    const carried = lastNewline === -1 ? this.lineSoFar : LineSoFar.Empty;
    if (tail === 0) this.lineSoFar = carried;
    else if (tail === 1 && chunk[chunk.length - 1] === carriageReturn && carried === LineSoFar.Empty)
      this.lineSoFar = LineSoFar.CarriageReturn;
    else this.lineSoFar = LineSoFar.Content;
  }
}

/** Whether anything but a line end (a newline or a carriage return) comes at or after `from`. */
function hasContent(chunk: Buffer, from: number): boolean {
  for (let i = from; i < chunk.length; i += 1) if (chunk[i] !== newline && chunk[i] !== carriageReturn) return true;
  return false;
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
