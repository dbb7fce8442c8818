import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { createRateLimiter, estimateRequestTokens, loadTokenizer, retryAfterMs } from '../../runners/rate-limit.js';
import { AdaptiveConcurrency } from '../../runners/adaptive-concurrency.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { RunnerError } from '../../core/errors.js';
import type { ChatRequest, ChatResponse, Runner } from '../../core/wire.js';

const request: ChatRequest = { model: 'mock-hierarchy', messages: [{ role: 'user', content: 'hi' }] };

function answer(extra: Partial<ChatResponse> = {}): ChatResponse {
  return {
    content: 'ok',
    tool_calls: [],
    finish_reason: 'stop',
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    model: 'm',
    latency_ms: 1,
    raw: {},
    ...extra,
  };
}

/** A provider whose calls stay open until the test finishes them, so "in flight" can be counted. */
function heldProvider() {
  const open: Array<{ finish(extra?: Partial<ChatResponse>): void; fail(error: unknown): void }> = [];
  let started = 0;
  const runner: Runner = {
    name: 'held',
    complete: () =>
      new Promise<ChatResponse>((resolve, reject) => {
        started++;
        open.push({ finish: (extra) => resolve(answer(extra)), fail: reject });
      }),
  };
  return { runner, open, started: () => started };
}

