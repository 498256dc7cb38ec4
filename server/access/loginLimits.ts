/**
 * Failed-login bookkeeping: growing delays per address and per account, in maps of bounded size.
 * A delay refuses further tries from that key until it ends; it never blocks an account's owner
 * elsewhere: the account-wide delay needs failures from many addresses, and an address that
 * logged in as that account before is exempt from it.
 */

export interface LimitPolicy {
  /** Failures allowed before the first delay. */
  free: number;
  /** The first delay; each further failure doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** A key with no failure for this long is forgotten. */
  forgetMs: number;
  /** Most keys kept; the one that failed longest ago goes first. */
  maxEntries: number;
}

interface Entry {
  failures: number;
  lastAt: number;
  until: number;
}

/** One kind of key (addresses, accounts): a Map kept in last-failure order, so its oldest is first. */
export class FailureBook {
  private readonly map = new Map<string, Entry>();
  constructor(private readonly policy: LimitPolicy) {}

  get size(): number {
    return this.map.size;
  }

  /** How long `key` must still wait before its next try counts (0: it may try now). */
  waitMs(key: string, now: number): number {
    const e = this.live(key, now);
    return e && e.until > now ? e.until - now : 0;
  }

  fail(key: string, now: number): void {
    const e = this.live(key, now) ?? { failures: 0, lastAt: now, until: 0 };
    e.failures += 1;
    e.lastAt = now;
    const over = e.failures - this.policy.free;
    e.until = over > 0 ? now + Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(over - 1, 30)) : 0;
    // Re-inserted at the end: the map stays in last-failure order, and pruning reads it from the front.
    this.map.delete(key);
    this.map.set(key, e);
    this.prune(now);
  }

  clear(key: string): void {
    this.map.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.map.get(key);
    if (e && now - e.lastAt > this.policy.forgetMs) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }

  private prune(now: number): void {
    for (const [key, e] of this.map) {
      if (this.map.size <= this.policy.maxEntries && now - e.lastAt <= this.policy.forgetMs) break;
      this.map.delete(key);
    }
  }
}

/** Per address: 10 free failures (any usernames), then 1 s doubling to 5 min; 10,000 addresses kept. */
export const ADDRESS_POLICY: LimitPolicy = {
  free: 10,
  baseMs: 1_000,
  maxMs: 5 * 60_000,
  forgetMs: 60 * 60_000,
  maxEntries: 10_000,
};
/** Per account, from all addresses together: 20 free failures, then 1 s doubling to 60 s (a slow-down, not a lock). */
export const ACCOUNT_POLICY: LimitPolicy = {
  free: 20,
  baseMs: 1_000,
  maxMs: 60_000,
  forgetMs: 60 * 60_000,
  maxEntries: 10_000,
};
/** Addresses remembered per account as its owner's (exempt from the account-wide delay). */
const KNOWN_PER_ACCOUNT = 16;

export type LoginVerdict = { ok: true } | { ok: false; retryAfterMs: number; by: 'address' | 'account' };

export class LoginLimits {
  readonly addresses: FailureBook;
  readonly accounts: FailureBook;
  /** Per account, the addresses it logged in from, oldest first (bounded by the config's users × 16). */
  private readonly known = new Map<string, string[]>();

  constructor(addressPolicy = ADDRESS_POLICY, accountPolicy = ACCOUNT_POLICY) {
    this.addresses = new FailureBook(addressPolicy);
    this.accounts = new FailureBook(accountPolicy);
  }

  /** Whether a try may be checked now; a refused one is not checked at all (no password work). */
  check(account: string, address: string, now: number): LoginVerdict {
    const byAddress = this.addresses.waitMs(address, now);
    if (byAddress > 0) return { ok: false, retryAfterMs: byAddress, by: 'address' };
    if (!this.known.get(account)?.includes(address)) {
      const byAccount = this.accounts.waitMs(account, now);
      if (byAccount > 0) return { ok: false, retryAfterMs: byAccount, by: 'account' };
    }
    return { ok: true };
  }

  /**
   * `account` is the name as typed, known or not: an unknown name is slowed like a known one, so
   * neither its time nor its refusals tell whether the account exists (the map is bounded anyway).
   */
  failed(account: string, address: string, now: number): void {
    this.addresses.fail(address, now);
    this.accounts.fail(account, now);
  }

  /**
   * Remembers the owner's address. Counters are not cleared: a caller with one valid account could
   * otherwise reset its address's count between guesses at another; they fade after `forgetMs`.
   */
  succeeded(account: string, address: string): void {
    const list = (this.known.get(account) ?? []).filter((a) => a !== address);
    list.push(address);
    if (list.length > KNOWN_PER_ACCOUNT) list.shift();
    this.known.set(account, list);
  }
}
