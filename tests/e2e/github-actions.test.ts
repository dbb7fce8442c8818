// The GitHub Actions example run as written: the YAML validated, then each job's `run:` steps in order in one work tree
// (the workflow's env exported, `${{ matrix.* }}` expanded per shard, $GITHUB_STEP_SUMMARY a file; `uses:` steps,
// `npm ci` and `gh` skipped: the work tree links this cardeval, and the cache between jobs is the work tree itself).
// Nightly: the four shards against `cardeval mock-server` through OPENAI_BASE_URL with a key, then the merge job.
// Pull request: no key, no URL, the mock server stopped: every answer replays from the fixtures and the comparison is made.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import Database from 'better-sqlite3';
import { validateWorkflow } from '@action-validator/core';
import { projectRoot } from '../../core/root.js';
import { bin, cleanEnv, startMockServerProcess } from './cli.js';

const file = join(projectRoot, 'examples', 'github-actions', 'cardeval.yml');
const text = readFileSync(file, 'utf8');

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Job {
  strategy?: { matrix?: Record<string, unknown[]> };
  env?: Record<string, string>;
  steps: Step[];
}

/** What this test changes of the workflow's own env: a small selection, and a mock model instead of o3-mini. */
const overrides = { CARDEVAL_RUN: '--eval ih-password-protection:user-message --eval ih-phrase-protection:user-message --limit 6 --seed 1', CARDEVAL_MODEL: '--model mock-hierarchy' };
const key = 'sk-workflow-test-' + 'w'.repeat(24);

let work: string;
let summary: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cardeval-workflow-'));
  summary = join(work, '..', `${work.split('/').at(-1)}-summary.md`);
  writeFileSync(summary, '');
  // The checkout and `npm ci`: `npx cardeval` in the work tree runs this repository's cardeval.
  mkdirSync(join(work, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(bin, join(work, 'node_modules', '.bin', 'cardeval'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(summary, { force: true });
});

/** `${{ ... }}` as GitHub would expand it for this job and shard. */
function expand(value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in context)) throw new Error(`the test does not know \${{ ${expr} }}`);
    return context[expr];
  });
}

/** Runs one job's `run:` steps in order, as GitHub's bash does (-e, pipefail); returns the steps it ran. */
function runJob(name: string, context: Record<string, string>, endpoint: Record<string, string>): string[] {
  const workflow = parse(text) as { env: Record<string, string>; jobs: Record<string, Job> };
  const job = workflow.jobs[name];
  const ran: string[] = [];
  for (const step of job.steps) {
    if (step.uses || !step.run || step.run.trim() === 'npm ci' || /^\s*gh\s/m.test(step.run)) continue;
    const env: NodeJS.ProcessEnv = { ...cleanEnv(), ...workflow.env, ...overrides, ...job.env, GITHUB_STEP_SUMMARY: summary, CI: 'true' };
    delete env.OPENAI_BASE_URL;
    Object.assign(env, endpoint);
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v), context);
    if (endpoint.OPENAI_API_KEY === undefined) delete env.OPENAI_API_KEY;
    const out = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run, context)], { cwd: work, env, encoding: 'utf8' });
    expect(out.status, `${name}: ${step.name ?? step.run}\n${out.stderr}\n${out.stdout}`).toBe(0);
    ran.push(step.name ?? step.run);
  }
  return ran;
}

describe('the GitHub Actions example', () => {
  it('is a valid workflow (action-validator)', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  it('records nightly over a sharded matrix, merges, then replays a pull request with no key and compares', async () => {
    const workflow = parse(text) as { jobs: Record<string, Job> };
    const shards = workflow.jobs.nightly.strategy!.matrix!.shard as number[];
    expect(shards.length).toBeGreaterThan(1);
    const mock = await startMockServerProcess();
    const github = { 'github.run_id': '1', 'github.token': '', 'github.event.pull_request.number': '1', 'secrets.OPENAI_API_KEY': key };
    let sent: number;
    try {
      for (const shard of shards) {
        const context = { ...github, 'matrix.shard': String(shard), 'strategy.job-total': String(shards.length) };
        expect(runJob('nightly', context, { OPENAI_BASE_URL: mock.url, OPENAI_API_KEY: key })).toHaveLength(1);
      }
      for (const shard of shards) expect(readFileSync(join(work, 'shards', `fixtures-${shard}.jsonl`), 'utf8').length).toBeGreaterThan(0);
      runJob('nightly-merge', github, {});
      const stats = await (await fetch(mock.url.replace(/\/v1$/, '') + '/_mock/stats')).json();
      sent = stats.byEndpoint['/v1/chat/completions'];
    } finally {
      await mock.stop(); // the pull request must not need it
    }
    // The merged night: one run of every item, one fixture per answer, the baseline in place.
    const night = JSON.parse(readFileSync(join(work, 'candidate.json'), 'utf8'));
    const db = new Database(join(work, '.cardeval', 'cardeval.sqlite'), { readonly: true });
    const items = (db.prepare("SELECT COUNT(*) AS n FROM items WHERE run_id = ? AND status = 'scored'").get(night.run.id) as { n: number }).n;
    db.close();
    const fixtures = readFileSync(join(work, '.cardeval', 'fixtures.jsonl'), 'utf8').trim().split('\n').length;
    expect({ status: night.run.status, items, sent, fixtures }).toEqual({ status: 'completed', items: 2 * 6, sent: 2 * 6, fixtures: 2 * 6 });
    expect(readFileSync(join(work, '.cardeval', 'baseline-run'), 'utf8').trim()).toBe(night.run.id);
    expect(readFileSync(summary, 'utf8')).toMatch(/No baseline yet/);

    // The pull request: no key, no URL, the server gone.
    const ran = runJob('pull-request', github, {});
    expect(ran).toHaveLength(2);
    const pr = JSON.parse(readFileSync(join(work, 'candidate.json'), 'utf8'));
    expect(pr.run.status).toBe('completed');
    // Every answer replayed: the same rows as the night, none in error.
    expect(pr.results.map((r: { errors: number }) => r.errors)).toEqual(night.results.map(() => 0));
    expect(pr.results.map((r: { n: number }) => r.n)).toEqual(night.results.map((r: { n: number }) => r.n));
    const comparison = readFileSync(join(work, 'comparison.md'), 'utf8');
    expect(comparison).toContain(night.run.id);
    expect(comparison).toContain(pr.run.id);
    expect(comparison).toMatch(/ih-password-protection/);
    expect(readFileSync(summary, 'utf8')).toContain(comparison.trim().split('\n')[0]);
    expect(existsSync(join(work, '.cardeval', 'cardeval.sqlite'))).toBe(true);
  }, 600_000);
});
