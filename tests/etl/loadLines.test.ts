import { describe, expect, it } from 'vitest';
import { describeLoad, describeTotals } from '../../bin/cli/load.ts';
import type { FileLoadResult } from '../../etl/load/loadFiles.ts';

// What `lscb load` prints for each file and at the end: the counts an operator reads at a glance,
// and where the rejected rows are listed.
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
