import { isAscii } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ReadProgress } from '../readers/reader.ts';

/**
 * Whether a UTF-8 byte run stops inside a character: its last lead byte announces more bytes than
 * follow it.
 */
export function endsInsideCharacter(bytes: Uint8Array): boolean {
  for (let back = 1; back <= Math.min(4, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return false;
    if (byte >= 0xc0) return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) > back;
  }
  return false;
}

/** Bytes [start, end) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Feeds a file's bytes (or a range of them) to `feed` a megabyte at a time, reporting progress
 * after each.
 */
export async function streamFileBytes(
  path: string,
  feed: (chunk: Buffer) => void,
  progress?: ReadProgress,
  range?: ByteRange,
): Promise<void> {
  const start = range?.start ?? 0;
  const end = range?.end ?? statSync(path).size;
  const totalBytes = end - start;
  if (totalBytes <= 0) return;
  // createReadStream's `end` is the last byte read, not the one after it.
  const stream = createReadStream(path, { highWaterMark: 1 << 20, start, end: end - 1 });
  try {
    for await (const chunk of stream) {
      feed(chunk as Buffer);
      progress?.(stream.bytesRead, totalBytes);
    }
  } finally {
    stream.destroy();
  }
}

/**
 * Feeds a UTF-8 file's text (or a range of it, cut where a character starts) to `feed` a megabyte
 * at a time. An XML extract is almost all ASCII, and an ASCII chunk is the same text read as
 * Latin-1, which V8 keeps one byte per character without validating: a third to a quarter of the
 * UTF-8 decoder's time on a census (docs/BENCHMARKS.md, "The census read"). A chunk with any other
 * byte goes through the UTF-8 decoder, and so does the chunk after one that stopped inside a
 * character (the rest of a real character is never ASCII, but a file that is not UTF-8 can leave a
 * lead byte hanging), so the text is exactly what a UTF-8 read gives.
 */
export async function streamFileText(
  path: string,
  feed: (chunk: string) => void,
  progress?: ReadProgress,
  range?: ByteRange,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let inside = false;
  await streamFileBytes(
    path,
    (bytes) => {
      if (!inside && isAscii(bytes)) feed(bytes.toString('latin1'));
      else {
        const text = decoder.write(bytes);
        inside = endsInsideCharacter(bytes);
        if (text !== '') feed(text);
      }
    },
    progress,
    range,
  );
  const rest = decoder.end();
  if (rest !== '') feed(rest);
}
