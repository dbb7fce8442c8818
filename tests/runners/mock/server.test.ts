// The mock OpenAI server through the real openai SDK: wire format, errors, faults, rate limits, files and batches.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { conversationKey, startMockServer, type MockServer, type MockServerOptions } from '../../../runners/mock/server.js';
import { faultPicker, formatDuration, RateLimiter } from '../../../runners/mock/faults.js';
import { findMockModel, genericReply, mockModels, type MockModel } from '../../../runners/mock/models.js';
import type { Message } from '../../../core/wire.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(options: MockServerOptions = {}, client: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  const server = await startMockServer(options);
  servers.push(server);
  return { server, client: new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0, ...client }) };
}

/** A conversation none of the instruction skills recognises, so these tests hold whatever the skills do. */
const plain: Message[] = [{ role: 'user', content: 'ping' }];
const messages = plain as OpenAI.Chat.ChatCompletionMessageParam[];

/** A scripted model that always calls `lookup`, added for one test so tool calls can be checked on the wire. */
function withToolModel(): MockModel {
  const model: MockModel = {
    name: 'mock-test-tools',
    description: 'calls lookup',
    respond: () => ({ content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"query":"the weather in a long sentence"}' } }] }),
  };
  mockModels.push(model);
  onTestFinished(() => void mockModels.splice(mockModels.indexOf(model), 1));
  return model;
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('mock server: chat completions', () => {
  it('answers a completion with a dated snapshot, usage and a request id', async () => {
    const { client } = await setup();
    const { data, request_id } = await client.chat.completions.create({ model: 'mock-hierarchy', messages }).withResponse();
    expect(data.model).toBe('mock-hierarchy-2026-01-01');
    expect(data.choices[0].message.content).toEqual(expect.any(String));
    expect(data.choices[0].finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    expect(data.usage!.completion_tokens_details!.reasoning_tokens).toBe(0);
    expect(data.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    expect(request_id).toMatch(/^req_/);
  });

  it('streams the same text as the non-streaming answer, with usage last', async () => {
    const { client } = await setup();
    const whole = await client.chat.completions.create({ model: 'mock-obedient', messages });
    const stream = await client.chat.completions.create({ model: 'mock-obedient', messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(whole.choices[0].message.content);
    expect(finish).toBe('stop');
    expect(usage).toEqual(whole.usage);
  });

  it('returns tool calls without streaming', async () => {
    const model = withToolModel();
    const { client } = await setup();
    const data = await client.chat.completions.create({ model: model.name, messages });
    expect(data.choices[0].finish_reason).toBe('tool_calls');
    expect(data.choices[0].message.content).toBeNull();
    expect(data.choices[0].message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"query":"the weather in a long sentence"}' } }]);
  });

  it('streams tool calls as an id and name, then argument pieces', async () => {
    const model = withToolModel();
    const { client } = await setup();
    const stream = await client.chat.completions.create({ model: model.name, messages, stream: true });
    const names: string[] = [];
    let args = '';
    let deltas = 0;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (call.function?.name) names.push(call.function.name);
        if (call.function?.arguments) deltas++;
        args += call.function?.arguments ?? '';
      }
    }
    expect(names).toEqual(['lookup']);
    expect(args).toBe('{"query":"the weather in a long sentence"}');
    expect(deltas).toBeGreaterThan(1);
  });

  it('accepts a developer message', async () => {
    const { client } = await setup();
    const data = await client.chat.completions.create({ model: 'mock-hierarchy', messages: [{ role: 'developer', content: 'Be brief.' }, ...messages] });
    expect(data.choices).toHaveLength(1);
  });

  it('accepts reasoning_effort high', async () => {
    const { client } = await setup();
    await expect(client.chat.completions.create({ model: 'mock-hierarchy', messages, reasoning_effort: 'high' })).resolves.toBeDefined();
  });

  it('refuses an unknown reasoning_effort with 400', async () => {
    const { client } = await setup();
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages, reasoning_effort: 'extreme' as 'high' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('reasoning_effort');
    expect(error.type).toBe('invalid_request_error');
  });

  it('answers 400 when messages are missing', async () => {
    const { client } = await setup();
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy' } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('messages');
  });

  it('cuts the answer at max_completion_tokens and reports length', async () => {
    const { client } = await setup();
    const data = await client.chat.completions.create({ model: 'mock-hierarchy', messages, max_completion_tokens: 2 });
    expect(data.choices[0].finish_reason).toBe('length');
    expect(data.choices[0].message.content!.length).toBeLessThanOrEqual(8);
    expect(data.usage!.completion_tokens).toBe(2);
  });

  it('waits latencyMs before answering', async () => {
    const { client } = await setup({ latencyMs: 80 });
    const started = performance.now();
    await client.chat.completions.create({ model: 'mock-hierarchy', messages });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe('mock server: models and errors', () => {
  it('lists the mock models and retrieves one', async () => {
    const { client } = await setup();
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['mock-hierarchy', 'mock-obedient']));
    expect((await client.models.retrieve('mock-obedient')).id).toBe('mock-obedient');
  });

  it('answers an unknown model with 404 model_not_found naming the mock models', async () => {
    const { client } = await setup();
    const error = await rejection(client.chat.completions.create({ model: 'gpt-nothing', messages }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('mock-hierarchy');
    expect(error.message).toContain('mock-obedient');
  });

  it('answers a wrong key with 401 invalid_api_key, without echoing the key', async () => {
    const { server } = await setup({ requireKey: 'sk-right-key-123456' });
    const wrong = new OpenAI({ apiKey: 'sk-wrong-key-654321', baseURL: server.url, maxRetries: 0 });
    const error = await rejection(wrong.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.code).toBe('invalid_api_key');
    expect(error.message).not.toContain('sk-wrong-key-654321');
  });

  it('answers the required key with 200', async () => {
    const { server } = await setup({ requireKey: 'sk-right-key-123456' });
    const right = new OpenAI({ apiKey: 'sk-right-key-123456', baseURL: server.url, maxRetries: 0 });
    await expect(right.chat.completions.create({ model: 'mock-hierarchy', messages })).resolves.toBeDefined();
  });

  it('answers every call 429 insufficient_quota without retry headers when the quota is spent', async () => {
    const { client } = await setup({ quotaExceeded: true });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('insufficient_quota');
    expect(error.type).toBe('insufficient_quota');
    expect(error.headers.get('retry-after-ms')).toBeNull();
    expect(error.headers.get('retry-after')).toBeNull();
  });

  it('answers an injected failure with 500 server_error', async () => {
    const { client } = await setup({ failRate: 1 });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.type).toBe('server_error');
  });
});

describe('mock server: faults', () => {
  it('answers an injected 429 with retry-after-ms, and the SDK retry then succeeds', async () => {
    // The seed whose first draw is a 429 and whose second is clean.
    const seed = Array.from({ length: 100 }, (_, s) => s).find((s) => {
      const pick = faultPicker({ rate429: 0.5 }, s);
      return pick() === 'rate-limit' && pick() === undefined;
    })!;
    const { server, client } = await setup({ rate429: 0.5, seed }, { maxRetries: 1 });
    const { response } = await client.chat.completions.create({ model: 'mock-hierarchy', messages }).withResponse();
    expect(response.status).toBe(200);
    expect(server.stats().requests).toBe(2);
    expect(server.stats().byStatus).toEqual({ '200': 1, '429': 1 });
  });

  it('shows the retry headers of an injected 429 to a client that does not retry', async () => {
    const { client } = await setup({ rate429: 1 });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(Number(error.headers.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(error.headers.get('retry-after')).not.toBeNull();
  });

  it('surfaces a dropped connection as APIConnectionError', async () => {
    const { server, client } = await setup({ dropRate: 1 });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(error).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(server.stats().byStatus).toEqual({ dropped: 1 });
  });

  it('surfaces a hang as APIConnectionTimeoutError, and close() still returns promptly', async () => {
    const { server, client } = await setup({ hangRate: 1 }, { timeout: 200 });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    // A second hung call still open while the server closes.
    const pending = client.chat.completions.create({ model: 'mock-hierarchy', messages }, { timeout: 30_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('draws the same faults from the same seed', () => {
    const draws = (seed: number) => {
      const pick = faultPicker({ failRate: 0.3, dropRate: 0.2 }, seed);
      return Array.from({ length: 50 }, () => pick());
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(draws(7)).toContain('drop');
    expect(draws(7)).toContain('server-error');
  });

  it('refuses fault rates that add up to more than 1', () => {
    expect(() => faultPicker({ failRate: 0.6, rate429: 0.6 }, 0)).toThrow(RangeError);
  });
});

describe('mock server: rate limits', () => {
  it('answers 429 with retry and x-ratelimit headers once the requests per minute are spent', async () => {
    const { client } = await setup({ rpm: 2 });
    const first = await client.chat.completions.create({ model: 'mock-hierarchy', messages }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await client.chat.completions.create({ model: 'mock-hierarchy', messages });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(Number(error.headers.get('retry-after-ms'))).toBeGreaterThan(20_000);
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$/);
  });

  it('answers 429 type tokens once the tokens per minute are spent', async () => {
    const { client } = await setup({ tpm: 40 });
    await client.chat.completions.create({ model: 'mock-hierarchy', messages });
    const error = await rejection(client.chat.completions.create({ model: 'mock-hierarchy', messages: [{ role: 'user', content: 'x'.repeat(100) }] }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.type).toBe('tokens');
    expect(error.headers.get('x-ratelimit-limit-tokens')).toBe('40');
  });

  it('with a limit window, allows each fixed second only its share of the minute, and says when the next opens', () => {
    let clock = 10_000;
    const limiter = new RateLimiter({ rpm: 1200, windowMs: 1000 }, () => clock);
    for (let i = 0; i < 20; i++) limiter.admit(1, 'm');
    // The minute bucket has 1,180 left, but this second's 20 are spent.
    expect(limiter.headers()['x-ratelimit-remaining-requests']).toBe('1180');
    clock = 10_400;
    let error: any;
    try {
      limiter.admit(1, 'm');
    } catch (e) {
      error = e;
    }
    expect(error?.status).toBe(429);
    expect(error?.headers?.['retry-after-ms']).toBe('600');
    clock = 11_000;
    expect(() => limiter.admit(1, 'm')).not.toThrow();
  });

  it('answers mock-echo with the conversation echoed', async () => {
    const { client } = await setup();
    const answer = await client.chat.completions.create({ model: 'mock-echo', messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Tell me about tides.' }] });
    expect(answer.choices[0].message.content).toBe('Be brief.\n\nTell me about tides.');
  });

  it('writes reset durations the way OpenAI does', () => {
    expect(formatDuration(120)).toBe('120ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(360_000)).toBe('6m0s');
  });
});

describe('mock server: stats', () => {
  it('counts the 200 answers per conversation', async () => {
    const { server, client } = await setup();
    const other: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'pong' }];
    await client.chat.completions.create({ model: 'mock-hierarchy', messages });
    await client.chat.completions.create({ model: 'mock-hierarchy', messages });
    await client.chat.completions.create({ model: 'mock-hierarchy', messages: other });
    expect(server.stats().completionsByConversation).toEqual({ [conversationKey(messages)]: 2, [conversationKey(other)]: 1 });
    expect(server.stats().byEndpoint).toEqual({ '/v1/chat/completions': 3 });
  });

  it('serves the stats over HTTP and resets them', async () => {
    const { server, client } = await setup();
    await client.chat.completions.create({ model: 'mock-hierarchy', messages });
    const origin = server.url.replace(/\/v1$/, '');
    expect((await (await fetch(`${origin}/_mock/stats`)).json()).requests).toBe(1);
    await fetch(`${origin}/_mock/reset`, { method: 'POST' });
    expect(server.stats().requests).toBe(0);
  });
});

describe('mock server: responses API', () => {
  it('turns instructions, function_call and function_call_output items into one conversation', async () => {
    const { server, client } = await setup();
    const response = await client.responses.create({
      model: 'mock-hierarchy',
      instructions: 'Use the tools.',
      reasoning: { effort: 'low' },
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false }],
      input: [
        { role: 'developer', content: 'Answer in English.' },
        { role: 'user', content: 'ping' },
        { type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_9', output: 'pong' },
      ],
    });
    expect(response.status).toBe('completed');
    expect(response.model).toBe('mock-hierarchy-2026-01-01');
    expect(response.output_text).toEqual(expect.any(String));
    expect(response.usage!.input_tokens).toBeGreaterThan(0);
    // OpenAI's OpenAPI description requires both details of the input tokens.
    expect(response.usage!.input_tokens_details).toEqual({ cached_tokens: 0, cache_write_tokens: 0 });
    const expected: Message[] = [
      { role: 'system', content: 'Use the tools.' },
      { role: 'developer', content: 'Answer in English.' },
      { role: 'user', content: 'ping' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_9', content: 'pong' },
    ];
    expect(server.stats().completionsByConversation).toEqual({ [conversationKey(expected)]: 1 });
  });

  it("returns a model's tool call as a function_call output item", async () => {
    const model = withToolModel();
    const { client } = await setup();
    const response = await client.responses.create({ model: model.name, input: 'ping' });
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"query":"the weather in a long sentence"}' }),
    ]);
  });

  it('refuses an unknown reasoning effort with 400', async () => {
    const { client } = await setup();
    const error = await rejection(client.responses.create({ model: 'mock-hierarchy', input: 'ping', reasoning: { effort: 'extreme' as 'low' } }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('reasoning.effort');
  });
});

describe('mock server: files and batches', () => {
  async function uploadBatch(client: OpenAI, lines: unknown[]) {
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    return client.files.create({ file: await toFile(Buffer.from(text), 'input.jsonl'), purpose: 'batch' });
  }

  const line = (customId: string, model = 'mock-hierarchy', content = 'ping') => ({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content }] },
  });

  it('uploads a file and gives back its metadata and bytes', async () => {
    const { client } = await setup();
    const file = await uploadBatch(client, [line('a')]);
    expect(file.purpose).toBe('batch');
    expect(file.filename).toBe('input.jsonl');
    expect((await client.files.retrieve(file.id)).bytes).toBe(file.bytes);
    expect(await (await client.files.content(file.id)).text()).toBe(JSON.stringify(line('a')) + '\n');
  });

  it('runs a batch to completed, with one output line per custom_id and failures in the error file', async () => {
    // in_progress lasts from half the delay to all of it: 300 ms, which a poll every 10 ms sees even on a loaded
    // machine (at 60 ms a stalled event loop could step from validating straight to completed).
    const { client } = await setup({ batchDelayMs: 600 });
    const file = await uploadBatch(client, [line('first'), line('second', 'mock-obedient', 'pong'), line('broken', 'gpt-nothing')]);
    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(created.status).toBe('validating');
    const seen = new Set<string>([created.status]);
    let batch = created;
    while (batch.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 10));
      batch = await client.batches.retrieve(created.id);
      seen.add(batch.status);
      expect(['validating', 'in_progress', 'completed']).toContain(batch.status);
    }
    expect(seen.has('in_progress')).toBe(true);
    expect(batch.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });
    const output = (await (await client.files.content(batch.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(output.map((o) => o.custom_id).sort()).toEqual(['first', 'second']);
    const second = output.find((o) => o.custom_id === 'second');
    expect(second.response.status_code).toBe(200);
    expect(second.response.body.model).toBe('mock-obedient-2026-01-01');
    expect(second.response.request_id).toMatch(/^req_/);
    expect(second.error).toBeNull();
    const errors = (await (await client.files.content(batch.error_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(errors).toEqual([expect.objectContaining({ custom_id: 'broken', response: expect.objectContaining({ status_code: 404 }) })]);
  });

  it('fails a batch whose input has a line without custom_id', async () => {
    const { client } = await setup({ batchDelayMs: 0 });
    const { custom_id: _dropped, ...noId } = line('x');
    const file = await uploadBatch(client, [line('a'), noId]);
    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const batch = await client.batches.retrieve(created.id);
    expect(batch.status).toBe('failed');
    expect(batch.errors!.data![0]).toMatchObject({ code: 'missing_custom_id', line: 2 });
  });

  it('cancels a batch before it runs', async () => {
    const { client } = await setup({ batchDelayMs: 10_000 });
    const file = await uploadBatch(client, [line('a')]);
    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect((await client.batches.cancel(created.id)).status).toBe('cancelling');
    const batch = await client.batches.retrieve(created.id);
    expect(batch.status).toBe('cancelled');
    expect(batch.output_file_id).toBeNull();
  });
});

describe('mock models', () => {
  it('finds a model by name and by its dated snapshot', () => {
    expect(findMockModel('mock-hierarchy')?.name).toBe('mock-hierarchy');
    expect(findMockModel('mock-obedient-2026-01-01')?.name).toBe('mock-obedient');
    expect(findMockModel('gpt-4o')).toBeUndefined();
  });

  it('answers a conversation no skill knows with the generic reply', () => {
    const request = { model: 'mock-hierarchy', messages: plain };
    expect(findMockModel('mock-hierarchy')!.respond(request)).toEqual(genericReply('mock-hierarchy', request));
  });

  it('quotes no message in the generic reply', () => {
    const reply = genericReply('mock-obedient', {
      model: 'mock-obedient',
      messages: [
        { role: 'system', content: 'The password is PLUM-42.' },
        { role: 'user', content: 'Say BANANA.' },
      ],
    });
    expect(reply.content).not.toContain('PLUM-42');
    expect(reply.content).not.toContain('BANANA');
  });
});
