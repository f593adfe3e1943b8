import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { CsvShape } from './csvRecords.ts';

/** What one read of an extract's bytes tells the load before anything is staged. */
export interface FileScan {
  /** SHA-256 of the content: the same file loaded twice is found by it, whatever its name. */
  hash: string;
  /**
   * Whether some value may begin or end with a space, so validation must trim every value. Most
   * extracts have none, and trimming is the dearest step of typing a CSV. Conservative: a
   * non-ASCII file always counts (DuckDB's trim also removes Unicode spaces).
   */
  spacesAtEdges: boolean;
  /**
   * Asked for with `csv`: every record is on a line of its own (no quoted line break, no quote left
   * open, no blank line before a record), so rows can be read by position; their number of fields
   * is DuckDB's strict mode's to check (csvRecords.ts CsvShape). Undefined when not asked.
   */
  csvRegular?: boolean;
}

const space = 0x20;
/** Bytes a CSV value can start or end against. */
const edges = new Set([0x2c /* , */, 0x0a /* \n */, 0x0d /* \r */, 0x22 /* " */]);

/**
 * Hashes a file and, when asked (`spacing`), looks for spaces at value edges in the same single
 * pass over its bytes. Unasked, `spacesAtEdges` is true: nothing is known.
 */
export async function scanFile(path: string, { spacing = true, csv = false } = {}): Promise<FileScan> {
  const hash = createHash('sha256');
  const shape = csv ? new CsvShape() : undefined;
  let spacesAtEdges = !spacing;
  let previousByte: number | undefined; // the last byte of the previous chunk
  let spaceAtChunkEnd = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    shape?.feed(chunk);
    if (spacesAtEdges) continue;
    if (spaceAtChunkEnd && edges.has(chunk[0]!)) spacesAtEdges = true;
    spacesAtEdges ||= !isAscii(chunk) || hasSpaceAtEdge(chunk, previousByte);
    spaceAtChunkEnd = chunk[chunk.length - 1] === space;
    previousByte = chunk[chunk.length - 1];
  }
  // A space that ends the file ends its last value.
  if (spacing && spaceAtChunkEnd) spacesAtEdges = true;
  return { hash: hash.digest('hex'), spacesAtEdges, ...(shape ? { csvRegular: shape.finish() } : {}) };
}

function hasSpaceAtEdge(chunk: Buffer, previousByte: number | undefined): boolean {
  for (let at = chunk.indexOf(space); at >= 0; at = chunk.indexOf(space, at + 1)) {
    const before = at === 0 ? previousByte : chunk[at - 1];
    // The file's first byte starts its first value.
    if (before === undefined || edges.has(before)) return true;
    const after = chunk[at + 1];
    if (after !== undefined && edges.has(after)) return true;
  }
  return false;
}
