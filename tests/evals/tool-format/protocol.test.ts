// The text protocol parser: finding <tool_call> blocks in a reply, and the <tool_result> message sent back.
import { describe, expect, it } from 'vitest';
import { parseTextCalls, toolResultMessage } from '../../../evals/tool-format/protocol.js';

describe('parseTextCalls', () => {
  it('finds no call in a plain answer', () => {
    expect(parseTextCalls('The count is 3.\n\nANSWER: 3')).toEqual([]);
  });

  it('returns the trimmed JSON body of a block and the block as written', () => {
    const content = 'Running it.\n<tool_call>\n{"name": "python", "arguments": {"code": "print(1)"}}\n</tool_call>';
    expect(parseTextCalls(content)).toEqual([
      { raw: '<tool_call>\n{"name": "python", "arguments": {"code": "print(1)"}}\n</tool_call>', body: '{"name": "python", "arguments": {"code": "print(1)"}}' },
    ]);
  });

  it('returns every block in order', () => {
    const content = '<tool_call>{"a": 1}</tool_call> then <tool_call>{"b": 2}</tool_call>';
    expect(parseTextCalls(content).map((b) => ('body' in b ? b.body : null))).toEqual(['{"a": 1}', '{"b": 2}']);
  });

  it('reports a block opened and never closed', () => {
    expect(parseTextCalls('ok <tool_call>{"name": "python"')).toEqual([{ raw: '<tool_call>{"name": "python"', unclosed: true }]);
  });

  it('keeps a stray opening tag inside a block in its body, where JSON parsing rejects it', () => {
    expect(parseTextCalls('<tool_call><tool_call>{}</tool_call>')).toEqual([{ raw: '<tool_call><tool_call>{}</tool_call>', body: '<tool_call>{}' }]);
  });
});

describe('toolResultMessage', () => {
  it('wraps each result in its own <tool_result> block, in call order', () => {
    expect(toolResultMessage(['3', 'Error: no'])).toBe('<tool_result>\n3\n</tool_result>\n<tool_result>\nError: no\n</tool_result>');
  });
});
