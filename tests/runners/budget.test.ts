// The --max-cost reservations (runners/budget.ts): waiting for room, refusing once none will come, stopping on an
// answer over its reservation. The whole run against a real server is tests/e2e/budget.test.ts.
import { describe, expect, it } from 'vitest';
import { Budget, defaultOutputCap, withBudget } from '../../runners/budget.js';
import { BudgetExceededError, RunnerError } from '../../core/errors.js';
import { loadTokenizer } from '../../runners/rate-limit.js';
import type { ChatRequest, ChatResponse, Runner, Usage } from '../../core/wire.js';

// gpt-4o: $2.50 per 1M input, $10 per 1M output. A 1,000-token cap reserves $0.01 of output.
const request: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 1000 };

/** A provider whose answers the test releases one at a time, each with the usage given. */
function heldProvider() {
  const pending: Array<(usage: Usage) => void> = [];
  let sent = 0;
  const runner: Runner = {
    name: 'held',
    complete: () =>
      new Promise<ChatResponse>((resolve) => {
        sent++;
        pending.push((usage) => resolve({ content: 'ok', tool_calls: [], finish_reason: 'stop', usage, model: 'gpt-4o', latency_ms: 1, raw: {} }));
      }),
  };
  return { runner, sent: () => sent, answer: (usage: Usage) => pending.shift()!(usage) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
// What OpenAI bills for "hi" (3 per message, 1 for the text, 3 priming the reply), and the whole output cap.
const honest = { prompt_tokens: 7, completion_tokens: 1000, total_tokens: 1007 };

describe('Budget', () => {
  it('reserves the prompt (o200k, with a margin) and the whole output cap at the requested model’s price', async () => {
    await loadTokenizer();
    // "hi" is 1 token; framing 3 + 4: 8 tokens, reserved as ceil(8 × 1.1) + 64 = 73 × $2.50/1M, + 1,000 × $10/1M.
    expect(new Budget(1).worstCase(request)).toBeCloseTo(73 * 2.5e-6 + 1000 * 1e-5, 12);
  });

  it('a request waits while those in flight hold the room it needs, and goes once one settles', async () => {
    const provider = heldProvider();
    const budget = new Budget(0.025); // room for two reservations of about $0.01
    const runner = withBudget(provider.runner, budget);
    const calls = [runner.complete(request), runner.complete(request), runner.complete(request)];
    await tick();
    expect(provider.sent()).toBe(2);
    provider.answer({ prompt_tokens: 7, completion_tokens: 100, total_tokens: 107 }); // $0.001 spent, its $0.0102 freed
    await tick();
    expect(provider.sent()).toBe(3);
    provider.answer(honest);
    provider.answer(honest);
    await Promise.all(calls);
    expect(budget.spentUsd).toBeLessThanOrEqual(0.025);
  });

  it('once nothing is in flight and the next request does not fit, it is refused and the budget stops', async () => {
    const provider = heldProvider();
    const budget = new Budget(0.015, 0.006); // $0.009 left: a $0.01 reservation never fits
    const error = await withBudget(provider.runner, budget).complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as RunnerError).kind).toBe('budget');
    expect(budget.signal.aborted).toBe(true);
    expect(provider.sent()).toBe(0);
    expect(budget.reason).toMatch(/the next request may cost \$0\.0102, and \$0\.0090 of --max-cost \$0\.0150 is left/);
  });

  it('an answer over its reservation stops the budget at once: requests waiting are refused, never sent', async () => {
    const provider = heldProvider();
    const budget = new Budget(0.015);
    const runner = withBudget(provider.runner, budget);
    const first = runner.complete(request);
    const waiting = runner.complete(request).catch((e: unknown) => e);
    await tick();
    provider.answer({ prompt_tokens: 100_000, completion_tokens: 5, total_tokens: 100_005 }); // $0.25
    await first;
    expect(await waiting).toBeInstanceOf(BudgetExceededError);
    expect(provider.sent()).toBe(1);
    expect(budget.overrun).toMatchObject({ model: 'gpt-4o', chargedUsd: expect.closeTo(0.25005, 8) });
  });

  it('a failed request gives its reservation back; close() refuses the requests still waiting', async () => {
    const failing: Runner = { name: 'down', complete: async () => Promise.reject(new RunnerError('server error (500)', { retryable: true, fatal: false, kind: 'server' })) };
    const budget = new Budget(0.015);
    await expect(withBudget(failing, budget).complete(request)).rejects.toThrow('server error');
    const provider = heldProvider();
    const runner = withBudget(provider.runner, budget);
    const sent = runner.complete(request); // the reservation was given back: this one fits
    const waiting = runner.complete(request).catch((e: unknown) => e);
    await tick();
    budget.close(new Error('interrupted'));
    provider.answer(honest);
    await sent;
    expect(((await waiting) as Error).message).toBe('interrupted');
    expect(provider.sent()).toBe(1);
  });

  it('default output caps: 25,000 tokens for reasoning models, 4,096 for others', () => {
    expect(defaultOutputCap('o3-mini')).toBe(25_000);
    expect(defaultOutputCap('gpt-4o')).toBe(4_096);
  });
});
