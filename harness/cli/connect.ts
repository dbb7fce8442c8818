// Builds the runner stack for a run: provider (OpenAI, a compatible server, or the built-in mock) and wrappers.
import { credentialFreeUrl } from '../../core/url.js';
import { ConfigError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { openaiChatRunner, checkRequestParams } from '../../runners/openai-chat.js';
import { openaiResponsesRunner } from '../../runners/openai-responses.js';
import { openaiBatchRunner, type BatchProgress } from '../../runners/openai-batch.js';
import { createRateLimiter } from '../../runners/rate-limit.js';
import { ADAPTIVE_START, DEFAULT_MAX_CONCURRENCY } from '../../core/run-config.js';
import { appendFixture, redacting, firstOf, fixtureLookup, fromStoredJson, loadFixtures, replayRunner, withCache, type CacheLookup, type CacheMode, type Fixture } from '../../runners/cache.js';
import { createTransport } from '../../runners/transport.js';
import type { Store } from '../../results/store.js';
import { withBudget, type Budget } from '../../runners/budget.js';
import { capabilitiesFor, defaultRoleProfile, type RoleProfile } from '../../runners/capabilities.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';
import { findMockModel, mockModels } from '../../runners/mock/models.js';
import type { Runner } from '../../core/wire.js';

export interface ConnectOptions {
  model: string;
  baseUrl?: string | null;
  mock: boolean;
  api: 'chat' | 'responses';
  timeoutS: number;
  maxRetries: number;
  /** Requests in flight, as given; absent: adaptive, from ADAPTIVE_START up to maxConcurrency. */
  concurrency?: number;
  /** Default DEFAULT_MAX_CONCURRENCY. */
  maxConcurrency?: number;
  roleProfile?: RoleProfile;
  reasoningEffort?: 'low' | 'medium' | 'high';
  rpm?: number;
  tpm?: number;
  /** `--max-pause`: the longest rate-limit pause a server may impose. */
  maxPauseS?: number;
  /** `--max-answer-bytes`. */
  maxAnswerBytes?: number;
  /** Told of each long rate-limit pause, in one line. */
  onRateLimitPause?: (line: string) => void;
  cache: CacheMode;
  /** A fixtures file (JSONL, fit to commit): read before the store's cache; written in `record` mode. Without it,
   * `record` and `replay` use the database's completions alone. */
  fixtures?: string;
  /** The run's endpoint identity (`endpointIdentity`), named by a replay miss. */
  endpoint?: string;
  batch: boolean;
  onBatchProgress?: (p: BatchProgress) => void;
  /** `--max-cost`: every request sent is reserved against it first (cache hits are not). */
  budget?: Budget;
}

export interface Connection {
  runner: Runner;
  provider: 'mock' | 'openai' | 'openai-compatible' | 'replay';
  /** Where requests go, credentials removed; null for the in-process mock. */
  baseUrl: string | null;
  roleProfile: RoleProfile;
  /** Requests allowed in flight now (the adaptive level); absent for the batch runner and replay. */
  concurrencyLevel?: () => number;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_MODEL = 'mock-hierarchy';

/** Where the SDK sends requests when nothing says otherwise. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The base URL requests really go to: `--base-url`, else the SDK's own `OPENAI_BASE_URL`, else none (OpenAI, or the
 * built-in mock with no key). Resolved here and handed to the SDK, so what a run records is where it sent.
 */
export function resolveBaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string; from: string } | undefined {
  if (flag) return { url: flag, from: '--base-url' };
  const fromEnv = env.OPENAI_BASE_URL?.trim();
  return fromEnv ? { url: fromEnv, from: 'OPENAI_BASE_URL' } : undefined;
}

/** An http(s) URL without a query or fragment: the SDK appends paths to it, so anything else would be silently mangled. */
export function checkBaseUrl(url: string, from = '--base-url'): void {
  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`${from} "${shown}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`${from} must be http:// or https://, got "${u.protocol}" in "${publicBaseUrl(url)}"`);
  if (u.search || u.hash) throw new ConfigError(`${from} must not have a query string or fragment: "${publicBaseUrl(url)}${u.search ? '?…' : '#…'}"`);
}

/** A base URL fit to be stored or printed: no user, password, query or fragment. */
export function publicBaseUrl(url: string): string {
  const shown = credentialFreeUrl(url);
  if (shown === undefined) throw new ConfigError(`--base-url "${url.replace(/\/\/[^@/]*@/, '//***@')}" is not a URL`);
  return shown;
}

/**
 * Who answers a run's requests, as part of its cache key: `mock` (the built-in mock), or provider and base URL
 * without credentials. A replay run names the endpoint it would have used, so it replays that endpoint's answers.
 * Headers the SDK adds from `OPENAI_CUSTOM_HEADERS` can route a gateway to another model, so they count too, as a
 * digest (they may hold credentials). `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` do not: they choose who is billed and
 * which models may be called, not what a model id answers.
 */
export function endpointIdentity(mock: boolean, baseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const base = baseUrl ? `openai-compatible ${publicBaseUrl(baseUrl)}` : mock ? 'mock' : `openai ${OPENAI_BASE_URL}`;
  const headers = !mock && env.OPENAI_CUSTOM_HEADERS?.trim();
  return headers ? `${base} headers:${sha256(headers).slice(0, 12)}` : base;
}

export function checkMockModel(model: string): void {
  if (!findMockModel(model)) {
    throw new ConfigError(`unknown mock model "${model}"; the built-in mock serves: ${mockModels.map((m) => m.name).join(', ')}`);
  }
}

/** Validates everything a run needs before any request: model parameters, mock model name. */
export function checkConnectOptions(o: ConnectOptions, baseUrlFrom = '--base-url'): void {
  if (o.baseUrl) checkBaseUrl(o.baseUrl, baseUrlFrom);
  if (o.fixtures && o.cache !== 'record' && o.cache !== 'replay') {
    throw new ConfigError(`--fixtures is read only with --cache replay and written only with --cache record (this run has --cache ${o.cache})`);
  }
  if (o.mock) checkMockModel(o.model);
  checkRequestParams(o.model, { reasoning_effort: o.reasoningEffort });
  if (o.batch && o.cache === 'replay') throw new ConfigError('--batch and --cache replay do not go together: replay sends nothing');
}

/**
 * The runner stack: cache → budget → redaction → (rate limit + adaptive concurrency) → provider. Retries live in the SDK alone;
 * the rate limiter sits in the SDK's fetch so every retry waits its turn too.
 */
export async function connect(o: ConnectOptions, store: Store): Promise<Connection> {
  checkConnectOptions(o);
  const roleProfile = o.roleProfile ?? defaultRoleProfile(capabilitiesFor(o.model));
  const storeLookup: CacheLookup = (hash) => {
    const row = store.getCompletion(hash);
    return fromStoredJson(row?.response, row?.request_id);
  };
  // Replay with a fixtures file that is not there is a usage error (exit 2), not a run of cache misses.
  const lookup = o.fixtures && o.cache === 'replay' ? firstOf(fixtureLookup(loadFixtures(o.fixtures), o.api), storeLookup) : storeLookup;
  if (o.cache === 'replay') {
    const lookedIn = `${o.fixtures ? `in ${o.fixtures} or ` : 'in '}this database's cache${o.endpoint ? ` of ${o.endpoint}` : ''}`;
    return { runner: replayRunner(lookup, { api: o.api, lookedIn }), provider: 'replay', baseUrl: null, roleProfile, close: async () => {} };
  }
  let server: MockServer | undefined;
  let baseURL: string | undefined;
  let apiKey = process.env.OPENAI_API_KEY;
  if (o.mock) {
    server = await startMockServer({ port: 0 });
    baseURL = server.url;
    apiKey = 'mock-key';
  } else if (o.baseUrl) {
    baseURL = o.baseUrl;
    apiKey ||= 'no-key'; // many local servers take any key; the SDK insists on one
  } else {
    baseURL = OPENAI_BASE_URL; // never left to the SDK's environment: the run records this URL
  }
  if (!apiKey) throw new ConfigError('OPENAI_API_KEY is not set (or pass --base-url for an OpenAI-compatible server)');
  const common = { apiKey, baseURL, timeoutMs: o.timeoutS * 1000, maxRetries: o.maxRetries, roleProfile, maxAnswerBytes: o.maxAnswerBytes };
  let provider: Runner;
  let concurrencyLevel: (() => number) | undefined;
  if (o.batch) {
    provider = openaiBatchRunner({ ...common, api: o.api, onProgress: o.onBatchProgress, pollIntervalMs: o.mock ? 200 : undefined });
  } else {
    // Given, the level is fixed; absent, it adapts from ADAPTIVE_START up to --max-concurrency.
    const concurrencyCap = o.concurrency ?? o.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    const limiter = createRateLimiter({
      rpm: o.rpm,
      tpm: o.tpm,
      ...(o.concurrency ? { concurrencyCap } : { concurrencyCap, concurrencyStart: ADAPTIVE_START }),
      maxPauseMs: o.maxPauseS === undefined ? undefined : o.maxPauseS * 1000,
      onPause: o.onRateLimitPause,
    });
    concurrencyLevel = () => limiter.stats().concurrencyLimit;
    const make = o.api === 'responses' ? openaiResponsesRunner : openaiChatRunner;
    // As many sockets as requests may be in flight, no more (runners/transport.ts says why).
    const transport = createTransport({ maxAnswerBytes: o.maxAnswerBytes, connections: concurrencyCap });
    provider = limiter.wrap(make({ ...common, fetch: limiter.fetch(transport) }));
  }
  provider = redacting(provider);
  if (o.budget) provider = withBudget(provider, o.budget);
  const record = o.cache === 'record' && o.fixtures ? (f: Fixture) => appendFixture(o.fixtures!, f) : undefined;
  const runner = withCache(provider, { mode: o.cache, lookup, record, api: o.api });
  return {
    runner,
    provider: o.mock ? 'mock' : o.baseUrl ? 'openai-compatible' : 'openai',
    baseUrl: o.mock ? null : publicBaseUrl(o.baseUrl ?? OPENAI_BASE_URL),
    roleProfile,
    concurrencyLevel,
    close: async () => {
      await runner.close?.();
      await server?.close();
    },
  };
}
