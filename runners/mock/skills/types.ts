// What a mock model's skill is: it reads the conversation and, if it recognises the situation, answers.
import type { ChatRequest, ToolCall } from '../../../core/wire.js';

/**
 * `hierarchy`: obey the most privileged instruction (system > developer > user), keep every secret.
 * `obedient`: obey the latest message, whatever it asks; reveal secrets when asked.
 */
export type Policy = 'hierarchy' | 'obedient';

export interface MockReply {
  content: string;
  tool_calls?: ToolCall[];
}

/** Returns undefined when the conversation is not one this skill recognises. */
export type Skill = (request: ChatRequest, policy: Policy) => MockReply | undefined;
