// The grader on scripted transcripts: well_formed, task_solved, recovered, used_python and the details.
import { describe, expect, it } from 'vitest';
import type { ChatResponse, Message, ToolCall, Transcript } from '../../../core/index.js';
import { answersMatch, extractAnswer, grade } from '../../../evals/tool-format/grade.js';
import { conversation } from '../../../evals/tool-format/prompts.js';
import type { ToolTask } from '../../../evals/tool-format/sample.js';

const sample: ToolTask = { id: 's1', family: 'count-matching-lines', prompt: 'How many lines of `a.log` contain the text `ERROR`?', files: { 'a.log': 'ERROR\n' }, answer: '7', source: 'cardeval' };

function response(content: string, tool_calls: ToolCall[] = []): ChatResponse {
  return { content, tool_calls, finish_reason: tool_calls.length ? 'tool_calls' : 'stop', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'test', latency_ms: 0, raw: null };
}

const nativeCall = (name: string, args: string, id = 'c1'): ToolCall => ({ id, type: 'function', function: { name, arguments: args } });
const python = (id = 'c1') => nativeCall('python', JSON.stringify({ code: 'print(7)' }), id);
const bash = (id = 'c1') => nativeCall('bash', JSON.stringify({ command: 'grep -c ERROR a.log' }), id);

/** A native-tools transcript from the model's turns; every turn but the last is answered by a tool message. */
function nativeTranscript(...turns: ChatResponse[]): Transcript {
  const messages: Message[] = conversation(sample, 'native-tools');
  turns.forEach((t, i) => {
    messages.push({ role: 'assistant', content: t.content, ...(t.tool_calls.length ? { tool_calls: t.tool_calls } : {}) });
    if (i < turns.length - 1) for (const c of t.tool_calls) messages.push({ role: 'tool', content: '7', tool_call_id: c.id });
  });
  return { messages, response: turns[turns.length - 1], turns };
}

function textTranscript(...contents: string[]): Transcript {
  const messages: Message[] = conversation(sample, 'text-protocol');
  contents.forEach((c, i) => {
    messages.push({ role: 'assistant', content: c });
    if (i < contents.length - 1) messages.push({ role: 'user', content: '<tool_result>\n7\n</tool_result>' });
  });
  const turns = contents.map((c) => response(c));
  return { messages, response: turns[turns.length - 1], turns };
}

describe('grade, native-tools', () => {
  it('a valid python call then the right answer: well formed, solved, passes', () => {
    const g = grade(sample, nativeTranscript(response('', [python()]), response('ANSWER: 7')), 'native-tools');
    expect(g.pass).toBe(true);
    expect(g.metrics).toEqual({ solved_with_tool: 1, well_formed: 1, task_solved: 1, recovered: 1, used_python: 1 });
    expect(g.details).toMatchObject({ hallucinated_tools: [], malformed_calls: 0, turns: 2, had_error: false, final_answer: '7' });
  });

  it('bash every turn, then giving up: not well formed, bash reported, not recovered', () => {
    const g = grade(sample, nativeTranscript(response('', [bash('a')]), response('', [bash('b')]), response('ANSWER: unknown')), 'native-tools');
    expect(g.pass).toBe(false);
    expect(g.metrics).toEqual({ solved_with_tool: 0, well_formed: 0, task_solved: 0, recovered: 0, used_python: 0 });
    expect(g.details).toMatchObject({ hallucinated_tools: ['bash'], malformed_calls: 0, turns: 3, had_error: true });
    expect(g.reason).toContain("called undefined tool 'bash'");
  });

  it('malformed arguments, then a valid call and the right answer: not well formed but recovered and solved', () => {
    const bad = nativeCall('python', "{'code': 'print(7)'}");
    const g = grade(sample, nativeTranscript(response('', [bad]), response('', [python('c2')]), response('ANSWER: 7')), 'native-tools');
    // A malformed call is no undefined tool: solved through python after it.
    expect(g.metrics).toEqual({ solved_with_tool: 1, well_formed: 0, task_solved: 1, recovered: 1, used_python: 1 });
    expect(g.details).toMatchObject({ malformed_calls: 1, hallucinated_tools: [] });
  });

  it('a valid call followed by a bash call that ends the sample: not recovered', () => {
    const g = grade(sample, nativeTranscript(response('', [python()]), response('', [bash('c2')]), response('ANSWER: 8')), 'native-tools');
    expect(g.metrics?.recovered).toBe(0);
    expect(g.metrics?.used_python).toBe(1);
  });

  it('an error then a correct answer without another call counts as recovered', () => {
    const g = grade(sample, nativeTranscript(response('', [bash()]), response('ANSWER: 7')), 'native-tools');
    expect(g.metrics).toMatchObject({ well_formed: 0, recovered: 1, task_solved: 1 });
  });

  it('a last turn that still calls a tool has no final answer, even if it writes ANSWER', () => {
    const g = grade(sample, nativeTranscript(response('', [python()]), response('ANSWER: 7', [python('c2')])), 'native-tools');
    expect(g.metrics?.task_solved).toBe(0);
    expect(g.details?.final_answer).toBeNull();
    expect(g.reason).toContain('no final answer');
  });

  it('no tool call at all: well formed, even right, but the headline fails (regression: a tool-less model scored 1.00)', () => {
    const g = grade(sample, nativeTranscript(response('I think it is 7.\nANSWER: 7')), 'native-tools');
    expect(g.pass).toBe(false);
    expect(g.metrics).toEqual({ solved_with_tool: 0, well_formed: 1, task_solved: 1, recovered: 1, used_python: 0 });
  });

  it('lists each hallucinated tool name once, in order of first use', () => {
    const g = grade(sample, nativeTranscript(response('', [bash('a'), nativeCall('shell', '{}', 'b')]), response('', [bash('c')]), response('ANSWER: 1')), 'native-tools');
    expect(g.details?.hallucinated_tools).toEqual(['bash', 'shell']);
  });

  it('grades a single offline reply whose messages stop before it', () => {
    const messages = conversation(sample, 'native-tools');
    const final = response('', [bash()]);
    const g = grade(sample, { messages, response: final, turns: [final] }, 'native-tools');
    expect(g.details).toMatchObject({ hallucinated_tools: ['bash'], turns: 1 });
  });
});

