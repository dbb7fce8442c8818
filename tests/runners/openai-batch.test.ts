import { describe, it, expect } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MockServer } from '../../runners/mock/server.js';
import { withServer } from './with-server.js';
import { openaiBatchRunner, split, type BatchProgress, type BatchRunnerOptions } from '../../runners/openai-batch.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { RunnerError } from '../../core/errors.js';
import type { ChatRequest, ReasoningEffort } from '../../core/wire.js';

const KEY = 'sk-batch-test-0123456789';

const batchRunner = (server: MockServer, options: Partial<BatchRunnerOptions> = {}) =>
  openaiBatchRunner({ apiKey: KEY, baseURL: server.url, windowMs: 10_000, pollIntervalMs: 5, ...options });

const requests: ChatRequest[] = [
  { model: 'mock-hierarchy', messages: [{ role: 'developer', content: 'Answer in one sentence.' }, { role: 'user', content: 'What is a batch?' }] },
  { model: 'mock-obedient', messages: [{ role: 'user', content: 'Say hello.' }] },
  { model: 'mock-hierarchy', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name a colour.' }], reasoning_effort: 'low' },
  { model: 'mock-hierarchy', messages: [{ role: 'user', content: 'Count to three.' }], max_completion_tokens: 50 },
];

/** Calls the server counted on a route (its stats key may carry the method in front of the path). */
const calls = (server: MockServer, path: string) =>
  Object.entries(server.stats().byEndpoint)
    .filter(([endpoint]) => endpoint.replace(/^[A-Z]+ /, '') === path)
    .reduce((sum, [, n]) => sum + n, 0);
const batchesCreated = (server: MockServer) => calls(server, '/v1/batches');

describe('openai-batch runner', () => {
  it("answers a batch of requests with the chat runner's answers to the same requests", () =>
    withServer({}, async (server) => {
      const batch = batchRunner(server, { windowSize: requests.length });
      const chat = openaiChatRunner({ apiKey: KEY, baseURL: server.url });
      const viaBatch = await Promise.all(requests.map((r) => batch.complete(r)));
      const viaChat = await Promise.all(requests.map((r) => chat.complete(r)));
      const essence = (r: (typeof viaBatch)[number]) => ({ content: r.content, tool_calls: r.tool_calls, finish_reason: r.finish_reason, usage: r.usage, model: r.model });
      expect(viaBatch.map(essence)).toEqual(viaChat.map(essence));
      expect(batchesCreated(server)).toBe(1);
      expect(viaBatch.every((r) => r.request_id)).toBe(true);
    }));

  it('submits a window once it holds windowSize requests, and the rest after windowMs', () =>
    withServer({}, async (server) => {
      const batch = batchRunner(server, { windowSize: 3, windowMs: 20 });
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => batch.complete({ model: 'mock-hierarchy', messages: [{ role: 'user', content: `q${i}` }] })));
      expect(answers).toHaveLength(5);
      expect(batchesCreated(server)).toBe(2);
    }));

  it('splits a window at the per-batch request limit', () =>
    withServer({}, async (server) => {
      const batch = batchRunner(server, { windowSize: 5, maxRequestsPerBatch: 2 });
      await Promise.all(Array.from({ length: 5 }, (_, i) => batch.complete({ model: 'mock-hierarchy', messages: [{ role: 'user', content: `q${i}` }] })));
      expect(batchesCreated(server)).toBe(3);
    }));

  it('sends identical requests once and answers every caller', () =>
    withServer({}, async (server) => {
      const batch = batchRunner(server, { windowSize: 2 });
      const [a, b, c] = await Promise.all([batch.complete(requests[1]), batch.complete(requests[1]), batch.complete(requests[0])]);
      expect(a.content).toBe(b.content);
      expect(b.cached).toBe(true);
      expect(c.content.length).toBeGreaterThan(0);
      expect(server.stats().requests).toBeGreaterThan(0);
      expect(Object.values(server.stats().completionsByConversation).reduce((x, y) => x + y, 0)).toBe(2);
    }));

  it('keeps epochs apart: the same request in two epochs is two lines', () =>
    withServer({}, async (server) => {
      const batch = batchRunner(server, { windowSize: 2 });
      await Promise.all([batch.complete(requests[1], { epoch: 0 }), batch.complete(requests[1], { epoch: 1 })]);
      expect(Object.values(server.stats().completionsByConversation)).toEqual([2]);
    }));

  it("turns a line's error into that item's RunnerError and answers the others", () =>
    withServer({}, async (server) => {
      const batch = batchRunner(server, { windowSize: 2 });
      const [bad, good] = await Promise.allSettled([
        batch.complete({ ...requests[0], reasoning_effort: 'extreme' as ReasoningEffort }),
        batch.complete(requests[1]),
      ]);
      expect(bad.status).toBe('rejected');
      const error = (bad as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(RunnerError);
      expect(error).toMatchObject({ kind: 'invalid_request', status: 400 });
      expect(good.status).toBe('fulfilled');
    }));

  it('answers every caller whose output line reads, when another line of the output file is not JSON', () =>
    withServer({}, async (server) => {
      // The edge of the world: the output file comes back with its second line cut short.
      const cutSecondLine: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!/\/files\/[^/]+\/content$/.test(new URL(String(input)).pathname)) return response;
        const lines = (await response.text()).split('\n');
        lines[1] = lines[1].slice(0, 20);
        return new Response(lines.join('\n'), { status: response.status, headers: response.headers });
      };
      const batch = batchRunner(server, { windowSize: 3, fetch: cutSecondLine, maxRetries: 0 });
      const settled = await Promise.allSettled(requests.slice(0, 3).map((r) => batch.complete(r)));
      expect(settled.map((s) => s.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      const failure = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(RunnerError);
      expect(failure.reason).toMatchObject({ fatal: false, retryable: true });
      expect(failure.reason.message).toMatch(/without an answer for request \w+ \(1 output line was not JSON\)/);
    }));

  it('reports progress until the batch completes', () =>
    withServer({ batchDelayMs: 40 }, async (server) => {
      const seen: BatchProgress[] = [];
      const batch = batchRunner(server, { windowSize: 2, onProgress: (p) => seen.push(p) });
      await Promise.all([batch.complete(requests[0]), batch.complete(requests[1])]);
      expect(seen[0].status).toBe('validating');
      expect(seen.at(-1)).toMatchObject({ status: 'completed', total: 2, completed: 2, failed: 0 });
    }));

  it('cancels a running batch on close and rejects its callers as aborted', () =>
    withServer({ batchDelayMs: 60_000 }, async (server) => {
      let reported = false;
      const batch = batchRunner(server, { windowSize: 1, onProgress: () => (reported = true) });
      const pending = batch.complete(requests[0]).catch((e) => e);
      for (let i = 0; i < 400 && !reported; i++) await sleep(5);
      await batch.close!();
      expect((await pending).kind).toBe('aborted');
      expect(calls(server, '/v1/batches/:id/cancel')).toBe(1);
    }));
});

describe('split', () => {
  const entries = (sizes: number[]) => sizes.map((n, i) => ({ id: i, line: 'x'.repeat(n) }));

  it('cuts at the byte limit, counting one newline per line', () => {
    const chunks = split(entries([4, 4, 4]), 100, 10);
    expect(chunks.map((c) => c.map((e) => e.id))).toEqual([[0, 1], [2]]);
  });

  it('cuts at the request limit', () => {
    expect(split(entries([1, 1, 1, 1, 1]), 2, 1000).map((c) => c.length)).toEqual([2, 2, 1]);
  });

  it('puts a line larger than the byte limit in a batch of its own', () => {
    expect(split(entries([1, 50, 1]), 10, 10).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
