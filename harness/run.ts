// Run orchestration: plan items, dispatch them through the runner stack, grade, and write batches.
import { setMaxListeners } from 'node:events';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readRunConfig, type RunConfig } from '../core/run-config.js';
import { forEachSelectedSample } from './selection.js';
import { execFileSync } from 'node:child_process';
import { ConfigError, InterruptedError, RunnerError, redact } from '../core/errors.js';
import { datasetHash } from './datasets.js';
import { evalRecordOf, sampleFacetsOf } from '../core/eval-record.js';
import { packageVersion, projectRoot } from '../core/root.js';
import { costOf } from '../runners/pricing.js';
import { cacheKey, fixtureAnswerKey } from '../runners/cache.js';
import { decidedByJudge, judgeError, judgeMetrics, judgePrompt, parseVerdict } from './judge.js';
import { noAnswerReason, noAnswerScores } from './no-answer.js';
import { applyRoleProfile } from '../runners/role-profiles.js';
import { chatRequestBody } from '../runners/openai-chat.js';
import { responsesRequestBody } from '../runners/openai-responses.js';
import type { RoleProfile } from '../runners/capabilities.js';
import type { Registry, Selection } from './registry.js';
import type { AnyEval, BaseSample, ChatRequest, ChatResponse, FunctionTool, Grade, Message, Transcript } from '../core/types.js';
import type { CompletionRecord, ItemRecord, ItemResult, RunRecord, RunStatus, SampleRow, ScoreRecord, Store } from '../results/store.js';
import { ResultWriter } from '../results/writer.js';
import { LEASE_HEARTBEAT_MS, storageError } from '../results/store.js';
import type { Runner } from '../core/wire.js';
import type { Budget } from '../runners/budget.js';
import type { Sandbox } from '../core/sandbox.js';

export interface RunSetup {
  model: string;
  provider: string;
  baseUrl: string | null;
  api: string;
  roleProfile: string;
  params: RunConfig;
  /** Evals the run shows without running them (rows left out as not comparable): described with the run all the same. */
  described?: AnyEval[];
}

export interface Progress {
  done: number;
  total: number;
  errors: number;
  /** Items already scored when this session started (a resume): not this session's work. */
  already: number;
  /** The item just finished, by eval: progress per eval when several run. */
  last?: { eval: string; status: 'scored' | 'error' };
  /** Unfinished items per eval when this session started. */
  byEval: Record<string, number>;
}

export interface ExecuteOptions {
  runner: Runner;
  /**
   * The user's interrupt. Stops dispatching new items; requests and sandbox executions in flight finish (within their
   * own limits) and are written, but no new model request or execution starts: an item caught mid-way is stored as an
   * `interrupted` error, never scored, and resume does it again.
   */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Per-eval reasons an eval cannot run here (e.g. no sandbox); its items end as errors with it. */
  unavailable?: Map<string, string>;
  sandbox?: Sandbox;
  /** `--judge-model`: a model asked, through the same runner stack and cache, whether each response kept its rule. */
  judgeModel?: string;
  /** `--max-cost`, as the runner stack reserves against it: when it stops, so does the run (items not sent stay pending). */
  budget?: Budget;
  /** When every request has failed to connect for this long, the endpoint is down: the run ends incomplete. */
  endpointDownMs?: number;
}

/** How long every request may fail to connect before a run stops sending (its items stay to resume). */
export const ENDPOINT_DOWN_MS = 60_000;

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  costUsd?: number;
  scored: number;
  errors: number;
  pending: number;
  fatal?: RunnerError;
  /** `ITEM_KEY: warning` for each item warning of this attempt. */
  warnings?: string[];
  /** The database stopped taking writes (disk full, read-only): the run ended incomplete, resumable once fixed. */
  storage?: Error;
}


