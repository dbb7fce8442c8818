// `cardeval compare` as a user runs it: real runs against the built-in mock, then the gate's exit code and output.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli.js';
import { projectRoot } from '../../core/root.js';

const variants = [
  'ih-password-protection:user-message',
  'ih-password-protection:developer-message',
  'ih-phrase-protection:user-message',
  'ih-phrase-protection:developer-message',
];

let dir: string;
const db = () => join(dir, 'compare.sqlite');
const runs: Record<'hierarchy' | 'again' | 'obedient' | 'fewer' | 'password' | 'phrase', string> = {} as never;

/** Starts a run with no key (the built-in mock) and returns its id. */
async function run(args: string[]): Promise<string> {
  const out = await cli(['run', '--json', '--db', db(), ...args]);
  if (out.code !== 0) throw new Error(`cardeval run ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
  return JSON.parse(out.stdout).run.id;
}

describe('through the CLI, on runs against the built-in mock', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-compare-'));
    const evals = variants.flatMap((v) => ['--eval', v]);
    runs.hierarchy = await run([...evals, '--limit', '40']);
    runs.again = await run([...evals, '--limit', '40']);
    runs.obedient = await run([...evals, '--limit', '40', '--model', 'mock-obedient']);
    runs.fewer = await run([...evals, '--limit', '20']);
    runs.password = await run(['--eval', 'ih-password-protection:user-message', '--limit', '5']);
    runs.phrase = await run(['--eval', 'ih-phrase-protection:user-message', '--limit', '5']);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('cardeval compare on two runs of mock-hierarchy', () => {
    it('exits 0 and reports no regression', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.again, '--db', db()]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^no regression \(\d+ gated rows: sign-flip test on samples/m);
    });

    it('--format json: every headline row paired on 40 samples, identical, not a regression', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.again, '--format', 'json', '--db', db()]);
      expect(out.code).toBe(0);
      const cmp = JSON.parse(out.stdout);
      const headline = cmp.results.filter((r: any) => r.headline);
      expect(headline.map((r: any) => `${r.eval}:${r.variant}`).sort()).toEqual([...variants].sort());
      for (const r of headline) {
        // --limit 40 draws 40 samples; the control rows among them are not headline items.
        expect(r).toMatchObject({ difference: 0, p_value: 1, regression: false, outcome: 'unchanged' });
        expect(r.n).toBeGreaterThanOrEqual(30);
        expect(r.n).toBeLessThanOrEqual(40);
        expect(Object.keys(r)).toEqual(expect.arrayContaining(['base_score', 'candidate_score', 'difference_ci95', 'p_holm']));
      }
    });
  });

  describe('cardeval compare mock-hierarchy → mock-obedient', () => {
    it('exits 1 and names every row as a regression', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.obedient, '--db', db()]);
      expect(out.code, out.stderr).toBe(1);
      expect(out.stdout).toMatch(/^REGRESSION in \d+ of \d+ rows/m);
      for (const v of variants) expect(out.stdout).toMatch(new RegExp(`^  regression: ${v} accuracy `, 'm'));
    });

    it('--format markdown exits 1 with a table whose every row is a regression', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.obedient, '--format', 'markdown', '--db', db()]);
      expect(out.code).toBe(1);
      for (const v of variants) {
        const [id, variant] = v.split(':');
        expect(out.stdout).toMatch(new RegExp(`^\\| ${id} \\| ${variant} \\| accuracy \\| higher \\| \\d+ \\|.*\\*\\*REGRESSION\\*\\* \\|$`, 'm'));
      }
    });

    it('--max-drop 1 tolerates any drop and exits 0', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.obedient, '--max-drop', '1', '--db', db()]);
      expect(out.code).toBe(0);
    });
  });

  describe('cardeval compare on different item sets', () => {
    it('compares the shared items of a smaller run, with a warning on stderr', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.fewer, '--format', 'json', '--db', db()]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toMatch(/^warning: the runs have different item sets: comparing the 80 items both have with the same content/m);
      expect(JSON.parse(out.stdout).items).toEqual({ base: 160, candidate: 80, shared: 80, data_changed: 0 });
    });

    it('refuses runs of different evals, exit 2, naming both', async () => {
      const out = await cli(['compare', runs.password, runs.phrase, '--db', db()]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(
        /error: cannot compare: base run \S+ \(5 items\) and candidate run \S+ \(5 items\) share no item; they ran different evals \(base: ih-password-protection:user-message; candidate: ih-phrase-protection:user-message\)/,
      );
    });

    it('rejects a bad --alpha with exit 2', async () => {
      const out = await cli(['compare', runs.hierarchy, runs.again, '--alpha', '2', '--db', db()]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/--alpha <a>' argument '2' is invalid\. It must be a number between 0 and 1/);
    });
  });

  describe('cardeval report in the new formats', () => {
    it('writes a self-contained HTML file with --out', async () => {
      const file = join(dir, 'report.html');
      const out = await cli(['report', runs.obedient, '--format', 'html', '--out', file, '--db', db()]);
      expect(out.code, out.stderr).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    });

    // No card publishes mock-obedient, and a verdict never borrows another model's figure: every row is no-published,
    // so nothing fails (tests/results/formats/junit.test.ts fails a row below its own model's figure).
    it('prints JUnit with no failure where no figure of the run\'s model is published', async () => {
      const out = await cli(['report', runs.obedient, '--format', 'junit', '--db', db()]);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/failures="0"/);
      expect((out.stdout.match(/accuracy: score 0\.\d\d n \d+ no_answer 0 uncertain 0 verdict no-published/g) ?? []).length).toBe(variants.length);
    });

    it('prints Markdown with one table row per result', async () => {
      const out = await cli(['report', runs.hierarchy, '--format', 'markdown', '--db', db()]);
      expect(out.code).toBe(0);
      for (const v of variants) expect(out.stdout).toContain(`| ${v.replace(':', ' | ')} | accuracy |`);
    });
  });
});

describe('the GitHub Actions example', () => {
  it('is shown verbatim in the README, so the copy and the docs cannot drift', () => {
    const workflow = readFileSync(join(projectRoot, 'examples', 'github-actions', 'cardeval.yml'), 'utf8');
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    expect(readme).toContain('```yaml\n' + workflow + '```');
  });

  it('replays on pull requests with no key and gates the nightly API run with compare', () => {
    const workflow = readFileSync(join(projectRoot, 'examples', 'github-actions', 'cardeval.yml'), 'utf8');
    const [nightly, pullRequest] = workflow.split(/^  pull-request:$/m);
    expect(pullRequest).toMatch(/--cache replay/);
    expect(pullRequest).not.toMatch(/OPENAI_API_KEY/);
    expect(pullRequest).toMatch(/--format markdown/);
    expect(nightly).toMatch(/OPENAI_API_KEY: \$\{\{ secrets\.OPENAI_API_KEY \}\}/);
    expect(nightly).toMatch(/exit \$code/);
  });
});
