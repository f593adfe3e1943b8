import { countText } from '../../metrics/numberText.ts';

/** The widest a column other than the last is drawn; a longer value is cut, ending in "…". */
const widestColumn = 60;

/**
 * Rows as an aligned plain-text table for a terminal. The last column is never cut: it ends the
 * line, so nothing after it goes out of line, and it is where the long text is (a reject's reason,
 * a DfE rule's message; `last` moves such a column there), nor is a column named in `whole` (a
 * place in a file, whose line number comes at its end). A cut value ends in "…", so it is not read
 * as whole. Counts are aligned on the right, so their magnitudes line up, with thousands
 * separators; an id (a column named `id` or `…_id`) is a name, not a quantity: left, as written, so
 * it can be typed back (`lscb quality --load 10`).
 */
export function textTable(
  rows: Record<string, unknown>[],
  { last: lastName, whole = [] }: { last?: string; whole?: string[] } = {},
): string {
  if (rows.length === 0) return '  (none)';
  const named = Object.keys(rows[0]!);
  const columns = lastName && named.includes(lastName) ? [...named.filter((c) => c !== lastName), lastName] : named;
  // A column of numbers alone, and not named as an id.
  const quantity = columns.map(
    (c) => !/(^|_)id$/.test(c) && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'),
  );
  const cell = (v: unknown, i: number) =>
    v === null || v === undefined ? '' : quantity[i] && Number.isInteger(v) ? countText(v as number) : String(v);
  const last = columns.length - 1;
  const fitted = (text: string, i: number) =>
    i === last || text.length <= widestColumn || whole.includes(columns[i]!)
      ? text
      : `${text.slice(0, widestColumn - 1)}…`;
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => fitted(cell(r[c], i), i).length)));
  const line = (values: string[]) =>
    '  ' +
    values
      .map((v, i) => {
        const text = fitted(v, i);
        return quantity[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c, i) => cell(r[c], i)))),
  ].join('\n');
}
