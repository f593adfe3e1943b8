import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../sql/warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterAll(() => warehouse.close());

const band = async (birth: string | null, at: string) =>
  (await warehouse.query(`SELECT age_band_at(${birth ? `DATE '${birth}'` : 'NULL::DATE'}, DATE '${at}') AS band`))[0]![
    'band'
  ];

describe('METRICS.md §1 age: "completed years from birth date"', () => {
  it('a child born on a leap day completes a year on 1 March in common years', async () => {
    expect(await band('2020-02-29', '2025-02-28')).toBe('1_4'); // 4 until 1 March 2025
    expect(await band('2020-02-29', '2025-03-01')).toBe('5_9');
    expect(await band('2024-02-29', '2025-02-28')).toBe('under_1');
  });

  it('"A child with no birth date, or a birth date after d, is unborn at d"', async () => {
    expect(await band(null, '2025-03-31')).toBe('unborn');
    expect(await band('2025-04-01', '2025-03-31')).toBe('unborn');
    expect(await band('2025-03-31', '2025-03-31')).toBe('under_1');
  });

  it('places the band edges at 1, 5, 10 and 16 completed years', async () => {
    expect(await band('2024-03-31', '2025-03-31')).toBe('1_4');
    expect(await band('2015-04-01', '2025-03-31')).toBe('5_9');
    expect(await band('2015-03-31', '2025-03-31')).toBe('10_15');
    expect(await band('2009-03-31', '2025-03-31')).toBe('16_plus');
  });
});
