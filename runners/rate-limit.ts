// Requests- and tokens-per-minute buckets, learned from x-ratelimit-* headers, and adaptive concurrency, in front of a runner.
import { InterruptedError, RunnerError } from '../core/errors.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { transportFetch } from './transport.js';
import { fetchTagOf, type CallOptions, type ChatRequest, type ChatResponse, type Runner } from '../core/wire.js';

export interface RateLimitOptions {
  /** Requests per minute; the server's x-ratelimit-limit-requests lowers it, never raises it. Learned when absent. */
  rpm?: number;
  /** Tokens per minute, same rules. */
  tpm?: number;
  /** Most requests in flight; adaptive concurrency moves below it on 429s and back up, never above. */
  concurrencyCap: number;
  /**
   * Adaptive mode: the level starts here and grows towards `concurrencyCap` while answers' x-ratelimit-remaining-*
   * headers show headroom and no 429, timeout or 5xx comes back (AdaptiveConcurrency). Absent: the level is the cap.
   */
  concurrencyStart?: number;
  /**
   * Opt-in bursting: the buckets hold this many seconds of allowance and requests leave as fast as the buckets
   * allow. Absent (the default), requests are paced evenly at the per-second share of each limit, because OpenAI
   * may enforce a per-minute limit over shorter windows ("60,000 requests/minute may be enforced as 1,000
   * requests/second"): a minute's allowance sent in the first second draws 429s from such a server.
   */
  burstSeconds?: number;
  /**
   * The longest pause a server may impose (a 429's retry-after, or nothing left until a far reset). Longer asks are cut
   * to this: a run must not sit silent for an hour. Default 180 s.
   */
  maxPauseMs?: number;
  /** Told of each pause of a second or more, in one line (the CLI prints it on stderr). */
  onPause?: (line: string) => void;
  /** Test seams. */
  now?: () => number;
  estimateTokens?: (request: ChatRequest) => number;
}

export interface RateLimitStats {
  rpm?: number;
  tpm?: number;
  concurrencyLimit: number;
  inFlight: number;
  queued: number;
  /** HTTP 429 answers seen (retried ones included when the runner's fetch is wired). */
  rateLimited: number;
  /** Dispatches that had to wait for a bucket or a pause. */
  delayed: number;
}

export interface RateLimiter {
  /** The runner behind the buckets and the concurrency limit. */
  wrap(runner: Runner): Runner;
  /**
   * A fetch for the runner's SDK client: it meters the SDK's own retries through the same buckets (they would
   * otherwise bypass them) and learns from every HTTP answer, 429s included. Optional but recommended.
   */
  fetch(inner?: typeof fetch): typeof fetch;
  stats(): RateLimitStats;
}

/** One call's state, handed to the fetch layer as the call's fetch tag. */
interface CallContext {
  tokens: number;
  /** HTTP attempts sent so far. */
  attempts: number;
  /** Attempts charged to the buckets (the first by wrap(), retries by fetch()). */
  charged: number;
  signal?: AbortSignal;
  /** The caller's interrupt (CallOptions.interrupt): waits end at once; an HTTP attempt in flight finishes. */
  interrupt?: AbortSignal;
  /** An HTTP attempt of this call is in flight. */
  inAttempt: boolean;
}

interface Waiter {
  tokens: number;
  needsSlot: boolean;
  resolve(): void;
}

/** A bucket that refills continuously at `perMinute` and holds `burstSeconds` of it; its level may go negative (a debt). */
class Bucket {
  level: number;
  capacity = 0;
  private last: number;

  constructor(
    public perMinute: number,
    private readonly burstSeconds: number,
    private readonly now: () => number,
  ) {
    this.setRate(perMinute);
    this.level = this.capacity;
    this.last = now();
  }

  setRate(perMinute: number): void {
    this.perMinute = perMinute;
    this.capacity = Math.max(1, (perMinute * this.burstSeconds) / 60);
    this.level = Math.min(this.level ?? this.capacity, this.capacity);
  }

