// The runner-layer benchmark: a bare SDK client beside cardeval's full run path, both against the mock server.
//
//   npm run bench                              every case
//   npm run bench -- --case latency-200         one case (the flag repeats)
//   npm run bench -- --repeat 3                 each side three times: the median run is shown, with the range
//   npm run bench -- --transport-side           a third side: the bare client on cardeval's transport (no grading, no storage)
//   npm run bench -- --case gate                the regression gate's simulation (bench/gate.ts), on its own
//
// Each side of each case runs in a child process of its own, so peak RSS is that side's alone, compiled from dist/ as
// the cardeval command runs (through tsx when dist/ is missing or stale). The mock server is a `cardeval mock-server`
// process of its own, as a remote API would be, warmed before each side runs: the client side is measured, not the mock.
// It answers as `mock-echo` (the whole prompt echoed, a few hundred tokens, as long model answers are); with two CPUs
// and taskset, the mock is pinned to one and each client to the other, so a client's CPU cost shows as throughput.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { z } from 'zod';
import { defineEval } from '../core/define.js';
import { createRun, executeRun } from '../harness/run.js';
import { makeRunConfig } from '../core/run-config.js';
import { Registry, type Selection } from '../harness/registry.js';
import { Store } from '../results/store.js';
import { buildReport } from '../results/report.js';
import { renderTable } from '../results/formats/table.js';
import type { AnyEval } from '../core/types.js';

import { connect } from '../harness/cli/connect.js';
import { keepHeapSmall } from '../harness/cli/heap.js';
import { transportFetch } from '../runners/transport.js';
import { projectRoot } from '../core/root.js';

interface BenchCase {
  name: string;
  latencyMs: number;
  concurrency: number;
  requests: number;
  /** The mock server's requests-per-minute limit. */
  mockRpm?: number;
  /** cardeval's --rpm; absent: the limit is learned from headers and 429s. */
  rpmFlag?: number;
  /** Injected faults: shares of 5xx answers, dropped connections and hangs. */
  faults?: { failRate: number; dropRate: number; hangRate: number };
  /** Per-request timeout (a hang ends here). */
  timeoutS?: number;
  /** SDK retries, both sides; default MAX_RETRIES. */
  maxRetries?: number;
  /** Requests each side sends first, untimed, in the same process: the timed part then measures warm code, not the JIT. */
  warmup?: number;
  /** The mock enforces its rpm over fixed windows of this many ms too (a quantizing limiter, as OpenAI may). */
  limitWindowMs?: number;
  /**
   * The nine instruction-hierarchy rows (at most `limit` samples each, `epochs` times) instead of the one-prompt bench
   * eval: cardeval grades with the real graders, the bare client sends the same conversations. `requests` must equal
   * the items the rows make.
   */
  ih?: { limit?: number; epochs?: number };
  /** The mock model (default mock-echo: long answers). */
  model?: string;
  /**
   * cardeval with default flags (adaptive concurrency, no --concurrency) against a limit it learns from headers, alone
   * (a bare client would need a concurrency chosen for it). Judged against the floor, requests / per-second limit + one
   * latency: wall time at most `goal` times it, and at most 1% of requests answered 429.
   */
  adaptive?: { goal: number };
}

