// The HTTP transport under the openai SDK: a fetch on undici's request API instead of Node's WHATWG fetch.
import { Agent, request } from 'undici';

/**
 * WHATWG fetch builds a Request, web streams and guarded Headers for every call; on this path the SDK's call costs
 * about twice the CPU (`npm run bench`, runners/README.md). The SDK takes any fetch, and our calls are plain: a
 * string body out, a whole body back. So the body is read in full and handed to the SDK as a standard `Response`.
 * Anything else (a FormData upload, a streamed body, a Request object) goes to the global fetch unchanged.
 *
 * Timeouts are the SDK's (it aborts through `init.signal`), so undici's own header and body timeouts are off: a slow
 * reasoning model is not cut at undici's default 300 s when `--timeout` allows more. Idle keep-alive sockets do not
 * hold the process open.
 */
export const transportFetch: typeof fetch = async (input, init = {}) => {
  const { body } = init;
  if ((body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) || input instanceof Request) {
    return globalThis.fetch(input, init);
  }
  const headers: Record<string, string> = {};
  (init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => {
    headers[name] = value;
  });
  const answer = await request(String(input), {
    method: (init.method ?? 'GET') as 'GET',
    headers,
    body: body ?? undefined,
    signal: init.signal ?? undefined,
    dispatcher: agent(),
  });
  const bytes = await answer.body.arrayBuffer();
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
    else if (value !== undefined) responseHeaders.append(name, value);
  }
  const empty = answer.statusCode === 204 || answer.statusCode === 205 || answer.statusCode === 304;
  return new Response(empty ? null : bytes, { status: answer.statusCode, headers: responseHeaders });
};

let shared: Agent | undefined;

/** One keep-alive pool per process, as the global fetch has. */
function agent(): Agent {
  shared ??= new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  return shared;
}