/** cardeval's own commit; null when it runs from a package (inside node_modules, git would name the user's commit). */
function gitSha(): string | null {
  if (!existsSync(join(projectRoot, '.git'))) return null;
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

function sampleRow(def: AnyEval, variant: string, sample: BaseSample): SampleRow {
  let data: string;
  try {
    data = JSON.stringify(sample);
  } catch (error) {
    // e.g. a schema that makes a BigInt: the run stores samples as JSON, so it is the schema's bug, said in one line.
    throw new ConfigError(`eval ${def.id}: sample "${sample.id}" cannot be stored as JSON (${(error as Error).message}); its sampleSchema must produce JSON values`);
  }
  const facets = sampleFacetsOf(def, sample);
  return { eval: def.id, variant, sample_id: sample.id, data, facets: facets ? JSON.stringify(facets) : null };
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
    harness_version: packageVersion,
    git_sha: gitSha(),
    dataset_hashes: {},
    role_profile: setup.roleProfile,
    status: 'running',
    error: null,
  };
  const create = store.db.transaction(() => {
    store.insertRun(run);
    store.acquireLease(id); // the run is this process's from its first row: no resume can slip in before it starts
    let seq = 0;
    // What report, compare and merge need of each eval, so the database alone serves them (core/eval-record.ts).
    const described = new Map([...(setup.described ?? []), ...selections.map((s) => s.def)].map((def) => [def.id, def]));
    store.setRunEvals(id, [...described.values()].map(evalRecordOf));
    const hashes = forEachSelectedSample(selections, setup.params, (def, variant, sample) => {
      store.addSample(id, sampleRow(def, variant, sample));
      for (let epoch = 0; epoch < setup.params.epochs; epoch++) {
        store.addItem(id, { key: itemKey(def.id, variant, sample.id, epoch), eval: def.id, variant, sample_id: sample.id, epoch }, seq++);
      }
    });
    store.setDatasetHashes(id, hashes);
  });
  try {
    create.immediate(); // the write lock first: another run's commit cannot slip in between a read and a write
  } catch (error) {
    throw storageError(error, store.path); // a full disk at creation is the environment's, exit 2; nothing was written
  }
  return id;
}

/** Runs every unfinished item of a run (a new run, or one being resumed). */
export async function executeRun(store: Store, registry: Registry, runId: string, options: ExecuteOptions): Promise<RunOutcome> {
  const run = store.getRun(runId);
  if (!run) throw new ConfigError(`no run "${runId}" in ${store.path}`);
  // One process per run: a second resume is refused here, naming the owner, before anything is sent.
  store.acquireLease(runId);
  const heartbeat = setInterval(() => {
    try {
      store.renewLease(runId);
    } catch {
      // a full disk: the run ends through the writer; a lease left stale only lets the next resume in sooner
    }
  }, LEASE_HEARTBEAT_MS).unref();
  try {
    return await executeLeased(store, registry, run, options);
  } finally {
    clearInterval(heartbeat);
    try {
      store.releaseLease(runId);
    } catch {
      // the same: a stale lease is taken over by the next resume
    }
  }
}

