// The response cache: content-addressed by request hash, read through a lookup the caller supplies, plus CI fixture files.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, DatasetError, RunnerError } from '../core/errors.js';
import { requestHash, sha256 } from '../core/hash.js';
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
 * caller's (`call.hash`, endpoint-scoped for the store); `request` and `epoch` let a fixtures table find its own,
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
 * The cache key of a request sent to one endpoint: another server (or a new checkpoint behind another URL) never
 * answers from this one's cache. `endpoint` is `mock`, or provider and base URL without credentials; undefined keeps
 * the bare request hash (runs made before endpoints were part of the key).
 */
export function endpointScopedHash(endpoint: string | undefined, hash: string): string {
  if (!endpoint) return hash;
  return sha256(`${endpoint}\u0000${hash}`);
}

export interface CacheOptions {
  mode: CacheMode;
  lookup?: CacheLookup;
  /** The epoch of a call; defaults to `options.epoch ?? 0`. */
  epochOf?: (request: ChatRequest, options: CallOptions) => number;
  /** Called with every fresh provider answer (errors never reach it), e.g. `appendFixture` in record mode. */
  record?: (fixture: Fixture) => void;
}

/** One line of a fixtures file: enough for a later replay to answer the same request identically. */
export interface Fixture {
  hash: string;
  epoch: number;
  request: ChatRequest;
  response: StoredResponse;
}

/** What is kept of a response: no latency, no header reader, no cache flag (those describe one call, not the answer). */
export type StoredResponse = Omit<ChatResponse, 'latency_ms' | 'header' | 'cached'>;

/**
 * Wraps a runner with the cache. Concurrent calls for the same hash share one provider call.
 *
 * @example
 * const runner = withCache(base, { mode: 'on', lookup: (h) => fromStoredJson(store.getCompletion(h)?.response) });
 */
export function withCache(runner: Runner, options: CacheOptions): Runner {
  if (options.mode === 'off') return runner;
  const lookup = options.lookup ?? (() => undefined);
  const epochOf = options.epochOf ?? ((_request: ChatRequest, call: CallOptions) => call.epoch ?? 0);
  const inFlight = new Map<string, Promise<ChatResponse>>();
  return {
    name: options.mode === 'replay' ? 'replay' : runner.name,
    close: runner.close?.bind(runner),
    async complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
      const epoch = epochOf(request, call);
      const hash = call.hash ?? requestHash(request, epoch);
      if (options.mode !== 'record') {
        const hit = lookup(hash, request, epoch);
        if (hit) return asCached(hit);
        if (options.mode === 'replay') {
          throw new RunnerError(`no cached response for request ${hash} (--cache replay answers only from the cache)`, {
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
        // Fixtures are keyed by the request alone, so a file recorded against one server replays anywhere.
        options.record?.({ hash: requestHash(request, epoch), epoch, request, response: storedResponse(response) });
        return response;
      } finally {
        inFlight.delete(hash);
      }
    },
  };
}

/** A runner that answers only from the cache (`--cache replay` with no provider behind it). */
export function replayRunner(lookup: CacheLookup, epochOf?: CacheOptions['epochOf']): Runner {
  const unreachable: Runner = {
    name: 'replay',
    complete: () => Promise.reject(new Error('replay runner reached its provider')),
  };
  return withCache(unreachable, { mode: 'replay', lookup, epochOf });
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
  const { latency_ms: _latency, header: _header, cached: _cached, ...rest } = response;
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
  appendFileSync(path, JSON.stringify(fixture) + '\n');
}

/**
 * Reads a fixtures file into a lookup table. Each line's hash is checked against its request and epoch, so a hand-edited
 * request or a change in hashing fails loudly instead of replaying the wrong answer. A later line for a hash wins.
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
    const problem = responseProblem(fixture.response);
    if (problem) throw new DatasetError(path, line, `response.${problem[0]}`, problem[1]);
    table.set(fixture.hash, fixture.response);
  }
  return table;
}

/** A lookup over a loaded fixtures table. */
export function fixtureLookup(table: Map<string, StoredResponse>): CacheLookup {
  return (hash, request, epoch) => {
    const hit = table.get(request ? requestHash(request, epoch ?? 0) : hash);
    return hit && asCached(hit);
  };
}
