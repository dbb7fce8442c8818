// Run orchestration: plan items, dispatch them through the runner stack, grade, and write batches.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, RunnerError, redact } from './errors.js';
import { loadDataset } from './datasets.js';
import { createRng } from '../datasets/lib/random.js';
import { projectRoot } from '../datasets/lib/write.js';
import { requestHash } from '../runners/hash.js';
import { costOf } from '../runners/pricing.js';
import { judgeMetrics, judgePrompt, parseVerdict } from './judge.js';
import type { Registry, Selection } from './registry.js';
import type { AnyEval, BaseSample, ChatRequest, ChatResponse, FunctionTool, Grade, Message, Transcript } from './types.js';
import type { CompletionRecord, ItemRecord, ItemResult, NewItem, RunRecord, RunStatus, ScoreRecord, Store } from '../results/store.js';
import type { Runner } from '../runners/types.js';

/** What a run was asked to do; stored in runs.params so `resume` can rebuild it. No secrets here. */
export interface RunParams {
  evals: string[];
  limit?: number;
  epochs: number;
  seed: number;
  concurrency: number;
  timeout_s: number;
  max_retries: number;
  reasoning_effort?: 'low' | 'medium' | 'high';
  eval_modules: string[];
  shard?: { index: number; count: number };
  max_cost?: number;
  batch?: boolean;
  mock: boolean;
  [key: string]: unknown;
}

export interface RunSetup {
  model: string;
  provider: string;
  baseUrl: string | null;
  api: string;
  roleProfile: string;
  params: RunParams;
}

export interface Progress {
  done: number;
  total: number;
  errors: number;
}

export interface ExecuteOptions {
  runner: Runner;
  /** Stops dispatching new items; requests in flight finish and are written. */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Per-eval reasons an eval cannot run here (e.g. no sandbox); its items end as errors with it. */
  unavailable?: Map<string, string>;
  sandbox?: unknown;
  flushEvery?: number;
  /** `--judge-model`: a model asked, through the same runner stack and cache, whether each response kept its rule. */
  judgeModel?: string;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  costUsd?: number;
  scored: number;
  errors: number;
  pending: number;
  fatal?: RunnerError;
}

const harnessVersion: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version;