async function executeLeased(store: Store, registry: Registry, run: RunRecord, options: ExecuteOptions): Promise<RunOutcome> {
  const runId = run.id;
  const params = readRunConfig(runId, run.params);
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
    store.db.transaction(() => forEachSelectedSample(selections, params, (def, variant, sample) => store.addSample(runId, sampleRow(def, variant, sample)))).immediate();
  }

  store.setRunStatus(runId, 'running');
  const counts = store.itemCounts(runId);
  const total = counts.pending + counts.scored + counts.error;
  const unfinished = counts.pending + counts.error;
  // Items come in pages of 50 by seq: a 100,000-item run never holds every item row at once, and a page (its samples'
  // text included) is gone before the garbage collector moves it to the old generation. Pages of 200 lived long enough
  // to be moved: 1.1 KB per item of the old generation's garbage at scale, 0.3 KB with 50.
  let page: Array<ItemRecord & { sample: string | null }> = [];
  let next = 0;
  let exhausted = false;
  const nextItem = (): (ItemRecord & { sample: string | null }) | undefined => {
    if (next === page.length && !exhausted) {
      page = store.unfinishedPage(runId, page.at(-1)?.seq ?? -1, 50);
      next = 0;
      exhausted = page.length === 0;
    }
    return page[next++];
  };
  const progress: Progress = { done: counts.scored, total, errors: 0, already: counts.scored, byEval: store.unfinishedByEval(runId) };
  // Each paid answer is written at the end of the event-loop turn it came in and committed within 20 ms (a killed run
  // pays again for the requests in flight and little more); results ride along, or commit every 256 items or 1 s
  // (results/writer.ts).
  const writer = new ResultWriter(store, runId);
  let fatal: RunnerError | undefined;
  let storage: Error | undefined;
  let overBudget = false;
  let spent = run.cost_usd ?? 0;
  const stop = new AbortController();
  // Every request in flight listens to the user's interrupt (hundreds under adaptive concurrency): not the leak Node
  // warns of past ten listeners.
  if (options.signal) setMaxListeners(0, options.signal);
  // --max-cost is the run's budget across every resume: a run already at it sends nothing more.
  if (params.max_cost !== undefined && spent >= params.max_cost && unfinished > 0) {
    overBudget = true;
    stop.abort();
  }
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const budget = options.budget;
  const onBudget = () => {
    overBudget = true;
    stop.abort();
  };
  if (budget?.signal.aborted) onBudget();
  budget?.signal.addEventListener('abort', onBudget, { once: true });
  // A request waiting for room in the budget is not sent once the run stops (Ctrl-C, a fatal error).
  stop.signal.addEventListener('abort', () => budget?.close(new InterruptedError()), { once: true });
  const warnings: string[] = [];
  let crashed: { error: unknown } | undefined; // an error that escaped an item's grading: thrown once the workers stop
  // Since when every item has ended in a connection failure (after its retries); any other outcome resets it.
  let unreachableSince: number | undefined;
  let down: RunnerError | undefined;
  const downAfter = options.endpointDownMs ?? ENDPOINT_DOWN_MS;
  const watchConnection = (failed: boolean): void => {
    if (!failed) {
      unreachableSince = undefined;
      return;
    }
    const now = Date.now();
    unreachableSince ??= now;
    if (!down && now - unreachableSince >= downAfter) {
      down = new RunnerError(`every request failed to connect for ${Math.round((now - unreachableSince) / 1000)} s: the endpoint is down`, { retryable: false, fatal: false, kind: 'connection' });
      stop.abort();
    }
  };

  /** Adds what these calls cost to the budget; past it, nothing new is sent (requests in flight finish and are written). */
  const spend = (completions: readonly CompletionRecord[]): void => {
    spent += costOfCalls(completions).usd;
    if (params.max_cost !== undefined && spent >= params.max_cost && !overBudget) {
      overBudget = true;
      stop.abort();
    }
  };
  /** Writes a finished item; a write that fails (a full disk) stops the run, and the item stays to be done again. */
  const record = (result: ItemResult): void => {
    try {
      writer.write(result);
    } catch (error) {
      storage ??= error as Error;
      stop.abort();
      return;
    }
    progress.done += result.status === 'scored' ? 1 : 0;
    progress.errors += result.status === 'error' ? 1 : 0;
    progress.last = { eval: result.key.slice(0, result.key.indexOf(':')), status: result.status };
    options.onProgress?.(progress);
  };
  /** Writes a paid answer at once (results/writer.ts); a write that fails stops the run, as record's does. */
  const paid = (completion: CompletionRecord): void => {
    try {
      writer.writeAnswer(completion);
    } catch (error) {
      storage ??= error as Error;
      stop.abort();
    }
  };
  /**
   * Grades and writes an answered item after the event loop has taken in what the network brought (setImmediate): the
   * worker's next request goes out first, so grading and writing happen while it is in flight instead of in front of
   * it (at 200 ms × 50 they lengthened every request's turn).
   */
  const gradeLater = (work: ItemWork, answered: Answered): Promise<void> =>
    new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const asked = answered.completions.length;
      for (const w of answered.warnings) warnings.push(`${work.item.key}: ${w}`);
      const graded = await gradeItem(work, answered);
      if (graded.fatal) {
        // A judge's fatal error (or no room in the budget for it): the item stays pending, and resume grades it again.
        if (graded.fatal.kind === 'budget') overBudget = true;
        else fatal ??= graded.fatal;
        stop.abort();
        return;
      }
      spend(graded.result.completions.slice(asked)); // the judge's calls
      record(graded.result);
    }).catch((error: unknown) => {
      // A bug (an eval's own code throwing past its grader, say): stop, and throw it once the workers are done.
      crashed ??= { error };
      stop.abort();
    });

  const worker = async () => {
    let grading: Promise<void> = Promise.resolve(); // the previous item's: at most one per worker waits
    while (!stop.signal.aborted) {
      const item = nextItem();
      if (!item) break;
      const work = item.sample ? { def: byEval.get(item.eval)!, sample: JSON.parse(item.sample) as BaseSample, item, run, params, options, paid } : undefined;
      const asked = work
        ? await askItem(work)
        : { result: errorResult(run.id, item.key, 'dataset', `sample "${item.sample_id}" is no longer in the dataset`) };
      await grading;
      if (asked.fatal) {
        if (asked.fatal.kind === 'budget') overBudget = true;
        else fatal ??= asked.fatal;
        stop.abort();
        continue; // a fatal error's item (or one the budget had no room for) stays pending: resume retries it
      }
      watchConnection(asked.result?.error?.kind === 'connection');
      if (asked.answered) {
        spend(asked.answered.completions);
        grading = gradeLater(work!, asked.answered);
      } else {
        spend(asked.result.completions);
        record(asked.result);
      }
    }
    await grading;
  };
  // A batch runner gathers requests into windows: every item must be able to wait in one at once.
  // Adaptive concurrency: as many workers as it may reach, the limiter holding them to its level.
  const workers = Math.max(1, Math.min(params.batch ? unfinished : (params.concurrency ?? params.max_concurrency), unfinished));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    try {
      writer.commit();
    } catch (error) {
      storage ??= error as Error;
    }
  }
  if (crashed) throw crashed.error;
  options.signal?.removeEventListener('abort', onAbort);
  if (storage) {
    // What was committed stays; the rest is pending. Saying so in the run row may fail on the same disk: then the
    // run still reads `running`, and resume finishes it all the same.
    try {
      store.setRunStatus(runId, 'incomplete', storage.message);
    } catch {
      // nothing more to do here
    }
    const after = store.itemCounts(runId);
    return { runId, status: 'incomplete', scored: after.scored, errors: after.error, pending: after.pending, costUsd: spent, storage };
  }

  const after = store.itemCounts(runId);
  let status: RunStatus;
  if (fatal) status = 'failed';
  else if (overBudget && after.pending > 0) status = 'budget_exceeded';
  else if (after.pending > 0 || after.error > 0) status = 'incomplete';
  else status = 'completed';
  // An endpoint that went down ends the run incomplete (exit 3): resume finishes it once the endpoint is back.
  const stopped = fatal ?? (status === 'incomplete' ? down : undefined);
  store.setRunStatus(runId, status, stopped ? stopped.message : status === 'budget_exceeded' ? (budget?.reason ?? null) : null);
  return { runId, status, scored: after.scored, errors: after.error, pending: after.pending, fatal: stopped, costUsd: spent, warnings };
}