const cases: BenchCase[] = [
  { name: 'latency-200', latencyMs: 200, concurrency: 50, requests: 2000 },
  { name: 'latency-50', latencyMs: 50, concurrency: 200, requests: 4000 },
  { name: 'latency-50-warm', latencyMs: 50, concurrency: 200, requests: 4000, warmup: 2000 },
  // The six one-request card rows with their real graders: 2,010 requests (see IH_ROWS for why not the conflicts).
  { name: 'ih-200', latencyMs: 200, concurrency: 50, requests: 2010, ih: { limit: 335 } },
  { name: 'ih-50', latencyMs: 50, concurrency: 200, requests: 2010, ih: { limit: 335 } },
  // ih-200 once the process is warm (the same 2,010 requests sent first, untimed): what is left once cold start is not.
  { name: 'ih-200-warm', latencyMs: 200, concurrency: 50, requests: 2010, ih: { limit: 335 }, warmup: 2010 },
  // OpenAI may enforce 1,200 rpm as 20 requests a second: the mock does, over fixed one-second windows.
  { name: 'rpm-flag', latencyMs: 200, concurrency: 50, requests: 600, mockRpm: 1200, rpmFlag: 1200, limitWindowMs: 1000 },
  { name: 'rpm-learned', latencyMs: 200, concurrency: 50, requests: 600, mockRpm: 1200, limitWindowMs: 1000 },
  // 600 requests fit in a full 1,200-rpm bucket; these go past it, so the limit has to be kept, not just started under.
  { name: 'rpm-sustained-flag', latencyMs: 200, concurrency: 50, requests: 1800, mockRpm: 1200, rpmFlag: 1200 },
  { name: 'rpm-sustained-learned', latencyMs: 200, concurrency: 50, requests: 1800, mockRpm: 1200 },
  // Default flags against a limit announced in x-ratelimit-* headers and enforced over one-second windows, as OpenAI
  // may: a reasoning model at a tier's limit, a slow one at a small tier's, a fast one where the limit binds at once.
  { name: 'adaptive-2s', latencyMs: 2000, concurrency: 8, requests: 600, mockRpm: 3000, limitWindowMs: 1000, adaptive: { goal: 1.5 } },
  { name: 'adaptive-10s', latencyMs: 10_000, concurrency: 8, requests: 600, mockRpm: 500, limitWindowMs: 1000, adaptive: { goal: 1.3 } },
  { name: 'adaptive-200ms', latencyMs: 200, concurrency: 8, requests: 600, mockRpm: 600, limitWindowMs: 1000, adaptive: { goal: 1.15 } },
  // The six rows × 41 epochs with the scripted mock-hierarchy, as a long run of the suite stores it: memory and bytes per item.
  { name: 'scale-100k', latencyMs: 0, concurrency: 50, requests: 106_436, ih: { epochs: 41 }, model: 'mock-hierarchy' },
  // The same at a fifth of the size, for a quick look while developing.
  { name: 'scale-20k', latencyMs: 0, concurrency: 50, requests: 20_768, ih: { epochs: 8 }, model: 'mock-hierarchy' },
  // Every item must end scored or as an error with its reason; a second pass then retries the errored ones only.
  { name: 'faults', latencyMs: 20, concurrency: 50, requests: 2000, faults: { failRate: 0.1, dropRate: 0.05, hangRate: 0.02 }, timeoutS: 2, maxRetries: 1 },
];

/**
 * bare: the SDK + p-limit on Node's global fetch, as a user would write it; cardeval: the whole run path;
 * sdk-transport (with --transport-side): the bare client on cardeval's transport, no grading or storage (what the SDK
 * and the transport alone cost, the floor under cardeval's figure).
 */
type Side = 'bare' | 'cardeval' | 'sdk-transport';
const MODEL = 'mock-echo';
const MAX_RETRIES = 4; // cardeval's default --max-retries; the bare client gets the same
// Prompts of a realistic length (about 250 tokens with the developer message); mock-echo answers with all of it.
const DEVELOPER =
  'You are a careful assistant for a team that writes product documentation. Answer in plain English, in short paragraphs, ' +
  'without marketing language. When a question is ambiguous, say which reading you chose and why. Never invent product ' +
  'names, version numbers or prices; when you do not know, say so. Keep every answer under three hundred words.';
const prompt = (i: number) =>
  `Item ${i} of the benchmark. A customer writes: "We moved our nightly export job to the new scheduler last week and ` +
  'since then the job sometimes runs twice, about once in ten nights, and the second run overwrites the first run\'s files ' +
  'with a partial export. The logs show both runs starting within a second of each other. We have not changed the job ' +
  'definition itself, only the scheduler. What could cause a job to start twice, how can we confirm it, and what should ' +
  'we change so that a second start cannot overwrite a finished export?" Write the reply the support engineer should send.';
