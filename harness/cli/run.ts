// `cardeval run` and `cardeval resume`: start or finish a run, then print its report.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { Registry } from '../registry.js';
import { createRun, executeRun, type RunOutcome, type RunParams } from '../run.js';
import { Store, defaultDbPath } from '../../results/store.js';
import { buildReport } from '../../results/report.js';
import { renderJson } from '../../results/formats/json.js';
import { renderTable } from '../../results/formats/table.js';
import { connect, DEFAULT_MOCK_MODEL, checkConnectOptions, checkMockModel, endpointIdentity, type ConnectOptions } from './connect.js';
import { priceFor } from '../../runners/pricing.js';
import type { CacheMode } from '../../runners/cache.js';
import { estimateRun, renderEstimate } from '../estimate.js';
import { progressReporter } from './progress.js';
import type { RoleProfile } from '../../runners/capabilities.js';
import type { Runner } from '../../core/wire.js';
import { planSandbox, type SandboxChoice, type SandboxPlan } from './sandbox.js';
import { checkItemCeiling, itemCountBound, withDefaultSignals } from './creation.js';
import { printable } from './terminal.js';
import { removeAllSandboxContainers } from '../../docker/sandbox.js';

export interface RunFlags {
  suite?: string;
  eval?: string[];
  model?: string;
  'base-url'?: string;
  api?: string;
  concurrency?: string;
  timeout?: string;
  'max-retries'?: string;
  limit?: string;
  epochs?: string;
  seed?: string;
  'reasoning-effort'?: string;
  'role-profile'?: string;
  'eval-module'?: string[];
  sandbox?: string;
  rpm?: string;
  tpm?: string;
  cache?: string;
  fixtures?: string;
  batch?: boolean;
  shard?: string;
  'max-cost'?: string;
  'dry-run'?: boolean;
  'judge-model'?: string;
  json?: boolean;
  /** Create a run past the item ceiling (harness/cli/creation.ts). */
  yes?: boolean;
}

const log = (line: string) => process.stderr.write(printable(line) + '\n');

function int(name: string, value: string | undefined, fallback: number | undefined, min = 1): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new ConfigError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

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

/** `--eval-module` values as a run stores them: a file path made absolute, so resume and report work from anywhere. */
export function storedModulePaths(modules: string[]): string[] {
  return modules.map((m) => (existsSync(resolve(m)) ? resolve(m) : m));
}

