// One behaviour suite run against every runner, each over HTTP against the mock server (STYLE: one conformance suite).
import { describe, it, expect } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { conversationKey, type MockServer } from '../../runners/mock/server.js';
import { withServer } from './with-server.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { openaiResponsesRunner } from '../../runners/openai-responses.js';
import { openaiBatchRunner } from '../../runners/openai-batch.js';
import { RunnerError } from '../../core/errors.js';
import type { ChatRequest, Message, ReasoningEffort, Runner } from '../../core/wire.js';

type Case = 'developer role' | 'reasoning_effort' | 'tools round trip' | '429 with Retry-After' | 'quota is fatal' | 'timeout' | 'abort';

interface RunnerOptions {
  maxRetries?: number;
  timeoutMs?: number;
}

interface Subject {
  name: string;
  make(server: MockServer, options: RunnerOptions): Runner;
  /** Cases this runner does not take part in, and why. */
  skips: Partial<Record<Case, string>>;
}

const KEY = 'sk-conformance-0123456789';

const subjects: Subject[] = [
  {
    name: 'openai-chat',
    make: (server, o) => openaiChatRunner({ apiKey: KEY, baseURL: server.url, maxRetries: o.maxRetries ?? 2, timeoutMs: o.timeoutMs }),
    skips: {},
  },
  {
    name: 'openai-responses',
    make: (server, o) => openaiResponsesRunner({ apiKey: KEY, baseURL: server.url, maxRetries: o.maxRetries ?? 2, timeoutMs: o.timeoutMs }),
    skips: {},
  },
  {
    name: 'openai-batch',
    make: (server, o) => openaiBatchRunner({ apiKey: KEY, baseURL: server.url, maxRetries: o.maxRetries ?? 2, timeoutMs: o.timeoutMs, windowMs: 5, pollIntervalMs: 5 }),
    skips: {
      '429 with Retry-After': 'batch lines are queued by the Batch API, which applies no per-request rate limit; uploads and polls retry in the SDK as openai-chat does',
      timeout: 'the mock hangs model calls only, and batch lines are answered without faults; the SDK timeout of uploads and polls is the one openai-chat exercises',
    },
  },
];

const TOOL_MODEL = 'mock-python';

const ask = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'mock-hierarchy', messages, ...extra });

for (const subject of subjects) {
  describe(`runner conformance: ${subject.name}`, () => {
    const test = (name: Case, body: () => Promise<void>) => {
      const reason = subject.skips[name];
      if (reason) it.skip(`${name} (skipped: ${reason})`, body);
      else it(name, body);
    };

    test('developer role', () =>
      withServer({}, async (server) => {
        const messages: Message[] = [
          { role: 'developer', content: 'Answer every question in exactly three words.' },
          { role: 'user', content: 'What colour is the sky?' },
        ];
        const runner = subject.make(server, {});
        const response = await runner.complete(ask(messages));
        // The server counts the conversation it answered as it was on the wire: the developer message arrived as such.
        expect(server.stats().completionsByConversation[conversationKey(messages)]).toBe(1);
        expect(response.model).toBe('mock-hierarchy-2026-01-01');
        expect(response.usage.prompt_tokens).toBeGreaterThan(0);
        await runner.close?.();
      }));

    test('reasoning_effort', () =>
      withServer({}, async (server) => {
        const runner = subject.make(server, {});
        const messages: Message[] = [{ role: 'user', content: 'Think hard.' }];
        await expect(runner.complete(ask(messages, { reasoning_effort: 'high' }))).resolves.toMatchObject({ finish_reason: 'stop' });
        // The server validates the effort it receives: an invalid one is refused, so it did reach the server.
        const refused = await runner.complete(ask(messages, { reasoning_effort: 'extreme' as ReasoningEffort })).catch((e) => e);
        expect(refused).toBeInstanceOf(RunnerError);
        expect(refused).toMatchObject({ kind: 'invalid_request', status: 400 });
        await runner.close?.();
      }));

    test('tools round trip', () =>
      withServer({}, async (server) => {
        const runner = subject.make(server, {});
        const tools = [
          {
            type: 'function' as const,
            function: { name: 'python', description: 'Runs Python 3 code and returns what it prints.', parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } },
          },
        ];
        const messages: Message[] = [
          { role: 'system', content: 'You can run Python with the python tool. End with a line ANSWER: <answer>.' },
          { role: 'user', content: 'How many prime numbers are smaller than 100?' },
        ];
        const first = await runner.complete({ model: TOOL_MODEL, messages, tools });
        expect(first.tool_calls).toHaveLength(1);
        const call = first.tool_calls[0];
        expect(call).toMatchObject({ type: 'function', function: { name: 'python' } });
        expect(JSON.parse(call.function.arguments).code).toEqual(expect.any(String));
        const second = await runner.complete({
          model: TOOL_MODEL,
          tools,
          messages: [...messages, { role: 'assistant', content: first.content, tool_calls: first.tool_calls }, { role: 'tool', tool_call_id: call.id, content: '25\n' }],
        });
        expect(second.tool_calls).toHaveLength(0);
        expect(second.content).toContain('ANSWER: 25');
        await runner.close?.();
      }));

    test('429 with Retry-After', () =>
      // With seed 8 and a 50% share of injected 429s the mock answers the first call 429 (retry-after-ms 100), the next 200.
      withServer({ rate429: 0.5, seed: 8 }, async (server) => {
        const runner = subject.make(server, { maxRetries: 2 });
        const response = await runner.complete(ask([{ role: 'user', content: 'Hello' }]));
        expect(response.content.length).toBeGreaterThan(0);
        expect(server.stats().byStatus).toMatchObject({ '429': 1, '200': 1 });
        await runner.close?.();
      }));

    test('quota is fatal', () =>
      withServer({ quotaExceeded: true }, async (server) => {
        const runner = subject.make(server, { maxRetries: 3 });
        const error = await runner.complete(ask([{ role: 'user', content: 'Hello' }])).catch((e) => e);
        expect(error).toBeInstanceOf(RunnerError);
        expect(error).toMatchObject({ fatal: true, kind: 'quota', status: 429 });
        expect(server.stats().requests).toBe(1);
        await runner.close?.();
      }));

    test('timeout', () =>
      withServer({ hangRate: 1 }, async (server) => {
        const runner = subject.make(server, { maxRetries: 0, timeoutMs: 200 });
        const error = await runner.complete(ask([{ role: 'user', content: 'Hello' }])).catch((e) => e);
        expect(error).toBeInstanceOf(RunnerError);
        expect(error).toMatchObject({ kind: 'timeout', retryable: true, fatal: false });
        await runner.close?.();
      }));

    test('abort', () =>
      withServer({ hangRate: 1 }, async (server) => {
        const runner = subject.make(server, { maxRetries: 0, timeoutMs: 60_000 });
        const controller = new AbortController();
        const pending = runner.complete(ask([{ role: 'user', content: 'Hello' }]), { signal: controller.signal }).catch((e) => e);
        // Abort once the server has seen the call (the hung completion, or the batch runner's upload).
        for (let i = 0; i < 400 && server.stats().requests === 0; i++) await sleep(5);
        controller.abort();
        const error = await pending;
        expect(error).toBeInstanceOf(RunnerError);
        expect(error).toMatchObject({ kind: 'aborted', fatal: false });
        await runner.close?.();
      }));
  });
}
