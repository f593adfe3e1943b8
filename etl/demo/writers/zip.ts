/**
 * A minimal zip container writer for the Annex A workbook (an .xlsx is a zip of XML parts). Large parts
 * arrive already deflated in temporary files (see DeflatedPart), so the archive is assembled by copying
 * them, with sizes and CRCs known up front: no data descriptors, no zip64 (an Annex A for all of England
 * stays far below 4 GB). Timestamps are fixed, so the same content gives the same bytes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createDeflateRaw, crc32, deflateRawSync, type DeflateRaw } from 'node:zlib';
import { ymd } from '../dates.ts';

export interface ZipEntry {
  name: string;
  crc: number;
  size: number;
  compressedSize: number;
  /** Deflated bytes in memory, or a file holding them. */
  data: Buffer | { path: string };
}

export function memoryEntry(name: string, content: string): ZipEntry {
  const raw = Buffer.from(content, 'utf8');
  const deflated = deflateRawSync(raw, { level: 6 });
  return { name, crc: crc32(raw), size: raw.length, compressedSize: deflated.length, data: deflated };
}

/** One large part, deflated as it is written into a temporary file. */
export class DeflatedPart {
  private crc = 0;
  private size = 0;
  private readonly deflate: DeflateRaw;
  private readonly done: Promise<void>;

  constructor(
    readonly name: string,
    private readonly tempPath: string,
  ) {
    this.deflate = createDeflateRaw({ level: 6 });
    const out = createWriteStream(tempPath);
    this.deflate.pipe(out);
    this.done = finished(out);
  }

  async write(chunk: Buffer): Promise<void> {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    if (!this.deflate.write(chunk)) await once(this.deflate, 'drain');
  }

  async finish(): Promise<ZipEntry> {
    this.deflate.end();
    await this.done;
    const { size: compressedSize } = await stat(this.tempPath);
    return { name: this.name, crc: this.crc >>> 0, size: this.size, compressedSize, data: { path: this.tempPath } };
  }
}

function dosDateTime(day: number): { date: number; time: number } {
  const v = ymd(day);
  const year = Math.floor(v / 10_000);
  return { date: ((year - 1980) << 9) | ((Math.floor(v / 100) % 100) << 5) | (v % 100), time: 0 };
}

const deflateMethod = 8;
const versionNeeded = 20;

/** Writes the archive; temporary part files are removed once copied. */
export async function writeZip(path: string, entries: ZipEntry[], timestampDay: number): Promise<number> {
  const { date, time } = dosDateTime(timestampDay);
  const out = createWriteStream(path);
  let offset = 0;
  const put = async (buffer: Buffer): Promise<void> => {
    offset += buffer.length;
    if (!out.write(buffer)) await once(out, 'drain');
  };
  const central: Buffer[] = [];
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    if (offset > 0xffff_fffe || entry.compressedSize > 0xffff_fffe || entry.size > 0xffff_fffe) {
      throw new Error(`Annex A part ${entry.name} is too large for a zip without zip64`);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(versionNeeded, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(deflateMethod, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.compressedSize, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(versionNeeded, 4);
    record.writeUInt16LE(versionNeeded, 6);
    record.writeUInt16LE(0, 8);
    record.writeUInt16LE(deflateMethod, 10);
    record.writeUInt16LE(time, 12);
    record.writeUInt16LE(date, 14);
    record.writeUInt32LE(entry.crc >>> 0, 16);
    record.writeUInt32LE(entry.compressedSize, 20);
    record.writeUInt32LE(entry.size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);

    await put(local);
    await put(name);
    if (Buffer.isBuffer(entry.data)) {
      await put(entry.data);
    } else {
      for await (const chunk of createReadStream(entry.data.path, { highWaterMark: 1 << 20 }))
        await put(chunk as Buffer);
      await unlink(entry.data.path);
    }
  }
  const centralStart = offset;
  for (const b of central) await put(b);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - centralStart, 12);
  end.writeUInt32LE(centralStart, 16);
  await put(end);
  out.end();
  await finished(out);
  return offset;
}
