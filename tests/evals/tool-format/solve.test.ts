// The agent loop with scripted model turns and a fake sandbox that runs nothing and answers with scripted output.
import { describe, expect, it } from 'vitest';
import type { ChatResponse, FunctionTool, Message, ToolCall } from '../../../core/index.js';
import type { ExecRequest, ExecResult, Sandbox } from '../../../docker/sandbox.js';
import { formatExecResult, solve } from '../../../evals/tool-format/solve.js';
import type { ToolTask } from '../../../evals/tool-format/sample.js';

const sample: ToolTask = { id: 's1', family: 'count-words', prompt: 'How many whitespace-separated words are in `a.txt`?', files: { 'a.txt': 'one two\n' }, answer: '2', source: 'cardeval' };

function response(content: string, tool_calls: ToolCall[] = []): ChatResponse {
  return { content, tool_calls, finish_reason: 'stop', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'test', latency_ms: 0, raw: null };
}
const call = (name: string, args: string, id: string): ToolCall => ({ id, type: 'function', function: { name, arguments: args } });
const pythonCall = (id: string) => call('python', JSON.stringify({ code: 'print(2)' }), id);

const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0, timedOut: false, truncated: false, oomKilled: false, durationMs: 1 });

/** A sandbox that runs nothing: it records each request and answers with the next scripted result. */
function fakeSandbox(results: ExecResult[] = []): Sandbox & { requests: ExecRequest[] } {
  const requests: ExecRequest[] = [];
  return {
    kind: 'local',
    requests,
    async runPython(req) {
      requests.push(req);
      return results.shift() ?? ok('');
    },
    async close() {},
  };
}

/** A model that plays back its turns and records what it was sent. */
function scripted(turns: ChatResponse[]) {
  const seen: Array<{ messages: Message[]; tools?: FunctionTool[] }> = [];
  return {
    seen,
    complete: async (messages: Message[], tools?: FunctionTool[]) => {
      seen.push({ messages, tools });
      const next = turns.shift();
      if (!next) throw new Error('the script ran out of turns');
      return next;
    },
  };
}

describe('solve, native-tools', () => {
  it('runs a valid call in the sandbox with the sample files and sends stdout back as the tool message', async () => {
    const sandbox = fakeSandbox([ok('2\n')]);
    const model = scripted([response('', [pythonCall('c1')]), response('ANSWER: 2')]);
    const t = await solve(sample, 'native-tools', { complete: model.complete, sandbox });
    expect(sandbox.requests).toMatchObject([{ code: 'print(2)', files: { 'a.txt': 'one two\n' } }]);
    expect(model.seen[1].messages.slice(-2)).toEqual([
      { role: 'assistant', content: '', tool_calls: [pythonCall('c1')] },
      { role: 'tool', content: '2', tool_call_id: 'c1' },
    ]);
    expect(t.turns).toHaveLength(2);
    expect(t.response.content).toBe('ANSWER: 2');
    expect(t.messages[t.messages.length - 1]).toEqual({ role: 'assistant', content: 'ANSWER: 2' });
  });

  it('offers exactly one tool, python, with one string argument `code`', async () => {
    const model = scripted([response('ANSWER: 2')]);
    await solve(sample, 'native-tools', { complete: model.complete, sandbox: fakeSandbox() });
    expect(model.seen[0].tools?.map((t) => t.function.name)).toEqual(['python']);
    expect(model.seen[0].tools?.[0].function.parameters).toMatchObject({ properties: { code: { type: 'string' } }, required: ['code'], additionalProperties: false });
  });

  it('answers an undefined tool with an error naming python, without running anything', async () => {
    const sandbox = fakeSandbox();
    const model = scripted([response('', [call('bash', '{"command": "wc -w a.txt"}', 'c1')]), response('ANSWER: 2')]);
    await solve(sample, 'native-tools', { complete: model.complete, sandbox });
    expect(sandbox.requests).toHaveLength(0);
    expect(model.seen[1].messages[model.seen[1].messages.length - 1]).toEqual({
      role: 'tool',
      content: "Error: there is no tool named 'bash'. The only tool is `python` (argument `code`).",
      tool_call_id: 'c1',
    });
  });

  it('answers every call of a mixed turn, in order, running only the valid one', async () => {
    const sandbox = fakeSandbox([ok('2\n')]);
    const model = scripted([response('', [call('bash', '{}', 'b'), pythonCall('p')]), response('ANSWER: 2')]);
    await solve(sample, 'native-tools', { complete: model.complete, sandbox });
    const back = model.seen[1].messages.filter((m) => m.role === 'tool');
    expect(back.map((m) => [m.tool_call_id, m.content.startsWith('Error:')])).toEqual([['b', true], ['p', false]]);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('stops after the turn limit and does not run the last turn\'s calls', async () => {
    const sandbox = fakeSandbox();
    const model = scripted(Array.from({ length: 3 }, (_, i) => response('', [pythonCall(`c${i}`)])));
    const t = await solve(sample, 'native-tools', { complete: model.complete, sandbox }, 3);
    expect(t.turns).toHaveLength(3);
    expect(sandbox.requests).toHaveLength(2);
    expect(t.messages[t.messages.length - 1].role).toBe('assistant');
  });

  it('refuses to run without a sandbox, saying so', async () => {
    await expect(solve(sample, 'native-tools', { complete: scripted([]).complete })).rejects.toThrow(/needs the code sandbox/);
  });
});

describe('solve, text-protocol', () => {
  it('sends no API tools, parses the <tool_call> block and returns a <tool_result> user message', async () => {
    const sandbox = fakeSandbox([ok('2\n')]);
    const model = scripted([response('<tool_call>{"name": "python", "arguments": {"code": "print(2)"}}</tool_call>'), response('ANSWER: 2')]);
    await solve(sample, 'text-protocol', { complete: model.complete, sandbox });
    expect(model.seen[0].tools).toBeUndefined();
    expect(model.seen[0].messages[0].content).toContain('<tool_call>{"name": "python", "arguments": {"code": "print(2 + 2)"}}</tool_call>');
    expect(sandbox.requests.map((r) => r.code)).toEqual(['print(2)']);
    expect(model.seen[1].messages[model.seen[1].messages.length - 1]).toEqual({ role: 'user', content: '<tool_result>\n2\n</tool_result>' });
  });

  it('sends the error for a malformed block back inside <tool_result>', async () => {
    const model = scripted([response("<tool_call>{'name': 'python'}</tool_call>"), response('ANSWER: 2')]);
    await solve(sample, 'text-protocol', { complete: model.complete, sandbox: fakeSandbox() });
    expect(model.seen[1].messages[model.seen[1].messages.length - 1].content).toMatch(/^<tool_result>\nError: the <tool_call> block is not valid JSON/);
  });
});

describe('formatExecResult', () => {
  it('shows stdout alone when the code succeeded', () => {
    expect(formatExecResult(ok('42\n'))).toBe('42');
  });

  it('adds stderr and the exit code when the code failed', () => {
    expect(formatExecResult({ ...ok(''), stderr: 'Traceback ...\nNameError\n', exitCode: 1 })).toBe('[stderr]\nTraceback ...\nNameError\n[exit code 1]');
  });

  it('says when the sandbox killed the code at its time limit', () => {
    expect(formatExecResult({ ...ok('partial\n'), exitCode: null, timedOut: true })).toBe('partial\n[killed: time limit reached]');
  });

  it('says when there was no output at all', () => {
    expect(formatExecResult(ok(''))).toBe('[no output]');
  });
});
