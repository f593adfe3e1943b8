/**
 * The outline of a contract document (docs/METRICS.md, docs/DATA.md): its headings and, in
 * METRICS.md, the figures each section defines. The definitions page and the citation test read the
 * documents through this one outline, so an anchor the page renders is one the test can resolve.
 */

export interface ContractHeading {
  depth: number;
  /** The section number of a numbered heading (`## 3. Prevalence` → '3'), else null. */
  number: string | null;
  /** The heading's words without its number or family (`Prevalence`). */
  title: string;
  /** The JSON section a numbered heading names (`## 3. Prevalence (`prevalence`)` → 'prevalence'). */
  family: string | null;
  /** The anchor the definitions page gives it. */
  id: string;
}

export interface ContractFigure {
  family: string;
  key: string;
  /** The anchor: the figure's path in the metrics object, `prevalence.cp_open`. */
  id: string;
}

export interface ContractOutline {
  headings: ContractHeading[];
  figures: ContractFigure[];
}

const headingLine = /^(#{2,4}) +(.+?) *$/;
const numbered = /^(\d+)\. +(.+)$/;
const familyName = /^(.+?) *\(`([a-z_]+)`\)$/;
/** A list item that defines a figure starts with its key in a code span: "- `cp_open`: children …". */
const figureItem = /^ *- `([a-z0-9_]+)`/;

export const figureKeyPattern = /^[a-z0-9_]+$/;

/** GitHub-style slug, so `#open-at-a-date` means the same on the page and in the repository. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`'’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const sectionId = (number: string): string => `section-${number}`;
export const figureId = (family: string, key: string): string => `${family}.${key}`;

/** Reads one heading's text (without its #s). */
export function parseHeading(text: string, depth: number): ContractHeading {
  const [, number = null, rest = text] = numbered.exec(text) ?? [];
  const [, title = rest, family = null] = familyName.exec(rest) ?? [];
  const id = depth === 2 && number !== null ? sectionId(number) : slug(title);
  return { depth, number, title: title.replace(/`/g, ''), family, id };
}

export function contractOutline(markdown: string): ContractOutline {
  const headings: ContractHeading[] = [];
  const figures: ContractFigure[] = [];
  let family: string | null = null;
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    const heading = headingLine.exec(line);
    if (heading) {
      const parsed = parseHeading(heading[2]!, heading[1]!.length);
      headings.push(parsed);
      if (parsed.depth === 2) family = parsed.family;
      continue;
    }
    const item = figureItem.exec(line);
    if (item && family) figures.push({ family, key: item[1]!, id: figureId(family, item[1]!) });
  }
  return { headings, figures };
}
