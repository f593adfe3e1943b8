import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Query results shared within one piece of work, as Mosaic's Coordinator shares them between the
 * views that ask the same query: precomputing a quarter (metrics/precomputed.ts) builds the board
 * and the officer pack and two scorecards, which run the same metric queries over the same
 * periods; inside `sharingQueryResults` each runs once. Outside it nothing is kept, so no result
 * outlives the data it was read from.
 */
type Rows = Record<string, unknown>[];
const scope = new AsyncLocalStorage<Map<string, Promise<Rows>>>();

/** Runs `work` with one query result per distinct query (name, periods, parameters) in it. */
export function sharingQueryResults<T>(work: () => Promise<T>): Promise<T> {
  return scope.run(new Map(), work);
}

/** `run`'s rows, or those of the same query already run in this scope (a copy: callers may edit theirs). */
export async function sharedQueryResult(key: string, run: () => Promise<Rows>): Promise<Rows> {
  const shared = scope.getStore();
  if (!shared) return run();
  let rows = shared.get(key);
  if (!rows) {
    rows = run();
    shared.set(key, rows);
    // A failed query is not remembered: the next asker runs it again and sees its own error.
    rows.catch(() => shared.delete(key));
  }
  return structuredClone(await rows);
}
