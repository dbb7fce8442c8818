// Guards around creating a run: a ceiling on its item count (past it, --yes), and Ctrl-C/SIGTERM that still work while
// the synchronous creation transaction runs.
import { ConfigError } from '../../core/errors.js';
import { readDataset } from '../datasets.js';
import type { Selection } from '../registry.js';

/** Past this many items a run needs `--yes`: at ~30 MB/s of WAL, a typo like `--epochs 1e9` fills a disk unasked. */
export const ITEM_CEILING = 10_000_000;

/** An upper bound of the items a run would create (samples after --limit, times epochs; shards ignored). */
export function itemCountBound(selections: Selection[], limit: number | undefined, epochs: number): number {
  let samples = 0;
  for (const { def, variant } of selections) {
    const count = readDataset(def, variant).count();
    samples += limit === undefined ? count : Math.min(limit, count);
  }
  return samples * epochs;
}

export function checkItemCeiling(items: number, yes: boolean): void {
  if (items > ITEM_CEILING && !yes) {
    throw new ConfigError(
      `this run would create ${items.toLocaleString('en-US')} items (more than ${ITEM_CEILING.toLocaleString('en-US')}); ` +
        'check --epochs and --limit, see the cost with --dry-run, or pass --yes to create it anyway',
    );
  }
}

/**
 * Runs `create` (a synchronous transaction) with SIGINT, SIGTERM and SIGHUP at their default action. A JS handler cannot run
 * until synchronous code returns, so with one installed a long creation ignores both; with none, the signal ends the
 * process at once, and SQLite discards the uncommitted transaction: nothing of the run is left.
 */
export function withDefaultSignals<T>(create: () => T): T {
  const saved = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, process.listeners(signal)] as const);
  for (const [signal] of saved) process.removeAllListeners(signal);
  try {
    return create();
  } finally {
    for (const [signal, listeners] of saved) for (const listener of listeners) process.on(signal, listener as NodeJS.SignalsListener);
  }
}
