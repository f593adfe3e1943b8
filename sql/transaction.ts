import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Runs `work` in one transaction on `c`: committed when it returns, rolled back when it throws,
 * and the error thrown on. DuckDB finds some conflicts only at COMMIT (two transactions inserting
 * one unique key), and a failed COMMIT has already ended the transaction, so the ROLLBACK after it
 * fails ("no transaction is active"): its error is dropped, and the caller sees the commit's.
 */
export async function inTransaction<T>(c: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await c.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await c.run('COMMIT');
    return result;
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Whether a write failed because another transaction wrote the same key first: DuckDB reports it
 * as a constraint violation, or as a conflict when both transactions are open at once. Callers turn
 * it into their own 409 (a commentary or judgement saved twice at the same moment).
 */
export function isWriteConflict(err: unknown): boolean {
  return err instanceof Error && /constraint|conflict/i.test(err.message);
}