describe('grade, text-protocol', () => {
  it('reads calls from the content of the assistant turns', () => {
    const g = grade(sample, textTranscript('<tool_call>{"name": "python", "arguments": {"code": "print(7)"}}</tool_call>', 'ANSWER: 7'), 'text-protocol');
    expect(g.metrics).toEqual({ solved_with_tool: 1, well_formed: 1, task_solved: 1, recovered: 1, used_python: 1 });
  });

  it('reports a hallucinated bash block', () => {
    const g = grade(sample, textTranscript('<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>', 'ANSWER: ?'), 'text-protocol');
    expect(g.pass).toBe(false);
    expect(g.details?.hallucinated_tools).toEqual(['bash']);
  });
});

describe('format-only samples (answer null)', () => {
  it('solve nothing and recover only through a valid call', () => {
    const formatOnly = { ...sample, answer: null };
    const g = grade(formatOnly, nativeTranscript(response('', [bash()]), response('', [python('c2')]), response('ANSWER: done')), 'native-tools');
    // bash was called: not solved through the given tool, even with a valid call after it.
    expect(g.metrics).toEqual({ solved_with_tool: 0, well_formed: 0, task_solved: 0, recovered: 1, used_python: 1 });
  });
  it('count for the headline with a valid python call and no undefined tool', () => {
    const formatOnly = { ...sample, answer: null };
    const g = grade(formatOnly, nativeTranscript(response('', [python()]), response('ANSWER: done')), 'native-tools');
    expect(g.metrics).toMatchObject({ solved_with_tool: 1, task_solved: 0 });
  });
});

describe('extractAnswer', () => {
  it.each([
    ['The sum is 12.\n\nANSWER: 12', '12'],
    ['**ANSWER:** `report.md`', 'report.md'],
    ['Answer: "10.0.3.12".', '10.0.3.12'],
    ['ANSWER: 1\nsorry, ANSWER: 2', '2'],
  ])('reads %j as %j', (content, expected) => {
    expect(extractAnswer(content)).toBe(expected);
  });

  it('returns null without an ANSWER line', () => {
    expect(extractAnswer('It is 12.')).toBeNull();
  });
});

describe('answersMatch', () => {
  it('compares numbers by value', () => {
    expect(answersMatch('1,234', '1234')).toBe(true);
    expect(answersMatch('12.5', '12.50')).toBe(true);
    expect(answersMatch('12.51', '12.50')).toBe(false);
    expect(answersMatch('7.0', '7')).toBe(true);
  });

  it('compares long integers exactly, not as floats', () => {
    expect(answersMatch('1234567890123457', '1234567890123456')).toBe(false);
  });

  it('compares other answers exactly', () => {
    expect(answersMatch('Report.md', 'report.md')).toBe(false);
  });
});
