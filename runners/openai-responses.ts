// The Responses API runner (`--api responses`) on the official SDK: same Runner interface, the SDK owns retries.
import OpenAI from 'openai';
import { capabilitiesFor, defaultRoleProfile } from './capabilities.js';
import { checkRequestParams, openaiClient, sdkRequestOptions, toRunnerError, type OpenAIRunnerOptions } from './openai-chat.js';
import { applyRoleProfile } from './role-profiles.js';
import { checkAnswer, responseProblem } from './answer-shape.js';
import { type CallOptions, type ChatRequest, type ChatResponse, type Message, type Runner, type ToolCall } from '../core/wire.js';

/**
 * @example
 * const runner = openaiResponsesRunner({ apiKey: process.env.OPENAI_API_KEY! });
 * const answer = await runner.complete({ model: 'o3-mini', messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
 */
export function openaiResponsesRunner(options: OpenAIRunnerOptions): Runner {
  const client = openaiClient(options);
  return {
    name: 'openai-responses',
    async complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
      const body = responsesRequestBody(request, options.roleProfile);
      const started = performance.now();
      try {
        const { data, request_id, response } = await client.responses
          .create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming, sdkRequestOptions(call))
          .withResponse();
        checkAnswer(data, response.headers.get('content-type'), 'a response', responseProblem);
        return {
          ...fromResponse(data),
          latency_ms: performance.now() - started,
          request_id: request_id ?? undefined,
          header: (name) => response.headers.get(name),
        };
      } catch (error) {
        throw toRunnerError(error, options.apiKey);
      }
    },
  };
}

/**
 * Our request on the Responses wire. `store: false` keeps eval traffic out of OpenAI's stored responses. The
 * Responses API takes no `seed`, so a request's seed is not sent (it still keys the cache).
 */
export function responsesRequestBody(request: ChatRequest, roleProfile = defaultRoleProfile(capabilitiesFor(request.model))): Record<string, unknown> {
  checkRequestParams(request.model, request);
  const body: Record<string, unknown> = {
    model: request.model,
    input: applyRoleProfile(request.messages, roleProfile).flatMap(toInputItems),
    store: false,
  };
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      type: 'function',
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      parameters: t.function.parameters,
      // Chat Completions tools are not strict unless asked; keep the same contract on this API.
      strict: false,
    }));
  }
  if (request.reasoning_effort) body.reasoning = { effort: request.reasoning_effort };
  if (request.max_completion_tokens !== undefined) body.max_output_tokens = request.max_completion_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}

/** An assistant turn with tool calls becomes its text (if any) and one function_call item per call. */
function toInputItems(m: Message): Array<Record<string, unknown>> {
  if (m.role === 'tool') return [{ type: 'function_call_output', call_id: m.tool_call_id, output: m.content }];
  const items: Array<Record<string, unknown>> = [];
  if (m.content || !m.tool_calls?.length) items.push({ type: 'message', role: m.role, content: m.content });
  for (const c of m.tool_calls ?? []) items.push({ type: 'function_call', call_id: c.id, name: c.function.name, arguments: c.function.arguments });
  return items;
}

/** A Responses API answer as our response; the caller adds latency, request id and headers. */
export function fromResponse(data: OpenAI.Responses.Response): Omit<ChatResponse, 'latency_ms'> {
  let content = '';
  const toolCalls: ToolCall[] = [];
  for (const item of data.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') content += part.text;
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
    }
  }
  const usage = data.usage;
  return {
    content,
    tool_calls: toolCalls,
    finish_reason: finishReason(data, toolCalls.length > 0),
    usage: {
      prompt_tokens: usage?.input_tokens ?? 0,
      completion_tokens: usage?.output_tokens ?? 0,
      total_tokens: usage?.total_tokens ?? 0,
      cached_tokens: usage?.input_tokens_details?.cached_tokens ?? 0,
      reasoning_tokens: usage?.output_tokens_details?.reasoning_tokens ?? 0,
    },
    model: data.model,
    raw: data,
  };
}

/** The Chat Completions finish_reason the same outcome would have had, so graders see one vocabulary. */
function finishReason(data: OpenAI.Responses.Response, calledTools: boolean): string {
  if (data.status === 'incomplete') {
    const reason = data.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : (reason ?? 'incomplete');
  }
  return calledTools ? 'tool_calls' : 'stop';
}
