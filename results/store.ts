// The SQLite store: runs, items, completions, scores and published figures (results/README.md).
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { CardevalError, ConfigError, EnvironmentError } from '../core/errors.js';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../core/root.js';
import { sha256 } from '../core/hash.js';
import { migrations } from './schema.js';
import { packText, unpackText } from './packed-text.js';
import type { Message, PublishedFigure, ToolCall } from '../core/types.js';
import { evalRecordSchema, type EvalRecord, type SampleFacets } from '../core/eval-record.js';

export type RunStatus = 'running' | 'completed' | 'incomplete' | 'failed' | 'budget_exceeded';
/** What `runs` shows: a `running` run whose owner process is gone reads `interrupted` (resume takes it over at once). */
export type ShownRunStatus = RunStatus | 'interrupted';

/** This process, as a lease names it: host:pid, and the process's start time (`@ticks`) where /proc has it. */
const ownStart = processStart(process.pid);
export const LEASE_OWNER = `${os.hostname()}:${process.pid}${ownStart === undefined ? '' : `@${ownStart}`}`;
/** A lease whose heartbeat is older than this is dead whoever holds it (another host's holder, which cannot be asked). */
export const LEASE_STALE_MS = 60_000;
/** How often a working process renews its lease. */
export const LEASE_HEARTBEAT_MS = 10_000;

/** A lease's owner as a person reads it: host:pid. */
export function leaseHolder(owner: string): string {
  return owner.replace(/@\d+$/, '');
}

/**
 * Whether a lease still holds. Another host's holder holds it while its heartbeat is fresh. A holder on this host is
 * asked directly, so a killed run is taken over at once: it holds only while its process runs, is no zombie (a killed
 * process nobody reaps, as in a container whose PID 1 is not an init, still answers kill(pid, 0)), and started when
 * the lease says (else the pid was reused).
 */
export function leaseHeld(owner: string | null | undefined, heartbeat: number | null | undefined, now = Date.now()): boolean {
  if (!owner) return false;
  if (heartbeat == null || now - heartbeat > LEASE_STALE_MS) return false;
  const [, host, pid, started] = owner.match(/^(.*):(\d+)(?:@(\d+))?$/) ?? [];
  if (host !== os.hostname()) return true;
  return processRuns(Number(pid), started);
}