function gitSha(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

export function itemKey(evalId: string, variant: string, sampleId: string, epoch: number): string {
  return `${evalId}:${variant}:${sampleId}:${epoch}`;
}

/** The samples a selection runs: all of them, or `limit` chosen by a seeded shuffle (stable per seed). */
export function chooseSamples<S extends BaseSample>(samples: S[], limit: number | undefined, seed: number): S[] {
  if (limit === undefined || limit >= samples.length) return samples;
  const chosen = new Set(createRng(seed).shuffle(samples.map((_, i) => i)).slice(0, limit));
  return samples.filter((_, i) => chosen.has(i));
}

interface Planned {
  selections: Selection[];
  samples: Map<string, BaseSample>; // key: eval:variant:sample_id
  hashes: Record<string, string>;
  items: NewItem[];
}

/** Which of `count` shards a sample belongs to: by hash, so every epoch of a sample lands in the same shard. */
export function shardOf(sampleKey: string, count: number): number {
  return createHash('sha256').update(sampleKey).digest().readUInt32BE(0) % count;
}

/** Loads and validates every dataset and expands items; throws before anything is written. */
function plan(selections: Selection[], params: Pick<RunParams, 'limit' | 'epochs' | 'seed' | 'shard'>): Planned {
  const samples = new Map<string, BaseSample>();
  const hashes: Record<string, string> = {};
  const items: NewItem[] = [];
  for (const { def, variant } of selections) {
    const data = loadDataset(def, variant);
    hashes[data.file] = data.sha256;
    for (const s of chooseSamples(data.samples, params.limit, params.seed)) {
      const sampleKey = `${def.id}:${variant}:${s.id}`;
      if (params.shard && shardOf(sampleKey, params.shard.count) !== params.shard.index - 1) continue;
      samples.set(sampleKey, s);
      for (let epoch = 0; epoch < params.epochs; epoch++) {
        items.push({ key: itemKey(def.id, variant, s.id, epoch), eval: def.id, variant, sample_id: s.id, epoch });
      }
    }
  }
  return { selections, samples, hashes, items };
}

/** Validates the datasets, then creates the run and all its items in one transaction. */
export function createRun(store: Store, selections: Selection[], setup: RunSetup): string {
  const planned = plan(selections, setup.params);
  const id = newRunId();
  const run: RunRecord = {
    id,
    created: new Date().toISOString(),
    finished: null,
    model: setup.model,
    provider: setup.provider,
    base_url: setup.baseUrl,
    api: setup.api,
    params: setup.params,
    harness_version: harnessVersion,
    git_sha: gitSha(),
    dataset_hashes: planned.hashes,
    role_profile: setup.roleProfile,
    status: 'running',
    error: null,
  };
  store.createRun(run, planned.items);
  return id;
}

/** Runs every unfinished item of a run (a new run, or one being resumed). */
export async function executeRun(store: Store, registry: Registry, runId: string, options: ExecuteOptions): Promise<RunOutcome> {
  const run = store.getRun(runId);
  if (!run) throw new ConfigError(`no run "${runId}" in ${store.path}`);
  const params = run.params as RunParams;
  const byEval = new Map<string, AnyEval>();
  const selections: Selection[] = [];
  for (const it of store.unfinishedVariants(runId)) {
    if (!byEval.has(it.eval)) byEval.set(it.eval, registry.get(it.eval));
    selections.push({ def: byEval.get(it.eval)!, variant: it.variant });
  }
  // Datasets are loaded afresh; a changed file would make resumed items different from the started ones.
  const planned = plan(selections, { ...params, limit: undefined, epochs: 1, shard: undefined });
  for (const [file, sha] of Object.entries(planned.hashes)) {
    if (run.dataset_hashes[file] && run.dataset_hashes[file] !== sha) {
      throw new ConfigError(`${file} changed since run ${runId} started (sha256 differs); resume would mix datasets`);
    }
  }

  store.setRunStatus(runId, 'running');
  const counts = store.itemCounts(runId);
  const total = counts.pending + counts.scored + counts.error;
  const unfinished = counts.pending + counts.error;
  // Items come in pages by seq: a 100,000-item run never holds every item row at once.
  let page: ItemRecord[] = [];
  let next = 0;
  let exhausted = false;
  const nextItem = (): ItemRecord | undefined => {
    if (next === page.length && !exhausted) {
      page = store.unfinishedPage(runId, page.at(-1)?.seq ?? -1, 1000);
      next = 0;
      exhausted = page.length === 0;
    }
    return page[next++];
  };
  const progress: Progress = { done: counts.scored, total, errors: 0 };
  const pendingWrites: ItemResult[] = [];
  // Writes go in batches of up to 256 items or 250 ms, whichever comes first: a killed run loses at most 250 ms of answers.
  const flushEvery = options.flushEvery ?? 256;
  let lastFlush = Date.now();
  const flush = () => {
    store.db.transaction(() => {
      store.recordResults(pendingWrites.splice(0));
      store.addRunCost(runId, pendingCost, pendingUnpriced);
    })();
    pendingCost = 0;
    pendingUnpriced = 0;
    lastFlush = Date.now();
  };
  let fatal: RunnerError | undefined;
  let overBudget = false;
  let spent = run.cost_usd ?? 0;
  let pendingCost = 0;
  let pendingUnpriced = 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const worker = async () => {
    while (!stop.signal.aborted) {
      const item = nextItem();
      if (!item) break;
      const def = byEval.get(item.eval)!;
      const sample = planned.samples.get(`${item.eval}:${item.variant}:${item.sample_id}`);
      const result = sample
        ? await runItem(def, sample, item, run, params, options)
        : { result: errorResult(run.id, item.key, 'dataset', `sample "${item.sample_id}" is no longer in the dataset`) };
      if (result.fatal) {
        fatal ??= result.fatal;
        stop.abort();
        continue; // a fatal error's item stays pending: resume retries it
      }
      for (const c of result.result!.completions) {
        if (c.cost_usd === undefined) continue; // a cache hit: paid for before
        if (c.cost_usd === null) pendingUnpriced++;
        else (pendingCost += c.cost_usd), (spent += c.cost_usd);
      }
      if (params.max_cost !== undefined && spent >= params.max_cost && !overBudget) {
        overBudget = true; // requests in flight finish and are written; nothing new is sent
        stop.abort();
      }
      pendingWrites.push(result.result!);
      progress.done += result.result!.status === 'scored' ? 1 : 0;
      progress.errors += result.result!.status === 'error' ? 1 : 0;
      if (pendingWrites.length >= flushEvery || Date.now() - lastFlush > 250) flush();
      options.onProgress?.(progress);
    }
  };
  // A batch runner gathers requests into windows: every item must be able to wait in one at once.
  const workers = Math.max(1, Math.min(params.batch ? unfinished : params.concurrency, unfinished));
  await Promise.all(Array.from({ length: workers }, worker));
  flush();
  options.signal?.removeEventListener('abort', onAbort);

  const after = store.itemCounts(runId);
  let status: RunStatus;
  if (fatal) status = 'failed';
  else if (overBudget && after.pending > 0) status = 'budget_exceeded';
  else if (after.pending > 0 || after.error > 0) status = 'incomplete';
  else status = 'completed';
  store.setRunStatus(runId, status, fatal ? fatal.message : null);
  return { runId, status, scored: after.scored, errors: after.error, pending: after.pending, fatal, costUsd: spent };
}

function errorResult(runId: string, key: string, kind: string, message: string, completions: CompletionRecord[] = []): ItemResult {
  return { run_id: runId, key, status: 'error', error: { kind, message }, completions, scores: [] };
}

async function runItem(
  def: AnyEval,
  sample: BaseSample,
  item: ItemRecord,
  run: RunRecord,
  params: RunParams,
  options: ExecuteOptions,
): Promise<{ result: ItemResult; fatal?: undefined } | { fatal: RunnerError; result?: undefined }> {
  const reason = options.unavailable?.get(def.id);
  if (reason) return { result: errorResult(run.id, item.key, 'unavailable', reason) };
  const completions: CompletionRecord[] = [];
  const complete = async (messages: Message[], tools?: FunctionTool[]): Promise<ChatResponse> => {
    const request: ChatRequest = { model: run.model, messages, ...(tools?.length ? { tools } : {}) };
    if (params.reasoning_effort) request.reasoning_effort = params.reasoning_effort;
    const sent = sentRequest(request, item.epoch);
    const response = await options.runner.complete(request, { epoch: item.epoch, hash: sent.hash });
    const record = completionRecord(sent, response);
    if (!response.cached) record.cost_usd = costOf(response.model || run.model, response.usage, { batch: !!params.batch }).usd;
    completions.push(record);
    return response;
  };
  let transcript: Transcript;
  try {
    if (def.solve) {
      transcript = await def.solve(sample, item.variant, { complete, sandbox: options.sandbox });
    } else {
      const messages = def.conversation(sample, item.variant);
      const response = await complete(messages, def.tools?.(sample, item.variant));
      transcript = { messages, response, turns: [response] };
    }
  } catch (error) {
    if (error instanceof RunnerError && error.fatal) return { fatal: error };
    const kind = error instanceof RunnerError ? error.kind : 'solver';
    return { result: errorResult(run.id, item.key, kind, redact((error as Error).message), completions) };
  }
  let grade: Grade;
  try {
    grade = def.grade(sample, transcript, item.variant);
  } catch (error) {
    return { result: errorResult(run.id, item.key, 'grader', (error as Error).message, completions) };
  }
  const responseHash = completions.at(-1)?.hash;
  const judged: ScoreRecord[] = [];
  if (options.judgeModel && def.judge) {
    const request: ChatRequest = { model: options.judgeModel, messages: [{ role: 'user', content: judgePrompt(def.judge(sample, item.variant), transcript.response.content) }] };
    try {
      const sent = sentRequest(request, item.epoch);
      const response = await options.runner.complete(request, { epoch: item.epoch, hash: sent.hash });
      const record = completionRecord(sent, response);
      if (!response.cached) record.cost_usd = costOf(response.model || options.judgeModel, response.usage).usd;
      completions.push(record);
      const verdict = parseVerdict(response.content);
      for (const [metric, value] of Object.entries(judgeMetrics(grade, verdict))) {
        judged.push({ metric, value, pass: value === 1, reason: `judge ${options.judgeModel}: ${verdict ? 'PASS' : 'FAIL'}; grader: ${grade.pass ? 'pass' : 'fail'}`, grader_version: `judge:${options.judgeModel}` });
      }
    } catch (error) {
      if (error instanceof RunnerError && error.fatal) return { fatal: error };
      // A failed judge call leaves the deterministic grade standing; the missing judge score shows as a smaller n.
    }
  }
  return {
    result: {
      run_id: run.id,
      key: item.key,
      status: 'scored',
      response_hash: responseHash,
      completions,
      transcript: {
        messages: transcript.messages,
        response: transcript.response.content,
        tool_calls: transcript.response.tool_calls,
        turns: transcript.turns.length,
      },
      scores: [...scoresFor(def, sample, grade), ...judged],
    },
  };
}

/** One score per metric that applies to the sample. */
export function scoresFor(def: AnyEval, sample: BaseSample, grade: Grade): ScoreRecord[] {
  const base = grade.score ?? (grade.pass ? 1 : 0);
  return def.metrics
    .filter((m) => !m.appliesTo || m.appliesTo(sample))
    .map((m) => {
      const value = grade.metrics?.[m.name] ?? base;
      return {
        metric: m.name,
        value,
        pass: grade.metrics?.[m.name] !== undefined ? value >= 0.5 : grade.pass,
        reason: grade.reason,
        evidence: grade.evidence,
        details: grade.details,
        grader_version: def.graderVersion,
      };
    });
}

/** A request as stored (JSON in the order it was built, for people reading it) and its cache key. */
function sentRequest(request: ChatRequest, epoch: number): { json: string; hash: string } {
  return { json: JSON.stringify(request), hash: requestHash(request, epoch) };
}

function completionRecord(sent: { json: string; hash: string }, response: ChatResponse): CompletionRecord {
  return {
    hash: sent.hash,
    request: sent.json,
    response: JSON.stringify({
      content: response.content,
      tool_calls: response.tool_calls,
      finish_reason: response.finish_reason,
      usage: response.usage,
      model: response.model,
      raw: response.raw,
    }),
    latency_ms: response.latency_ms,
    prompt_tokens: response.usage.prompt_tokens,
    completion_tokens: response.usage.completion_tokens,
    reasoning_tokens: response.usage.reasoning_tokens,
    cached_tokens: response.usage.cached_tokens,
    model_snapshot: response.model,
    request_id: response.request_id,
  };
}
