// The Responses API on the mock: `input` items become a ChatRequest, so the same models serve both APIs.
import type { ChatRequest, FunctionTool, Message } from '../../core/wire.js';
import { checkEffort, checkMaxTokens, contentText, isObject, lookupModel, type Completion, type ParsedRequest } from './chat.js';
import { invalidRequest, invalidValue } from './errors.js';
import { snapshotOf, type MockModel } from './models.js';

const INPUT_ROLES = ['system', 'developer', 'user', 'assistant'] as const;

/**
 * `instructions` become a leading system message (the API calls them "a system (or developer) message");
 * consecutive `function_call` items join one assistant message, as in Chat Completions; reasoning items are skipped.
 */
export function parseResponsesBody(body: unknown): ParsedRequest & { echo: Record<string, unknown> } {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object.');
  const model = lookupModel(body.model);
  if (body.stream === true) throw invalidRequest('The mock server does not stream the Responses API; use Chat Completions to test streaming.', 'stream', 'unsupported_value');
  const messages: Message[] = [];
  if (typeof body.instructions === 'string' && body.instructions) messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else if (Array.isArray(body.input)) body.input.forEach((item: unknown, i: number) => addInputItem(messages, item, `input[${i}]`));
  else throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if (messages.length === 0) throw invalidRequest("Invalid 'input': empty array. Expected at least one item.", 'input', 'empty_array');
  const request: ChatRequest = { model: body.model, messages };
  const tools = body.tools === undefined || body.tools === null ? undefined : parseResponsesTools(body.tools);
  if (tools) request.tools = tools;
  const effort = checkEffort(isObject(body.reasoning) ? body.reasoning.effort : undefined, 'reasoning.effort');
  if (effort) request.reasoning_effort = effort;
  const maxTokens = checkMaxTokens(body.max_output_tokens, 'max_output_tokens');
  if (maxTokens !== undefined) request.max_completion_tokens = maxTokens;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  const echo = {
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: maxTokens ?? null,
    reasoning: { effort: effort ?? null, summary: null },
    tools: Array.isArray(body.tools) ? body.tools : [],
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    metadata: isObject(body.metadata) ? body.metadata : {},
  };
  return { model, request, echo };
}

function addInputItem(messages: Message[], item: unknown, at: string): void {
  if (!isObject(item)) throw invalidValue(at, 'expected an object');
  const type = item.type ?? 'message';
  if (type === 'message') {
    if (!INPUT_ROLES.includes(item.role)) {
      throw invalidRequest(`Invalid value: '${String(item.role)}'. Supported values are: 'system', 'developer', 'user', and 'assistant'.`, `${at}.role`, 'invalid_value');
    }
    messages.push({ role: item.role, content: contentText(item.content, `${at}.content`) });
  } else if (type === 'function_call') {
    if (typeof item.call_id !== 'string' || typeof item.name !== 'string') throw invalidValue(at, 'a function_call needs call_id and name');
    const call = { id: item.call_id, type: 'function' as const, function: { name: item.name, arguments: typeof item.arguments === 'string' ? item.arguments : '' } };
    const last = messages[messages.length - 1];
    if (last?.role === 'assistant') (last.tool_calls ??= []).push(call);
    else messages.push({ role: 'assistant', content: '', tool_calls: [call] });
  } else if (type === 'function_call_output') {
    if (typeof item.call_id !== 'string') throw invalidValue(at, 'a function_call_output needs call_id');
    messages.push({ role: 'tool', tool_call_id: item.call_id, content: contentText(item.output, `${at}.output`) });
  } else if (type !== 'reasoning') {
    throw invalidRequest(`Invalid value: '${String(type)}'. The mock takes input items of type message, function_call, function_call_output and reasoning.`, `${at}.type`, 'invalid_value');
  }
}

function parseResponsesTools(raw: unknown): FunctionTool[] {
  if (!Array.isArray(raw)) throw invalidRequest("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  return raw.map((tool, i) => {
    if (!isObject(tool) || tool.type !== 'function' || typeof tool.name !== 'string') {
      throw invalidRequest(`Invalid 'tools[${i}]': the mock takes only { type: 'function', name, parameters }.`, `tools[${i}]`, 'invalid_value');
    }
    const fn: FunctionTool['function'] = { name: tool.name, parameters: isObject(tool.parameters) ? tool.parameters : {} };
    if (typeof tool.description === 'string') fn.description = tool.description;
    return { type: 'function', function: fn };
  });
}

export function responseBody(id: string, createdAt: number, model: MockModel, c: Completion, echo: Record<string, unknown>) {
  const output: Record<string, unknown>[] = [];
  if (c.content || c.toolCalls.length === 0) {
    output.push({
      type: 'message',
      id: `msg_${id.slice(5)}`,
      status: c.finishReason === 'length' ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: c.content, annotations: [], logprobs: [] }],
    });
  }
  c.toolCalls.forEach((call, i) => {
    output.push({ type: 'function_call', id: `fc_${id.slice(5)}_${i}`, call_id: call.id, name: call.function.name, arguments: call.function.arguments, status: 'completed' });
  });
  const truncated = c.finishReason === 'length';
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: truncated ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: truncated ? { reason: 'max_output_tokens' } : null,
    model: snapshotOf(model),
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    service_tier: 'default',
    store: false,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    top_p: 1,
    truncation: 'disabled',
    usage: {
      input_tokens: c.promptTokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: c.completionTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: c.promptTokens + c.completionTokens,
    },
    ...echo,
  };
}
