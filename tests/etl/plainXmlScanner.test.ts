import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { NotPlainXml, PlainXmlScanner } from '../../etl/xml/plainXmlScanner.ts';

/**
 * The plain-XML scanner's contract (etl/xml/plainXmlScanner.ts): on plain XML it reports the same
 * tags, text and lines as saxes, however the bytes are cut into pieces; on anything else it stops
 * with NotPlainXml, so the reader goes to saxes. White-space-only text is '' from the scanner, and
 * is compared as '' here.
 */

type TagEvent = ['open', string, string, number] | ['close', string, string];
const blankAsEmpty = (text: string) => (/^[ \t\r\n]*$/.test(text) ? '' : text);

/** What saxes reports, the way the census reader listens to it. */
function saxesRead(xml: string): { events: TagEvent[]; lines: number } {
  const parser = new SaxesParser({ position: true });
  const events: TagEvent[] = [];
  let text = '';
  let line = 1;
  parser.on('opentagstart', () => {
    line = parser.line;
  });
  parser.on('opentag', (tag) => {
    events.push(['open', tag.name, blankAsEmpty(text), line]);
    text = '';
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    events.push(['close', tag.name, blankAsEmpty(text)]);
    text = '';
  });
  parser.write(xml);
  // Before close(), which starts the parser afresh.
  const lines = parser.line - 1;
  parser.close();
  return { events, lines };
}

/** What the scanner reports, fed `pieceBytes` at a time. */
function scannerRead(xml: string, pieceBytes = 1 << 20): { events: TagEvent[]; lines: number } {
  const events: TagEvent[] = [];
  const scanner = new PlainXmlScanner({
    openTag: (name, textBefore, line) => events.push(['open', name, textBefore, line]),
    closeTag: (name, textBefore) => events.push(['close', name, textBefore]),
  });
  const bytes = Buffer.from(xml, 'utf8');
  for (let at = 0; at < bytes.length; at += pieceBytes) scanner.write(bytes.subarray(at, at + pieceBytes));
  scanner.end();
  return { events, lines: scanner.lines };
}

const samples = join(import.meta.dirname, '../fixtures/samples');
const sampleFiles = [
  ...readdirSync(join(samples, 'cin-census'))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => join(samples, 'cin-census', f)),
  join(samples, 'ssda903', 'fake_903.xml'),
];

describe('on plain XML the scanner reports what saxes does', () => {
  for (const path of sampleFiles) {
    const name = path.split('/').slice(-1)[0]!;
    it(`${name}: every tag, text and line, whole and in pieces of 1, 7 and 4096 bytes`, () => {
      const xml = readFileSync(path, 'utf8');
      const expected = saxesRead(xml);
      expect(expected.events.length).toBeGreaterThan(20);
      expect(scannerRead(xml)).toEqual(expected);
      expect(scannerRead(xml, 7)).toEqual(expected);
      expect(scannerRead(xml, 4096)).toEqual(expected);
      expect(scannerRead(xml, 1)).toEqual(expected);
    });
  }

  it('CR LF line ends (a file written on Windows), cut between the CR and its LF too', () => {
    const xml = readFileSync(join(samples, 'cin-census', 'CIN_Census_2024.xml'), 'utf8').replace(/\n/g, '\r\n');
    const expected = saxesRead(xml);
    expect(scannerRead(xml)).toEqual(expected);
    expect(scannerRead(xml, 1)).toEqual(expected);
    expect(scannerRead(xml, 2)).toEqual(expected);
  });

  it("empty elements, '>' in text, values with spaces, a document with no declaration", () => {
    const xml = '<Message>\n  <A/>\n  <B />\n  <C> x > y </C>\n  <D>a,"b"</D>\n</Message>\n\n';
    const expected = saxesRead(xml);
    expect(expected.events).toContainEqual(['close', 'C', ' x > y ']);
    expect(scannerRead(xml)).toEqual(expected);
    expect(scannerRead(xml, 3)).toEqual(expected);
  });

  it("attributes, which it reads past (a root's xmlns), on several lines", () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<Message xmlns="http://www.dfe.gov.uk/CoreSchema"\n   version=\'2\'>\n' +
      '  <Child kind="a"/>\n  <A b="1" c = "2" />\n</Message>\n';
    const expected = saxesRead(xml);
    expect(expected.events).toContainEqual(['open', 'A', '', 5]);
    expect(scannerRead(xml)).toEqual(expected);
    expect(scannerRead(xml, 5)).toEqual(expected);
  });

  it('a byte-order mark before the declaration', () => {
    const xml = `\uFEFF${readFileSync(join(samples, 'cin-census', 'CIN2rows.xml'), 'utf8')}`;
    const expected = saxesRead(xml);
    expect(scannerRead(xml)).toEqual(expected);
    expect(scannerRead(xml, 4)).toEqual(expected);
  });

  it('counts the lines of the text it holds at the end', () => {
    expect(scannerRead('<?xml version="1.0" encoding="UTF-8"?>\n<a>\n</a>\n\n\n').lines).toBe(5);
  });
});

