/**
 * Lists read with a limit, each asked for one row more than it shows, so a list that was cut can say
 * so instead of looking complete. `cut` names every list that had more rows, with its limit: the
 * data-quality API's and `lscb quality --json`'s `cut_at_limit`.
 */
export class ListsAtLimit {
  readonly cut: Record<string, number> = {};

  /** The first `limit` rows `read` gives when asked for `limit + 1`; `name` goes in `cut` if there were more. */
  async list<T>(name: string, limit: number, read: (asked: number) => Promise<T[]>): Promise<T[]> {
    const rows = await read(limit + 1);
    if (rows.length > limit) this.cut[name] = limit;
    return rows.slice(0, limit);
  }

  /** Whether any list was cut. */
  get anyCut(): boolean {
    return Object.keys(this.cut).length > 0;
  }
}
