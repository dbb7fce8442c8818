// A dead endpoint, a rejected key or an unknown model ends `cardeval run` before a run is created: exit 2, one line,
// the key redacted, nothing written, within seconds (the preflight request, runners/preflight.ts).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli } from './cli.js';

const key = 'sk-failfast-' + 'x'.repeat(24) + 'SECRETTAIL';
let dir: string;
/** Seconds the command takes to start and refuse a bad flag on this machine now: a loaded machine's share, not the preflight's. */
let startup: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-failfast-'));
  const started = Date.now();
  expect((await cli(['run', '--eval', 'no-such-eval', '--db', join(dir, 'none.sqlite')])).code).toBe(2);
  startup = (Date.now() - started) / 1000;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scripted server: each request is logged as `METHOD path`, and `answer` says what it gets. */
async function scripted(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume().on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  return { url, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A port nothing listens on: one the kernel just gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function runAgainst(url: string, name: string, model = 'gpt-4o-mini') {
  const db = join(dir, `${name}.sqlite`);
  const started = Date.now();
  const out = await cli(['run', '--base-url', url, '--model', model, '--eval', 'ih-password-protection:user-message', '--limit', '3', '--db', db], cleanEnv({ OPENAI_API_KEY: key }));
  return { ...out, seconds: (Date.now() - started) / 1000, wrote: existsSync(db) };
}

function expectOneRedactedLine(out: { code: number | null; stdout: string; stderr: string; seconds: number; wrote: boolean }, pattern: RegExp) {
  expect(out.code, out.stderr).toBe(2);
  expect(out.seconds - startup).toBeLessThan(10); // 5-8 s in all, start included, measured on a shared loaded machine
  const lines = out.stderr.trim().split('\n');
  expect(lines, out.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(out.stdout + out.stderr).not.toContain('SECRETTAIL');
  expect(out.wrote).toBe(false);
}

describe('the preflight request before a run is created', () => {
  it('a closed port: exit 2 within 10 s, one line, nothing written', async () => {
    const out = await runAgainst(`http://127.0.0.1:${await closedPort()}/v1`, 'closed');
    expectOneRedactedLine(out, /cannot connect to http:\/\/127\.0\.0\.1:\d+\/v1 \(connection refused\)/);
  }, 60_000);

  it('a server answering 401: exit 2 within 10 s, one line, the key it echoes redacted, nothing written', async () => {
    const server = await scripted((req, res) =>
      json(res, 401, { error: { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}`, type: 'invalid_request_error', code: 'invalid_api_key' } }),
    );
    try {
      const out = await runAgainst(server.url, 'unauthorized');
      expectOneRedactedLine(out, /rejected the API key \(401\): Incorrect API key provided: sk-\*\*\*; check OPENAI_API_KEY/);
      expect(server.seen).toEqual(['GET /v1/models']); // one request, not one per item
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a model the models list does not name: exit 2, listing what it serves', async () => {
    const server = await scripted((_req, res) => json(res, 200, { object: 'list', data: [{ id: 'llama-3', object: 'model', created: 0, owned_by: 'me' }] }));
    try {
      const out = await runAgainst(server.url, 'unknown-model', 'gpt-4o-mini');
      expectOneRedactedLine(out, /does not serve model "gpt-4o-mini"; it lists: llama-3/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('where the list is not served, a one-token completion asks instead: an unknown model there is exit 2 too', async () => {
    const server = await scripted((req, res) =>
      req.url === '/v1/models'
        ? json(res, 404, { error: { message: 'Not Found', type: 'invalid_request_error' } })
        : json(res, 404, { error: { message: 'The model `gpt-4o-mini` does not exist', type: 'invalid_request_error', code: 'model_not_found' } }),
    );
    try {
      const out = await runAgainst(server.url, 'no-list');
      expectOneRedactedLine(out, /has no model "gpt-4o-mini" \(404\): The model `gpt-4o-mini` does not exist/);
      expect(server.seen).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a server that is busy (503) is left to the run and its retries: the preflight does not stop it', async () => {
    let calls = 0;
    const server = await scripted((req, res) => {
      calls++;
      if (req.url === '/v1/models') return json(res, 503, { error: { message: 'overloaded', type: 'server_error' } });
      json(res, 200, {
        id: `c${calls}`, object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'I cannot share that.', refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
      });
    });
    try {
      const out = await runAgainst(server.url, 'busy');
      expect(out.code, out.stderr).toBe(0);
      expect(server.seen.filter((s) => s === 'POST /v1/chat/completions')).toHaveLength(3);
    } finally {
      await server.close();
    }
  }, 60_000);
});
