// Results written as they arrive, committed in batches: the heap never holds a batch, and a crash loses at most one.
import type { ItemResult, Store } from './store.js';

export interface WriterLimits {
  /** Results per transaction (default 256). */
  items: number;
  /** Longest a result waits uncommitted, in ms (default 250): what a killed run can lose. */
  ms: number;
}

/**
 * Each result goes into SQLite at once, inside an open transaction that commits every `items` results or `ms`
 * milliseconds. Holding results in a JS array until a batch is full would keep them alive long enough to be promoted
 * to V8's old generation, which then grows with garbage (at 100,000 items, hundreds of MB of RSS).
 *
 * @example
 * const writer = new ResultWriter(store, runId);
 * writer.write(result, { usd: 0.0012, unpriced: 0 });
 * writer.commit(); // at the end, or on Ctrl-C
 */
export class ResultWriter {
  private open = false;
  private count = 0;
  private usd = 0;
  private unpriced = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly limits: WriterLimits;

  constructor(
    private readonly store: Store,
    private readonly runId: string,
    limits: Partial<WriterLimits> = {},
  ) {
    this.limits = { items: 256, ms: 250, ...limits };
  }

  /** Writes one item's result, with what its calls cost, into the open batch. */
  write(result: ItemResult, cost: { usd: number; unpriced: number }): void {
    if (!this.open) {
      this.store.db.exec('BEGIN');
      this.open = true;
      this.timer = setTimeout(() => this.commit(), this.limits.ms);
    }
    try {
      this.store.writeResult(result);
    } catch (error) {
      // A failed write (a full disk) drops the batch: its items stay pending, and resume does them again.
      this.rollback();
      throw error;
    }
    this.usd += cost.usd;
    this.unpriced += cost.unpriced;
    if (++this.count >= this.limits.items) this.commit();
  }

  /** Commits the open batch, with the run's cost so far; nothing to do when none is open. */
  commit(): void {
    if (!this.open) return;
    this.store.addRunCost(this.runId, this.usd, this.unpriced);
    this.store.db.exec('COMMIT');
    this.reset();
  }

  private rollback(): void {
    if (this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
    this.reset();
  }

  private reset(): void {
    clearTimeout(this.timer);
    this.open = false;
    this.count = 0;
    this.usd = 0;
    this.unpriced = 0;
  }
}