/** Whether `pid` is a running process (not a zombie) that started at `started` (clock ticks after boot), when given. */
function processRuns(pid: number, started: string | undefined): boolean {
  const stat = procStat(pid);
  if (stat === null) return false; // no such process
  if (stat === undefined) {
    // No /proc (macOS): the signal test is all there is.
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const state = stat[0];
  if (state === 'Z' || state === 'X') return false;
  return started === undefined || stat[19] === started;
}

/** A process's start time in clock ticks after boot (field 22 of /proc/PID/stat); undefined without /proc. */
function processStart(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** /proc/PID/stat from field 3 (state) on; null: no such process; undefined: no /proc here. */
function procStat(pid: number): string[] | null | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    return existsSync('/proc/self/stat') ? null : undefined;
  }
  // Field 2, the command name, is in parentheses and may hold spaces or parentheses itself: split after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}
export type ItemStatus = 'pending' | 'scored' | 'error';

export interface RunRecord {
  id: string;
  created: string;
  finished: string | null;
  model: string;
  provider: string;
  base_url: string | null;
  api: string;
  params: Record<string, unknown>;
  harness_version: string;
  git_sha: string | null;
  dataset_hashes: Record<string, string>;
  role_profile: string;
  status: RunStatus;
  error: string | null;
  /** USD spent on provider calls (cache hits cost nothing); calls with no known price are counted apart. */
  cost_usd?: number;
  unpriced_calls?: number;
  /** host:pid@start of the process working on the run (leaseHeld), and its last heartbeat (ms); null when none. */
  lease_owner?: string | null;
  lease_heartbeat?: number | null;
}

export interface NewItem {
  key: string;
  eval: string;
  variant: string;
  sample_id: string;
  epoch: number;
}

/** A sample as a run keeps it: the eval's parsed row, as JSON, and its cluster and breakdown keys (SampleFacets). */
export interface SampleRow {
  eval: string;
  variant: string;
  sample_id: string;
  data: string;
  /** JSON SampleFacets; null when the eval declares none, or for a run made before they were stored. */
  facets?: string | null;
}

/** A stored sample as a report reads it. */
export interface StoredSample {
  data: string;
  facets: SampleFacets | undefined;
}

export interface ItemRecord extends NewItem {
  run_id: string;
  seq: number;
  status: ItemStatus;
  error: string | null;
  error_kind: string | null;
  completion_hash: string | null;
  transcript: string | null;
}

export interface CompletionRecord {
  hash: string;
  request: string;
  response: string;
  latency_ms: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  reasoning_tokens?: number;
  cached_tokens?: number;
  model_snapshot?: string;
  request_id?: string;
  cost_usd?: number | null;
}

export interface ScoreRecord {
  metric: string;
  value: number;
  pass: boolean;
  reason: string;
  evidence?: string;
  details?: unknown;
  grader_version: string;
}

/** One finished item: what the orchestrator hands the store to write in a batch. */
export interface ItemResult {
  run_id: string;
  key: string;
  status: 'scored' | 'error';
  error?: { message: string; kind: string };
  completions: CompletionRecord[];
  /** The completion that answered the item (default: the last one; a judge's call comes after it). */
  response_hash?: string;
  transcript?: unknown;
  /**
   * The transcript's messages, response and tool calls are exactly the answering completion's request and answer (a
   * one-turn eval): it is stored as a reference to that completion, not as a second copy of the conversation.
   */
  transcript_is_request?: boolean;
  scores: ScoreRecord[];
}

export interface ScoreRow {
  eval: string;
  variant: string;
  sample_id: string;
  epoch: number;
  key: string;
  status: ItemStatus;
  metric: string | null;
  pass: number | null;
  value: number | null;
  /** Which grader scored it; `no-answer` for an answer with no content (neither pass nor fail). */
  grader_version: string | null;
  /** 1 when the graded answer was cut off by the token limit (it is graded on what it says). */
  truncated: number | null;
  /** 1 when the grader's rule could not decide (its pass is a best guess). */
  uncertain: number | null;
}

/** One item's outcome on one metric (metric null: an item with no score, e.g. an error), without its transcript. */
export interface DetailOutcome {
  key: string;
  eval: string;
  variant: string;
  status: ItemStatus;
  error: string | null;
  metric: string | null;
  pass: number | null;
  reason: string | null;
  evidence: string | null;
  /** Which grader scored it; `no-answer` for an answer with no content (neither pass nor fail). */
  grader_version: string | null;
  /** 1 when the grader's rule could not decide (its pass is a best guess). */
  uncertain: number | null;
}

/** An item's conversation as a reader sees it, whether stored whole or by reference to its completion. */
export interface StoredTranscript {
  /** The messages as sent, after the run's role profile. */
  messages: Message[];
  /** The eval's own conversation, where the role profile changed it. */
  logical_messages?: Message[];
  response: string | null;
  tool_calls: ToolCall[];
  finish_reason?: string;
  turns?: number;
}

/** What a person reads of one item: its transcript and how it ended. */
export interface ItemDetail {
  key: string;
  sample_id: string;
  epoch: number;
  status: ItemStatus;
  error: string | null;
  error_kind: string | null;
  transcript: StoredTranscript | null;
}

/** The transcript column of an item whose conversation is its answering completion's (`transcript_is_request`). */
const TRANSCRIPT_REF = 'completion';

/** A request body's key in `requests`: 128 bits of its sha256 (the body alone: every epoch of a sample shares it). */
function bodyHash(body: string): string {
  return sha256(body, 'base64url').slice(0, 22);
}

const publishedFile = join(projectRoot, 'datasets', 'published', 'figures.json');

/** cardeval's mark in the SQLite header ("card"): a file with tables and another id is someone else's database. */
export const CARDEVAL_APPLICATION_ID = 0x63617264;
/**
 * How long a write waits for another process's transaction on the same file: several runs may share one --db, each
 * committing often and briefly. Past this, the write fails as a storage error.
 */
export const BUSY_TIMEOUT_MS = 60_000;

export function defaultDbPath(cwd = process.cwd()): string {
  return process.env.CARDEVAL_DB || join(cwd, '.cardeval', 'cardeval.sqlite');
}

export class Store {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  /**
   * Opens (and migrates) the database. `create: false` is for commands that only read (`runs`, `report`, `compare`,
   * `doctor`): a missing file is an error and nothing is created, not even its directory. `readOnly` opens the file
   * without writing anything, not even a migration (merge sources): `schema` then says whether it is current.
   * An unusable path or file (a directory, not a database, another application's, read-only, corrupted, disk full) is
   * an EnvironmentError.
   */
  constructor(
    readonly path: string,
    opts: { create?: boolean; readOnly?: boolean } = {},
  ) {
    const readOnly = opts.readOnly ?? false;
    const create = !readOnly && (opts.create ?? true);
    if (path !== ':memory:') checkDbPath(path, create);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { fileMustExist: !create && path !== ':memory:', readonly: readOnly, timeout: BUSY_TIMEOUT_MS });
      this.db = db;
      // Before anything is written: another application's database is left as it was.
      checkCardevalDatabase(db, path, create || path === ':memory:');
      this.schema = db.pragma('user_version', { simple: true }) as number;
      if (readOnly) return;
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('synchronous = NORMAL');
      // 4 MB of page cache (better-sqlite3's default is 16 MB): a run appends, and the OS caches the file anyway.
      this.db.pragma('cache_size = -4000');
      this.migrate();
      this.schema = migrations.length;
      this.syncPublished();
    } catch (error) {
      db?.close();
      throw storageError(error, path);
    }
  }

  /** The schema version the file had when opened read-only; after a migration, the current one. */
  readonly schema: number;

  private migrate(): void {
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    if (version() > migrations.length) {
      throw new EnvironmentError(`${this.path}: database schema ${version()} is newer than this cardeval (${migrations.length}); upgrade cardeval`);
    }
    if (version() === migrations.length) return; // current: no lock taken
    // Each step reads the version again under the write lock (BEGIN IMMEDIATE): when two processes open one database at
    // once, the second waits for the first's migration and then finds it done.
    const step = this.db.transaction((): boolean => {
      const v = version();
      if (v >= migrations.length) return false;
      this.db.exec(migrations[v]);
      this.db.pragma(`user_version = ${v + 1}`);
      this.db.pragma(`application_id = ${CARDEVAL_APPLICATION_ID}`);
      return true;
    });
    let applied = true;
    while (applied) applied = step.immediate();
  }

  /** The published figures shipped in datasets/published, read without a database. */
  static publishedFigures(): PublishedFigure[] {
    return JSON.parse(readFileSync(publishedFile, 'utf8')) as PublishedFigure[];
  }

  /** Loads the published figures shipped in datasets/published when they changed since the last open. */
  private syncPublished(): void {
    const text = readFileSync(publishedFile, 'utf8');
    const hash = sha256(text);
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'published_sha256'`).get() as { value: string } | undefined;
    if (row?.value === hash) return;
    const figures = JSON.parse(text) as PublishedFigure[];
    const insert = this.db.prepare(
      `INSERT INTO published (document, document_date, "table", eval, variant, variant_as_published, model, model_as_published, metric, value, source, quote, note,
                              test_match, test_match_quote, test_match_reason)
       VALUES (@document, @document_date, @table, @eval, @variant, @variant_as_published, @model, @model_as_published, @metric, @value, @source, @quote, @note,
               @test_match, @test_match_quote, @test_match_reason)`,
    );
    this.db.transaction(() => {
      this.db.exec('DELETE FROM published');
      for (const f of figures) insert.run({ note: null, test_match: 'same', test_match_quote: null, test_match_reason: null, ...f });
      this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('published_sha256', ?)`).run(hash);
    }).immediate();
  }

  /** The run, its samples and its items (in order: `seq` follows it), in one transaction. */
  createRun(run: RunRecord, items: Iterable<NewItem>, samples: Iterable<SampleRow> = []): void {
    this.db.transaction(() => {
      this.insertRun(run);
      for (const s of samples) this.addSample(run.id, s);
      let seq = 0;
      for (const it of items) this.addItem(run.id, it, seq++);
    }).immediate();
  }

  /** The run's row; with addSample and addItem, the pieces of createRun for a caller that streams them in its own transaction. */
  insertRun(run: RunRecord): void {
    this.prepared(
      `INSERT INTO runs (id, created, finished, model, provider, base_url, api, params, harness_version, git_sha, dataset_hashes, role_profile, status, error)
       VALUES (@id, @created, @finished, @model, @provider, @base_url, @api, @params, @harness_version, @git_sha, @dataset_hashes, @role_profile, @status, @error)`,
    ).run({ ...run, params: JSON.stringify(run.params), dataset_hashes: JSON.stringify(run.dataset_hashes) });
  }

  /** Replaces a run's stored parameters (resume's overrides of --timeout, --concurrency, … are recorded with the run). */
  setRunParams(runId: string, params: object): void {
    this.prepared('UPDATE runs SET params = ? WHERE id = ?').run(JSON.stringify(params), runId);
  }

  setDatasetHashes(runId: string, hashes: Record<string, string>): void {
    this.prepared('UPDATE runs SET dataset_hashes = ? WHERE id = ?').run(JSON.stringify(hashes), runId);
  }

  /** Stores a sample for a run (kept once if added twice). */
  addSample(runId: string, s: SampleRow): void {
    this.prepared('INSERT OR IGNORE INTO samples (run_id, eval, variant, sample_id, data, facets) VALUES (?, ?, ?, ?, ?, ?)').run(runId, s.eval, s.variant, s.sample_id, s.data, s.facets ?? null);
  }

  /** What report, compare and merge need of each eval of a run, so they need no module (replaced on resume and rescore). */
  setRunEvals(runId: string, records: EvalRecord[]): void {
    const put = this.prepared('INSERT OR REPLACE INTO run_evals (run_id, eval, record) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const r of records) put.run(runId, r.id, JSON.stringify(r));
    })();
  }

  /** The evals a run stored; empty for a run made before they were (its module is then needed). */
  runEvals(runId: string): EvalRecord[] {
    const rows = this.prepared('SELECT eval, record FROM run_evals WHERE run_id = ? ORDER BY eval').all(runId) as Array<{ eval: string; record: string }>;
    return rows.map((r) => {
      const parsed = evalRecordSchema.safeParse(JSON.parse(r.record));
      if (!parsed.success) throw new ConfigError(`run ${runId}: the stored description of eval ${r.eval} does not validate: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
  }

  addItem(runId: string, it: NewItem, seq: number): void {
    this.prepared('INSERT INTO items (run_id, key, eval, variant, sample_id, epoch, seq) VALUES (?, ?, ?, ?, ?, ?, ?)').run(runId, it.key, it.eval, it.variant, it.sample_id, it.epoch, seq);
  }

  /** Every sample a run stored, as `eval \0 variant \0 sample_id` → its JSON and facets (for clusters and breakdowns in reports). */
  samplesOf(runId: string): Map<string, StoredSample> {
    const rows = this.prepared('SELECT eval, variant, sample_id, data, facets FROM samples WHERE run_id = ?').all(runId) as Array<Required<SampleRow>>;
    return new Map(rows.map((r) => [`${r.eval}\u0000${r.variant}\u0000${r.sample_id}`, { data: r.data, facets: r.facets === null ? undefined : (JSON.parse(r.facets) as SampleFacets) }]));
  }

  /** Each stored sample's breakdown keys (its tactic among them), as `eval \0 variant \0 sample_id` → keys; no sample data read. */
  sampleBreakdowns(runId: string): Map<string, Record<string, string>> {
    const rows = this.prepared('SELECT eval, variant, sample_id, facets FROM samples WHERE run_id = ? AND facets IS NOT NULL').all(runId) as Array<{ eval: string; variant: string; sample_id: string; facets: string }>;
    return new Map(rows.map((r) => [`${r.eval}\u0000${r.variant}\u0000${r.sample_id}`, (JSON.parse(r.facets) as SampleFacets).breakdowns ?? {}]));
  }

  /** Whether a run stored its samples (runs made before schema 3 did not). */
  hasSamples(runId: string): boolean {
    return this.prepared('SELECT 1 FROM samples WHERE run_id = ? LIMIT 1').get(runId) !== undefined;
  }

  /**
   * The samples two runs both stored whose content differs (their dataset changed in between), as
   * `eval \0 variant \0 sample_id`: compared in SQL, byte for byte, so neither run's samples are held.
   */
  changedSamples(baseRunId: string, candidateRunId: string): Set<string> {
    const rows = this.prepared(
      `SELECT b.eval, b.variant, b.sample_id FROM samples b
       JOIN samples c ON c.run_id = ? AND c.eval = b.eval AND c.variant = b.variant AND c.sample_id = b.sample_id
       WHERE b.run_id = ? AND b.data != c.data`,
    ).all(candidateRunId, baseRunId) as Array<{ eval: string; variant: string; sample_id: string }>;
    return new Set(rows.map((r) => `${r.eval}\u0000${r.variant}\u0000${r.sample_id}`));
  }

  /** Whether every unfinished item of a run has its sample stored. */
  hasSamplesFor(runId: string): boolean {
    const missing = this.db
      .prepare(
        `SELECT 1 FROM items i WHERE i.run_id = ? AND i.status != 'scored' AND NOT EXISTS
           (SELECT 1 FROM samples s WHERE s.run_id = i.run_id AND s.eval = i.eval AND s.variant = i.variant AND s.sample_id = i.sample_id) LIMIT 1`,
      )
      .get(runId);
    return missing === undefined;
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as any;
    return row && parseRun(row, this.path);
  }

  latestRun(): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs ORDER BY created DESC, rowid DESC LIMIT 1').get() as any;
    return row && parseRun(row, this.path);
  }

  /**
   * Takes the lease of a run for this process, atomically (BEGIN IMMEDIATE: two processes cannot both see it free).
   * A lease held by a live process is refused, naming it; one whose owner died is taken over at once.
   */
  acquireLease(runId: string): void {
    this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT lease_owner, lease_heartbeat FROM runs WHERE id = ?').get(runId) as { lease_owner: string | null; lease_heartbeat: number | null } | undefined;
        if (!row) return;
        if (row.lease_owner !== LEASE_OWNER && leaseHeld(row.lease_owner, row.lease_heartbeat)) {
          const ago = Math.round((Date.now() - (row.lease_heartbeat ?? 0)) / 1000);
          throw new EnvironmentError(`run ${runId} is being worked on by process ${leaseHolder(row.lease_owner!)} (last heartbeat ${ago} s ago); wait for it to end, or stop it first`);
        }
        this.db.prepare('UPDATE runs SET lease_owner = ?, lease_heartbeat = ? WHERE id = ?').run(LEASE_OWNER, Date.now(), runId);
      })
      .immediate();
  }

  /** Renews this process's lease; false when it is no longer ours. */
  renewLease(runId: string): boolean {
    return this.prepared('UPDATE runs SET lease_heartbeat = ? WHERE id = ? AND lease_owner = ?').run(Date.now(), runId, LEASE_OWNER).changes === 1;
  }

  releaseLease(runId: string): void {
    this.prepared('UPDATE runs SET lease_owner = NULL, lease_heartbeat = NULL WHERE id = ? AND lease_owner = ?').run(runId, LEASE_OWNER);
  }

  listRuns(): Array<Omit<RunRecord, 'status'> & { status: ShownRunStatus; items: number; scored: number; errors: number }> {
    const rows = this.db
      .prepare(
        `SELECT r.*, COUNT(i.key) AS items, SUM(i.status = 'scored') AS scored, SUM(i.status = 'error') AS errors
         FROM runs r LEFT JOIN items i ON i.run_id = r.id GROUP BY r.id ORDER BY r.created, r.rowid`,
      )
      .all() as any[];
    return rows.map((r) => {
      const run = parseRun(r, this.path);
      const status: ShownRunStatus = run.status === 'running' && !leaseHeld(run.lease_owner, run.lease_heartbeat) ? 'interrupted' : run.status;
      return { ...run, status, items: r.items, scored: r.scored ?? 0, errors: r.errors ?? 0 };
    });
  }

  /**
   * Items still to do (never scored, or ended in an error: a resume retries those), a page after `afterSeq`, each with
   * its stored sample (null when the run has none for it), so a 100,000-item run never holds them all at once.
   */
  unfinishedPage(runId: string, afterSeq: number, limit: number): Array<ItemRecord & { sample: string | null }> {
    return this.itemPage('!=', runId, afterSeq, limit);
  }

  /** The eval variants that still have unfinished items. */
  unfinishedVariants(runId: string): Array<{ eval: string; variant: string }> {
    return this.db.prepare(`SELECT DISTINCT eval, variant FROM items WHERE run_id = ? AND status != 'scored'`).all(runId) as Array<{ eval: string; variant: string }>;
  }

  /** A page of a run's scored items after `afterSeq`, in seq order, with the sample each was asked with (null before schema 3). */
  scoredPage(runId: string, afterSeq: number, limit: number): Array<ItemRecord & { sample: string | null }> {
    return this.itemPage('=', runId, afterSeq, limit);
  }

  /** Items whose status is (`=`) or is not (`!=`) 'scored', after `afterSeq` in seq order, each with its stored sample. */
  private itemPage(scored: '=' | '!=', runId: string, afterSeq: number, limit: number): Array<ItemRecord & { sample: string | null }> {
    return this.prepared(
      `SELECT i.*, s.data AS sample FROM items i
       LEFT JOIN samples s ON s.run_id = i.run_id AND s.eval = i.eval AND s.variant = i.variant AND s.sample_id = i.sample_id
       WHERE i.run_id = ? AND i.status ${scored} 'scored' AND i.seq > ? ORDER BY i.seq LIMIT ?`,
    ).all(runId, afterSeq, limit) as Array<ItemRecord & { sample: string | null }>;
  }

  items(runId: string): ItemRecord[] {
    return this.db.prepare('SELECT * FROM items WHERE run_id = ? ORDER BY seq').all(runId) as ItemRecord[];
  }

  /** The first `limit` items that ended in an error, for a message; errors by kind, for a summary. */
  erroredItems(runId: string, limit: number): ItemRecord[] {
    return this.db.prepare(`SELECT * FROM items WHERE run_id = ? AND status = 'error' ORDER BY seq LIMIT ?`).all(runId, limit) as ItemRecord[];
  }

  errorKinds(runId: string): Record<string, number> {
    const rows = this.db.prepare(`SELECT error_kind AS kind, COUNT(*) AS n FROM items WHERE run_id = ? AND status = 'error' GROUP BY error_kind`).all(runId) as Array<{ kind: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  itemCounts(runId: string): Record<ItemStatus, number> {
    const counts: Record<ItemStatus, number> = { pending: 0, scored: 0, error: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM items WHERE run_id = ? GROUP BY status').all(runId) as any[]) {
      counts[r.status as ItemStatus] = r.n;
    }
    return counts;
  }

  /** Items not yet scored (pending or ended in an error: a resume does both), per eval. */
  unfinishedByEval(runId: string): Record<string, number> {
    const rows = this.db.prepare(`SELECT eval, COUNT(*) AS n FROM items WHERE run_id = ? AND status != 'scored' GROUP BY eval`).all(runId) as Array<{ eval: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.eval, r.n]));
  }

  /** A completion with its request and response as text, whichever way they were stored (packed, shared, plain). */
  getCompletion(hash: string): CompletionRecord | undefined {
    const row = this.prepared(
      'SELECT c.*, r.body AS request_body FROM completions c LEFT JOIN requests r ON r.hash = c.request_hash WHERE c.hash = ?',
    ).get(hash) as (Omit<CompletionRecord, 'request' | 'response'> & { request: string; response: string | Buffer; request_body: string | Buffer | null; request_hash: string | null }) | undefined;
    if (!row) return undefined;
    const { request_body, request_hash: _, ...completion } = row;
    return { ...completion, request: request_body != null ? unpackText(request_body) : completion.request, response: unpackText(completion.response) };
  }

  /** An item's conversation: stored whole, or (`transcript_is_request`) read from its answering completion. */
  transcriptOf(
    item: { transcript: string | null; completion_hash: string | null },
    /** The item's completion when the caller has already read it: a reference is then not read again. */
    answering?: CompletionRecord,
  ): StoredTranscript | null {
    if (!item.transcript) return null;
    const kept = JSON.parse(item.transcript) as Partial<StoredTranscript> & { ref?: string };
    if (kept.ref !== TRANSCRIPT_REF) {
      return { messages: kept.messages ?? [], logical_messages: kept.logical_messages, response: kept.response ?? null, tool_calls: kept.tool_calls ?? [], finish_reason: kept.finish_reason, turns: kept.turns };
    }
    const completion = answering ?? (item.completion_hash ? this.getCompletion(item.completion_hash) : undefined);
    if (!completion) return { messages: [], response: null, tool_calls: [], turns: kept.turns };
    const request = JSON.parse(completion.request) as { messages?: Message[] };
    const response = JSON.parse(completion.response) as { content?: string; tool_calls?: ToolCall[]; finish_reason?: string };
    return { messages: request.messages ?? [], response: response.content ?? null, tool_calls: response.tool_calls ?? [], finish_reason: response.finish_reason, turns: kept.turns };
  }

  /** A statement compiled once per store: the per-request paths (cache lookups, result batches) run them thousands of times. */
  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Writes a batch of finished items in one transaction: completions, item status, scores. */
  recordResults(results: ItemResult[]): void {
    if (results.length === 0) return;
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const r of results) this.writeResult(r, now);
    }).immediate();
  }

  /**
   * Writes one finished item: its completions, its status, its scores. Inside a transaction (recordResults, ResultWriter).
   * `storedAs` names the key of a completion already written by writeCompletion (the writer's paid answers): not written twice.
   */
  writeResult(r: ItemResult, now = new Date().toISOString(), storedAs?: (c: CompletionRecord) => string | undefined): void {
    const updateItem = this.prepared(
      `UPDATE items SET status = ?, error = ?, error_kind = ?, completion_hash = COALESCE(?, completion_hash), transcript = ? WHERE run_id = ? AND key = ?`,
    );
    const insertScore = this.prepared(
      // Per metric: a rescore replaces the grader's scores and leaves a judge's standing.
      `INSERT OR REPLACE INTO scores (run_id, item_key, metric, value, pass, reason, evidence, details, grader_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Answers stored under another key than their request's: a fresh answer to a request already answered.
    const keptApart = new Map<string, string>();
    for (const c of r.completions) {
      const key = storedAs?.(c) ?? this.writeCompletion(c, now);
      if (key !== c.hash) keptApart.set(c.hash, key);
    }
    const answeredBy = r.response_hash ?? r.completions.at(-1)?.hash ?? null;
    const lastHash = answeredBy === null ? null : (keptApart.get(answeredBy) ?? answeredBy);
    let transcript: string | null = null;
    if (r.transcript !== undefined) {
      transcript = r.transcript_is_request && lastHash
        ? JSON.stringify({ ref: TRANSCRIPT_REF, turns: (r.transcript as { turns?: number }).turns ?? 1 })
        : JSON.stringify(r.transcript);
    }
    updateItem.run(r.status, r.error?.message ?? null, r.error?.kind ?? null, lastHash, transcript, r.run_id, r.key);
    for (const s of r.scores) {
      insertScore.run(r.run_id, r.key, s.metric, s.value, s.pass ? 1 : 0, s.reason, s.evidence ?? null,
        s.details === undefined ? null : JSON.stringify(s.details), s.grader_version);
    }
  }

  /**
   * Writes one completion (the cache's row) with its request body; returns the key it is stored under. Inside a
   * transaction. A request's body is stored once (every epoch and every retry of a sample send the same one), as sent; a
   * completion keeps its key. Answers are packed; bodies are not: deflating both cost about 100 µs of CPU more per item
   * at one epoch, for about 200 bytes. A completion already stored (a cache hit, which has no cost) is not
   * packed again; a fresh answer is inserted without a lookup, and the stored one is read only when its key was taken.
   */
  writeCompletion(c: CompletionRecord, now = new Date().toISOString()): string {
    const fresh = c.cost_usd !== undefined;
    if (!fresh && this.prepared('SELECT 1 FROM completions WHERE hash = ?').pluck().get(c.hash)) return c.hash;
    const requestHash = bodyHash(c.request);
    this.prepared('INSERT OR IGNORE INTO requests (hash, body) VALUES (?, ?)').run(requestHash, c.request);
    const response = packText(c.response);
    const insertCompletion = this.prepared(
      `INSERT OR IGNORE INTO completions (hash, request, response, latency_ms, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, model_snapshot, request_id, cost_usd, created, request_hash)
       VALUES (?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insert = (key: string) =>
      insertCompletion.run(key, response, c.latency_ms, c.prompt_tokens ?? null, c.completion_tokens ?? null,
        c.reasoning_tokens ?? null, c.cached_tokens ?? null, c.model_snapshot ?? null, c.request_id ?? null, c.cost_usd ?? null, now, requestHash).changes;
    const storedResponse = this.prepared('SELECT response FROM completions WHERE hash = ?').pluck();
    if (insert(c.hash) === 0 && fresh && unpackText(storedResponse.get(c.hash) as Buffer | string) !== c.response) {
      // Asked again (--cache off or record, or two items sending one request): the stored answer keeps the request's
      // key, for the cache and for the items graded on it; this one is kept beside it, for the item graded on it.
      const key = `${c.hash}:${sha256(c.response).slice(0, 16)}`;
      insert(key);
      return key;
    }
    return c.hash;
  }

  /** Adds what a batch of calls cost to the run's totals. */
  addRunCost(id: string, usd: number, unpricedCalls: number): void {
    if (usd === 0 && unpricedCalls === 0) return;
    this.prepared('UPDATE runs SET cost_usd = cost_usd + ?, unpriced_calls = unpriced_calls + ? WHERE id = ?').run(usd, unpricedCalls, id);
  }

  setRunStatus(id: string, status: RunStatus, error: string | null = null): void {
    const finished = status === 'running' ? null : new Date().toISOString();
    this.db.prepare('UPDATE runs SET status = ?, finished = ?, error = ? WHERE id = ?').run(status, finished, error, id);
  }

  /**
   * One row per item and metric (items without scores appear once with a null metric), in seq order, one at a time: a
   * report of a 100,000-item run holds its tallies, not every row. The connection runs no other statement until the
   * iteration ends.
   */
  eachScoreRow(runId: string): IterableIterator<ScoreRow> {
    return this.prepared(
      `SELECT i.eval, i.variant, i.sample_id, i.epoch, i.key, i.status, s.metric, s.pass, s.value, s.grader_version,
              json_extract(s.details, '$.truncated') AS truncated, json_extract(s.details, '$.uncertain') AS uncertain
       FROM items i LEFT JOIN scores s ON s.run_id = i.run_id AND s.item_key = i.key
       WHERE i.run_id = ? ORDER BY i.seq`,
    ).iterate(runId) as IterableIterator<ScoreRow>;
  }

  /**
   * Every item's outcome per metric, with the grader's reason and evidence but no transcript, one row at a time: a
   * reader picks what to show without holding a 100,000-item run (transcripts come after, from `itemDetails`).
   */
  detailOutcomes(runId: string): IterableIterator<DetailOutcome> {
    return this.db
      .prepare(
        `SELECT i.key, i.eval, i.variant, i.status, i.error, s.metric, s.pass, s.reason, s.evidence, s.grader_version,
                json_extract(s.details, '$.uncertain') AS uncertain
         FROM items i LEFT JOIN scores s ON s.run_id = i.run_id AND s.item_key = i.key
         WHERE i.run_id = ? ORDER BY i.seq`,
      )
      .iterate(runId) as IterableIterator<DetailOutcome>;
  }

  /** The transcripts and endings of the items named (any number of keys, read in chunks). */
  itemDetails(runId: string, keys: readonly string[]): ItemDetail[] {
    const out: ItemDetail[] = [];
    for (let start = 0; start < keys.length; start += 500) {
      const chunk = keys.slice(start, start + 500);
      const rows = this.db
        .prepare(`SELECT key, sample_id, epoch, status, error, error_kind, transcript, completion_hash FROM items WHERE run_id = ? AND key IN (${chunk.map(() => '?').join(',')})`)
        .all(runId, ...chunk) as Array<Omit<ItemDetail, 'transcript'> & { transcript: string | null; completion_hash: string | null }>;
      for (const { completion_hash: _, ...row } of rows) out.push({ ...row, transcript: this.transcriptOf({ transcript: row.transcript, completion_hash: _ }) });
    }
    return out;
  }

  published(filter: { eval?: string; model?: string } = {}): PublishedFigure[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.eval) (where.push('eval = ?'), args.push(filter.eval));
    if (filter.model) (where.push('(lower(model) = lower(?) OR lower(model_as_published) = lower(?))'), args.push(filter.model, filter.model));
    return this.db
      .prepare(`SELECT * FROM published ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY document_date, document, eval, variant, model`)
      .all(...args) as PublishedFigure[];
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Refuses a file that holds tables but is not cardeval's (another application's database, given by a wrong --db),
 * before anything is written to it. cardeval's files carry its application id; those made before it did are known by
 * their schema version and their `runs` and `meta` tables. An empty file is a new database where one may be created.
 */
function checkCardevalDatabase(db: Database.Database, path: string, create: boolean): void {
  const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
  if (tables.size === 0) {
    if (create) return;
    throw new EnvironmentError(`database ${path} is empty, not a cardeval database (\`cardeval run\` creates one; --db or CARDEVAL_DB names another)`);
  }
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const before = applicationId === 0 && version >= 1 && tables.has('runs') && tables.has('meta');
  if (applicationId !== CARDEVAL_APPLICATION_ID && !before) {
    throw new EnvironmentError(`database ${path} is not a cardeval database (it holds another application's tables; a wrong --db or CARDEVAL_DB?); it was left as it was`);
  }
}

/** Refuses a database path that cannot be one, before SQLite makes something of it. */
function checkDbPath(path: string, create: boolean): void {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new EnvironmentError(`database ${path}: a parent of it is a file, not a directory`);
    if (code !== 'ENOENT') throw new EnvironmentError(`database ${path}: ${(error as Error).message}`);
    if (!create) throw new EnvironmentError(`no database at ${path} (\`cardeval run\` creates one; --db or CARDEVAL_DB names another)`);
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (mkdirError) {
      throw new EnvironmentError(`cannot create the directory of database ${path}: ${(mkdirError as Error).message}`);
    }
    return;
  }
  if (stat.isDirectory()) throw new EnvironmentError(`database ${path} is a directory; --db and CARDEVAL_DB take a file path (e.g. ${join(path, 'cardeval.sqlite')})`);
  if (!stat.isFile()) throw new EnvironmentError(`database ${path} is not a regular file`);
}

/**
 * What SQLite (or the file system) said, as one line about the environment when it is one: a caller turns disk full,
 * read-only, corrupted or not-a-database into exit 2 instead of a stack. Anything else is returned unchanged.
 */
export function storageError(error: unknown, path: string): unknown {
  if (error instanceof CardevalError) return error;
  const code = String((error as { code?: unknown })?.code ?? '');
  const detail = (error as Error)?.message ?? String(error);
  const says = (what: string) => new EnvironmentError(`database ${path}: ${what}`, { cause: error });
  if (code === 'SQLITE_NOTADB') return says('not an SQLite database (a wrong --db or CARDEVAL_DB?)');
  if (code.startsWith('SQLITE_CORRUPT')) return says(`corrupted (${detail}); restore a copy, or start afresh with another --db`);
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return says(`read-only or not writable (${detail})`);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return says('disk full (or the database is at its size limit)');
  if (code.startsWith('SQLITE_CANTOPEN')) return says(`cannot be opened (${detail})`);
  if (code.startsWith('SQLITE_IOERR')) return says(`I/O error (${detail})`);
  return error;
}

/** A run's row with its JSON fields read; a field that is not JSON (a hand-edited or damaged row) is named, exit 2. */
function parseRun(row: any, path: string): RunRecord {
  const json = (field: 'params' | 'dataset_hashes'): unknown => {
    try {
      return JSON.parse(row[field]);
    } catch {
      throw new EnvironmentError(`database ${path}: run ${row.id}: field "${field}" is not JSON; restore a copy of the database, or delete the run`);
    }
  };
  return { ...row, params: json('params'), dataset_hashes: json('dataset_hashes') };
}
