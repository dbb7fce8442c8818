// The one sample selection: which samples of each eval variant a run takes after --limit and --shard. Used by run,
// resume (backfill), dry-run estimates and shards alike, so they can never disagree.
import { createRng } from '../core/random.js';
import type { AnyEval, BaseSample } from '../core/types.js';
import type { RunConfig } from '../core/run-config.js';
import { readDataset } from './datasets.js';
import type { Selection } from './registry.js';

export type SelectionConfig = Pick<RunConfig, 'limit' | 'seed' | 'shard'>;

/** Which of `count` rows `limit` takes (undefined: all of them); depends only on the count and the seed. */
function chosenIndices(count: number, limit: number | undefined, seed: number): Set<number> | undefined {
  if (limit === undefined || limit >= count) return undefined;
  return new Set(createRng(seed).shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, limit));
}

/**
 * Validates each selection's dataset row by row and hands every sample the run takes (after --limit, then --shard) to
 * `take`, in order. Shard I of N takes every N-th selected sample of each variant from the I-th on, so the shards are
 * disjoint, cover the selection, and differ in size by at most one per variant (every epoch of a sample goes with it). Returns the datasets' hashes. Throws on the first bad row, so a caller's transaction writes nothing.
 */
export function forEachSelectedSample(
  selections: readonly Selection[],
  config: SelectionConfig,
  take: (def: AnyEval, variant: string, sample: BaseSample) => void,
): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const { def, variant } of selections) {
    const data = readDataset(def, variant);
    hashes[data.file] = data.sha256;
    const chosen = config.limit === undefined ? undefined : chosenIndices(data.count(), config.limit, config.seed);
    let row = 0;
    let selected = 0;
    for (const sample of data.rows()) {
      if (chosen && !chosen.has(row++)) continue;
      const position = selected++;
      if (config.shard && position % config.shard.count !== config.shard.index - 1) continue;
      take(def, variant, sample);
    }
  }
  return hashes;
}
