// Merges run databases: the shards of one run (`--shard I/N`) become one run; other runs are copied as they are.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { Store, type RunRecord } from './store.js';
import { migrations } from './schema.js';

export interface MergeOutcome {
  runs: Array<{ id: string; from: string[]; complete: boolean; shards?: string }>;
}

export interface Source {
  /** The file the user named. */
  path: string;
  /** The file its rows are copied from: the source itself, or a migrated copy of an older one. */
  file: string;
  run: RunRecord;
}

/** The sources' files and the temporary copies made of older ones; `close` removes the copies. */
export interface Sources {
  all: Source[];
  close(): void;
}

/** Runs that differ only in their shard index are shards of one run. */
function groupKey(run: RunRecord): string {
  // Where a shard recorded its answers (--fixtures, one file per job of a matrix) does not make it another run.
  const { shard, fixtures: _fixtures, ...params } = run.params as { shard?: { count: number }; fixtures?: string };
  if (!shard) return `single:${run.id}`;
  return JSON.stringify([run.model, run.provider, run.base_url, run.api, run.role_profile, shard.count, params, run.dataset_hashes]);
}

/**
 * Reads every source's runs without writing to it, refusing what would make a wrong merge: a missing file (never
 * created: a typo must not become an empty shard), the same file twice, or the same run (the same shard) in two
 * sources. A source of an older schema is copied to a temporary file and the copy is migrated: the user's shard is
 * never changed.
 */
export function readSources(sources: string[]): Sources {
  const all: Source[] = [];
  const seenFiles = new Map<string, string>();
  const seenRuns = new Map<string, string>();
  let copies: string | undefined;
  const close = () => copies && rmSync(copies, { recursive: true, force: true });
  try {
    for (const path of sources) {
      const real = existsSync(path) ? realpathSync(path) : path;
      if (seenFiles.has(real)) throw new ConfigError(`merge: ${path} is given twice (as ${seenFiles.get(real)} too)`);
      seenFiles.set(real, path);
      let store = new Store(path, { readOnly: true });
      let file = path;
      if (store.schema < migrations.length) {
        copies ??= mkdtempSync(join(tmpdir(), 'cardeval-merge-'));
        file = join(copies, `${all.length}-${seenFiles.size}.sqlite`);
        store.db.prepare('VACUUM INTO ?').run(file);
        store.close();
        store = new Store(file);
      }
      try {
        for (const run of store.listRuns()) {
          const other = seenRuns.get(run.id);
          if (other) throw new ConfigError(`merge: run ${run.id} is in both ${other} and ${path}; each shard can be merged once`);
          seenRuns.set(run.id, path);
          all.push({ path, file, run: { ...run, status: run.status === 'interrupted' ? 'running' : run.status } });
        }
      } finally {
        store.close();
      }
    }
  } catch (error) {
    close();
    throw error;
  }
  return { all, close };
}

export function mergeDatabases(sources: string[] | Sources, into: Store): MergeOutcome {
  if (!Array.isArray(sources)) return mergeSources(sources.all, into);
  const read = readSources(sources);
  try {
    return mergeSources(read.all, into);
  } finally {
    read.close();
  }
}

function mergeSources(all: Source[], into: Store): MergeOutcome {
  const groups = new Map<string, Source[]>();
  for (const s of all) groups.set(groupKey(s.run), [...(groups.get(groupKey(s.run)) ?? []), s]);

  const outcome: MergeOutcome = { runs: [] };
  const db = into.db;
  for (const members of groups.values()) {
    const first = members[0].run;
    const shard = (first.params as { shard?: { count: number } }).shard;
    const id = shard ? `${first.id.replace(/-[0-9a-f]{6}$/, '')}-merged-${randomBytes(3).toString('hex')}` : first.id;
    const indices = new Set(members.map((m) => (m.run.params as { shard?: { index: number } }).shard?.index));
    const complete = members.every((m) => m.run.status === 'completed') && (!shard || indices.size === shard.count);
    const { shard: _shard, ...params } = first.params as Record<string, unknown>;
    const merged: RunRecord = {
      ...first,
      id,
      params: shard ? { ...params, merged_from: members.map((m) => m.run.id) } : first.params,
      status: complete ? 'completed' : 'incomplete',
      cost_usd: members.reduce((a, m) => a + (m.run.cost_usd ?? 0), 0),
      unpriced_calls: members.reduce((a, m) => a + (m.run.unpriced_calls ?? 0), 0),
    };
    // SQLite attaches and detaches only outside a transaction; the copy itself is one transaction.
    members.forEach((m, i) => db.prepare(`ATTACH DATABASE ? AS src${i}`).run(m.file));
    try {
      db.transaction(() => {
        into.createRun(merged, []);
        db.prepare('UPDATE runs SET cost_usd = ?, unpriced_calls = ?, finished = ? WHERE id = ?').run(merged.cost_usd, merged.unpriced_calls, first.finished, id);
        let offset = 0;
        members.forEach((m, i) => {
          const src = `src${i}`;
          db.exec(`INSERT OR IGNORE INTO completions SELECT * FROM ${src}.completions WHERE hash IN (SELECT completion_hash FROM ${src}.items)`);
          db.exec(`INSERT OR IGNORE INTO requests SELECT * FROM ${src}.requests WHERE hash IN (SELECT request_hash FROM ${src}.completions WHERE hash IN (SELECT completion_hash FROM ${src}.items))`);
          db.prepare(
            `INSERT INTO items (run_id, key, eval, variant, sample_id, epoch, seq, status, error, error_kind, completion_hash, transcript)
             SELECT ?, key, eval, variant, sample_id, epoch, seq + ?, status, error, error_kind, completion_hash, transcript FROM ${src}.items WHERE run_id = ?`,
          ).run(id, offset, m.run.id);
          db.prepare(
            `INSERT OR IGNORE INTO samples (run_id, eval, variant, sample_id, data, facets)
             SELECT ?, eval, variant, sample_id, data, facets FROM ${src}.samples WHERE run_id = ?`,
          ).run(id, m.run.id);
          // The evals as the run describes them, so the merged database needs no module either.
          db.prepare(`INSERT OR IGNORE INTO run_evals (run_id, eval, record) SELECT ?, eval, record FROM ${src}.run_evals WHERE run_id = ?`).run(id, m.run.id);
          db.prepare(
            `INSERT INTO scores (run_id, item_key, metric, value, pass, reason, evidence, details, grader_version)
             SELECT ?, item_key, metric, value, pass, reason, evidence, details, grader_version FROM ${src}.scores WHERE run_id = ?`,
          ).run(id, m.run.id);
          offset += (db.prepare(`SELECT COUNT(*) AS n FROM ${src}.items WHERE run_id = ?`).get(m.run.id) as { n: number }).n;
        });
      })();
    } finally {
      members.forEach((_, i) => db.exec(`DETACH DATABASE src${i}`));
    }
    outcome.runs.push({ id, from: members.map((m) => `${m.run.id} (${m.path})`), complete, ...(shard ? { shards: `${indices.size}/${shard.count}` } : {}) });
  }
  return outcome;
}
