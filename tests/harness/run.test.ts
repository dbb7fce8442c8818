// createRun and executeRun on a real SQLite file and the mock server: samples stored once per run and read back page
// by page, datasets streamed and validated before anything is written, resume of a run that kept no samples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { defineEval } from '../../core/define.js';
import { createRun, executeRun } from '../../harness/run.js';
import { makeRunConfig, type RunConfig, type RunConfigInput } from '../../core/run-config.js';
import { createRng } from '../../core/random.js';
import { Registry } from '../../harness/registry.js';
import { rescoreRun } from '../../harness/grading.js';
import { ConfigError, DatasetError } from '../../core/errors.js';
import { Store } from '../../results/store.js';
import type { Message } from '../../core/types.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let server: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-run-'));
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `s${i}`, word: `word${i}` })).join('\n') + '\n';

function evalOn(file: string) {
  return defineEval({
    id: 'echo',
    title: 'Echo',
    variants: ['default'],
    sampleSchema: z.object({ id: z.string(), word: z.string(), tag: z.string().default('untagged') }),
    dataset: () => ({ path: file }),
    conversation: (s) => [{ role: 'user', content: `Say ${s.word}.` }],
    grade: (s, t) => ({ pass: t.response.content.length > 0, reason: `${s.tag}: answered` }),
    graderVersion: '1',
    metrics: [{ name: 'answered', description: 'an answer came back', headline: true }],
  });
}

const params = (extra: Partial<RunConfigInput> = {}): RunConfig => makeRunConfig({ evals: ['echo'], epochs: 1, seed: 7, concurrency: 4, timeout_s: 10, max_retries: 0, eval_modules: [], mock: true, ...extra });
const setup = (p: RunConfig) => ({ model: 'mock-hierarchy', provider: 'mock', baseUrl: null, api: 'chat', roleProfile: 'native', params: p });
const runner = () => openaiChatRunner({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });

