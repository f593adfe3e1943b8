import { availableParallelism } from 'node:os';
import type { Warehouse } from '../../sql/warehouse.ts';

/** At most `width` tasks at once; the rest wait their turn in order. */
class Lane {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly width: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.width) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Board figures are the same for everyone with the same role until the data changes, and a pack
 * costs hundreds of milliseconds to compute, so results are kept per warehouse data version
 * (Mosaic's data server keeps a query cache for the same reason). Promises are cached, so twenty
 * users asking at once compute a pack once.
 */
export class ResultCache {
  private entries = new Map<string, Promise<unknown>>();
  private version = -1;
  /**
   * Computations (a pack, a 20-year trend) run one at a time on top of each other's cores at most:
   * four long trends at once would take every DuckDB thread and the event loop's turns, and a quick
   * request (a cached figure, the access log's row) would wait seconds behind them (issue 15).
   */
  private readonly computing: Lane;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly maxEntries = 500,
    heavyAtOnce = Math.max(1, availableParallelism() - 1),
  ) {
    this.computing = new Lane(heavyAtOnce);
  }

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
    const result = this.computing.run(compute);
    this.entries.set(key, result);
    // A failed computation is not remembered.
    result.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}
