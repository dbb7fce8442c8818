// The Chat Completions runner on the official openai SDK; the SDK owns retries (one layer only).
import OpenAI from 'openai';
import { ConfigError, RunnerError, redact } from '../core/errors.js';
import { capabilitiesFor, defaultRoleProfile, type ModelCapabilities, type RoleProfile } from './capabilities.js';
import { applyRoleProfile } from './role-profiles.js';
import { ANSWER_TOO_LARGE, createTransport, transportFetch } from './transport.js';
import { chatCompletionProblem, checkAnswer, unparsableAnswer } from './answer-shape.js';
import { FETCH_TAG, type CallOptions, type ChatRequest, type ChatResponse, type Runner, type ToolCall } from '../core/wire.js';

export interface OpenAIRunnerOptions {
  apiKey: string;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
  roleProfile?: RoleProfile;
  /** The SDK's fetch (default: transportFetch, capped at maxAnswerBytes); the rate limiter's `fetch()` goes here, and tests' seams. */
  fetch?: typeof fetch;
  /** `--max-answer-bytes`: an answer past it is an `answer_too_large` item error (when `fetch` is not given). */
  maxAnswerBytes?: number;
}

/** Throws a ConfigError for a parameter the model does not take, before anything is sent. */
export function checkRequestParams(model: string, params: Partial<ChatRequest>, caps: ModelCapabilities = capabilitiesFor(model)): void {
  const problems: string[] = [];
  if (params.reasoning_effort !== undefined && !caps.reasoningEffort) problems.push(`--reasoning-effort is not supported by ${model}`);
  if (params.temperature !== undefined && !caps.temperature) problems.push(`temperature is not supported by ${model}`);
  if (problems.length) throw new ConfigError(problems.join('; '));
}

/** The SDK client every OpenAI runner shares: our timeout and retry settings, quota errors never retried. */
export function openaiClient(options: OpenAIRunnerOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 120_000,
    maxRetries: options.maxRetries ?? 4,
    fetch: quotaIsFinal(options.fetch ?? (options.maxAnswerBytes ? createTransport({ maxAnswerBytes: options.maxAnswerBytes }) : transportFetch)),
  });
}

