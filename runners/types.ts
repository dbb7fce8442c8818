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
  /** The final HTTP response's headers (lower-case names), e.g. x-ratelimit-*; never stored. */
  headers?: Record<string, string>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The item's epoch: part of the cache key, so repeated epochs are distinct samples. */
  epoch?: number;
}

export interface Runner {
  readonly name: string;
  complete(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
  close?(): Promise<void>;
}
