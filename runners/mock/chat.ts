// Chat Completions on the mock: the wire body checked into a ChatRequest, a scripted reply, the wire answer.
import type { ChatRequest, FunctionTool, Message, ReasoningEffort, Role, ToolCall } from '../../core/wire.js';
import { invalidRequest, notFound } from './errors.js';
import { findMockModel, mockModels, snapshotOf, type MockModel } from './models.js';

export interface ParsedRequest {
  model: MockModel;
  request: ChatRequest;
}

export interface ParsedChat extends ParsedRequest {
  stream: boolean;
  includeUsage: boolean;
}

/** A model's answer with its token counts, ready to be written in either API's shape. */
export interface Completion {
  content: string;
  toolCalls: ToolCall[];
  finishReason: 'stop' | 'tool_calls' | 'length';
  promptTokens: number;
  completionTokens: number;
}

const ROLES: readonly Role[] = ['system', 'developer', 'user', 'assistant', 'tool'];
const EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function lookupModel(name: unknown): MockModel {
  if (typeof name !== 'string' || name === '') throw invalidRequest('you must provide a model parameter', 'model');
  const model = findMockModel(name);
  if (!model) {
    throw notFound(
      `The model \`${name}\` does not exist or you do not have access to it. The mock server serves: ${mockModels.map((m) => m.name).join(', ')}.`,
      'model_not_found',
    );
  }
  return model;
}

export function checkEffort(effort: unknown, param: string): ReasoningEffort | undefined {
  if (effort === undefined || effort === null) return undefined;
  if (!EFFORTS.includes(effort as ReasoningEffort)) {
    throw invalidRequest(`Invalid value: '${String(effort)}'. Supported values are: 'low', 'medium', and 'high'.`, param, 'invalid_value');
  }
  return effort as ReasoningEffort;
}

export function checkMaxTokens(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidRequest(`Invalid '${param}': expected an integer of at least 1.`, param, 'invalid_value');
  return value as number;
}

/** Text of a content field: a string, or an array of parts whose `text` is joined (the SDK allows both). */
export function contentText(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  throw invalidRequest(`Invalid type for '${param}': expected a string or an array of content parts.`, param, 'invalid_type');
}

export function parseChatBody(body: unknown): ParsedChat {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object.');
  const model = lookupModel(body.model);
  if (body.messages === undefined) throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(body.messages)) throw invalidRequest("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
  if (body.messages.length === 0) throw invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');
  const request: ChatRequest = { model: body.model, messages: body.messages.map(parseMessage) };
  if (body.tools !== undefined && body.tools !== null) request.tools = parseChatTools(body.tools);
  const effort = checkEffort(body.reasoning_effort, 'reasoning_effort');
  if (effort) request.reasoning_effort = effort;
  const maxTokens = checkMaxTokens(body.max_completion_tokens, 'max_completion_tokens') ?? checkMaxTokens(body.max_tokens, 'max_tokens');
  if (maxTokens !== undefined) request.max_completion_tokens = maxTokens;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.seed === 'number') request.seed = body.seed;
  return { model, request, stream: body.stream === true, includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true };
}

