// An interrupt during a sandbox execution, on a real SQLite file and the real Docker engine: the
// running execution finishes within its own limit, no model request goes out after the interrupt, the item is stored
// as `interrupted` (never scored), the run ends incomplete, and resume redoes the item.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { createRun, executeRun } from '../../harness/run.js';
import { makeRunConfig } from '../../core/run-config.js';
import { Registry } from '../../harness/registry.js';
import { Store } from '../../results/store.js';
import { dockerSandbox, probeDocker } from '../../docker/sandbox.js';
import { toolFormatEval } from '../../evals/tool-format/index.js';
import type { ChatRequest, ChatResponse, Runner } from '../../core/wire.js';
import type { ExecResult, Sandbox } from '../../core/sandbox.js';

const docker = new Docker();
const probe = await probeDocker({ docker });
const skipDocker = !process.env.CI && !(probe.engine && probe.image);
if (skipDocker) console.warn(`[tests/harness] skipping sandbox interrupt tests: ${probe.detail}`);

const dir = mkdtempSync(join(tmpdir(), 'cardeval-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scripted model: asks for one python call that takes ~2 s, then answers. Counts every request it receives. */
function scriptedRunner(onToolCall?: () => void): Runner & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  const answer = (content: string, toolCode?: string): ChatResponse => ({
    content,
    tool_calls: toolCode ? [{ id: 'call_1', type: 'function', function: { name: 'python', arguments: JSON.stringify({ code: toolCode }) } }] : [],
    finish_reason: toolCode ? 'tool_calls' : 'stop',
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    model: 'scripted',
    latency_ms: 1,
    raw: {},
  });
  return {
    name: 'scripted',
    requests,
    async complete(request) {
      requests.push(request);
      if (request.messages.some((m) => m.role === 'tool')) return answer('ANSWER: 2');
      onToolCall?.();
      return answer('', 'import time\ntime.sleep(2)\nprint(len([1, 2]))');
    },
  };
}

/** Records every execution's result, so the test can see none was killed. */
function recording(sandbox: Sandbox, results: ExecResult[]): Sandbox {
  return { kind: sandbox.kind, close: () => sandbox.close(), runPython: async (req) => { const r = await sandbox.runPython(req); results.push(r); return r; } };
}

describe.skipIf(skipDocker)('an interrupt during a sandbox execution', () => {
  it('lets the execution finish, sends nothing new, stores the item as interrupted, and resume scores it', async () => {
    const data = join(dir, 'tasks.jsonl');
    writeFileSync(data, JSON.stringify({ id: 't1', prompt: 'How many?', answer: '2' }) + '\n');
    const def = toolFormatEval({ dataset: data });
    const registry = new Registry([def]);
    const store = new Store(join(dir, 'interrupt.sqlite'));
    const params = makeRunConfig({ evals: ['tool-format:native-tools'], epochs: 1, seed: 1, concurrency: 1, timeout_s: 10, max_retries: 0, eval_modules: [], mock: false });
    const runId = createRun(store, [{ def, variant: 'native-tools' }], { model: 'scripted', provider: 'test', baseUrl: null, api: 'chat', roleProfile: 'native', params });

    const label = randomBytes(6).toString('hex');
    const sandbox = dockerSandbox({ docker, labels: { 'cardeval.test': label } });
    const results: ExecResult[] = [];
    const interrupt = new AbortController();
    // The interrupt comes once the container is running, as a Ctrl-C would in the middle of the execution.
    const runner = scriptedRunner(() => {
      void (async () => {
        for (let i = 0; i < 200; i++) {
          const running = await docker.listContainers({ filters: { label: [`cardeval.test=${label}`], status: ['running'] } });
          if (running.length > 0) return interrupt.abort();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
    });
    try {
      const outcome = await executeRun(store, registry, runId, { runner, sandbox: recording(sandbox, results), signal: interrupt.signal });
      expect(interrupt.signal.aborted).toBe(true);
      expect(runner.requests).toHaveLength(1); // the answer turn would have been a request after the interrupt
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ exitCode: 0, timedOut: false, stdout: '2\n' }); // finished, not killed
      expect(outcome).toMatchObject({ status: 'incomplete', scored: 0, errors: 1 });
      const [item] = store.items(runId);
      expect(item).toMatchObject({ status: 'error', error_kind: 'interrupted' });
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM scores WHERE run_id = ?').get(runId)).toEqual({ n: 0 });

      const again = scriptedRunner();
      const resumed = await executeRun(store, registry, runId, { runner: again, sandbox });
      expect(resumed).toMatchObject({ status: 'completed', scored: 1, errors: 0 });
      expect(again.requests).toHaveLength(2);
    } finally {
      await sandbox.close();
      store.close();
    }
  }, 60_000);
});
