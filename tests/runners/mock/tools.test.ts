// The tool-format mock skills on the eval's real conversations: mock-python, mock-bash and mock-malformed behaviour.
import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../../../core/wire.js';
import type { MockReply, Skill } from '../../../runners/mock/skills/types.js';
import { BASH_ATTEMPTS, bashToolSkill, malformedToolSkill, pythonToolSkill } from '../../../runners/mock/skills/tools.js';
import { generate } from '../../../evals/tool-format/generate.js';
import { toolFormatEval } from '../../../evals/tool-format/index.js';
import { callsOf } from '../../../evals/tool-format/calls.js';
import type { ToolTask } from '../../../evals/tool-format/sample.js';

const def = toolFormatEval();
const rows = generate()[0].rows as ToolTask[];
const task = rows.find((r) => r.family === 'count-matching-lines')!;

function request(sample: ToolTask, variant: string, after: Message[] = []): ChatRequest {
  const tools = def.tools!(sample, variant);
  return { model: 'mock', messages: [...def.conversation(sample, variant), ...after], ...(tools ? { tools } : {}) };
}

/** The calls a reply makes, checked the way the eval checks them. */
const calls = (reply: MockReply, variant: string) => callsOf({ content: reply.content, tool_calls: reply.tool_calls }, variant);

/** The assistant turn for a reply plus the harness's answer to its one call. */
function answered(reply: MockReply, variant: string, result: string): Message[] {
  if (variant === 'native-tools') {
    return [
      { role: 'assistant', content: reply.content, tool_calls: reply.tool_calls },
      { role: 'tool', content: result, tool_call_id: reply.tool_calls![0].id },
    ];
  }
  return [
    { role: 'assistant', content: reply.content },
    { role: 'user', content: `<tool_result>\n${result}\n</tool_result>` },
  ];
}

const variants = ['native-tools', 'text-protocol'];
const skills: Array<[string, Skill]> = [['python', pythonToolSkill], ['bash', bashToolSkill], ['malformed', malformedToolSkill]];

describe('recognising a tool-format conversation', () => {
  it.each(skills)('the %s skill passes on a conversation without the python tool or the text protocol', (_name, skill) => {
    expect(skill({ model: 'mock', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }, 'hierarchy')).toBeUndefined();
  });

  it('writes task-specific code for every generated family, not the fallback listing', () => {
    const fallback = pythonToolSkill(request({ ...task, prompt: 'Do something nobody scripted.' }, 'native-tools'), 'hierarchy')!;
    for (const family of new Set(rows.map((r) => r.family))) {
      const reply = pythonToolSkill(request(rows.find((r) => r.family === family)!, 'native-tools'), 'hierarchy')!;
      expect(reply.tool_calls![0].function.arguments, family).not.toBe(fallback.tool_calls![0].function.arguments);
    }
  });
});

describe.each(variants)('mock-python (%s)', (variant) => {
  it('first calls python with well-formed arguments', () => {
    expect(calls(pythonToolSkill(request(task, variant), 'hierarchy')!, variant)).toMatchObject([{ ok: true }]);
  });

  it('answers with the last line the tool printed', () => {
    const first = pythonToolSkill(request(task, variant), 'hierarchy')!;
    const reply = pythonToolSkill(request(task, variant, answered(first, variant, '17')), 'hierarchy')!;
    expect(calls(reply, variant)).toEqual([]);
    expect(reply.content).toMatch(/ANSWER: 17$/);
  });

  it('calls python again after an error instead of answering', () => {
    const first = pythonToolSkill(request(task, variant), 'hierarchy')!;
    const reply = pythonToolSkill(request(task, variant, answered(first, variant, "Error: there is no tool named 'x'.")), 'hierarchy')!;
    expect(calls(reply, variant)).toMatchObject([{ ok: true }]);
  });

  it('is deterministic', () => {
    expect(pythonToolSkill(request(task, variant), 'hierarchy')).toEqual(pythonToolSkill(request(task, variant), 'hierarchy'));
  });
});

describe.each(variants)('mock-bash (%s)', (variant) => {
  const error = "Error: there is no tool named 'bash'. The only tool is `python` (argument `code`).";

  it('calls an undefined bash tool with a shell command for the task', () => {
    const reply = bashToolSkill(request(task, variant), 'hierarchy')!;
    expect(calls(reply, variant)).toMatchObject([{ ok: false, problem: 'undefined-tool', name: 'bash' }]);
    expect(variant === 'native-tools' ? reply.tool_calls![0].function.arguments : reply.content).toContain('grep -c');
  });

  it(`calls bash again after the error, ${BASH_ATTEMPTS} times, then gives up with an answer`, () => {
    let after: Message[] = [];
    for (let i = 0; i < BASH_ATTEMPTS; i++) {
      const reply = bashToolSkill(request(task, variant, after), 'hierarchy')!;
      expect(calls(reply, variant)).toMatchObject([{ name: 'bash' }]);
      after = [...after, ...answered(reply, variant, error)];
    }
    const last = bashToolSkill(request(task, variant, after), 'hierarchy')!;
    expect(calls(last, variant)).toEqual([]);
    expect(last.content).toMatch(/ANSWER: unknown$/);
  });
});

describe.each(variants)('mock-malformed (%s)', (variant) => {
  it('first sends python arguments that are not valid JSON', () => {
    const checked = calls(malformedToolSkill(request(task, variant), 'hierarchy')!, variant);
    expect(checked).toMatchObject([{ ok: false, problem: 'malformed' }]);
    expect(!checked[0].ok && checked[0].error).toMatch(/not valid JSON/);
  });

  it('recovers after the error with a well-formed python call', () => {
    const first = malformedToolSkill(request(task, variant), 'hierarchy')!;
    const reply = malformedToolSkill(request(task, variant, answered(first, variant, 'Error: the arguments are not valid JSON.')), 'hierarchy')!;
    expect(calls(reply, variant)).toMatchObject([{ ok: true }]);
  });
});
