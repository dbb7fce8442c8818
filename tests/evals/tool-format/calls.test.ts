// The call validator: defined vs undefined tool, JSON arguments, the `{ code: string }` schema, in both formats.
import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../../../core/index.js';
import { callsOf, checkArguments, checkNativeCall, checkTextBlock } from '../../../evals/tool-format/calls.js';

const native = (name: string, args: string): ToolCall => ({ id: 'call_1', type: 'function', function: { name, arguments: args } });

describe('native calls', () => {
  it('accepts python with a JSON object holding a string `code`', () => {
    expect(checkNativeCall(native('python', '{"code": "print(1)"}'))).toMatchObject({ ok: true, code: 'print(1)', id: 'call_1' });
  });

  it('rejects an undefined tool by name and tells the model the only tool is python', () => {
    const checked = checkNativeCall(native('bash', '{"command": "ls"}'));
    expect(checked).toMatchObject({ ok: false, problem: 'undefined-tool', name: 'bash' });
    expect(!checked.ok && checked.error).toBe("Error: there is no tool named 'bash'. The only tool is `python` (argument `code`).");
  });

  it('treats tool names as case-sensitive: `Python` is not the tool it was given', () => {
    expect(checkNativeCall(native('Python', '{"code": "print(1)"}'))).toMatchObject({ ok: false, problem: 'undefined-tool', name: 'Python' });
  });

  it('rejects arguments that are not JSON as malformed, naming python', () => {
    const checked = checkNativeCall(native('python', "{'code': 'print(1)'}"));
    expect(checked).toMatchObject({ ok: false, problem: 'malformed' });
    expect(!checked.ok && checked.error).toMatch(/^Error: the arguments of your `python` call are not valid JSON/);
  });

  it('rejects JSON that does not match the schema as malformed', () => {
    expect(checkNativeCall(native('python', '{"source": "print(1)"}'))).toMatchObject({ ok: false, problem: 'malformed' });
  });
});

describe('the arguments schema', () => {
  it.each([
    ['a string', '"print(1)"', /got a string/],
    ['an array', '["print(1)"]', /got an array/],
    ['null', 'null', /got null/],
    ['a missing code', '{}', /`code` is missing/],
    ['a non-string code', '{"code": 42}', /`code` is a number/],
    ['an extra field', '{"code": "print(1)", "timeout": 5}', /unexpected field `timeout`/],
  ])('rejects %s and names python', (_what, json, detail) => {
    const checked = checkArguments(JSON.parse(json));
    expect('error' in checked && checked.error).toMatch(detail);
    expect('error' in checked && checked.error).toContain('`python`');
  });

  it('accepts an empty code string, which the schema allows', () => {
    expect(checkArguments({ code: '' })).toEqual({ code: '' });
  });
});

describe('text-protocol blocks', () => {
  const block = (body: string) => ({ raw: `<tool_call>${body}</tool_call>`, body });

  it('accepts {"name": "python", "arguments": {"code": …}}', () => {
    expect(checkTextBlock(block('{"name": "python", "arguments": {"code": "print(1)"}}'))).toMatchObject({ ok: true, code: 'print(1)' });
  });

  it('reports the name of an undefined tool', () => {
    expect(checkTextBlock(block('{"name": "bash", "arguments": {"command": "ls"}}'))).toMatchObject({ ok: false, problem: 'undefined-tool', name: 'bash' });
  });

  it('rejects a body that is not JSON', () => {
    const checked = checkTextBlock(block('{"name": "python", "arguments": {"code": "print(1)\n"}}'));
    expect(checked).toMatchObject({ ok: false, problem: 'malformed' });
    expect(!checked.ok && checked.error).toMatch(/not valid JSON.*The only tool is `python`/s);
  });

  it('rejects arguments sent as a JSON string instead of an object', () => {
    expect(checkTextBlock(block('{"name": "python", "arguments": "{\\"code\\": \\"print(1)\\"}"}'))).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('rejects an envelope without a name', () => {
    expect(checkTextBlock(block('{"arguments": {"code": "print(1)"}}'))).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('rejects an unclosed block', () => {
    expect(checkTextBlock({ raw: '<tool_call>{"name": "python"', unclosed: true })).toMatchObject({ ok: false, problem: 'malformed' });
  });
});

describe('callsOf', () => {
  it('reads native tool_calls and ignores tags in the content for native-tools', () => {
    const turn = { content: '<tool_call>{"name": "bash", "arguments": {}}</tool_call>', tool_calls: [native('python', '{"code": "1"}')] };
    expect(callsOf(turn, 'native-tools').map((c) => c.ok)).toEqual([true]);
  });

  it('reads <tool_call> blocks in the content for text-protocol', () => {
    const turn = { content: 'Let me check.\n<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>' };
    expect(callsOf(turn, 'text-protocol')).toMatchObject([{ ok: false, name: 'bash' }]);
  });
});
