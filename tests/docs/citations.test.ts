import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractOutline } from '../../client/definitions/contract.ts';
import { projectRoot } from '../../sql/warehouse.ts';

/**
 * The code and tests cite the contract ("METRICS.md §3", DATA.md "What a load must do"). A citation
 * is only worth something if a maintainer can follow it, so each one must land on a heading of
 * docs/METRICS.md or docs/DATA.md, and every document cited must be one the repository holds.
 */

const scannedFolders = ['bin', 'bench', 'client', 'etl', 'metrics', 'report', 'server', 'sql', 'tests', 'docs', '.ci'];
const scannedFiles = ['README.md', 'vite.config.ts', 'vitest.config.ts', 'package.json'];
const textFile = /\.(ts|js|cjs|mjs|sql|html|css|md|json)$|^run$/;
/** Public sample extracts and snapshots are not the project's own words; this file cites on purpose. */
const skipped = new Set(['tests/fixtures', 'tests/charts/__snapshots__', 'tests/docs/citations.test.ts']);

function walk(folder: string): string[] {
  const here = join(projectRoot, folder);
  if (!existsSync(here) || skipped.has(folder)) return [];
  return readdirSync(here).flatMap((name) => {
    const path = `${folder}/${name}`;
    if (statSync(join(projectRoot, path)).isDirectory()) return walk(path);
    return textFile.test(name) && !skipped.has(path) ? [path] : [];
  });
}

const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

interface Source {
  file: string;
  content: string;
}
const sourceFiles = [...scannedFolders.flatMap(walk), ...scannedFiles.filter((f) => existsSync(join(projectRoot, f)))];
const sources: Source[] = sourceFiles.map((file) => ({ file, content: read(file) }));

const contracts = {
  'METRICS.md': contractOutline(read('docs/METRICS.md')),
  'DATA.md': contractOutline(read('docs/DATA.md')),
} as const;
type Contract = keyof typeof contracts;

/** Documents a citation may name, by the name it is cited with, and where each lives. */
const citedDocument = /(?<![\w/-])((?:docs\/)?[A-Z][A-Z-]*\.md|tech-anchors|domain-anchors|seed-requirements)\b/g;
const documentPaths: Record<string, string> = {
  'METRICS.md': 'docs/METRICS.md',
  'DATA.md': 'docs/DATA.md',
  'SECURITY.md': 'docs/SECURITY.md',
  'DECISIONS.md': 'docs/DECISIONS.md',
  'BENCHMARKS.md': 'docs/BENCHMARKS.md',
  'README.md': 'README.md',
  'SOURCES.md': 'data/reference/SOURCES.md',
};

interface Citation {
  file: string;
  line: number;
  text: string;
}