describe('anything else stops the scanner, for saxes to read', () => {
  const refused: Record<string, string> = {
    'a comment': '<a><!-- note --><b>1</b></a>',
    'a CDATA section': '<a><b><![CDATA[1]]></b></a>',
    'a processing instruction': '<a><?pi x?></a>',
    'a DOCTYPE': '<?xml version="1.0"?>\n<!DOCTYPE a>\n<a/>',
    'a namespace prefix': '<x:a xmlns:x="urn:x"/>',
    'an entity reference': '<a><b>Tom &amp; Jerry</b></a>',
    'a character reference': '<a><b>&#65;</b></a>',
    'a character outside ASCII': '<a><b>Zoë</b></a>',
    'a byte-order mark cut in two': '\uFEFF<a/>',
    'an attribute given twice': '<a b="1" b="2"/>',
    'an attribute without quotes': '<a b=1/>',
    "'<' in an attribute": '<a b="<"/>',
    "'>' in an attribute (it cuts the tag short)": '<a b=">"/>',
    'a control character': '<a><b>1\u0001</b></a>',
    'a carriage return without a line feed': '<a>\r<b>1</b></a>',
    "']]>' in text": '<a><b>x]]>y</b></a>',
    'a closing tag for another element': '<a><b>1</c></a>',
    'a closing tag with space in it': '<a><b>1</b ></a>',
    'an element left open': '<a><b>1</b>',
    'text after the root': '<a/>trailing',
    'a second root': '<a/><b/>',
    'text before the root': 'x<a/>',
    'space after the name': '<a ><b>1</b></a>',
    'space before the declaration': ' <?xml version="1.0"?><a/>',
    'an XML 1.1 declaration': '<?xml version="1.1"?><a/>',
    'no element at all': '<?xml version="1.0"?>\n',
  };
  for (const [what, xml] of Object.entries(refused)) {
    it(what, () => {
      if (what !== 'a byte-order mark cut in two') expect(() => scannerRead(xml)).toThrow(NotPlainXml);
      expect(() => scannerRead(xml, 1)).toThrow(NotPlainXml);
    });
  }

  it('a lone CR at the very end of the input', () => {
    expect(() => scannerRead('<a/>\r')).toThrow(NotPlainXml);
  });
});

describe('a part of a document', () => {
  it('ends between elements only when nothing but white space follows its last tag', () => {
    const part = (text: string) => {
      const scanner = new PlainXmlScanner({ openTag: () => undefined, closeTag: () => undefined }, 10);
      scanner.write(Buffer.from(text));
      return { between: scanner.stop(), lines: scanner.lines };
    };
    expect(part('<Message><Children><Child>\n</Child>\n  ')).toEqual({ between: true, lines: 12 });
    expect(part('<Message><Children><Child>\n</Child>\n  <Chi')).toMatchObject({ between: false });
    expect(part('<Message><Children><Child>\n</Child>\n  stray')).toMatchObject({ between: false });
  });
});