export function openaiChatRunner(options: OpenAIRunnerOptions): Runner {
  const client = openaiClient(options);
  return {
    name: 'openai-chat',
    async complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
      const body = chatRequestBody(request, options.roleProfile);
      const started = performance.now();
      try {
        const { data, request_id, response } = await client.chat.completions
          .create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, sdkRequestOptions(call))
          .withResponse();
        checkAnswer(data, response.headers.get('content-type'), 'a chat completion', chatCompletionProblem);
        return {
          ...fromChatCompletion(data),
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

/** The SDK's per-request options for a call: its signal, and its fetch tag (see FETCH_TAG). */
export function sdkRequestOptions(call: CallOptions): OpenAI.RequestOptions {
  if (!call.fetchTag) return { signal: call.signal };
  const fetchOptions = { [FETCH_TAG]: call.fetchTag } as OpenAI.RequestOptions['fetchOptions']; // a key the SDK's type does not know
  return { signal: call.signal, fetchOptions };
}

/** The wire body of a Chat Completions request (shared with the Batch runner so both send the same thing). */
export function chatRequestBody(request: ChatRequest, roleProfile?: RoleProfile): Record<string, unknown> {
  const caps = capabilitiesFor(request.model);
  checkRequestParams(request.model, request, caps);
  const profile = roleProfile ?? defaultRoleProfile(caps);
  const { max_completion_tokens, ...rest } = request;
  const body: Record<string, unknown> = { ...rest, messages: applyRoleProfile(request.messages, profile) };
  if (max_completion_tokens !== undefined) body[caps.maxCompletionTokens ? 'max_completion_tokens' : 'max_tokens'] = max_completion_tokens;
  return body;
}

/** A Chat Completions body as our response; the caller adds latency, request id and headers. */
export function fromChatCompletion(data: OpenAI.Chat.ChatCompletion): Omit<ChatResponse, 'latency_ms'> {
  const choice = data.choices[0];
  const usage = data.usage;
  return {
    content: choice?.message?.content ?? '',
    tool_calls: (choice?.message?.tool_calls ?? []).filter((c) => c.type === 'function') as ToolCall[],
    finish_reason: choice?.finish_reason ?? 'unknown',
    usage: {
      prompt_tokens: usage?.prompt_tokens ?? 0,
      completion_tokens: usage?.completion_tokens ?? 0,
      total_tokens: usage?.total_tokens ?? 0,
      cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    model: data.model,
    raw: data,
  };
}

/**
 * The SDK retries every 429, but `insufficient_quota` will not pass by waiting: mark it with the SDK's own
 * `x-should-retry: false` so the run stops at once instead of retrying a bill that is already unpaid.
 */
export function quotaIsFinal(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 429 || response.headers.get('x-should-retry')) return response;
    const body = await response.clone().text();
    if (!body.includes('insufficient_quota')) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** Maps an SDK error to our hierarchy. The SDK has already retried what was retryable. */
export function toRunnerError(error: unknown, apiKey?: string): RunnerError {
  const clean = (m: string) => redact(m, [apiKey]);
  const unparsable = unparsableAnswer(error);
  if (unparsable) return unparsable;
  if (error instanceof OpenAI.APIUserAbortError) return new RunnerError('request aborted', { retryable: false, fatal: false, kind: 'aborted' });
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new RunnerError('request timed out', { retryable: true, fatal: false, kind: 'timeout' });
  if (error instanceof OpenAI.APIConnectionError) return new RunnerError(`connection failed: ${clean(error.message)}`, { retryable: true, fatal: false, kind: 'connection' });
  if (error instanceof OpenAI.APIError) {
    const info = { status: error.status, requestId: error.requestID ?? undefined };
    const detail = clean((error.error as { message?: string } | undefined)?.message ?? error.message);
    const code = error.code ?? (error.error as { type?: string } | undefined)?.type;
    if (code === ANSWER_TOO_LARGE) return new RunnerError(detail, { requestId: info.requestId, retryable: false, fatal: false, kind: ANSWER_TOO_LARGE });
    if (error.status === 401) return new RunnerError(`authentication failed (401): ${detail}`, { ...info, retryable: false, fatal: true, kind: 'authentication' });
    if (error.status === 403) return new RunnerError(`permission denied (403): ${detail}`, { ...info, retryable: false, fatal: true, kind: 'permission' });
    if (error.status === 429 && code === 'insufficient_quota') return new RunnerError(`quota exhausted (429 insufficient_quota): ${detail}`, { ...info, retryable: false, fatal: true, kind: 'quota' });
    if (error.status === 429) return new RunnerError(`rate limited (429): ${detail}`, { ...info, retryable: true, fatal: false, kind: 'rate_limit' });
    if (error.status === 404) return new RunnerError(`not found (404): ${detail}`, { ...info, retryable: false, fatal: true, kind: 'not_found' });
    if (error.status === 400 || error.status === 422) return new RunnerError(`invalid request (${error.status}): ${detail}`, { ...info, retryable: false, fatal: true, kind: 'invalid_request' });
    if (error.status !== undefined && error.status >= 500) return new RunnerError(`server error (${error.status}): ${detail}`, { ...info, retryable: true, fatal: false, kind: 'server' });
    return new RunnerError(`API error (${error.status ?? 'no status'}): ${detail}`, { ...info, retryable: false, fatal: false, kind: 'api' });
  }
  if (error instanceof RunnerError) return error;
  return new RunnerError(clean(error instanceof Error ? error.message : String(error)), { retryable: false, fatal: false, kind: 'unknown' });
}