  refill(): void {
    const now = this.now();
    this.level = Math.min(this.capacity, this.level + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
  }

  /** Milliseconds until `amount` (at most the capacity, so an oversized request can still pass) is available. */
  waitFor(amount: number): number {
    this.refill();
    const need = Math.min(amount, this.capacity);
    return this.level >= need ? 0 : Math.ceil(((need - this.level) * 60_000) / this.perMinute);
  }
}

/**
 * Pacing a little slower than the limit (by this factor) keeps the k-th next request more than a window away, however
 * the client's and the server's clocks and queues jitter: at 1,200 rpm, 20 requests span 1,030 ms, not 1,000.
 */
const PACING_MARGIN = 1.03;
/**
 * How far behind its even slots a pacer may fall and still catch up. A timer that fires late (a busy event loop, GC, a
 * loaded machine) must not push every later slot back: that drift cost a quarter of the time at 20 requests a second.
 * Catching up sends a few at once, which the window guard keeps within a second's share.
 */
const PACING_CATCH_UP_MS = 250;
const MAX_PAUSE_MS = 180_000;
/** Pauses shorter than this pass unsaid: OpenAI's resets are often milliseconds away. */
const SAID_PAUSE_MS = 1_000;

/**
 * Even spacing: each dispatch of `amount` moves the next slot on by its share of the per-minute rate (a GCRA), and a
 * guard keeps the amounts sent in any window of 1 s × PACING_MARGIN within a second's share (one oversized request may
 * go alone), so no one-second window at the server holds more than its share of the limit.
 */
class Pacer {
  nextAt = -Infinity;
  /** Dispatches within the last window: times and amounts, oldest first, from `head`. */
  private readonly at: number[] = [];
  private readonly amounts: number[] = [];
  private head = 0;
  private inWindow = 0;
  private readonly windowMs = 1000 * PACING_MARGIN;

  constructor(
    public perMinute: number,
    private readonly now: () => number,
  ) {}

  waitFor(amount: number): number {
    const now = this.now();
    this.prune(now);
    let wait = Math.max(0, this.nextAt - now);
    const share = Math.max(amount, this.perMinute / 60);
    // The guard: wait until enough of the window has expired for this amount to fit.
    let sum = this.inWindow;
    for (let i = this.head; sum + amount > share && i < this.at.length; i++) {
      sum -= this.amounts[i];
      wait = Math.max(wait, this.at[i] + this.windowMs - now);
    }
    return Math.ceil(wait);
  }

  /** A dispatch of `amount` (at `sentAt`, for what went out before this pacer existed). */
  take(amount: number, sentAt = this.now()): void {
    // Late by at most the catch-up: keep the schedule; later than that, the pacer was idle: start again from now.
    const base = this.nextAt >= sentAt - PACING_CATCH_UP_MS ? this.nextAt : sentAt;
    this.nextAt = base + (amount * 60_000 * PACING_MARGIN) / this.perMinute;
    this.at.push(sentAt);
    this.amounts.push(amount);
    this.inWindow += amount;
  }

