import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The outline (bookmark) titles Chromium writes, in file order; string titles only, as Skia writes them. */
export function pdfOutlineTitles(pdf: Buffer): string[] {
  const titles = [...pdf.toString('latin1').matchAll(/\/Title\s*\(((?:[^()\\]|\\.)*)\)/g)].map((m) =>
    m[1]!.replace(/\\(.)/g, '$1'),
  );
  return titles;
}

export const hasPdftotext = existsSync('/usr/bin/pdftotext');

export function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** The document's title from its information dictionary (pdfinfo, poppler-utils like pdftotext). */
export function pdfTitle(path: string): string | undefined {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return /^Title:\s*(.*)$/m.exec(info)?.[1]?.trim();
}