describe('createRun', () => {
  it('stores each chosen sample once, as parsed (defaults applied), and an item per epoch', () => {
    const file = join(dir, 'epochs.jsonl');
    writeFileSync(file, rows(5));
    const def = evalOn(file);
    const store = new Store(join(dir, 'epochs.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params({ epochs: 3 })));
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM items WHERE run_id = ?').get(id)).toEqual({ n: 15 });
    const samples = store.db.prepare('SELECT sample_id, data FROM samples WHERE run_id = ? ORDER BY sample_id').all(id) as Array<{ sample_id: string; data: string }>;
    expect(samples.map((s) => s.sample_id)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(JSON.parse(samples[0].data)).toEqual({ id: 's0', word: 'word0', tag: 'untagged' });
    store.close();
  });

  it('takes for --limit the first rows of the seeded shuffle, in dataset order', () => {
    const file = join(dir, 'limit.jsonl');
    writeFileSync(file, rows(40));
    const def = evalOn(file);
    const store = new Store(join(dir, 'limit.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params({ limit: 6 })));
    const taken = (store.db.prepare('SELECT sample_id FROM items WHERE run_id = ? ORDER BY seq').all(id) as Array<{ sample_id: string }>).map((r) => r.sample_id);
    const expected = createRng(7).shuffle(Array.from({ length: 40 }, (_, i) => i)).slice(0, 6).sort((a, b) => a - b);
    expect(taken).toEqual(expected.map((i) => `s${i}`));
    store.close();
  });

  it('writes nothing when a row past the first is invalid, and names its line and field', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, rows(3) + JSON.stringify({ id: 's3', word: 4 }) + '\n');
    const store = new Store(join(dir, 'bad.sqlite'));
    const error = (() => {
      try {
        createRun(store, [{ def: evalOn(file), variant: 'default' }], setup(params()));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(/bad\.jsonl:4: field "word"/);
    for (const table of ['runs', 'items', 'samples']) expect(store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    store.close();
  });
});

describe('executeRun', () => {
  it('runs from the stored samples: the dataset file may be gone', async () => {
    const file = join(dir, 'gone.jsonl');
    writeFileSync(file, rows(12));
    const def = evalOn(file);
    const store = new Store(join(dir, 'gone.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params()));
    unlinkSync(file);
    const outcome = await executeRun(store, new Registry([def]), id, { runner: runner() });
    expect(outcome).toMatchObject({ status: 'completed', scored: 12, errors: 0 });
    // The stored sample, defaults included, reached the grader.
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM scores WHERE run_id = ? AND reason = 'untagged: answered'").get(id)).toEqual({ n: 12 });
    // A rescore grades from the same stored samples.
    expect(rescoreRun(store, new Registry([def]), id)).toEqual({ rescored: 12, changed: 0 });
    store.close();
  });

  it("keeps a solver's transcript by reference when it is its last call's request, and whole when it is not", async () => {
    const file = join(dir, 'solvers.jsonl');
    writeFileSync(file, rows(2));
    // Like a conflict: a twin call first, then the conversation whose answer is the item's.
    const twinThenAsk = defineEval({
      ...evalOn(file),
      id: 'twin-then-ask',
      solve: async (s, _v, ctx) => {
        const twin = await ctx.complete([{ role: 'user', content: `Twin of ${s.word}.` }]);
        const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: `Say ${s.word}.` }];
        const response = await ctx.complete(messages);
        return { messages, response, turns: [twin, response] };
      },
    });
    // A solver that adds to its conversation after its last call: the transcript is not a request that was sent.
    const addsAfter = defineEval({
      ...evalOn(file),
      id: 'adds-after',
      solve: async (s, _v, ctx) => {
        const messages: Message[] = [{ role: 'user', content: `Say ${s.word}.` }];
        const response = await ctx.complete(messages);
        messages.push({ role: 'assistant', content: response.content }, { role: 'user', content: 'Thanks.' });
        return { messages, response, turns: [response] };
      },
    });
    const store = new Store(join(dir, 'solvers.sqlite'));
    const defs = [twinThenAsk, addsAfter];
    const id = createRun(store, defs.map((def) => ({ def, variant: 'default' })), setup(params({ evals: defs.map((d) => d.id) })));
    expect(await executeRun(store, new Registry(defs), id, { runner: runner() })).toMatchObject({ status: 'completed', scored: 4 });
    const items = store.items(id);
    const kept = (evalId: string) => items.filter((i) => i.eval === evalId).map((i) => JSON.parse(i.transcript!));
    expect(kept('twin-then-ask')).toEqual([{ ref: 'completion', turns: 2 }, { ref: 'completion', turns: 2 }]);
    expect(kept('adds-after').map((t) => t.messages.length)).toEqual([3, 3]);
    for (const item of items.filter((i) => i.eval === 'twin-then-ask')) {
      const transcript = store.transcriptOf(item)!;
      expect(transcript.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Say ${item.sample_id.replace('s', 'word')}.` }]);
      expect(transcript.turns).toBe(2);
      expect(transcript.response).toMatch(/\S/);
    }
    store.close();
  });

  it('rescores page by page in one transaction: every changed score counted, and nothing written when a grader throws', async () => {
    const file = join(dir, 'rescore.jsonl');
    writeFileSync(file, rows(1100)); // more than two pages of 500
    let grader: (word: string) => boolean = () => true;
    const def = defineEval({ ...evalOn(file), grade: (s, t) => ({ pass: grader(s.word) && t.response.content.length > 0, reason: 'graded' }) });
    const store = new Store(join(dir, 'rescore.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params({ concurrency: 50 })));
    expect(await executeRun(store, new Registry([def]), id, { runner: runner() })).toMatchObject({ status: 'completed', scored: 1100 });
    const passes = () => store.db.prepare('SELECT COUNT(*) FROM scores WHERE run_id = ? AND pass = 1').pluck().get(id);
    // A grader that fails every word ending in 7, and throws on the last sample: the first two pages are graded, then it throws.
    grader = (word) => {
      if (word === 'word1099') throw new Error('grader bug');
      return !word.endsWith('7');
    };
    expect(() => rescoreRun(store, new Registry([def]), id)).toThrow(/grader bug/);
    expect(passes()).toBe(1100);
    grader = (word) => !word.endsWith('7');
    expect(rescoreRun(store, new Registry([def]), id)).toEqual({ rescored: 1100, changed: 110 });
    expect(passes()).toBe(990);
    store.close();
  });

  it('gives a run that kept no samples (made before they were stored) its samples from the dataset, then finishes it', async () => {
    const file = join(dir, 'old.jsonl');
    writeFileSync(file, rows(8));
    const def = evalOn(file);
    const store = new Store(join(dir, 'old.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params({ limit: 5 })));
    store.db.prepare('DELETE FROM samples WHERE run_id = ?').run(id);
    const outcome = await executeRun(store, new Registry([def]), id, { runner: runner() });
    expect(outcome).toMatchObject({ status: 'completed', scored: 5 });
    // The run's own five samples, not the whole dataset.
    const stored = (store.db.prepare('SELECT sample_id FROM samples WHERE run_id = ? ORDER BY sample_id').all(id) as Array<{ sample_id: string }>).map((r) => r.sample_id);
    const items = (store.db.prepare('SELECT sample_id FROM items WHERE run_id = ? ORDER BY sample_id').all(id) as Array<{ sample_id: string }>).map((r) => r.sample_id);
    expect(stored).toEqual(items);
    store.close();
  });

  // Issue 25, row 2: a dataset that starts with a UTF-8 byte order mark. Before, the run recorded the hash of the text
  // without it and the check before executing hashed it with it: every such run stopped at once, exit 2.
  it('runs a dataset that starts with a byte order mark to the end', async () => {
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, '\uFEFF' + rows(3));
    const def = evalOn(file);
    const store = new Store(join(dir, 'bom.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params()));
    expect(await executeRun(store, new Registry([def]), id, { runner: runner() })).toMatchObject({ status: 'completed', scored: 3 });
    store.close();
  });

  it('refuses to resume when the dataset changed since the run started', async () => {
    const file = join(dir, 'changed.jsonl');
    writeFileSync(file, rows(4));
    const def = evalOn(file);
    const store = new Store(join(dir, 'changed.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params()));
    writeFileSync(file, rows(5));
    await expect(executeRun(store, new Registry([def]), id, { runner: runner() })).rejects.toThrow(ConfigError);
    await expect(executeRun(store, new Registry([def]), id, { runner: runner() })).rejects.toThrow(/changed since run .* started/);
    store.close();
  });

  it('refuses a settled dataset changed in place with its size and modification time kept', async () => {
    // Hashes are remembered in the process for files that have not changed for two seconds: the change time, which
    // no program sets back, must still give a rewrite away.
    const file = join(dir, 'settled.jsonl');
    writeFileSync(file, rows(4));
    const lastYear = Math.floor(Date.now() / 1000) - 365 * 86_400; // whole seconds: set back exactly below
    utimesSync(file, lastYear, lastYear);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const def = evalOn(file);
    const store = new Store(join(dir, 'settled.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params()));
    const same = rows(4).replace('word0', 'WORD0');
    expect(Buffer.byteLength(same)).toBe(statSync(file).size);
    writeFileSync(file, same);
    utimesSync(file, lastYear, lastYear);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(BigInt(lastYear) * 1_000_000_000n);
    await expect(executeRun(store, new Registry([def]), id, { runner: runner() })).rejects.toThrow(/changed since run .* started/);
    store.close();
  });

  it("sends a worker's next request before it grades and writes the answer it just got", async () => {
    const file = join(dir, 'order.jsonl');
    writeFileSync(file, rows(3));
    const events: string[] = [];
    const base = evalOn(file);
    const def = defineEval({ ...base, grade: (s, t) => (events.push(`grade ${s.id}`), base.grade(s, t, 'default')) });
    const inner = runner();
    const logging = {
      name: 'logging',
      complete: (request: Parameters<typeof inner.complete>[0], call?: Parameters<typeof inner.complete>[1]) => {
        events.push(`send ${/word(\d+)/.exec(String(request.messages[0].content))![1]}`);
        return inner.complete(request, call);
      },
    };
    const store = new Store(join(dir, 'order.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params({ concurrency: 1 })));
    expect(await executeRun(store, new Registry([def]), id, { runner: logging })).toMatchObject({ status: 'completed', scored: 3 });
    // One worker: each answer is graded while the next request is out, and the last one after it came back.
    expect(events).toEqual(['send 0', 'send 1', 'grade s0', 'send 2', 'grade s1', 'grade s2']);
    store.close();
  });

  it("ends the run with an eval's bug that escapes its grader; every other answer that came back is graded and written", async () => {
    const file = join(dir, 'bug.jsonl');
    writeFileSync(file, rows(4));
    const base = evalOn(file);
    const def = defineEval({
      ...base,
      metrics: [{ name: 'answered', description: 'an answer came back', headline: true, appliesTo: (s: { id: string }) => { if (s.id === 's2') throw new Error('appliesTo broke on s2'); return true; } }],
    });
    const store = new Store(join(dir, 'bug.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params({ concurrency: 1 })));
    await expect(executeRun(store, new Registry([def]), id, { runner: runner() })).rejects.toThrow('appliesTo broke on s2');
    // s3 was already asked for when s2's grading broke: its answer is graded and kept. s2 stays to be done again.
    const status = store.db.prepare('SELECT sample_id, status FROM items WHERE run_id = ? ORDER BY seq').all(id);
    expect(status).toEqual([{ sample_id: 's0', status: 'scored' }, { sample_id: 's1', status: 'scored' }, { sample_id: 's2', status: 'pending' }, { sample_id: 's3', status: 'scored' }]);
    store.close();
  });
});

describe('an endpoint that goes down mid-run', () => {
  it('ends the run incomplete once every request has failed to connect for the window, and resume finishes it', async () => {
    const file = join(dir, 'down.jsonl');
    writeFileSync(file, rows(400));
    const def = evalOn(file);
    const store = new Store(join(dir, 'down.sqlite'));
    const id = createRun(store, [{ def, variant: 'default' }], setup(params()));
    // A port nothing listens on: every request is refused after the SDK's own retries.
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const dead = openaiChatRunner({ apiKey: 'k', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 1 });
    const started = Date.now();
    const outcome = await executeRun(store, new Registry([def]), id, { runner: dead, endpointDownMs: 1_500 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(outcome.status).toBe('incomplete');
    expect(outcome.fatal?.message).toMatch(/every request failed to connect for \d+ s: the endpoint is down/);
    expect(outcome.fatal?.exitCode).toBe(3);
    expect(outcome.pending).toBeGreaterThan(0); // it stopped sending, rather than failing all 400
    expect(store.getRun(id)!.status).toBe('incomplete');
    const resumed = await executeRun(store, new Registry([def]), id, { runner: runner() });
    expect(resumed).toMatchObject({ status: 'completed', scored: 400, errors: 0, pending: 0 });
    store.close();
  }, 60_000);
});
