/**
 * Per-resource modify indexes and the waiters blocked on them: the heart of Consul's blocking
 * queries. Every write takes the next index and stamps it on the keys it touched; a reader blocked
 * at index N on some keys wakes only when one of those keys moves past N, so a change to one
 * service never wakes the watchers of another.
 */
export class KeyIndex {
  readonly #indexes = new Map<string, number>();
  readonly #waiters = new Map<string, Set<() => void>>();

  /** The modify index of `key`, or 0 when it was never written. */
  get(key: string): number {
    return this.#indexes.get(key) ?? 0;
  }

  /** The largest modify index among `keys`. */
  max(keys: readonly string[]): number {
    let m = 0;
    for (const k of keys) m = Math.max(m, this.get(k));
    return m;
  }

  /** Stamps `index` on every key and wakes their waiters. Indexes never go backwards. */
  touch(keys: Iterable<string>, index: number): void {
    const woken = new Set<() => void>();
    for (const key of keys) {
      if (this.get(key) >= index) continue;
      this.#indexes.set(key, index);
      const waiting = this.#waiters.get(key);
      if (waiting) for (const w of waiting) woken.add(w);
    }
    for (const wake of woken) wake();
  }

  /**
   * Resolves once one of `keys` has an index above `minIndex`, or when `signal` aborts (the
   * caller's wait time elapsed or the client went away). Never rejects.
   */
  wait(keys: readonly string[], minIndex: number, signal: AbortSignal): Promise<void> {
    if (this.max(keys) > minIndex || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        for (const key of keys) {
          const set = this.#waiters.get(key);
          set?.delete(done);
          if (set?.size === 0) this.#waiters.delete(key);
        }
        signal.removeEventListener("abort", done);
        resolve();
      };
      for (const key of keys) {
        let set = this.#waiters.get(key);
        if (!set) this.#waiters.set(key, (set = new Set()));
        set.add(done);
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Number of blocked readers (for `meridian_registry_blocking_queries`). */
  waiting(): number {
    const all = new Set<() => void>();
    for (const set of this.#waiters.values()) for (const w of set) all.add(w);
    return all.size;
  }

  /** Every key with its index, for snapshots. */
  entries(): [string, number][] {
    return [...this.#indexes];
  }

  /** Restores indexes from a snapshot. */
  restore(entries: Iterable<[string, number]>): void {
    for (const [k, v] of entries) this.#indexes.set(k, v);
  }
}
