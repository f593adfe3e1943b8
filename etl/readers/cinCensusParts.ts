import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * A CIN census read by several staging workers at once, each taking a run of whole <Child>
 * elements. A census is one long list of children, and a lone census year spent 19 s of its load
 * reading 1.6 GB on one core while the other waited (docs/BENCHMARKS.md, "A census read in
 * parts"). A part is cut where a <Child> starts after a </Child>; the first part reads the header.
 *
 * Nothing here trusts the cut: the reader checks that each part ended between two children
 * (etl/readers/cinCensusXml.ts), and the staging job checks that each part numbered its children
 * and lines from where the one before it ended. Anything else, and the file is read again whole,
 * by one worker, so what a load stages and says never depends on how the file was cut.
 */

/** A part of a census, as a staging worker is given it. */
export interface CensusPart {
  /** Bytes [start, end) of the file (etl/xml/streamText.ts's ByteRange, which reads it). */
  range: { start: number; end: number };
  /** The part that reaches the end of the file, which closes the document. */
  last: boolean;
}

/** How far through the file a part starts or ends: children opened and lines ended before it. */
export interface CensusTally {
  children: number;
  lines: number;
}

/** What a part of a census found: the tally it started from and the one it ended at. */
export interface CensusPartTally {
  start: CensusTally;
  end: CensusTally;
}

/** A census smaller than this is read whole: a second worker costs more than it saves. */
export const smallestCensusReadInParts = 32 * 1024 * 1024;

/** How far past a planned cut the search for a child's start goes before giving that cut up. */
const cutSearchBytes = 16 * 1024 * 1024;

/**
 * A later part first counts the children and lines before it (`tallyBefore`, about 1 GB/s) and then
 * parses (60-70 MB/s a worker): counting its start costs it about this share of parsing the bytes
 * before it. Each cut is placed later by half that share, so the parts end together.
 */
const countingShare = 0.065;

/** `</Child>`, white space, then a `<Child>` opening: the place between two children. */
const betweenChildren = /<\/Child>\s*(<Child[\s>/])/;

/**
 * Byte ranges of a census, about `count` of them, each starting where a <Child> does (the first
 * starts at 0). Fewer when no child's start lies near a planned cut.
 */
export function censusParts(path: string, count: number): CensusPart[] {
  const size = statSync(path).size;
  const starts = [0];
  const fd = openSync(path, 'r');
  try {
    const window = Buffer.allocUnsafe(cutSearchBytes);
    for (let k = 1; k < count; k++) {
      const even = (k * size) / count;
      const planned = Math.max(
        Math.min(Math.floor(even * (1 + countingShare / 2)), size - 1),
        starts[starts.length - 1]! + 1,
      );
      const read = readSync(fd, window, 0, window.length, planned);
      // Latin-1 keeps one character per byte, so a match's index is its byte offset.
      const found = betweenChildren.exec(window.toString('latin1', 0, read));
      if (!found) continue;
      starts.push(planned + found.index + found[0].length - found[1]!.length);
    }
  } finally {
    closeSync(fd);
  }
  return starts.map((start, i) => ({
    range: { start, end: starts[i + 1] ?? size },
    last: i === starts.length - 1,
  }));
}

const childTag = Buffer.from('<Child');
const newline = 0x0a;
/** After `<Child`, what makes it that element and not <ChildIdentifiers> or <ChildProtectionPlans>. */
const endsName = new Set([0x20, 0x09, 0x0a, 0x0d, 0x3e, 0x2f]);

/**
 * Lines ended and <Child> tags opened in the file's first `offset` bytes: where a part starting
 * there numbers its children and lines from. It counts the bytes as they are, comments and all; a
 * <Child> inside a comment makes the counts disagree with the parser's, and the file is read whole.
 * Each part counts its own prefix, so with three or four workers the early bytes are counted more
 * than once; at about 1 GB/s that is cheaper than making every part wait for one shared count.
 */
export function tallyBefore(path: string, offset: number): CensusTally {
  const chunkBytes = 4 * 1024 * 1024;
  // A tag's name can straddle two reads: the last few bytes of one are looked at with the next.
  const held = childTag.length;
  const buffer = Buffer.allocUnsafe(chunkBytes + held);
  let lines = 0;
  let children = 0;
  let position = 0;
  let carried = 0;
  const fd = openSync(path, 'r');
  try {
    while (position < offset) {
      const read = readSync(fd, buffer, carried, Math.min(chunkBytes, offset - position), position);
      if (read === 0) break;
      position += read;
      const end = carried + read;
      const scanned = position >= offset ? end : end - held;
      // Buffer.indexOf is a native search: twice the speed of a loop over the bytes (0.43–0.51 s
      // against 0.79–0.97 s for the 12 M year's first half).
      const view = buffer.subarray(0, end);
      for (let i = view.indexOf(newline); i !== -1 && i < scanned; i = view.indexOf(newline, i + 1)) lines++;
      for (let i = view.indexOf(childTag); i !== -1 && i < scanned; i = view.indexOf(childTag, i + 1))
        if (i + held < end && endsName.has(view[i + held]!)) children++;
      buffer.copy(buffer, 0, scanned, end);
      carried = end - scanned;
    }
  } finally {
    closeSync(fd);
  }
  return { children, lines };
}
