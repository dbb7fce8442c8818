import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendFixture, cacheKey, fixtureAnswerKey, fixtureKey, fixtureLookup, fromStoredJson, loadFixtures, replayRunner, withCache, type Fixture } from '../../runners/cache.js';
import { requestHash } from '../../core/hash.js';
import { ConfigError, DatasetError, RunnerError } from '../../core/errors.js';
import type { ChatRequest, ChatResponse, Runner } from '../../core/wire.js';

const request: ChatRequest = { model: 'mock-hierarchy', messages: [{ role: 'user', content: 'hi' }] };

function answer(content = 'hello'): ChatResponse {
  return {
    content,
    tool_calls: [],
    finish_reason: 'stop',
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    model: 'mock-hierarchy-2026-01-01',
    latency_ms: 120,
    raw: { id: 'x' },
    header: (name) => (name === 'x-request-id' ? 'req_1' : null),
  };
}

/** A provider that counts its calls and answers from a script (an Error entry is thrown). */
function provider(script: Array<ChatResponse | Error> = [answer()]) {
  let calls = 0;
  const runner: Runner = {
    name: 'fake',
    complete: async () => {
      const next = script[Math.min(calls++, script.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { runner, calls: () => calls };
}

/** A store stand-in: the cache's record callback fills it, its lookup reads it. */
function memoryStore() {
  const rows = new Map<string, Fixture['response']>();
  return { rows, record: (f: Fixture) => rows.set(fixtureKey(f.api ?? 'chat', f.request, f.epoch), f.response), lookup: fixtureLookup(rows) };
}

describe('withCache', () => {
  it('answers a repeated request from the cache, flagged cached with latency 0', async () => {
    const p = provider();
    const store = memoryStore();
    const runner = withCache(p.runner, { mode: 'on', ...store });
    await runner.complete(request);
    const second = await runner.complete(request);
    expect(p.calls()).toBe(1);
    expect(second.cached).toBe(true);
    expect(second.latency_ms).toBe(0);
    expect(second.content).toBe('hello');
  });

  it('keys by epoch: the same request in another epoch is a new call', async () => {
    const p = provider();
    const runner = withCache(p.runner, { mode: 'on', ...memoryStore() });
    await runner.complete(request, { epoch: 0 });
    await runner.complete(request, { epoch: 1 });
    expect(p.calls()).toBe(2);
  });

  it('keys by the whole request: a different tool list is a new call', async () => {
    const p = provider();
    const runner = withCache(p.runner, { mode: 'on', ...memoryStore() });
    await runner.complete(request);
    await runner.complete({ ...request, tools: [{ type: 'function', function: { name: 'python', parameters: {} } }] });
    expect(p.calls()).toBe(2);
  });

  it('uses epochOf when given', async () => {
    const store = memoryStore();
    const runner = withCache(provider().runner, { mode: 'on', ...store, epochOf: () => 7 });
    await runner.complete(request);
    expect([...store.rows.keys()]).toEqual([fixtureKey('chat', request, 7)]);
  });

  it('never caches an error', async () => {
    const p = provider([new RunnerError('boom', { retryable: true, fatal: false, kind: 'server' }), answer()]);
    const store = memoryStore();
    const runner = withCache(p.runner, { mode: 'on', ...store });
    await expect(runner.complete(request)).rejects.toThrow('boom');
    expect(store.rows.size).toBe(0);
    expect((await runner.complete(request)).cached).toBeUndefined();
    expect(p.calls()).toBe(2);
  });

  it('in replay, a miss is a non-fatal cache_miss error naming the hash, and the provider is not called', async () => {
    const p = provider();
    const runner = withCache(p.runner, { mode: 'replay', lookup: () => undefined });
    const error = await runner.complete(request).catch((e) => e);
    expect(error).toBeInstanceOf(RunnerError);
    expect(error.kind).toBe('cache_miss');
    expect(error.fatal).toBe(false);
    expect(error.message).toContain(requestHash(request, 0).slice(0, 12));
    expect(error.message).toContain('model mock-hierarchy, api chat, epoch 0');
    expect(p.calls()).toBe(0);
  });

  it('in record, calls the provider even when the cache has the answer, and records it', async () => {
    const p = provider([answer('fresh')]);
    const store = memoryStore();
    store.rows.set(fixtureKey('chat', request, 0), { ...answer('stale') });
    const runner = withCache(p.runner, { mode: 'record', ...store });
    expect((await runner.complete(request)).content).toBe('fresh');
    expect(store.rows.get(fixtureKey('chat', request, 0))?.content).toBe('fresh');
  });

  it('off is the provider itself', () => {
    const p = provider();
    expect(withCache(p.runner, { mode: 'off', lookup: () => answer() })).toBe(p.runner);
  });

  it('shares one provider call between concurrent identical requests', async () => {
    const p = provider();
    const runner = withCache(p.runner, { mode: 'on', lookup: () => undefined });
    const [a, b] = await Promise.all([runner.complete(request), runner.complete(request)]);
    expect(p.calls()).toBe(1);
    expect([a.cached, b.cached]).toEqual([undefined, true]);
  });

  it('does not keep per-call headers in what it records', async () => {
    const store = memoryStore();
    await withCache(provider().runner, { mode: 'record', ...store }).complete(request);
    const stored = store.rows.get(fixtureKey('chat', request, 0)) as Record<string, unknown>;
    expect(stored.header).toBeUndefined();
    expect(stored.latency_ms).toBeUndefined();
  });
});

describe('fixtures', () => {
  const tempFile = () => join(mkdtempSync(join(tmpdir(), 'cardeval-fixtures-')), 'ci', 'fixtures.jsonl');

  it('a recorded run replays from its fixtures file without the provider', async () => {
    const path = tempFile();
    const recorder = withCache(provider([answer('recorded')]).runner, { mode: 'record', record: (f) => appendFixture(path, f) });
    await recorder.complete(request, { epoch: 2 });
    const replay = replayRunner(fixtureLookup(loadFixtures(path)));
    const replayed = await replay.complete(request, { epoch: 2 });
    expect(replayed.content).toBe('recorded');
    expect(replayed.cached).toBe(true);
    expect(replay.name).toBe('replay');
  });

  it('rejects a line whose hash does not match its request', () => {
    const path = tempFile();
    appendFixture(path, { hash: requestHash(request, 0), epoch: 0, request, response: answer() });
    const edited = readFileSync(path, 'utf8').replace('"hi"', '"hello"');
    writeFileSync(path, edited);
    expect(() => loadFixtures(path)).toThrow(DatasetError);
  });

  it('names a missing fixtures file as a configuration error', () => {
    expect(() => loadFixtures(join(tmpdir(), 'no-such-dir-cardeval', 'f.jsonl'))).toThrow(ConfigError);
  });

  it('a later line for the same hash wins', () => {
    const path = tempFile();
    const hash = requestHash(request, 0);
    appendFixture(path, { hash, epoch: 0, request, response: answer('old') });
    appendFixture(path, { hash, epoch: 0, request, response: answer('new') });
    expect(loadFixtures(path).get(fixtureKey('chat', request, 0))?.content).toBe('new');
  });
});

describe('fromStoredJson', () => {
  it('reads a completion row as the store writes it into a cached answer', () => {
    const stored = JSON.stringify({ content: 'c', tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, model: 'm', raw: {} });
    const response = fromStoredJson(stored, 'req_9');
    expect(response).toMatchObject({ content: 'c', cached: true, latency_ms: 0, request_id: 'req_9' });
    expect(fromStoredJson(undefined)).toBeUndefined();
  });
});

describe('what enters the cache is validated', () => {
  const tempFile = () => join(mkdtempSync(join(tmpdir(), 'cardeval-fixtures-')), 'fixtures.jsonl');

  it('a fixture line whose content is not a string is refused, naming file, line and field', () => {
    const path = tempFile();
    appendFixture(path, { hash: requestHash(request, 0), epoch: 0, request, response: answer('fine') });
    appendFixture(path, { hash: requestHash(request, 1), epoch: 1, request, response: { ...answer(), content: 42 as unknown as string } });
    expect(() => loadFixtures(path)).toThrow(`${path}:2: field "response.content": `);
  });

  it('a malformed provider answer is an item error and is never recorded', async () => {
    const recorded: Fixture[] = [];
    const runner = withCache(provider([{ ...answer(), content: { text: 'no' } as unknown as string }]).runner, { mode: 'on', lookup: () => undefined, record: (f) => recorded.push(f) });
    const error = await runner.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ kind: 'invalid_response', fatal: false });
    expect((error as Error).message).toMatch(/field "content"/);
    expect(recorded).toEqual([]);
  });

  it('a malformed row already in the store reads as a miss, so it is asked again rather than failing forever', () => {
    expect(fromStoredJson(JSON.stringify({ ...answer(), content: 7 }))).toBeUndefined();
    expect(fromStoredJson(JSON.stringify(answer('ok')))?.content).toBe('ok');
  });

  it('the cache key holds the endpoint, the API and the role profile beside the request and epoch', () => {
    const scope = { endpoint: 'mock', api: 'chat', roleProfile: 'native' };
    const key = cacheKey(scope, request, 0);
    expect(cacheKey({ ...scope, endpoint: 'openai-compatible http://127.0.0.1:1/v1' }, request, 0)).not.toBe(key);
    expect(cacheKey({ ...scope, api: 'responses' }, request, 0)).not.toBe(key);
    expect(cacheKey({ ...scope, roleProfile: 'merged' }, request, 0)).not.toBe(key);
    expect(cacheKey(scope, request, 1)).not.toBe(key);
    expect(cacheKey(scope, { ...request, max_completion_tokens: 10 }, 0)).not.toBe(key);
    // sha256 of the canonical JSON, computed apart with the shell (083958… is requestHash(request, 0)):
    // printf '{"api":"chat","endpoint":"mock","request":"%s","role_profile":"native"}' 083958064436d0e41b65415269253b1b14a800a6d1d5fe999be0c297367e8835 | sha256sum
    expect(requestHash(request, 0)).toBe('083958064436d0e41b65415269253b1b14a800a6d1d5fe999be0c297367e8835');
    expect(key).toBe('48aae61588ec4fafd63dab2f00a36eefcebfdf704f9fa3955f86650229e4434f');
  });

  it('an answer read from fixtures is kept under a key of its own, never the endpoint’s', () => {
    expect(fixtureAnswerKey('chat', request, 0)).not.toBe(cacheKey({ endpoint: 'mock', api: 'chat' }, request, 0));
    expect(fixtureAnswerKey('responses', request, 0)).not.toBe(fixtureAnswerKey('chat', request, 0));
  });

  it('a fixtures table answers whatever endpoint the caller keys the store by', async () => {
    const path = tempFile();
    appendFixture(path, { hash: requestHash(request, 0), epoch: 0, request, response: answer('from the file') });
    const replay = replayRunner(fixtureLookup(loadFixtures(path)));
    const hit = await replay.complete(request, { epoch: 0, hash: cacheKey({ endpoint: 'openai https://api.openai.com/v1', api: 'chat' }, request, 0) });
    expect(hit.content).toBe('from the file');
    expect(hit.fixture).toBe(true);
  });

  it('fixtures are keyed by the API: a chat line does not answer a Responses request; a line without "api" is chat', async () => {
    const path = tempFile();
    appendFixture(path, { hash: requestHash(request, 0), epoch: 0, request, response: answer('legacy chat') });
    appendFixture(path, { hash: requestHash(request, 1), epoch: 1, api: 'responses', request, response: answer('responses') });
    const table = loadFixtures(path);
    const chat = replayRunner(fixtureLookup(table, 'chat'), { api: 'chat' });
    const responses = replayRunner(fixtureLookup(table, 'responses'), { api: 'responses' });
    expect((await chat.complete(request, { epoch: 0 })).content).toBe('legacy chat');
    await expect(chat.complete(request, { epoch: 1 })).rejects.toMatchObject({ kind: 'cache_miss' });
    expect((await responses.complete(request, { epoch: 1 })).content).toBe('responses');
    await expect(responses.complete(request, { epoch: 0 })).rejects.toMatchObject({ kind: 'cache_miss' });
  });

  it('a line with an unknown api is refused, naming file, line and field', () => {
    const path = tempFile();
    appendFixture(path, { hash: requestHash(request, 0), epoch: 0, api: 'completions', request, response: answer() });
    expect(() => loadFixtures(path)).toThrow(`${path}:1: field "api": `);
  });
});
