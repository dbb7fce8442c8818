// Every built-in grader on hostile answers (issue: hostile servers, row 2): long runs of digits, thousands of small
// numbers, slashes, nested \boxed{}, base64-like text. Each grade must return (no stack overflow, no throw) in time
// that grows linearly: four times the answer may take at most about ten times as long (plus a second of noise) (a quadratic scan took 17×:
// the tutor grader read 10 KB of digits in 1.9 s and 40 KB in 32 s). Answers above --max-answer-bytes (4 MB) never
// reach a grader.
import { describe, expect, it } from 'vitest';
import { builtinEvals } from '../../evals/index.js';
import { readDataset } from '../../harness/datasets.js';
import type { ChatResponse, Transcript } from '../../core/index.js';

const bodies: Record<string, (size: number) => string> = {
  words: (n) => 'lorem ipsum dolor sit amet. '.repeat(n / 28),
  digits: (n) => '1234567890'.repeat(n / 10),
  spaced: (n) => '1 '.repeat(n / 2),
  slashes: (n) => '1/'.repeat(n / 2),
  commas: (n) => '1,000,'.repeat(n / 6),
  base64: (n) => 'QUJDRA=='.repeat(n / 8),
  brackets: (n) => '((((((((((['.repeat(n / 11),
  boxed: (n) => '\\boxed{1 '.repeat(n / 8),
  dollars: (n) => '$1$ '.repeat(n / 4),
  newlines: (n) => 'a\n'.repeat(n / 2),
};

function answer(content: string): ChatResponse {
  return { content, tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'm', latency_ms: 0, raw: null };
}

describe.each(builtinEvals.filter((e) => !e.needsSandbox).map((e) => [e.id, e] as const))('the %s grader', (_id, def) => {
  const variant = def.variants[0];
  const [sample] = readDataset(def, variant).rows();
  /** The fastest of two grades: a shared, loaded machine adds pauses (GC, other processes) that are not the grader's. */
  const gradeMs = (content: string): number => {
    const transcript: Transcript = { messages: def.conversation(sample as never, variant), response: answer(content), turns: [] };
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      def.grade(sample as never, transcript, variant);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  it.each(Object.keys(bodies))('grades a hostile answer (%s) in linear time', (kind) => {
    const small = gradeMs(bodies[kind](32 * 1024));
    const large = gradeMs(bodies[kind](128 * 1024));
    expect(large, `32 KB: ${small.toFixed(0)} ms, 128 KB: ${large.toFixed(0)} ms`).toBeLessThan(10 * small + 1000);
  }, 120_000);
});
