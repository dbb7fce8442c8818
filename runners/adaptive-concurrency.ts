// How many requests may be in flight: halved on a 429, grown back by one per window of successes, never past the cap.

export interface AdaptiveConcurrencyOptions {
  /** Multiplier applied on a rate limit (0.5 halves). */
  decrease?: number;
  /** A burst of 429s answering requests sent together is one signal: decrease at most once per this many ms. */
  cooldownMs?: number;
  now?: () => number;
}

/** Additive increase, multiplicative decrease (TCP's AIMD), on the number of requests in flight. */
export class AdaptiveConcurrency {
  private level: number;
  private successes = 0;
  private lastDecrease = -Infinity;
  private readonly decrease: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(
    readonly cap: number,
    options: AdaptiveConcurrencyOptions = {},
  ) {
    this.cap = Math.max(1, Math.floor(cap));
    this.level = this.cap;
    this.decrease = options.decrease ?? 0.5;
    this.cooldownMs = options.cooldownMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return this.level;
  }

  /** +1 after `limit` successes since the last change. */
  onSuccess(): void {
    if (this.level >= this.cap || ++this.successes < this.level) return;
    this.level++;
    this.successes = 0;
  }

  onRateLimited(): void {
    const now = this.now();
    if (now - this.lastDecrease < this.cooldownMs) return;
    this.lastDecrease = now;
    this.level = Math.max(1, Math.floor(this.level * this.decrease));
    this.successes = 0;
  }
}
