// The cache key and the fixtures store through the CLI (replay across endpoints): answers read
// from fixtures are used, never stored as an endpoint's own; the API is part of every key; provenance and the cache
// follow OPENAI_BASE_URL; a replay miss says how to re-record.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli } from './cli.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let recorder: MockServer;
let endpoint: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-cache-key-'));
  [recorder, endpoint] = await Promise.all([startMockServer(), startMockServer()]);
});
afterAll(async () => {
  await Promise.all([recorder.close(), endpoint.close()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  recorder.reset();
  endpoint.reset();
});

const key = cleanEnv({ OPENAI_API_KEY: 'sk-test-cache-key-0000' });
const selection = ['--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '5'];
const chatCalls = (server: MockServer) => server.stats().byEndpoint['/v1/chat/completions'] ?? 0;
const responsesCalls = (server: MockServer) => server.stats().byEndpoint['/v1/responses'] ?? 0;
let n = 0;
const fresh = (name: string) => join(dir, `${name}-${++n}`);

async function record(fixtures: string, extra: string[] = []): Promise<void> {
  const out = await cli(['run', '--db', fresh('record.sqlite'), '--base-url', recorder.url, ...selection, '--cache', 'record', '--fixtures', fixtures, ...extra], key);
  expect(out.code, out.stderr).toBe(0);
}

describe('fixtures are a store of their own', () => {
  it('row 1: answers replayed from fixtures are never stored as the endpoint’s cache; the next run asks it', async () => {
    const fixtures = fresh('fixtures.jsonl');
    await record(fixtures);
    const db = fresh('row1.sqlite');
    const replay = await cli(['run', '--db', db, '--base-url', endpoint.url, ...selection, '--cache', 'replay', '--fixtures', fixtures], key);
    expect(replay.code, replay.stderr).toBe(0);
    expect(endpoint.stats().requests).toBe(0);

    const asked = await cli(['run', '--db', db, '--base-url', endpoint.url, ...selection, '--json'], key);
    expect(asked.code, asked.stderr).toBe(0);
    expect(chatCalls(endpoint)).toBe(5);
  }, 120_000);

  it('row 2: the API is part of the cache key: a Responses run after a chat run asks /v1/responses', async () => {
    const db = fresh('row2.sqlite');
    const chat = await cli(['run', '--db', db, '--base-url', endpoint.url, ...selection], key);
    expect(chat.code, chat.stderr).toBe(0);
    expect(chatCalls(endpoint)).toBe(5);
    const responses = await cli(['run', '--db', db, '--base-url', endpoint.url, ...selection, '--api', 'responses'], key);
    expect(responses.code, responses.stderr).toBe(0);
    expect(responsesCalls(endpoint)).toBe(5);
  }, 120_000);

  it('fixtures are keyed by the API too: chat fixtures do not answer a Responses replay, and the miss says how to re-record', async () => {
    const fixtures = fresh('chat-fixtures.jsonl');
    await record(fixtures);
    const db = fresh('api-miss.sqlite');
    const replay = await cli(['run', '--db', db, ...selection, '--api', 'responses', '--cache', 'replay', '--fixtures', fixtures], cleanEnv());
    expect(replay.code).toBe(3);
    expect(replay.stderr).toMatch(/cache_miss: no recorded answer .*api responses/);
    // The remedy is to record, not to resume (a resume would miss again).
    expect(replay.stderr).toContain(`--cache record --fixtures ${fixtures}`);
    expect(replay.stderr).toContain('--api responses');
    expect(replay.stderr).not.toMatch(/cardeval resume/);
  }, 120_000);

  it('a fixtures file recorded before the API was part of the key (no "api" field) replays as chat, with no key and no --base-url', async () => {
    const fixtures = fresh('legacy.jsonl');
    await record(fixtures);
    const legacy = readFileSync(fixtures, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const { api: _api, ...rest } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify(rest);
      });
    writeFileSync(fixtures, legacy.join('\n') + '\n');
    const replay = await cli(['run', '--db', fresh('legacy.sqlite'), ...selection, '--cache', 'replay', '--fixtures', fixtures, '--json'], cleanEnv());
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout).run.status).toBe('completed'); // all 5 items answered from the file
  }, 120_000);
});

describe('provenance and the cache follow OPENAI_BASE_URL', () => {
  it('a run sent through OPENAI_BASE_URL is recorded with that URL, and another URL is asked afresh', async () => {
    const db = fresh('env-url.sqlite');
    const first = await cli(['run', '--db', db, ...selection, '--json'], { ...key, OPENAI_BASE_URL: recorder.url });
    expect(first.code, first.stderr).toBe(0);
    expect(chatCalls(recorder)).toBe(5);
    const run = JSON.parse(first.stdout).run;
    expect(run.provider).toBe('openai-compatible');
    expect(run.base_url).toBe(recorder.url);

    const second = await cli(['run', '--db', db, ...selection, '--json'], { ...key, OPENAI_BASE_URL: endpoint.url });
    expect(second.code, second.stderr).toBe(0);
    expect(chatCalls(endpoint)).toBe(5);
  }, 120_000);

  it('with no key, OPENAI_BASE_URL is used as --base-url would be (not the built-in mock)', async () => {
    const out = await cli(['run', '--db', fresh('env-url-nokey.sqlite'), ...selection, '--json'], cleanEnv({ OPENAI_BASE_URL: endpoint.url }));
    expect(out.code, out.stderr).toBe(0);
    expect(chatCalls(endpoint)).toBe(5);
    expect(JSON.parse(out.stdout).run.base_url).toBe(endpoint.url);
  }, 120_000);
});
