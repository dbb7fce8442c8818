// `cardeval run` and `cardeval resume`: start or finish a run, then print its report.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { Registry } from '../registry.js';
import { createRun, executeRun, type RunOutcome } from '../run.js';
import { makeRunConfig, readRunConfig, resumableFields, type ResumeOverrides, type RunConfig } from '../../core/run-config.js';
import { Store, defaultDbPath, type RunRecord } from '../../results/store.js';
import { evalFromRecord } from '../../core/eval-record.js';
import { builtinEvals } from '../../evals/index.js';
import type { AnyEval } from '../../core/types.js';
import { buildReport, floorText } from '../../results/report.js';
import { reportFormat } from '../../results/formats/index.js';
import { connect, type Connection, DEFAULT_MOCK_MODEL, checkConnectOptions, checkMockModel, endpointIdentity, resolveBaseUrl, type ConnectOptions } from './connect.js';
import { priceFor } from '../../runners/pricing.js';
import { Budget, defaultOutputCap } from '../../runners/budget.js';
import { budgetText } from '../../core/format.js';
import { preflight } from '../../runners/preflight.js';
import { estimateRun, renderEstimate } from '../estimate.js';
import { progressReporter } from './progress.js';
import { capabilitiesFor, defaultRoleProfile, levelSetup, type RoleProfile } from '../../runners/capabilities.js';
import { splitComparable } from '../comparable.js';
import { documentId, findDocument } from '../../results/report.js';
import { planSandbox, type SandboxPlan } from './sandbox.js';
import { checkItemCeiling, itemCountBound, withDefaultSignals } from './creation.js';
import { printable, terminalWidth } from './terminal.js';
import { runInterrupts } from './interrupts.js';
import type { Floors } from './options.js';
import type { Selection } from '../registry.js';

/** `cardeval run` options as the parser hands them over: numbers already checked, names camelCase. */
export interface RunOptions {
  suite?: string;
  eval?: string[];
  model?: string;
  baseUrl?: string;
  api?: RunConfig['api'];
  concurrency?: number;
  maxConcurrency?: number;
  timeout?: number;
  maxRetries?: number;
  limit?: number;
  epochs?: number;
  seed?: number;
  reasoningEffort?: RunConfig['reasoning_effort'];
  roleProfile?: RunConfig['role_profile'];
  evalModule?: string[];
  sandbox?: RunConfig['sandbox'];
  rpm?: number;
  tpm?: number;
  cache?: RunConfig['cache'];
  fixtures?: string;
  batch?: boolean;
  shard?: { index: number; count: number };
  maxCost?: number;
  maxPause?: number;
  maxAnswerBytes?: number;
  dryRun?: boolean;
  judgeModel?: string;
  reference?: string;
  failUnder?: Floors;
  failUnderBound?: boolean;
  json?: boolean;
  /** Create a run past the item ceiling (harness/cli/creation.ts). */
  yes?: boolean;
}

/** The options `resume` may change between attempts; each replaces the stored value. */
export interface ResumeOptions {
  timeout?: number;
  concurrency?: number;
  maxConcurrency?: number;
  rpm?: number;
  tpm?: number;
  maxRetries?: number;
  maxCost?: number;
  maxPause?: number;
  maxAnswerBytes?: number;
  json?: boolean;
}

const log = (line: string) => process.stderr.write(printable(line) + '\n');

/**
 * The registry with the given eval modules. `stored`: the modules come from a run's params (resume, report,
 * rescore), so an error names the stored path rather than a flag the user never passed.
 */
export async function loadRegistry(modules: string[] = [], stored = false): Promise<Registry> {
  const registry = new Registry();
  for (const m of modules) {
    await registry.addModule(m, stored ? `the eval module this run was made with, ${m}` : undefined);
  }
  return registry;
}

/**
 * The evals a read-only command (report, compare) needs for a run: as the run describes them in its database, so no
 * module is loaded; a run made before runs described their evals loads its modules as it was made with (no backfill).
 */
export async function evalsOfRun(store: Store, run: RunRecord): Promise<Map<string, AnyEval>> {
  const records = store.runEvals(run.id);
  if (records.length === 0) return new Map((await loadRegistry(readRunConfig(run.id, run.params).eval_modules, true)).all().map((e) => [e.id, e]));
  // Built-in evals the run did not describe (none it ran) stay known by their definitions.
  return new Map([...builtinEvals.map((e) => [e.id, e] as const), ...records.map((r) => [r.id, evalFromRecord(r)] as const)]);
}