/** Lets promise callbacks run and fake time pass. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const headerReader = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;

describe('rate limiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps at most concurrencyCap calls in flight', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ concurrencyCap: 3 }).wrap(p.runner);
    const calls = Array.from({ length: 10 }, () => runner.complete(request));
    await advance(0);
    expect(p.started()).toBe(3);
    p.open[0].finish();
    await advance(0);
    expect(p.started()).toBe(4);
    p.open.slice(1).forEach((c) => c.finish());
    await advance(0);
    p.open.slice(4).forEach((c) => c.finish());
    await advance(0);
    p.open.slice(7).forEach((c) => c.finish());
    await Promise.all(calls);
    expect(p.started()).toBe(10);
  });

  it('with bursting asked for, lets a minute of requests through at once, then one per 60/rpm seconds', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ rpm: 6, burstSeconds: 60, concurrencyCap: 100 }).wrap(p.runner);
    for (let i = 0; i < 9; i++) void runner.complete(request);
    await advance(0);
    expect(p.started()).toBe(6);
    await advance(9_000);
    expect(p.started()).toBe(6);
    await advance(1_000);
    expect(p.started()).toBe(7);
    await advance(20_000);
    expect(p.started()).toBe(9);
  });

  it('paces evenly when the burst is lowered', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ rpm: 120, burstSeconds: 1, concurrencyCap: 100 }).wrap(p.runner);
    for (let i = 0; i < 5; i++) void runner.complete(request);
    await advance(0);
    expect(p.started()).toBe(2);
    await advance(1_000);
    expect(p.started()).toBe(4);
  });

  /** Start times of a held provider's calls, sampled every 10 ms of fake time for `ms`. */
  async function startTimes(p: ReturnType<typeof heldProvider>, ms: number): Promise<number[]> {
    const times: number[] = [];
    for (let t = 0; t <= ms; t += 10) {
      while (times.length < p.started()) times.push(t);
      await advance(10);
    }
    return times;
  }

  /** The most calls started in any one-second window [t, t + 1000). */
  function busiestSecond(times: number[]): number {
    let most = 0;
    for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t >= times[i] && t < times[i] + 1000).length);
    return most;
  }

  it('paces by default: no one-second window holds more than the per-second share of --rpm', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ rpm: 1200, concurrencyCap: 100 }).wrap(p.runner);
    for (let i = 0; i < 100; i++) void runner.complete(request);
    const times = await startTimes(p, 6_000);
    expect(times).toHaveLength(100);
    expect(busiestSecond(times)).toBe(20);
    // Even spacing a little under the limit: the 100th call leaves after about 99 intervals of 50 ms × 1.03.
    expect(times[99]).toBeGreaterThanOrEqual(99 * 50);
    expect(times[99]).toBeLessThanOrEqual(99 * 51.5 + 10);
  });

  it('does not let a late dispatch push every later slot back (timer lateness on a loaded machine)', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ rpm: 1200, concurrencyCap: 100 }).wrap(p.runner);
    void runner.complete(request); // slot 0
    await advance(58); // the second slot was at 51.5 ms: this call is 6.5 ms late
    void runner.complete(request);
    void runner.complete(request);
    await advance(0);
    expect(p.started()).toBe(2);
    // The third keeps its own slot (103 ms), not 51.5 ms after the late one (109.5 ms).
    await advance(46);
    expect(p.started()).toBe(3);
  });

  it("paces at the limit the first answer's headers name, counting what went out before it", async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ concurrencyCap: 100 });
    const runner = limiter.wrap(p.runner);
    for (let i = 0; i < 10; i++) void runner.complete(request);
    await advance(100);
    expect(p.started()).toBe(10); // no limit known yet: the given level
    p.open[0].finish({ header: headerReader({ 'x-ratelimit-limit-requests': '1200', 'x-ratelimit-remaining-requests': '1190' }) });
    await advance(0);
    for (let i = 0; i < 50; i++) void runner.complete(request);
    const times = [...Array(10).fill(0), ...(await startTimes(p, 4_000)).slice(10).map((t) => t + 100)];
    expect(times).toHaveLength(60);
    expect(limiter.stats().rpm).toBe(1200);
    // The first ten count against the first second's share.
    expect(busiestSecond(times)).toBeLessThanOrEqual(20);
  });

  it('a given level is used as given from the first request: all of it in flight before any answer', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ concurrencyCap: 50 }).wrap(p.runner);
    for (let i = 0; i < 60; i++) void runner.complete(request);
    await advance(0);
    expect(p.started()).toBe(50);
    p.open[0].finish();
    await advance(0);
    expect(p.started()).toBe(51);
  });

  it('paces tokens at the per-second share of --tpm', async () => {
    const p = heldProvider();
    // 6,000 tpm = 100 tokens a second; 50 tokens a call = two calls a second.
    const runner = createRateLimiter({ tpm: 6_000, concurrencyCap: 100, estimateTokens: () => 50 }).wrap(p.runner);
    for (let i = 0; i < 10; i++) void runner.complete(request);
    const times = await startTimes(p, 6_000);
    expect(times).toHaveLength(10);
    expect(busiestSecond(times)).toBe(2);
  });

  it('reserves estimated tokens before a call and settles them with the usage after it', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ tpm: 200, burstSeconds: 60, concurrencyCap: 100, estimateTokens: () => 100 }).wrap(p.runner);
    for (let i = 0; i < 3; i++) void runner.complete(request);
    await advance(0);
    expect(p.started()).toBe(2);
    // The first call used nothing: its 100 reserved tokens come back and the third call may go at once.
    p.open[0].finish({ usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } });
    await advance(0);
    expect(p.started()).toBe(3);
  });

  it('charges a call the tokens it really used when that is more than the estimate', async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ tpm: 600, burstSeconds: 60, concurrencyCap: 100, estimateTokens: () => 100 });
    const runner = limiter.wrap(p.runner);
    void runner.complete(request);
    await advance(0);
    p.open[0].finish({ usage: { prompt_tokens: 450, completion_tokens: 50, total_tokens: 500 } });
    await advance(0);
    void runner.complete(request);
    void runner.complete(request);
    await advance(0);
    expect(p.started()).toBe(2);
  });

  it('learns the request limit and what is left from x-ratelimit headers', async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ concurrencyCap: 100 });
    const runner = limiter.wrap(p.runner);
    void runner.complete(request);
    await advance(0);
    p.open[0].finish({ header: headerReader({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0' }) });
    await advance(0);
    expect(limiter.stats().rpm).toBe(60);
    void runner.complete(request);
    await advance(500);
    expect(p.started()).toBe(1);
    await advance(600);
    expect(p.started()).toBe(2);
  });

  it('never raises a configured limit to what the server allows', async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ rpm: 100, concurrencyCap: 10 });
    void limiter.wrap(p.runner).complete(request);
    await advance(0);
    p.open[0].finish({ header: headerReader({ 'x-ratelimit-limit-requests': '10000' }) });
    await advance(0);
    expect(limiter.stats().rpm).toBe(100);
  });

  it('halves concurrency on a final 429 and grows it back on successes, never past the cap', async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ concurrencyCap: 8 });
    const runner = limiter.wrap(p.runner);
    const failed = runner.complete(request).catch((e) => e);
    await advance(0);
    p.open[0].fail(new RunnerError('rate limited (429)', { retryable: true, fatal: false, kind: 'rate_limit' }));
    expect((await failed).kind).toBe('rate_limit');
    expect(limiter.stats().concurrencyLimit).toBe(4);
    for (let i = 0; i < 60; i++) {
      const call = runner.complete(request);
      await advance(0);
      p.open.at(-1)!.finish();
      await call;
    }
    expect(limiter.stats().concurrencyLimit).toBe(8);
  });

  it('rejects a queued call whose signal aborts, without calling the provider', async () => {
    const p = heldProvider();
    const runner = createRateLimiter({ concurrencyCap: 1 }).wrap(p.runner);
    void runner.complete(request);
    const controller = new AbortController();
    const queued = runner.complete(request, { signal: controller.signal }).catch((e) => e);
    await advance(0);
    controller.abort();
    const error = await queued;
    expect(error).toBeInstanceOf(RunnerError);
    expect(error.kind).toBe('aborted');
    expect(p.started()).toBe(1);
  });
});

