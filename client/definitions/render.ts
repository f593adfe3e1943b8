import { Marked, type Tokens } from 'marked';
import { contractOutline, figureId, figureKeyPattern, parseHeading } from './contract.ts';

/**
 * docs/METRICS.md as the HTML of the product's definitions page, run at build time (see
 * vitePlugin.ts), so the page a board member reads is the contract the SQL cites, word for word.
 * The page starts at the first numbered section: the document's preamble speaks to maintainers.
 * Numbered sections get `section-N` anchors, other headings their slug, and every figure its path
 * in the metrics object (`#prevalence.cp_open`), the same anchors contract.ts gives the tests.
 */
export function renderDefinitions(markdown: string): string {
  const start = markdown.search(/^## /m);
  const body = start < 0 ? markdown : markdown.slice(start);
  let family: string | null = null;
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading): string {
        const heading = parseHeading(text, depth);
        if (depth === 2) family = heading.family;
        return `<h${depth} id="${heading.id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      listitem(item: Tokens.ListItem): string {
        const id = family ? definedKey(item) : undefined;
        const anchor = id && family ? ` id="${figureId(family, id)}"` : '';
        return `<li${anchor}>${this.parser.parse(item.tokens)}</li>\n`;
      },
      // The documents hold no HTML of their own; anything that looks like it is shown as text.
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
    },
  });
  return renderContents(body) + marked.parse(body, { async: false });
}

/** A list of the numbered sections, linked, for a page too long to scroll through. */
function renderContents(markdown: string): string {
  const sections = contractOutline(markdown).headings.filter((h) => h.depth === 2 && h.number !== null);
  const items = sections.map((h) => `<li><a href="#${h.id}">${escapeHtml(h.title)}</a></li>`).join('\n');
  return `<nav class="contents" aria-label="Sections">\n<ol>\n${items}\n</ol>\n</nav>\n`;
}

/** The figure key a list item defines: its first words, when they are a key in a code span. */
function definedKey(item: Tokens.ListItem): string | undefined {
  const first = item.tokens[0];
  const lead = first && 'tokens' in first ? first.tokens?.[0] : undefined;
  return lead?.type === 'codespan' && figureKeyPattern.test(lead.text) ? lead.text : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
