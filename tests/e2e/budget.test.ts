// The --max-cost budget through the CLI against a scripted OpenAI-compatible server: each request
// is reserved before it is sent (prompt counted with o200k, output priced at the request's cap), an answer over its
// reservation stops the run at once, and cost is priced by the model asked for, not the id a gateway answers with.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { cleanEnv, cli } from './cli.js';

const encoder = new Tiktoken(o200k);

interface Script {
  /** The usage the server reports for a request body. */
  usage(body: ChatBody): { prompt_tokens: number; completion_tokens: number };
  /** The model id the answer names (a gateway's or deployment's own). */
  answeredModel?: string;
}

interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  max_completion_tokens?: number;
}

/** A scripted OpenAI-compatible server: counts chat calls and the output caps it was sent, answers after 20 ms. */
async function scriptedServer(script: Script) {
  const caps: Array<number | undefined> = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.startsWith('/v1/models')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 0, owned_by: 'test' }] }));
        return;
      }
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no route', type: 'invalid_request_error' } }));
        return;
      }
      calls++;
      const body = JSON.parse(raw) as ChatBody;
      caps.push(body.max_completion_tokens ?? body.max_tokens);
      const usage = script.usage(body);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${calls}`,
            object: 'chat.completion',
            created: 0,
            model: script.answeredModel ?? body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: 'I cannot share that.' }, finish_reason: 'stop' }],
            usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
          }),
        );
      }, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, calls: () => calls, caps, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Prompt tokens as OpenAI counts a chat request: 3 per message, its content in o200k, 3 priming the reply. */
function honestPromptTokens(body: ChatBody): number {
  return 3 + body.messages.reduce((n, m) => n + 3 + encoder.encode(m.content).length, 0);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-budget-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const key = cleanEnv({ OPENAI_API_KEY: 'sk-test-budget-0000' });
const evalArgs = ['--eval', 'ih-password-protection:user-message', '--limit', '60'];

function spentOf(db: string): { cost: number; snapshots: string[] } {
  const conn = new Database(db, { readonly: true });
  try {
    const cost = (conn.prepare('SELECT cost_usd FROM runs').get() as { cost_usd: number }).cost_usd;
    const snapshots = (conn.prepare('SELECT DISTINCT model_snapshot FROM completions').all() as Array<{ model_snapshot: string }>).map((r) => r.model_snapshot);
    return { cost, snapshots };
  } finally {
    conn.close();
  }
}

describe('--max-cost holds against honest usage', () => {
  // gpt-4o: $2.50 per 1M input, $10 per 1M output. Every answer uses its whole output cap, the most an honest server
  // may bill: 4,096 × $10/1M ≈ $0.041 a call, so $1 pays for about 24 calls of the 60 asked.
  for (const concurrency of [1, 8, 32]) {
    it(`at concurrency ${concurrency}, what is spent never passes the budget`, async () => {
      const server = await scriptedServer({ usage: (b) => ({ prompt_tokens: honestPromptTokens(b), completion_tokens: b.max_completion_tokens ?? b.max_tokens ?? 4096 }) });
      servers.push(server);
      const db = join(dir, `honest-${concurrency}.sqlite`);
      const out = await cli(['run', '--db', db, '--base-url', server.url, '--model', 'gpt-4o', ...evalArgs, '--concurrency', String(concurrency), '--max-cost', '1', '--json'], key);
      expect(out.code, out.stderr).toBe(3);
      const report = JSON.parse(out.stdout);
      expect(report.run.status).toBe('budget_exceeded');
      const { cost } = spentOf(db);
      expect(cost).toBeLessThanOrEqual(1);
      expect(cost).toBeGreaterThan(0.9); // the budget is used, not left idle by pessimistic reservations
      expect(server.calls()).toBeGreaterThanOrEqual(22);
      expect(server.calls()).toBeLessThanOrEqual(24);
      // The cap that makes each reservation real is sent with every request and recorded with the run.
      expect(new Set(server.caps)).toEqual(new Set([4096]));
      expect(report.run.params.output_caps).toEqual({ 'gpt-4o': 4096 });
    }, 120_000);
  }
});

describe('resume with a larger budget', () => {
  it('goes on from what was spent, and the whole run stays within the new budget', async () => {
    const server = await scriptedServer({ usage: (b) => ({ prompt_tokens: honestPromptTokens(b), completion_tokens: b.max_completion_tokens ?? b.max_tokens ?? 4096 }) });
    servers.push(server);
    const db = join(dir, 'resume.sqlite');
    const first = await cli(['run', '--db', db, '--base-url', server.url, '--model', 'gpt-4o', ...evalArgs, '--concurrency', '8', '--max-cost', '0.5', '--json'], key);
    expect(first.code, first.stderr).toBe(3);
    const runId = JSON.parse(first.stdout).run.id;
    const before = server.calls();
    expect(spentOf(db).cost).toBeLessThanOrEqual(0.5);
    const resumed = await cli(['resume', runId, '--db', db, '--max-cost', '1', '--json'], key);
    expect(resumed.code, resumed.stderr).toBe(3);
    expect(server.calls()).toBeGreaterThan(before);
    expect(spentOf(db).cost).toBeGreaterThan(0.9);
    expect(spentOf(db).cost).toBeLessThanOrEqual(1);
    expect(new Set(server.caps)).toEqual(new Set([4096]));
  }, 120_000);
});

describe('an answer over its reservation stops the run at once', () => {
  it('row 3: 100k prompt tokens reported for a short prompt ($0.25 a call), --max-cost 1, concurrency 32: at most 4 + 32 calls, and the report says by how much', async () => {
    const server = await scriptedServer({ usage: () => ({ prompt_tokens: 100_000, completion_tokens: 5 }) });
    servers.push(server);
    const db = join(dir, 'row3.sqlite');
    const out = await cli(['run', '--db', db, '--base-url', server.url, '--model', 'gpt-4o', ...evalArgs, '--concurrency', '32', '--max-cost', '1'], key);
    expect(out.code, out.stderr).toBe(3);
    expect(server.calls()).toBeLessThanOrEqual(4 + 32);
    const { cost } = spentOf(db);
    const over = cost - 1;
    expect(over).toBeGreaterThan(0);
    // stderr and the table report both say it, in dollars.
    expect(out.stderr).toMatch(/answer cost \$0\.2500, more than the \$0\.\d+ reserved for it/);
    expect(out.stderr).toContain(`over --max-cost $1.00 by $${over.toFixed(2)}`);
    expect(out.stdout).toContain(`over --max-cost $1.00 by $${over.toFixed(2)}`);
    expect(out.stderr).toMatch(/cardeval resume run-\S+ --max-cost USD --db /);
    const report = await cli(['report', 'latest', '--db', db, '--format', 'json']);
    expect(JSON.parse(report.stdout).run.cost).toMatchObject({ max_usd: 1, over_usd: expect.closeTo(over, 6) });
  }, 120_000);

  it('row 4: priced by the model asked for; the id the server answers with is recorded beside it', async () => {
    const server = await scriptedServer({ usage: () => ({ prompt_tokens: 1e12, completion_tokens: 1e12 }), answeredModel: 'my-gateway-deployment-7' });
    servers.push(server);
    const db = join(dir, 'row4.sqlite');
    const out = await cli(['run', '--db', db, '--base-url', server.url, '--model', 'gpt-4o', ...evalArgs, '--concurrency', '8', '--max-cost', '1'], key);
    expect(out.code, out.stderr).toBe(3);
    expect(server.calls()).toBeLessThanOrEqual(8); // what was in flight when the first answer came
    const { cost, snapshots } = spentOf(db);
    // 1e12 × $2.50/1M + 1e12 × $10/1M = $12.5M a call, never "$0 + N calls of unknown price".
    expect(cost).toBeGreaterThanOrEqual(12.5e6);
    expect(snapshots).toEqual(['my-gateway-deployment-7']);
    expect(out.stdout).not.toMatch(/unknown price/);
  }, 120_000);

  it('row 4: --max-cost with a judge model of no known price refuses to start (exit 2), nothing sent', async () => {
    const server = await scriptedServer({ usage: (b) => ({ prompt_tokens: honestPromptTokens(b), completion_tokens: 5 }) });
    servers.push(server);
    const out = await cli(['run', '--db', join(dir, 'judge.sqlite'), '--base-url', server.url, '--model', 'gpt-4o', ...evalArgs, '--judge-model', 'my-judge', '--max-cost', '1'], key);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--max-cost needs a price for my-judge/);
    expect(server.calls()).toBe(0);
  }, 120_000);
});