describe('rate limiter in the SDK fetch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const completion = {
    id: 'c', object: 'chat.completion', created: 0, model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  const tooMany = (retryAfterMs: string) => reply(429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': retryAfterMs });

  /** A fetch answering from a script, recording when each attempt was sent. */
  function scripted(answers: Array<() => Response>) {
    const sentAt: number[] = [];
    const fetch = (async () => {
      sentAt.push(Date.now());
      return answers[Math.min(sentAt.length - 1, answers.length - 1)]();
    }) as unknown as typeof globalThis.fetch;
    return { fetch, sentAt };
  }

  it("meters the SDK's own retry through the request bucket", async () => {
    const { fetch, sentAt } = scripted([() => tooMany('0'), () => reply(200, completion)]);
    const limiter = createRateLimiter({ rpm: 60, burstSeconds: 1, concurrencyCap: 4 });
    const runner = limiter.wrap(openaiChatRunner({ apiKey: 'sk-test-key-123456', maxRetries: 2, fetch: limiter.fetch(fetch) }));
    const started = Date.now();
    const call = runner.complete(request);
    await advance(500);
    expect(sentAt).toHaveLength(1);
    await advance(600);
    expect(sentAt).toHaveLength(2);
    expect((await call).content).toBe('ok');
    expect(sentAt[1] - started).toBeGreaterThanOrEqual(1000);
  });

  it("gives up a retry's wait when the SDK's timeout fires, as a timeout", async () => {
    const { fetch, sentAt } = scripted([() => tooMany('0'), () => reply(200, completion)]);
    const limiter = createRateLimiter({ rpm: 60, burstSeconds: 1, concurrencyCap: 4 });
    const runner = limiter.wrap(openaiChatRunner({ apiKey: 'sk-test-key-123456', maxRetries: 1, timeoutMs: 300, fetch: limiter.fetch(fetch) }));
    const call = runner.complete(request).catch((e) => e);
    await advance(2_000);
    expect(await call).toMatchObject({ kind: 'timeout' });
    expect(sentAt).toHaveLength(1);
  });

  it('pauses new calls for the retry-after of a 429 it sees, and halves concurrency', async () => {
    const { fetch, sentAt } = scripted([() => tooMany('5000'), () => reply(200, completion)]);
    const limiter = createRateLimiter({ concurrencyCap: 8 });
    const runner = limiter.wrap(openaiChatRunner({ apiKey: 'sk-test-key-123456', maxRetries: 0, fetch: limiter.fetch(fetch) }));
    await expect(runner.complete(request)).rejects.toMatchObject({ kind: 'rate_limit' });
    expect(limiter.stats()).toMatchObject({ rateLimited: 1, concurrencyLimit: 4 });
    const next = runner.complete(request);
    await advance(4_000);
    expect(sentAt).toHaveLength(1);
    await advance(1_100);
    expect(sentAt).toHaveLength(2);
    await next;
  });
});

describe('adaptive concurrency', () => {
  it('decreases once for a burst of 429s within the cooldown', () => {
    let now = 0;
    const c = new AdaptiveConcurrency(16, { now: () => now });
    c.onRateLimited();
    c.onRateLimited();
    expect(c.limit).toBe(8);
    now = 1000;
    c.onRateLimited();
    expect(c.limit).toBe(4);
  });

  it('never goes below one', () => {
    let now = 0;
    const c = new AdaptiveConcurrency(2, { now: () => now });
    for (let i = 0; i < 5; i++, now += 1000) c.onRateLimited();
    expect(c.limit).toBe(1);
  });

  it('grows by one per window of successes and stops at the cap', () => {
    const c = new AdaptiveConcurrency(4);
    c.onRateLimited();
    expect(c.limit).toBe(2);
    c.onSuccess();
    c.onSuccess();
    expect(c.limit).toBe(3);
    for (let i = 0; i < 100; i++) c.onSuccess();
    expect(c.limit).toBe(4);
  });
});

