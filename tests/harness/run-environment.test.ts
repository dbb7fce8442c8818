// executeRun and createRun when the database stops taking writes, on a real SQLite file and the
// mock server: a full disk mid-run ends the run incomplete with the cause (no uncaught throw), resume finishes it; a
// full disk at creation is an EnvironmentError and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { defineEval } from '../../core/define.js';
import { ConfigError, EnvironmentError } from '../../core/errors.js';
import type { Grade } from '../../core/types.js';
import { createRun, executeRun } from '../../harness/run.js';
import { makeRunConfig } from '../../core/run-config.js';
import { Registry } from '../../harness/registry.js';
import { Store } from '../../results/store.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let server: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-run-env-'));
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function echoEval(rows: number) {
  const file = join(dir, `echo-${rows}.jsonl`);
  writeFileSync(file, Array.from({ length: rows }, (_, i) => JSON.stringify({ id: `s${i}`, word: `word${i}`.padEnd(2000, 'x') })).join('\n') + '\n');
  return defineEval({
    id: 'echo',
    title: 'Echo',
    variants: ['default'],
    sampleSchema: z.object({ id: z.string(), word: z.string() }),
    dataset: () => ({ path: file }),
    conversation: (s) => [{ role: 'user', content: `Say ${s.word}.` }],
    grade: (_s, t) => ({ pass: t.response.content.length > 0, reason: 'answered' }),
    graderVersion: '1',
    metrics: [{ name: 'answered', description: 'an answer came back', headline: true }],
  });
}
const params = makeRunConfig({ evals: ['echo'], epochs: 1, seed: 1, concurrency: 2, timeout_s: 10, max_retries: 0, eval_modules: [], mock: true });
const setup = { model: 'mock-hierarchy', provider: 'mock', baseUrl: null, api: 'chat', roleProfile: 'native', params };

