// `run --dry-run`: what a run would send and roughly cost, from the prompts themselves; nothing is sent.
import { forEachSelectedSample } from './selection.js';
import type { RunConfig } from '../core/run-config.js';
import type { Selection } from './registry.js';
import { estimateRequestTokens, loadTokenizer } from '../runners/rate-limit.js';
import { costOf } from '../runners/pricing.js';
import { mockPriceNote } from '../core/format.js';

/** Completion tokens assumed per call; reasoning models may spend several times this. */
export const ASSUMED_COMPLETION_TOKENS = 500;

export interface Estimate {
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  usd: number | null;
  batch: boolean;
}

/** Estimates the samples the run itself would take (the same selection: --limit, then --shard). */
export async function estimateRun(selections: Selection[], params: RunConfig, model: string): Promise<Estimate> {
  await loadTokenizer();
  let requests = 0;
  let promptTokens = 0;
  forEachSelectedSample(selections, params, (def, variant, sample) => {
    const request = { model, messages: def.conversation(sample, variant), tools: def.tools?.(sample, variant), max_completion_tokens: 0 };
    // Multi-turn evals make more than one call; the first turn is counted once per epoch.
    promptTokens += estimateRequestTokens(request) * params.epochs;
    requests += params.epochs;
  });
  const completionTokens = requests * ASSUMED_COMPLETION_TOKENS;
  const cost = costOf(model, { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }, { batch: !!params.batch });
  return { model, requests, promptTokens, completionTokens, usd: cost.usd, batch: !!params.batch };
}

export function renderEstimate(e: Estimate): string {
  const price = e.usd === null ? `unknown: the price table has no entry for ${e.model}` : `about $${e.usd.toFixed(2)}${e.batch ? ' (batch price)' : ''}${mockPriceNote(e.model)}`;
  return [
    `dry run for ${e.model}: ${e.requests} requests (first turns), ${e.promptTokens} prompt tokens (o200k_base)`,
    `assuming ${ASSUMED_COMPLETION_TOKENS} completion tokens per request: ${e.completionTokens} completion tokens`,
    `estimated cost: ${price}`,
  ].join('\n') + '\n';
}
