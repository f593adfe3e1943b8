import { randomBytes } from 'node:crypto';
import { SaxesParser } from 'saxes';
import { streamFileBytes, streamFileText } from '../xml/streamText.ts';
import { NotPlainXml, PlainXmlScanner } from '../xml/plainXmlScanner.ts';
import { tableSpec, type CanonicalTable } from '../canonical/model.ts';
import { LoadError } from '../staging/loadError.ts';
import { StageWriter } from '../staging/stageWriter.ts';
import { formerUpnBreaks1560Q, upnRulesBroken } from '../identity/upnFormat.ts';
import { upnHasher } from '../identity/upnHash.ts';
import { cinCensusElementNames } from './cinCensusSchema.ts';
import { tallyBefore, type CensusPart, type CensusPartTally, type CensusTally } from './cinCensusParts.ts';
import type { ExtractReader, ReadProgress } from './reader.ts';

/**
 * Reader for the DfE CIN census XML (2017–2026 variants), streamed: the document is never held
 * whole, so a census of any size reads in bounded memory. Each <Child> becomes staged rows as soon
 * as it closes: a children row, a referral per <CINdetails>, and its assessments, CIN plans,
 * Section 47 enquiries and CP plans.
 *
 * A census is read first by a scanner for plain XML (etl/xml/plainXmlScanner.ts), which reads the
 * XML extracts are written in (the whole read, rows staged, in half the time saxes takes) and stops
 * at anything else; the file is then read again by saxes, a full XML parser, whose messages say
 * where a broken file breaks. Both report the same tags, text and lines to one transcriber, so the
 * staged rows and rejects are the same whichever read them (docs/BENCHMARKS.md, "A plain-XML
 * scanner for the census").
 *
 * Spec drift accepted: GenderCurrent (1/2/0/9) or Sex (M/F/U, and the digits some files still
 * send); every yes/no spelling (typed later in SQL); NumberOfPreviousCPP of 0. UPNs and former
 * UPNs are read past and never staged (DATA.md: "drop UPN on load").
 */

/** A staged row's values, in its table's column order (tableSpec(table).columns). */
type Values = (string | undefined)[];

/** Where each canonical column sits in its table's staged row. */
function columnIndexes(table: CanonicalTable): Record<string, number> {
  return Object.fromEntries(tableSpec(table).columns.map((col, i) => [col.name, i]));
}
const columnsOf = (table: CanonicalTable) => tableSpec(table).columns.length;
const childColumns = columnIndexes('children');

/** Leaf element → the position of its canonical column in the owning block's row. */
function positions(table: CanonicalTable, fields: Record<string, string>): Record<string, number> {
  const indexes = columnIndexes(table);
  return Object.fromEntries(Object.entries(fields).map(([element, column]) => [element, indexes[column]!]));
}

const childFields = positions('children', {
  LAchildID: 'child_id',
  PersonBirthDate: 'birth_date',
  ExpectedPersonBirthDate: 'expected_birth_date',
  GenderCurrent: 'sex',
  Sex: 'sex',
  Ethnicity: 'ethnicity',
  PersonDeathDate: 'death_date',
  UPNunknown: 'upn_unknown',
});
const referralColumns = columnIndexes('referrals');
const episodeFields = positions('referrals', {
  CINreferralDate: 'referral_date',
  ReferralSource: 'source',
  PrimaryNeedCode: 'primary_need',
  CINclosureDate: 'closure_date',
  ReasonForClosure: 'closure_reason',
  ReferralNFA: 'nfa',
});

/** A block inside an episode: its table, and where its fields and links sit in the row. */
interface BlockKind {
  table: CanonicalTable;
  fields: Record<string, number>;
  width: number;
  childId: number;
  referralId: number;
  factors?: number;
  reviews?: number;
}
function blockKind(table: CanonicalTable, fields: Record<string, string>): BlockKind {
  const indexes = columnIndexes(table);
  return {
    table,
    fields: positions(table, fields),
    width: columnsOf(table),
    childId: indexes['child_id']!,
    referralId: indexes['referral_id']!,
    factors: indexes['factors'],
    reviews: indexes['review_dates'],
  };
}
const blockFields: Record<string, BlockKind> = {
  Assessments: blockKind('assessments', {
    AssessmentActualStartDate: 'start_date',
    AssessmentAuthorisationDate: 'authorisation_date',
  }),
  CINPlanDates: blockKind('cin_plans', { CINPlanStartDate: 'start_date', CINPlanEndDate: 'end_date' }),
  Section47: blockKind('section47', {
    S47ActualStartDate: 'start_date',
    DateOfInitialCPC: 'icpc_date',
    ICPCnotRequired: 'icpc_not_required',
    InitialCPCtarget: 'icpc_target_date',
  }),
  ChildProtectionPlans: blockKind('cp_plans', {
    CPPstartDate: 'start_date',
    CPPendDate: 'end_date',
    InitialCategoryOfAbuse: 'initial_category',
    LatestCategoryOfAbuse: 'latest_category',
    NumberOfPreviousCPP: 'previous_plans',
  }),
};
/** Blocks whose text content is a structure, not a value. */
const containers = new Set([
  'Message',
  'Header',
  'CollectionDetails',
  'Source',
  'Children',
  'Child',
  'ChildIdentifiers',
  'ChildCharacteristics',
  'Disabilities',
  'CINdetails',
  'Assessments',
  'FactorsIdentifiedAtAssessment',
  'CINPlanDates',
  'Section47',
  'ChildProtectionPlans',
  'Reviews',
]);

