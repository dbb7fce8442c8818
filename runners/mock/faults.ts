// The mock server's misbehaviour: seeded fault injection and token-bucket rate limits with OpenAI's headers.
import { createRng } from '../../core/random.js';
import { MockApiError } from './errors.js';

export type Fault = 'drop' | 'hang' | 'rate-limit' | 'server-error';

export interface FaultRates {
  dropRate?: number;
  hangRate?: number;
  rate429?: number;
  failRate?: number;
}

/** How long a client is told to wait after an injected 429: short, so tests that retry stay fast. */
export const INJECTED_RETRY_AFTER_MS = 100;

/**
 * One uniform draw per model call picks its fault (or none), so the faults are exclusive, each keeps its share,
 * and the sequence depends only on the seed and the order calls arrive in.
 */
export function faultPicker(rates: FaultRates, seed: number): () => Fault | undefined {
  const bands: Array<[number, Fault]> = [];
  let edge = 0;
  for (const [rate, fault] of [
    [rates.dropRate, 'drop'],
    [rates.hangRate, 'hang'],
    [rates.rate429, 'rate-limit'],
    [rates.failRate, 'server-error'],
  ] as const) {
    if (!rate) continue;
    edge += rate;
    bands.push([edge, fault]);
  }
  if (edge > 1) throw new RangeError(`fault rates add up to ${edge}, more than 1`);
  const next = createRng(seed).next;
  if (bands.length === 0) return () => undefined;
  return () => {
    const draw = next();
    return bands.find(([upTo]) => draw < upTo)?.[1];
  };
}

export interface RateLimits {
  rpm?: number;
  tpm?: number;
  /**
   * Also enforce each per-minute limit over fixed windows of this many ms, at the window's share of it, as OpenAI
   * may ("60,000 requests/minute may be enforced as 1,000 requests/second"). The headers still describe the minute.
   */
  windowMs?: number;
}

/** A fixed window's count: the window's share of a per-minute limit, reset at each window boundary of the clock. */
interface Window {
  share: number;
  used: number;
  index: number;
}

interface Bucket {
  capacity: number;
  level: number;
  perMs: number;
}

/**
 * Requests and tokens per minute as two token buckets that refill continuously and start full, the way
 * OpenAI's limits behave to a client. Prompt tokens are taken on admission and completion tokens once the
 * answer is known, so a burst of long answers can push the token bucket below zero.
 */
