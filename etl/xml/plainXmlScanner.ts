import { isAscii } from 'node:buffer';

/**
 * A scanner for the plain XML that extracts are almost always written in: ASCII elements and text
 * without entity references, no comments, processing instructions or CDATA past the XML
 * declaration (attributes, which no reader reads, and a byte-order mark are read past). It reports
 * the same tags, text and lines as saxes (the full parser the readers fall back to) at a fraction
 * of its cost, because it does only what such XML needs: find each `<` and `>` with the engine's
 * native search. On anything else it stops with `NotPlainXml`,
 * before or after reporting some tags, and the caller reads the file again with saxes, whose
 * messages say where a broken file breaks. So a file this scanner accepts reads exactly as saxes
 * reads it, and a file it refuses still reads, at the cost of a second pass.
 * (docs/BENCHMARKS.md, "A plain-XML scanner for the census".)
 */

/**
 * What the scanner reports: an element opening or closing, with the text since the tag before it,
 * '' when that text is only white space (a reader trims it anyway).
 */
export interface PlainXmlHandler {
  /** An opening tag; `line` is the line its `<` is on, counted from 1 plus the lines before the part. */
  openTag(name: string, textBefore: string, line: number): void;
  closeTag(name: string, textBefore: string): void;
}

/** The input is not plain XML (or not XML at all): read it with a full parser. */
export class NotPlainXml extends Error {
  constructor(reason: string) {
    super(`not plain XML: ${reason}`);
  }
}

const carriageReturn = 0x0d;
const lineFeed = 0x0a;
const tab = 0x09;
/**
 * Bytes plain XML never has: XML 1.0's control characters (saxes refuses them) and `&`, which
 * starts an entity or character reference a parser replaces. Each is looked for with
 * Buffer.indexOf, a native search: thirty of them cost a third of one regular expression over the
 * same text (docs/BENCHMARKS.md).
 */
const notPlainBytes = [
  ...Array.from({ length: 0x20 }, (_, byte) => byte).filter((b) => b !== tab && b !== lineFeed && b !== carriageReturn),
  0x26,
];
const cdataEnd = Buffer.from(']]>');
const byteOrderMark = Buffer.from([0xef, 0xbb, 0xbf]);

/** An XML name in ASCII without a namespace prefix: what every census and SSDA903 element is called. */
const plainName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/**
 * A name, then attributes: each a name, '=', and a value in quotes without '<' (and without '&', which
 * the byte check refuses). A '>' inside a value cuts the tag short, and what is left fails this.
 */
const attributedTag =
  /^([A-Za-z_][A-Za-z0-9_.-]*)(?:[ \t\r\n]+[A-Za-z_][A-Za-z0-9_.:-]*[ \t\r\n]*=[ \t\r\n]*(?:"[^"<]*"|'[^'<]*'))+[ \t\r\n]*$/;
/** The XML declaration as extracts write it; anything more unusual is left to saxes to judge. */
const xmlDeclaration =
  /^<\?xml version=(["'])1\.0\1( encoding=(["'])[A-Za-z][A-Za-z0-9._-]*\3)?( standalone=(["'])(yes|no)\5)? ?\?>$/;
/** How many names the scanner keeps at hand (a power of two; a census has about 70). */
const nameSlots = 1024;
/** The longest text kept between two tags before the scanner hands the file to saxes. */
const longestHeldText = 4 * 1024 * 1024;

/** Whether text[from, to) is white space only (the scanner has already refused other control characters). */
function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== lineFeed && c !== tab && c !== carriageReturn) return false;
  }
  return true;
}

function lineFeedsIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/**
 * Feed it the document's bytes in pieces (`write`), then `end` for a whole document or `stop` for a
 * part that ends mid-document. Tags are reported as soon as they are complete.
 */
export class PlainXmlScanner {
  /** The bytes after the last complete tag, read again with the next piece. */
  private held: Buffer = Buffer.alloc(0);
  private readonly open: string[] = [];
  /**
   * Each element name seen, in a slot chosen by its length and three of its characters: an opening
   * tag is matched against its slot in place, so the name is neither cut out nor hashed, and the
   * reader gets the same string every time. Two names that share a slot take turns in it: still
   * right, only slower.
   */
  private readonly names: (string | undefined)[] = new Array<string | undefined>(nameSlots);
  private linesEnded: number;
  private sawRoot = false;
  private atStart = true;
  private fedBytes = 0;
  private nextLineEnd = -1;
  /** The last two bytes of the previous piece: `]]>` and CR LF can straddle two pieces. */
  private previousBytes = '';

