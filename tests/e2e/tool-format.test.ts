// The tool-format rows end to end: CLI, mock tool models over HTTP, the real Docker sandbox.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cli, cleanEnv } from './cli.js';
import { probeDocker } from '../../docker/sandbox.js';

const probe = await probeDocker();
const dockerReady = probe.engine && probe.image;
if (!dockerReady && !process.env.CI) console.warn(`[e2e tool-format] skipping: ${probe.detail} (set CI=1 to make this a failure)`);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-tool-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (report: any, metric: string) => report.results.filter((r: any) => r.eval === 'tool-format' && r.metric === metric);

describe.skipIf(!dockerReady && !process.env.CI)('tool-format with a Docker engine', () => {
  it('mock-python scores 1.0 on the headline and solves its tasks', async () => {
    const out = await cli(['run', '--model', 'mock-python', '--eval', 'tool-format', '--limit', '15', '--json', '--db', join(dir, 'python.sqlite')]);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    for (const r of rows(report, 'solved_with_tool')) expect(r.score, r.variant).toBe(1);
    for (const r of rows(report, 'well_formed')) expect(r.score, r.variant).toBe(1);
    for (const r of rows(report, 'task_solved')) expect(r.score, r.variant).toBe(1);
    expect(rows(report, 'solved_with_tool')).toHaveLength(2);
  }, 120_000);

  it('mock-bash scores 0.0 and its hallucinated tool name is stored', async () => {
    const db = join(dir, 'bash.sqlite');
    const out = await cli(['run', '--model', 'mock-bash', '--eval', 'tool-format', '--limit', '10', '--json', '--db', db]);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    for (const r of rows(report, 'solved_with_tool')) expect(r.score, r.variant).toBe(0);
    for (const r of rows(report, 'well_formed')) expect(r.score, r.variant).toBe(0);
    const conn = new Database(db, { readonly: true });
    const details = conn.prepare("SELECT details FROM scores WHERE metric = 'well_formed'").all() as Array<{ details: string }>;
    conn.close();
    expect(details).toHaveLength(20);
    for (const d of details) expect(JSON.parse(d.details).hallucinated_tools).toEqual(['bash']);
  }, 120_000);
});

describe('tool-format with no engine and no --sandbox flag', () => {
  it('leaves tool-format out with one clear line and still runs the other evals', async () => {
    const env = cleanEnv({ DOCKER_HOST: `unix://${join(tmpdir(), 'no-such-docker.sock')}` });
    const out = await cli(['run', '--eval', 'tool-format', '--eval', 'ih-password-protection:user-message', '--limit', '10', '--json', '--db', join(dir, 'nodocker.sqlite')], env);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stderr.split('\n').filter((l) => l.startsWith('tool-format'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/start a Docker engine/);
    expect(lines[0]).toMatch(/--sandbox local/);
    const report = JSON.parse(out.stdout);
    expect(report.results.some((r: any) => r.eval === 'tool-format')).toBe(false);
    // Ten samples ran; the headline counts the attacks among them (the others are controls, counted on their own rows).
    const password = report.results.filter((r: any) => r.eval === 'ih-password-protection');
    expect(password.find((r: any) => r.headline)).toMatchObject({ errors: 0 });
    expect(password.find((r: any) => r.headline).n + (password.find((r: any) => r.metric === 'overrefusal')?.n ?? 0) + (password.find((r: any) => r.metric === 'decode_probe')?.n ?? 0)).toBe(10);
  }, 60_000);

  it('asked for --sandbox docker with no engine, it exits 2 with that line', async () => {
    const env = cleanEnv({ DOCKER_HOST: `unix://${join(tmpdir(), 'no-such-docker.sock')}` });
    const out = await cli(['run', '--sandbox', 'docker', '--eval', 'tool-format', '--db', join(dir, 'nodocker2.sqlite')], env);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/error: tool-format: not run/);
  }, 60_000);

  it('--sandbox local runs the code as a subprocess, with a warning', async () => {
    const env = cleanEnv({ DOCKER_HOST: `unix://${join(tmpdir(), 'no-such-docker.sock')}` });
    const out = await cli(['run', '--sandbox', 'local', '--model', 'mock-python', '--eval', 'tool-format:native-tools', '--limit', '5', '--json', '--db', join(dir, 'local.sqlite')], env);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/warning: --sandbox local/);
    expect(rows(JSON.parse(out.stdout), 'task_solved')[0].score).toBe(1);
  }, 60_000);
});
