import { SaxesParser } from 'saxes';
import { streamFileText } from '../xml/streamText.ts';
import { LoadError } from '../staging/loadError.ts';
import { maxValueLength, StageWriter } from '../staging/stageWriter.ts';
import type { ExtractReader, ReadProgress } from './reader.ts';
import { episodeFields, headerFields, Ssda903Stager } from './ssda903.ts';
import { loadPivotYear } from './ssda903Dates.ts';

/**
 * Reader for the SSDA903 return as XML: `EXPSSDA903 > CHILD > HEADER, EPISODE*` (DATA.md
 * "SSDA903 (children looked after)"), streamed with saxes as the CIN census is: the document is
 * never held whole, only the child being read. When a CHILD closes, its HEADER becomes a children
 * row and each EPISODE a looked_after row, with the child's CHILDID.
 *
 * Only the leaf elements ssda903.ts names are kept. Everything else (UPN, postcodes, URN, reviews,
 * missing episodes, adoption and outcome blocks) is read past without its text being kept.
 * Rows are named by element path, `EXPSSDA903/CHILD[3]/EPISODE[2]`: returns are often one line.
 */

type Values = Record<string, string | undefined>;

interface ChildUnderway {
  index: number;
  header?: Values;
  episodes: Values[];
}

const root = 'EXPSSDA903';

class Ssda903Transcriber {
  private readonly stack: string[] = [];
  private child: ChildUnderway | undefined;
  /** The block whose leaves are being read: the child's HEADER or its latest EPISODE. */
  private block: { values: Values; fields: Readonly<Record<string, string>> } | undefined;
  childCount = 0;
  sawRoot = false;

  constructor(
    private readonly path: string,
    private readonly stager: Ssda903Stager,
  ) {}

  get currentElement(): string | undefined {
    return this.stack[this.stack.length - 1];
  }

  openTag(name: string): void {
    const parent = this.stack[this.stack.length - 1];
    this.stack.push(name);
    if (this.stack.length === 1) {
      if (name !== root)
        throw new LoadError(this.path, 'line 1', name, `root element is <${name}>, not SSDA903's <${root}>`);
      this.sawRoot = true;
      return;
    }
    if (name === 'CHILD' && parent === root) {
      this.childCount += 1;
      this.child = { index: this.childCount, episodes: [] };
    } else if (this.child && parent === 'CHILD' && name === 'HEADER') {
      this.child.header ??= {};
      this.block = { values: this.child.header, fields: headerFields };
    } else if (this.child && parent === 'CHILD' && name === 'EPISODE') {
      const values: Values = {};
      this.child.episodes.push(values);
      this.block = { values, fields: episodeFields };
    }
  }

  /** `text`: the text since the previous tag, which is the element's value when it is a leaf. */
  closeTag(name: string, text: string): void {
    this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (name === 'CHILD' && parent === root && this.child) {
      this.stageChild(this.child);
      this.child = undefined;
      return;
    }
    if ((name === 'HEADER' || name === 'EPISODE') && parent === 'CHILD') {
      this.block = undefined;
      return;
    }
    // A leaf directly inside HEADER or EPISODE; nested blocks (AREVIEW, OC2, …) are read past.
    if (!this.block || (parent !== 'HEADER' && parent !== 'EPISODE')) return;
    const column = this.block.fields[name];
    if (column !== undefined && column !== 'child_id') this.block.values[column] = text.trim();
    else if (name === 'CHILDID' && parent === 'HEADER') this.block.values['child_id'] = text.trim();
  }

  private stageChild(child: ChildUnderway): void {
    const here = `${root}/CHILD[${child.index}]`;
    const childId = child.header?.['child_id'];
    if (child.header) this.stager.child(`${here}/HEADER`, child.header);
    child.episodes.forEach((episode, i) => {
      this.stager.episode(`${here}/EPISODE[${i + 1}]`, { ...episode, child_id: childId });
    });
    if (!child.header && child.episodes.length > 0) {
      // Its episodes are rejected by validation (no child id); say why once, at the child.
      this.stager.writer.reject(here, 'HEADER', undefined, 'CHILD has no HEADER, so no CHILDID for its episodes');
    }
  }
}

async function transcribe(path: string, transcriber: Ssda903Transcriber, progress?: ReadProgress): Promise<void> {
  const parser = new SaxesParser({ position: true });
  let text = '';
  parser.on('opentag', (tag) => {
    transcriber.openTag(tag.name);
    text = '';
  });
  parser.on('text', (chunk) => {
    // Capped just past the longest value staging takes, so the writer rejects an overlong one by name.
    if (text.length <= maxValueLength) text += chunk;
  });
  parser.on('closetag', (tag) => {
    transcriber.closeTag(tag.name, text);
    text = '';
  });
  try {
    await streamFileText(path, (chunk) => parser.write(chunk), progress);
    parser.close();
  } catch (err) {
    if (err instanceof LoadError) throw err;
    const where = `line ${parser.line}, column ${parser.column}`;
    const message = String((err as Error).message ?? err).replace(/^[^:]*:\d+:\d+: /, '');
    throw new LoadError(path, where, transcriber.currentElement, `is not well-formed XML: ${message}`);
  }
}

export const ssda903XmlReader: ExtractReader = {
  format: 'ssda903-xml',
  async stage(path, { stagingDir, progress }) {
    const stager = new Ssda903Stager(new StageWriter(stagingDir), loadPivotYear());
    const transcriber = new Ssda903Transcriber(path, stager);
    try {
      await transcribe(path, transcriber, progress);
      if (!transcriber.sawRoot) throw new LoadError(path, 'line 1', undefined, 'has no XML elements');
    } catch (err) {
      stager.writer.abandon();
      throw err;
    }
    if (transcriber.childCount === 0)
      stager.writer.reject(root, undefined, undefined, 'the file has no <CHILD> elements');
    return stager.close();
  },
};
