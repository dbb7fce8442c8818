// Results written as they arrive, committed in batches: the heap never holds a batch, and a crash loses at most one.
import { EnvironmentError } from '../core/errors.js';
import { storageError, type ItemResult, type Store } from './store.js';

export interface WriterLimits {
  /** Results per transaction (default 256). */
  items: number;
  /** Longest a result waits uncommitted, in ms (default 1,000): what a killed run can lose. */
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
  /**
   * Why the writer stopped (a full disk, a read-only file): set by the first such failed write or commit, the
   * timer's included, which must not throw from a timer callback. Every later write throws it; the dropped batch's items stay
   * pending, so resume does them again.
   */
  failure: unknown;

  constructor(
    private readonly store: Store,
    private readonly runId: string,
    limits: Partial<WriterLimits> = {},
  ) {
    this.limits = { items: 256, ms: 1000, ...limits };
  }

  /** Writes one item's result, with what its calls cost, into the open batch. */
  write(result: ItemResult, cost: { usd: number; unpriced: number }): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      if (!this.open) {
        this.store.db.exec('BEGIN');
        this.open = true;
        this.timer = setTimeout(() => {
          try {
            this.commit();
          } catch {
            // commit() kept the failure; the next write (or the final commit) reports it.
          }
        }, this.limits.ms);
      }
      this.store.writeResult(result);
    } catch (error) {
      // A failed write (a full disk) drops the batch: its items stay pending, and resume does them again.
      this.fail(error);
    }
    this.usd += cost.usd;
    this.unpriced += cost.unpriced;
    if (++this.count >= this.limits.items) this.commit();
  }

  /** Commits the open batch, with the run's cost so far; nothing to do when none is open. */
  commit(): void {
    if (this.failure !== undefined) throw this.failure;
    if (!this.open) return;
    try {
      this.store.addRunCost(this.runId, this.usd, this.unpriced);
      this.store.db.exec('COMMIT');
    } catch (error) {
      this.fail(error);
    }
    this.reset();
  }

  private fail(error: unknown): never {
    const failure = storageError(error, this.store.path);
    // Only the environment's failures stick (the disk stays full); another failed write drops its batch alone.
    if (failure instanceof EnvironmentError) this.failure = failure;
    try {
      if (this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
    } catch {
      // SQLite rolls back by itself after some failures (SQLITE_FULL among them); nothing is left to undo.
    }
    this.reset();
    throw failure;
  }

  private reset(): void {
    clearTimeout(this.timer);
    this.open = false;
    this.count = 0;
    this.usd = 0;
    this.unpriced = 0;
  }
}
