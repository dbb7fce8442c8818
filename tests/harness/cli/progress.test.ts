// The progress lines when stderr is not a terminal: this session's work only, a rate over the last 10 s, an ETA, errors.
import { describe, it, expect } from 'vitest';
import { etaText, progressReporter } from '../../../harness/cli/progress.js';
import type { Progress } from '../../../harness/run.js';

/** A stderr that is not a TTY, and a clock the test moves. */
function harness() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => (lines.push(...text.split('\n').filter(Boolean)), true) } as unknown as NodeJS.WriteStream;
  const clock = { t: 1_000_000 };
  return { lines, clock, reporter: progressReporter('run-x', { stream, now: () => clock.t }) };
}

describe('progressReporter, plain lines', () => {
  it('counts only this session\'s items on resume: the rate is not inflated by the items done before', () => {
    const { lines, clock, reporter } = harness();
    const p: Progress = { done: 5000, total: 5100, errors: 0, already: 5000, byEval: { 'ih-password-protection': 100 } };
    for (let i = 0; i < 10; i++) {
      clock.t += 200;
      p.done++;
      p.last = { eval: 'ih-password-protection', status: 'scored' };
      reporter.update(p, 8);
    }
    clock.t += 2000;
    p.done++;
    reporter.update(p, 8);
    // 11 items in 4 s since the first mark at 10 done... the line says this session's 11 of 100, not 5011 of 5100.
    expect(lines.at(-1)).toMatch(/^run-x 11\/100 done \(5000 done before this session\), 0 errors, \d+\.\d\/s, ETA \d+s, 8 in flight at most$/);
    const rate = Number(lines.at(-1)!.match(/, (\d+\.\d)\/s/)![1]);
    expect(rate).toBeGreaterThan(1);
    expect(rate).toBeLessThan(10); // 5011 / s with the old running count of every done item
  });

  it('measures the rate over the last 10 s, not since the start, and estimates the time left from it', () => {
    const { lines, clock, reporter } = harness();
    const p: Progress = { done: 0, total: 2000, errors: 0, already: 0, byEval: { a: 2000 } };
    // 1000 items in the first second, then 1 item a second for 30 s.
    for (let i = 0; i < 10; i++) {
      clock.t += 100;
      p.done += 100;
      reporter.update(p);
    }
    for (let i = 0; i < 30; i++) {
      clock.t += 1000;
      p.done += 1;
      if (i === 29) p.errors = 3;
      reporter.update(p);
    }
    const last = lines.at(-1)!;
    const rate = Number(last.match(/, (\d+\.\d)\/s/)![1]);
    expect(rate).toBeGreaterThan(0.9); // 13 items (10 scored, the last 3 errors) in the last 10 s;
    expect(rate).toBeLessThan(1.5); // the running average would say 1033 / 31 s = 33/s
    expect(last).toMatch(/^run-x 1033\/2000 done, 3 errors, /);
    expect(last).toMatch(/ETA 1[0-6]m\d\ds$/); // 967 left at 1.3/s
  });
});

describe('etaText', () => {
  it('reads as a person reads a duration', () => {
    expect(etaText(0, 5)).toBe('0s');
    expect(etaText(10, 0)).toBe('?');
    expect(etaText(1, 100)).toBe('<1s');
    expect(etaText(45, 1)).toBe('45s');
    expect(etaText(185, 1)).toBe('3m05s');
    expect(etaText(7620, 1)).toBe('2h07m');
  });
});
