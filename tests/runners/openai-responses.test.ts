import { describe, it, expect } from 'vitest';
import type OpenAI from 'openai';
import { fromResponse, openaiResponsesRunner, responsesRequestBody } from '../../runners/openai-responses.js';
import { ConfigError, RunnerError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/wire.js';

const python = { type: 'function' as const, function: { name: 'python', description: 'Runs Python', parameters: { type: 'object', properties: { code: { type: 'string' } } } } };

describe('responsesRequestBody', () => {
  it('sends system and developer messages as input messages with their roles to a model that takes them', () => {
    const body = responsesRequestBody({ model: 'o3-mini', messages: [{ role: 'system', content: 'S' }, { role: 'developer', content: 'D' }, { role: 'user', content: 'U' }] });
    expect(body.input).toEqual([
      { type: 'message', role: 'system', content: 'S' },
      { type: 'message', role: 'developer', content: 'D' },
      { type: 'message', role: 'user', content: 'U' },
    ]);
  });

  it('applies the role profile for a model without a developer role', () => {
    const body = responsesRequestBody({ model: 'gpt-4-0613', messages: [{ role: 'developer', content: 'D' }, { role: 'user', content: 'U' }] });
    expect((body.input as Array<{ role: string }>)[0].role).toBe('system');
  });

  it('maps tools to non-strict function tools', () => {
    const body = responsesRequestBody({ model: 'o3-mini', messages: [{ role: 'user', content: 'U' }], tools: [python] });
    expect(body.tools).toEqual([{ type: 'function', name: 'python', description: 'Runs Python', parameters: python.function.parameters, strict: false }]);
  });

  it('turns assistant tool calls into function_call items and tool messages into function_call_output', () => {
    const request: ChatRequest = {
      model: 'o3-mini',
      messages: [
        { role: 'user', content: 'U' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'python', arguments: '{"code":"print(1)"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '1' },
      ],
    };
    const input = responsesRequestBody(request).input as unknown[];
    expect(input.slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'python', arguments: '{"code":"print(1)"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '1' },
    ]);
  });

  it('puts reasoning effort under reasoning and the token cap in max_output_tokens, and stores nothing', () => {
    const body = responsesRequestBody({ model: 'o3-mini', messages: [{ role: 'user', content: 'U' }], reasoning_effort: 'high', max_completion_tokens: 64 });
    expect(body.reasoning).toEqual({ effort: 'high' });
    expect(body.max_output_tokens).toBe(64);
    expect(body.store).toBe(false);
  });

  it('refuses reasoning effort for a model that does not take it', () => {
    expect(() => responsesRequestBody({ model: 'gpt-4o', messages: [{ role: 'user', content: 'U' }], reasoning_effort: 'low' })).toThrow(ConfigError);
  });
});

describe('fromResponse', () => {
  const response = (extra: Partial<OpenAI.Responses.Response>) =>
    ({
      id: 'resp_1',
      model: 'o3-mini-2025-01-31',
      status: 'completed',
      output: [],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 6, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 16 },
      ...extra,
    }) as unknown as OpenAI.Responses.Response;

  it('joins output text and maps usage', () => {
    const r = fromResponse(response({ output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hel' }, { type: 'output_text', text: 'lo' }] }] as never }));
    expect(r.content).toBe('Hello');
    expect(r.finish_reason).toBe('stop');
    expect(r.usage).toEqual({ prompt_tokens: 10, completion_tokens: 6, total_tokens: 16, cached_tokens: 4, reasoning_tokens: 2 });
    expect(r.model).toBe('o3-mini-2025-01-31');
  });

  it('returns function_call outputs as tool calls', () => {
    const r = fromResponse(response({ output: [{ type: 'function_call', call_id: 'call_9', name: 'python', arguments: '{}' }] as never }));
    expect(r.tool_calls).toEqual([{ id: 'call_9', type: 'function', function: { name: 'python', arguments: '{}' } }]);
    expect(r.finish_reason).toBe('tool_calls');
  });

  it('reports a cut-off answer as length', () => {
    expect(fromResponse(response({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })).finish_reason).toBe('length');
  });
});

describe('openaiResponsesRunner errors', () => {
  it('maps a 401 to a fatal authentication error through the shared mapping', async () => {
    const fetch = (async () =>
      new Response(JSON.stringify({ error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      })) as unknown as typeof globalThis.fetch;
    const runner = openaiResponsesRunner({ apiKey: 'sk-test-0123456789', fetch, maxRetries: 0 });
    const error = await runner.complete({ model: 'o3-mini', messages: [{ role: 'user', content: 'U' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ fatal: true, kind: 'authentication', status: 401 });
  });
});
