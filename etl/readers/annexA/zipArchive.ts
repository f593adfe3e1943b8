import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { LoadError } from '../../staging/loadError.ts';

/**
 * The zip container of an .xlsx workbook (PKWARE APPNOTE 4.3.12, 4.3.14–16): its directory read
 * with positioned reads, small entries inflated whole, and sheets inflated as a stream, so a
 * worksheet's XML never sits in memory at once.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export function notAWorkbook(path: string, detail: string): LoadError {
  return new LoadError(path, 'workbook', undefined, `cannot be read as an .xlsx workbook (${detail})`);
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

export function readZipDirectory(fd: number, fileSize: number, path: string): ZipEntry[] {
  // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  const tailLength = Math.min(fileSize, 22 + 65_535);
  const tailStart = fileSize - tailLength;
  const tail = readAt(fd, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notAWorkbook(path, 'no zip directory: the file is damaged or not a workbook');
  let count = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the end record and points at the ZIP64 end record.
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw notAWorkbook(path, 'damaged ZIP64 directory');
    const record = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50)
      throw notAWorkbook(path, 'damaged ZIP64 directory');
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (directoryOffset + directorySize > fileSize || directorySize > 64 * 1024 * 1024) {
    throw notAWorkbook(path, 'the zip directory points outside the file');
  }
  const directory = readAt(fd, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50)
      throw notAWorkbook(path, 'damaged zip directory');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localOffset: directory.readUInt32LE(at + 42),
    };
    applyZip64Extra(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** ZIP64 extended information (0x0001): 8-byte sizes and offset for the fields set to 0xFFFFFFFF. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(field)) : undefined;
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    at += 4 + length;
  }
}

/** Where an entry's compressed bytes start: after its local header, whose name and extra may differ from the directory's. */
function dataStart(fd: number, entry: ZipEntry, path: string): number {
  const header = readAt(fd, entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50)
    throw notAWorkbook(path, `damaged entry ${entry.name}`);
  if (entry.method !== 0 && entry.method !== 8)
    throw notAWorkbook(path, `${entry.name} uses zip compression method ${entry.method}`);
  return entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** One small entry (the workbook's own parts), inflated whole. */
export function readZipEntry(fd: number, entry: ZipEntry, path: string): Buffer {
  const data = readAt(fd, dataStart(fd, entry, path), entry.compressedSize);
  if (entry.method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: 64 * 1024 * 1024 });
  } catch (err) {
    throw notAWorkbook(path, `${entry.name} cannot be unzipped: ${(err as Error).message}`);
  }
}

/**
 * An entry's bytes as a stream of inflated chunks. Inflating stops with an error past the size the
 * directory declares, so a hostile file cannot unzip without end.
 */
export async function* zipEntryChunks(path: string, entry: ZipEntry): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  let start: number;
  try {
    start = dataStart(fd, entry, path);
  } finally {
    closeSync(fd);
  }
  if (entry.compressedSize === 0) return;
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
  const source = entry.method === 0 ? raw : raw.pipe(createInflateRaw({ chunkSize: 64 * 1024 }));
  raw.on('error', (err) => source.destroy(err));
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > entry.size) throw notAWorkbook(path, `${entry.name} unzips to more than its declared size`);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw notAWorkbook(path, `${entry.name} cannot be unzipped: ${(err as Error).message}`);
  } finally {
    raw.destroy();
    source.destroy();
  }
}
