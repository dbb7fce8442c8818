// The mock OpenAI server: node:http speaking the OpenAI wire format, with scripted models, faults and rate limits.
import { sha256 } from '../../core/hash.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchQueue, FileStore, type LineAnswer } from './batches.js';
import { chatCompletionBody, chatCompletionEvents, complete, estimatePromptTokens, lookupModel, parseChatBody } from './chat.js';
import { MockApiError, invalidRequest, notFound } from './errors.js';
import { INJECTED_RETRY_AFTER_MS, RateLimiter, faultPicker, type Fault } from './faults.js';
import { mockModels } from './models.js';
import { parseMultipart } from './multipart.js';
import { parseResponsesBody, responseBody } from './responses.js';

export interface MockServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Time from a model call's arrival to its answer (chat completions and responses); the mock's own work is inside it. */
  latencyMs?: number;
  /** Share of model calls answered 500 server_error. */
  failRate?: number;
  /** Share of model calls answered 429 rate_limit_exceeded with `retry-after-ms`. */
  rate429?: number;
  /** Share of model calls whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Share of model calls never answered. */
  hangRate?: number;
  /** Requests per minute for model calls, as a token bucket; over it, 429 with retry headers. */
  rpm?: number;
  /** Tokens per minute for model calls, as a token bucket; over it, 429 with retry headers. */
  tpm?: number;
  /** Also enforce `rpm`/`tpm` over fixed windows of this many ms at the window's share (a quantizing limiter). */
  limitWindowMs?: number;
  /** When set, a call without `Authorization: Bearer <requireKey>` gets 401 invalid_api_key. */
  requireKey?: string;
  /** Every /v1 call answered 429 insufficient_quota. */
  quotaExceeded?: boolean;
  /** Seed of the fault draws (default 0): the same seed and arrival order give the same faults. */
  seed?: number;
  /** Time a batch takes from creation to `completed` (default 100 ms). */
  batchDelayMs?: number;
}

export interface MockStats {
  /** Every /v1 request received, answered or not. */
  requests: number;
  /** Per route path, e.g. `/v1/chat/completions`, `/v1/files/:id` (GET and DELETE of a file share theirs); `unknown` for no route. */
  byEndpoint: Record<string, number>;
  /** Per HTTP status answered, plus `dropped` and `hung` for calls given no status. */
  byStatus: Record<string, number>;
  /** conversationKey(messages) → times a completion for that conversation was answered 200 (batch lines included). */
  completionsByConversation: Record<string, number>;
}

