// The cache through the CLI: the same model name on another server, with the same --db, is asked
// afresh; the same server again is answered from the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli } from './cli.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let first: MockServer;
let second: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-cache-'));
  [first, second] = await Promise.all([startMockServer(), startMockServer()]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the cache and the endpoint', () => {
  it('another server never answers from a previous server’s cache', async () => {
    const db = join(dir, 'cache.sqlite');
    const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-cache-0000' });
    const args = (url: string) => ['run', '--db', db, '--base-url', url, '--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '5'];
    expect((await cli(args(first.url), env)).code).toBe(0);
    expect(first.stats().byEndpoint['/v1/chat/completions']).toBe(5);

    expect((await cli(args(second.url), env)).code).toBe(0);
    expect(second.stats().byEndpoint['/v1/chat/completions']).toBe(5);

    first.reset();
    expect((await cli(args(first.url), env)).code).toBe(0);
    // Every answer from the cache: no completion asked (the one request is the preflight's models list).
    expect(first.stats().byEndpoint['/v1/chat/completions'] ?? 0).toBe(0);
    expect(first.stats().requests).toBe(1);
  }, 120_000);
});
