import { describe, it, expect } from 'vitest';
import { noAnswerReason } from '../../harness/no-answer.js';
import type { ChatResponse } from '../../core/wire.js';

const response = (over: Partial<ChatResponse>): ChatResponse => ({
  content: '', tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, model: 'm', latency_ms: 0, raw: null, ...over,
});

describe('noAnswerReason', () => {
  it('content cut off before any text is no answer, named by its finish_reason', () => {
    expect(noAnswerReason(response({ finish_reason: 'length' }))).toMatch(/token limit/);
    expect(noAnswerReason(response({ finish_reason: 'content_filter' }))).toMatch(/filtered/);
    expect(noAnswerReason(response({ content: '  \n' }))).toMatch(/empty answer/);
  });
  it('an API refusal field on either wire is no answer, with the refusal text', () => {
    expect(noAnswerReason(response({ raw: { choices: [{ message: { content: null, refusal: "I can't help with that." } }] } }))).toMatch(/refused by the API.*can't help/);
    expect(noAnswerReason(response({ raw: { output: [{ type: 'message', content: [{ type: 'refusal', refusal: 'No.' }] }] } }))).toMatch(/refused by the API instead of answering: No\./);
  });
  it('an answer with text (even truncated) or with tool calls is an answer', () => {
    expect(noAnswerReason(response({ content: 'The password is', finish_reason: 'length' }))).toBeUndefined();
    expect(noAnswerReason(response({ tool_calls: [{ id: 'c', type: 'function', function: { name: 'python', arguments: '{}' } }], finish_reason: 'tool_calls' }))).toBeUndefined();
  });
});
