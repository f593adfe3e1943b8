import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { decodeXml, escapeXml } from '../../etl/xml/entities.ts';

/** What a full XML parser reads from `<v a="…">…</v>`: the attribute value and the text. */
function parsedBySaxes(xml: string): { attribute: string; text: string } {
  let attribute = '';
  let text = '';
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    attribute = String(tag.attributes['a'] ?? '');
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.write(xml).close();
  return { attribute, text };
}

describe('escapeXml', () => {
  it.each([
    ['plain', 'NB0001234', 'NB0001234'],
    ['the four characters', 'a & b < c > d "e"', 'a &amp; b &lt; c &gt; d &quot;e&quot;'],
    ['an entity already written', '&amp;', '&amp;amp;'],
    ['non-ASCII', 'Zoë 東京 😀', 'Zoë 東京 😀'],
  ])('%s', (_label, text, escaped) => {
    expect(escapeXml(text)).toBe(escaped);
  });

  it('round-trips through a full XML parser, as text and as an attribute value', () => {
    for (const text of ['List 2 & 3 <draft>', 'say "no"', "it's & <it's>", '&#65; is not A']) {
      expect(parsedBySaxes(`<v a="${escapeXml(text)}">${escapeXml(text)}</v>`)).toEqual({ attribute: text, text });
      expect(decodeXml(escapeXml(text))).toBe(text);
    }
  });
});

describe('decodeXml', () => {
  it('replaces the five entities and decimal and hexadecimal character references', () => {
    expect(decodeXml('fish &amp; chips &lt;3 &gt; &quot;q&quot; &apos;a&apos; &#65;&#x42;&#x1F600;')).toBe(
      'fish & chips <3 > "q" \'a\' AB😀',
    );
  });

  it('decodes once: &amp;lt; is the text "&lt;"', () => {
    expect(decodeXml('&amp;lt;')).toBe('&lt;');
  });

  it.each([
    ['an unknown entity', 'a &nbsp; b'],
    ['a bare ampersand', 'fish & chips'],
    ['an ampersand at the end', 'fish &'],
    ['a character XML forbids', '&#0;'],
    ['a code point past Unicode', '&#x110000;'],
  ])('leaves %s as written', (_label, text) => {
    expect(decodeXml(text)).toBe(text);
  });

  it('keeps a bad reference but still decodes the good ones beside it', () => {
    expect(decodeXml('R&D &amp; &bogus; &#x41;')).toBe('R&D & &bogus; A');
  });
});
