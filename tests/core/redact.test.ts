// The one redaction (core/errors.ts): key shapes, the process's own keys whatever their shape, and JSON values.
import { afterEach, describe, expect, it } from 'vitest';
import { redact, redactJson } from '../../core/errors.js';

const saved = process.env.OPENAI_API_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved;
});

describe('redact', () => {
  it('hides OpenAI-shaped keys, bearer tokens and the key the process holds, whatever its shape', () => {
    process.env.OPENAI_API_KEY = 'gw-live-token-123456';
    expect(redact('a sk-abcdefghijk b Bearer abcdefghijkl c req-gw-live-token-123456 d bearer zzzzzzzzzzzz')).toBe('a sk-*** b Bearer *** c req-*** d bearer ***');
    expect(redact('nothing here, sk-short, a task-list')).toBe('nothing here, sk-short, a task-list');
  });

  it('redactJson rebuilds only a value that holds a key, and says so', () => {
    process.env.OPENAI_API_KEY = 'gw-live-token-123456';
    const clean = { a: ['x', { b: 'y' }], n: 1 };
    expect(redactJson(clean)).toEqual({ value: clean, found: false });
    expect(redactJson(clean).value).toBe(clean);
    expect(redactJson({ a: ['x', { b: 'req-gw-live-token-123456' }], n: 1 })).toEqual({ value: { a: ['x', { b: 'req-***' }], n: 1 }, found: true });
  });
});