function errorResult(runId: string, key: string, kind: string, message: string, completions: CompletionRecord[] = []): ItemResult {
  return { run_id: runId, key, status: 'error', error: { kind, message }, completions, scores: [] };
}

const KEY_IN_ANSWER = 'the answer contained the API key (stored as ***)';

/** One item of a run, with what asking and grading it need. */
interface ItemWork {
  def: AnyEval;
  sample: BaseSample;
  item: ItemRecord;
  run: RunRecord;
  params: RunConfig;
  options: ExecuteOptions;
  /** Called with each fresh answer as it arrives: it is stored before anything else is done with it. */
  paid: (completion: CompletionRecord) => void;
}

/** An item whose model calls are done: what grading needs. */
interface Answered {
  transcript: Transcript;
  completions: CompletionRecord[];
  /** The item's last call, as it went out: its transcript is that request when it returns these very messages. */
  lastCall?: { messages: Message[]; length: number; response: ChatResponse };
  /** Said with the item (kept in its transcript): e.g. that an answer held the API key, stored redacted. */
  warnings: string[];
}

/** An item after its calls: answered (to grade), ended by an error (to write), or a fatal error (the run stops). */
type Asked =
  | { answered: Answered; result?: undefined; fatal?: undefined }
  | { result: ItemResult; answered?: undefined; fatal?: undefined }
  | { fatal: RunnerError; answered?: undefined; result?: undefined };