/** The document `--reference` names (by id or title), from the published figures; exit 2 listing the ids if none. */
export function referenceDocument(wanted: string): string {
  const figures = Store.publishedFigures();
  const found = findDocument(figures, wanted);
  if (!found) {
    const ids = [...new Set(figures.map((f) => documentId(f.document)))];
    throw new ConfigError(`--reference "${wanted}" names no published document; known: ${ids.join(', ')}`);
  }
  return found;
}

/** `--eval-module` values as a run stores them: a file path made absolute, so resume and report work from anywhere. */
export function storedModulePaths(modules: string[]): string[] {
  return modules.map((m) => (existsSync(resolve(m)) ? resolve(m) : m));
}

export async function runCommand(flags: RunOptions, dbPath: string): Promise<number> {
  const hasKey = !!process.env.OPENAI_API_KEY;
  const base = resolveBaseUrl(flags.baseUrl);
  const baseUrl = base?.url;
  const mock = !hasKey && !baseUrl;
  const model = flags.model ?? (mock ? DEFAULT_MOCK_MODEL : undefined);
  if (!model) throw new ConfigError('--model is required when running against an API (e.g. --model o3-mini)');
  checkConcurrencyFlags(flags.concurrency, flags.maxConcurrency);
  const params = makeRunConfig({
    evals: flags.eval ?? [],
    // --suite and --eval together run the union of both; neither: the system-card suite.
    suite: flags.suite ?? (flags.eval?.length ? undefined : 'o3-mini-system-card'),
    limit: flags.limit,
    epochs: flags.epochs,
    seed: flags.seed,
    concurrency: flags.concurrency,
    max_concurrency: flags.maxConcurrency,
    timeout_s: flags.timeout,
    max_retries: flags.maxRetries,
    reasoning_effort: flags.reasoningEffort,
    role_profile: flags.roleProfile,
    eval_modules: storedModulePaths(flags.evalModule ?? []),
    sandbox: flags.sandbox,
    api: flags.api,
    rpm: flags.rpm,
    tpm: flags.tpm,
    cache: flags.cache,
    fixtures: flags.fixtures,
    batch: !!flags.batch,
    shard: flags.shard,
    max_cost: flags.maxCost,
    max_pause_s: flags.maxPause,
    max_answer_bytes: flags.maxAnswerBytes,
    judge_model: flags.judgeModel,
    mock: mock && flags.cache !== 'replay',
    endpoint: endpointIdentity(mock, baseUrl),
    // Who is billed: recorded, not part of the cache key (see endpointIdentity).
    openai_organization: mock ? undefined : process.env.OPENAI_ORG_ID || undefined,
    openai_project: mock ? undefined : process.env.OPENAI_PROJECT_ID || undefined,
  });
  const cache = params.cache;
  const registry = await loadRegistry(params.eval_modules);
  const requested = registry.select({ evals: params.evals, suite: params.suite });
  params.fail_under = floorsFor(flags, requested);
  const budget = budgetFor(params, [model, params.judge_model], 0);
  const connectOptions = { ...connectOptionsFor(model, baseUrl, params), budget };
  checkConnectOptions(connectOptions, base?.from);
  if (params.mock && params.judge_model) checkMockModel(params.judge_model);
  if (params.mock) log(`no OPENAI_API_KEY, no --base-url and no OPENAI_BASE_URL: using the built-in mock OpenAI server, model ${model}`);
  if (cache === 'replay') log(`--cache replay: answering only from the cache${params.fixtures ? ` and ${params.fixtures}` : ''}; nothing is sent`);
  // Rows whose privilege levels collapse as sent are left out unless named with --eval; the report still lists them.
  const roleProfile = params.role_profile ?? defaultRoleProfile(capabilitiesFor(model));
  const levels = levelSetup(model, roleProfile, params.mock ? 'mock' : baseUrl ? 'openai-compatible' : 'openai');
  params.system_is_developer = levels.systemIsDeveloper;
  const split = splitComparable(requested, levels, params.evals.length > 0);
  if (split.skipped.length) {
    params.not_comparable_skipped = split.skipped.map((s) => s.spec);
    for (const s of split.skipped) log(`not run, not comparable: ${s.spec}: ${s.reason} (name it with --eval to run it anyway)`);
  }
  if (split.run.length === 0) throw new ConfigError('every selected eval variant is not comparable for this model and role profile; name them with --eval to run them anyway');
  if (flags.reference !== undefined) params.reference = referenceDocument(flags.reference);
  // Before the sandbox is planned: a refusal here leaves nothing open (an upper bound: sandbox evals still counted).
  if (!flags.dryRun) checkItemCeiling(itemCountBound(split.run, params.limit, params.epochs), !!flags.yes);
  // One request before anything is written: a dead endpoint, a rejected key or an unknown model is exit 2 now, not an
  // hour of retries. Not for the in-process mock, nor a replay (which sends nothing).
  if (!flags.dryRun && !params.mock && cache !== 'replay') {
    // The key and URL connect() will use: --base-url, else OPENAI_BASE_URL; a keyless local server gets a placeholder.
    const apiKey = process.env.OPENAI_API_KEY || (baseUrl ? 'no-key' : undefined);
    if (!apiKey) throw new ConfigError('OPENAI_API_KEY is not set (or pass --base-url for an OpenAI-compatible server)');
    await preflight({ apiKey, baseURL: baseUrl, model, api: params.api, timeoutMs: params.timeout_s * 1000 });
  }
  const sandbox = await planSandbox(split.run, params.sandbox, log);
  // The advice is said once: as the error when nothing else can run, otherwise as a note.
  if (sandbox.selections.length === 0) throw new ConfigError(sandbox.skipped ?? 'nothing to run');
  if (sandbox.skipped) log(sandbox.skipped);
  const selections = sandbox.selections;
  if (flags.dryRun) {
    // A dry run writes nothing, not even an empty database.
    try {
      process.stdout.write(renderEstimate(await estimateRun(selections, params, model)));
      return 0;
    } finally {
      await sandbox.close();
    }
  }
  const store = new Store(dbPath);
  try {
    const connection = await connect(connectOptions, store);
    try {
      const runId = withDefaultSignals(() =>
        createRun(store, selections, {
          model,
          provider: connection.provider,
          baseUrl: connection.baseUrl,
          api: params.api,
          roleProfile: connection.roleProfile,
          params,
          described: requested.map((s) => s.def),
        }),
      );
      const counts = store.itemCounts(runId);
      log(`run ${runId}: ${counts.pending + counts.scored + counts.error} items, ${selections.length} eval variants, database ${dbPath}`);
      const outcome = await execute(store, registry, runId, connection, sandbox, params, budget);
      return finish(store, outcome, dbPath, !!flags.json);
    } finally {
      await connection.close();
    }
  } finally {
    await sandbox.close();
    store.close();
  }
}