export async function runCommand(flags: RunFlags, dbPath: string): Promise<number> {
  const hasKey = !!process.env.OPENAI_API_KEY;
  const mock = !hasKey && !flags['base-url'];
  const model = flags.model ?? (mock ? DEFAULT_MOCK_MODEL : undefined);
  if (!model) throw new ConfigError('--model is required when running against an API (e.g. --model o3-mini)');
  const cache = oneOf('cache', flags.cache, ['on', 'off', 'record', 'replay'] as const) ?? 'on';
  const params: RunParams = {
    evals: flags.eval ?? [],
    suite: flags.eval?.length ? undefined : (flags.suite ?? 'o3-mini-system-card'),
    limit: int('limit', flags.limit, undefined),
    epochs: int('epochs', flags.epochs, 1)!,
    seed: int('seed', flags.seed, 1, 0)!,
    concurrency: int('concurrency', flags.concurrency, 8)!,
    timeout_s: int('timeout', flags.timeout, 120)!,
    max_retries: int('max-retries', flags['max-retries'], 4, 0)!,
    reasoning_effort: oneOf('reasoning-effort', flags['reasoning-effort'], ['low', 'medium', 'high'] as const),
    role_profile: oneOf('role-profile', flags['role-profile'], ['native', 'developer-as-system', 'merged'] as const),
    eval_modules: storedModulePaths(flags['eval-module'] ?? []),
    sandbox: oneOf('sandbox', flags.sandbox, ['docker', 'local'] as const),
    api: oneOf('api', flags.api, ['chat', 'responses'] as const) ?? 'chat',
    rpm: int('rpm', flags.rpm, undefined),
    tpm: int('tpm', flags.tpm, undefined),
    cache,
    fixtures: flags.fixtures,
    batch: !!flags.batch,
    shard: parseShard(flags.shard),
    max_cost: money('max-cost', flags['max-cost']),
    judge_model: flags['judge-model'],
    mock: mock && cache !== 'replay',
    endpoint: endpointIdentity(mock, flags['base-url']),
  };
  const registry = await loadRegistry(params.eval_modules);
  const requested = registry.select({ evals: params.evals, suite: params.suite as string | undefined });
  const connectOptions = connectOptionsFor(model, flags['base-url'], params);
  checkConnectOptions(connectOptions);
  if (params.max_cost !== undefined && !priceFor(model)) {
    throw new ConfigError(`--max-cost needs a price for ${model}, and the price table (runners/prices.json) has none`);
  }
  if (params.mock && params.judge_model) checkMockModel(params.judge_model as string);
  if (params.mock) log(`no OPENAI_API_KEY and no --base-url: using the built-in mock OpenAI server, model ${model}`);
  if (cache === 'replay') log(`--cache replay: answering only from the cache${params.fixtures ? ` and ${params.fixtures}` : ''}; nothing is sent`);
  const sandbox = await planSandbox(requested, params.sandbox as SandboxChoice, log);
  // The advice is said once: as the error when nothing else can run, otherwise as a note.
  if (sandbox.selections.length === 0) throw new ConfigError(sandbox.skipped ?? 'nothing to run');
  if (sandbox.skipped) log(sandbox.skipped);
  const selections = sandbox.selections;
  if (!flags['dry-run']) checkItemCeiling(itemCountBound(selections, params.limit, params.epochs), !!flags.yes);
  const store = new Store(dbPath);
  try {
    if (flags['dry-run']) {
      process.stdout.write(renderEstimate(await estimateRun(selections, params, model)));
      return 0;
    }
    const connection = await connect(connectOptions, store);
    try {
      const runId = withDefaultSignals(() =>
        createRun(store, selections, {
          model,
          provider: connection.provider,
          baseUrl: connection.baseUrl,
          api: params.api as string,
          roleProfile: connection.roleProfile,
          params,
        }),
      );
      const counts = store.itemCounts(runId);
      log(`run ${runId}: ${counts.pending + counts.scored + counts.error} items, ${selections.length} eval variants, database ${dbPath}`);
      const outcome = await execute(store, registry, runId, connection.runner, sandbox);
      return finish(store, registry, outcome, dbPath, !!flags.json);
    } finally {
      await connection.close();
    }
  } finally {
    await sandbox.close();
    store.close();
  }
}

export async function resumeCommand(runId: string | undefined, flags: { json?: boolean }, dbPath: string): Promise<number> {
  if (!runId) throw new ConfigError('usage: cardeval resume RUN_ID [--db PATH]');
  const store = new Store(dbPath);
  try {
    const run = store.getRun(runId);
    if (!run) throw new ConfigError(`no run "${runId}" in ${dbPath}; \`cardeval runs\` lists them`);
    if (run.status === 'completed') {
      log(`run ${runId} is already completed`);
      return finish(store, await loadRegistry((run.params as RunParams).eval_modules, true), { runId, status: 'completed', scored: 0, errors: 0, pending: 0 }, dbPath, !!flags.json);
    }
    store.acquireLease(runId); // a second resume stops here, before it connects or says anything else
    const params = run.params as RunParams;
    const registry = await loadRegistry(params.eval_modules, true);
    if (params.mock) log(`resuming against the built-in mock OpenAI server, model ${run.model}`);
    const connection = await connect(connectOptionsFor(run.model, run.base_url && run.provider === 'openai-compatible' ? run.base_url : undefined, params, run.role_profile as RoleProfile), store);
    const counts = store.itemCounts(runId);
    const evalIds = [...new Set(store.unfinishedVariants(runId).map((v) => v.eval))];
    const sandbox = await planSandbox(registry.select({ evals: evalIds }), params.sandbox as SandboxChoice, log);
    try {
      log(`resuming run ${runId}: ${counts.pending + counts.error} items to do`);
      const outcome = await execute(store, registry, runId, connection.runner, sandbox);
      return finish(store, registry, outcome, dbPath, !!flags.json);
    } finally {
      await sandbox.close();
      await connection.close();
    }
  } finally {
    store.close();
  }
}

