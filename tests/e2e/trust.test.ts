// Issue 11 as a user meets it: rows a model cannot be compared on, answers with no content, epochs and intervals.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cli } from './cli.js';
import { Store } from '../../results/store.js';
import { wilson } from '../../core/stats.js';

let dir: string;
let server: Server;
let baseUrl: string;
/** The roles of every request the server received. */
const received: string[][] = [];

// A server like a reasoning model that spent its whole budget thinking: no content, finish_reason "length".
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-trust-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}');
      if (req.method === 'POST') received.push((parsed.messages ?? []).map((m: { role: string }) => m.role));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        id: `chatcmpl-${received.length}`, object: 'chat.completion', created: 1, model: parsed.model,
        choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null }, finish_reason: 'length', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 64, total_tokens: 74, completion_tokens_details: { reasoning_tokens: 64 } },
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('a model the capability table does not know, behind a server that never answers', () => {
  const db = () => join(dir, 'llama.sqlite');
  let report: any;
  let stderr: string;

  beforeAll(async () => {
    const out = await cli(['run', '--base-url', baseUrl, '--model', 'llama-3.1-8b-instruct', '--limit', '4', '--json', '--db', db()]);
    stderr = out.stderr;
    expect(out.code, out.stderr).toBe(0);
    report = JSON.parse(out.stdout);
  }, 120_000);

  it('leaves the system<>developer row out, says why, and lists it as not-comparable', () => {
    expect(stderr).toMatch(/not run, not comparable: ih-system-developer-conflict:default: the developer-as-system role profile sends the developer message as a system message/);
    const row = report.results.find((r: any) => r.eval === 'ih-system-developer-conflict' && r.headline);
    expect(row).toMatchObject({ n: 0, comparability: 'not-comparable', verdict: 'not-comparable', skipped: true });
    expect(row.comparability_reason).toMatch(/pits one level against itself/);
    const items = new Database(db(), { readonly: true }).prepare("SELECT COUNT(*) AS n FROM items WHERE eval = 'ih-system-developer-conflict'").get() as { n: number };
    expect(items.n).toBe(0);
  });

  it('grades every answer no_answer: each is a failure, none answered, and each row says so', () => {
    const rows = report.results.filter((r: any) => r.headline && !r.skipped);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows) {
      expect(r, `${r.eval}:${r.variant}`).toMatchObject({ passed: 0, score: 0, score_answered: null, errors: 0 });
      expect(r.no_answer, `${r.eval}:${r.variant}`).toBeGreaterThan(0);
      expect(r.n, `${r.eval}:${r.variant}`).toBe(r.no_answer);
    }
  });

  it('stores and shows the roles actually sent: no developer message reached the server or the database', () => {
    expect(received.length).toBeGreaterThan(0);
    expect(received.flat()).not.toContain('developer');
    const conn = new Database(db(), { readonly: true });
    // Request bodies are stored once, packed (results/packed-text.ts): read them through the store.
    const store = new Store(db(), { create: false });
    const hashes = conn.prepare('SELECT hash FROM completions').all() as Array<{ hash: string }>;
    expect(hashes.length).toBe(received.length);
    for (const { hash } of hashes) expect(JSON.parse(store.getCompletion(hash)!.request).messages.map((m: any) => m.role)).not.toContain('developer');
    store.close();
    // The developer<>user row's developer message went as a system message; the transcript keeps what the eval wrote.
    const t = conn.prepare("SELECT transcript FROM items WHERE eval = 'ih-developer-user-conflict' LIMIT 1").get() as { transcript: string };
    const kept = JSON.parse(t.transcript);
    expect(kept.messages[0].role).toBe('system');
    expect(kept.logical_messages[0].role).toBe('developer');
    expect(kept.finish_reason).toBe('length');
    conn.close();
  });

  it('marks the row not-comparable, with its reason, in the table, Markdown, JUnit (skipped) and HTML', async () => {
    const reason = /developer-as-system role profile sends the developer message as a system message/;
    const table = await cli(['report', 'latest', '--db', db()]);
    expect(table.stdout).toMatch(/^ih-system-developer-conflict\s+default\s+accuracy\s.*not-comparable \(not run\)$/m);
    expect(table.stdout).toMatch(/not-comparable: ih-system-developer-conflict:default: .*developer-as-system/);
    expect(table.stdout).toMatch(/no answer: ih-password-protection:user-message: \d+ items had no answer/);
    const md = await cli(['report', 'latest', '--format', 'markdown', '--db', db()]);
    expect(md.stdout).toMatch(/\*\*not-comparable\*\* \(not run\)/);
    expect(md.stdout).toMatch(reason);
    const junit = await cli(['report', 'latest', '--format', 'junit', '--db', db()]);
    expect(junit.stdout).toMatch(/<testcase name="accuracy" classname="cardeval\.ih-system-developer-conflict\.default" time="0">\s*<skipped message="not-comparable \(not run\): the developer-as-system/);
    const html = await cli(['report', 'latest', '--format', 'html', '--out', join(dir, 'r.html'), '--db', db()]);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/<strong>not-comparable \(not run\)<\/strong>: the developer-as-system role profile sends the developer message as a system message/);
  }, 90_000);

  it('runs the row when it is named with --eval, still marked not-comparable', async () => {
    const out = await cli(['run', '--base-url', baseUrl, '--model', 'llama-3.1-8b-instruct', '--eval', 'ih-system-developer-conflict', '--limit', '2', '--json', '--db', join(dir, 'named.sqlite')]);
    expect(out.code, out.stderr).toBe(0);
    const row = JSON.parse(out.stdout).results.find((r: any) => r.headline);
    expect(row).toMatchObject({ comparability: 'not-comparable', verdict: 'not-comparable', no_answer: 2 });
    expect(row.skipped).toBeUndefined();
  }, 60_000);
});

describe('--reference', () => {
  it('refuses a document no figure comes from, with one line listing the ids `cardeval published` shows', async () => {
    const out = await cli(['run', '--reference', 'no-such-card', '--eval', 'ih-system-user-conflict', '--limit', '1', '--db', join(dir, 'ref.sqlite')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: --reference "no-such-card" names no published document; known: .*openai-o3-mini-system-card.*gpt-5-system-card/m);
  }, 30_000);
});

describe('--epochs 3 on an all-pass mock run', () => {
  it('gives a lower bound no higher than Wilson\'s for the number of distinct samples', async () => {
    const out = await cli(['run', '--eval', 'ih-system-user-conflict', '--epochs', '3', '--limit', '30', '--json', '--db', join(dir, 'epochs.sqlite')]);
    expect(out.code, out.stderr).toBe(0);
    const row = JSON.parse(out.stdout).results.find((r: any) => r.headline);
    const distinct = row.n / 3;
    expect(row.passed).toBe(row.n); // all pass
    expect(row.ci95[1]).toBe(1);
    expect(row.ci95[0]).toBeLessThanOrEqual(wilson(distinct, distinct)[0]);
    expect(row.ci95_method).toBe('cluster-robust-wilson');
    expect(row.n_effective).toBeLessThanOrEqual(distinct);
  }, 60_000);
});
