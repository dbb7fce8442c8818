// The SDK's HTTP transport against a real server on 127.0.0.1: what the SDK sends arrives whole, what the server
// answers comes back as a standard Response, aborts and dropped connections surface the way the SDK expects.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { createTransport, transportFetch } from '../../runners/transport.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that records each request and answers with `answer`. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

describe('transportFetch', () => {
  it('sends method, headers and body, and answers with status, every header and the body', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(201, [['content-type', 'application/json'], ['x-request-id', 'req_9'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      res.end('{"ok":true}');
    });
    const response = await transportFetch(`${url}/v1/things?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k' }, body: '{"n":1}' });
    expect(seen).toMatchObject([{ method: 'POST', url: '/v1/things?x=1', body: '{"n":1}', headers: { authorization: 'Bearer k', 'content-type': 'application/json' } }]);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req_9');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('gives a 204 no body', async () => {
    const { url } = await serve((_req, res) => res.writeHead(204).end());
    const response = await transportFetch(url, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("rejects with an AbortError when the caller's signal fires while the server is silent", async () => {
    const { url } = await serve(() => {}); // never answers
    const controller = new AbortController();
    const pending = transportFetch(url, { method: 'POST', body: 'x', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('hands a FormData upload to the global fetch, which sets its multipart boundary', async () => {
    const { url, seen } = await serve((_req, res) => res.end('done'));
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{"a":1}\n']), 'lines.jsonl');
    const response = await transportFetch(url, { method: 'POST', body: form });
    expect(await response.text()).toBe('done');
    expect(seen[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0].body).toContain('filename="lines.jsonl"');
  });
});

describe('createTransport({ connections })', () => {
  /** 120 requests, at most 8 at once (as the rate limiter lets them go): the sockets the server saw. */
  async function socketsFor(fetch: typeof globalThis.fetch): Promise<number> {
    let sockets = 0;
    const { url } = await serve((_req, res) => setTimeout(() => res.end('{}'), 2));
    server!.on('connection', () => sockets++);
    const eight = pLimit(8);
    const answers = await Promise.all(Array.from({ length: 120 }, () => eight(() => fetch(url, { method: 'POST', body: '{}' }).then((r) => r.text()))));
    expect(answers.every((a) => a === '{}')).toBe(true);
    return sockets;
  }

  it('opens no more sockets than the requests let fly at once, where an uncapped pool opens more', async () => {
    // A socket whose answer has just come back is reused only a turn of the event loop later: the next request,
    // sent in the same turn, finds every socket busy, and an uncapped pool connects again.
    expect(await socketsFor(createTransport())).toBeGreaterThan(8);
    server?.closeAllConnections();
    server?.close();
    expect(await socketsFor(createTransport({ connections: 8 }))).toBeLessThanOrEqual(8);
  });
});

describe('the SDK on transportFetch', () => {
  it('turns a client timeout into APIConnectionTimeoutError and a dropped connection into APIConnectionError', async () => {
    let calls = 0;
    const { url } = await serve((req) => {
      if (calls++ === 0) return; // the first call hangs
      req.socket.destroy(); // the second is dropped
    });
    const client = new OpenAI({ apiKey: 'k', baseURL: url, maxRetries: 0, timeout: 100, fetch: transportFetch });
    const request = { model: 'mock-hierarchy', messages: [{ role: 'user' as const, content: 'hi' }] };
    await expect(client.chat.completions.create(request)).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const dropped = await client.chat.completions.create(request).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(dropped).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('is what the runners use when no fetch is given: the request id comes back from a real server', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_transport' });
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'mock-hierarchy', choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    const runner = openaiChatRunner({ apiKey: 'k', baseURL: url, maxRetries: 0 });
    const answer = await runner.complete({ model: 'mock-hierarchy', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer).toMatchObject({ content: 'hello', request_id: 'req_transport' });
    expect(answer.header?.('x-request-id')).toBe('req_transport');
    expect(JSON.parse(seen[0].body).messages).toEqual([{ role: 'user', content: 'hi' }]);
    // WHATWG fetch would have asked for gzip; the transport asks for nothing it must inflate.
    expect(seen[0].headers['accept-encoding']).toBeUndefined();
  });
});

describe('BufferedResponse', () => {
  it('reads as a standard Response does: once, a clone first, the stream with the same bytes, a byte-order mark dropped', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('\ufeff{"word":"caf\u00e9"}');
    });
    const response = await transportFetch(url, { method: 'POST', body: '{}' });
    const copy = response.clone();
    expect(await response.json()).toEqual({ word: 'café' });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
    expect(new TextDecoder().decode(await new Response(copy.body).arrayBuffer())).toBe('{"word":"café"}');
    expect(copy.bodyUsed).toBe(true);
  });
});
