import { createReadStream, statSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import type { CanonicalTable } from '../canonical/model.ts';
import { LoadError } from '../load/loadError.ts';
import { StageWriter } from '../load/stageWriter.ts';
import { cinCensusElementNames } from './cinCensusSchema.ts';
import type { ExtractReader } from './reader.ts';

/**
 * Reader for the DfE CIN census XML (2017–2026 variants), streamed with saxes: the document is
 * never held whole, so a census of any size reads in bounded memory. Each <Child> becomes staged
 * rows as soon as it closes: a children row, a referral per <CINdetails>, and its assessments,
 * CIN plans, Section 47 enquiries and CP plans.
 *
 * Spec drift accepted: GenderCurrent (1/2/0/9) or Sex (M/F/U, and the digits some files still
 * send); every yes/no spelling (typed later in SQL); NumberOfPreviousCPP of 0. UPNs and former
 * UPNs are read past and never staged (DATA.md: "drop UPN on load").
 */

type Values = Record<string, string | undefined>;
interface StagedRow {
  table: CanonicalTable;
  where: string;
  values: Values;
}

/** Leaf element → canonical column, per block that owns it. */
const childFields: Record<string, string> = {
  LAchildID: 'child_id',
  PersonBirthDate: 'birth_date',
  ExpectedPersonBirthDate: 'expected_birth_date',
  GenderCurrent: 'sex',
  Sex: 'sex',
  Ethnicity: 'ethnicity',
};
const episodeFields: Record<string, string> = {
  CINreferralDate: 'referral_date',
  ReferralSource: 'source',
  PrimaryNeedCode: 'primary_need',
  CINclosureDate: 'closure_date',
  ReasonForClosure: 'closure_reason',
  ReferralNFA: 'nfa',
};
const blockFields: Record<string, { table: CanonicalTable; fields: Record<string, string> }> = {
  Assessments: {
    table: 'assessments',
    fields: { AssessmentActualStartDate: 'start_date', AssessmentAuthorisationDate: 'authorisation_date' },
  },
  CINPlanDates: { table: 'cin_plans', fields: { CINPlanStartDate: 'start_date', CINPlanEndDate: 'end_date' } },
  Section47: {
    table: 'section47',
    fields: { S47ActualStartDate: 'start_date', DateOfInitialCPC: 'icpc_date', ICPCnotRequired: 'icpc_not_required' },
  },
  ChildProtectionPlans: {
    table: 'cp_plans',
    fields: {
      CPPstartDate: 'start_date',
      CPPendDate: 'end_date',
      InitialCategoryOfAbuse: 'initial_category',
      LatestCategoryOfAbuse: 'latest_category',
      NumberOfPreviousCPP: 'previous_plans',
    },
  },
};
/** Blocks whose text content is a structure, not a value. */
const containers = new Set([
  'Message', 'Header', 'CollectionDetails', 'Source', 'Children', 'Child', 'ChildIdentifiers', 'ChildCharacteristics',
  'Disabilities', 'CINdetails', 'Assessments', 'FactorsIdentifiedAtAssessment', 'CINPlanDates', 'Section47',
  'ChildProtectionPlans', 'Reviews',
]);

interface Block {
  table: CanonicalTable;
  values: Values;
  factors: string[];
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

export const cinCensusXmlReader: ExtractReader = {
  format: 'cin-census-xml',
  async stage(path, { stagingDir, progress }) {
    const totalBytes = statSync(path).size;
    const writer = new StageWriter(stagingDir);
    const knownElements = cinCensusElementNames();
    const parser = new SaxesParser({ position: true });
    const stack: string[] = [];
    const ready: StagedRow[] = [];
    const problems: { where: string; field?: string; value?: string; reason: string }[] = [];
    let text = '';
    let referenceDate: string | undefined;
    let unknownDepth = 0; // inside an element the schema does not define: skip its content
    let childCount = 0;
    let child: ChildUnderway | undefined;
    let episode: Episode | undefined;
    let block: Block | undefined;
    let sawMessage = false;

    const where = () => `line ${parser.line}`;
    const childWhere = () => (child ? `Child ${child.index} (line ${child.line})` : where());

    parser.on('opentag', (tag) => {
      const name = tag.name;
      const parent = stack[stack.length - 1];
      stack.push(name);
      text = '';
      if (unknownDepth > 0) {
        unknownDepth += 1;
        return;
      }
      if (stack.length === 1) {
        sawMessage = name === 'Message';
        if (!sawMessage) throw new LoadError(path, 'line 1', name, `root element is <${name}>, not the CIN census <Message>`);
      }
      if (!knownElements.has(name)) {
        unknownDepth = 1;
        problems.push({ where: `${childWhere()}, line ${parser.line}`, field: name, reason: `element <${name}> is not in the CIN census schema (2024–2026); ignored` });
        return;
      }
      if (name === 'Child' && parent === 'Children') {
        childCount += 1;
        child = { index: childCount, line: parser.line, values: {}, disabilities: [], episodes: [] };
      } else if (name === 'CINdetails' && child) {
        episode = { values: {}, blocks: [], where: `${childWhere()} / CINdetails ${child.episodes.length + 1}` };
        child.episodes.push(episode);
      } else if (blockFields[name] && episode) {
        const count = episode.blocks.filter((b) => b.table === blockFields[name]!.table).length + 1;
        block = { table: blockFields[name]!.table, values: {}, factors: [], where: `${episode.where} / ${name} ${count} (line ${parser.line})` };
        episode.blocks.push(block);
      }
    });

    parser.on('text', (chunk) => {
      text += chunk;
    });

    parser.on('closetag', (tag) => {
      const name = tag.name;
      stack.pop();
      const parent = stack[stack.length - 1];
      const value = text.trim();
      text = '';
      if (unknownDepth > 0) {
        unknownDepth -= 1;
        return;
      }
      if (containers.has(name)) {
        if (name === 'Child' && child) {
          ready.push(...childRows(child));
          child = undefined;
        } else if (name === 'CINdetails') episode = undefined;
        else if (blockFields[name]) block = undefined;
        return;
      }
      if (name === 'ReferenceDate' && parent === 'CollectionDetails') referenceDate = value;
      if (!child) return;
      if (parent === 'ChildIdentifiers' || parent === 'ChildCharacteristics') {
        const field = childFields[name];
        if (field) child.values[field] = value;
      } else if (parent === 'Disabilities' && name === 'Disability') {
        child.disabilities.push(value);
      } else if (parent === 'CINdetails' && episode) {
        const field = episodeFields[name];
        if (field) episode.values[field] = value;
      } else if (parent === 'FactorsIdentifiedAtAssessment' && block) {
        if (value) block.factors.push(value);
      } else if (block && parent && blockFields[parent]) {
        const field = blockFields[parent]!.fields[name];
        if (field) block.values[field] = value;
      }
    });

    // Text between elements (e.g. "<UPNunknown>UN3</UPNunknown>PersonBirthDate") breaks the schema.
    const reportStrayText = () => {
      const current = stack[stack.length - 1];
      if (current && containers.has(current) && text.trim() !== '' && unknownDepth === 0) {
        problems.push({ where: `${childWhere()}, line ${parser.line}`, field: current, value: text.trim(), reason: `stray text inside <${current}>; ignored` });
      }
    };
    parser.on('opentagstart', reportStrayText);

    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream) {
        parser.write(chunk as string);
        drain();
        progress?.(stream.bytesRead, totalBytes);
      }
      parser.close();
    } catch (err) {
      stream.destroy();
      writer.abandon();
      if (err instanceof LoadError) throw err;
      throw new LoadError(path, `line ${parser.line}, column ${parser.column}`, stack[stack.length - 1], `is not well-formed XML: ${xmlMessage(err)}`);
    }
    if (!sawMessage) throw new LoadError(path, 'line 1', undefined, 'has no XML elements');
    if (childCount === 0) problems.push({ where: 'Children', reason: 'the file has no <Child> elements' });
    drain();
    const { tables, readRejects } = writer.close();
    return { tables, readRejects, referenceDate: referenceDate && /^\d{4}-\d{2}-\d{2}$/.test(referenceDate) ? referenceDate : undefined };

    function drain() {
      for (const row of ready.splice(0)) writer.row(row.table, row.where, row.values);
      for (const problem of problems.splice(0)) writer.reject(problem.where, problem.field, problem.value, problem.reason);
    }
  },
};

/** The staged rows of one closed <Child>: the child, then each episode and what it contains. */
function childRows(child: ChildUnderway): StagedRow[] {
  const childId = child.values['child_id'];
  const here = `Child ${child.index} (line ${child.line})`;
  const rows: StagedRow[] = [
    { table: 'children', where: here, values: { ...child.values, disability: child.disabilities.join(';') || undefined } },
  ];
  for (const episode of child.episodes) {
    const referralDate = episode.values['referral_date'];
    // The census has no referral id: the episode is known by (child, referral date), DATA.md's key.
    const referralId = childId && referralDate ? `${childId}|${referralDate}` : undefined;
    rows.push({ table: 'referrals', where: episode.where, values: { ...episode.values, child_id: childId, referral_id: referralId } });
    for (const block of episode.blocks) {
      const values: Values = { ...block.values, child_id: childId, referral_id: referralId };
      if (block.table === 'assessments') values['factors'] = block.factors.join(';');
      rows.push({ table: block.table, where: block.where, values });
    }
  }
  return rows;
}

function xmlMessage(err: unknown): string {
  // saxes prefixes messages with "file:line:column: "; the LoadError already says where.
  return String((err as Error).message ?? err).replace(/^[^:]*:\d+:\d+: /, '');
}
