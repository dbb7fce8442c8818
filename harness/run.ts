// Run orchestration: plan items, dispatch them through the runner stack, grade, and write batches.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, RunnerError, redact } from '../core/errors.js';
import { datasetHash, readDataset } from './datasets.js';
import { createRng } from '../core/random.js';
import { projectRoot } from '../core/root.js';
import { requestHash } from '../core/hash.js';
import { costOf } from '../runners/pricing.js';
import { judgeMetrics, judgePrompt, parseVerdict } from './judge.js';
import type { Registry, Selection } from './registry.js';
import type { AnyEval, BaseSample, ChatRequest, ChatResponse, FunctionTool, Grade, Message, Transcript } from '../core/types.js';
import type { CompletionRecord, ItemRecord, ItemResult, RunRecord, RunStatus, SampleRow, ScoreRecord, Store } from '../results/store.js';
import { ResultWriter } from '../results/writer.js';
import type { Runner } from '../core/wire.js';
import type { Sandbox } from '../core/sandbox.js';

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
  sandbox?: Sandbox;
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
  const chosen = chosenIndices(samples.length, limit, seed);
  return chosen ? samples.filter((_, i) => chosen.has(i)) : samples;
}

/** Which of `count` rows `limit` takes (undefined: all of them); depends only on the count and the seed. */
function chosenIndices(count: number, limit: number | undefined, seed: number): Set<number> | undefined {
  if (limit === undefined || limit >= count) return undefined;
  return new Set(createRng(seed).shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, limit));
}

/** Which of `count` shards a sample belongs to: by hash, so every epoch of a sample lands in the same shard. */
export function shardOf(sampleKey: string, count: number): number {
  return createHash('sha256').update(sampleKey).digest().readUInt32BE(0) % count;
}

/**
 * Validates each selection's dataset row by row and hands every sample the run takes (after --limit and --shard) to
 * `take`, in order. Returns the datasets' hashes. Throws on the first bad row; the caller's transaction then writes nothing.
 */
function plan(selections: Selection[], params: Pick<RunParams, 'limit' | 'seed' | 'shard'>, take: (def: AnyEval, variant: string, sample: BaseSample) => void): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const { def, variant } of selections) {
    const data = readDataset(def, variant);
    hashes[data.file] = data.sha256;
    const chosen = params.limit === undefined ? undefined : chosenIndices(data.count(), params.limit, params.seed);
    let index = 0;
    for (const sample of data.rows()) {
      if (chosen && !chosen.has(index++)) continue;
      if (params.shard && shardOf(`${def.id}:${variant}:${sample.id}`, params.shard.count) !== params.shard.index - 1) continue;
      take(def, variant, sample);
    }
  }
  return hashes;
}

function sampleRow(def: AnyEval, variant: string, sample: BaseSample): SampleRow {
  return { eval: def.id, variant, sample_id: sample.id, data: JSON.stringify(sample) };
}

/**
 * Creates the run, its samples and its items in one transaction, streaming each dataset row by row (a 100,000-item run
 * never holds its dataset); a bad row anywhere rolls the whole of it back.
 */
export function createRun(store: Store, selections: Selection[], setup: RunSetup): string {
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
    dataset_hashes: {},
    role_profile: setup.roleProfile,
    status: 'running',
    error: null,
  };
  store.db.transaction(() => {
    store.insertRun(run);
    let seq = 0;
    const hashes = plan(selections, setup.params, (def, variant, sample) => {
      store.addSample(id, sampleRow(def, variant, sample));
      for (let epoch = 0; epoch < setup.params.epochs; epoch++) {
        store.addItem(id, { key: itemKey(def.id, variant, sample.id, epoch), eval: def.id, variant, sample_id: sample.id, epoch }, seq++);
      }
    });
    store.setDatasetHashes(id, hashes);
  })();
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
  // The run reads its samples from the store, page by page; a dataset changed since the run started is refused all
  // the same, as a sign the eval changed under it.
  for (const { def, variant } of selections) {
    const { file, sha256 } = datasetHash(def, variant);
    if (sha256 && run.dataset_hashes[file] && run.dataset_hashes[file] !== sha256) {
      throw new ConfigError(`${file} changed since run ${runId} started (sha256 differs); resume would mix datasets`);
    }
  }
  // A run made before samples were stored gets them from its datasets now: the same choice, as the datasets are unchanged.
  if (!store.hasSamplesFor(runId)) {
    store.db.transaction(() => plan(selections, params, (def, variant, sample) => store.addSample(runId, sampleRow(def, variant, sample))))();
  }

  store.setRunStatus(runId, 'running');
  const counts = store.itemCounts(runId);
  const total = counts.pending + counts.scored + counts.error;
  const unfinished = counts.pending + counts.error;
  // Items come in pages of 200 by seq: a 100,000-item run never holds every item row at once, and a page is gone before
  // the garbage collector moves it to the old generation.
  let page: Array<ItemRecord & { sample: string | null }> = [];
  let next = 0;
  let exhausted = false;
  const nextItem = (): (ItemRecord & { sample: string | null }) | undefined => {
    if (next === page.length && !exhausted) {
      page = store.unfinishedPage(runId, page.at(-1)?.seq ?? -1, 200);
      next = 0;
      exhausted = page.length === 0;
    }
    return page[next++];
  };
  const progress: Progress = { done: counts.scored, total, errors: 0 };
  // Each result is written as it comes; commits every 256 items or 250 ms, so a killed run loses at most 250 ms of answers.
  const writer = new ResultWriter(store, runId);
  let fatal: RunnerError | undefined;
  let overBudget = false;
  let spent = run.cost_usd ?? 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const worker = async () => {
    while (!stop.signal.aborted) {
      const item = nextItem();
      if (!item) break;
      const def = byEval.get(item.eval)!;
      const result = item.sample
        ? await runItem(def, JSON.parse(item.sample) as BaseSample, item, run, params, options)
        : { result: errorResult(run.id, item.key, 'dataset', `sample "${item.sample_id}" is no longer in the dataset`) };
      if (result.fatal) {
        fatal ??= result.fatal;
        stop.abort();
        continue; // a fatal error's item stays pending: resume retries it
      }
      const cost = { usd: 0, unpriced: 0 };
      for (const c of result.result!.completions) {
        if (c.cost_usd === undefined) continue; // a cache hit: paid for before
        if (c.cost_usd === null) cost.unpriced++;
        else cost.usd += c.cost_usd;
      }
      spent += cost.usd;
      if (params.max_cost !== undefined && spent >= params.max_cost && !overBudget) {
        overBudget = true; // requests in flight finish and are written; nothing new is sent
        stop.abort();
      }
      writer.write(result.result!, cost);
      progress.done += result.result!.status === 'scored' ? 1 : 0;
      progress.errors += result.result!.status === 'error' ? 1 : 0;
      options.onProgress?.(progress);
    }
  };
  // A batch runner gathers requests into windows: every item must be able to wait in one at once.
  const workers = Math.max(1, Math.min(params.batch ? unfinished : params.concurrency, unfinished));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    writer.commit();
  }
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
      // A one-turn eval's conversation is its request's: the store keeps it once, by reference.
      transcript_is_request: !def.solve,
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
