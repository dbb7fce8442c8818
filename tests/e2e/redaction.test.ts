// One redaction on every path a key could leave by: a server that echoes the caller's key in
// x-request-id and in its answer. The fixtures file, the stored answers and every report format keep "***", and the
// item whose answer held the key carries a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cleanEnv, cli } from './cli.js';
import { unpackText } from '../../results/packed-text.js';

// Not shaped like an OpenAI key (no "sk-"): only knowing the key itself finds it.
const KEY = 'gw-live-token-7f3a9c2e5b1d4a60';

let dir: string;
let server: Server;
let url: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-redact-'));
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const body = JSON.parse(raw || '{}') as { model?: string };
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req-${key}` }).end(
        JSON.stringify({
          id: `chatcmpl-${key}`,
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: `I cannot help. (debug: authorized as ${key})` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a key a server echoes never leaves', () => {
  it('row 5: fixtures, stored answers and every report format keep "***"; the item says the answer held the key', async () => {
    const db = join(dir, 'redact.sqlite');
    const fixtures = join(dir, 'fixtures.jsonl');
    const run = await cli(['run', '--db', db, '--base-url', url, '--model', 'gpt-4o', '--eval', 'ih-password-protection:user-message', '--limit', '3', '--cache', 'record', '--fixtures', fixtures], cleanEnv({ OPENAI_API_KEY: KEY }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    expect(run.stderr).toMatch(/warning: item ih-password-protection:user-message:\S+:0: the answer contained the API key \(stored as \*\*\*\)/);

    const recorded = readFileSync(fixtures, 'utf8');
    expect(recorded).not.toContain(KEY);
    expect(recorded).toContain('req-***');

    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('SELECT request_id, response FROM completions').all() as Array<{ request_id: string; response: Buffer | string }>;
    const transcripts = conn.prepare('SELECT transcript FROM items').all() as Array<{ transcript: string }>;
    conn.close();
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.request_id).toBe('req-***');
      expect(unpackText(r.response)).not.toContain(KEY);
      expect(unpackText(r.response)).toContain('authorized as ***');
    }
    for (const t of transcripts) expect(JSON.parse(t.transcript).warnings).toEqual(['the answer contained the API key (stored as ***)']);

    // Reports are made where the key may not be set (a CI job, a colleague): what they read is already clean.
    for (const format of ['table', 'markdown', 'json', 'junit', 'html']) {
      const out = await cli(['report', 'latest', '--db', db, '--format', format]);
      expect(out.code, `${format}: ${out.stderr}`).toBe(0);
      expect(out.stdout, format).not.toContain(KEY);
    }
  }, 120_000);
});