/** What calls cost: dollars, and how many had no price. A cache hit (no cost) was paid for before. */
function costOfCalls(completions: readonly CompletionRecord[]): { usd: number; unpriced: number } {
  const cost = { usd: 0, unpriced: 0 };
  for (const c of completions) {
    if (c.cost_usd === undefined) continue;
    if (c.cost_usd === null) cost.unpriced++;
    else cost.usd += c.cost_usd;
  }
  return cost;
}

/** Whether a transcript is its item's last call: the very messages it sent (not added to since) and the answer it got. */
function isLastCall(transcript: Transcript, lastCall: Answered['lastCall']): boolean {
  return !!lastCall && transcript.messages === lastCall.messages && transcript.messages.length === lastCall.length && transcript.response === lastCall.response;
}

/** An item's model calls (and sandbox runs): its transcript, or the error that ended it. */
async function askItem({ def, sample, item, run, params, options, paid }: ItemWork): Promise<Asked> {
  const reason = options.unavailable?.get(def.id);
  if (reason) return { result: errorResult(run.id, item.key, 'unavailable', reason) };
  const completions: CompletionRecord[] = [];
  const warnings: string[] = [];
  let lastCall: Answered['lastCall'];
  // What is stored, hashed for the cache and shown is the request as sent: after the run's role profile (the runner's
  // own mapping then finds nothing left to map).
  const profile = run.role_profile as RoleProfile;
  const interrupted = options.signal;
  const complete = async (messages: Message[], tools?: FunctionTool[]): Promise<ChatResponse> => {
    if (interrupted?.aborted) throw new InterruptedError();
    const request: ChatRequest = { model: run.model, messages: applyRoleProfile(messages, profile), ...(tools?.length ? { tools } : {}) };
    if (params.reasoning_effort) request.reasoning_effort = params.reasoning_effort;
    const cap = params.output_caps?.[run.model];
    if (cap !== undefined) request.max_completion_tokens = cap;
    const sent = sentRequest(request, item.epoch, params.endpoint, run.api, profile);
    const response = await options.runner.complete(request, { epoch: item.epoch, hash: sent.hash, interrupt: interrupted });
    const record = completionRecord(sent, response);
    if (response.redacted && !warnings.includes(KEY_IN_ANSWER)) warnings.push(KEY_IN_ANSWER);
    // An answer read from fixtures is kept for this item, never as the endpoint's cache (a later run asks the endpoint).
    if (response.fixture) record.hash = fixtureAnswerKey(run.api, request, item.epoch);
    if (!response.cached) {
      // Priced by the model asked for: a gateway's or deployment's own id (kept as model_snapshot) has no price.
      record.cost_usd = costOf(request.model, response.usage, { batch: !!params.batch }).usd;
      paid(record);
    }
    completions.push(record);
    lastCall = { messages, length: messages.length, response };
    return response;
  };
  let transcript: Transcript;
  try {
    if (def.solve) {
      const sandbox = options.sandbox && interrupted ? refusingAfter(options.sandbox, interrupted) : options.sandbox;
      transcript = await def.solve(sample, item.variant, { complete, sandbox });
    } else {
      const messages = def.conversation(sample, item.variant);
      const response = await complete(messages, def.tools?.(sample, item.variant));
      transcript = { messages, response, turns: [response] };
    }
  } catch (error) {
    if (error instanceof RunnerError && error.fatal) return { fatal: error };
    if (error instanceof InterruptedError) return { result: errorResult(run.id, item.key, 'interrupted', error.message, completions) };
    const kind = error instanceof RunnerError ? error.kind : 'solver';
    return { result: errorResult(run.id, item.key, kind, redact((error as Error).message), completions) };
  }
  return { answered: { transcript, completions, lastCall, warnings } };
}

