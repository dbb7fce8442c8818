// The SQLite schema as forward migrations; `user_version` says how many have been applied.

export const migrations: string[] = [
  // 1: the first schema (results/README.md).
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    finished TEXT,
    model TEXT NOT NULL,
    provider TEXT NOT NULL,
    base_url TEXT,
    api TEXT NOT NULL,
    params TEXT NOT NULL,
    harness_version TEXT NOT NULL,
    git_sha TEXT,
    dataset_hashes TEXT NOT NULL,
    role_profile TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT
  );
  CREATE TABLE items (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    eval TEXT NOT NULL,
    variant TEXT NOT NULL,
    sample_id TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    error TEXT,
    error_kind TEXT,
    completion_hash TEXT,
    transcript TEXT,
    PRIMARY KEY (run_id, key)
  );
  CREATE INDEX items_run_status ON items(run_id, status, seq);
  CREATE TABLE completions (
    hash TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    reasoning_tokens INTEGER,
    cached_tokens INTEGER,
    model_snapshot TEXT,
    request_id TEXT,
    created TEXT NOT NULL
  );
  CREATE TABLE scores (
    run_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    pass INTEGER NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    details TEXT,
    grader_version TEXT NOT NULL,
    PRIMARY KEY (run_id, item_key, metric),
    FOREIGN KEY (run_id, item_key) REFERENCES items(run_id, key) ON DELETE CASCADE
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE published (
    document TEXT NOT NULL,
    document_date TEXT NOT NULL,
    "table" TEXT NOT NULL,
    eval TEXT NOT NULL,
    variant TEXT NOT NULL,
    variant_as_published TEXT NOT NULL,
    model TEXT NOT NULL,
    model_as_published TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL,
    quote TEXT,
    note TEXT,
    PRIMARY KEY (document, eval, variant_as_published, model_as_published, metric)
  );
  `,
  // 2: what runs and calls cost (issue: cost budgets).
  `
  ALTER TABLE runs ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN unpriced_calls INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE completions ADD COLUMN cost_usd REAL;
  `,
  // 3: the samples a run was planned with, read page by page with its items: a 100,000-item run holds no dataset in memory.
  `
  CREATE TABLE samples (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    eval TEXT NOT NULL,
    variant TEXT NOT NULL,
    sample_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, eval, variant, sample_id)
  );
  -- Pages of unfinished items walk a run in seq order; without this, every page scanned and sorted the whole run.
  CREATE INDEX items_run_seq ON items(run_id, seq);
  `,
  // 4 (leases): which process works on a run (host:pid) and when it last said so (ms since the epoch), so a
  // second resume is refused and a run whose owner died shows as interrupted.
  `
  ALTER TABLE runs ADD COLUMN lease_owner TEXT;
  ALTER TABLE runs ADD COLUMN lease_heartbeat INTEGER;
  `,
  // 5 (each conversation stored once): a request's body is kept once in `requests`, however many epochs and
  // items send it, and a completion refers to it by `request_hash` (its own `request` is then ''). Rows written before
  // keep their `request` text and a NULL `request_hash`; readers take either (Store.getCompletion).
  `
  CREATE TABLE requests (
    hash TEXT PRIMARY KEY,
    body BLOB NOT NULL
  );
  ALTER TABLE completions ADD COLUMN request_hash TEXT;
  `,
  // 6 (bytes per item): scores and completions become WITHOUT ROWID tables, stored in their primary key's own
  // B-tree. A rowid table keeps that key twice (the row, and an index of it): about 290 of each item's 1,530 bytes.
  // (items keep their rowid: their two indexes would each have to carry the text key instead.)
  `
  CREATE TABLE scores_v6 (
    run_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    pass INTEGER NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    details TEXT,
    grader_version TEXT NOT NULL,
    PRIMARY KEY (run_id, item_key, metric),
    FOREIGN KEY (run_id, item_key) REFERENCES items(run_id, key) ON DELETE CASCADE
  ) WITHOUT ROWID;
  INSERT INTO scores_v6 SELECT run_id, item_key, metric, value, pass, reason, evidence, details, grader_version FROM scores;
  DROP TABLE scores;
  ALTER TABLE scores_v6 RENAME TO scores;
  CREATE TABLE completions_v6 (
    hash TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    reasoning_tokens INTEGER,
    cached_tokens INTEGER,
    model_snapshot TEXT,
    request_id TEXT,
    created TEXT NOT NULL,
    cost_usd REAL,
    request_hash TEXT
  ) WITHOUT ROWID;
  INSERT INTO completions_v6
    SELECT hash, request, response, latency_ms, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, model_snapshot, request_id, created, cost_usd, request_hash
    FROM completions;
  DROP TABLE completions;
  ALTER TABLE completions_v6 RENAME TO completions;
  `,
  // 7 (figures of other tests): whether a published figure measures the test of the row it is filed under
  // (`same`) or a related one (`related`: context, never a verdict), with the document's words that decide it. The
  // figures are read again from datasets/published on the next open.
  `
  ALTER TABLE published ADD COLUMN test_match TEXT NOT NULL DEFAULT 'same';
  ALTER TABLE published ADD COLUMN test_match_quote TEXT;
  ALTER TABLE published ADD COLUMN test_match_reason TEXT;
  DELETE FROM meta WHERE key = 'published_sha256';
  `,
  // 8: a run describes its evals and samples itself, so report, compare, merge and the HTML report need no eval module:
  // each eval's data (id, title, variants, metrics, notes, published id, grader version, privileges) in run_evals, each
  // sample's cluster and breakdown keys in samples.facets. Runs made before keep NULL facets and no run_evals rows.
  `
  CREATE TABLE run_evals (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    eval TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, eval)
  );
  ALTER TABLE samples ADD COLUMN facets TEXT;
  `,
];