interface Block {
  kind: BlockKind;
  values: Values;
  factors: string[];
  reviews: string[];
  where: string;
}

interface Episode {
  values: Values;
  where: string;
  blocks: Block[];
}

interface ChildUnderway {
  index: number;
  line: number;
  values: Values;
  disabilities: string[];
  episodes: Episode[];
}

/** Turns the census's elements, as the parser reports them, into staged rows and read rejects. */
class CensusTranscriber {
  private readonly knownElements = cinCensusElementNames();
  private readonly stack: string[] = [];
  private unknownDepth = 0; // inside an element the schema does not define: skip its content
  private child: ChildUnderway | undefined;
  private episode: Episode | undefined;
  private block: Block | undefined;
  childCount = 0;
  sawMessage = false;
  referenceDate: string | undefined;
  /** The header's `LEA`: the LA the return is from (a file from another LA is refused unless confirmed). */
  laCode: string | undefined;

  private readonly upnKeyOf: (upn: string) => string;

  /**
   * @param upnKey the installation's key (etl/identity/upnKey.ts): the UPN is staged only as its
   *   HMAC under this key, and as the codes of the format rules it breaks (docs/SECURITY.md).
   */
  constructor(
    private readonly path: string,
    private readonly writer: StageWriter,
    upnKey: Buffer,
  ) {
    this.upnKeyOf = upnHasher(upnKey);
  }

  /** Whether the read is inside <Children> and outside any <Child>: where a part of the file may end. */
  get betweenChildren(): boolean {
    return (
      this.stack.length === 2 &&
      this.stack[0] === 'Message' &&
      this.stack[1] === 'Children' &&
      this.unknownDepth === 0 &&
      this.child === undefined
    );
  }

  /** The innermost open element, to say where a broken file stops. */
  get currentElement(): string | undefined {
    return this.stack[this.stack.length - 1];
  }

  /**
   * A UPN (or former UPN) goes no further than this: the child keeps its HMAC (the UPN's only) and
   * the codes of the DfE format rules it breaks.
   */
  private readUpn(child: ChildUnderway, element: 'UPN' | 'FormerUPN', upn: string): void {
    const broken = element === 'UPN' ? upnRulesBroken(upn) : formerUpnBreaks1560Q(upn) ? ['1560Q'] : [];
    if (element === 'UPN') child.values[childColumns['upn_key']!] = this.upnKeyOf(upn.trim().toUpperCase());
    if (broken.length === 0) return;
    const column = childColumns['upn_checks']!;
    child.values[column] = [child.values[column], ...broken].filter(Boolean).join(' ');
  }

  private childWhere(line: number): string {
    return this.child ? `Child ${this.child.index} (line ${this.child.line})` : `line ${line}`;
  }