function connectOptionsFor(model: string, baseUrl: string | undefined, params: RunParams, roleProfile?: RoleProfile): ConnectOptions {
  return {
    model,
    baseUrl,
    mock: params.mock,
    api: (params.api as 'chat' | 'responses' | undefined) ?? 'chat',
    timeoutS: params.timeout_s,
    maxRetries: params.max_retries,
    concurrency: params.concurrency,
    reasoningEffort: params.reasoning_effort,
    roleProfile: roleProfile ?? (params.role_profile as RoleProfile | undefined),
    rpm: params.rpm as number | undefined,
    tpm: params.tpm as number | undefined,
    cache: (params.cache as CacheMode | undefined) ?? 'on',
    fixtures: params.fixtures as string | undefined,
    batch: !!params.batch,
    onBatchProgress: (p) => log(`batch ${p.batchId ?? ''} ${p.status}: ${p.completed}/${p.total}`),
  };
}

function money(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`--${name} must be a positive number of USD, got "${value}"`);
  return n;
}

function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = value.match(/^(\d+)\/(\d+)$/);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new ConfigError(`--shard must be I/N with 1 ≤ I ≤ N, got "${value}"`);
  return { index, count };
}

/** Runs the items; the first Ctrl-C stops dispatching and lets requests in flight finish and be written. */
async function execute(store: Store, registry: Registry, runId: string, runner: Runner, sandbox: SandboxPlan): Promise<RunOutcome> {
  const unavailable = new Map<string, string>();
  if (sandbox.skipped) for (const e of registry.all().filter((e) => e.needsSandbox)) unavailable.set(e.id, sandbox.skipped);
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) {
      // Quitting at once: this process's containers go first (at most 5 s), so none is left to its watchdog.
      void removeAllSandboxContainers().finally(() => process.exit(130));
      return;
    }
    log('\ninterrupted: finishing requests and sandbox executions in flight, sending nothing new (Ctrl-C again to quit at once)');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const progress = progressReporter(runId);
  try {
    return await executeRun(store, registry, runId, {
      runner,
      judgeModel: (store.getRun(runId)!.params as RunParams).judge_model as string | undefined,
      sandbox: sandbox.sandbox,
      unavailable,
      signal: stop.signal,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.end();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function finish(store: Store, registry: Registry, outcome: RunOutcome, dbPath: string, json: boolean): number {
  const run = store.getRun(outcome.runId)!;
  const evals = new Map(registry.all().map((e) => [e.id, e]));
  const report = buildReport(store, run, evals);
  process.stdout.write(json ? renderJson(report) : printable(renderTable(report)));
  const dbFlag = dbPath === defaultDbPath() ? '' : ` --db ${dbPath}`;
  if (outcome.fatal) {
    log(`error: ${outcome.fatal.message}`);
    log(`run ${outcome.runId} stopped; after fixing the cause: cardeval resume ${outcome.runId}${dbFlag}`);
    return ['authentication', 'permission', 'not_found', 'invalid_request'].includes(outcome.fatal.kind) ? 2 : 3;
  }
  if (outcome.storage) log(`error: ${outcome.storage.message}`);
  if (outcome.status !== 'completed') {
    for (const i of store.erroredItems(outcome.runId, 5)) log(`item ${i.key}: ${i.error_kind}: ${i.error}`);
    if (outcome.errors > 5) log(`… and ${outcome.errors - 5} more errored items (cardeval report ${outcome.runId} --format json)`);
    if (outcome.status === 'budget_exceeded') log(`run ${outcome.runId} stopped at the --max-cost budget: $${(run.cost_usd ?? 0).toFixed(4)} spent`);
    log(`run ${outcome.runId} is ${outcome.status}: ${outcome.scored} scored, ${outcome.errors} errors, ${outcome.pending} not yet run`);
    log(`to finish it: cardeval resume ${outcome.runId}${dbFlag}`);
    return 3;
  }
  return 0;
}