export interface MockServer {
  /** The base URL for the SDK, `/v1` included, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  port: number;
  stats(): MockStats;
  /** Zeroes the stats, refills the rate-limit buckets and restarts the fault draws from the seed; files and batches stay. */
  reset(): void;
  /** Stops listening and ends every connection, hanging and keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * The key of a conversation in `completionsByConversation`: sha256 of JSON.stringify of the `messages` array as
 * sent on the wire (for the Responses API, of the messages the `input` converts to).
 */
export function conversationKey(messages: unknown): string {
  return sha256(JSON.stringify(messages));
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  params: string[];
  body: Buffer;
  /** performance.now() when the request arrived: the latency counts from here, as a real server's would. */
  arrived: number;
}

interface Route {
  method: string;
  segments: string[];
  endpoint: string;
  handle(call: Call): void | Promise<void>;
}

/**
 * Starts the server. Example:
 * ```ts
 * const server = await startMockServer({ rate429: 0.1, seed: 7 });
 * const client = new OpenAI({ apiKey: 'test', baseURL: server.url });
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  for (const key of ['failRate', 'rate429', 'dropRate', 'hangRate'] as const) {
    const rate = options[key];
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`${key} must be between 0 and 1, got ${rate}`);
  }
  const app = new MockApp(options);
  const server = createServer((req, res) => void app.handle(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(options.host ?? '127.0.0.1')}:${port}/v1`,
    port,
    stats: () => app.stats(),
    reset: () => app.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

class MockApp {
  private counter = 0;
  private requests = 0;
  private byEndpoint = new Map<string, number>();
  private byStatus = new Map<string, number>();
  private conversations = new Map<string, number>();
  private pickFault: () => Fault | undefined;
  private readonly limiter: RateLimiter;
  private readonly files: FileStore;
  private readonly batches: BatchQueue;
  private readonly routes: Route[];

  constructor(private readonly options: MockServerOptions) {
    this.pickFault = faultPicker(options, options.seed ?? 0);
    this.limiter = new RateLimiter({ rpm: options.rpm, tpm: options.tpm, windowMs: options.limitWindowMs });
    const nextId = (prefix: string) => this.nextId(prefix);
    this.files = new FileStore(nextId);
    this.batches = new BatchQueue(this.files, (url, body, requestId) => this.answerLine(url, body, requestId), nextId, options.batchDelayMs ?? 100);
    this.routes = [
      route('POST', '/v1/chat/completions', (c) => this.chatCompletions(c)),
      route('POST', '/v1/responses', (c) => this.responses(c)),
      route('GET', '/v1/models', (c) => this.send(c, 200, { object: 'list', data: mockModels.map(modelObject) })),
      route('GET', '/v1/models/:id', (c) => this.send(c, 200, modelObject(lookupModel(c.params[0])))),
      route('POST', '/v1/files', (c) => this.send(c, 200, this.files.upload(parseMultipart(c.body, c.req.headers['content-type'])))),
      route('GET', '/v1/files/:id', (c) => this.send(c, 200, this.files.get(c.params[0]))),
      route('DELETE', '/v1/files/:id', (c) => this.send(c, 200, this.files.delete(c.params[0]))),
      route('GET', '/v1/files/:id/content', (c) => this.sendBytes(c, this.files.content(c.params[0]))),
      route('POST', '/v1/batches', (c) => this.send(c, 200, this.batches.create(parseJson(c.body)))),
      route('GET', '/v1/batches/:id', (c) => this.send(c, 200, this.batches.get(c.params[0]))),
      route('POST', '/v1/batches/:id/cancel', (c) => this.send(c, 200, this.batches.cancel(c.params[0]))),
    ];
  }

  stats(): MockStats {
    return {
      requests: this.requests,
      byEndpoint: Object.fromEntries(this.byEndpoint),
      byStatus: Object.fromEntries(this.byStatus),
      completionsByConversation: Object.fromEntries(this.conversations),
    };
  }

  reset(): void {
    this.requests = 0;
    this.byEndpoint.clear();
    this.byStatus.clear();
    this.conversations.clear();
    this.pickFault = faultPicker(this.options, this.options.seed ?? 0);
    this.limiter.reset();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const call: Call = { req, res, requestId: this.nextId('req_'), params: [], body: Buffer.alloc(0), arrived: performance.now() };
    try {
      call.body = await readBody(req);
      if (path.startsWith('/_mock/')) return this.testRoute(call, req.method ?? 'GET', path);
      const found = this.match(req.method ?? 'GET', path);
      this.requests++;
      const endpoint = found?.route.endpoint ?? 'unknown';
      this.byEndpoint.set(endpoint, (this.byEndpoint.get(endpoint) ?? 0) + 1);
      this.checkKey(req);
      if (this.options.quotaExceeded) throw quotaError();
      if (!found) throw notFound(`Invalid URL (${req.method} ${path})`);
      call.params = found.params;
      await found.route.handle(call);
    } catch (error) {
      if (res.headersSent || res.destroyed) return void res.destroy();
      const answer =
        error instanceof MockApiError ? error : new MockApiError(500, `The mock server failed: ${error instanceof Error ? error.message : String(error)}`, 'server_error');
      this.send(call, answer.status, answer.body(), answer.headers);
    }
  }

  private match(method: string, path: string): { route: Route; params: string[] } | undefined {
    const segments = path.split('/');
    for (const r of this.routes) {
      if (r.method !== method || r.segments.length !== segments.length) continue;
      const params: string[] = [];
      let ok = true;
      for (let i = 0; ok && i < segments.length; i++) {
        if (r.segments[i] === ':id') params.push(decodeURIComponent(segments[i]));
        else ok = r.segments[i] === segments[i];
      }
      if (ok) return { route: r, params };
    }
    return undefined;
  }

  private testRoute(call: Call, method: string, path: string): void {
    if (method === 'GET' && path === '/_mock/stats') return this.send(call, 200, this.stats(), {}, false);
    if (method === 'POST' && path === '/_mock/reset') {
      this.reset();
      return this.send(call, 200, { reset: true }, {}, false);
    }
    const error = notFound(`Invalid URL (${method} ${path})`);
    this.send(call, error.status, error.body(), {}, false);
  }

  private checkKey(req: IncomingMessage): void {
    const required = this.options.requireKey;
    if (required === undefined) return;
    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (key === required) return;
    const message = key
      ? `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    throw new MockApiError(401, message, 'invalid_request_error', 'invalid_api_key');
  }

  private async chatCompletions(call: Call): Promise<void> {
    const body = parseJson(call.body);
    const { model, request, stream, includeUsage } = parseChatBody(body);
    const promptTokens = estimatePromptTokens(request);
    const fault = this.admitModelCall(request.model, promptTokens);
    // The whole answer is made before the wait, so the latency is what the client sees, not latency plus our work.
    const completion = complete(model, request, promptTokens);
    const conversation = conversationKey((body as { messages: unknown }).messages);
    const id = this.nextId('chatcmpl-');
    const created = Math.floor(Date.now() / 1000);
    const text = stream ? chatCompletionEvents(id, created, model, completion, includeUsage).join('') : JSON.stringify(chatCompletionBody(id, created, model, completion));
    if (!(await this.answerWhenDue(call, fault, request.model))) return;
    this.limiter.charge(completion.completionTokens);
    this.countConversation(conversation);
    if (!stream) return this.sendText(call, 200, text);
    call.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...this.headers(call) });
    call.res.end(text);
    this.countStatus('200');
  }

  private async responses(call: Call): Promise<void> {
    const { model, request, echo } = parseResponsesBody(parseJson(call.body));
    const promptTokens = estimatePromptTokens(request);
    const fault = this.admitModelCall(request.model, promptTokens);
    const completion = complete(model, request, promptTokens);
    const conversation = conversationKey(request.messages);
    const text = JSON.stringify(responseBody(this.nextId('resp_'), Math.floor(Date.now() / 1000), model, completion, echo));
    if (!(await this.answerWhenDue(call, fault, request.model))) return;
    this.limiter.charge(completion.completionTokens);
    this.countConversation(conversation);
    this.sendText(call, 200, text);
  }

  /** Rate limits (throwing their 429), then the fault draw. */
  private admitModelCall(model: string, promptTokens: number): Fault | undefined {
    this.limiter.admit(promptTokens, model);
    return this.pickFault();
  }

