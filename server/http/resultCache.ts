import type { Warehouse } from '../../sql/warehouse.ts';

/**
 * Board figures are the same for everyone with the same role until the data changes, and a pack
 * costs hundreds of milliseconds to compute, so results are kept per warehouse data version
 * (Mosaic's data server keeps a query cache for the same reason). Promises are cached, so twenty
 * users asking at once compute a pack once.
 */
export class ResultCache {
  private entries = new Map<string, Promise<unknown>>();
  private version = -1;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly maxEntries = 500,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.version !== this.warehouse.dataVersion) {
      this.entries.clear();
      this.version = this.warehouse.dataVersion;
    }
    const hit = this.entries.get(key);
    if (hit) {
      // Least recently used goes first when full: re-insert moves the key to the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as Promise<T>;
    }
    const result = compute();
    this.entries.set(key, result);
    // A failed computation is not remembered.
    result.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}
