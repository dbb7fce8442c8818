// The agent loop: model turn → check every call → run the valid ones in the sandbox → results (or errors) back → repeat.
import { SandboxError, type Message, type SolveContext, type Transcript } from '../../core/index.js';
import type { ExecResult, Sandbox } from '../../core/sandbox.js';
import { callsOf, type CheckedCall } from './calls.js';
import { conversation, MAX_TURNS, NATIVE, tools } from './prompts.js';
import { toolResultMessage } from './protocol.js';
import type { ToolTask } from './sample.js';

/** What the model reads back from one execution: stdout, then stderr and how the process ended when that matters. */
export function formatExecResult(result: ExecResult): string {
  const parts: string[] = [];
  if (result.stdout) parts.push(result.stdout.replace(/\n$/, ''));
  if (result.stderr) parts.push(`[stderr]\n${result.stderr.replace(/\n$/, '')}`);
  if (result.exitCode === null) parts.push(`[killed: ${result.timedOut ? 'time limit reached' : 'too much output'}]`);
  else if (result.oomKilled) parts.push('[killed: out of memory]');
  else if (result.exitCode !== 0) parts.push(`[exit code ${result.exitCode}]`);
  if (result.truncated) parts.push('[output truncated]');
  return parts.length > 0 ? parts.join('\n') : '[no output]';
}

/**
 * The most calls run per model turn: a model that asks for 200 at once would otherwise start 200 containers. Later
 * valid calls are answered as not run (every call id still gets its answer, as the API requires).
 */
export const MAX_TOOL_CALLS_PER_TURN = 8;

const notRun = `Error: not run: at most ${MAX_TOOL_CALLS_PER_TURN} calls are run per turn; send the rest in a later turn.`;

function sandboxOf(ctx: SolveContext): Sandbox {
  if (!ctx.sandbox) throw new SandboxError('tool-format runs model-written code and needs the code sandbox, but none was given');
  return ctx.sandbox;
}

/**
 * Runs one sample: at most `maxTurns` model turns; the loop ends at the first turn without a tool call (the final
 * answer). Calls of the last allowed turn are not run: nobody would read their output.
 */
export async function solve(sample: ToolTask, variant: string, ctx: SolveContext, maxTurns = MAX_TURNS): Promise<Transcript> {
  const sandbox = sandboxOf(ctx);
  const messages = conversation(sample, variant);
  const offered = tools(sample, variant);
  const turns: Transcript['turns'] = [];
  for (let turn = 1; turn <= maxTurns; turn++) {
    const response = await ctx.complete([...messages], offered);
    turns.push(response);
    messages.push(
      variant === NATIVE && response.tool_calls.length > 0
        ? { role: 'assistant', content: response.content, tool_calls: response.tool_calls }
        : { role: 'assistant', content: response.content },
    );
    const calls = callsOf(response, variant);
    if (calls.length === 0 || turn === maxTurns) break;
    const outputs: string[] = [];
    let runs = 0;
    for (const call of calls) outputs.push(call.ok && runs++ >= MAX_TOOL_CALLS_PER_TURN ? notRun : await run(call, sample, sandbox));
    messages.push(...answers(calls, outputs, variant));
  }
  return { messages, response: turns[turns.length - 1], turns };
}

async function run(call: CheckedCall, sample: ToolTask, sandbox: Sandbox): Promise<string> {
  if (!call.ok) return call.error;
  return formatExecResult(await sandbox.runPython({ code: call.code, files: sample.files }));
}

/** Native: one tool message per call id. Text: one user message with a `<tool_result>` block per call. */
function answers(calls: CheckedCall[], outputs: string[], variant: string): Message[] {
  if (variant !== NATIVE) return [{ role: 'user', content: toolResultMessage(outputs) }];
  return calls.map((call, i) => ({ role: 'tool', content: outputs[i], tool_call_id: call.id ?? '' }));
}