export class RateLimiter {
  private requests?: Bucket;
  private tokens?: Bucket;
  private requestWindow?: Window;
  private tokenWindow?: Window;
  private last = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.reset();
  }

  get active(): boolean {
    return this.requests !== undefined || this.tokens !== undefined;
  }

  reset(): void {
    const bucket = (perMinute: number | undefined): Bucket | undefined =>
      perMinute ? { capacity: perMinute, level: perMinute, perMs: perMinute / 60_000 } : undefined;
    this.requests = bucket(this.limits.rpm);
    this.tokens = bucket(this.limits.tpm);
    const windowMs = this.limits.windowMs;
    const window = (perMinute: number | undefined): Window | undefined =>
      windowMs && perMinute ? { share: Math.max(1, Math.floor((perMinute * windowMs) / 60_000)), used: 0, index: -1 } : undefined;
    this.requestWindow = window(this.limits.rpm);
    this.tokenWindow = window(this.limits.tpm);
    this.last = this.now();
  }

  /** Takes one request and `promptTokens` tokens, or throws the 429 OpenAI would answer. */
  admit(promptTokens: number, model: string): void {
    this.refill();
    const { requests, tokens } = this;
    if (requests && requests.level < 1) {
      const wait = (1 - requests.level) / requests.perMs;
      throw rateLimited('requests', `requests per min (RPM): Limit ${requests.capacity}, Used ${requests.capacity - Math.floor(requests.level)}, Requested 1`, model, wait);
    }
    if (tokens && promptTokens > tokens.capacity) {
      throw new MockApiError(
        429,
        `Request too large for ${model} in organization org-mock on tokens per min (TPM): Limit ${tokens.capacity}, Requested ${promptTokens}. The input or output tokens must be reduced in order to run successfully.`,
        'tokens',
        'rate_limit_exceeded',
      );
    }
    if (tokens && tokens.level < promptTokens) {
      const wait = (promptTokens - tokens.level) / tokens.perMs;
      throw rateLimited('tokens', `tokens per min (TPM): Limit ${tokens.capacity}, Used ${tokens.capacity - Math.floor(tokens.level)}, Requested ${promptTokens}`, model, wait);
    }
    this.admitWindow(this.requestWindow, 1, 'requests', 'requests', model);
    this.admitWindow(this.tokenWindow, promptTokens, 'tokens', 'tokens', model);
    if (requests) requests.level -= 1;
    if (tokens) tokens.level -= promptTokens;
    if (this.requestWindow) this.requestWindow.used += 1;
    if (this.tokenWindow) this.tokenWindow.used += promptTokens;
  }

  /** Throws the 429 of a full window (an oversized request passes alone in an empty one). */
  private admitWindow(window: Window | undefined, amount: number, kind: 'requests' | 'tokens', unit: string, model: string): void {
    const windowMs = this.limits.windowMs;
    if (!window || !windowMs) return;
    const now = this.now();
    const index = Math.floor(now / windowMs);
    if (index !== window.index) {
      window.index = index;
      window.used = 0;
    }
    if (window.used > 0 && window.used + amount > window.share) {
      throw rateLimited(kind, `${unit} per ${windowMs} ms: Limit ${window.share}, Used ${window.used}, Requested ${amount}`, model, (index + 1) * windowMs - now);
    }
  }

  /** Takes the completion tokens of an answer already given. */
  charge(completionTokens: number): void {
    if (this.tokens) this.tokens.level -= completionTokens;
  }

  /** The `x-ratelimit-*` headers describing the buckets now; empty when no limit is set. */
  headers(): Record<string, string> {
    if (!this.active) return {};
    this.refill();
    const out: Record<string, string> = {};
    const describe = (kind: 'requests' | 'tokens', b: Bucket) => {
      out[`x-ratelimit-limit-${kind}`] = String(b.capacity);
      out[`x-ratelimit-remaining-${kind}`] = String(Math.max(0, Math.floor(b.level)));
      out[`x-ratelimit-reset-${kind}`] = formatDuration((b.capacity - b.level) / b.perMs);
    };
    if (this.requests) describe('requests', this.requests);
    if (this.tokens) describe('tokens', this.tokens);
    return out;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    this.last = now;
    for (const b of [this.requests, this.tokens]) {
      if (b) b.level = Math.min(b.capacity, b.level + elapsed * b.perMs);
    }
  }
}

function rateLimited(kind: 'requests' | 'tokens', detail: string, model: string, waitMs: number): MockApiError {
  const ms = Math.max(1, Math.ceil(waitMs));
  return new MockApiError(
    429,
    `Rate limit reached for ${model} in organization org-mock on ${detail}. Please try again in ${formatDuration(ms)}.`,
    kind,
    'rate_limit_exceeded',
    null,
    { 'retry-after-ms': String(ms), 'retry-after': String(Math.ceil(ms / 1000)) },
  );
}

/** Durations the way OpenAI's reset headers write them: `120ms`, `1.5s`, `6m0s`. */
export function formatDuration(ms: number): string {
  const rounded = Math.max(0, Math.ceil(ms));
  if (rounded < 1000) return `${rounded}ms`;
  if (rounded < 60_000) return `${Number((rounded / 1000).toFixed(3))}s`;
  const minutes = Math.floor(rounded / 60_000);
  return `${minutes}m${Number(((rounded - minutes * 60_000) / 1000).toFixed(3))}s`;
}