export async function resumeCommand(runId: string, flags: ResumeOptions, dbPath: string): Promise<number> {
  const store = new Store(dbPath);
  try {
    const run = store.getRun(runId);
    if (!run) throw new ConfigError(`no run "${runId}" in ${dbPath}; \`cardeval runs\` lists them`);
    const stored = readRunConfig(runId, run.params);
    if (run.status === 'completed') {
      log(`run ${runId} is already completed`);
      return finish(store, { runId, status: 'completed', scored: 0, errors: 0, pending: 0 }, dbPath, !!flags.json);
    }
    store.acquireLease(runId); // a second resume stops here, before it connects or says anything else
    checkConcurrencyFlags(flags.concurrency ?? stored.concurrency, flags.maxConcurrency);
    const overrides: ResumeOverrides = {
      timeout_s: flags.timeout,
      concurrency: flags.concurrency,
      max_concurrency: flags.maxConcurrency,
      rpm: flags.rpm,
      tpm: flags.tpm,
      max_retries: flags.maxRetries,
      max_cost: flags.maxCost,
      max_pause_s: flags.maxPause,
      max_answer_bytes: flags.maxAnswerBytes,
    };
    const changed = resumableFields.filter((f) => overrides[f] !== undefined && overrides[f] !== stored[f]);
    const params = makeRunConfig({ ...stored, ...Object.fromEntries(changed.map((f) => [f, overrides[f]])) });
    const capsBefore = params.output_caps;
    const budget = budgetFor(params, [run.model, params.judge_model], run.cost_usd ?? 0);
    if (changed.length > 0 || params.output_caps !== capsBefore) {
      // Recorded with the run, so a later report (and a later resume) shows what this attempt used.
      store.setRunParams(runId, params);
      if (changed.length > 0) log(`resume: ${changed.map((f) => `${f} ${stored[f] ?? 'unset'} → ${params[f]}`).join(', ')}`);
    }
    const registry = await loadRegistry(params.eval_modules, true);
    if (params.mock) log(`resuming against the built-in mock OpenAI server, model ${run.model}`);
    const connectOptions = connectOptionsFor(run.model, run.base_url && run.provider === 'openai-compatible' ? run.base_url : undefined, params, run.role_profile as RoleProfile);
    const connection = await connect({ ...connectOptions, budget }, store);
    const counts = store.itemCounts(runId);
    const evalIds = [...new Set(store.unfinishedVariants(runId).map((v) => v.eval))];
    const sandbox = await planSandbox(registry.select({ evals: evalIds }), params.sandbox, log);
    try {
      log(`resuming run ${runId}: ${counts.pending + counts.error} items to do`);
      const outcome = await execute(store, registry, runId, connection, sandbox, params, budget);
      return finish(store, outcome, dbPath, !!flags.json);
    } finally {
      await sandbox.close();
      await connection.close();
    }
  } finally {
    store.close();
  }
}

