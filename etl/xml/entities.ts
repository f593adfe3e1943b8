/**
 * XML's five predefined entities and its character references, in one place for everything under
 * etl/ that writes XML by hand (the demo's census files and workbook parts) or reads it without a
 * parser (the Annex A workbook's sheet names). It imports nothing, so readers and writers can both
 * use it without depending on each other.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const needsEscape = /[&<>"]/;
const escapable = /[&<>"]/g;

/**
 * Text safe inside an element or a double-quoted attribute value. Most values (codes, dates, ids)
 * have nothing to escape and are returned as they are.
 */
export function escapeXml(text: string): string {
  return needsEscape.test(text) ? text.replace(escapable, (c) => escapes[c]!) : text;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const reference = /&([^;&<]*)(;?)/g;

/**
 * Text with its entity and character references replaced. A reference XML does not define, or a
 * bare '&', is left as written: a best effort, for text that is only looked at (a sheet's name).
 */
export function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    reference,
    (match, body: string, semicolon: string) =>
      (semicolon ? (entities[body] ?? characterReference(body)) : undefined) ?? match,
  );
}

/** `#65` or `#x41` as its character, when it is one XML allows. */
function characterReference(body: string): string | undefined {
  const code = /^#x[0-9a-fA-F]+$/.test(body)
    ? parseInt(body.slice(2), 16)
    : /^#[0-9]+$/.test(body)
      ? parseInt(body.slice(1), 10)
      : NaN;
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