  /**
   * @param linesBefore lines ended before the first byte fed: a part of a file starts mid-document,
   *   and its caller feeds the elements open there first (`<Message><Children>`).
   */
  constructor(
    private readonly handler: PlainXmlHandler,
    linesBefore = 0,
  ) {
    this.linesEnded = linesBefore;
  }

  /** Lines ended in the text scanned so far (plus `linesBefore`). */
  get lines(): number {
    return this.linesEnded;
  }

  /** The innermost open element. */
  get currentElement(): string | undefined {
    return this.open[this.open.length - 1];
  }

  write(piece: Buffer): void {
    // A byte-order mark may open a UTF-8 document (and saxes reads past one).
    const bytes = this.fedBytes === 0 && byteOrderMark.equals(piece.subarray(0, 3)) ? piece.subarray(3) : piece;
    this.fedBytes += piece.length;
    if (bytes.length === 0) return;
    this.checkBytes(bytes);
    // One flat string (a concatenation of two is slower to search), and ASCII read as Latin-1 is the
    // same text, kept one byte per character, without validation.
    const all = this.held.length === 0 ? bytes : Buffer.concat([this.held, bytes]);
    let start = 0;
    if (this.atStart) {
      start = this.skipDeclaration(all);
      if (this.atStart) {
        this.held = Buffer.from(all);
        return;
      }
    }
    const text = all.toString('latin1', start);
    const open = this.open;
    const handler = this.handler;
    let pos = 0;
    // Lines are counted as the scan passes them: each line feed is found once.
    this.nextLineEnd = -1;
    for (;;) {
      const lt = text.indexOf('<', pos);
      if (lt === -1) break;
      const gt = text.indexOf('>', lt + 1);
      if (gt === -1) break;
      this.countLinesTo(text, lt);
      let before = isBlank(text, pos, lt) ? '' : text.slice(pos, lt);
      // A parser reads CR LF as LF.
      if (before.includes('\r')) before = before.replaceAll('\r\n', '\n');
      if (text.charCodeAt(lt + 1) === 0x2f) {
        const name = open[open.length - 1];
        if (name === undefined || gt - lt - 2 !== name.length || text.slice(lt + 2, gt) !== name)
          throw new NotPlainXml(`</${text.slice(lt + 2, gt)}> does not close the open element`);
        open.pop();
        handler.closeTag(name, before);
      } else {
        const selfClosing = text.charCodeAt(gt - 1) === 0x2f;
        let nameEnd = selfClosing ? gt - 1 : gt;
        // `<UASC />`: white space may end an empty element's tag.
        if (selfClosing) while (nameEnd > lt + 1 && text.charCodeAt(nameEnd - 1) === 0x20) nameEnd -= 1;
        const name = this.nameAt(text, lt + 1, nameEnd);
        if (open.length === 0) {
          if (this.sawRoot) throw new NotPlainXml('a second root element');
          if (before !== '') throw new NotPlainXml('text before the root element');
          this.sawRoot = true;
        }
        open.push(name);
        handler.openTag(name, before, this.linesEnded + 1);
        if (selfClosing) {
          open.pop();
          handler.closeTag(name, '');
        }
      }
      pos = gt + 1;
    }
    // Line feeds inside the last tag (between attributes) are behind it: count them now.
    this.countLinesTo(text, pos);
    if (text.length - pos > longestHeldText) throw new NotPlainXml('a text longer than the scanner holds');
    // The held text's line feeds are counted when the scan passes them, on the next write. A copy:
    // the stream may reuse its buffer.
    this.held = Buffer.from(all.subarray(start + pos));
  }

  /**
   * Counts the line feeds before `position` not yet counted. `nextLineEnd` is the first uncounted
   * one (-1: not looked for yet in this text; Infinity: there is none).
   */
  private countLinesTo(text: string, position: number): void {
    if (this.nextLineEnd === -1) this.nextLineEnd = text.indexOf('\n');
    if (this.nextLineEnd === -1) this.nextLineEnd = Infinity;
    while (this.nextLineEnd < position) {
      this.linesEnded += 1;
      const next = text.indexOf('\n', this.nextLineEnd + 1);
      this.nextLineEnd = next === -1 ? Infinity : next;
    }
  }

  /** The document is complete: everything is closed and only white space follows the root. */
  end(): void {
    if (this.atStart || !this.sawRoot) throw new NotPlainXml('no root element');
    if (this.open.length > 0) throw new NotPlainXml(`<${this.currentElement}> is not closed`);
    if (!this.endHeld()) throw new NotPlainXml('text after the root element');
  }