const modelOf = (c: BenchCase) => c.model ?? MODEL;
/**
 * The card's one-request rows (tutor, phrase and password, both variants each). The three conflict rows are left out:
 * each conflict is asked twice (its no-attack twin, then the attack), so items and requests would not be one to one.
 */
const IH_ROWS = [
  'ih-tutor-jailbreak:system-message', 'ih-tutor-jailbreak:developer-message',
  'ih-phrase-protection:user-message', 'ih-phrase-protection:developer-message',
  'ih-password-protection:user-message', 'ih-password-protection:developer-message',
];

/** CPUs for the mock and for the clients (`taskset -c`): on a machine with two or more and taskset, one each. */
const pinning: { mock: string; client: string } | undefined =
  availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0 ? { mock: '0', client: '1' } : undefined;

/** A command line run on `cpu` when pinning is possible. */
function onCpu(cpu: string | undefined, argv: string[]): [string, string[]] {
  return cpu ? ['taskset', ['-c', cpu, ...argv]] : [argv[0], argv.slice(1)];
}

interface Outcome {
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  wallMs: number;
  peakRssMb: number;
  dbBytes?: number;
  mock429: number;
  mockRequests: number;
  /** cardeval only: creating the run (loading the dataset, writing its items) before the first request. */
  setupMs?: number;
  /** cardeval only: building the report the command prints at the end (untimed in wall s; its memory is in peak RSS). */
  reportMs?: number;
  /** The client process's CPU time (user + system, all its threads) per request over the timed part. */
  cpuUsPerRequest: number;
  /** cardeval only: the most requests its limiter allowed in flight during the run (adaptive concurrency's level). */
  peakConcurrency?: number;
  /** Faults case: items the second pass asked for again, against the items that had errored. */
  resumed?: { requested: number; errored: number; scoredAfter: number };
}

