// A server that answers 200 with something that is not a completion (issue: hostile servers, row 7): each such answer is
// an item error that says what the server sent wrong, never "Cannot read properties of undefined".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { openaiResponsesRunner } from '../../runners/openai-responses.js';
import { RunnerError } from '../../core/errors.js';
import { chatCompletion, scriptedServer, sendJson, type ScriptedServer } from './scripted-server.js';

/** What each path answers with a 200. */
const answers: Record<string, (res: import('node:http').ServerResponse) => void> = {
  'not-json': (res) => sendJson(res, 200, '<html>gateway says hi</html>'),
  'html-type': (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>gateway says hi</html>');
  },
  'tool-calls-object': (res) => sendJson(res, 200, chatCompletion({ content: null, tool_calls: { id: 'c1', type: 'function', function: { name: 'python', arguments: '{}' } } })),
  'tool-call-no-function': (res) => sendJson(res, 200, chatCompletion({ content: null, tool_calls: [{ id: 'c1', type: 'function' }] })),
  'no-choices': (res) => sendJson(res, 200, { id: 'x', object: 'chat.completion', model: 'm' }),
  'content-number': (res) => sendJson(res, 200, chatCompletion({ content: 42 })),
  'json-array': (res) => sendJson(res, 200, [1, 2, 3]),
  'output-not-array': (res) => sendJson(res, 200, { id: 'r', object: 'response', model: 'm', status: 'completed', output: 'hello' }),
  'function-call-no-name': (res) => sendJson(res, 200, { id: 'r', object: 'response', model: 'm', status: 'completed', output: [{ type: 'function_call', call_id: 'c', arguments: '{}' }] }),
};

let server: ScriptedServer;
beforeAll(async () => {
  server = await scriptedServer((req, res) => answers[req.url!.split('/')[1]](res));
});
afterAll(() => server.close());

async function chatError(path: string): Promise<RunnerError> {
  const runner = openaiChatRunner({ apiKey: 'k', baseURL: `${server.url.replace(/\/v1$/, '')}/${path}`, maxRetries: 0 });
  const error = await runner.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunnerError);
  return error as RunnerError;
}

async function responsesError(path: string): Promise<RunnerError> {
  const runner = openaiResponsesRunner({ apiKey: 'k', baseURL: `${server.url.replace(/\/v1$/, '')}/${path}`, maxRetries: 0 });
  const error = await runner.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunnerError);
  return error as RunnerError;
}

describe('a 200 that is not a completion', () => {
  it.each([
    ['not-json', /not JSON/],
    ['html-type', /not JSON .*text\/html/],
    ['json-array', /not a chat completion: the body is an array/],
    ['no-choices', /"choices" is missing/],
    ['tool-calls-object', /"choices\[0\]\.message\.tool_calls" is an object, not an array/],
    ['tool-call-no-function', /"choices\[0\]\.message\.tool_calls\[0\]\.function" is missing/],
    ['content-number', /"choices\[0\]\.message\.content" is a number, not a string/],
  ])('chat: %s is a non-fatal item error saying what was wrong', async (path, said) => {
    const error = await chatError(path);
    expect(error.kind).toBe('invalid_response');
    expect(error.fatal).toBe(false);
    expect(error.message).toMatch(said);
    expect(error.message).not.toMatch(/Cannot read properties/);
  });

  it.each([
    ['not-json', /not JSON/],
    ['output-not-array', /"output" is a string, not an array/],
    ['function-call-no-name', /"output\[0\]\.name" is missing/],
  ])('responses: %s is a non-fatal item error saying what was wrong', async (path, said) => {
    const error = await responsesError(path);
    expect(error.kind).toBe('invalid_response');
    expect(error.fatal).toBe(false);
    expect(error.message).toMatch(said);
  });
});

describe('an answer over the size cap', () => {
  it('ends the call as a non-fatal answer_too_large error after reading at most about the cap, never retried', async () => {
    const { createTransport } = await import('../../runners/transport.js');
    let requests = 0;
    let sent = 0;
    const huge = await scriptedServer((_req, res) => {
      requests++;
      // 150 MB of content, made as it is written: the server never holds it either.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"');
      const chunk = 'a'.repeat(64 * 1024);
      let left = 150 * 1024 * 1024;
      const pump = () => {
        while (left > 0) {
          left -= chunk.length;
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"},"finish_reason":"stop"}]}');
      };
      res.on('close', () => (left = 0));
      pump();
    });
    try {
      const cap = 4 * 1024 * 1024;
      const runner = openaiChatRunner({ apiKey: 'k', baseURL: huge.url, maxRetries: 3, fetch: createTransport({ maxAnswerBytes: cap }) });
      const error = (await runner.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as RunnerError;
      expect(error).toBeInstanceOf(RunnerError);
      expect(error.kind).toBe('answer_too_large');
      expect(error.fatal).toBe(false);
      expect(error.message).toMatch(/answer over --max-answer-bytes \(4194304 bytes\)/);
      expect(requests).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sent).toBeLessThan(cap + 16 * 1024 * 1024); // the socket closed soon after the cap, not after 150 MB
    } finally {
      await huge.close();
    }
  }, 60_000);

  it('refuses at once an answer whose content-length is over the cap', async () => {
    const { createTransport } = await import('../../runners/transport.js');
    const big = await scriptedServer((_req, res) => sendJson(res, 200, chatCompletion({ content: 'b'.repeat(2048) })));
    try {
      const runner = openaiChatRunner({ apiKey: 'k', baseURL: big.url, maxRetries: 0, fetch: createTransport({ maxAnswerBytes: 1024 }) });
      const error = (await runner.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as RunnerError;
      expect(error.kind).toBe('answer_too_large');
    } finally {
      await big.close();
    }
  });
});