  private prune(now: number): void {
    while (this.head < this.at.length && this.at[this.head] + this.windowMs <= now) this.inWindow -= this.amounts[this.head++];
    if (this.head > 1024 && this.head * 2 > this.at.length) {
      this.at.splice(0, this.head);
      this.amounts.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * The shared limiter. Retries are NOT done here: the SDK retries (one layer); this layer only decides when a
 * request may leave, so the SDK's retries pass through the same buckets when `fetch()` is wired.
 *
 * @example
 * const limiter = createRateLimiter({ rpm: 500, concurrencyCap: 50 });
 * const runner = limiter.wrap(openaiChatRunner({ apiKey, fetch: limiter.fetch() }));
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  // The buckets hold a minute, as OpenAI's do, so x-ratelimit-remaining-* (shared with other jobs) can clamp them; unless
  // bursting is asked for, the pacers then spread what the buckets allow over the minute.
  const burst = options.burstSeconds ?? 60;
  const paced = options.burstSeconds === undefined;
  const estimate = options.estimateTokens ?? estimateRequestTokens;
  const concurrency = new AdaptiveConcurrency(options.concurrencyCap, { now, start: options.concurrencyStart });
  // What adaptive growth needs to know: whether the last answer's headers showed requests (and tokens) left, the
  // latency of answers (seconds, moving average) and the tokens a request uses (moving average).
  let headroom = false;
  let latencyS: number | undefined;
  let tokensPerRequest: number | undefined;
  let requests = options.rpm ? new Bucket(options.rpm, burst, now) : undefined;
  let tokens = options.tpm ? new Bucket(options.tpm, burst, now) : undefined;
  let requestPacer = paced && options.rpm ? new Pacer(options.rpm, now) : undefined;
  let tokenPacer = paced && options.tpm ? new Pacer(options.tpm, now) : undefined;
  // What went out while no pacer existed, so a pacer made from the first headers starts where those left off.
  const unpaced = { since: -Infinity, requests: 0, tokens: 0 };
  let pausedUntil = 0;
  const maxPauseMs = options.maxPauseMs ?? MAX_PAUSE_MS;
  let fetchWired = false;
  let inFlight = 0;
  let rateLimited = 0;
  let delayed = 0;
  const queue: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const waitFor = (amount: number): number =>
    Math.max(
      pausedUntil - now(),
      requests?.waitFor(1) ?? 0,
      requestPacer?.waitFor(1) ?? 0,
      amount > 0 ? Math.max(tokens?.waitFor(amount) ?? 0, tokenPacer?.waitFor(amount) ?? 0) : 0,
    );

  const pump = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (queue.length > 0) {
      const head = queue[0];
      if (head.needsSlot && inFlight >= concurrency.limit) return; // a finishing call pumps again
      const wait = waitFor(head.tokens);
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      queue.shift();
      charge(head.tokens);
      if (head.needsSlot) inFlight++;
      head.resolve();
    }
  };

  const charge = (amount: number): void => {
    if (requests) requests.level -= 1;
    if (tokens) tokens.level -= amount;
    requestPacer?.take(1);
    if (amount > 0) tokenPacer?.take(amount);
    if (!requestPacer || !tokenPacer) {
      if (unpaced.requests === 0) unpaced.since = now();
      unpaced.requests++;
      unpaced.tokens += amount;
    }
  };

  /** A pacer for a limit just learned, carrying what already went out since the first dispatch. */
  const learnedPacer = (perMinute: number, sent: number): Pacer | undefined => {
    if (!paced) return undefined;
    const pacer = new Pacer(perMinute, now);
    if (sent > 0) {
      pacer.take(sent, unpaced.since);
      // Headers that appear late in a long run must not stall it for all it sent before: at most a second's debt.
      pacer.nextAt = Math.min(pacer.nextAt, now() + 1000);
    }
    return pacer;
  };

  /**
   * Waits for the buckets (and a concurrency slot for a first attempt); a retry goes to the front of the line. The
   * caller's abort rejects as `aborted`, its interrupt as an InterruptedError.
   */
  const acquire = (amount: number, needsSlot: boolean, signal?: AbortSignal, interrupt?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(aborted());
    if (interrupt?.aborted) return Promise.reject(new InterruptedError());
    if (queue.length === 0 && (!needsSlot || inFlight < concurrency.limit) && waitFor(amount) === 0) {
      charge(amount);
      if (needsSlot) inFlight++;
      return Promise.resolve();
    }
    delayed++;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { tokens: amount, needsSlot, resolve };
      const leave = (error: Error) => {
        signal?.removeEventListener('abort', onAbort);
        interrupt?.removeEventListener('abort', onInterrupt);
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        reject(error);
        pump();
      };
      const onAbort = () => leave(aborted());
      const onInterrupt = () => leave(new InterruptedError());
      signal?.addEventListener('abort', onAbort, { once: true });
      interrupt?.addEventListener('abort', onInterrupt, { once: true });
      waiter.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        interrupt?.removeEventListener('abort', onInterrupt);
        resolve();
      };
      if (needsSlot) queue.push(waiter);
      else queue.unshift(waiter);
      pump();
    });
  };

  /** A success, as adaptive growth sees it (Headroom). */
  const succeeded = (latencyMs: number, usedTokens: number): void => {
    if (!concurrency.adaptive) return concurrency.onSuccess(); // a fixed level needs none of this
    latencyS = latencyS === undefined ? latencyMs / 1000 : 0.8 * latencyS + 0.2 * (latencyMs / 1000);
    tokensPerRequest = tokensPerRequest === undefined ? usedTokens : 0.8 * tokensPerRequest + 0.2 * usedTokens;
    // Called before this call's slot is released: every slot is taken and the next request could go but for one.
    const head = inFlight >= concurrency.limit ? queue.find((w) => w.needsSlot) : undefined;
    const starved = !!head && waitFor(head.tokens) === 0;
    concurrency.onSuccess({ headroom, starved, needed: neededInFlight() });
  };

  /** Little's law: requests in flight that the known rate allows at the latency seen, with a quarter more for jitter. */
  const neededInFlight = (): number | undefined => {
    if (!requests || latencyS === undefined) return undefined;
    let perSecond = requests.perMinute / 60;
    if (tokens && tokensPerRequest) perSecond = Math.min(perSecond, tokens.perMinute / 60 / tokensPerRequest);
    return Math.ceil(perSecond * latencyS * 1.25);
  };

  const release = (): void => {
    inFlight--;
    pump();
  };

  /** A pause the server asked for (`why`: the header that said so), cut to maxPauseMs; said when it is long. */
  const pause = (askedMs: number, why: string): void => {
    const ms = Math.min(askedMs, maxPauseMs);
    if (now() + ms <= pausedUntil) return;
    pausedUntil = now() + ms;
    if (askedMs >= SAID_PAUSE_MS) {
      options.onPause?.(`rate limit: the server asked for a pause of ${seconds(askedMs)} s (${why}); pausing ${seconds(ms)} s${askedMs > maxPauseMs ? ' (--max-pause)' : ''}`);
    }
  };

  /** Learns limits and what is left from the server's headers; a configured limit is a ceiling, never raised. */
  const learn = (header: (name: string) => string | null | undefined): void => {
    const limitRequests = numberHeader(header('x-ratelimit-limit-requests'));
    if (limitRequests) {
      const rate = Math.min(options.rpm ?? Infinity, limitRequests);
      if (requests) requests.setRate(rate);
      else requests = new Bucket(rate, burst, now);
      if (requestPacer) requestPacer.perMinute = rate;
      else requestPacer = learnedPacer(rate, unpaced.requests);
    }
    const limitTokens = numberHeader(header('x-ratelimit-limit-tokens'));
    if (limitTokens) {
      const rate = Math.min(options.tpm ?? Infinity, limitTokens);
      if (tokens) tokens.setRate(rate);
      else tokens = new Bucket(rate, burst, now);
      if (tokenPacer) tokenPacer.perMinute = rate;
      else tokenPacer = learnedPacer(rate, unpaced.tokens);
    }
    const remainingRequests = numberHeader(header('x-ratelimit-remaining-requests'));
    const remainingTokens = numberHeader(header('x-ratelimit-remaining-tokens'));
    headroom = (remainingRequests !== undefined || remainingTokens !== undefined) && remainingRequests !== 0 && remainingTokens !== 0;
    if (requests && remainingRequests !== undefined) {
      requests.refill();
      requests.level = Math.min(requests.level, remainingRequests);
    }
    if (tokens && remainingTokens !== undefined) {
      tokens.refill();
      tokens.level = Math.min(tokens.level, remainingTokens);
    }
    // Nothing left until the reset: wait for it (the buckets alone would refill at the per-minute rate sooner).
    for (const [remaining, name] of [[remainingRequests, 'x-ratelimit-reset-requests'], [remainingTokens, 'x-ratelimit-reset-tokens']] as const) {
      const reset = remaining === 0 ? durationMs(header(name)) : undefined;
      if (reset !== undefined && reset > 0) pause(reset, name);
    }
  };

  const onRateLimited = (header?: (name: string) => string | null | undefined): void => {
    rateLimited++;
    headroom = false;
    concurrency.onRateLimited();
    const wait = header ? retryAfterMs(header) : undefined;
    if (wait !== undefined) pause(wait, header!('retry-after-ms') ? 'retry-after-ms' : 'retry-after');
  };

  return {
    wrap(runner: Runner): Runner {
      return {
        name: runner.name,
        close: runner.close?.bind(runner),
        async complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
          const amount = tokens ? estimate(request) : 0;
          const { interrupt } = call;
          await acquire(amount, true, call.signal, interrupt);
          const context: CallContext = { tokens: amount, attempts: 0, charged: 1, signal: call.signal, interrupt, inAttempt: false };
          // Interrupted between attempts (the SDK's backoff, a retry's wait), the call ends: its own signal aborts it.
          // An attempt in flight is left to finish; the fetch then tells the SDK not to retry it.
          const between = interrupt && new AbortController();
          const onInterrupt = () => context.inAttempt || between!.abort();
          const forward = () => between!.abort(call.signal!.reason);
          if (between) {
            interrupt.addEventListener('abort', onInterrupt, { once: true });
            call.signal?.addEventListener('abort', forward, { once: true });
          }
          try {
            const response = await runner.complete(request, { ...call, ...(between ? { signal: between.signal } : {}), fetchTag: context });
            if (!fetchWired && response.header) learn(response.header);
            if (tokens) tokens.level += context.charged * amount - response.usage.total_tokens;
            succeeded(response.latency_ms, response.usage.total_tokens);
            return response;
          } catch (error) {
            if (tokens) tokens.level += context.charged * amount;
            if (!fetchWired && error instanceof RunnerError && error.kind === 'rate_limit') onRateLimited();
            if (!fetchWired && error instanceof RunnerError && ['timeout', 'connection', 'server'].includes(error.kind)) concurrency.onTrouble();
            if (interrupt?.aborted && !(error instanceof RunnerError && error.fatal)) throw new InterruptedError();
            throw error;
          } finally {
            interrupt?.removeEventListener('abort', onInterrupt);
            call.signal?.removeEventListener('abort', forward);
            release();
          }
        },
      };
    },

    fetch(inner: typeof fetch = transportFetch): typeof fetch {
      fetchWired = true;
      return async (input, init) => {
        const context = fetchTagOf(init) as CallContext | undefined;
        // The first attempt was admitted by wrap(); every further attempt of the same call is an SDK retry.
        if (context && context.attempts++ > 0) {
          // The SDK's signal carries both its timeout and the caller's abort; fail the wait the way fetch would.
          await acquire(context.tokens, false, init?.signal ?? context.signal).catch(() => {
            throw new DOMException('This operation was aborted', 'AbortError');
          });
          context.charged++;
        }
        if (context) context.inAttempt = true;
        let response: Response;
        try {
          response = await inner(input, init);
        } catch (error) {
          // A timeout or a dropped connection (not the caller's own abort): the server may be at its limit.
          if (!context?.signal?.aborted && !context?.interrupt?.aborted) concurrency.onTrouble();
          throw error;
        } finally {
          if (context) context.inAttempt = false;
        }
        const header = (name: string) => response.headers.get(name);
        learn(header);
        if (response.status === 429) onRateLimited(header);
        else if (response.status >= 500) concurrency.onTrouble();
        if (response.ok) return response;
        // Interrupted meanwhile: no retry. Otherwise a pause the server asked for is waited here, capped and
        // interruptible, not in the SDK's own sleep (which would honour retry-after: 3600 to the second).
        if (context?.interrupt?.aborted) return withHeaders(response, { 'x-should-retry': 'false' });
        if (response.status === 429 && retryAfterMs(header) !== undefined) return withHeaders(response, { 'retry-after-ms': '1', 'retry-after': null });
        return response;
      };
    },

    stats(): RateLimitStats {
      return {
        rpm: requests?.perMinute,
        tpm: tokens?.perMinute,
        concurrencyLimit: concurrency.limit,
        inFlight,
        queued: queue.length,
        rateLimited,
        delayed,
      };
    },
  };
}