  /**
   * Waits out what is left of the latency, then carries out the fault. Resolves false when the call must get no
   * answer (dropped, hung, or the client left while it waited); throws the error answer of an injected 429 or 500.
   */
  private async answerWhenDue(call: Call, fault: Fault | undefined, model: string): Promise<boolean> {
    const wait = (this.options.latencyMs ?? 0) - (performance.now() - call.arrived);
    if (wait > 0) {
      await sleep(wait);
      if (call.res.destroyed) return false;
    }
    switch (fault) {
      case 'drop':
        this.countStatus('dropped');
        call.req.socket.destroy();
        return false;
      case 'hang':
        this.countStatus('hung');
        return false;
      case 'rate-limit':
        throw new MockApiError(
          429,
          `Rate limit reached for ${model} in organization org-mock on requests per min (RPM). Please try again in ${INJECTED_RETRY_AFTER_MS}ms. (injected by the mock server)`,
          'requests',
          'rate_limit_exceeded',
          null,
          { 'retry-after-ms': String(INJECTED_RETRY_AFTER_MS), 'retry-after': String(Math.ceil(INJECTED_RETRY_AFTER_MS / 1000)) },
        );
      case 'server-error':
        throw new MockApiError(500, 'The server had an error while processing your request. Sorry about that! (injected by the mock server)', 'server_error');
      default:
        return true;
    }
  }

  /** A batch line, answered as its own request would be but without faults, limits or latency. */
  private answerLine(url: string, body: unknown, requestId: string): LineAnswer {
    try {
      if (url === '/v1/responses') {
        const { model, request, echo } = parseResponsesBody(body);
        const completion = complete(model, request, estimatePromptTokens(request));
        this.countConversation(conversationKey(request.messages));
        return { status: 200, body: responseBody(this.nextId('resp_'), Math.floor(Date.now() / 1000), model, completion, echo) };
      }
      const { model, request, stream } = parseChatBody(body);
      if (stream) throw invalidRequest('A batch request cannot stream.', 'stream', 'unsupported_value');
      const completion = complete(model, request, estimatePromptTokens(request));
      this.countConversation(conversationKey((body as { messages: unknown }).messages));
      return { status: 200, body: chatCompletionBody(this.nextId('chatcmpl-'), Math.floor(Date.now() / 1000), model, completion) };
    } catch (error) {
      if (error instanceof MockApiError) return { status: error.status, body: error.body() };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: new MockApiError(500, `The mock server failed on request ${requestId}: ${message}`, 'server_error').body() };
    }
  }

  private headers(call: Call): Record<string, string> {
    return { 'x-request-id': call.requestId, ...this.limiter.headers() };
  }

  private send(call: Call, status: number, body: unknown, extra: Record<string, string> = {}, counted = true): void {
    this.sendText(call, status, JSON.stringify(body), extra, counted);
  }

  /** `send` for a body already serialized. */
  private sendText(call: Call, status: number, text: string, extra: Record<string, string> = {}, counted = true): void {
    call.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...this.headers(call), ...extra });
    call.res.end(text);
    if (counted) this.countStatus(String(status));
  }

  private sendBytes(call: Call, bytes: Buffer): void {
    call.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, ...this.headers(call) });
    call.res.end(bytes);
    this.countStatus('200');
  }

  private countStatus(status: string): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  private countConversation(key: string): void {
    this.conversations.set(key, (this.conversations.get(key) ?? 0) + 1);
  }

  private nextId(prefix: string): string {
    return `${prefix}mock${(++this.counter).toString(16).padStart(8, '0')}`;
  }
}

function route(method: string, path: string, handle: Route['handle']): Route {
  return { method, segments: path.split('/'), endpoint: path, handle };
}

function modelObject(model: { name: string }) {
  return { id: model.name, object: 'model', created: 1767225600, owned_by: 'cardeval-mock' };
}

function quotaError(): MockApiError {
  return new MockApiError(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    'insufficient_quota',
    'insufficient_quota',
  );
}

function maskKey(key: string): string {
  return key.length > 10 ? `${key.slice(0, 3)}${'*'.repeat(8)}${key.slice(-4)}` : '***';
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new MockApiError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 'invalid_request_error', 'request_too_large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
