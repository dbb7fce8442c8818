// The HTTP transport under the openai SDK: a fetch on undici's dispatcher instead of Node's WHATWG fetch.
import { Agent, type Dispatcher } from 'undici';

/**
 * WHATWG fetch builds a Request, web streams and guarded Headers for every call; on this path the SDK's call costs
 * about twice the CPU (`npm run bench`, runners/README.md). The SDK takes any fetch, and our calls are plain: a
 * string body out, a whole body back. So the body is read in full and handed to the SDK as a `BufferedResponse`.
 * Anything else (a FormData upload, a streamed body, a Request object) goes to the global fetch unchanged.
 *
 * Timeouts are the SDK's (it aborts through `init.signal`), so undici's own header and body timeouts are off: a slow
 * reasoning model is not cut at undici's default 300 s when `--timeout` allows more. Idle keep-alive sockets do not
 * hold the process open.
 */
export const transportFetch: typeof fetch = createTransport();

export interface TransportOptions {
  /**
   * Past this many bytes of an answer (or a content-length over it) the connection is dropped, and the SDK gets a 413
   * whose error code is `answer_too_large` with `x-should-retry: false`, which the runners turn into a non-fatal item
   * error: a 150 MB answer is never held, parsed or paid for again.
   */
  maxAnswerBytes?: number;
  /**
   * At most this many sockets per origin: the requests its caller lets fly at once. Uncapped, undici opens a socket
   * whenever every open one is busy, and a socket whose answer just came back counts as busy until the event loop has
   * turned once (undici waits a turn before reusing it); the request sent in that same turn opened another. At 200 in
   * flight a run held about 350 sockets, 150 connections more than it needed (about 6% of the client's CPU at 50 ms a
   * request in `npm run bench`, and a TLS handshake each against a real API), and 1,000 in flight would pass the usual
   * limit of 1,024 open files. Capped, such a request waits for a socket to be free again (see the hand-over in
   * `poolFetch`, which keeps that wait short).
   */
  connections?: number;
}

/** A fetch on a keep-alive pool of its own (undici's Agent: one pool per origin). */
export function createTransport({ maxAnswerBytes = Infinity, connections }: TransportOptions = {}): typeof fetch {
  let pool: Agent | undefined;
  // Made at the first request: a runner built and never used opens nothing.
  const agent = () => (pool ??= new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0, connections }));
  return (input, init) => poolFetch(agent, input, init, maxAnswerBytes);
}

async function poolFetch(agent: () => Agent, input: Parameters<typeof fetch>[0], init: RequestInit = {}, maxAnswerBytes: number): Promise<Response> {
  const { body } = init;
  if ((body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) || input instanceof Request) {
    return globalThis.fetch(input, init);
  }
  const url = new URL(String(input));
  const headers: Record<string, string> = {};
  (init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => {
    headers[name] = value;
  });
  const { signal } = init;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let answerHeaders: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const tooLarge = () => {
      settled = true;
      signal?.removeEventListener('abort', abort);
      controller?.abort(new Error('answer too large'));
      chunks.length = 0;
      resolve(answerTooLarge(maxAnswerBytes, new Headers(headerPairs(answerHeaders))));
    };
    const abort = () => controller?.abort(signal?.reason ?? new DOMException('This operation was aborted', 'AbortError'));
    signal?.addEventListener('abort', abort, { once: true });
    // undici's lowest public API: no Readable per answer (its `request()` built one), chunks gathered as they come.
    agent().dispatch(
      { origin: url.origin, path: url.pathname + url.search, method: init.method ?? 'GET', headers, body: body ?? null },
      {
        onRequestStart(c) {
          controller = c;
          if (signal?.aborted) abort(); // aborted while the request waited for a connection
        },
        onResponseStart(_c, statusCode, responseHeaders) {
          status = statusCode; // a 1xx comes first and is replaced
          answerHeaders = responseHeaders;
          if (Number(responseHeaders['content-length']) > maxAnswerBytes) tooLarge();
        },
        onResponseData(_c, chunk) {
          if (settled) return;
          received += chunk.length;
          if (received > maxAnswerBytes) return tooLarge();
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (settled) return;
          signal?.removeEventListener('abort', abort);
          const empty = status === 204 || status === 205 || status === 304;
          const bytes = new Uint8Array(received); // copied once, into a buffer of its own (a Buffer may share a pool)
          let at = 0;
          for (const chunk of chunks) {
            bytes.set(chunk, at);
            at += chunk.length;
          }
          // Pairs, not a Headers: the Response builds its own Headers from what it is given, and copying one costs a sort.
          const response = new BufferedResponse(empty ? null : bytes, { status, headers: headerPairs(answerHeaders) });
          // Handed over in the check phase, not in the poll phase that read it. A request on a reused socket leaves in
          // a later check phase (undici frees a socket a turn after its answer, then yields once more to see whether the
          // server closed it meanwhile): handling answers here keeps the poll phase short, so such a request waits for
          // it and not for every answer it read. At 50 ms × 200 those waits sent requests in bunches and left the
          // process idle between them (runners/README.md, "The transport").
          setImmediate(resolve, response);
        },
        onResponseError(_c, error) {
          if (settled) return;
          signal?.removeEventListener('abort', abort);
          reject(error);
        },
      },
    );
  });
}

function headerPairs(raw: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/** The error code of the answer a transport makes in place of one over its cap. */
export const ANSWER_TOO_LARGE = 'answer_too_large';

/** What the SDK gets for an answer over the cap: a 413 it will not retry, keeping the server's other headers. */
function answerTooLarge(maxAnswerBytes: number, headers: Headers): Response {
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.set('content-type', 'application/json');
  headers.set('x-should-retry', 'false');
  const message = `answer over --max-answer-bytes (${maxAnswerBytes} bytes): cut off unread`;
  const body = JSON.stringify({ error: { message, type: ANSWER_TOO_LARGE, code: ANSWER_TOO_LARGE } });
  return new BufferedResponse(new TextEncoder().encode(body) as Uint8Array<ArrayBuffer>, { status: 413, headers });
}

const utf8 = new TextDecoder(); // stateless without { stream: true }: one serves every answer

/**
 * A Response whose body is already in memory. A standard Response would wrap the bytes in a web stream and read them
 * back through it, which cost about 60 µs of CPU per answer; here `text()` and `json()` decode the bytes
 * directly. What the SDK reads never needs more; anything else (`formData()`, `body`) is served from the same bytes.
 */
export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer> | null;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer> | null, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  override get bodyUsed(): boolean {
    return this.#used || (this.#stream?.locked ?? false);
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) this.#stream = this.#bytes && new Blob([this.#bytes]).stream();
    return this.#stream;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async text(): Promise<string> {
    return utf8.decode(this.#take()); // a byte-order mark dropped, as Response.text() does
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override async blob(): Promise<Blob> {
    return new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  override async formData(): Promise<FormData> {
    return new Response(this.#take(), { headers: this.headers }).formData();
  }

  override clone(): BufferedResponse {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  /** The bytes, once: a body is read at most once, as with any Response. */
  #take(): Uint8Array<ArrayBuffer> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? new Uint8Array(0);
  }
}
