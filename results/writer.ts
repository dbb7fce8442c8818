// Results written as they arrive: paid answers committed within 20 ms, the rest in batches.
import { EnvironmentError } from '../core/errors.js';
import { storageError, type CompletionRecord, type ItemResult, type Store } from './store.js';

export interface WriterLimits {
  /** Results per transaction (default 256). */
  items: number;
  /** Longest a result with no new paid answer waits uncommitted, in ms (default 1,000). */
  ms: number;
  /** Longest a paid answer waits uncommitted, in ms (default 20). */
  answerMs: number;
}

/**
 * Everything goes into SQLite inside an open transaction. A paid answer (`writeAnswer`: the completion, which is also
 * the cache's row) is written at the end of the event-loop turn it came in, before it is graded (a result, or a commit,
 * writes the answers waiting first), and committed within `answerMs` (20 ms). Waiting for the end of the turn keeps
 * storing off the path from an answer to the next request: when many answers come in at once, each worker sends its
 * next request first, instead of waiting behind every earlier answer's hashing, packing and inserts. A run killed at
 * any moment re-pays the requests in flight and at most the answers of the last 20 ms (at 100 requests a second with
 * 8 in flight: those 8 and about 2 more, where the 1 s batches of before re-paid up to 100; at 1,000 a second, about
 * 20). Peak RSS at 20,768 items: 172 MB with 1 s batches, 193 MB at 20 ms, 209 MB committing every event-loop turn.
 * Scores, transcripts and item statuses ride along in the same transaction, or when no answer comes for a while,
 * commit every `items` results or `ms` milliseconds: what a kill loses of them is graded again from the stored answers.
 * Holding results in a JS array until a batch is full would keep them alive long enough to be promoted to V8's old
 * generation, which then grows with garbage (at 100,000 items, hundreds of MB of RSS).
 *
 * @example
 * const writer = new ResultWriter(store, runId);
 * writer.writeAnswer(completion); // as soon as the provider answered
 * writer.write(result);           // once graded
 * writer.commit();                // at the end, or on Ctrl-C
 */
export class ResultWriter {
  private open = false;
  private count = 0;
  private usd = 0;
  private unpriced = 0;
  private timer: NodeJS.Timeout | undefined;
  private answerTimer: NodeJS.Timeout | undefined;
  /** Completions written by writeAnswer, with the key each is stored under (a result then refers to it). */
  private readonly answers = new WeakMap<CompletionRecord, { key: string; batch: number }>();
  /** The open transaction's number, and those dropped by a failure: an answer written in one was not kept. */
  private batch = 0;
  private readonly dropped = new Set<number>();
  /** Paid answers that came in this event-loop turn, written at its end (or before a result or a commit). */
  private waiting: CompletionRecord[] = [];
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
    this.limits = { items: 256, ms: 1000, answerMs: 20, ...limits };
  }

  /** Writes a paid answer, with its cost, at the end of this event-loop turn, and commits it within `answerMs`. */
  writeAnswer(completion: CompletionRecord): void {
    if (this.failure !== undefined) throw this.failure;
    this.waiting.push(completion);
    if (this.waiting.length === 1) setImmediate(() => this.writeWaitingQuietly());
  }

  /** Writes one item's result (its completions not yet written by writeAnswer, with their cost) into the open batch. */
  write(result: ItemResult): void {
    this.writeWaiting();
    this.begin();
    try {
      this.store.writeResult(result, undefined, (c) => this.storedAs(c));
    } catch (error) {
      // A failed write (a full disk) drops the batch: its items stay pending, and resume does them again.
      this.fail(error);
    }
    this.addCost(result.completions.filter((c) => this.storedAs(c) === undefined));
    if (++this.count >= this.limits.items) this.commit();
  }

  /** Commits the open batch (and the answers waiting), with the run's cost so far; nothing to do when none is open. */
  commit(): void {
    this.writeWaiting();
    if (!this.open) return;
    try {
      this.store.addRunCost(this.runId, this.usd, this.unpriced);
      this.store.db.exec('COMMIT');
    } catch (error) {
      this.fail(error);
    }
    this.reset();
  }

  /** Writes the answers waiting for the end of the turn; a failure stops the writer as any write's does. */
  private writeWaiting(): void {
    if (this.failure !== undefined) throw this.failure;
    const answers = this.waiting;
    if (answers.length === 0) return;
    this.waiting = [];
    this.begin();
    for (const completion of answers) {
      try {
        this.answers.set(completion, { key: this.store.writeCompletion(completion), batch: this.batch });
      } catch (error) {
        this.fail(error); // the answers after it are not written: their results write them
      }
      this.addCost([completion]);
    }
    this.answerTimer ??= setTimeout(() => this.commitQuietly(), this.limits.answerMs);
  }

  /** writeWaiting from the turn's end, which must not throw: a failure is kept (see `failure`) for the next write. */
  private writeWaitingQuietly(): void {
    try {
      this.writeWaiting();
    } catch {
      // kept in this.failure, or a batch dropped alone (its results write their answers again)
    }
  }

  /**
   * The key an answer was stored under, when it was written and its batch kept. (A number per batch, not a list of the
   * batch's answers: the list kept every answer alive until the commit, long enough to be copied by the garbage collector.)
   */
  private storedAs(completion: CompletionRecord): string | undefined {
    const stored = this.answers.get(completion);
    return stored && !this.dropped.has(stored.batch) ? stored.key : undefined;
  }

  private begin(): void {
    if (this.open) return;
    this.batch++;
    try {
      // IMMEDIATE: the write lock is taken (or waited for) now; a read that later turns into a write could find another
      // process's commit in between and fail at once with "database is locked", whatever the busy timeout.
      this.store.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      this.fail(error);
    }
    this.open = true;
    this.timer = setTimeout(() => this.commitQuietly(), this.limits.ms);
  }

  /** A commit from a timer, which must not throw: commit() kept the failure; the next write (or the final commit) reports it. */
  private commitQuietly(): void {
    try {
      this.commit();
    } catch {
      // kept in this.failure, or a batch dropped alone
    }
  }

  /** Adds what fresh calls cost (a cache hit has no cost: it was paid for before). */
  private addCost(completions: readonly CompletionRecord[]): void {
    for (const c of completions) {
      if (c.cost_usd === undefined) continue;
      if (c.cost_usd === null) this.unpriced++;
      else this.usd += c.cost_usd;
    }
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
    // The answers written in the dropped batch are gone with it: their results write them again.
    this.dropped.add(this.batch);
    this.reset();
    throw failure;
  }

  private reset(): void {
    clearTimeout(this.timer);
    clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
    this.open = false;
    this.count = 0;
    this.usd = 0;
    this.unpriced = 0;
  }
}