/** Every mention of a document, with the line it is on. */
function documentMentions(from: Source[]): (Citation & { document: string })[] {
  return from.flatMap(({ file, content }) => {
    return [...content.matchAll(citedDocument)].map((m) => ({
      file,
      line: content.slice(0, m.index).split('\n').length,
      document: m[1]!.replace(/^docs\//, ''),
      text: m[1]!,
    }));
  });
}

/**
 * Section citations: `§3`, `§3–5`, `§10-12`. A § belongs to the document named last before it in
 * the preceding 400 characters (so "METRICS.md §3 …; §1 …" cites METRICS.md twice), else to
 * METRICS.md, the contract the code cites by default.
 */
function sectionCitations(from: Source[]): (Citation & { document: string; sections: number[] })[] {
  return from.flatMap(({ file, content }) => {
    return [...content.matchAll(/§ ?(\d+)(?:\.\d+)?(?: ?[–-] ?§?(\d+))?/g)].map((m) => {
      const before = content.slice(Math.max(0, m.index - 400), m.index);
      const named = [...before.matchAll(citedDocument)].at(-1)?.[1]?.replace(/^docs\//, '') ?? 'METRICS.md';
      const first = Number(m[1]);
      const last = m[2] === undefined ? first : Number(m[2]);
      const sections = Array.from({ length: Math.max(1, last - first + 1) }, (_, i) => first + i);
      return {
        file,
        line: content.slice(0, m.index).split('\n').length,
        text: `${named} ${m[0].trim()}`,
        document: named,
        sections,
      };
    });
  });
}

/** `DATA.md "Identity and merging across files"`: a section cited by its title (no colon: a quote has one). */
function titleCitations(from: Source[]): (Citation & { document: Contract; title: string })[] {
  return from.flatMap(({ file, content }) => {
    return [...content.matchAll(/(?<![\w/-])(?:docs\/)?(METRICS\.md|DATA\.md) ["“]([^"”\n]+)["”]/g)].map((m) => ({
      file,
      line: content.slice(0, m.index).split('\n').length,
      text: m[0],
      document: m[1] as Contract,
      title: m[2]!,
    }));
  });
}

/** `[text](target)` or `[text](target#anchor)`: the target. */
const markdownLink = /\]\(([^)#\s]+)(?:#[^)]*)?\)/g;

const where = (c: Citation) => `${c.file}:${c.line} ${c.text}`;

const numberedSection = (document: Contract, n: number) =>
  contracts[document].headings.some((h) => h.depth === 2 && h.number === String(n));

/** Section citations of METRICS.md or DATA.md naming a number that is no numbered section there. */
function unresolvedSections(from: Source[]): string[] {
  return sectionCitations(from)
    .filter((c): c is typeof c & { document: Contract } => c.document in contracts)
    .filter((c) => c.sections.some((n) => !numberedSection(c.document, n)))
    .map(where);
}

function unresolvedTitles(from: Source[]): string[] {
  return titleCitations(from)
    .filter((c) => !contracts[c.document].headings.some((h) => h.title.toLowerCase() === c.title.toLowerCase()))
    .map(where);
}

/** Mentions of a document the repository does not hold. */
function missingDocuments(from: Source[]): string[] {
  return documentMentions(from)
    .filter((m) => {
      const path = documentPaths[m.document];
      return path === undefined || !existsSync(join(projectRoot, path));
    })
    .map(where);
}

describe('citations of the contract resolve to docs/', () => {
  it('finds the citations it checks (the scan is not empty)', () => {
    expect(sources.map((s) => s.file)).toContain('sql/metrics/prevalence.sql');
    expect(sectionCitations(sources).filter((c) => c.document === 'METRICS.md').length).toBeGreaterThan(100);
    expect(titleCitations(sources).length).toBeGreaterThan(3);
  });

  it('every METRICS.md and DATA.md § citation names a numbered section of that document', () => {
    expect(unresolvedSections(sources)).toEqual([]);
  });

  it('every section cited by title is a heading of that document', () => {
    expect(unresolvedTitles(sources)).toEqual([]);
  });

  it('every document cited is one the repository holds (no ../shared notes, no folded METRICS-LOCAL.md)', () => {
    expect(missingDocuments(sources)).toEqual([]);
  });

  it('every relative link in the docs and the README opens a file of the repository', () => {
    const broken = sources
      .filter(({ file }) => file.endsWith('.md'))
      .flatMap(({ file, content }) => [...content.matchAll(markdownLink)].map((m) => ({ file, target: m[1]! })))
      .filter(({ target }) => !/^[a-z]+:/.test(target))
      .filter(({ file, target }) => !existsSync(resolve(projectRoot, dirname(file), target)))
      .map(({ file, target }) => `${file} → ${relative(projectRoot, resolve(projectRoot, dirname(file), target))}`);
    expect(broken).toEqual([]);
  });

  it('catches what it is there to catch', () => {
    const madeUp: Source = {
      file: 'made-up.sql',
      content: [
        '-- METRICS.md §99: no such section; §3 is fine; §14–17: 17 is none.',
        '-- DATA.md "How to bake bread" is no heading; DATA.md "What a load must do" is one.',
        '-- DATA.md §3, tech-anchors §5.1, METRICS-LOCAL.md §1',
      ].join('\n'),
    };
    expect(unresolvedSections([madeUp])).toEqual(['made-up.sql:1 METRICS.md §99', 'made-up.sql:1 METRICS.md §14–17']);
    expect(unresolvedTitles([madeUp])).toEqual(['made-up.sql:2 DATA.md "How to bake bread"']);
    expect(missingDocuments([madeUp])).toEqual(['made-up.sql:3 tech-anchors', 'made-up.sql:3 METRICS-LOCAL.md']);
  });
});
