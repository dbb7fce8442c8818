// The response cache, keyed by everything that changes an answer and read through a lookup the caller supplies; and
// the fixtures store (JSONL files fit to commit), keyed by the request and the API alone.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, DatasetError, RunnerError, redactJson } from '../core/errors.js';
import { canonicalJson, requestHash, sha256 } from '../core/hash.js';
import { jsonlLines } from '../core/jsonl.js';
import type { CallOptions, ChatRequest, ChatResponse, Runner } from '../core/wire.js';

/**
 * on: answer from the cache, call the provider on a miss.
 * off: always call the provider; no lookups.
 * record: always call the provider and hand each answer to `record` (a fixtures file).
 * (With off and record, the database's cache keeps the first answer to a request; each item keeps the one it was graded on.)
 * replay: answer only from the cache; a miss is an error, the provider is never called.
 */
export type CacheMode = 'on' | 'off' | 'record' | 'replay';

/**
 * A stored answer for a cache key, or undefined. Synchronous: SQLite reads and in-memory maps are. The key is the
 * caller's (`call.hash`, a `cacheKey` for the store); `request` and `epoch` let a fixtures table find its own,
 * endpoint-free key.
 */
export type CacheLookup = (hash: string, request?: ChatRequest, epoch?: number) => ChatResponse | undefined;

const usageSchema = z.object({
  prompt_tokens: z.number().finite().nonnegative(),
  completion_tokens: z.number().finite().nonnegative(),
  total_tokens: z.number().finite().nonnegative(),
  cached_tokens: z.number().finite().nonnegative().optional(),
  reasoning_tokens: z.number().finite().nonnegative().optional(),
});

/** What may enter the cache, from a provider or a fixtures file: an answer every later reader can use as one. */
export const storedResponseSchema = z.object({
  content: z.string(),
  tool_calls: z.array(z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) })),
  finish_reason: z.string(),
  usage: usageSchema,
  model: z.string(),
  request_id: z.string().optional(),
  raw: z.unknown(),
});

/** The first problem of an answer that does not fit `storedResponseSchema`: [field path, message], or undefined. */
export function responseProblem(response: unknown): [string, string] | undefined {
  const parsed = storedResponseSchema.safeParse(response);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return [issue.path.join('.') || '(response)', issue.message];
}

/**
 * Who and how a request is answered, beside the request itself (which holds the model and every parameter): the
 * endpoint (`mock`, or provider and base URL without credentials; undefined for runs made before endpoints were
 * recorded), the API, and the role profile the messages were mapped with.
 */
export interface CacheScope {
  endpoint?: string;
  api: string;
  roleProfile?: string;
}

/**
 * The database cache's key: everything that changes an answer. Another server, another API or another role profile
 * never answers from this one's cache; model, parameters, tools and epoch are in `requestHash`.
 */
export function cacheKey(scope: CacheScope, request: ChatRequest, epoch: number): string {
  // A few short fields: hashed in one call (canonicalSha256 streams, for a request's long texts).
  return sha256(canonicalJson({ endpoint: scope.endpoint ?? null, api: scope.api, role_profile: scope.roleProfile ?? null, request: requestHash(request, epoch) }));
}

/** A fixtures table's key: the request (model and parameters included) and its epoch, and the API, but no endpoint. */
export function fixtureKey(api: string, request: ChatRequest, epoch: number): string {
  return `${api}:${requestHash(request, epoch)}`;
}

/**
 * The key under which the database keeps an answer read from fixtures, for the item graded on it: in a namespace of
 * its own, so it never answers the endpoint's cache lookups (those use `cacheKey`).
 */
export function fixtureAnswerKey(api: string, request: ChatRequest, epoch: number): string {
  return sha256(`fixtures\u0000${fixtureKey(api, request, epoch)}`);
}

export interface CacheOptions {
  mode: CacheMode;
  lookup?: CacheLookup;
  /** The epoch of a call; defaults to `options.epoch ?? 0`. */
  epochOf?: (request: ChatRequest, options: CallOptions) => number;
  /** Called with every fresh provider answer (errors never reach it), e.g. `appendFixture` in record mode. */
  record?: (fixture: Fixture) => void;
  /** The API the provider speaks (default `chat`): written into recorded fixtures, named by a replay miss. */
  api?: string;
  /** Where a replay looked, for its miss message (e.g. `in fixtures ci.jsonl or this database's cache of mock`). */
  lookedIn?: string;
}