/** `--fail-under` as the run stores it; a floor naming a row the run does not select is bad usage (exit 2). */
function floorsFor(flags: RunOptions, requested: Selection[]): RunConfig['fail_under'] {
  if (!flags.failUnder) {
    if (flags.failUnderBound) throw new ConfigError('--fail-under-bound needs --fail-under (the floor it compares the lower bound with)');
    return undefined;
  }
  for (const spec of Object.keys(flags.failUnder.rows)) {
    const [evalId, variant] = spec.split(':');
    if (!requested.some((s) => s.def.id === evalId && (variant === undefined || s.variant === variant))) {
      const selected = [...new Set(requested.map((s) => `${s.def.id}:${s.variant}`))].join(', ');
      throw new ConfigError(`--fail-under ${spec}=…: this run does not select ${spec} (it selects ${selected})`);
    }
  }
  return { ...flags.failUnder, bound: !!flags.failUnderBound };
}

/** --max-concurrency caps the adaptive level: beside a fixed --concurrency (given now, or kept by the run) it would mean nothing. */
function checkConcurrencyFlags(concurrency: number | undefined, maxConcurrency: number | undefined): void {
  if (concurrency !== undefined && maxConcurrency !== undefined) {
    throw new ConfigError(`--max-concurrency caps adaptive concurrency, and this run's concurrency is fixed at ${concurrency} (--concurrency); give one of them`);
  }
}

function connectOptionsFor(model: string, baseUrl: string | undefined, params: RunConfig, roleProfile?: RoleProfile): ConnectOptions {
  return {
    model,
    baseUrl,
    mock: params.mock,
    api: params.api,
    timeoutS: params.timeout_s,
    maxRetries: params.max_retries,
    concurrency: params.concurrency,
    maxConcurrency: params.max_concurrency,
    reasoningEffort: params.reasoning_effort,
    roleProfile: roleProfile ?? params.role_profile,
    rpm: params.rpm,
    tpm: params.tpm,
    maxPauseS: params.max_pause_s,
    maxAnswerBytes: params.max_answer_bytes,
    onRateLimitPause: log,
    cache: params.cache,
    fixtures: params.fixtures,
    endpoint: params.endpoint,
    batch: params.batch,
    onBatchProgress: (p) => log(`batch ${p.batchId ?? ''} ${p.status}: ${p.completed}/${p.total}`),
  };
}

/**
 * The `--max-cost` budget of a run, from what it has spent so far; undefined without one. Every model the run asks
 * needs a price (exit 2 before anything is written otherwise), and gets an output cap unless it has one, recorded in
 * `params.output_caps` (so in the run and in every request's cache key) so that each reservation is real.
 */
function budgetFor(params: RunConfig, models: Array<string | undefined>, spent: number): Budget | undefined {
  if (params.max_cost === undefined) return undefined;
  const caps = { ...params.output_caps };
  for (const model of models) {
    if (model === undefined) continue;
    if (!priceFor(model)) throw new ConfigError(`--max-cost needs a price for ${model}, and the price table (runners/prices.json) has none`);
    caps[model] ??= defaultOutputCap(model);
  }
  if (Object.keys(caps).some((m) => params.output_caps?.[m] === undefined)) params.output_caps = caps;
  return new Budget(params.max_cost, spent, { batch: params.batch });
}

/** Runs the items; the first Ctrl-C, SIGTERM or SIGHUP stops dispatching (harness/cli/interrupts.ts). */
async function execute(store: Store, registry: Registry, runId: string, { runner, concurrencyLevel }: Connection, sandbox: SandboxPlan, params: RunConfig, budget: Budget | undefined): Promise<RunOutcome> {
  const unavailable = new Map<string, string>();
  if (sandbox.skipped) for (const e of registry.all().filter((e) => e.needsSandbox)) unavailable.set(e.id, sandbox.skipped);
  const interrupts = runInterrupts(log);
  const progress = progressReporter(runId);
  try {
    const outcome = await executeRun(store, registry, runId, {
      runner,
      judgeModel: params.judge_model,
      budget,
      sandbox: sandbox.sandbox,
      unavailable,
      signal: interrupts.signal,
      onProgress: (p) => progress.update(p, concurrencyLevel?.()),
    });
    interrupts.ended(exitCodeOf(outcome));
    return outcome;
  } finally {
    progress.end();
  }
}