/** Grades an answered item (and asks the judge, when there is one): the result to write. */
async function gradeItem(
  { def, sample, item, run, params, options, paid }: ItemWork,
  { transcript, completions, lastCall, warnings }: Answered,
): Promise<{ result: ItemResult; fatal?: undefined } | { fatal: RunnerError; result?: undefined }> {
  const profile = run.role_profile as RoleProfile;
  const interrupted = options.signal;
  const sentMessages = applyRoleProfile(transcript.messages, profile);
  const rolesChanged = sentMessages.length !== transcript.messages.length || sentMessages.some((m, i) => m !== transcript.messages[i]);
  const storedTranscript = {
    messages: sentMessages,
    // The eval's own conversation, kept beside what was sent when the role profile changed it.
    ...(rolesChanged ? { logical_messages: transcript.messages } : {}),
    response: transcript.response.content,
    tool_calls: transcript.response.tool_calls,
    finish_reason: transcript.response.finish_reason,
    turns: transcript.turns.length,
    ...(warnings.length ? { warnings } : {}),
  };
  const missing = noAnswerReason(transcript.response);
  if (missing) {
    return {
      result: { run_id: run.id, key: item.key, status: 'scored', response_hash: completions.at(-1)?.hash, completions, transcript: storedTranscript, scores: noAnswerScores(def, sample, missing) },
    };
  }
  let grade: Grade;
  try {
    grade = checkGrade(def.grade(sample, transcript, item.variant), def.id);
  } catch (error) {
    return { result: errorResult(run.id, item.key, 'grader', (error as Error).message, completions) };
  }
  const responseHash = completions.at(-1)?.hash;
  const judged: ScoreRecord[] = [];
  const question = options.judgeModel ? def.judge?.(sample, item.variant) : undefined;
  if (options.judgeModel && question) {
    // The judge would be a new request after the interrupt: the item waits for resume (its answer is cached).
    if (interrupted?.aborted) return { result: errorResult(run.id, item.key, 'interrupted', new InterruptedError().message, completions) };
    const request: ChatRequest = { model: options.judgeModel, messages: [{ role: 'user', content: judgePrompt(question, transcript.response.content) }] };
    const cap = params.output_caps?.[options.judgeModel];
    if (cap !== undefined) request.max_completion_tokens = cap;
    try {
      const sent = sentRequest(request, item.epoch, params.endpoint, run.api, profile);
      const response = await options.runner.complete(request, { epoch: item.epoch, hash: sent.hash, interrupt: interrupted });
      const record = completionRecord(sent, response);
      if (response.fixture) record.hash = fixtureAnswerKey(run.api, request, item.epoch);
      if (!response.cached) {
        record.cost_usd = costOf(request.model, response.usage, { batch: !!params.batch }).usd;
        paid(record);
      }
      completions.push(record);
      const verdict = parseVerdict(response.content);
      if (verdict === undefined) judged.push(judgeError(options.judgeModel, `wrote no verdict line: ${JSON.stringify(response.content.slice(0, 200))}`));
      for (const [metric, value] of Object.entries(judgeMetrics(grade, verdict))) {
        judged.push({ metric, value, pass: value === 1, reason: `judge ${options.judgeModel}: ${verdict ? 'PASS' : 'FAIL'}; grader: ${grade.pass ? 'pass' : 'fail'}`, grader_version: `judge:${options.judgeModel}` });
      }
      grade = decidedByJudge(grade, verdict, options.judgeModel); // where the rules could not decide, the judge does
    } catch (error) {
      if (error instanceof RunnerError && error.fatal) return { fatal: error };
      if (error instanceof InterruptedError) return { result: errorResult(run.id, item.key, 'interrupted', error.message, completions) };
      // A failed judge call leaves the deterministic grade standing; it is counted as a judge error.
      judged.push(judgeError(options.judgeModel, `call failed: ${redact((error as Error).message)}`));
    }
  }
  return {
    result: {
      run_id: run.id,
      key: item.key,
      status: 'scored',
      response_hash: responseHash,
      completions,
      // A chat conversation sent as written, whose messages and answer are its last call's (a one-turn eval, a conflict
      // after its twin): it is that request's, which the store keeps once, so the item keeps a reference.
      transcript_is_request: run.api === 'chat' && !rolesChanged && !warnings.length && isLastCall(transcript, lastCall),
      transcript: storedTranscript,
      scores: [...scoresFor(def, sample, grade, transcript.response.finish_reason === 'length'), ...judged],
    },
  };
}