/**
 * One line of a fixtures file: enough for a later replay to answer the same request identically. `hash` is
 * `requestHash(request, epoch)` (checked on load); `api` is absent in files recorded before the API was part of the
 * key, which were Chat Completions answers unless recorded with `--api responses`.
 */
export interface Fixture {
  hash: string;
  epoch: number;
  api?: string;
  request: ChatRequest;
  response: StoredResponse;
}

/** What is kept of a response: no latency, no header reader, no cache flag (those describe one call, not the answer). */
export type StoredResponse = Omit<ChatResponse, 'latency_ms' | 'header' | 'cached' | 'fixture' | 'redacted'>;

/**
 * Wraps a runner with the cache. Concurrent calls for the same hash share one provider call.
 *
 * @example
 * const runner = withCache(base, { mode: 'on', lookup: (h) => fromStoredJson(store.getCompletion(h)?.response) });
 */
export function withCache(runner: Runner, options: CacheOptions): Runner {
  if (options.mode === 'off') return runner;
  const lookup = options.lookup ?? (() => undefined);
  const api = options.api ?? 'chat';
  const epochOf = options.epochOf ?? ((_request: ChatRequest, call: CallOptions) => call.epoch ?? 0);
  const inFlight = new Map<string, Promise<ChatResponse>>();
  return {
    name: options.mode === 'replay' ? 'replay' : runner.name,
    close: runner.close?.bind(runner),
    async complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
      const epoch = epochOf(request, call);
      const hash = call.hash ?? cacheKey({ api }, request, epoch);
      if (options.mode !== 'record') {
        const hit = lookup(hash, request, epoch);
        if (hit) return asCached(hit);
        if (options.mode === 'replay') {
          const where = options.lookedIn ?? 'in the cache';
          throw new RunnerError(`no recorded answer for this request (model ${request.model}, api ${api}, epoch ${epoch}, request ${requestHash(request, epoch).slice(0, 12)}) ${where}`, {
            retryable: false,
            fatal: false,
            kind: 'cache_miss',
          });
        }
      }
      const shared = inFlight.get(hash);
      if (shared) {
        try {
          return asCached(await shared);
        } catch (error) {
          // Another caller's abort is not ours: ask again on our own behalf.
          if (!(error instanceof RunnerError && error.kind === 'aborted') || call.signal?.aborted) throw error;
        }
      }
      const pending = runner.complete(request, call);
      inFlight.set(hash, pending);
      try {
        const response = await pending;
        // A malformed answer never enters the cache (or the store): it would fail the item on every later run.
        const problem = responseProblem(storedResponse(response));
        if (problem) {
          throw new RunnerError(`the provider's answer is malformed: field "${problem[0]}": ${problem[1]}`, { retryable: false, fatal: false, kind: 'invalid_response', requestId: response.request_id });
        }
        // Fixtures are keyed by the request and the API alone, so a file recorded against one server replays anywhere.
        options.record?.({ hash: requestHash(request, epoch), epoch, api, request, response: storedResponse(response) });
        return response;
      } finally {
        inFlight.delete(hash);
      }
    },
  };
}

/**
 * The provider's answers with every key in them replaced by `***` (a server may echo the caller's key in a request id
 * or an answer), flagged `redacted`: what reaches the cache, the fixtures file, the store and the graders is clean.
 */
export function redacting(runner: Runner): Runner {
  return {
    name: runner.name,
    close: runner.close?.bind(runner),
    async complete(request: ChatRequest, call?: CallOptions): Promise<ChatResponse> {
      const response = await runner.complete(request, call);
      const { header, ...answer } = response;
      const { value, found } = redactJson(answer);
      return found ? { ...value, header, redacted: true } : response;
    },
  };
}

/** A runner that answers only from the cache (`--cache replay` with no provider behind it). */
export function replayRunner(lookup: CacheLookup, options: Pick<CacheOptions, 'epochOf' | 'api' | 'lookedIn'> = {}): Runner {
  const unreachable: Runner = {
    name: 'replay',
    complete: () => Promise.reject(new Error('replay runner reached its provider')),
  };
  return withCache(unreachable, { ...options, mode: 'replay', lookup });
}

