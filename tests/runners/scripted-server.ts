// A small scripted node:http server for tests of hostile or odd OpenAI-compatible servers: each request is answered by
// the test's handler, and every request body is kept.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedServer {
  /** The base URL to give the SDK or `--base-url` (ends in /v1). */
  url: string;
  /** Request bodies as parsed JSON, in arrival order. */
  bodies: any[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: any, index: number) => void;

/**
 * `GET …/models` (the run's preflight) is answered with `models` and not passed to the handler, so a script counts
 * only the requests a run sends for its items.
 */
export async function scriptedServer(handler: Handler, models = ['gpt-4o']): Promise<ScriptedServer> {
  const bodies: any[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })) });
    }
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      bodies.push(body);
      handler(req, res, body, bodies.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A chat completion answer with the given message (content, tool_calls, …). */
export function chatCompletion(message: Record<string, unknown>, model = 'scripted-1'): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
