/**
 * A text file written in large chunks. The generator produces rows far faster than a disk takes them, so
 * rows collect in memory up to a limit and the caller awaits flush() when wantsFlush says so: memory stays
 * bounded by the limit however many rows the run writes.
 */
import { open, type FileHandle } from 'node:fs/promises';

const flushAtChars = 1 << 18;

export class BufferedTextFile {
  private parts: string[] = [];
  private pendingChars = 0;
  bytesWritten = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  static async create(path: string): Promise<BufferedTextFile> {
    return new BufferedTextFile(await open(path, 'w'), path);
  }

  write(text: string): void {
    this.parts.push(text);
    this.pendingChars += text.length;
  }

  get wantsFlush(): boolean {
    return this.pendingChars >= flushAtChars;
  }

  async flush(): Promise<void> {
    if (this.pendingChars === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pendingChars = 0;
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
    this.bytesWritten += buffer.length;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}
