// The --max-cost budget: each request's worst case reserved before it is sent, what it cost settled when it answers.
import { BudgetExceededError } from '../core/errors.js';
import { usd as dollars } from '../core/format.js';
import { capabilitiesFor } from './capabilities.js';
import { costOf } from './pricing.js';
import { estimatePromptTokens, loadTokenizer } from './rate-limit.js';
import type { CallOptions, ChatRequest, ChatResponse, Runner, Usage } from '../core/wire.js';

/**
 * The output cap a `--max-cost` run sends with a request that sets none, so that its reservation is real: 25,000
 * tokens for reasoning models (OpenAI's advice for reasoning and answer together), 4,096 for the others (under every
 * chat model's own output limit).
 */
export function defaultOutputCap(model: string): number {
  return capabilitiesFor(model).reasoningEffort ? 25_000 : 4_096;
}

/** The first answer that cost more than was reserved for it (a server reporting more usage than the request allows). */
export interface Overrun {
  model: string;
  reservedUsd: number;
  chargedUsd: number;
}

/** Dollars compared at a millionth of a cent: sums of float prices must not refuse a request that fits exactly. */
const EPSILON = 1e-8;

/**
 * Prompt tokens reserved for what o200k_base cannot see: the API's own rendering of tools and of a reasoning model's
 * messages. 10% and 64 tokens: cheap beside the output cap, and an honest answer that uses its whole cap still fits.
 */
export function promptReserve(estimate: number): number {
  return Math.ceil(estimate * 1.1) + 64;
}

/**
 * Reservations against `maxUsd`. A request waits while the requests in flight hold the room it needs, and is refused
 * (BudgetExceededError) once nothing is in flight and it still does not fit: with honest usage, what is spent never
 * passes the budget. An answer that costs more than its reservation stops the budget at once; that excess is the only
 * overshoot possible. Priced by the model asked for, whatever id the server answers with.
 *
 * @example
 * const budget = new Budget(5, run.cost_usd);
 * const runner = withBudget(provider, budget); // under the cache: a cache hit reserves nothing
 */
export class Budget {
  private reserved = 0;
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private readonly stopped = new AbortController();
  private closedWith: Error | undefined;
  private refusal: string | undefined;
  overrun: Overrun | undefined;

  constructor(
    readonly maxUsd: number,
    private spent = 0,
    private readonly options: { batch?: boolean } = {},
  ) {}

  get spentUsd(): number {
    return this.spent;
  }

  /** Aborted once nothing more may be sent: no room is left, or an answer passed its reservation. */
  get signal(): AbortSignal {
    return this.stopped.signal;
  }

  /** Why the budget stopped, in one line. */
  get reason(): string | undefined {
    if (this.overrun) {
      const o = this.overrun;
      return `an answer cost ${dollars(o.chargedUsd)}, more than the ${dollars(o.reservedUsd)} reserved for it (the server reported more usage than the request could use): stopped at once`;
    }
    return this.refusal;
  }

  /** What a request may cost at most: its prompt (o200k_base, with `promptReserve`'s margin) and its whole output cap, at the requested model's price. */
  worstCase(request: ChatRequest): number {
    const cap = request.max_completion_tokens;
    if (cap === undefined) throw new Error(`a --max-cost run must send an output cap (request for ${request.model} has none)`);
    const prompt = promptReserve(estimatePromptTokens(request));
    const { usd } = costOf(request.model, { prompt_tokens: prompt, completion_tokens: cap, total_tokens: prompt + cap }, { batch: this.options.batch });
    if (usd === null) throw new BudgetExceededError(`--max-cost cannot hold: the price table has no price for ${request.model}`);
    return usd;
  }

  /** Reserves a request's worst case, waiting for room; resolves with the dollars reserved. */
  async reserve(request: ChatRequest): Promise<number> {
    await loadTokenizer(); // counts made before it loads would be bytes / 4
    const usd = this.worstCase(request);
    for (;;) {
      if (this.stopped.signal.aborted) throw new BudgetExceededError(this.reason ?? 'the budget is spent');
      if (this.closedWith) throw this.closedWith;
      if (this.spent + this.reserved + usd <= this.maxUsd + EPSILON) {
        this.reserved += usd;
        this.inFlight++;
        return usd;
      }
      if (this.inFlight === 0) {
        this.refusal = `the next request may cost ${dollars(usd)}, and ${dollars(this.maxUsd - this.spent)} of --max-cost ${dollars(this.maxUsd)} is left: nothing more is sent`;
        this.stop();
        continue;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Books what an answer cost against its reservation; returns the dollars charged. */
  settle(reservedUsd: number, request: ChatRequest, usage: Usage): number {
    const charged = costOf(request.model, usage, { batch: this.options.batch }).usd ?? 0;
    this.spent += charged;
    if (charged > reservedUsd + EPSILON && !this.overrun) {
      this.overrun = { model: request.model, reservedUsd, chargedUsd: charged };
      this.stop();
    }
    this.release(reservedUsd);
    return charged;
  }

  /** Gives a reservation back (the request failed: nothing was billed). */
  release(reservedUsd: number): void {
    this.inFlight--;
    this.reserved = this.inFlight === 0 ? 0 : this.reserved - reservedUsd;
    this.wake();
  }

  /** No request waits or reserves any more: each is refused with `error` (the run was interrupted or stopped). */
  close(error: Error): void {
    this.closedWith ??= error;
    this.wake();
  }

  private stop(): void {
    this.stopped.abort();
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}

/** The runner behind a budget: each call reserved before it is sent and settled by its answer's usage. */
export function withBudget(runner: Runner, budget: Budget): Runner {
  return {
    name: runner.name,
    close: runner.close?.bind(runner),
    async complete(request: ChatRequest, call: CallOptions = {}): Promise<ChatResponse> {
      const reserved = await budget.reserve(request);
      let response: ChatResponse;
      try {
        response = await runner.complete(request, call);
      } catch (error) {
        budget.release(reserved);
        throw error;
      }
      budget.settle(reserved, request, response.usage);
      return response;
    },
  };
}
