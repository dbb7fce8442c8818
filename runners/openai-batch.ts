// The Batch API runner (`--batch`): complete() calls are gathered into JSONL batches, uploaded, polled, and answered per line.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import OpenAI, { toFile } from 'openai';
import { RunnerError } from '../core/errors.js';
import { requestHash } from '../core/hash.js';
import { chatRequestBody, fromChatCompletion, openaiClient, toRunnerError, type OpenAIRunnerOptions } from './openai-chat.js';
import { fromResponse, responsesRequestBody } from './openai-responses.js';
import type { CallOptions, ChatRequest, ChatResponse, Runner } from '../core/wire.js';

/** The Batch API's limits per batch (https://platform.openai.com/docs/guides/batch). */
export const BATCH_MAX_REQUESTS = 50_000;
export const BATCH_MAX_BYTES = 200 * 1024 * 1024;

export interface BatchProgress {
  batchId: string;
  status: string;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchRunnerOptions extends OpenAIRunnerOptions {
  /** Which endpoint the lines target. */
  api?: 'chat' | 'responses';
  /** Submit once this many distinct requests wait (default 1,000)... */
  windowSize?: number;
  /** ...or this long after the first one arrived (default 2,000 ms). */
  windowMs?: number;
  /** Between two looks at a batch's status (default 10 s; the API takes up to 24 h). */
  pollIntervalMs?: number;
  /** Test seams for the split; default to the API's limits. */
  maxRequestsPerBatch?: number;
  maxBytesPerBatch?: number;
  onProgress?: (progress: BatchProgress) => void;
}

interface Caller {
  resolve(response: ChatResponse): void;
  reject(error: unknown): void;
}

/** One distinct request (custom_id = its hash); identical requests share a line and every caller gets the answer. */
interface Entry {
  hash: string;
  line: string;
  callers: Caller[];
  batch?: Submission;
}

interface Submission {
  id?: string;
  entries: Entry[];
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/**
 * @example
 * const runner = openaiBatchRunner({ apiKey, windowSize: 500, onProgress: (p) => console.error(p.status, p.completed, '/', p.total) });
 * const answers = await Promise.all(requests.map((r) => runner.complete(r)));
 */
export function openaiBatchRunner(options: BatchRunnerOptions): Runner {
  const client = openaiClient(options);
  const api = options.api ?? 'chat';
  const url = api === 'chat' ? '/v1/chat/completions' : '/v1/responses';
  const windowSize = options.windowSize ?? 1000;
  const windowMs = options.windowMs ?? 2000;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const maxRequests = Math.min(options.maxRequestsPerBatch ?? BATCH_MAX_REQUESTS, BATCH_MAX_REQUESTS);
  const maxBytes = Math.min(options.maxBytesPerBatch ?? BATCH_MAX_BYTES, BATCH_MAX_BYTES);
  const closing = new AbortController();
  let waiting = new Map<string, Entry>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const running = new Set<Submission>();

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const entries = [...waiting.values()].filter((e) => e.callers.length > 0);
    waiting = new Map();
    for (const chunk of split(entries, maxRequests, maxBytes)) void submit({ entries: chunk });
  };

  // The SDK adds an abort listener to the signal of each call and never removes it: over a day of polling, one
  // long-lived signal would collect thousands. Each call gets a signal of its own that follows closing's.
  const callOptions = () => ({ signal: AbortSignal.any([closing.signal]) });

