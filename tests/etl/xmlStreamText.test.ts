import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endsInsideCharacter, streamFileText } from '../../etl/xml/streamText.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

/**
 * The XML readers take an ASCII megabyte as Latin-1 text (V8 need not validate it) and anything
 * else through the UTF-8 decoder. These hold the text they are fed to exactly what reading the
 * file as UTF-8 gives, wherever the non-ASCII bytes fall against the 1 MiB read chunks.
 */
const dir = tempDir('stream-text');
const mib = 1 << 20;

async function fedText(bytes: Buffer): Promise<{ text: string; chunks: number }> {
  const path = join(dir, `file-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(path, bytes);
  const parts: string[] = [];
  await streamFileText(path, (chunk) => parts.push(chunk));
  return { text: parts.join(''), chunks: parts.length };
}

/** `size` bytes of ASCII with `insert` written at `at`. */
function asciiWith(size: number, at: number, insert: Buffer): Buffer {
  const bytes = Buffer.alloc(size, 'a');
  insert.copy(bytes, at);
  return bytes;
}

describe('an XML extract read a megabyte at a time', () => {
  it('all ASCII over several chunks: the file as it is', async () => {
    const bytes = Buffer.from('<Message>'.padEnd(2 * mib + 10, 'x') + '</Message>');
    const { text, chunks } = await fedText(bytes);
    expect(chunks).toBe(3);
    expect(text).toBe(bytes.toString('utf8'));
  });

  // "é" is 2 bytes, "€" 3 and "𝄞" 4: each placed so it starts in the first chunk and ends in the
  // second (1, 2 or 3 bytes before the boundary), then wholly inside the second.
  for (const character of ['é', '€', '𝄞']) {
    const encoded = Buffer.from(character, 'utf8');
    for (let before = 1; before < encoded.length; before += 1) {
      it(`"${character}" cut by the chunk boundary ${before} byte(s) in`, async () => {
        const bytes = asciiWith(2 * mib, mib - before, encoded);
        const { text } = await fedText(bytes);
        expect(text).toBe(bytes.toString('utf8'));
        expect(text.slice(mib - before, mib - before + character.length)).toBe(character);
      });
    }
    it(`"${character}" after an ASCII chunk, and ASCII after it`, async () => {
      const bytes = asciiWith(3 * mib, mib + 5, encoded);
      expect((await fedText(bytes)).text).toBe(bytes.toString('utf8'));
    });
  }

  it('a byte-order mark stays where UTF-8 reading puts it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<Message/>')]);
    expect((await fedText(bytes)).text).toBe('\uFEFF<Message/>');
  });

  it('bytes that are not UTF-8 (Windows-1252 é) read as the UTF-8 decoder reads them', async () => {
    const bytes = asciiWith(mib + 4, mib - 1, Buffer.from([0xe9]));
    expect((await fedText(bytes)).text).toBe(bytes.toString('utf8'));
  });

  it('a census sample reads the same as before', async () => {
    const sample = join(import.meta.dirname, '../fixtures/samples/cin-census/CIN_Census_2026.xml');
    const bytes = readFileSync(sample);
    expect((await fedText(bytes)).text).toBe(bytes.toString('utf8'));
  });
});

describe('endsInsideCharacter', () => {
  it('is true only when the last lead byte announces more bytes than follow it', () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    expect(endsInsideCharacter(Buffer.from('abc'))).toBe(false);
    expect(endsInsideCharacter(euro)).toBe(false);
    expect(endsInsideCharacter(euro.subarray(0, 1))).toBe(true);
    expect(endsInsideCharacter(euro.subarray(0, 2))).toBe(true);
    expect(endsInsideCharacter(Buffer.concat([Buffer.from('x'), Buffer.from('𝄞').subarray(0, 3)]))).toBe(true);
    expect(endsInsideCharacter(Buffer.from([0x61, 0xc3]))).toBe(true);
    expect(endsInsideCharacter(new Uint8Array())).toBe(false);
  });
});