/** Tries each lookup in turn (e.g. a fixtures file, then the SQLite store). */
export function firstOf(...lookups: CacheLookup[]): CacheLookup {
  return (hash, request, epoch) => {
    for (const lookup of lookups) {
      const hit = lookup(hash, request, epoch);
      if (hit) return hit;
    }
    return undefined;
  };
}

function asCached(response: ChatResponse | StoredResponse): ChatResponse {
  const { header: _header, ...rest } = response as ChatResponse;
  return { ...rest, cached: true, latency_ms: 0 };
}

export function storedResponse(response: ChatResponse): StoredResponse {
  const { latency_ms: _latency, header: _header, cached: _cached, fixture: _fixture, redacted: _redacted, ...rest } = response;
  return rest;
}

/**
 * A response as the store keeps it (`completions.response`, JSON of content, tool_calls, finish_reason, usage, model, raw)
 * read back as a cache answer; undefined for a missing row.
 */
export function fromStoredJson(json: string | undefined, requestId?: string | null): ChatResponse | undefined {
  if (json === undefined) return undefined;
  let stored: StoredResponse;
  try {
    stored = JSON.parse(json) as StoredResponse;
  } catch {
    return undefined;
  }
  // A row stored before answers were validated may be malformed: a miss (asked again), not a failure on every resume.
  if (responseProblem(stored)) return undefined;
  return { ...stored, ...(requestId ? { request_id: requestId } : {}), latency_ms: 0, cached: true };
}

/** Appends one fixture as a JSONL line (creating the file and its folder). Lines are small and whole, so a crash loses at most one. */
export function appendFixture(path: string, fixture: Fixture): void {
  mkdirSync(dirname(path), { recursive: true });
  // A file meant to be committed: its answer is redacted here too (the request is the eval's, and its hash checks it).
  appendFileSync(path, JSON.stringify({ ...fixture, response: redactJson(fixture.response).value }) + '\n');
}

/**
 * Reads a fixtures file into a lookup table keyed by `fixtureKey`. Each line's hash is checked against its request and
 * epoch, so a hand-edited request or a change in hashing fails loudly instead of replaying the wrong answer. A line
 * with no `api` (recorded before the API was part of the key) is a Chat Completions answer. A later line for a key wins.
 */
export function loadFixtures(path: string): Map<string, StoredResponse> {
  if (!existsSync(path)) throw new ConfigError(`fixtures file ${path} does not exist (record it first with --cache record --fixtures ${path})`);
  const table = new Map<string, StoredResponse>();
  for (const { line, value } of jsonlLines(readFileSync(path, 'utf8'), path)) {
    const fixture = (value ?? {}) as Fixture;
    if (typeof fixture.hash !== 'string' || !fixture.request || !fixture.response) {
      throw new DatasetError(path, line, 'hash', 'a fixture needs hash, epoch, request and response');
    }
    const expected = requestHash(fixture.request, fixture.epoch ?? 0);
    if (expected !== fixture.hash) throw new DatasetError(path, line, 'hash', `does not match its request and epoch (expected ${expected})`);
    if (fixture.api !== undefined && fixture.api !== 'chat' && fixture.api !== 'responses') throw new DatasetError(path, line, 'api', 'must be "chat" or "responses"');
    const problem = responseProblem(fixture.response);
    if (problem) throw new DatasetError(path, line, `response.${problem[0]}`, problem[1]);
    // A file recorded before answers were redacted may hold a key: it is never replayed into the store or a report.
    table.set(fixtureKey(fixture.api ?? 'chat', fixture.request, fixture.epoch ?? 0), redactJson(fixture.response).value);
  }
  return table;
}

/** A lookup over a loaded fixtures table, for requests sent through `api`; its answers are flagged `fixture`. */
export function fixtureLookup(table: Map<string, StoredResponse>, api = 'chat'): CacheLookup {
  return (_hash, request, epoch) => {
    const hit = request && table.get(fixtureKey(api, request, epoch ?? 0));
    return hit ? { ...asCached(hit), fixture: true } : undefined;
  };
}