describe('a full disk', () => {
  it('mid-run: the run ends incomplete with the cause, what was committed stays, and resume finishes it', async () => {
    const def = echoEval(400);
    const store = new Store(join(dir, 'mid.sqlite'));
    const runId = createRun(store, [{ def, variant: 'default' }], setup);
    // Room for a few answers only (stored packed, a few dozen to a page): SQLite's page ceiling gives the same
    // SQLITE_FULL a full disk does.
    store.db.pragma(`max_page_count = ${(store.db.pragma('page_count', { simple: true }) as number) + 3}`);
    const runner = openaiChatRunner({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
    const outcome = await executeRun(store, new Registry([def]), runId, { runner });
    expect(outcome.status).toBe('incomplete');
    expect(outcome.storage).toBeInstanceOf(EnvironmentError);
    expect(outcome.storage?.message).toMatch(/disk full/);
    expect(outcome.pending).toBeGreaterThan(0);
    expect(outcome.scored + outcome.pending).toBe(400);

    store.db.pragma('max_page_count = 1073741823');
    const resumed = await executeRun(store, new Registry([def]), runId, { runner });
    expect(resumed).toMatchObject({ status: 'completed', scored: 400, errors: 0, pending: 0 });
    store.close();
  });

  it('at creation: an EnvironmentError (exit 2), and no run row is left', () => {
    const def = echoEval(400);
    const store = new Store(join(dir, 'create.sqlite'));
    store.db.pragma(`max_page_count = ${(store.db.pragma('page_count', { simple: true }) as number) + 4}`);
    expect(() => createRun(store, [{ def, variant: 'default' }], setup)).toThrow(EnvironmentError);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });
});

describe('what an eval returns or produces', () => {
  function gradedBy(grade: () => Grade, schema: z.ZodType<{ id: string }> = z.object({ id: z.string(), word: z.string() })) {
    const file = join(dir, 'three.jsonl');
    writeFileSync(file, ['a', 'b', 'c'].map((id) => JSON.stringify({ id, word: id })).join('\n') + '\n');
    return defineEval({
      id: 'odd',
      title: 'Odd',
      variants: ['default'],
      sampleSchema: schema,
      dataset: () => ({ path: file }),
      conversation: () => [{ role: 'user', content: 'Say hi.' }],
      grade,
      graderVersion: '1',
      metrics: [{ name: 'm', description: 'm', headline: true }],
    });
  }

  for (const [what, grade, field] of [
    ['a NaN score', { pass: true, score: Number.NaN, reason: 'r' }, 'score'],
    ['a score of 7', { pass: true, score: 7, reason: 'r' }, 'score'],
    ['a metric of -1', { pass: false, reason: 'r', metrics: { m: -1 } }, 'metrics.m'],
  ] as const) {
    it(`a grade() with ${what} is an item error naming the field, never a score; the run ends, not running`, async () => {
      const def = gradedBy(() => grade as Grade);
      const store = new Store(join(dir, `grade-${field}-${what.length}.sqlite`));
      const runId = createRun(store, [{ def, variant: 'default' }], setup);
      const outcome = await executeRun(store, new Registry([def]), runId, { runner: openaiChatRunner({ apiKey: 'k', baseURL: server.url, maxRetries: 0 }) });
      expect(outcome).toMatchObject({ status: 'incomplete', scored: 0, errors: 3 });
      expect(store.getRun(runId)!.status).toBe('incomplete');
      const [item] = store.erroredItems(runId, 1);
      expect(item.error_kind).toBe('grader');
      expect(item.error).toMatch(new RegExp(`^eval odd: grade\\(\\) returned an invalid Grade: field "${field.replace('.', '\\.')}": `));
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM scores').get()).toEqual({ n: 0 });
      store.close();
    });
  }

  it('a sample schema producing a BigInt is refused at creation in one line, and nothing is written', () => {
    const def = gradedBy(() => ({ pass: true, reason: 'r' }), z.object({ id: z.string(), word: z.string().transform((w) => BigInt(w.length)) }));
    const store = new Store(join(dir, 'bigint.sqlite'));
    expect(() => createRun(store, [{ def, variant: 'default' }], setup)).toThrow(ConfigError);
    expect(() => createRun(store, [{ def, variant: 'default' }], setup)).toThrow(/^eval odd: sample "a" cannot be stored as JSON \(.*BigInt.*\); its sampleSchema must produce JSON values$/);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });
});

describe('what a run keeps across resumes', () => {
  it('--max-cost is the run’s budget: a run already at it sends nothing on resume', async () => {
    const def = echoEval(4);
    const store = new Store(join(dir, 'budget.sqlite'));
    const runId = createRun(store, [{ def, variant: 'default' }], { ...setup, params: { ...params, max_cost: 0.01 } });
    store.addRunCost(runId, 0.02, 0); // spent by earlier attempts
    server.reset();
    const outcome = await executeRun(store, new Registry([def]), runId, { runner: openaiChatRunner({ apiKey: 'k', baseURL: server.url, maxRetries: 0 }) });
    expect(outcome).toMatchObject({ status: 'budget_exceeded', scored: 0, pending: 4 });
    expect(server.stats().requests).toBe(0);
    store.close();
  });

  it('a key a server echoes in x-request-id is stored redacted', async () => {
    const def = echoEval(1);
    const store = new Store(join(dir, 'request-id.sqlite'));
    const runId = createRun(store, [{ def, variant: 'default' }], setup);
    const key = 'sk-live-echoed-0123456789';
    const runner = {
      name: 'echoing',
      complete: async () => ({ content: 'hi', tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, model: 'm', latency_ms: 1, raw: {}, request_id: `req_1 Bearer ${key}` }),
    };
    await executeRun(store, new Registry([def]), runId, { runner });
    const stored = store.db.prepare('SELECT request_id FROM completions').all() as Array<{ request_id: string }>;
    expect(stored).toEqual([{ request_id: 'req_1 Bearer sk-***' }]);
    store.close();
  });

  it("this process's own key is stored redacted from x-request-id whatever its shape", async () => {
    const def = echoEval(1);
    const store = new Store(join(dir, 'request-id-env.sqlite'));
    const runId = createRun(store, [{ def, variant: 'default' }], setup);
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'gateway-key-of-no-known-shape';
    try {
      const runner = {
        name: 'echoing',
        complete: async () => ({ content: 'hi', tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, model: 'm', latency_ms: 1, raw: {}, request_id: 'req_2 key=gateway-key-of-no-known-shape' }),
      };
      await executeRun(store, new Registry([def]), runId, { runner });
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
    expect(store.db.prepare('SELECT request_id FROM completions').all()).toEqual([{ request_id: 'req_2 key=***' }]);
    store.close();
  });
});
