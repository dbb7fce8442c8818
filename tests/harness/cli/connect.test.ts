// Connection options refused before anything is sent: base URLs that are not plain http(s),
// --fixtures where it would be ignored, and replay from a fixtures file that is not there; and the sockets a
// connection opens.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import { checkBaseUrl, checkConnectOptions, connect, type ConnectOptions } from '../../../harness/cli/connect.js';
import { Store } from '../../../results/store.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-connect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (extra: Partial<ConnectOptions>): ConnectOptions => ({ model: 'mock-hierarchy', mock: true, api: 'chat', timeoutS: 5, maxRetries: 0, concurrency: 1, cache: 'on', batch: false, ...extra });

describe('--base-url', () => {
  it('takes http and https URLs', () => {
    expect(() => checkBaseUrl('http://127.0.0.1:8000/v1')).not.toThrow();
    expect(() => checkBaseUrl('https://example.test/v1')).not.toThrow();
  });

  it('refuses another scheme, naming it', () => {
    expect(() => checkBaseUrl('ftp://example.test/v1')).toThrow(new ConfigError('--base-url must be http:// or https://, got "ftp:" in "ftp://example.test/v1"'));
  });

  it('refuses a query string without echoing it (it may hold a key)', () => {
    let message = '';
    try {
      checkBaseUrl('https://example.test/v1?api-key=sk-secret-123456');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('--base-url must not have a query string or fragment: "https://example.test/v1?…"');
  });
});

describe('--fixtures', () => {
  it('is refused with --cache on or off, where nothing would read or write it', () => {
    for (const cache of ['on', 'off'] as const) {
      expect(() => checkConnectOptions(options({ cache, fixtures: 'f.jsonl' }))).toThrow(/--fixtures is read only with --cache replay and written only with --cache record \(this run has --cache (on|off)\)/);
    }
    expect(() => checkConnectOptions(options({ cache: 'record', fixtures: 'f.jsonl' }))).not.toThrow();
  });

  it('replay from a fixtures file that does not exist is a usage error (exit 2)', async () => {
    const store = new Store(join(dir, 'replay.sqlite'));
    const missing = join(dir, 'never-recorded.jsonl');
    const error = await connect(options({ mock: false, cache: 'replay', fixtures: missing }), store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain(`fixtures file ${missing} does not exist`);
    store.close();
  });
});

describe('the sockets of a connection', () => {
  it('are no more than --concurrency, however many requests it sends', async () => {
    let sockets = 0;
    let inFlight = 0;
    let most = 0;
    const completion = JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    const server = createServer((req, res) => {
      most = Math.max(most, ++inFlight);
      req.resume().on('end', () => setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(completion);
      }, 2));
    });
    server.on('connection', () => sockets++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = new Store(join(dir, 'sockets.sqlite'));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const connection = await connect(options({ model: 'gpt-4o', mock: false, baseUrl, concurrency: 6, cache: 'off' }), store);
    try {
      const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => connection.runner.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${i}` }] })));
      expect(answers.every((a) => a.content === 'ok')).toBe(true);
      expect(most).toBe(6);
      // Uncapped, the pool connected again whenever the next request went out in the turn an answer came back in:
      // 12 sockets here.
      expect(sockets).toBeLessThanOrEqual(6);
    } finally {
      await connection.close();
      server.closeAllConnections();
      server.close();
      store.close();
    }
  });
});
