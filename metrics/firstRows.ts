/**
 * A list read with a limit, asked for one row more than it shows, so a list that was cut can say so
 * instead of looking complete: the first `limit` rows, and whether there were more.
 */
export async function firstRows<T>(
  limit: number,
  read: (asked: number) => Promise<T[]>,
): Promise<{ rows: T[]; more: boolean }> {
  const rows = await read(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
