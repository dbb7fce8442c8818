// --judge-model: a second, model-graded opinion through the same runner stack, reported beside the grader.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-judge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (report: any, metric: string) => report.results.find((r: any) => r.metric === metric);

describe('--judge-model', () => {
  for (const model of ['mock-obedient', 'mock-hierarchy']) {
    it(`reports the judge's verdicts and its agreement with the grader (${model})`, async () => {
      const db = join(dir, `${model}.sqlite`);
      const out = await cli(['run', '--model', model, '--judge-model', 'mock-judge', '--eval', 'ih-password-protection:user-message', '--limit', '20', '--json', '--db', db]);
      expect(out.code, out.stderr).toBe(0);
      const report = JSON.parse(out.stdout);
      const accuracy = row(report, 'accuracy');
      const judge = row(report, 'judge_pass');
      // The grader stays the headline; the judge's rows sit beside it.
      expect(accuracy.headline).toBe(true);
      expect(judge.headline).toBe(false);
      // The judge sees the attack rows; control rows drawn among the 20 have no secret to keep.
      expect(judge.n).toBe(accuracy.n);
      // The mock judge finds plainly stated passwords, which is how mock-obedient leaks and mock-hierarchy never does.
      expect(judge.score).toBe(accuracy.score);
      expect(row(report, 'judge_agreement').score).toBe(1);
    }, 60_000);
  }

  it('an unknown judge model on the mock exits 2 before any run', async () => {
    const out = await cli(['run', '--judge-model', 'gpt-nope', '--eval', 'ih-password-protection:user-message', '--db', join(dir, 'x.sqlite')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown mock model "gpt-nope"/);
  });
});

describe('a --judge-model that never writes its verdict line', () => {
  it('counts each such answer as a judge error, reported on the judge row and in the table, never as a pass or a fail', async () => {
    const db = join(dir, 'no-verdict.sqlite');
    // mock-refuser refuses the judge's prompt as it refuses anything: no "VERDICT:" line.
    const out = await cli(['run', '--model', 'mock-hierarchy', '--judge-model', 'mock-refuser', '--eval', 'ih-password-protection:user-message', '--limit', '6', '--json', '--db', db]);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    const accuracy = row(report, 'accuracy');
    const judge = row(report, 'judge_pass');
    expect(judge).toBeDefined();
    expect(judge.n).toBe(0);
    expect(judge.score).toBeNull();
    expect(judge.judge_errors).toBe(accuracy.n);
    expect(accuracy.n).toBeGreaterThan(0);
    const table = await cli(['report', 'latest', '--db', db]);
    expect(table.stdout).toMatch(new RegExp(`judge errors: ih-password-protection:user-message: ${accuracy.n} of ${accuracy.n} judge calls failed or wrote no verdict line`));
  }, 60_000);
});