/** The exit code of a run's outcome: 0 completed, 3 incomplete, or its fatal error's. */
function exitCodeOf(outcome: RunOutcome): number {
  if (outcome.fatal) return outcome.fatal.exitCode;
  return outcome.status === 'completed' ? 0 : 3;
}

/** The `cardeval run` that records what a replay run needed: its selection and request parameters, `--cache record`. */
export function recordCommand(model: string, params: RunConfig): string {
  const args = ['cardeval', 'run', '--model', model];
  if (params.suite) args.push('--suite', params.suite);
  for (const e of params.evals) args.push('--eval', e);
  for (const m of params.eval_modules) args.push('--eval-module', m);
  if (params.limit !== undefined) args.push('--limit', String(params.limit));
  if (params.epochs !== 1) args.push('--epochs', String(params.epochs));
  if (params.seed !== 1) args.push('--seed', String(params.seed));
  if (params.shard) args.push('--shard', `${params.shard.index}/${params.shard.count}`);
  if (params.api !== 'chat') args.push('--api', params.api);
  if (params.reasoning_effort) args.push('--reasoning-effort', params.reasoning_effort);
  if (params.role_profile) args.push('--role-profile', params.role_profile);
  if (params.judge_model) args.push('--judge-model', params.judge_model);
  if (params.max_cost !== undefined) args.push('--max-cost', String(params.max_cost));
  args.push('--cache', params.fixtures ? 'record' : 'on');
  if (params.fixtures) args.push('--fixtures', params.fixtures);
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

async function finish(store: Store, outcome: RunOutcome, dbPath: string, json: boolean): Promise<number> {
  const run = store.getRun(outcome.runId)!;
  // As `cardeval report` builds it, so the two print the same.
  const report = buildReport(store, run, await evalsOfRun(store, run));
  process.stdout.write(json ? reportFormat('json')(report, {}) : printable(reportFormat('table')(report, { width: terminalWidth() })));
  const dbFlag = dbPath === defaultDbPath() ? '' : ` --db ${dbPath}`;
  for (const w of outcome.warnings?.slice(0, 5) ?? []) log(`warning: item ${w}`);
  if ((outcome.warnings?.length ?? 0) > 5) log(`… and ${outcome.warnings!.length - 5} more item warnings`);
  if (outcome.fatal) {
    log(`error: ${outcome.fatal.message}`);
    log(`run ${outcome.runId} stopped; after fixing the cause: cardeval resume ${outcome.runId}${dbFlag}`);
    return outcome.fatal.exitCode;
  }
  if (outcome.storage) log(`error: ${outcome.storage.message}`);
  if (outcome.status !== 'completed') {
    for (const i of store.erroredItems(outcome.runId, 5)) log(`item ${i.key}: ${i.error_kind}: ${i.error}`);
    if (outcome.errors > 5) log(`… and ${outcome.errors - 5} more errored items (cardeval report ${outcome.runId} --format json)`);
    const params = readRunConfig(run.id, run.params);
    if (outcome.status === 'budget_exceeded') {
      if (run.error) log(`budget: ${run.error}`);
      log(`run ${outcome.runId} stopped at the --max-cost budget: ${budgetText(run.cost_usd ?? 0, params.max_cost)}`);
    }
    log(`run ${outcome.runId} is ${outcome.status}: ${outcome.scored} scored, ${outcome.errors} errors, ${outcome.pending} not yet run`);
    // A replay miss misses again on resume: the answers must be recorded first.
    if (params.cache === 'replay' && store.errorKinds(outcome.runId).cache_miss) {
      log(`to record the missing answers, run against the endpoint (OPENAI_API_KEY set, or --base-url URL): ${recordCommand(run.model, params)}`);
      log('then replay again');
    } else if (outcome.status === 'budget_exceeded') {
      log(`to finish it with a larger budget (the whole run's, what is spent included): cardeval resume ${outcome.runId} --max-cost USD${dbFlag}`);
    } else {
      log(`to finish it: cardeval resume ${outcome.runId}${dbFlag}`);
    }
    return 3;
  }
  // A floor is checked on a finished run only: exit 3 (incomplete) says more than exit 1 would.
  const under = report.results.filter((r) => r.below_floor);
  for (const r of under) log(`fail-under: ${r.eval}:${r.variant} ${r.metric}: ${floorText(r)}`);
  return under.length > 0 ? 1 : 0;
}
