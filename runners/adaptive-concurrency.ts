// How many requests may be in flight: grown while the server shows headroom, halved on a 429, never past the cap.

export interface AdaptiveConcurrencyOptions {
  /**
   * The level to start at (default: the cap). Below the cap, the level grows only when onSuccess says the server has
   * headroom (see there); at the cap, it only falls on 429s and grows back.
   */
  start?: number;
  /** Multiplier applied on a rate limit (0.5 halves). */
  decrease?: number;
  /** A burst of 429s answering requests sent together is one signal: decrease at most once per this many ms. */
  cooldownMs?: number;
  now?: () => number;
}

/** What the limiter saw when a request succeeded: whether more requests in flight would be sent, and be welcome. */
export interface Headroom {
  /** The answer's x-ratelimit-remaining-* headers show requests (and tokens) left. Absent headers: no headroom known. */
  headroom: boolean;
  /** A request is waiting for a slot that the rate limits would let go now: the level, not the rate, holds it back. */
  starved: boolean;
  /** Requests in flight the known rate limit needs at the latency seen (Little's law), if a limit is known. */
  needed?: number;
}

/**
 * AIMD on the number of requests in flight, with a slow start. Below the cap it grows only on a success that shows
 * headroom and starvation (Headroom): at once to what the rate limit needs at the latency seen, and past that by one
 * per success (doubling per round trip). A 429 halves it (once per cooldown); a 429, a timeout or a 5xx holds growth
 * for a round (`level` successes) and ends the slow start: from then on it returns to what the rate needs (the
 * pacers, not the level, keep the rate) and grows past it by one per round.
 */
export class AdaptiveConcurrency {
  private level: number;
  /** The level the user asked for (fixed mode) or the most that adapting may reach. */
  readonly cap: number;
  private successes = 0;
  private lastDecrease = -Infinity;
  /** Successes still to come before growth resumes after a 429, a timeout or a 5xx. */
  private held = 0;
  /** True until the first 429, timeout or 5xx: growth jumps to what the rate needs, or doubles per round trip. */
  private slowStart = true;
  /** Whether growth past the start level is allowed (adaptive mode); otherwise the level only returns to the cap. */
  readonly adaptive: boolean;
  private readonly decrease: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(cap: number, options: AdaptiveConcurrencyOptions = {}) {
    this.cap = Math.max(1, Math.floor(cap));
    this.level = Math.min(this.cap, Math.max(1, Math.floor(options.start ?? this.cap)));
    this.adaptive = this.level < this.cap;
    this.decrease = options.decrease ?? 0.5;
    this.cooldownMs = options.cooldownMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return this.level;
  }

  /**
   * A request succeeded. Fixed mode (no headroom given): +1 after `limit` successes, back up to the cap. Adaptive:
   * growth as the class says, only when `seen` shows headroom and starvation.
   */
  onSuccess(seen?: Headroom): void {
    if (this.held > 0) {
      this.held--;
      return;
    }
    if (this.level >= this.cap) return;
    if (this.adaptive && !(seen?.headroom && seen.starved)) return;
    if (this.adaptive && seen?.needed !== undefined && seen.needed > this.level) {
      this.level = Math.min(this.cap, seen.needed);
      this.successes = 0;
      return;
    }
    if (this.adaptive && this.slowStart) {
      this.level++;
      return;
    }
    if (++this.successes < this.level) return;
    this.level++;
    this.successes = 0;
  }

  onRateLimited(): void {
    const now = this.now();
    if (now - this.lastDecrease >= this.cooldownMs) {
      this.lastDecrease = now;
      this.level = Math.max(1, Math.floor(this.level * this.decrease));
      this.successes = 0;
    }
    this.hold();
  }

  /** A timeout, a dropped connection or a 5xx: the server may be at its limit; no growth for a round. */
  onTrouble(): void {
    this.hold();
  }

  /** Adaptive mode only: a fixed level grows back after a 429 as it always did. */
  private hold(): void {
    if (!this.adaptive) return;
    this.slowStart = false;
    this.held = this.level;
    this.successes = 0;
  }
}