describe('adaptive concurrency from a start level', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const headroom = { headroom: true, starved: true };

  it('stays at the start level while no headroom is shown, or nothing waits for a slot', () => {
    const c = new AdaptiveConcurrency(256, { start: 8 });
    for (let i = 0; i < 100; i++) c.onSuccess();
    for (let i = 0; i < 100; i++) c.onSuccess({ headroom: false, starved: true, needed: 100 });
    for (let i = 0; i < 100; i++) c.onSuccess({ headroom: true, starved: false, needed: 100 });
    expect(c.limit).toBe(8);
  });

  it('jumps to what the rate needs in flight, or doubles per round trip, never past the cap', () => {
    const c = new AdaptiveConcurrency(256, { start: 8 });
    c.onSuccess({ ...headroom, needed: 100 });
    expect(c.limit).toBe(100);
    c.onSuccess({ ...headroom, needed: 50 });
    expect(c.limit).toBe(101);
    c.onSuccess({ ...headroom, needed: 1000 });
    expect(c.limit).toBe(256);
    const unknown = new AdaptiveConcurrency(256, { start: 8 });
    for (let i = 0; i < 8; i++) unknown.onSuccess(headroom);
    expect(unknown.limit).toBe(16);
  });

  it('halves on a 429; after it, or a timeout or a 5xx, holds for a round, returns to what the rate needs, then grows by one per round', () => {
    let now = 0;
    const c = new AdaptiveConcurrency(256, { start: 8, now: () => now });
    c.onSuccess({ ...headroom, needed: 40 });
    c.onRateLimited();
    expect(c.limit).toBe(20);
    for (let i = 0; i < 20; i++) c.onSuccess({ ...headroom, needed: 40 });
    expect(c.limit).toBe(20); // held for a round
    c.onSuccess({ ...headroom, needed: 40 });
    expect(c.limit).toBe(40);
    for (let i = 0; i < 40; i++) c.onSuccess({ ...headroom, needed: 40 });
    expect(c.limit).toBe(41); // past what the rate needs: additive, no more doubling
    c.onTrouble();
    for (let i = 0; i < 41; i++) c.onSuccess({ ...headroom, needed: 40 });
    expect(c.limit).toBe(41);
    now += 1000;
    c.onRateLimited();
    expect(c.limit).toBe(20);
  });

  it('in the limiter: 8 in flight until headers show headroom, then what the announced rate needs at the latency seen', async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ concurrencyCap: 256, concurrencyStart: 8 });
    const runner = limiter.wrap(p.runner);
    const calls = Array.from({ length: 200 }, () => runner.complete(request));
    await advance(0);
    expect(p.started()).toBe(8);
    await advance(2000);
    // 3,000 rpm is 50 a second; at 2 s an answer, 100 in flight, and a quarter more: 125.
    p.open[0].finish({ latency_ms: 2000, header: headerReader({ 'x-ratelimit-limit-requests': '3000', 'x-ratelimit-remaining-requests': '2990' }) });
    await advance(0);
    expect(limiter.stats().concurrencyLimit).toBe(125);
    await advance(3000); // the pacer lets 50 a second go
    expect(p.started()).toBe(126);
    for (const call of p.open) call.finish({ latency_ms: 2000 });
    await advance(10_000);
    for (const call of p.open) call.finish({ latency_ms: 2000 });
    await Promise.all(calls);
  });

  it('in the limiter: stays at 8 against a server that sends no rate-limit headers', async () => {
    const p = heldProvider();
    const limiter = createRateLimiter({ concurrencyCap: 256, concurrencyStart: 8 });
    const runner = limiter.wrap(p.runner);
    const calls = Array.from({ length: 96 }, () => runner.complete(request));
    for (let round = 0; round < 12; round++) {
      await advance(0);
      expect(p.open.length).toBe(8); // the calls in flight (each round finishes them all)
      p.open.splice(0).forEach((c) => c.finish({ latency_ms: 2000 }));
    }
    await Promise.all(calls);
    expect(limiter.stats().concurrencyLimit).toBe(8);
  });
});

describe('token estimate', () => {
  it('counts the prompt with o200k_base and adds the completion cap', async () => {
    await loadTokenizer();
    const base = estimateRequestTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello world' }], max_completion_tokens: 100 });
    // "hello world" is 2 tokens in o200k_base; 4 per message and 3 for the reply's framing.
    expect(base).toBe(2 + 4 + 3 + 100);
  });

  it('counts tool definitions', async () => {
    await loadTokenizer();
    const plain = estimateRequestTokens(request);
    const withTools = estimateRequestTokens({ ...request, tools: [{ type: 'function', function: { name: 'python', description: 'Runs code', parameters: { type: 'object' } } }] });
    expect(withTools).toBeGreaterThan(plain);
  });
});

describe('retryAfterMs', () => {
  it('prefers retry-after-ms, then retry-after in seconds', () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });
});

describe('durationMs (x-ratelimit-reset-*)', () => {
  it("reads OpenAI's reset durations and plain seconds", async () => {
    const { durationMs } = await import('../../runners/rate-limit.js');
    expect(durationMs('86400s')).toBe(86_400_000);
    expect(durationMs('6m0s')).toBe(360_000);
    expect(durationMs('1h2m3.5s')).toBe(3_723_500);
    expect(durationMs('20ms')).toBe(20);
    expect(durationMs('7')).toBe(7000);
    expect(durationMs('soon')).toBeUndefined();
    expect(durationMs(null)).toBeUndefined();
  });
});