function parseMessage(raw: unknown, i: number): Message {
  const at = `messages[${i}]`;
  if (!isObject(raw)) throw invalidRequest(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
  if (!ROLES.includes(raw.role)) {
    throw invalidRequest(`Invalid value: '${String(raw.role)}'. Supported values are: 'system', 'developer', 'user', 'assistant', and 'tool'.`, `${at}.role`, 'invalid_value');
  }
  const message: Message = { role: raw.role, content: contentText(raw.content, `${at}.content`) };
  if (raw.role === 'tool') {
    if (typeof raw.tool_call_id !== 'string') throw invalidRequest(`Missing required parameter: '${at}.tool_call_id'.`, `${at}.tool_call_id`, 'missing_required_parameter');
    message.tool_call_id = raw.tool_call_id;
  }
  if (raw.role === 'assistant' && Array.isArray(raw.tool_calls) && raw.tool_calls.length > 0) {
    message.tool_calls = raw.tool_calls.map((call: unknown, j: number) => parseToolCall(call, `${at}.tool_calls[${j}]`));
  }
  return message;
}

function parseToolCall(raw: unknown, at: string): ToolCall {
  if (!isObject(raw) || typeof raw.id !== 'string' || !isObject(raw.function) || typeof raw.function.name !== 'string') {
    throw invalidRequest(`Invalid '${at}': expected { id, type: 'function', function: { name, arguments } }.`, at, 'invalid_value');
  }
  const args = raw.function.arguments;
  return { id: raw.id, type: 'function', function: { name: raw.function.name, arguments: typeof args === 'string' ? args : '' } };
}

function parseChatTools(raw: unknown): FunctionTool[] {
  if (!Array.isArray(raw)) throw invalidRequest("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  return raw.map((tool, i) => {
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function) || typeof tool.function.name !== 'string') {
      throw invalidRequest(`Invalid 'tools[${i}]': the mock takes only { type: 'function', function: { name, parameters } }.`, `tools[${i}]`, 'invalid_value');
    }
    const fn: FunctionTool['function'] = { name: tool.function.name, parameters: isObject(tool.function.parameters) ? tool.function.parameters : {} };
    if (typeof tool.function.description === 'string') fn.description = tool.function.description;
    return { type: 'function', function: fn };
  });
}

/** About four characters a token, like English text under OpenAI's tokenizers; deterministic, and cheap. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Prompt tokens the way OpenAI counts them roughly: the text plus a few tokens of framing per message. */
export function estimatePromptTokens(request: ChatRequest): number {
  let tokens = 3;
  for (const m of request.messages) {
    let chars = m.content.length;
    for (const call of m.tool_calls ?? []) chars += call.function.name.length + call.function.arguments.length;
    tokens += 4 + estimateTokens(chars);
  }
  if (request.tools?.length) tokens += estimateTokens(JSON.stringify(request.tools).length);
  return tokens;
}

/** Asks the model, then applies `max_completion_tokens` the way the API does: cut the text, report `length`. */
export function complete(model: MockModel, request: ChatRequest, promptTokens: number): Completion {
  const reply = model.respond(request);
  const toolCalls = reply.tool_calls ?? [];
  let chars = reply.content.length;
  for (const call of toolCalls) chars += call.function.name.length + call.function.arguments.length;
  const completionTokens = Math.max(1, estimateTokens(chars));
  const max = request.max_completion_tokens;
  if (max !== undefined && completionTokens > max) {
    return { content: reply.content.slice(0, max * 4), toolCalls: [], finishReason: 'length', promptTokens, completionTokens: max };
  }
  return { content: reply.content, toolCalls, finishReason: toolCalls.length ? 'tool_calls' : 'stop', promptTokens, completionTokens };
}

function chatUsage(c: Completion) {
  return {
    prompt_tokens: c.promptTokens,
    completion_tokens: c.completionTokens,
    total_tokens: c.promptTokens + c.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function chatCompletionBody(id: string, created: number, model: MockModel, c: Completion) {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: c.toolCalls.length && !c.content ? null : c.content,
    refusal: null,
    annotations: [],
  };
  if (c.toolCalls.length) message.tool_calls = c.toolCalls;
  return {
    id,
    object: 'chat.completion',
    created,
    model: snapshotOf(model),
    choices: [{ index: 0, message, logprobs: null, finish_reason: c.finishReason }],
    usage: chatUsage(c),
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
}

/** Splits text into deltas of a few words, the way a token stream arrives (and deterministically). */
function pieces(text: string, size = 24): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const space = text.indexOf(' ', end);
    if (end < text.length && space !== -1 && space - end < size) end = space + 1;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** The server-sent events of a streamed completion, `data: [DONE]` included. */
export function chatCompletionEvents(id: string, created: number, model: MockModel, c: Completion, includeUsage: boolean): string[] {
  const base = { id, object: 'chat.completion.chunk', created, model: snapshotOf(model), service_tier: 'default', system_fingerprint: 'fp_mock' };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(includeUsage ? { usage: null } : {}) })}\n\n`;
  const events = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const text of pieces(c.content)) events.push(chunk({ content: text }));
  c.toolCalls.forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const args of pieces(call.function.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
  });
  events.push(chunk({}, c.finishReason));
  if (includeUsage) events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: chatUsage(c) })}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}