  /**
   * A part of a document ends here, mid-document. Whether it ended between two elements, with
   * nothing but white space after the last tag (a cut inside a tag or comment does not).
   */
  stop(): boolean {
    return !this.atStart && this.endHeld();
  }

  /** Counts the held text's lines if it is white space, with no carriage return left hanging. */
  private endHeld(): boolean {
    const held = this.held.toString('latin1');
    if (!isBlank(held, 0, held.length) || this.previousBytes.endsWith('\r')) return false;
    this.linesEnded += lineFeedsIn(held);
    this.held = Buffer.alloc(0);
    return true;
  }

  /** The name the tag at text[start, end) holds, checked to be a bare element name the first time. */
  private nameAt(text: string, start: number, end: number): string {
    const length = end - start;
    const slot =
      (length * 31 +
        text.charCodeAt(start) * 7 +
        text.charCodeAt(start + (length >> 1)) * 5 +
        text.charCodeAt(end - 1)) &
      (nameSlots - 1);
    const known = this.names[slot];
    if (known !== undefined && known.length === length) {
      let same = true;
      for (let i = 0; same && i < length; i += 1) same = known.charCodeAt(i) === text.charCodeAt(start + i);
      if (same) return known;
    }
    const tag = text.slice(start, end);
    if (plainName.test(tag)) {
      this.names[slot] = tag;
      return tag;
    }
    // Attributes (a root's `xmlns`, say), which no reader reads: plain when quoted without '<' or '&'.
    const withAttributes = attributedTag.exec(tag);
    if (!withAttributes) throw new NotPlainXml(`a tag that is not a bare element name: <${tag.slice(0, 40)}`);
    // A parser refuses an attribute given twice. (A value that looks like one is refused too: safe.)
    const attributes = [...tag.matchAll(/[ \t\r\n]([A-Za-z_][A-Za-z0-9_.:-]*)[ \t\r\n]*=/g)].map((m) => m[1]);
    if (new Set(attributes).size !== attributes.length)
      throw new NotPlainXml(`an attribute given twice: <${tag.slice(0, 40)}`);
    return withAttributes[1]!;
  }

  /** Every byte is plain: ASCII, no control character or `&`, no `]]>`, a line feed after each CR. */
  private checkBytes(bytes: Buffer): void {
    if (!isAscii(bytes)) throw new NotPlainXml('a character outside ASCII');
    for (const byte of notPlainBytes)
      if (bytes.indexOf(byte) !== -1) throw new NotPlainXml(`the character ${byte} (a control character or '&')`);
    if (this.previousBytes.endsWith('\r') && bytes[0] !== lineFeed)
      throw new NotPlainXml('a carriage return without a line feed');
    // `]]>` ends a CDATA section, and is an error in text; a bare '>' in text is plain.
    const seam = this.previousBytes + bytes.toString('latin1', 0, 2);
    if (seam.includes(']]>') || bytes.indexOf(cdataEnd) !== -1) throw new NotPlainXml("']]>' in text");
    for (let i = bytes.indexOf(carriageReturn); i !== -1; i = bytes.indexOf(carriageReturn, i + 1))
      if (i + 1 < bytes.length && bytes[i + 1] !== lineFeed)
        throw new NotPlainXml('a carriage return without a line feed');
    this.previousBytes = bytes.length >= 2 ? bytes.toString('latin1', bytes.length - 2) : seam.slice(-2);
  }

  /**
   * Where the document starts after the XML declaration (`<?xml … ?>`), if it starts with one: the
   * only `<?` a plain document has. Leaves `atStart` set while the declaration is incomplete.
   */
  private skipDeclaration(bytes: Buffer): number {
    const text = bytes.toString('latin1', 0, Math.min(bytes.length, 4096));
    // White space so far, or a '<' that may yet be '<?': wait for more.
    if (isBlank(text, 0, text.length) || text === '<') return 0;
    this.atStart = false;
    if (!text.startsWith('<?')) return 0;
    const close = text.indexOf('?>');
    if (close === -1) {
      if (bytes.length >= 4096) throw new NotPlainXml('an XML declaration that does not end');
      this.atStart = true;
      return 0;
    }
    if (!xmlDeclaration.test(text.slice(0, close + 2)))
      throw new NotPlainXml('a processing instruction that is not an XML 1.0 declaration');
    return close + 2;
  }
}
