// Leases through the CLI: a killed run shows as interrupted; two concurrent `cardeval resume`
// of it: exactly one works, the other exits 2 naming the owner, and the mock sees no conversation twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli, start } from './cli.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let server: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-lease-'));
  server = await startMockServer({ latencyMs: 400 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => cleanEnv({ OPENAI_API_KEY: 'sk-test-lease-0000' });

describe('two concurrent resumes of one run', () => {
  it('one works, the other exits 2 naming the owner; no conversation reaches the server twice', async () => {
    const db = join(dir, 'lease.sqlite');
    const first = start(['run', '--db', db, '--base-url', server.url, '--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '40', '--concurrency', '2'], env());
    let stderr = '';
    first.stderr!.on('data', (d) => (stderr += d));
    // Killed once it has answers in flight: its run stays `running`, held by a dead process.
    while (server.stats().requests < 4) await new Promise((resolve) => setTimeout(resolve, 50));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('close', resolve));
    const runId = stderr.match(/run (run-\S+):/)?.[1];
    expect(runId, stderr).toBeDefined();

    const runs = await cli(['runs', '--db', db], env());
    expect(runs.stdout).toMatch(new RegExp(`${runId}.*interrupted`));

    await new Promise((resolve) => setTimeout(resolve, 500)); // answers the killed process never read are done
    server.reset();
    const [a, b] = await Promise.all([cli(['resume', runId!, '--db', db], env()), cli(['resume', runId!, '--db', db], env())]);
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.stderr}\n---\n${b.stderr}`).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr.trim()).toMatch(new RegExp(`^error: run ${runId} is being worked on by process [^:]+:\\d+ \\(last heartbeat \\d+ s ago\\); wait for it to end, or stop it first$`));

    const repeated = Object.values(server.stats().completionsByConversation).filter((n) => n > 1);
    expect(repeated).toEqual([]);
    const after = await cli(['runs', '--db', db], env());
    expect(after.stdout).toMatch(new RegExp(`${runId}.*completed`));
  }, 120_000);
});
