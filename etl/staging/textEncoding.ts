import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';

/** Enough of a file to see its encoding and its header. */
const sniffBytes = 64 * 1024;

/**
 * Why a text extract cannot be read as the UTF-8, comma-separated CSV the product takes, or
 * undefined. Excel's "Unicode text" is UTF-16 and tab-separated, its older "CSV" is Windows-1252,
 * and European settings separate with semicolons: each gets a message naming what it is and how
 * to save it instead, not a puzzle about a missing header.
 */
export function unreadableTextReason(path: string): string | undefined {
  const fd = openSync(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(sniffBytes);
    head = buffer.subarray(0, readSync(fd, buffer, 0, sniffBytes, 0));
  } finally {
    closeSync(fd);
  }
  const utf16Bom = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const nuls = head.subarray(0, 1024).filter((byte) => byte === 0).length;
  if (utf16Bom || nuls > 8) {
    return 'is UTF-16 text (Excel\'s "Unicode text"), not UTF-8: save it from Excel as "CSV UTF-8 (comma delimited)"';
  }
  // A multi-byte character cut by the end of the sample is not an error: drop up to 3 trailing bytes.
  let end = head.length;
  while (end > 0 && head.length - end < 3 && (head[end - 1]! & 0xc0) === 0x80) end -= 1;
  if (end > 0 && head[end - 1]! >= 0xc0) end -= 1;
  if (!isUtf8(head.subarray(0, head.length === sniffBytes ? end : head.length))) {
    return (
      'is not UTF-8 text (it looks like Windows-1252 or Latin-1, as older Excel versions save CSV): ' +
      'save it from Excel as "CSV UTF-8 (comma delimited)"'
    );
  }
  const firstLine =
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.includes(',') && !firstLine.trimStart().startsWith('<')) {
    if (firstLine.includes(';')) return 'is separated by semicolons, not commas: save it as comma-separated CSV';
    if (firstLine.includes('\t')) return 'is separated by tabs, not commas: save it as comma-separated CSV';
  }
  return undefined;
}
