// The one runner interface: a chat request in, a response out. Wire-shaped (snake_case) so it maps
// one to one onto the OpenAI API reference.

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface Message {
  role: Role;
  content: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type ReasoningEffort = 'low' | 'medium' | 'high';

export interface ChatRequest {
  model: string;
  messages: Message[];
  tools?: FunctionTool[];
  reasoning_effort?: ReasoningEffort;
  max_completion_tokens?: number;
  temperature?: number;
  seed?: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

export interface ChatResponse {
  content: string;
  tool_calls: ToolCall[];
  finish_reason: string;
  usage: Usage;
  /** The model snapshot the server says answered (e.g. o3-mini-2025-01-31). */
  model: string;
  latency_ms: number;
  request_id?: string;
  raw: unknown;
  /** True when the answer came from the cache rather than the provider. */
  cached?: boolean;
  /** True when the answer came from a fixtures file: used, never stored as the endpoint's own cache. */
  fixture?: boolean;
  /** True when a key was found in the answer (content, tool calls, raw body or request id) and replaced by `***`. */
  redacted?: boolean;
  /** Reads a header of the final HTTP response (e.g. x-ratelimit-*); never stored. */
  header?: (name: string) => string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The item's epoch: part of the cache key, so repeated epochs are distinct samples. */
  epoch?: number;
  /** The request's cache key (`cacheKey`) when the caller has it already: the cache then does not hash again. */
  hash?: string;
  /**
   * Handed to the runner's fetch with every HTTP attempt of this call, the SDK's retries included (read it with
   * `fetchTagOf`): how a fetch-level layer such as the rate limiter knows which call an attempt belongs to.
   */
  fetchTag?: object;
  /**
   * The user's interrupt: a call still waiting (for a rate-limit slot or pause, or between retries) ends at once with
   * an InterruptedError; an HTTP attempt already in flight finishes (its answer is paid for) but is not retried.
   */
  interrupt?: AbortSignal;
}

/**
 * Where a call's fetch tag rides: the SDK runners put `{ [FETCH_TAG]: tag }` in the SDK's per-request `fetchOptions`,
 * which the SDK copies into every attempt's RequestInit (fetch itself ignores a symbol). This replaces an
 * AsyncLocalStorage, whose async hooks cost every promise of the process.
 */
export const FETCH_TAG = Symbol('cardeval.fetchTag');

/** The fetch tag of the call an HTTP attempt belongs to, if its runner passed one. */
export function fetchTagOf(init: RequestInit | undefined): object | undefined {
  return (init as Record<symbol, object> | undefined)?.[FETCH_TAG];
}

export interface Runner {
  readonly name: string;
  complete(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
  close?(): Promise<void>;
}
