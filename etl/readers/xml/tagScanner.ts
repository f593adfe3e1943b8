/**
 * A streaming tokenizer for the plain XML that data exchanges use (the CIN census): elements, text,
 * the five predefined entities and character references, comments and processing instructions.
 * It jumps from `<` to `>` with indexOf instead of visiting every character, which makes it several
 * times faster than a general parser. It is a fast path, not a parser of record: anything outside
 * that subset (a DOCTYPE, CDATA) or anything malformed throws TagScanError, and the caller then
 * reads the file with a full XML parser, whose messages say what is wrong.
 */
import { XmlReferenceError, decodeXml } from '../../xml/entities.ts';

export interface TagScanHandler {
  /**
   * An element opens. `textBefore` is the text since the previous tag (comments and processing
   * instructions are skipped, so text either side of one joins); `line` is the line of its `<`.
   */
  openTag(name: string, textBefore: string, line: number): void;
  /** An element closes (straight after openTag for `<X/>`, with no text). */
  closeTag(name: string, textBefore: string, line: number): void;
}

export class TagScanError extends Error {}

const namePattern = /^[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFF]*$/;
const openTagPattern = /^([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)$/;
const attributeNamePattern = /([^\s=]+)\s*=/g;
const whitespaceOnly = /^[ \t\n]*$/;
/** Characters XML 1.0 forbids anywhere in a document. */
// eslint-disable-next-line no-control-regex -- these are the characters it looks for
const forbiddenCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function fail(reason: string): never {
  throw new TagScanError(reason);
}

/** Text with its references replaced; a reference XML does not define is an error. */
function decodeText(raw: string): string {
  let text = raw;
  if (text.includes('\r')) {
    // XML line ends become \n; a lone \r (old Mac files) is left to the full parser.
    if (/\r(?!\n)/.test(text)) fail('a lone carriage return');
    text = text.replaceAll('\r\n', '\n');
  }
  if (text.includes(']]>')) fail('"]]>" in text');
  try {
    return decodeXml(text);
  } catch (err) {
    if (err instanceof XmlReferenceError) fail(err.message);
    throw err;
  }
}

export class TagScanner {
  /** Unconsumed input: at most one incomplete tag or text run carried into the next chunk. */
  private buffer = '';
  /** Text seen since the last tag, in pieces (a run can span chunks). */
  private text = '';
  private readonly open: string[] = [];
  private rootSeen = false;
  private started = false;
  private line = 1;
  /** Newlines are counted lazily, up to this offset of the buffer. */
  private countedTo = 0;
  /** The buffer offset of the next newline at or after countedTo (-1: none in the buffer). */
  private nextNewline = -2;

  constructor(private readonly handler: TagScanHandler) {}

  write(chunk: string): void {
    // One search of the whole chunk, rather than one per text run; the full parser says where.
    if (forbiddenCharacter.test(chunk)) fail('a character XML does not allow');
    let input = chunk;
    if (!this.started) {
      this.started = true;
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    // join makes a flat string; a concatenation would leave a cons string, slower to search.
    this.buffer = this.buffer.length > 0 ? [this.buffer, input].join('') : input;
    this.countedTo = 0;
    this.nextNewline = -2;
    this.doubleQuoteAt = -2;
    this.singleQuoteAt = -2;
    this.scan();
  }

  close(): void {
    if (this.buffer.length > 0) {
      if (this.buffer.includes('<')) fail('the document ends inside a tag');
      this.addText(this.buffer);
      this.buffer = '';
    }
    if (!this.rootSeen) fail('no root element');
    if (this.open.length > 0) fail(`<${this.open[this.open.length - 1]}> is not closed`);
    this.checkOutsideText();
  }

  /** The line of buffer offset `at`: newlines counted from where the last count stopped. */
  private lineAt(at: number): number {
    if (this.countedTo >= at) return this.line;
    const buffer = this.buffer;
    while (true) {
      if (this.nextNewline === -2 || (this.nextNewline >= 0 && this.nextNewline < this.countedTo)) {
        this.nextNewline = buffer.indexOf('\n', this.countedTo);
      }
      if (this.nextNewline < 0 || this.nextNewline >= at) break;
      this.line += 1;
      this.countedTo = this.nextNewline + 1;
    }
    this.countedTo = at;
    return this.line;
  }

  private addText(raw: string): void {
    if (raw.length > 0) this.text = this.text.length > 0 ? this.text + raw : raw;
  }

  /**
   * Text from `start` to `end` of the buffer. Most runs are the indentation between tags: those
   * are recognised in place and not copied (a census has millions), which callers do not miss as
   * they trim text anyway.
   */
  private addRun(buffer: string, start: number, end: number): void {
    // Lines are counted here, on the way, when everything before the run is counted already.
    const counting = this.countedTo === start;
    if (this.text.length === 0 && end - start <= 128) {
      let at = start;
      let newlines = 0;
      for (; at < end; at += 1) {
        const code = buffer.charCodeAt(at);
        if (code === 0x20 || code === 0x09) continue;
        if (code === 0x0a) {
          newlines += 1;
          continue;
        }
        if (code === 0x0d && buffer.charCodeAt(at + 1) === 0x0a) continue;
        break;
      }
      if (at === end) {
        if (counting) this.countedUpTo(end, newlines);
        return;
      }
    }
    const raw = buffer.slice(start, end);
    if (counting && !raw.includes('\n')) this.countedUpTo(end, 0);
    this.addText(raw);
  }

  private countedUpTo(at: number, newlines: number): void {
    this.line += newlines;
    this.countedTo = at;
  }

  private takeText(): string {
    const raw = this.text;
    if (raw === '') return '';
    this.text = '';
    if (this.open.length === 0) {
      if (!whitespaceOnly.test(raw.replaceAll('\r', ''))) fail('text outside the root element');
      return '';
    }
    return decodeText(raw);
  }

  private checkOutsideText(): void {
    this.takeText();
  }

  private scan(): void {
    const buffer = this.buffer;
    let pos = 0;
    while (pos < buffer.length) {
      const lt = buffer.indexOf('<', pos);
      if (lt < 0) {
        this.addText(buffer.slice(pos));
        pos = buffer.length;
        break;
      }
      if (lt > pos) this.addRun(buffer, pos, lt);
      const end = this.tagEnd(buffer, lt);
      if (end < 0) {
        pos = lt;
        break;
      }
      this.tag(buffer, lt, end);
      pos = end + 1;
    }
    this.lineAt(pos);
    this.buffer = pos < buffer.length ? buffer.slice(pos) : '';
  }

  /** Offset of the `>` that ends the markup starting at `lt`, or -1 when it is not all here yet. */
  private tagEnd(buffer: string, lt: number): number {
    const next = buffer.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (buffer.length < lt + 4) return -1;
      if (buffer.startsWith('<!--', lt)) {
        const close = buffer.indexOf('-->', lt + 4);
        return close < 0 ? -1 : close + 2;
      }
      fail('a DOCTYPE, CDATA section or other declaration');
    }
    if (next === 0x3f /* ? */) {
      const close = buffer.indexOf('?>', lt + 2);
      return close < 0 ? -1 : close + 1;
    }
    let gt = buffer.indexOf('>', lt + 1);
    if (gt < 0) return -1;
    if (this.nextQuoteAfter(lt) > gt) return gt;
    // A '>' inside a quoted attribute value does not end the tag.
    let quoteFrom = lt + 1;
    while (true) {
      const dq = buffer.indexOf('"', quoteFrom);
      const sq = buffer.indexOf("'", quoteFrom);
      const quote = dq >= 0 && (sq < 0 || dq < sq) ? dq : sq;
      if (quote < 0 || quote > gt) return gt;
      const closing = buffer.indexOf(buffer[quote]!, quote + 1);
      if (closing < 0) return -1;
      quoteFrom = closing + 1;
      if (closing > gt) {
        gt = buffer.indexOf('>', closing + 1);
        if (gt < 0) return -1;
      }
    }
  }

  /** Quotes are rare outside the root's attributes: their next offsets are found once and kept. */
  private doubleQuoteAt = -2;
  private singleQuoteAt = -2;
  private nextQuoteAfter(from: number): number {
    if (this.doubleQuoteAt !== -1 && this.doubleQuoteAt < from) this.doubleQuoteAt = this.buffer.indexOf('"', from);
    if (this.singleQuoteAt !== -1 && this.singleQuoteAt < from) this.singleQuoteAt = this.buffer.indexOf("'", from);
    const dq = this.doubleQuoteAt < 0 ? Infinity : this.doubleQuoteAt;
    const sq = this.singleQuoteAt < 0 ? Infinity : this.singleQuoteAt;
    return Math.min(dq, sq);
  }

  /** Plain element names seen before, by first character (ASCII): matched in place, not copied. */
  private readonly knownNames: string[][] = Array.from({ length: 128 }, () => []);
  private knownNameAt(buffer: string, start: number, end: number): string | undefined {
    const candidates = this.knownNames[buffer.charCodeAt(start)];
    if (candidates === undefined) return undefined;
    const length = end - start;
    for (let i = 0; i < candidates.length; i += 1) {
      const name = candidates[i]!;
      if (name.length === length && buffer.startsWith(name, start)) return name;
    }
    return undefined;
  }
  private rememberName(name: string): void {
    this.knownNames[name.charCodeAt(0)]?.push(name);
  }

  private tag(buffer: string, lt: number, gt: number): void {
    const kind = buffer.charCodeAt(lt + 1);
    if (kind === 0x21 /* ! */) {
      const body = buffer.slice(lt + 4, gt - 2);
      if (body.includes('--') || body.endsWith('-')) fail('"--" inside a comment');
      return;
    }
    if (kind === 0x3f /* ? */) {
      const body = buffer.slice(lt + 2, gt - 1);
      const target = /^[^\s?]+/.exec(body)?.[0] ?? '';
      if (!namePattern.test(target)) fail('a processing instruction without a name');
      if (target.toLowerCase() === 'xml' && (lt !== 0 || this.rootSeen || this.line !== 1 || this.text !== '')) {
        fail('an XML declaration that is not at the start');
      }
      return;
    }
    const line = this.lineAt(lt);
    if (kind === 0x2f /* / */) {
      const expected = this.open.pop();
      // Compared in place: no copy of the name for the commonest tag there is.
      const matches = expected !== undefined && buffer.startsWith(expected, lt + 2) &&
        (lt + 2 + expected.length === gt || buffer.slice(lt + 2 + expected.length, gt).trim() === '');
      if (!matches) fail(`</${buffer.slice(lt + 2, gt).trim()}> does not close <${expected ?? 'anything'}>`);
      if (this.countedTo === lt && lt + 2 + expected.length === gt) this.countedTo = gt + 1;
      this.handler.closeTag(expected, this.takeTextInside(), line);
      return;
    }
    let name = this.knownNameAt(buffer, lt + 1, gt);
    // A known plain name has no line break in it: the count moves past the tag without a search.
    if (name !== undefined && this.countedTo === lt) this.countedTo = gt + 1;
    let selfClosing = false;
    if (name === undefined) {
      const content = buffer.slice(lt + 1, gt);
      const match = openTagPattern.exec(content);
      if (!match) fail(`a malformed tag <${content.slice(0, 40)}>`);
      name = match[1]!;
      selfClosing = match[3] === '/';
      if (!namePattern.test(name)) fail(`an invalid element name ${name}`);
      const attributes = [...match[2]!.matchAll(attributeNamePattern)].map((m) => m[1]!);
      if (attributes.some((a) => !namePattern.test(a))) fail('an invalid attribute name');
      if (new Set(attributes).size !== attributes.length) fail('a repeated attribute');
      if (match[2]!.includes('&')) decodeText(match[2]!);
      if (match[2] === '' && !selfClosing) this.rememberName(name);
    }
    if (this.open.length === 0) {
      if (this.rootSeen) fail('a second root element');
      this.checkOutsideText();
      this.rootSeen = true;
      this.open.push(name);
      this.handler.openTag(name, '', line);
    } else {
      const textBefore = this.takeText();
      this.open.push(name);
      this.handler.openTag(name, textBefore, line);
    }
    if (selfClosing) {
      this.open.pop();
      this.handler.closeTag(name, '', line);
    }
  }

  /** Text before a close tag belongs to the element being closed (the root's, for the last one). */
  private takeTextInside(): string {
    const raw = this.text;
    if (raw === '') return '';
    this.text = '';
    return decodeText(raw);
  }
}
