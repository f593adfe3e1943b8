import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SaxesTagReader } from '../../etl/readers/cinCensusXml.ts';
import { TagScanError, TagScanner, type TagScanHandler } from '../../etl/readers/xml/tagScanner.ts';

/**
 * The tag scanner is the CIN census reader's fast path; saxes is the parser of record. The bargain
 * is that the scanner either sees exactly what saxes sees or refuses (throws TagScanError), so the
 * reader can fall back. These tests hold it to that on every sample census and on hand-made
 * documents, fed whole and in awkward pieces.
 */
type Event = [kind: 'open' | 'close', name: string, text: string, line: number];

/** Text is compared trimmed: the reader trims, and the scanner drops whitespace-only runs. */
function recorder(events: Event[]): TagScanHandler {
  return {
    openTag: (name, text, line) => events.push(['open', name, text.trim(), line]),
    closeTag: (name, text, line) => events.push(['close', name, text.trim(), line]),
  };
}

function scannerEvents(chunks: string[]): Event[] {
  const events: Event[] = [];
  const scanner = new TagScanner(recorder(events));
  for (const chunk of chunks) scanner.write(chunk);
  scanner.close();
  return events;
}

/** The same events from saxes, through the census reader's own adapter (its fallback parser). */
function saxesEvents(xml: string): Event[] {
  const events: Event[] = [];
  const reader = new SaxesTagReader(recorder(events));
  reader.write(xml);
  reader.close();
  return events;
}

/** Close lines differ in definition (saxes reports where the tag ends), so only opens carry lines. */
const withoutCloseLines = (events: Event[]): Event[] => events.map((e) => (e[0] === 'close' ? [e[0], e[1], e[2], -1] : e));

/** A seeded split of a text into pieces of 1 to 40 characters. */
function randomChunks(text: string, seed: number): string[] {
  const chunks: string[] = [];
  let state = seed;
  for (let at = 0; at < text.length;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 40);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

function outcome(run: () => Event[]): Event[] | 'refused' {
  try {
    return run();
  } catch (err) {
    if (err instanceof TagScanError) return 'refused';
    throw err;
  }
}

const samplesDir = join(import.meta.dirname, '../fixtures/samples/cin-census');
const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.xml'));

const handMade: Record<string, string> = {
  'entities and references': '<A><B>fish &amp; chips &lt;3 &#65;&#x42; &quot;q&quot; &apos;a&apos;</B></A>',
  'CRLF line ends': '<?xml version="1.0"?>\r\n<A>\r\n  <B>one\r\ntwo</B>\r\n  <C>3</C>\r\n</A>\r\n',
  'comments and processing instructions': '<?xml version="1.0" encoding="UTF-8"?>\n<!-- top -->\n<A><?pi some data?><B>x<!-- inside -->y</B></A>\n<!-- end -->',
  'self-closing tags': '<A><B/><C x="1" /><D>d</D></A>',
  'attributes with > inside quotes': '<Message xmlns="urn:x" note=\'a > b\' other="&amp;">\n<Child>1</Child></Message>',
  'namespace prefixes': '<x:A xmlns:x="urn:x"><x:B>b</x:B></x:A>',
  'byte order mark': '\uFEFF<A><B>b</B></A>',
  'non-ASCII text': '<A><Name>Zoë Ñandú — 😀</Name></A>',
  'whitespace-only text': '<A>\n   \t <B>   </B>\n</A>',
  'long text runs': `<A><B>${'x'.repeat(5000)}</B>${' '.repeat(300)}<C>${' y '.repeat(100)}</C></A>`,
  'a census-like child': readFileSync(join(import.meta.dirname, '../fixtures/samples/cin-census/cin-2022.xml'), 'utf8'),
};

const malformed: Record<string, string> = {
  'mismatched close tag': '<A><B></C></A>',
  'truncated mid-tag': '<A><B>x</B><C',
  'truncated mid-text': '<A><B>some te',
  'truncated mid-comment': '<A><!-- a comm',
  'an unclosed element': '<A><B>x</B>',
  'two roots': '<A/><B/>',
  'text after the root': '<A/>stray',
  'text before the root': 'stray<A/>',
  'an unknown entity': '<A>&foo;</A>',
  'a bare ampersand': '<A>fish & chips</A>',
  'a name starting with a digit': '<A><1abc>x</1abc></A>',
  'an empty document': '',
  'only an XML declaration': '<?xml version="1.0"?>',
  'a double hyphen in a comment': '<A><!-- a -- b --></A>',
  'an XML declaration after the start': '<A/><?xml version="1.0"?>',
  'a repeated attribute': '<A x="1" x="2"/>',
  'a control character in text': '<A>bell\u0007</A>',
  'a control character in a comment': '<A><!-- \u0001 --></A>',
  'an unquoted attribute': '<A x=1/>',
};

describe('the tag scanner sees what saxes sees, or refuses', () => {
  const documents = { ...Object.fromEntries(samples.map((f) => [`sample ${f}`, readFileSync(join(samplesDir, f), 'utf8')])), ...handMade };
  for (const [name, xml] of Object.entries(documents)) {
    it(name, () => {
      let expected: Event[] | 'error';
      try {
        expected = withoutCloseLines(saxesEvents(xml));
      } catch {
        expected = 'error';
      }
      for (const chunks of [[xml], randomChunks(xml, 7), randomChunks(xml, 1234), xml.length < 3000 ? [...xml] : randomChunks(xml, 99)]) {
        const got = outcome(() => withoutCloseLines(scannerEvents(chunks)));
        if (expected === 'error') expect(got).toBe('refused');
        else expect(got).toEqual(expected);
      }
    });
  }

  it('refuses what it does not handle: a DOCTYPE and CDATA', () => {
    expect(outcome(() => scannerEvents(['<!DOCTYPE A><A/>']))).toBe('refused');
    expect(outcome(() => scannerEvents(['<A><![CDATA[x]]></A>']))).toBe('refused');
  });
});

describe('malformed documents are refused, whole or in pieces', () => {
  for (const [name, xml] of Object.entries(malformed)) {
    it(name, () => {
      expect(() => saxesEvents(xml)).toThrow();
      expect(outcome(() => scannerEvents([xml]))).toBe('refused');
      expect(outcome(() => scannerEvents([...xml]))).toBe('refused');
    });
  }
});

describe('a worked example', () => {
  it('gives each element once, with its text and the line of its "<"', () => {
    const xml = ['<Message>', '  <Child>', '    <LAchildID>NB1</LAchildID>', '    <Sex>F</Sex><Ethnicity>WBRI</Ethnicity>', '  </Child>', '</Message>'].join('\n');
    const events: Event[] = [];
    const scanner = new TagScanner({
      openTag: (name, text, line) => events.push(['open', name, text, line]),
      closeTag: (name, text, line) => events.push(['close', name, text.trim(), line]),
    });
    scanner.write(xml);
    scanner.close();
    expect(events).toEqual([
      ['open', 'Message', '', 1],
      ['open', 'Child', '', 2],
      ['open', 'LAchildID', '', 3],
      ['close', 'LAchildID', 'NB1', 3],
      ['open', 'Sex', '', 4],
      ['close', 'Sex', 'F', 4],
      ['open', 'Ethnicity', '', 4],
      ['close', 'Ethnicity', 'WBRI', 4],
      ['close', 'Child', '', 5],
      ['close', 'Message', '', 6],
    ]);
  });
});
