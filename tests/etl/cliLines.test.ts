import { describe, expect, it } from 'vitest';
import { describeLoad, describeTotals } from '../../bin/cli/load.ts';
import { textTable } from '../../bin/cli/textTable.ts';
import type { FileLoadResult } from '../../etl/load/loadFiles.ts';

// What the command line prints: `lscb load`'s line for each file and its closing line (the counts an
// operator reads at a glance, and where the rejected rows are listed), and the tables of the other
// commands.
const censusYear: FileLoadResult = {
  file: '/extracts/CIN_Census_2026.xml',
  status: 'loaded',
  format: 'cin-census-xml',
  loadId: 7,
  rowsRead: 2_750_412,
  rowsAccepted: 2_750_355,
  rowsRejected: 57,
  rowsMerged: 2_750_355,
};

describe('lscb load’s lines', () => {
  it('writes counts with thousands separators, as the closing line does', () => {
    expect(describeLoad(censusYear)).toBe(
      'loaded   CIN_Census_2026.xml (cin-census-xml): 2,750,412 read, 2,750,355 accepted, 57 rejected, ' +
        '2,750,355 merged (the rejected rows: lscb quality --load 7)',
    );
    expect(describeTotals([censusYear], 31.96)).toBe(
      'done     1 file (1 loaded, 0 skipped, 0 failed): 2,750,412 rows read, 2,750,355 accepted, 57 rejected, in 32.0 s',
    );
  });

  it('names no rejected rows when there are none', () => {
    expect(describeLoad({ ...censusYear, rowsRead: 12, rowsAccepted: 12, rowsRejected: 0, rowsMerged: 12 })).toBe(
      'loaded   CIN_Census_2026.xml (cin-census-xml): 12 read, 12 accepted, 0 rejected, 12 merged',
    );
  });
});

describe('the command line’s tables (lscb quality, validate, users, indicators)', () => {
  const rule =
    'A referral dated before the last working day before the census year began is marked as no further action. (DfE rule 8569)';
  const rows = [
    { load_id: 10, file: 'CIN_Census_2026.xml', reason: rule, rows: 2 },
    { load_id: 9, file: 'x'.repeat(70), reason: 'not a real date', rows: 1_234_567 },
  ];

  it('never cuts the last column, which holds the long text, and can move that column there', () => {
    const table = textTable(rows, { last: 'reason' }).split('\n');
    expect(table[0]).toMatch(/^ {2}load_id {2}file +rows {2}reason$/);
    // The rule's message whole, with its code at the end; a value cut short ends in "…" (70 → 60 characters).
    expect(table[2]).toContain(rule);
    expect(table[3]).toContain(`${'x'.repeat(59)}…  1,234,567  not a real date`);
  });

  it('writes counts right-aligned with separators and ids as written', () => {
    const table = textTable(rows).split('\n');
    // rows: "1,234,567" is 9 characters, so "2" is padded to 9 on the left.
    expect(table[2]).toMatch(/^ {2}10 {7}CIN_Census_2026\.xml/);
    expect(table[2]!.endsWith(`${' '.repeat(8)}2`)).toBe(true);
    expect(table[3]!.endsWith('1,234,567')).toBe(true);
    expect(textTable([{ id: 1234, name: 'a' }])).toContain('1234');
    expect(textTable([])).toBe('  (none)');
  });
});