  openTag(name: string, textBefore: string, line: number): void {
    const parent = this.stack[this.stack.length - 1];
    // Text between elements (e.g. "<UPNunknown>UN3</UPNunknown>PersonBirthDate") breaks the schema.
    if (textBefore !== '' && parent !== undefined && this.unknownDepth === 0 && containers.has(parent)) {
      const stray = textBefore.trim();
      if (stray !== '')
        this.writer.reject(
          `${this.childWhere(line)}, line ${line}`,
          parent,
          stray,
          `stray text inside <${parent}>; ignored`,
        );
    }
    this.stack.push(name);
    if (this.unknownDepth > 0) {
      this.unknownDepth += 1;
      return;
    }
    if (this.stack.length === 1) {
      this.sawMessage = name === 'Message';
      if (!this.sawMessage)
        throw new LoadError(this.path, 'line 1', name, `root element is <${name}>, not the CIN census <Message>`);
    }
    if (!this.knownElements.has(name)) {
      this.unknownDepth = 1;
      this.writer.reject(
        `${this.childWhere(line)}, line ${line}`,
        name,
        undefined,
        `element <${name}> is not in the CIN census schema (2024–2026); ignored`,
      );
      return;
    }
    if (name === 'Child' && parent === 'Children') {
      this.childCount += 1;
      this.child = {
        index: this.childCount,
        line,
        values: new Array(columnsOf('children')),
        disabilities: [],
        episodes: [],
      };
    } else if (name === 'CINdetails' && this.child) {
      this.episode = {
        values: new Array(columnsOf('referrals')),
        blocks: [],
        where: `${this.childWhere(line)} / CINdetails ${this.child.episodes.length + 1}`,
      };
      this.child.episodes.push(this.episode);
    } else if (this.episode && blockFields[name]) {
      const kind = blockFields[name]!;
      let count = 1;
      for (const b of this.episode.blocks) if (b.kind === kind) count += 1;
      this.block = {
        kind,
        values: new Array(kind.width),
        factors: [],
        reviews: [],
        where: `${this.episode.where} / ${name} ${count} (line ${line})`,
      };
      this.episode.blocks.push(this.block);
    }
  }

  closeTag(name: string, textBefore: string): void {
    this.stack.pop();
    if (this.unknownDepth > 0) {
      this.unknownDepth -= 1;
      return;
    }
    if (containers.has(name)) {
      if (name === 'Child' && this.child) {
        this.stageChild(this.child);
        this.child = undefined;
      } else if (name === 'CINdetails') this.episode = undefined;
      else if (blockFields[name]) this.block = undefined;
      return;
    }
    const parent = this.stack[this.stack.length - 1];
    const value = textBefore.trim();
    if (name === 'ReferenceDate' && parent === 'CollectionDetails') this.referenceDate = value;
    if (name === 'LEA' && parent === 'Source' && value) this.laCode = value;
    const child = this.child;
    if (!child || parent === undefined) return;
    if (parent === 'ChildIdentifiers' || parent === 'ChildCharacteristics') {
      const field = childFields[name];
      if (field !== undefined) child.values[field] = value;
      if (parent === 'ChildIdentifiers' && value && (name === 'UPN' || name === 'FormerUPN'))
        this.readUpn(child, name, value);
    } else if (parent === 'Disabilities') {
      if (name === 'Disability') child.disabilities.push(value);
    } else if (parent === 'CINdetails') {
      const field = episodeFields[name];
      if (field !== undefined && this.episode) this.episode.values[field] = value;
    } else if (parent === 'Reviews') {
      if (name === 'CPPreviewDate' && value && this.block) this.block.reviews.push(value);
    } else if (parent === 'FactorsIdentifiedAtAssessment') {
      if (value && this.block) this.block.factors.push(value);
    } else if (this.block && blockFields[parent] === this.block.kind) {
      const field = this.block.kind.fields[name];
      if (field !== undefined) this.block.values[field] = value;
    }
  }

  /** The staged rows of one closed <Child>: the child, then each episode and what it contains. */
  private stageChild(child: ChildUnderway): void {
    const childId = child.values[childColumns['child_id']!];
    const here = `Child ${child.index} (line ${child.line})`;
    child.values[childColumns['disability']!] = child.disabilities.join(';') || undefined;
    this.writer.rowInOrder('children', here, child.values);
    for (const episode of child.episodes) {
      const referralDate = episode.values[referralColumns['referral_date']!];
      // The census has no referral id: the episode is known by (child, referral date), DATA.md's key.
      const referralId = childId && referralDate ? `${childId}|${referralDate}` : undefined;
      episode.values[referralColumns['child_id']!] = childId;
      episode.values[referralColumns['referral_id']!] = referralId;
      this.writer.rowInOrder('referrals', episode.where, episode.values);
      for (const block of episode.blocks) {
        const { kind } = block;
        block.values[kind.childId] = childId;
        block.values[kind.referralId] = referralId;
        if (kind.factors !== undefined) block.values[kind.factors] = block.factors.join(';');
        if (kind.reviews !== undefined) block.values[kind.reviews] = block.reviews.join(';') || undefined;
        this.writer.rowInOrder(kind.table, block.where, block.values);
      }
    }
  }
}

/**
 * An element no census has, written after a part that is not the file's last: the parser reports
 * it only if the part ended between two elements, not inside a tag, comment or CDATA section.
 */
const partEndProbe = 'LscbPartEnd';

/** A later part opens the document's two outer elements, as the part before it left them. */
const laterPartOpening = '<Message><Children>';

