import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../sql/warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:', { maxConcurrent: 2 });
});
afterAll(() => warehouse.close());

describe('Warehouse: bounded concurrency', () => {
  it('lets at most maxConcurrent units of work hold a connection at once', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        warehouse.withConnection(async (c) => {
          inside += 1;
          most = Math.max(most, inside);
          await c.run('SELECT count(*) FROM range(200000)');
          await new Promise((r) => setTimeout(r, 10));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(2);
  });

  it('does not deadlock when a unit of work opens another inside itself', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        warehouse.withConnection(async () =>
          warehouse.withConnection(
            async (inner) => (await inner.runAndReadAll('SELECT 42::INTEGER AS n')).getRowObjectsJson()[0]!['n'],
          ),
        ),
      ),
    );
    expect(results).toEqual([42, 42, 42, 42]);
  });
});
