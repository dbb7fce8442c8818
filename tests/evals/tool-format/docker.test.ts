// End to end against the real docker sandbox: the mock models' calls run in containers and are graded.
// Skipped, with the reason printed, when no engine (or no image) answers and CI is unset; CI=1 makes that a failure.
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatResponse, Grade, Message, FunctionTool } from '../../../core/index.js';
import { dockerSandbox, probeDocker } from '../../../docker/sandbox.js';
import { bashToolSkill, malformedToolSkill, pythonToolSkill } from '../../../runners/mock/skills/tools.js';
import type { Skill } from '../../../runners/mock/skills/types.js';
import { generate } from '../../../evals/tool-format/generate.js';
import { toolFormatEval } from '../../../evals/tool-format/index.js';
import type { ToolTask } from '../../../evals/tool-format/sample.js';

const probe = await probeDocker();
const skipDocker = !process.env.CI && !(probe.engine && probe.image);
if (skipDocker) console.warn(`[tool-format] skipping the docker sandbox tests: ${probe.detail} (set CI=1 to make this a failure)`);

const def = toolFormatEval();
/** Two tasks of every family: 28 samples. */
const subset = (generate()[0].rows as ToolTask[]).filter((r) => /-0[12]$/.test(r.id));

/** The mock server's job in miniature: a skill's reply as a chat response. */
function completeWith(skill: Skill) {
  return async (messages: Message[], tools?: FunctionTool[]): Promise<ChatResponse> => {
    const reply = skill({ model: 'mock', messages, ...(tools ? { tools } : {}) }, 'hierarchy');
    if (!reply) throw new Error('the skill did not recognise a tool-format conversation');
    const tool_calls = reply.tool_calls ?? [];
    return { content: reply.content, tool_calls, finish_reason: tool_calls.length ? 'tool_calls' : 'stop', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'mock', latency_ms: 0, raw: null };
  };
}

describe.skipIf(skipDocker)('tool-format with the docker sandbox', () => {
  const sandbox = dockerSandbox();
  afterAll(() => sandbox.close());

  async function gradeAll(skill: Skill, variant: string): Promise<Array<{ id: string; grade: Grade }>> {
    return Promise.all(
      subset.map(async (sample) => {
        const transcript = await def.solve!(sample, variant, { complete: completeWith(skill), sandbox });
        return { id: sample.id, grade: def.grade(sample, transcript, variant) };
      }),
    );
  }

  it.each(def.variants)('mock-python is well formed and solves every task of the subset (%s)', async (variant) => {
    expect(subset.length).toBeGreaterThanOrEqual(20);
    const graded = await gradeAll(pythonToolSkill, variant);
    const failed = graded.filter(({ grade }) => grade.metrics?.well_formed !== 1 || grade.metrics?.task_solved !== 1);
    expect(failed.map(({ id, grade }) => `${id}: ${grade.reason}`)).toEqual([]);
  }, 180_000);

  it.each(def.variants)('mock-bash scores 0 on well_formed on every task and reports bash (%s)', async (variant) => {
    const graded = await gradeAll(bashToolSkill, variant);
    expect(graded.every(({ grade }) => grade.pass === false && grade.metrics?.well_formed === 0 && grade.metrics?.recovered === 0)).toBe(true);
    expect(new Set(graded.map(({ grade }) => JSON.stringify(grade.details?.hallucinated_tools)))).toEqual(new Set(['["bash"]']));
  }, 60_000);

  it.each(def.variants)('mock-malformed fails well_formed but recovers and solves its tasks (%s)', async (variant) => {
    const graded = await gradeAll(malformedToolSkill, variant);
    const wrong = graded.filter(({ grade }) => !(grade.metrics?.well_formed === 0 && grade.metrics?.recovered === 1 && grade.metrics?.task_solved === 1));
    expect(wrong.map(({ id, grade }) => `${id}: ${grade.reason}`)).toEqual([]);
  }, 180_000);
});

describe.skipIf(skipDocker)('a turn with 200 tool calls', () => {
  it('runs at most MAX_TOOL_CALLS_PER_TURN of them in containers and answers the rest as refused', async () => {
    const { MAX_TOOL_CALLS_PER_TURN } = await import('../../../evals/tool-format/solve.js');
    const inner = dockerSandbox();
    let executions = 0;
    const sandbox = { kind: inner.kind, close: () => inner.close(), runPython: (req: Parameters<typeof inner.runPython>[0]) => (executions++, inner.runPython(req)) };
    const calls = Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, type: 'function' as const, function: { name: 'python', arguments: JSON.stringify({ code: `print(${i})` }) } }));
    const turns: ChatResponse[] = [
      { content: '', tool_calls: calls, finish_reason: 'tool_calls', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'm', latency_ms: 0, raw: null },
      { content: 'ANSWER: 2', tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'm', latency_ms: 0, raw: null },
    ];
    try {
      const transcript = await def.solve!(subset[0], 'native-tools', { complete: async () => turns.shift()!, sandbox });
      const toolMessages = transcript.messages.filter((m) => m.role === 'tool');
      expect(MAX_TOOL_CALLS_PER_TURN).toBeLessThanOrEqual(10);
      expect(executions).toBe(MAX_TOOL_CALLS_PER_TURN);
      expect(toolMessages).toHaveLength(200); // every call id is answered, as the API requires
      expect(toolMessages.slice(0, MAX_TOOL_CALLS_PER_TURN).map((m) => m.content)).toEqual(Array.from({ length: MAX_TOOL_CALLS_PER_TURN }, (_, i) => String(i)));
      expect(toolMessages[MAX_TOOL_CALLS_PER_TURN].content).toMatch(new RegExp(`not run: at most ${MAX_TOOL_CALLS_PER_TURN} calls are run per turn`));
      expect(toolMessages.slice(MAX_TOOL_CALLS_PER_TURN).every((m) => /^Error: not run/.test(m.content))).toBe(true);
    } finally {
      await inner.close();
    }
  }, 60_000);
});
