// The command-line grammar as a user meets it: per-command options, refused values (exit 2, nothing written), resume's
// overrides taking effect, --version, and dry-run estimates that follow --shard.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinEvals } from '../../evals/index.js';
import { cli, cleanEnv, startMockServerProcess } from './cli.js';
import { projectRoot } from '../../core/root.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-cli-options-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One CLI start is 2–5 s on an idle machine; a shared, loaded one may take several times that. */
const CLI_MS = 60_000;

describe('refused usage exits 2, names the problem and writes nothing', () => {
  // Each case runs in its own empty working directory with no --db: the default database would appear there.
  const cases: Array<[string, string[], RegExp]> = [
    ['an option of another command', ['runs', '--rpm', '5'], /unknown option '--rpm'/],
    ['a stray positional', ['run', 'stray', '--limit', '1'], /too many arguments for 'run'/],
    ['an option published does not take', ['published', '--concurrency', '2'], /unknown option '--concurrency'/],
    ['a malformed ID:VARIANT', ['run', '--eval', 'ih-tutor-jailbreak:system-message:x'], /--eval.*'ih-tutor-jailbreak:system-message:x' is invalid.*ID:VARIANT/],
    ['a timeout past what setTimeout can wait', ['run', '--timeout', '99999999'], /--timeout.*'99999999' is invalid.*1 to 2147483/],
    ['a fractional --limit', ['run', '--limit', '1.5'], /--limit.*'1\.5' is invalid/],
    ['a seed past 32 bits', ['run', '--seed', '4294967296'], /--seed.*is invalid/],
    ['an unknown --format', ['report', '--format', 'pdf'], /--format.*'pdf' is invalid.*table, markdown, json, junit, html/],
    ['a run option resume may not change', ['resume', 'RUN', '--model', 'x'], /resume: --model is fixed by the run; resume takes only --timeout, --concurrency, --max-concurrency, --rpm, --tpm, --max-retries, --max-cost/],
    ['--max-concurrency beside a fixed --concurrency', ['run', '--concurrency', '4', '--max-concurrency', '64'], /--max-concurrency caps adaptive concurrency, and this run's concurrency is fixed at 4 \(--concurrency\); give one of them/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: cardeval ${args.join(' ')}`, async () => {
      const cwd = mkdtempSync(join(dir, 'cwd-'));
      const result = await cli(args, cleanEnv(), cwd);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync(join(cwd, '.cardeval'))).toBe(false);
    }, CLI_MS);
  }
});

describe('--version and --help', () => {
  it('--version prints the version in package.json', async () => {
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version);
  }, CLI_MS);

  it('--help documents the exit codes, the internal-error code included', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const line of [/^\s+1\s+a gate failed/m, /^\s+2\s+bad usage/m, /^\s+3\s+the run ended incomplete/m, /^\s+70\s+internal error/m]) expect(result.stdout).toMatch(line);
  }, CLI_MS);

  it('each command has its own --help listing only its options', async () => {
    const result = await cli(['resume', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--timeout <seconds>/);
    expect(result.stdout).not.toMatch(/--model/);
  }, CLI_MS);
});

describe('cardeval resume RUN --timeout', () => {
  it('replaces the stored timeout: a run whose requests timed out at 1 s completes when resumed with --timeout 3', async () => {
    // The server answers every model call after 2 s: 1 s is too short, 3 s is enough.
    const server = await startMockServerProcess(['--latency-ms', '2000']);
    const db = join(dir, 'resume.sqlite');
    try {
      const base = ['--base-url', server.url, '--model', 'mock-obedient', '--cache', 'off', '--db', db];
      const first = await cli(['run', '--eval', 'ih-password-protection:user-message', '--limit', '2', '--timeout', '1', '--max-retries', '0', ...base]);
      expect(first.code, first.stderr).toBe(3);
      expect(first.stderr).toMatch(/timeout/i);
      const runId = first.stderr.match(/run (run-\S+) is incomplete/)?.[1];
      expect(runId, first.stderr).toBeDefined();

      const again = await cli(['resume', runId!, '--timeout', '3', '--json', '--db', db]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/timeout_s 1 → 3/);
      const report = JSON.parse(again.stdout);
      expect(report.run.status).toBe('completed');
      expect(report.run.params.timeout_s).toBe(3);
      expect(report.run.params.max_retries).toBe(0);
    } finally {
      await server.stop();
    }
  }, 4 * CLI_MS);
});

describe('run --dry-run --shard', () => {
  const passwordVariants = builtinEvals.find((e) => e.id === 'ih-password-protection')!.variants.length;
  const requests = async (extra: string[]) => {
    const result = await cli(['run', '--dry-run', '--eval', 'ih-password-protection', ...extra, '--db', join(dir, 'never.sqlite')]);
    expect(result.code, result.stderr).toBe(0);
    return Number(result.stdout.match(/: (\d+) requests/)![1]);
  };

  it('estimates a quarter of the unsharded requests per shard (±1 per variant), the four shards summing to the whole', async () => {
    const whole = await requests([]);
    const shards = [];
    for (let i = 1; i <= 4; i++) shards.push(await requests(['--shard', `${i}/4`]));
    // Each shard is within one sample per variant of a quarter.
    for (const n of shards) expect(Math.abs(n - whole / 4)).toBeLessThanOrEqual(passwordVariants);
    expect(shards.reduce((a, b) => a + b, 0)).toBe(whole);
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
  }, 4 * CLI_MS);

  it('applies --limit before --shard, as the run itself does', async () => {
    // 10 per variant, every 4th from the first: 3 per variant.
    expect(await requests(['--limit', '10', '--shard', '1/4'])).toBe(3 * passwordVariants);
  }, 2 * CLI_MS);
});

describe('cardeval published --eval and --model', () => {
  it('filters by both', async () => {
    const result = await cli(['published', '--eval', 'ih-tutor-jailbreak', '--model', 'o3-mini', '--db', join(dir, 'published.sqlite')]);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/ ih-tutor-jailbreak .* o3-mini /);
  }, CLI_MS);
});

describe('an unexpected error', () => {
  // An eval module whose conversation throws a plain Error: a bug, not bad usage.
  const writeModule = () => {
    const file = join(dir, 'broken-eval.ts');
    writeFileSync(file, `import { defineEval, z } from ${JSON.stringify(join(projectRoot, 'core', 'index.ts'))};
export default defineEval({
  id: 'broken', title: 'Broken', variants: ['default'], sampleSchema: z.object({ id: z.string() }),
  dataset: () => ({ path: ${JSON.stringify(join(dir, 'broken.jsonl'))} }),
  conversation: () => { throw new TypeError('boom in conversation'); },
  grade: () => ({ pass: true, reason: '' }), graderVersion: '1',
  metrics: [{ name: 'accuracy', description: '', headline: true }],
});
`);
    writeFileSync(join(dir, 'broken.jsonl'), '{"id":"a"}\n');
    return file;
  };

  it('exits 70 with one line and no stack; --debug or CARDEVAL_DEBUG=1 adds the stack', async () => {
    const args = ['run', '--dry-run', '--eval-module', writeModule(), '--eval', 'broken'];
    const plain = await cli(args);
    expect(plain.code, plain.stderr).toBe(70);
    expect(plain.stderr).toMatch(/^internal error: boom in conversation \(--debug or CARDEVAL_DEBUG=1 shows the stack\)$/m);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await cli(args, cleanEnv({ CARDEVAL_DEBUG: '1' }));
    expect(debug.code).toBe(70);
    expect(debug.stderr).toMatch(/TypeError: boom in conversation\n\s+at /);
  }, 4 * CLI_MS);
});