  const submit = async (submission: Submission): Promise<void> => {
    running.add(submission);
    for (const e of submission.entries) e.batch = submission;
    const started = performance.now();
    try {
      const jsonl = submission.entries.map((e) => e.line).join('\n') + '\n';
      const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'cardeval-batch.jsonl'), purpose: 'batch' }, callOptions());
      // Not abortable: a batch created while we close must be known, to be cancelled.
      let batch = await client.batches.create({ input_file_id: file.id, endpoint: url, completion_window: '24h', metadata: { source: 'cardeval' } });
      submission.id = batch.id;
      if (closing.signal.aborted) await client.batches.cancel(batch.id).catch(() => undefined);
      while (!TERMINAL.has(batch.status)) {
        report(batch);
        await sleep(pollIntervalMs, undefined, { signal: closing.signal });
        batch = await client.batches.retrieve(batch.id, callOptions());
      }
      report(batch);
      if (batch.status === 'failed') {
        const why = batch.errors?.data?.map((e) => `${e.code}: ${e.message}`).join('; ') || 'no reason given';
        throw new RunnerError(`batch ${batch.id} failed validation: ${why}`, { retryable: false, fatal: true, kind: 'invalid_request' });
      }
      const byHash = new Map(submission.entries.map((e) => [e.hash, e]));
      const latency = performance.now() - started;
      // A line that is not JSON answers nobody (its custom_id is unreadable); the lines after it still answer theirs.
      let unreadable = 0;
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId, callOptions())).text();
        for (const raw of text.split('\n')) {
          if (!raw.trim()) continue;
          const row = parseLine(raw);
          if (!row) {
            unreadable++;
            continue;
          }
          const entry = byHash.get(row.custom_id);
          if (!entry) continue;
          byHash.delete(row.custom_id);
          try {
            answer(entry, answerOf(row, latency));
          } catch (error) {
            fail(entry, error);
          }
        }
      }
      for (const entry of byHash.values()) {
        const why = unreadable ? ` (${unreadable} output line${unreadable === 1 ? ' was' : 's were'} not JSON)` : '';
        fail(entry, new RunnerError(`batch ${batch.id} ended "${batch.status}" without an answer for request ${entry.hash}${why}`, {
          retryable: true,
          fatal: false,
          kind: `batch_${batch.status}`,
        }));
      }
    } catch (error) {
      const failure = closing.signal.aborted ? aborted() : toRunnerError(error, options.apiKey);
      for (const entry of submission.entries) fail(entry, failure);
    } finally {
      running.delete(submission);
    }
  };

  const report = (batch: OpenAI.Batches.Batch) =>
    options.onProgress?.({
      batchId: batch.id,
      status: batch.status,
      total: batch.request_counts?.total ?? 0,
      completed: batch.request_counts?.completed ?? 0,
      failed: batch.request_counts?.failed ?? 0,
    });

  const answerOf = (row: OutputLine, latency: number): ChatResponse => {
    const response = row.response;
    if (row.error || !response) {
      throw new RunnerError(`batch line failed: ${row.error?.code ?? 'no response'}: ${row.error?.message ?? ''}`.trim(), {
        retryable: false,
        fatal: false,
        kind: 'batch_line',
      });
    }
    if (response.status_code !== 200) {
      const headers = new Headers(response.request_id ? { 'x-request-id': response.request_id } : {});
      throw toRunnerError(OpenAI.APIError.generate(response.status_code, response.body as object, undefined, headers), options.apiKey);
    }
    const parsed = api === 'chat' ? fromChatCompletion(response.body as OpenAI.Chat.ChatCompletion) : fromResponse(response.body as OpenAI.Responses.Response);
    return { ...parsed, latency_ms: latency, request_id: response.request_id };
  };

  /** Answers every caller still waiting on the entry; callers after the first did not cost a request. */
  const answer = (entry: Entry, response: ChatResponse) =>
    entry.callers.splice(0).forEach((c, i) => c.resolve(i === 0 ? response : { ...response, cached: true }));
  const fail = (entry: Entry, error: unknown) => entry.callers.splice(0).forEach((c) => c.reject(error));

  /** A submitted batch nobody waits for any more is cancelled, so it is not billed for nothing. */
  const forget = (entry: Entry, caller: Caller) => {
    const at = entry.callers.indexOf(caller);
    if (at >= 0) entry.callers.splice(at, 1);
    const batch = entry.batch;
    if (batch?.id && batch.entries.every((e) => e.callers.length === 0)) {
      client.batches.cancel(batch.id).catch(() => undefined);
    }
  };

  return {
    name: 'openai-batch',
    complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
      if (closing.signal.aborted) return Promise.reject(aborted());
      if (call.signal?.aborted) return Promise.reject(aborted());
      const hash = requestHash(request, call.epoch ?? 0);
      let entry = waiting.get(hash);
      if (!entry) {
        const body = api === 'chat' ? chatRequestBody(request, options.roleProfile) : responsesRequestBody(request, options.roleProfile);
        entry = { hash, line: JSON.stringify({ custom_id: hash, method: 'POST', url, body }), callers: [] };
        waiting.set(hash, entry);
      }
      const target = entry;
      const reply = new Promise<ChatResponse>((resolve, reject) => {
        const signal = call.signal;
        const onAbort = () => {
          forget(target, caller);
          reject(aborted());
        };
        const caller: Caller = {
          resolve: (response) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(response);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        target.callers.push(caller);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (waiting.size >= windowSize) flush();
      else timer ??= setTimeout(flush, windowMs);
      return reply;
    },
    async close(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const entry of waiting.values()) fail(entry, aborted());
      waiting = new Map();
      const unfinished = [...running].map((s) => s.id).filter((id): id is string => id !== undefined);
      closing.abort();
      await Promise.all(unfinished.map((id) => client.batches.cancel(id).catch(() => undefined)));
    },
  };
}

const outputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), request_id: z.string().optional(), body: z.unknown() }).nullish(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).nullish(),
});
type OutputLine = z.infer<typeof outputLineSchema>;

/** A line of a batch's output or error file, or undefined when it is not JSON of that shape. */
function parseLine(raw: string): OutputLine | undefined {
  try {
    return outputLineSchema.safeParse(JSON.parse(raw)).data;
  } catch {
    return undefined;
  }
}

/** Cuts entries into batches within the request and byte limits, keeping their order. */
export function split<T extends { line: string }>(entries: T[], maxRequests: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = Buffer.byteLength(e.line) + 1;
    if (current.length > 0 && (current.length >= maxRequests || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function aborted(): RunnerError {
  return new RunnerError('request aborted', { retryable: false, fatal: false, kind: 'aborted' });
}
