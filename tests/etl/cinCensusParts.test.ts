import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageCensusInParts } from '../../etl/load/censusInParts.ts';
import { StagingPool } from '../../etl/load/stagingPool.ts';
import { censusParts, tallyBefore } from '../../etl/readers/cinCensusParts.ts';
import { cinCensusXmlReader } from '../../etl/readers/cinCensusXml.ts';
import type { StagedExtract } from '../../etl/readers/reader.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

/**
 * A lone census is read by several workers at once, each taking a run of whole children
 * (docs/DATA.md §4, "A lone census is read by every staging worker at once"). What the load stages must not depend on the cut: every staged
 * row, in the same order and named by the same child and line, and every read reject, as a read
 * of the whole file gives; and a file the cut cannot be trusted on is read whole.
 */
const dir = tempDir('census-parts');
const upnKey = '00'.repeat(32);
const pools: StagingPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});
const sample = readFileSync(join(import.meta.dirname, '../fixtures/samples/cin-census/fake_CIN_data.xml'), 'utf8');

function write(name: string, xml: string): string {
  const path = join(dir, name);
  writeFileSync(path, xml);
  return path;
}

/** Each staged table's rows (headers dropped), and the read rejects, as text in file order. */
function stagedText(staged: StagedExtract): Record<string, string> {
  const rows = (paths: readonly string[]) =>
    paths.map((p) => readFileSync(p, 'utf8').split('\n').slice(1).join('\n')).join('');
  const text: Record<string, string> = {};
  for (const table of staged.tables) text[table.spec.table] = `${table.header.join()}\n${rows(table.csvPaths)}`;
  text['read rejects'] = `${staged.readRejects?.count}\n${rows(staged.readRejects?.csvPaths ?? [])}`;
  text['reference date'] = `${staged.referenceDate} ${staged.laCode}`;
  return text;
}

async function wholeAndInParts(path: string, workers: number) {
  const pool = new StagingPool(workers);
  pools.push(pool);
  const whole = await pool.stage('cin-census-xml', path, mkdtempSync(join(dir, 'whole-')), undefined, upnKey);
  const inParts = await stageCensusInParts(pool, path, mkdtempSync(join(dir, 'parts-')), undefined, upnKey);
  return { whole: stagedText(whole), inParts: stagedText(inParts), csvFiles: inParts.tables[0]!.csvPaths.length };
}

/** The sample with, in its second half, stray text and an element the schema lacks. */
function sampleWithLateRejects(): string {
  const late = sample.lastIndexOf('<ChildIdentifiers>');
  const withStray = `${sample.slice(0, late)}stray words<Mystery>x</Mystery>${sample.slice(late)}`;
  expect(withStray.indexOf('stray words')).toBeGreaterThan(withStray.length / 2);
  return withStray;
}

describe('a census read in parts stages what a whole read does', () => {
  for (const workers of [2, 3]) {
    it(`fake_CIN_data.xml by ${workers} workers`, async () => {
      const path = write(`sample-${workers}.xml`, sample);
      expect(censusParts(path, workers)).toHaveLength(workers);
      const { whole, inParts, csvFiles } = await wholeAndInParts(path, workers);
      expect(csvFiles).toBe(workers); // it really was read in parts
      expect(inParts).toEqual(whole);
      expect(whole['children']!.split('\n').length).toBeGreaterThan(50);
    });
  }

  it('a later part the plain-XML scanner refuses (a comment, an entity) is read by saxes beside a scanned first part', async () => {
    // In the second half, inside a child: the scanner reads the first part, saxes the second.
    const late = sample.lastIndexOf('<ChildIdentifiers>');
    const xml = `${sample.slice(0, late)}<!-- checked by hand -->${sample.slice(late)}`.replace(
      /<Ethnicity>([A-Z]+)<\/Ethnicity>(?![\s\S]*<Ethnicity>)/,
      '<Ethnicity>&#x41;$1</Ethnicity>',
    );
    expect(xml.indexOf('<!--')).toBeGreaterThan(xml.length / 2);
    expect(xml).toContain('&#x41;');
    const { whole, inParts, csvFiles } = await wholeAndInParts(write('late-comment.xml', xml), 2);
    expect(csvFiles).toBe(2);
    expect(inParts).toEqual(whole);
    // The character reference was read as a parser reads it.
    expect(whole['children']).toMatch(/,A[A-Z]+,/);
  });

  it('CR LF line ends, in parts and whole: the same rows and lines', async () => {
    const crlf = sample.replace(/\n/g, '\r\n');
    const { whole, inParts, csvFiles } = await wholeAndInParts(write('crlf.xml', crlf), 2);
    expect(csvFiles).toBe(2);
    expect(inParts).toEqual(whole);
    const lf = await wholeAndInParts(write('lf.xml', sample), 2);
    expect(whole).toEqual(lf.whole);
  });

  it('reports stray text and unknown elements in a later part at the child and line a whole read gives', async () => {
    const path = write('late-rejects.xml', sampleWithLateRejects());
    const { whole, inParts, csvFiles } = await wholeAndInParts(path, 2);
    expect(csvFiles).toBe(2);
    expect(whole['read rejects']).toMatch(/^2\n/);
    expect(whole['read rejects']).toMatch(/stray words/);
    expect(whole['read rejects']).toMatch(/Mystery/);
    expect(inParts).toEqual(whole);
  });
});