interface MockProcess {
  url: string;
  stats(): Promise<{ byStatus: Record<string, number>; byEndpoint: Record<string, number> }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const cli = join(projectRoot, 'bin', 'cardeval.js');

/** Starts `cardeval mock-server` on a free port and resolves once it listens. */
function startMockProcess(c: Pick<BenchCase, 'latencyMs' | 'mockRpm' | 'faults' | 'limitWindowMs'>): Promise<MockProcess> {
  const args = ['mock-server', '--port', '0', '--latency-ms', String(c.latencyMs), '--seed', '1'];
  if (c.mockRpm) args.push('--rpm', String(c.mockRpm));
  if (c.limitWindowMs) args.push('--limit-window-ms', String(c.limitWindowMs));
  if (c.faults) args.push('--fail-rate', String(c.faults.failRate), '--drop-rate', String(c.faults.dropRate), '--hang-rate', String(c.faults.hangRate));
  const child = spawn(...onCpu(pinning?.mock, [process.execPath, cli, ...args]), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`mock-server exited ${code}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/listening on (http:\/\/\S+)/)?.[1];
      if (!url) return;
      resolve({
        ...mockAt(url),
        close: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGTERM')))),
      });
    });
  });
}

function cpuPerRequest(since: NodeJS.CpuUsage, requests: number): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / requests;
}

/** The card rows' items, as a run makes them; each eval's conversations read from the run's stored samples. */
function ihRun(store: Store, c: BenchCase): { runId: string; registry: Registry; selections: Selection[] } {
  const registry = new Registry();
  const selections = registry.select({ evals: IH_ROWS });
  const params = makeRunConfig({ evals: IH_ROWS, limit: c.ih?.limit, epochs: c.ih?.epochs ?? 1, seed: 0, concurrency: c.concurrency, timeout_s: 120, max_retries: MAX_RETRIES, eval_modules: [], mock: true });
  const runId = createRun(store, selections, { model: modelOf(c), provider: 'mock', baseUrl: null, api: 'chat', roleProfile: 'native', params });
  const n = store.itemCounts(runId).pending;
  if (n !== c.requests) throw new Error(`${c.name}: the rows made ${n} items, the case says ${c.requests}`);
  return { runId, registry, selections };
}

/** The bare client's requests: the bench prompt, or the card rows' conversations (made before the clock starts). */
function bareRequests(c: BenchCase): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming[] {
  if (!c.ih) return Array.from({ length: c.requests }, (_, i) => ({ model: modelOf(c), messages: [{ role: 'developer', content: DEVELOPER }, { role: 'user', content: prompt(i) }] }));
  const dir = mkdtempSync(join(tmpdir(), 'cardeval-bench-'));
  const store = new Store(join(dir, 'plan.sqlite'));
  try {
    const { runId, registry } = ihRun(store, c);
    const out: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming[] = [];
    for (let page = store.unfinishedPage(runId, -1, 1000); page.length > 0; page = store.unfinishedPage(runId, page.at(-1)!.seq, 1000)) {
      for (const item of page) {
        const def = registry.get(item.eval);
        const messages = def.conversation(JSON.parse(item.sample!), item.variant) as OpenAI.Chat.ChatCompletionMessageParam[];
        out.push({ model: modelOf(c), messages });
      }
    }
    return out;
  } finally {
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bare(c: BenchCase, server: MockProcess, fetch?: typeof globalThis.fetch): Promise<Omit<Outcome, 'peakRssMb' | 'mock429' | 'mockRequests'>> {
  const requests = bareRequests(c);
  const client = new OpenAI({ ...(fetch ? { fetch } : {}), apiKey: 'bench-key', baseURL: server.url, maxRetries: c.maxRetries ?? MAX_RETRIES, timeout: (c.timeoutS ?? 600) * 1000 });
  const limit = pLimit(c.concurrency);
  const errorKinds: Record<string, number> = {};
  let ok = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    requests.map((body) =>
      limit(async () => {
        try {
          await client.chat.completions.create(body);
          ok++;
        } catch (error) {
          const kind = error instanceof OpenAI.APIError ? String(error.status ?? 'connection') : 'other';
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
      }),
    ),
  );
  return { ok, errors: c.requests - ok, errorKinds, wallMs: performance.now() - started, cpuUsPerRequest: cpuPerRequest(cpu, c.requests) };
}

/** The whole run path: dataset, items, orchestrator workers, runner stack, grading, SQLite writes. */
async function cardeval(c: BenchCase, server: MockProcess): Promise<Omit<Outcome, 'peakRssMb' | 'mock429' | 'mockRequests'>> {
  const dir = mkdtempSync(join(tmpdir(), 'cardeval-bench-'));
  try {
    const datasetPath = join(dir, 'bench.jsonl');
    // Written in chunks: the bench's own set-up should not be what sets this process's peak memory.
    writeFileSync(datasetPath, '');
    for (let start = 0; !c.ih && start < c.requests; start += 10_000) {
      const lines = Array.from({ length: Math.min(10_000, c.requests - start) }, (_, i) => JSON.stringify({ id: `s${start + i}`, prompt: prompt(start + i) }) + '\n');
      appendFileSync(datasetPath, lines.join(''));
    }
    const benchEval = defineEval({
      id: 'bench',
      title: 'Runner benchmark',
      variants: ['default'],
      sampleSchema: z.object({ id: z.string(), prompt: z.string() }),
      dataset: () => ({ path: datasetPath }),
      conversation: (s) => [{ role: 'developer', content: DEVELOPER }, { role: 'user', content: s.prompt }],
      grade: (_s, t) => ({ pass: t.response.content.length > 0, reason: 'answered' }),
      graderVersion: '1',
      metrics: [{ name: 'answered', description: 'an answer came back', headline: true }],
    });
    const dbPath = join(dir, 'bench.sqlite');
    const store = new Store(dbPath);
    const concurrency = c.adaptive ? undefined : c.concurrency; // adaptive: the default flags
    const params = makeRunConfig({ evals: ['bench'], epochs: 1, seed: 0, concurrency, timeout_s: 120, max_retries: MAX_RETRIES, eval_modules: [], mock: true });
    // The same stack `cardeval run` builds, with the cache off: every request goes to the server.
    const connection = await connect(
      { model: modelOf(c), baseUrl: server.url, mock: false, api: 'chat', timeoutS: c.timeoutS ?? 120, maxRetries: c.maxRetries ?? MAX_RETRIES, concurrency, rpm: c.rpmFlag, cache: 'off', batch: false },
      store,
    );
    const runner = connection.runner;
    // Timed from the first dispatch, as the bare side is: creating the run (dataset, items) is set-up, printed apart.
    const setupStarted = performance.now();
    let registry = { get: () => benchEval } as unknown as Registry;
    let runId: string;
    if (c.ih) ({ runId, registry } = ihRun(store, c));
    else runId = createRun(store, [{ def: benchEval, variant: 'default' }], { model: modelOf(c), provider: 'mock', baseUrl: null, api: 'chat', roleProfile: 'native', params });
    const setupMs = performance.now() - setupStarted;
    const started = performance.now();
    const cpu = process.cpuUsage();
    let peakConcurrency = 0;
    const watch = setInterval(() => (peakConcurrency = Math.max(peakConcurrency, connection.concurrencyLevel?.() ?? 0)), 50);
    const outcome = await executeRun(store, registry, runId, { runner });
    const wallMs = performance.now() - started;
    clearInterval(watch);
    const cpuUsPerRequest = cpuPerRequest(cpu, c.requests);
    // `cardeval run` ends with the run's report: built here too, so peak RSS is the command's (timed apart).
    const reportStarted = performance.now();
    const evals = c.ih ? new Map(registry.all().map((e) => [e.id, e])) : new Map([[benchEval.id, benchEval as AnyEval]]);
    renderTable(buildReport(store, store.getRun(runId)!, evals));
    const reportMs = performance.now() - reportStarted;
    const errorKinds = store.errorKinds(runId);
    let resumed: Outcome['resumed'];
    if (c.faults) {
      // The second pass: what a resume does. It must ask again for the errored items and nothing else.
      const clean = await startMockProcess({ latencyMs: c.latencyMs });
      const again = await connect({ model: modelOf(c), baseUrl: clean.url, mock: false, api: 'chat', timeoutS: 120, maxRetries: MAX_RETRIES, concurrency: c.concurrency, cache: 'off', batch: false }, store);
      const second = await executeRun(store, registry, runId, { runner: again.runner });
      resumed = { requested: (await clean.stats()).byEndpoint['/v1/chat/completions'] ?? 0, errored: outcome.errors, scoredAfter: second.scored };
      await again.close();
      await clean.close();
    }
    await connection.close();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.close();
    const dbBytes = [dbPath, `${dbPath}-wal`].filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0);
    return { ok: outcome.scored, errors: outcome.errors + outcome.pending, errorKinds, wallMs, dbBytes, resumed, setupMs, reportMs, cpuUsPerRequest, peakConcurrency };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A mock server at `url`, through its test routes; closing it is its owner's (here a no-op). */
function mockAt(url: string): MockProcess {
  return {
    url,
    stats: async () => (await fetch(url.replace(/\/v1$/, '/_mock/stats'))).json(),
    reset: async () => void (await fetch(url.replace(/\/v1$/, '/_mock/reset'), { method: 'POST' })).arrayBuffer(),
    close: async () => {},
  };
}

/**
 * A remote API is never cold: before a side runs, the parent sends the mock some requests (through the global fetch,
 * in the parent process, so neither side's client is warmed), then resets its counters, buckets and fault draws.
 */
async function warmMock(server: MockProcess, c: BenchCase): Promise<void> {
  const body = JSON.stringify({ model: modelOf(c), messages: [{ role: 'developer', content: DEVELOPER }, { role: 'user', content: prompt(0) }] });
  let sent = 0;
  const send = async () => {
    while (sent++ < 200) {
      const init = { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' }, body, signal: AbortSignal.timeout(c.latencyMs + 2000) };
      await fetch(`${server.url}/chat/completions`, init).then((r) => r.arrayBuffer(), () => undefined); // faults: dropped or hung, let go
    }
  };
  await Promise.all(Array.from({ length: 20 }, send));
  await server.reset();
}

async function worker(name: string, side: Side, mockUrl: string): Promise<void> {
  const c = cases.find((x) => x.name === name)!;
  const server = mockAt(mockUrl);
  try {
    const measure = side === 'bare' ? bare : side === 'cardeval' ? cardeval : (bc: BenchCase, s: MockProcess) => bare(bc, s, transportFetch);
    if (side === 'cardeval') keepHeapSmall(); // as the cardeval command does
    if (c.warmup) {
      await measure({ ...c, requests: c.warmup }, server);
      await server.reset();
    }
    const result = await measure(c, server);
    const stats = await server.stats();
    const outcome: Outcome = {
      ...result,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      mock429: stats.byStatus['429'] ?? 0,
      mockRequests: Object.entries(stats.byEndpoint).reduce((sum, [endpoint, n]) => sum + (endpoint.endsWith('/v1/chat/completions') ? n : 0), 0),
    };
    process.stdout.write(JSON.stringify(outcome) + '\n');
  } finally {
    await server.close();
  }
}

async function runChild(c: BenchCase, side: Side, compiled: boolean): Promise<Outcome> {
  const server = await startMockProcess(c);
  try {
    await warmMock(server, c);
    return await new Promise((resolve, reject) => {
      const script = compiled ? [join(projectRoot, 'dist', 'bench', 'run.js')] : [...process.execArgv, fileURLToPath(import.meta.url)];
      const child = spawn(...onCpu(pinning?.client, [process.execPath, ...script, '--worker', c.name, '--side', side, '--mock-url', server.url]), { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`${c.name}/${side} exited ${code}`))));
    });
  } finally {
    await server.close();
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The best wall time the case allows: concurrency over latency, and past a full bucket, the rpm refill. */
function idealSeconds(c: BenchCase): number {
  // Adaptive cases: the floor, the windowed limit's own time plus one latency.
  if (c.adaptive) return c.requests / (c.mockRpm! / 60) + c.latencyMs / 1000;
  const byConcurrency = c.requests / ((c.concurrency * 1000) / c.latencyMs);
  // A windowed limit allows each window its share only: requests / (rpm / 60) seconds, however full the minute bucket.
  const byRpm = !c.mockRpm ? 0 : c.limitWindowMs ? c.requests / (c.mockRpm / 60) : Math.max(0, c.requests - c.mockRpm) / (c.mockRpm / 60);
  return Math.max(byConcurrency, byRpm);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { case: { type: 'string', multiple: true }, repeat: { type: 'string' }, 'transport-side': { type: 'boolean' }, worker: { type: 'string' }, side: { type: 'string' }, 'mock-url': { type: 'string' } } });
  const sides: Side[] = values['transport-side'] ? ['bare', 'cardeval', 'sdk-transport'] : ['bare', 'cardeval'];
  if (values.worker) return worker(values.worker, values.side as Side, values['mock-url']!);
  // The gate simulation is pure computation (bench/gate.ts): no server, no sides.
  if (values.case?.length === 1 && values.case[0] === 'gate') return (await import('./gate.js')).gateBench();
  const chosen = values.case?.length ? cases.filter((c) => values.case!.includes(c.name)) : cases;
  const unknown = (values.case ?? []).filter((n) => !cases.some((c) => c.name === n));
  if (unknown.length) {
    console.error(`unknown case ${unknown.join(', ')}; cases: ${cases.map((c) => c.name).join(', ')}`);
    process.exit(2);
  }
  const repeat = Math.max(1, Number(values.repeat ?? 1));
  // Each side runs as the cardeval command does: compiled from dist/ when that build is fresh, else through tsx.
  // (Read here, in the parent: bin/ is not part of the build a worker runs from.)
  const { buildIsFresh } = (await import(pathToFileURL(join(projectRoot, 'bin', 'build.js')).href)) as typeof import('../bin/build.js');
  const compiled = buildIsFresh();
  const header = ['case', 'side', 'ok', 'err', 'wall s', 'range s', 'req/s', 'ideal s', '% ideal', '429s', 'peak RSS MB', 'DB MB', 'notes'];
  const widths = [22, 13, 5, 4, 7, 11, 6, 7, 8, 5, 11, 6, 0];
  const line = (cells: string[]) => cells.map((cell, i) => (i <= 1 || i === 12 ? pad(cell, widths[i]) : lpad(cell, widths[i]))).join('  ');
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`cardeval runner bench — mock server in its own process, model ${MODEL} (scale-100k: mock-hierarchy), max retries ${MAX_RETRIES}, node ${process.version}, load average ${load}, ${repeat} run(s) per side`);
  console.log(pinning ? `mock server on CPU ${pinning.mock}, each client on CPU ${pinning.client} (taskset -c)` : 'NOT pinned: taskset or a second CPU is missing, so the mock and the client share the CPUs (CPU µs/req is still the client\'s own)');
  console.log(compiled ? 'both sides run compiled (dist/), as the cardeval command does' : 'both sides run through tsx: dist/ is missing or stale (npm run build gives the figures the cardeval command has)');
  console.log(line(header));
  const resumedLines: string[] = [];
  for (const c of chosen) {
    const ideal = idealSeconds(c);
    // The sides take turns (bare, cardeval, bare, …) so a change in the machine's load falls on both alike.
    const bySide: Record<Side, Outcome[]> = { bare: [], cardeval: [], 'sdk-transport': [] };
    const caseSides = c.adaptive ? (['cardeval'] as Side[]) : sides;
    // Turns alternate (bare, cardeval, cardeval, bare, …): a machine slowing or speeding over the bench favours no side.
    for (let i = 0; i < repeat; i++) {
      for (const side of i % 2 ? [...caseSides].reverse() : caseSides) bySide[side].push(await runChild(c, side, compiled));
    }
    // Throughput against the bare client, per pair of turns (the same moment's load), then the median pair.
    const medianPair = (ratio: (bare: Outcome, o: Outcome) => number): { median: string; range: string } => {
      const ratios = bySide.cardeval.map((o, i) => (bySide.bare[i] ? ratio(bySide.bare[i], o) : NaN)).sort((a, b) => a - b);
      return { median: ratios[Math.floor((ratios.length - 1) / 2)].toFixed(2), range: ratios.length > 1 ? `${ratios[0].toFixed(2)}–${ratios.at(-1)!.toFixed(2)}` : '' };
    };
    // The wall ratio is the goal; the CPU ratio beside it is the code's own cost, which the machine's speed moves less.
    const wallPairs = medianPair((b, o) => b.wallMs / o.wallMs);
    const cpuPairs = medianPair((b, o) => o.cpuUsPerRequest / b.cpuUsPerRequest);
    const vsBare = `${wallPairs.median}× bare` + (wallPairs.range ? ` (pairs ${wallPairs.range})` : '') +
      `, CPU/req ${cpuPairs.median}× bare's` + (cpuPairs.range ? ` (pairs ${cpuPairs.range})` : '');
    for (const side of caseSides) {
      const runs = bySide[side].sort((a, b) => a.wallMs - b.wallMs);
      const o = runs[Math.floor((runs.length - 1) / 2)];
      if (o.resumed) {
        const { requested, errored, scoredAfter } = o.resumed;
        resumedLines.push(`${c.name}: ${o.ok} scored + ${errored} errors = ${o.ok + errored} of ${c.requests}; the second pass asked for ${requested} (the ${errored} errored items), then ${scoredAfter} of ${c.requests} were scored`);
      }
      const wall = o.wallMs / 1000;
      console.log(
        line([
          c.name,
          side,
          String(o.ok),
          String(o.errors),
          wall.toFixed(2),
          runs.length > 1 ? `${(runs[0].wallMs / 1000).toFixed(2)}–${(runs.at(-1)!.wallMs / 1000).toFixed(2)}` : '-',
          (o.ok / wall).toFixed(0),
          ideal > 0 ? ideal.toFixed(2) : '-',
          // A run that gave up on requests is not faster, only shorter; with no latency there is no ideal to be near.
          o.errors === 0 && ideal > 0 ? `${((ideal / wall) * 100).toFixed(0)}%` : '-',
          String(o.mock429),
          Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0),
          o.dbBytes === undefined ? '-' : (o.dbBytes / 1024 / 1024).toFixed(1),
          [`CPU ${o.cpuUsPerRequest.toFixed(0)} µs/req`, side === 'cardeval' && !c.adaptive && o.errors === 0 && bySide.bare.every((b) => b.errors === 0) ? vsBare : '',
            c.adaptive && side === 'cardeval' ? `${(wall / ideal).toFixed(2)}× the floor (goal ≤ ${c.adaptive.goal}×), 429s ${((100 * o.mock429) / c.requests).toFixed(1)}% (goal ≤ 1%)` : '',
            o.peakConcurrency ? `up to ${o.peakConcurrency} in flight` : '',
            c.ih?.epochs ? `${o.ok + o.errors} items, ${o.mockRequests} requests` : '', o.setupMs === undefined ? '' : `setup ${(o.setupMs / 1000).toFixed(2)} s`, o.reportMs === undefined ? '' : `report ${(o.reportMs / 1000).toFixed(2)} s`, ...Object.entries(o.errorKinds).map(([k, n]) => `${k}×${n}`)].filter(Boolean).join(' '),
        ]),
      );
    }
  }
  console.log('\nideal s: requests / (concurrency × 1000 / latency ms), or, past a full rpm bucket, (requests − rpm) / (rpm / 60); adaptive-*: the floor, requests / (rpm / 60) + one latency.');
  console.log('% ideal: ideal s / wall s, shown only when every request succeeded. 429s: answered by the mock, SDK retries included.');
  console.log('CPU µs/req: the client process\'s CPU time (all threads, GC included) over the timed part, per request.');
  console.log('setup s / report s (cardeval): creating the run before the clock starts, and the report `cardeval run` prints after it stops; peak RSS covers both.');
  console.log('× bare: the bare wall time over cardeval\'s, per pair of runs taken in turn; the median pair, and the range over pairs (shown when neither side lost a request).');
  console.log('CPU/req × bare\'s: cardeval\'s CPU time per request over the bare client\'s, per pair (its median and range): the code\'s own cost, moved less by the machine\'s speed than wall time is.');
  if (values['transport-side']) console.log('sdk-transport: the bare client on cardeval\'s transport (runners/transport.ts), no grading or storage: what the SDK and the transport alone cost.');
  for (const r of resumedLines) console.log(r);
  for (const c of chosen.filter((x) => x.mockRpm)) {
    console.log(`${c.name}: mock rpm ${c.mockRpm}${c.limitWindowMs ? ` enforced over ${c.limitWindowMs} ms windows` : ''}${c.rpmFlag ? `, cardeval --rpm ${c.rpmFlag}` : ', cardeval learns the limit'}; evenly paced reference ${(c.requests / (c.mockRpm! / 60)).toFixed(0)} s`);
  }
}

await main();
