import { SaxesParser } from 'saxes';
import { LoadError } from '../../staging/loadError.ts';

/**
 * Drives saxes over a workbook part, one event at a time, as the census reader does: the part
 * arrives as inflated chunks and is never held whole. Element names lose any namespace prefix
 * (`x:row` is `row`), as spreadsheet writers differ in prefixes but not in local names.
 */
export interface XmlEvents {
  open(name: string, attributes: Record<string, string>): void;
  /** `text`: the element's text since the previous tag (a leaf element's whole content). */
  close(name: string, text: string): void;
}

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

export async function parseXmlStream(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  events: XmlEvents,
): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const decoder = new TextDecoder('utf-8');
  let text = '';
  parser.on('opentag', (tag) => {
    text = '';
    events.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    const content = text;
    text = '';
    events.close(localName(tag.name), content);
  });
  try {
    for await (const chunk of chunks) parser.write(decoder.decode(chunk, { stream: true }));
    parser.write(decoder.decode());
    parser.close();
  } catch (err) {
    if (err instanceof XmlPartError || err instanceof LoadError || !(err instanceof Error)) throw err;
    // saxes prefixes messages with "file:line:column: "; say the line and column ourselves.
    const message = err.message.replace(/^[^:]*:\d+:\d+: /, '');
    throw new XmlPartError(`line ${parser.line}, column ${parser.column}: ${message}`);
  }
}

/** The XML of a part is broken, or a value in it cannot be what its type says. */
export class XmlPartError extends Error {}