describe('a cut that cannot be trusted sends the file to one worker, whole', () => {
  it('a cut inside a comment: the first part does not end between children, and the file is read whole', async () => {
    // A comment holding "</Child> <Child>" and padded so the planned cut (a little past halfway,
    // censusParts' countingShare) falls inside it: the cut search finds that pair, which the parser
    // never sees as tags.
    const at = sample.indexOf('</Child>') + '</Child>'.length;
    const rest = Math.ceil(sample.length * 1.2) + 100;
    const xml = `${sample.slice(0, at)}\n<!-- ${'x'.repeat(rest)} </Child>\n<Child> -->${sample.slice(at)}`;
    const path = write('comment.xml', xml);
    const [first] = censusParts(path, 2);
    expect(xml.slice(first!.range.end - 20, first!.range.end + 12)).toContain('</Child>\n<Child> -->');
    await expect(
      cinCensusXmlReader.stage(path, { stagingDir: mkdtempSync(join(dir, 'part-')), part: first }),
    ).rejects.toThrow(/does not end between two children/);
    const { whole, inParts, csvFiles } = await wholeAndInParts(path, 2);
    expect(csvFiles).toBe(1);
    expect(inParts).toEqual(whole);
  });

  it('a <Child> in a comment before the cut: the children are numbered from the parser, not the bytes', async () => {
    const at = sample.indexOf('</Child>') + '</Child>'.length;
    const path = write('counted.xml', `${sample.slice(0, at)}<!-- <Child> -->${sample.slice(at)}`);
    const { whole, inParts, csvFiles } = await wholeAndInParts(path, 2);
    expect(csvFiles).toBe(1);
    expect(inParts).toEqual(whole);
  });

  it('broken XML in the second part: the error a whole read gives, line and all', async () => {
    const late = sample.lastIndexOf('</PersonBirthDate>');
    const path = write('broken.xml', `${sample.slice(0, late)}</PersonBirthDat>${sample.slice(late + 18)}`);
    const line = sample.slice(0, late).split('\n').length;
    const pool = new StagingPool(2);
    pools.push(pool);
    const failure = stageCensusInParts(pool, path, mkdtempSync(join(dir, 'broken-')), undefined, upnKey);
    await expect(failure).rejects.toThrow(new RegExp(`line ${line}, column \\d+.*not well-formed`));
  });
});

describe('tallyBefore', () => {
  it('counts <Child> openings, not <ChildIdentifiers> or <ChildProtectionPlans>, and lines', () => {
    // Children: <Child> (1), <Child\n (2), <Child/> (3), <Child id="x"> (4); not the other two. Lines: 3.
    const xml = '<Children><Child>\n<ChildIdentifiers/><Child\n><ChildProtectionPlans/><Child/>\n<Child id="x">';
    const path = write('tally.xml', xml);
    expect(tallyBefore(path, xml.length)).toEqual({ children: 4, lines: 3 });
    // Before the last tag: three children and three lines.
    expect(tallyBefore(path, xml.lastIndexOf('<Child'))).toEqual({ children: 3, lines: 3 });
  });

  it('finds a <Child> that straddles two of its 4 MiB reads', () => {
    const chunk = 4 * 1024 * 1024;
    // "<Child>" starts 3 bytes before the first read ends: it is counted once, with the 2 lines.
    const xml = `\n${' '.repeat(chunk - 4)}<Child>\n<ChildIdentifiers>`;
    const path = write('straddle.xml', xml);
    expect(tallyBefore(path, xml.length)).toEqual({ children: 1, lines: 2 });
  });
});
