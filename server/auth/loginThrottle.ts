export interface ThrottleLimits {
  /** Failed sign-ins allowed per key within the window; the next attempt is refused with 429. */
  maxFailures: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = { maxFailures: 5, windowMs: 15 * 60_000 };

/** Beyond this many keys the oldest are forgotten, so a flood of made-up names cannot exhaust memory. */
const maxKeys = 50_000;

/**
 * Failed sign-ins counted per client address and per username over a sliding window, in memory.
 * Per address slows one machine guessing many accounts; per username slows many machines guessing
 * one account.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whole seconds until any of these keys may try again; 0 when none is blocked. */
  retryAfterSeconds(keys: string[]): number {
    const now = this.clock();
    let waitMs = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length < this.limits.maxFailures) continue;
      // The attempt is allowed again once enough failures leave the window to drop below the limit.
      const unblocking = recent[recent.length - this.limits.maxFailures]!;
      waitMs = Math.max(waitMs, unblocking + this.limits.windowMs - now);
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** Counts a failure against each key; returns its time, for forgive(). */
  recordFailure(keys: string[]): number {
    const now = this.clock();
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key); // re-inserted last, so eviction takes the least recently failed key
      this.failures.set(key, recent);
    }
    if (this.failures.size > maxKeys) this.evict(now);
    return now;
  }

  /** Takes back one failure recorded at `at`: an attempt counted in advance that then succeeded. */
  forgive(key: string, at: number): void {
    const times = this.failures.get(key);
    const index = times?.indexOf(at) ?? -1;
    if (times && index >= 0) times.splice(index, 1);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.limits.windowMs);
  }

  private evict(now: number): void {
    for (const [key, times] of this.failures) if (times.every((at) => now - at >= this.limits.windowMs)) this.failures.delete(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= maxKeys) break;
      this.failures.delete(key);
    }
  }
}
