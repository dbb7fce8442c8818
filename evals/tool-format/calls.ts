// Tool-call validation: a call is valid only if it names `python` and its arguments are exactly `{ "code": string }`;
// every other call gets an error back that names the one valid tool.
import type { Message, ToolCall } from '../../core/index.js';
import { NATIVE, TOOL_NAME } from './prompts.js';
import { parseTextCalls, type TextBlock } from './protocol.js';

export type CheckedCall =
  | { ok: true; code: string; raw: string; id?: string }
  /** A tool the model was not given (`bash`, `shell`, …). */
  | { ok: false; problem: 'undefined-tool'; name: string; error: string; raw: string; id?: string }
  /** The right tool (or no readable name) but arguments or envelope in the wrong format. */
  | { ok: false; problem: 'malformed'; error: string; raw: string; id?: string };

const usage = `The only tool is \`${TOOL_NAME}\` (argument \`code\`)`;

function undefinedToolError(name: string): string {
  return `Error: there is no tool named '${name}'. ${usage}.`;
}

/** Checks parsed arguments against the schema: an object whose only field is a string `code`. */
export function checkArguments(value: unknown): { code: string } | { error: string } {
  const schema = `must be a JSON object with one field, \`code\` (a string)`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: `Error: the arguments of a \`${TOOL_NAME}\` call ${schema}; got ${describe(value)}. ${usage}.` };
  }
  const extra = Object.keys(value).filter((k) => k !== 'code');
  if (extra.length > 0) {
    return { error: `Error: the arguments of a \`${TOOL_NAME}\` call ${schema}; unexpected field ${extra.map((k) => `\`${k}\``).join(', ')}. ${usage}.` };
  }
  const code = (value as { code?: unknown }).code;
  if (typeof code !== 'string') {
    return { error: `Error: the arguments of a \`${TOOL_NAME}\` call ${schema}; \`code\` is ${code === undefined ? 'missing' : describe(code)}. ${usage}.` };
  }
  return { code };
}

/** A native function call: the name, then its arguments string as JSON, then the schema. */
export function checkNativeCall(call: ToolCall): CheckedCall {
  const { name, arguments: args } = call.function;
  const raw = `${name}(${args})`;
  if (name !== TOOL_NAME) return { ok: false, problem: 'undefined-tool', name, error: undefinedToolError(name), raw, id: call.id };
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch (error) {
    const message = `Error: the arguments of your \`${TOOL_NAME}\` call are not valid JSON (${(error as Error).message}). ${usage}: send {"code": "print(2 + 2)"}.`;
    return { ok: false, problem: 'malformed', error: message, raw, id: call.id };
  }
  const checked = checkArguments(parsed);
  return 'code' in checked ? { ok: true, code: checked.code, raw, id: call.id } : { ok: false, problem: 'malformed', error: checked.error, raw, id: call.id };
}

const example = `<tool_call>{"name": "${TOOL_NAME}", "arguments": {"code": "print(2 + 2)"}}</tool_call>`;

/** A text-protocol block: closed, JSON, an object with `name` and `arguments`, the name, then the schema. */
export function checkTextBlock(block: TextBlock): CheckedCall {
  const { raw } = block;
  const malformed = (why: string): CheckedCall => ({ ok: false, problem: 'malformed', error: `Error: ${why}. ${usage}; write ${example}`, raw });
  if ('unclosed' in block) return malformed('a <tool_call> block was opened but never closed with </tool_call>');
  let parsed: unknown;
  try {
    parsed = JSON.parse(block.body);
  } catch (error) {
    return malformed(`the <tool_call> block is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return malformed(`the <tool_call> block holds ${describe(parsed)}, not an object with "name" and "arguments"`);
  const { name, arguments: args } = parsed as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') return malformed('the <tool_call> block has no string "name"');
  if (name !== TOOL_NAME) return { ok: false, problem: 'undefined-tool', name, error: undefinedToolError(name), raw };
  const extra = Object.keys(parsed).filter((k) => k !== 'name' && k !== 'arguments');
  if (extra.length > 0) return malformed(`the <tool_call> block has unexpected field ${extra.map((k) => `"${k}"`).join(', ')}`);
  const checked = checkArguments(args);
  return 'code' in checked ? { ok: true, code: checked.code, raw } : { ok: false, problem: 'malformed', error: checked.error, raw };
}

/** Every call an assistant turn makes, checked, in order: native calls or text blocks, by variant. */
export function callsOf(turn: Pick<Message, 'content' | 'tool_calls'>, variant: string): CheckedCall[] {
  return variant === NATIVE ? (turn.tool_calls ?? []).map(checkNativeCall) : parseTextCalls(turn.content).map(checkTextBlock);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
