// Checks that a 200 from the server is the answer it claims to be, before anything reads it: a gateway's HTML page or a
// `tool_calls` that is not an array becomes an item error naming the field, not a TypeError deep in a grader.
import OpenAI from 'openai';
import { RunnerError } from '../core/errors.js';

type Problem = string | undefined;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `field` must be of `want` (a string, an object, an array); `optional` lets it be absent or null. */
function expectType(value: unknown, field: string, want: 'string' | 'object' | 'array', optional = false): Problem {
  if (value === undefined || value === null) return optional ? undefined : `"${field}" is missing`;
  const ok = want === 'array' ? Array.isArray(value) : want === 'object' ? isObject(value) : typeof value === want;
  return ok ? undefined : `"${field}" is ${typeName(value)}, not ${want === 'array' ? 'an array' : `a${want === 'object' ? 'n' : ''} ${want}`}`;
}

function bodyProblem(data: unknown, what: string): Problem {
  if (typeof data === 'string') return undefined; // said by notJson
  return isObject(data) ? undefined : `not ${what}: the body is ${typeName(data)}`;
}

/** The first thing wrong with a Chat Completions body, or undefined. */
export function chatCompletionProblem(data: unknown): Problem {
  const body = bodyProblem(data, 'a chat completion');
  if (body || !isObject(data)) return body;
  const choices = expectType(data.choices, 'choices', 'array');
  if (choices) return choices;
  const choice = (data.choices as unknown[])[0];
  if (choice === undefined) return undefined; // no choice: an empty answer, which the no-answer rule handles
  if (!isObject(choice)) return `"choices[0]" is ${typeName(choice)}, not an object`;
  const message = choice.message;
  const messageProblem = expectType(message, 'choices[0].message', 'object', true);
  if (messageProblem || !isObject(message)) return messageProblem;
  const content = expectType(message.content, 'choices[0].message.content', 'string', true);
  if (content) return content;
  const calls = expectType(message.tool_calls, 'choices[0].message.tool_calls', 'array', true);
  if (calls) return calls;
  for (const [i, call] of ((message.tool_calls as unknown[] | undefined) ?? []).entries()) {
    const field = `choices[0].message.tool_calls[${i}]`;
    if (!isObject(call)) return `"${field}" is ${typeName(call)}, not an object`;
    if (call.type !== 'function') continue; // other kinds are dropped by the reader
    const fn = expectType(call.function, `${field}.function`, 'object');
    if (fn || !isObject(call.function)) return fn;
    const problem =
      expectType(call.id, `${field}.id`, 'string') ??
      expectType(call.function.name, `${field}.function.name`, 'string') ??
      expectType(call.function.arguments, `${field}.function.arguments`, 'string');
    if (problem) return problem;
  }
  return expectType(data.usage, 'usage', 'object', true);
}

/** The first thing wrong with a Responses API body, or undefined. */
export function responseProblem(data: unknown): Problem {
  const body = bodyProblem(data, 'a response');
  if (body || !isObject(data)) return body;
  const output = expectType(data.output, 'output', 'array', true);
  if (output) return output;
  for (const [i, item] of ((data.output as unknown[] | undefined) ?? []).entries()) {
    const field = `output[${i}]`;
    if (!isObject(item)) return `"${field}" is ${typeName(item)}, not an object`;
    if (item.type === 'message') {
      const content = expectType(item.content, `${field}.content`, 'array');
      if (content) return content;
      for (const [j, part] of (item.content as unknown[]).entries()) {
        if (!isObject(part)) return `"${field}.content[${j}]" is ${typeName(part)}, not an object`;
        if (part.type === 'output_text') {
          const text = expectType(part.text, `${field}.content[${j}].text`, 'string');
          if (text) return text;
        }
      }
    } else if (item.type === 'function_call') {
      const problem =
        expectType(item.call_id, `${field}.call_id`, 'string') ?? expectType(item.name, `${field}.name`, 'string') ?? expectType(item.arguments, `${field}.arguments`, 'string');
      if (problem) return problem;
    }
  }
  return expectType(data.usage, 'usage', 'object', true);
}

/** Throws the item error for a body that is not what `what` should be; `data` as the SDK parsed it. */
export function checkAnswer(data: unknown, contentType: string | null, what: 'a chat completion' | 'a response', problemOf: (data: unknown) => Problem): void {
  if (typeof data === 'string') throw invalidAnswer(`the server's 200 answer is not JSON (content-type ${contentType ?? 'none'}): ${preview(data)}`);
  const problem = problemOf(data);
  if (problem) throw invalidAnswer(`the server's 200 answer is not ${what}: ${problem}`);
}

/** A body the SDK could not parse as JSON (it throws a SyntaxError), as the same item error; otherwise undefined. */
export function unparsableAnswer(error: unknown): RunnerError | undefined {
  if (!(error instanceof SyntaxError) || error instanceof OpenAI.APIError) return undefined;
  return invalidAnswer(`the server's 200 answer is not JSON: ${error.message.slice(0, 200)}`);
}

function invalidAnswer(message: string): RunnerError {
  return new RunnerError(message, { retryable: false, fatal: false, kind: 'invalid_response' });
}

function preview(text: string): string {
  const cut = text.slice(0, 80).replace(/\s+/g, ' ');
  return `it begins "${cut}"${text.length > 80 ? '…' : ''}`;
}