function aborted(): RunnerError {
  return new RunnerError('request aborted', { retryable: false, fatal: false, kind: 'aborted' });
}

/** A copy of an error response (its body is small) with some headers set (a string) or removed (null). */
async function withHeaders(response: Response, changes: Record<string, string | null>): Promise<Response> {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/** OpenAI's reset durations (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) or plain seconds, in ms; undefined if unreadable. */
export function durationMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const plain = numberHeader(value);
  if (plain !== undefined) return plain * 1000;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let rest = value.trim();
  while (rest) {
    const part = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * unit[part[2]];
    rest = rest.slice(part[0].length);
  }
  return total;
}

function numberHeader(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** `retry-after-ms` (OpenAI's), else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(header: (name: string) => string | null | undefined): number | undefined {
  const ms = numberHeader(header('retry-after-ms'));
  if (ms !== undefined) return ms;
  const after = header('retry-after');
  if (!after) return undefined;
  const seconds = numberHeader(after);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

type Encoder = { encode(text: string): number[] };
let encoder: Encoder | undefined;
let loading: Promise<void> | undefined;

/** Loads o200k_base in the background (about 1 s and 130 MB); until then counts fall back to bytes / 4. */
export function loadTokenizer(): Promise<void> {
  loading ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]).then(([{ Tiktoken }, ranks]) => {
    encoder = new Tiktoken(ranks.default);
  });
  return loading;
}

function countTokens(text: string): number {
  if (!text) return 0;
  if (encoder) return encoder.encode(text).length;
  void loadTokenizer();
  return Math.ceil(Buffer.byteLength(text) / 4);
}

/** Completion tokens to reserve when the request sets no cap: corrected by usage after the answer. */
const DEFAULT_COMPLETION_ALLOWANCE = 256;

/**
 * What a request will cost against a tokens-per-minute limit before it is sent: the prompt as o200k_base counts it
 * (plus OpenAI's few tokens of framing per message) and the completion it may produce.
 */
export function estimateRequestTokens(request: ChatRequest): number {
  return estimatePromptTokens(request) + (request.max_completion_tokens ?? DEFAULT_COMPLETION_ALLOWANCE);
}

/** A request's prompt as o200k_base counts it, plus OpenAI's framing (a little more per message than OpenAI bills). */
export function estimatePromptTokens(request: ChatRequest): number {
  let prompt = 3;
  for (const m of request.messages) {
    prompt += 4 + countTokens(m.content);
    for (const c of m.tool_calls ?? []) prompt += 3 + countTokens(c.function.name) + countTokens(c.function.arguments);
  }
  if (request.tools?.length) prompt += countTokens(JSON.stringify(request.tools));
  return prompt;
}
