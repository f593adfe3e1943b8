import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * SVG snapshots in the manner of Observable Plot's test/plot-test: each chart is rendered from
 * fixed data, pretty-printed and compared exactly with a committed file in __snapshots__. A
 * missing file is written (so a new test records its first snapshot), except in CI, where it fails:
 * a snapshot written on the CI machine and thrown away would let any output pass. UPDATE_SNAPSHOTS=1
 * rewrites them all after an intended change. The files are standalone SVGs a reviewer can open.
 */

const snapshotDir = join(dirname(fileURLToPath(import.meta.url)), '__snapshots__');

export const updateCommand = 'UPDATE_SNAPSHOTS=1 npx vitest run tests/charts';

export function expectSvgSnapshot(node: Element, name: string): void {
  compareSnapshot(serializeSvg(node), join(snapshotDir, `${name}.svg`));
}

/** CI services set CI (to "true", most of them); "false" or "0" is someone turning it off. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Compares `actual` with the snapshot in `file`: 'matched', or a failed expectation saying it
 * differs. A missing file is written ('written'), or in CI fails with the command that creates it;
 * UPDATE_SNAPSHOTS=1 always writes.
 */
export function compareSnapshot(
  actual: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): 'matched' | 'written' {
  const update = env['UPDATE_SNAPSHOTS'] === '1';
  if (!update && existsSync(file)) {
    const message = `${basename(file)} differs from its snapshot; rerun with UPDATE_SNAPSHOTS=1 if the change is intended`;
    expect(actual, message).toBe(readFileSync(file, 'utf8'));
    return 'matched';
  }
  if (!update && inCi(env)) {
    throw new Error(
      `${basename(file)} has no snapshot, and CI does not write one. Create it with \`${updateCommand}\`, ` +
        'review the new file and commit it.',
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, actual);
  return 'written';
}

/** One element per line, attributes in document order, long decimals cut to 2 places. */
export function serializeSvg(node: Element): string {
  return `${serializeElement(node, 0).join('\n')}\n`;
}

function serializeElement(element: Element, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const attributes = [...element.attributes]
    .map((a) => ` ${a.name}="${escapeAttribute(normaliseNumbers(a.value))}"`)
    .join('');
  const open = `${indent}<${element.tagName}${attributes}`;
  const children = [...element.childNodes].filter(
    (child) => child.nodeType === 1 || (child.nodeType === 3 && child.textContent !== ''),
  );
  if (children.length === 0) return [`${open}/>`];
  if (children.every((child) => child.nodeType === 3)) {
    return [`${open}>${escapeText(children.map((child) => child.textContent ?? '').join(''))}</${element.tagName}>`];
  }
  const lines = [`${open}>`];
  for (const child of children) {
    if (child.nodeType === 1) lines.push(...serializeElement(child as Element, depth + 1));
    else lines.push(`${indent}  ${escapeText(child.textContent ?? '')}`);
  }
  lines.push(`${indent}</${element.tagName}>`);
  return lines;
}

// Platform maths may differ in the last bits of a float; two places is far finer than a pixel.
function normaliseNumbers(value: string): string {
  return value.replace(/-?\d+\.\d{3,}/g, (n) => {
    const rounded = Math.round(Number(n) * 100) / 100;
    return String(rounded === 0 ? 0 : rounded);
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---------------------------------------------------------------------------------------------
// Checks every chart test makes, independent of the snapshot.

/** The chart's aria-labelledby names its own <title> and <desc>, both with text. */
export function expectTitleAndDesc(svg: SVGSVGElement): { title: string; desc: string } {
  const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
  expect(ids).toHaveLength(2);
  const [titleEl, descEl] = ids.map((id) => svg.querySelector(`[id="${id}"]`));
  expect(titleEl?.tagName).toBe('title');
  expect(descEl?.tagName).toBe('desc');
  expect(titleEl?.parentNode).toBe(svg);
  expect(descEl?.parentNode).toBe(svg);
  const title = titleEl?.textContent ?? '';
  const desc = descEl?.textContent ?? '';
  expect(title.length).toBeGreaterThan(0);
  expect(desc.length).toBeGreaterThan(0);
  return { title, desc };
}

/** No attribute anywhere holds NaN, undefined, null or Infinity: the marks of a broken scale. */
export function expectNoBadNumbers(svg: Element): void {
  const bad: string[] = [];
  for (const element of [svg, ...svg.querySelectorAll('*')]) {
    for (const attribute of element.attributes) {
      if (/NaN|undefined|null|Infinity/.test(attribute.value))
        bad.push(`<${element.tagName} ${attribute.name}="${attribute.value}">`);
    }
  }
  expect(bad).toEqual([]);
}

/** Every id in the chart is unique within it and every url(#…) reference resolves. */
export function expectIdsResolve(svg: Element): void {
  const ids = [...svg.querySelectorAll('[id]')].map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const element of svg.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      for (const match of attribute.value.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(match[1]);
    }
  }
}
