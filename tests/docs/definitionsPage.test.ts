// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractOutline } from '../../client/definitions/contract.ts';
import { definitionHref } from '../../client/definitions/link.ts';
import { renderDefinitions } from '../../client/definitions/render.ts';

/**
 * The definitions page is docs/METRICS.md rendered at build time: every section and figure gets the
 * anchor contract.ts promises (the citation test and the pack's links rely on them).
 */

const projectRoot = join(import.meta.dirname, '../..');
const markdown = readFileSync(join(projectRoot, 'docs/METRICS.md'), 'utf8');
const outline = contractOutline(markdown);

describe('the definitions page rendered from docs/METRICS.md', () => {
  const page = new DOMParser().parseFromString(renderDefinitions(markdown), 'text/html');
  const ids = [...page.querySelectorAll('[id]')].map((element) => element.id);

  it('gives every section, heading and figure the anchor the outline promises, once', () => {
    const promised = [...outline.headings.map((h) => h.id), ...outline.figures.map((f) => f.id)];
    expect(promised.filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('puts each figure anchor on the item that defines it', () => {
    const item = page.getElementById('prevalence.cp_open_hidden_neglect')!;
    expect(item.tagName).toBe('LI');
    expect(item.textContent).toMatch(/^cp_open_hidden_neglect: children with a CP plan open at the as-at date/);
    expect(page.getElementById('section-7')!.textContent).toBe('7. Small numbers (board outputs)');
  });

  it('opens with a list of the sections, each linking to its anchor', () => {
    const links = [...page.querySelectorAll('nav.contents a')].map((a) => a.getAttribute('href'));
    expect(links).toHaveLength(outline.headings.filter((h) => h.depth === 2).length);
    expect(links.filter((href) => !ids.includes(href!.slice(1)))).toEqual([]);
  });

  it('leaves out the preamble written for maintainers', () => {
    expect(page.body.textContent).not.toContain('citations.test.ts');
  });

  it('links a figure path of the metrics object to its definition', () => {
    expect(definitionHref('prevalence.cp_open_rate_per_10k')).toBe('./definitions.html#prevalence.cp_open');
    expect(definitionHref('drift.cp_open_by_duration.2y_plus')).toBe('./definitions.html#drift.cp_open_by_duration');
    for (const figure of outline.figures) expect(ids).toContain(definitionHref(figure.id).split('#')[1]);
  });
});
