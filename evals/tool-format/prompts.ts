// What the model is told: the one `python` tool (native function or text protocol) and the answer format.
import type { FunctionTool, Message } from '../../core/index.js';
import type { ToolTask } from './sample.js';

export const TOOL_NAME = 'python';
export const NATIVE = 'native-tools';
export const TEXT = 'text-protocol';
export const variants = [NATIVE, TEXT] as const;

export const MAX_TURNS = 6;

const toolDescription =
  'Runs Python 3 code in a sandbox and returns what it prints (stdout, then stderr). The working directory holds the ' +
  "task's files. There is no network. Every call starts afresh: variables and files written by one call are gone in the next.";

/** The native function tool: exactly one string argument, `code`, and nothing else. */
export const pythonTool: FunctionTool = {
  type: 'function',
  function: {
    name: TOOL_NAME,
    description: toolDescription,
    parameters: {
      type: 'object',
      properties: { code: { type: 'string', description: 'The Python source to run.' } },
      required: ['code'],
      additionalProperties: false,
    },
  },
};

const answerFormat =
  'When you know the answer, reply without calling the tool, and end that reply with a last line of the form `ANSWER: <value>` ' +
  '(the value alone: no units, no quotes).';

const nativeSystem = [
  `You solve tasks by running code with your one tool, \`${TOOL_NAME}\`. ${toolDescription}`,
  answerFormat,
].join('\n\n');

const textSystem = [
  `You solve tasks by running code with your one tool, \`${TOOL_NAME}\`. ${toolDescription}`,
  'To call it, write a block exactly like this one, with the arguments as a JSON object that has a single string field `code`:',
  '<tool_call>{"name": "python", "arguments": {"code": "print(2 + 2)"}}</tool_call>',
  'The block must be valid JSON (newlines inside the code written as \\n). Then stop and wait: the result comes back in the ' +
    'next user message as <tool_result>...</tool_result>.',
  answerFormat,
].join('\n\n');

export function conversation(sample: ToolTask, variant: string): Message[] {
  return [
    { role: 'system', content: variant === TEXT ? textSystem : nativeSystem },
    { role: 'user', content: sample.prompt },
  ];
}

export function tools(_sample: ToolTask, variant: string): FunctionTool[] | undefined {
  return variant === NATIVE ? [pythonTool] : undefined;
}
