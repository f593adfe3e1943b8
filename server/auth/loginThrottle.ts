export interface ThrottleLimits {
  /** Failed sign-ins of one account from one address before each further attempt must wait. */
  freeFailures: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** The first wait; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Failures from one address across accounts, or against one account across addresses, before
   * that address or account is slowed too, except for the account-and-address pairs that have
   * signed in successfully before.
   */
  broadFailures: number;
  /** How long a successful sign-in from an address keeps that pair exempt from the broad limits. */
  knownPairMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  freeFailures: 5,
  windowMs: 15 * 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  broadFailures: 20,
  knownPairMs: 30 * 24 * 60 * 60_000,
};

/** Beyond this many keys the oldest are forgotten, so a flood of made-up names cannot exhaust memory. */
const maxKeys = 50_000;

export interface SignInAttempt {
  username: string;
  address: string;
}

/**
 * Slows guessing without letting a guesser lock the real user out (docs/SECURITY.md, "Signing in").
 *
 * The unit is the account-and-address pair: after a few failures each further attempt from that
 * address at that account waits, twice as long each time. Someone guessing the admin's password from
 * their own machine slows only themselves; the admin at their desk signs in as usual. Two broader
 * counts catch guessing spread out: many accounts from one address, or one account from many
 * addresses. They slow only pairs that have not signed in successfully before, so colleagues behind
 * one council address, or the account's owner, are not denied by someone else's failures.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly knownPairs = new Map<string, number>();

  constructor(
    readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whole seconds until this attempt may be made; 0 when it may be made now. */
  retryAfterSeconds(attempt: SignInAttempt): number {
    const now = this.clock();
    const keys = this.keys(attempt);
    let waitMs = this.waitMs(keys.pair, this.limits.freeFailures, now);
    if (!this.isKnown(keys.pair, now)) {
      waitMs = Math.max(
        waitMs,
        this.waitMs(keys.address, this.limits.broadFailures, now),
        this.waitMs(keys.account, this.limits.broadFailures, now),
      );
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** Counts a failure, in advance of the (slow) password check; returns its time, for succeeded(). */
  recordFailure(attempt: SignInAttempt): number {
    const now = this.clock();
    for (const key of Object.values(this.keys(attempt))) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key); // re-inserted last, so eviction takes the least recently failed key
      this.failures.set(key, recent);
    }
    if (this.failures.size > maxKeys) this.evict(now);
    return now;
  }

  /** The attempt counted at `at` succeeded: take it back, clear the pair and remember it as known. */
  succeeded(attempt: SignInAttempt, at: number): void {
    const keys = this.keys(attempt);
    for (const key of [keys.address, keys.account]) {
      const times = this.failures.get(key);
      const index = times?.indexOf(at) ?? -1;
      if (times && index >= 0) times.splice(index, 1);
    }
    this.failures.delete(keys.pair);
    this.knownPairs.delete(keys.pair);
    this.knownPairs.set(keys.pair, this.clock());
    if (this.knownPairs.size > maxKeys) this.knownPairs.delete(this.knownPairs.keys().next().value!);
  }

  private keys(attempt: SignInAttempt): { pair: string; address: string; account: string } {
    return {
      pair: `pair:${attempt.username}\u0000${attempt.address}`,
      address: `address:${attempt.address}`,
      account: `account:${attempt.username}`,
    };
  }

  private isKnown(pairKey: string, now: number): boolean {
    const at = this.knownPairs.get(pairKey);
    return at !== undefined && now - at < this.limits.knownPairMs;
  }

  /** Free attempts first; then the wait since the last failure doubles with each failure past them. */
  private waitMs(key: string, free: number, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < free) return 0;
    const delay = Math.min(this.limits.baseDelayMs * 2 ** (recent.length - free), this.limits.maxDelayMs);
    return Math.max(0, recent[recent.length - 1]! + delay - now);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.limits.windowMs);
  }

  private evict(now: number): void {
    for (const [key, times] of this.failures)
      if (times.every((at) => now - at >= this.limits.windowMs)) this.failures.delete(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= maxKeys) break;
      this.failures.delete(key);
    }
  }
}
