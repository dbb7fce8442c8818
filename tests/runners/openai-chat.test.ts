import { describe, it, expect } from 'vitest';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { RunnerError, ConfigError } from '../../core/errors.js';

const KEY = 'sk-test-0123456789abcdefghijklmnop';

function completion(model = 'o3-mini-2025-01-31') {
  return {
    id: 'chatcmpl-1', object: 'chat.completion', created: 0, model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, completion_tokens_details: { reasoning_tokens: 1 } },
  };
}

/** A fetch that answers from a script and records every request body it saw. */
function scriptedFetch(answers: Array<() => Response>) {
  const bodies: any[] = [];
  let i = 0;
  const fetch = (async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    const answer = answers[Math.min(i++, answers.length - 1)];
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, bodies };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': 'req_123', ...headers } });

const error = (status: number, code: string, type = code) => json(status, { error: { message: `failed: ${code}`, type, code, param: null } });

describe('openai-chat runner', () => {
  it('sends developer messages natively to o-series models and reads usage and snapshot', async () => {
    const { fetch, bodies } = scriptedFetch([json(200, completion())]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 0 });
    const res = await runner.complete({ model: 'o3-mini', messages: [{ role: 'developer', content: 'd' }, { role: 'user', content: 'u' }], reasoning_effort: 'high', max_completion_tokens: 100 });
    expect(bodies[0].messages[0].role).toBe('developer');
    expect(bodies[0].reasoning_effort).toBe('high');
    expect(bodies[0].max_completion_tokens).toBe(100);
    expect(res.model).toBe('o3-mini-2025-01-31');
    expect(res.usage.reasoning_tokens).toBe(1);
    expect(res.request_id).toBe('req_123');
  });

  it('maps developer to system and max tokens to max_tokens for a model without a developer role', async () => {
    const { fetch, bodies } = scriptedFetch([json(200, completion('gpt-4-0613'))]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 0 });
    await runner.complete({ model: 'gpt-4-0613', messages: [{ role: 'developer', content: 'd' }, { role: 'user', content: 'u' }], max_completion_tokens: 50 });
    expect(bodies[0].messages[0].role).toBe('system');
    expect(bodies[0].max_tokens).toBe(50);
    expect(bodies[0].max_completion_tokens).toBeUndefined();
  });

  it('merges system and developer text into the user message for models with neither role', async () => {
    const { fetch, bodies } = scriptedFetch([json(200, completion('o1-mini'))]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 0 });
    await runner.complete({ model: 'o1-mini', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }] });
    expect(bodies[0].messages).toHaveLength(1);
    expect(bodies[0].messages[0].role).toBe('user');
    expect(bodies[0].messages[0].content).toContain('S');
    expect(bodies[0].messages[0].content).toContain('U');
  });

  it('refuses reasoning_effort for a model that does not take it, before any request', async () => {
    const { fetch, bodies } = scriptedFetch([json(200, completion())]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 0 });
    await expect(runner.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'u' }], reasoning_effort: 'low' })).rejects.toBeInstanceOf(ConfigError);
    expect(bodies).toHaveLength(0);
  });

  it('retries a 429 with Retry-After in the SDK, once', async () => {
    const { fetch, bodies } = scriptedFetch([
      json(429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '10' }),
      json(200, completion()),
    ]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 2 });
    const res = await runner.complete({ model: 'o3-mini', messages: [{ role: 'user', content: 'u' }] });
    expect(res.content).toBe('hello');
    expect(bodies).toHaveLength(2);
  });

  it('treats insufficient_quota as fatal and does not retry it', async () => {
    const { fetch, bodies } = scriptedFetch([error(429, 'insufficient_quota')]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 3 });
    const err = await runner.complete({ model: 'o3-mini', messages: [{ role: 'user', content: 'u' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(RunnerError);
    expect(err.fatal).toBe(true);
    expect(err.kind).toBe('quota');
    expect(bodies).toHaveLength(1);
  });

  it('turns a 401 into a fatal error that does not repeat the key', async () => {
    const { fetch } = scriptedFetch([json(401, { error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } })]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 3 });
    const err = await runner.complete({ model: 'o3-mini', messages: [{ role: 'user', content: 'u' }] }).catch((e) => e);
    expect(err.fatal).toBe(true);
    expect(err.kind).toBe('authentication');
    expect(err.status).toBe(401);
    expect(err.requestId).toBe('req_123');
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain('0123456789abcdef');
  });

  it('reports a 5xx after the SDK has given up as a retryable, non-fatal error', async () => {
    const { fetch, bodies } = scriptedFetch([error(500, 'server_error')]);
    const runner = openaiChatRunner({ apiKey: KEY, fetch, maxRetries: 1 });
    const err = await runner.complete({ model: 'o3-mini', messages: [{ role: 'user', content: 'u' }] }).catch((e) => e);
    expect(err.fatal).toBe(false);
    expect(err.kind).toBe('server');
    expect(bodies).toHaveLength(2);
  });
});
