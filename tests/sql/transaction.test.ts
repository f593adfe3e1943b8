import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCommentary, CommentaryConflict } from '../../sql/commentary.ts';
import { inTransaction, isWriteConflict } from '../../sql/transaction.ts';
import { Warehouse } from '../../sql/warehouse.ts';

// DuckDB finds some conflicts only at COMMIT (two transactions inserting the same unique key), and
// a failed COMMIT has already ended the transaction: a ROLLBACK after it fails with "no
// transaction is active". Whoever runs a transaction must see the commit's own error.
let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

describe('inTransaction', () => {
  it('commits what the work wrote and returns its result', async () => {
    await warehouse.withConnection(async (c) => {
      await c.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      expect(await inTransaction(c, async () => (await c.run('INSERT INTO t VALUES (1), (2)')).rowsChanged)).toBe(2);
    });
    expect(await warehouse.query('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it('rolls back what the work wrote when it throws, and throws its error on', async () => {
    await warehouse.withConnection(async (c) => {
      await c.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      await expect(
        inTransaction(c, async () => {
          await c.run('INSERT INTO t VALUES (1)');
          throw new Error('refused by the work');
        }),
      ).rejects.toThrow('refused by the work');
    });
    expect(await warehouse.query('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('throws the COMMIT’s own error when the commit fails, not the ROLLBACK’s after it', async () => {
    await warehouse.withConnection(async (a) => {
      await a.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      await warehouse.withConnection(async (b) => {
        // Both insert key 1 in transactions open at once; the second to commit fails there.
        await a.run('BEGIN TRANSACTION');
        await a.run('INSERT INTO t VALUES (1)');
        const second = inTransaction(b, async () => {
          await b.run('INSERT INTO t VALUES (1)');
          await a.run('COMMIT');
        });
        await expect(second).rejects.toThrow(/constraint violation/);
        // …which is what isWriteConflict recognises, and a refusal of the work's own is not.
        expect(isWriteConflict(await second.catch((err: unknown) => err))).toBe(true);
        expect(isWriteConflict(new Error('refused by the work'))).toBe(false);
        expect(isWriteConflict('constraint')).toBe(false);
      });
    });
    expect(await warehouse.query('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 1 }]);
  });
});

describe('two commentary saves on the same version at once', () => {
  it('keeps one and refuses the other as a conflict (409), whichever step finds the clash', async () => {
    const save = (body: string) =>
      addCommentary(warehouse, { quarterEnd: '2025-03-31', body, author: 'officer', baseVersion: 0 });
    const results = await Promise.allSettled([save('first'), save('second')]);
    const kept = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(kept).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(CommentaryConflict);
    expect(await warehouse.query('SELECT version FROM commentary')).toEqual([{ version: 1 }]);
  });
});
