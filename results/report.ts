// Builds the report of one run (DESIGN §9) from the store: scores, intervals, published figures, verdicts.
import { clusteredBootstrap, wilson } from '../core/stats.js';
import { isHeadlineMetric } from '../core/define.js';
import type { AnyEval, PublishedFigure } from '../core/types.js';
import type { RunRecord, Store } from './store.js';

export type Verdict = 'consistent' | 'higher' | 'lower' | 'no-published';

export interface PublishedRef {
  model: string;
  value: number;
  metric: string;
  document: string;
  table: string;
  document_date: string;
  source: string;
  model_as_published?: string;
}

export interface ResultRow {
  eval: string;
  variant: string;
  metric: string;
  headline: boolean;
  n: number;
  passed: number;
  errors: number;
  score: number | null;
  ci95: [number, number] | null;
  published: PublishedRef[];
  /** The published figure the verdict compares with. */
  reference?: { model: string; value: number; document: string };
  verdict: Verdict;
  notes?: string[];
}

export interface Report {
  run: {
    id: string;
    model: string;
    status: string;
    created: string;
    finished: string | null;
    provider: string;
    base_url: string | null;
    role_profile: string;
    harness_version: string;
    params: Record<string, unknown>;
    dataset_hashes: Record<string, string>;
    /** USD spent by this run's provider calls; `unpriced_calls` had no price in the table (not counted as 0). */
    cost: { usd: number; unpriced_calls: number };
  };
  results: ResultRow[];
}

/** The document whose figures a row is compared with when the run's model has none of its own. */
export const primaryDocument = 'OpenAI o3-mini System Card';

/** The models whose columns the o3-mini card's tables 5–7 print, in its order of interest. */
export const cardModels = ['o3-mini', 'o1', 'GPT-4o'] as const;

/** A row's figure from the o3-mini card for one of its models. */
export function cardValue(row: ResultRow, model: string): number | undefined {
  return row.published.find((p) => p.document === primaryDocument && p.model === model)?.value;
}

export function buildReport(store: Store, run: RunRecord, evals: Map<string, AnyEval>): Report {
  const rows = store.scoreRows(run.id);
  const figures = store.published();
  // Group: eval → variant → metric → sample → pass list (epochs); errors per eval/variant.
  const groups = new Map<string, { eval: string; variant: string; metric: string; bySample: Map<string, number[]> }>();
  const errors = new Map<string, number>();
  const order: string[] = [];
  for (const r of rows) {
    const ev = `${r.eval}\u0000${r.variant}`;
    if (r.status === 'error') errors.set(ev, (errors.get(ev) ?? 0) + 1);
    const def = evals.get(r.eval);
    // The eval's own metrics, then any other a run stored (a judge's, an older grader's).
    const metrics = [...(def ? def.metrics.map((m) => m.name) : []), ...(r.metric ? [r.metric] : [])];
    for (const m of metrics) {
      const k = `${ev}\u0000${m}`;
      if (!groups.has(k)) {
        groups.set(k, { eval: r.eval, variant: r.variant, metric: m, bySample: new Map() });
        order.push(k);
      }
    }
    if (r.status !== 'scored' || r.metric === null) continue;
    const g = groups.get(`${ev}\u0000${r.metric}`);
    if (!g) continue;
    const list = g.bySample.get(r.sample_id) ?? [];
    list.push(r.pass ? 1 : 0);
    g.bySample.set(r.sample_id, list);
  }
  const results = order.map((k) => {
    const g = groups.get(k)!;
    const def = evals.get(g.eval);
    const headline = isHeadlineMetric(def, g.metric);
    const clusters = [...g.bySample.values()];
    const n = clusters.reduce((a, c) => a + c.length, 0);
    const passed = clusters.reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0);
    const multiEpoch = clusters.some((c) => c.length > 1);
    const ci95 = n === 0 ? null : multiEpoch ? clusteredBootstrap(clusters) : wilson(passed, n);
    const published = headline ? publishedFor(figures, def?.publishedId ?? g.eval, g.variant) : [];
    // A verdict only compares like with like: a published figure of another metric is context, not a target.
    const reference = headline ? pickReference(published.filter((p) => p.metric === g.metric), run.model) : undefined;
    const score = n === 0 ? null : passed / n;
    const row: ResultRow = {
      eval: g.eval,
      variant: g.variant,
      metric: g.metric,
      headline,
      n,
      passed,
      errors: errors.get(`${g.eval}\u0000${g.variant}`) ?? 0,
      score,
      ci95,
      published,
      verdict: verdictFor(ci95, reference?.value),
    };
    if (reference) row.reference = { model: reference.model, value: reference.value, document: reference.document };
    if (headline && def?.notes?.length) row.notes = def.notes;
    return row;
  });
  return {
    run: {
      id: run.id,
      model: run.model,
      status: run.status,
      created: run.created,
      finished: run.finished,
      provider: run.provider,
      base_url: run.base_url,
      role_profile: run.role_profile,
      harness_version: run.harness_version,
      params: run.params,
      dataset_hashes: run.dataset_hashes,
      cost: { usd: run.cost_usd ?? 0, unpriced_calls: run.unpriced_calls ?? 0 },
    },
    results,
  };
}

/** Published figures for one row, the o3-mini card's first. */
export function publishedFor(figures: PublishedFigure[], evalId: string, variant: string): PublishedRef[] {
  return figures
    .filter((f) => f.eval === evalId && (f.variant === variant || f.variant === 'default'))
    .sort((a, b) => Number(b.document === primaryDocument) - Number(a.document === primaryDocument) || a.document_date.localeCompare(b.document_date))
    .map((f) => ({
      model: f.model,
      value: f.value,
      metric: f.metric,
      document: f.document,
      table: f.table.split(':')[0],
      document_date: f.document_date,
      source: f.source,
      ...(f.model_as_published !== f.model ? { model_as_published: f.model_as_published } : {}),
    }));
}

/** The run's own model if a card published it (newest card first), else the o3-mini card's o3-mini. */
function pickReference(published: PublishedRef[], model: string): PublishedRef | undefined {
  const family = model.toLowerCase().replace(/-\d{4}-\d{2}-\d{2}$/, '');
  const own = published.filter((p) => p.model.toLowerCase() === family).sort((a, b) => b.document_date.localeCompare(a.document_date));
  return own[0] ?? published.find((p) => p.document === primaryDocument && p.model === 'o3-mini');
}

export function verdictFor(ci95: [number, number] | null, value: number | undefined): Verdict {
  if (value === undefined || ci95 === null) return 'no-published';
  if (value < ci95[0]) return 'higher';
  if (value > ci95[1]) return 'lower';
  return 'consistent';
}