/** The plain-XML scanner through the transcriber; throws NotPlainXml where saxes must read instead. */
async function transcribePlain(
  path: string,
  transcriber: CensusTranscriber,
  progress: ReadProgress | undefined,
  part: { of: CensusPart; start: CensusTally } | undefined,
): Promise<CensusTally> {
  const scanner = new PlainXmlScanner(transcriber, part?.start.lines ?? 0);
  if (part && part.of.range.start > 0) scanner.write(Buffer.from(laterPartOpening));
  await streamFileBytes(path, (chunk) => scanner.write(chunk), progress, part?.of.range);
  if (part && !part.of.last) {
    if (!(scanner.stop() && transcriber.betweenChildren))
      throw new Error(`${path}: the part ending at byte ${part.of.range.end} does not end between two children`);
  } else scanner.end();
  return { children: transcriber.childCount, lines: scanner.lines };
}

/** saxes through the transcriber: the text since the previous tag, and the line of an opening tag's '<'. */
async function transcribe(
  path: string,
  transcriber: CensusTranscriber,
  progress: ReadProgress | undefined,
  part: { of: CensusPart; start: CensusTally } | undefined,
): Promise<CensusTally> {
  const parser = new SaxesParser({ position: true });
  const linesBefore = part?.start.lines ?? 0;
  let text = '';
  let tagLine = 1;
  let endedBetweenChildren = false;
  parser.on('opentagstart', () => {
    tagLine = parser.line + linesBefore;
  });
  parser.on('opentag', (tag) => {
    if (tag.name === partEndProbe) {
      // Stray text here would be reported by the next part's first <Child>, which never sees it.
      endedBetweenChildren = transcriber.betweenChildren && text.trim() === '';
      return;
    }
    transcriber.openTag(tag.name, text, tagLine);
    text = '';
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === partEndProbe) return;
    transcriber.closeTag(tag.name, text);
    text = '';
  });
  try {
    if (part && part.of.range.start > 0) parser.write(laterPartOpening);
    await streamFileText(path, (chunk) => parser.write(chunk), progress, part?.of.range);
    if (part && !part.of.last) parser.write(`<${partEndProbe}/>`);
    else parser.close();
  } catch (err) {
    if (err instanceof LoadError) throw err;
    const where = `line ${parser.line + linesBefore}, column ${parser.column}`;
    throw new LoadError(path, where, transcriber.currentElement, `is not well-formed XML: ${xmlMessage(err)}`);
  }
  if (part && !part.of.last && !endedBetweenChildren)
    throw new Error(`${path}: the part ending at byte ${part.of.range.end} does not end between two children`);
  return { children: transcriber.childCount, lines: linesBefore + parser.line - 1 };
}

export const cinCensusXmlReader: ExtractReader = {
  format: 'cin-census-xml',
  async stage(path, { stagingDir, progress, upnKey, part }) {
    // Without the installation's key (a reader run on its own), UPNs compare within this read only.
    const key = upnKey ? Buffer.from(upnKey, 'hex') : randomBytes(32);
    const start = part && part.range.start > 0 ? tallyBefore(path, part.range.start) : { children: 0, lines: 0 };
    const within = part && { of: part, start };
    // One read, into a writer of its own: on failure its files go (all of them when saxes reads next).
    const readWith = async (transcribeWith: typeof transcribe) => {
      const writer = new StageWriter(stagingDir);
      const transcriber = new CensusTranscriber(path, writer, key);
      transcriber.childCount = start.children;
      try {
        return { writer, transcriber, end: await transcribeWith(path, transcriber, progress, within) };
      } catch (err) {
        if (err instanceof NotPlainXml) writer.discard();
        else writer.abandon();
        throw err;
      }
    };
    const { writer, transcriber, end } = await readWith(transcribePlain).catch((err: unknown) => {
      if (err instanceof NotPlainXml) return readWith(transcribe);
      throw err;
    });
    const partTally: CensusPartTally | undefined = part && { start, end };
    if (!transcriber.sawMessage) {
      writer.abandon();
      throw new LoadError(path, 'line 1', undefined, 'has no XML elements');
    }
    if (transcriber.childCount === 0 && !part)
      writer.reject('Children', undefined, undefined, 'the file has no <Child> elements');
    const { tables, readRejects } = writer.close();
    const referenceDate = transcriber.referenceDate;
    return {
      tables,
      readRejects,
      referenceDate: referenceDate && /^\d{4}-\d{2}-\d{2}$/.test(referenceDate) ? referenceDate : undefined,
      laCode: transcriber.laCode,
      partTally,
    };
  },
};

function xmlMessage(err: unknown): string {
  // saxes prefixes messages with "file:line:column: "; the LoadError already says where.
  return String((err as Error).message ?? err).replace(/^[^:]*:\d+:\d+: /, '');
}