/** The sandbox as an interrupted item sees it: executions already running finish; none starts after the interrupt. */
function refusingAfter(sandbox: Sandbox, signal: AbortSignal): Sandbox {
  return {
    kind: sandbox.kind,
    runPython: (req) => (signal.aborted ? Promise.reject(new InterruptedError()) : sandbox.runPython(req)),
    close: () => sandbox.close(),
  };
}

const unit = z.number().finite().min(0).max(1);
/** What a grade() may return: a NaN or a score of 7 would be stored and averaged as if it meant something. */
const gradeSchema = z.object({
  pass: z.boolean(),
  score: unit.optional(),
  reason: z.string(),
  evidence: z.string().optional(),
  uncertain: z.boolean().optional(),
  metrics: z.record(z.string(), unit).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** The grade if it is one; otherwise an error naming the field (the item then ends as a `grader` error, not a score). */
export function checkGrade(grade: Grade, evalId: string): Grade {
  if (plainGrade(grade)) return grade;
  const parsed = gradeSchema.safeParse(grade);
  if (parsed.success) return grade;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`eval ${evalId}: grade() returned an invalid Grade: field "${issue.path.join('.') || '(grade)'}": ${issue.message}`);
}

/**
 * The shape nearly every grade has (a verdict, a reason, perhaps evidence and details, no numbers), which the schema
 * would accept: told apart in a few comparisons, where the schema cost about 20 µs a grade in a run's first thousands
 * of items. Anything else (a score, metrics, a wrong type) goes through the schema, which names the field.
 */
function plainGrade(grade: Grade): boolean {
  const g = grade as Partial<Record<keyof Grade, unknown>> | null;
  return (
    typeof g === 'object' && g !== null && !Array.isArray(g) &&
    typeof g.pass === 'boolean' && typeof g.reason === 'string' && g.score === undefined && g.metrics === undefined &&
    (g.evidence === undefined || typeof g.evidence === 'string') &&
    (g.uncertain === undefined || typeof g.uncertain === 'boolean') &&
    (g.details === undefined || (typeof g.details === 'object' && g.details !== null && Object.getPrototypeOf(g.details) === Object.prototype))
  );
}

/** One score per metric that applies to the sample. */
export function scoresFor(def: AnyEval, sample: BaseSample, grade: Grade, truncated = false): ScoreRecord[] {
  const base = grade.score ?? (grade.pass ? 1 : 0);
  return def.metrics
    .filter((m) => (!m.appliesTo || m.appliesTo(sample)) && !grade.notApplicable?.includes(m.name))
    .map((m) => {
      const value = grade.metrics?.[m.name] ?? base;
      const own = grade.metrics?.[m.name] !== undefined;
      // A truncated answer is graded on what it says (a leak before the cut is a leak); the cut is counted apart. An
      // uncertain grade keeps its best guess, flagged on the metrics that take it, so reports can bound the score.
      const flags = { ...(truncated ? { truncated: true } : {}), ...(grade.uncertain && !own ? { uncertain: true } : {}) };
      return {
        metric: m.name,
        value,
        pass: own ? value >= 0.5 : grade.pass,
        reason: grade.reason,
        evidence: grade.evidence,
        details: Object.keys(flags).length ? { ...grade.details, ...flags } : grade.details,
        grader_version: def.graderVersion,
      };
    });
}

/**
 * A request as stored and its cache key. Given the run's API, what is stored is the wire body that API sends (Chat
 * Completions `messages`, or Responses `input` items), roles already mapped by the profile; the key hashes the mapped
 * request with the endpoint, API and role profile that answer it.
 */
function sentRequest(request: ChatRequest, epoch: number, endpoint: string | undefined, api: string, profile: RoleProfile): { json: string; hash: string } {
  let body: unknown = request;
  try {
    body = api === 'responses' ? responsesRequestBody(request, profile) : chatRequestBody(request, profile);
  } catch {
    // A parameter the model does not take: the runner says so with the same error; store what was asked.
  }
  return { json: JSON.stringify(body), hash: cacheKey({ endpoint, api, roleProfile: profile }, request, epoch) };
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
    // A server may echo the Authorization header into x-request-id: never store a key (redact knows this process's own).
    request_id: response.request_id === undefined ? undefined : redact(response.request_id),
  };
}
