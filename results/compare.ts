// Paired comparison of two runs (DESIGN §10): items paired by key, exact McNemar per row, Holm across the gated rows.
import { ConfigError } from '../core/errors.js';
import { holm, mcnemarExact, pairedDifferenceCI, wilson } from '../core/stats.js';
import { comparabilityOf, type Comparability } from '../core/comparability.js';
import type { PrivilegePair } from '../core/types.js';
import { JUDGE_ERROR_GRADER, NO_ANSWER_GRADER } from './report.js';
import type { RunRecord, ScoreRow, Store } from './store.js';

export interface CompareOptions {
  /** A drop (base − candidate) this large or smaller is tolerated even when it is significant. */
  maxDrop: number;
  /** Family-wise error rate of the gate (Holm across the headline rows). */
  alpha: number;
  /** Whether a metric is its eval's headline; only headline rows are gated. */
  isHeadline: (evalId: string, metric: string) => boolean;
  /** The privilege levels an eval variant pits against each other (EvalDefinition.privileges); undefined: none. */
  privileges?: (evalId: string, variant: string) => PrivilegePair | undefined;
}

/**
 * What happened to a row, readable by scripts: `lower` is a significant drop on a secondary metric, which
 * the gate does not judge; `within-max-drop` a significant drop on a headline metric that --max-drop tolerates.
 */
export type Change = 'regression' | 'within-max-drop' | 'lower' | 'improved' | 'unchanged' | 'not-comparable';

export interface CompareRow {
  eval: string;
  variant: string;
  metric: string;
  headline: boolean;
  /** The worse of the two runs' comparability for this row (core/comparability.ts); a not-comparable row is never gated. */
  comparability: Comparability;
  comparability_reason: string;
  /** Items scored on this metric in both runs (the pairs). */
  n: number;
  /** Shared items left out because either run ended them in an error or never scored them. */
  unpaired: number;
  base_passed: number;
  candidate_passed: number;
  base_score: number | null;
  base_ci95: [number, number] | null;
  candidate_score: number | null;
  candidate_ci95: [number, number] | null;
  /** candidate − base, over the pairs. */
  difference: number | null;
  difference_ci95: [number, number] | null;
  pass_to_fail: number;
  fail_to_pass: number;
  /** Exact two-sided McNemar p-value on the discordant pairs. */
  p_value: number;
  /** Holm-adjusted across the headline rows; null for rows outside the gate. */
  p_holm: number | null;
  regression: boolean;
  change: Change;
  /** Sample ids (with `#epoch` when the run had several epochs) whose pass flipped. */
  flipped: { pass_to_fail: string[]; fail_to_pass: string[] };
}

export interface RunSummary {
  id: string;
  model: string;
  status: string;
  created: string;
}

export interface Comparison {
  base: RunSummary;
  candidate: RunSummary;
  alpha: number;
  max_drop: number;
  items: { base: number; candidate: number; shared: number };
  warnings: string[];
  regressions: number;
  results: CompareRow[];
}

export const defaultCompareOptions = { maxDrop: 0, alpha: 0.05 } as const;

const summary = (r: RunRecord): RunSummary => ({ id: r.id, model: r.model, status: r.status, created: r.created });

interface Pair {
  label: string;
  base: boolean;
  candidate: boolean;
}

/**
 * Compares two stored runs. Throws ConfigError when they share no item; compares the shared items
 * (and says so in `warnings`) when their item sets only overlap.
 */
export function compareRuns(store: Store, base: RunRecord, candidate: RunRecord, options: CompareOptions): Comparison {
  const { items: baseItems, passes: basePass, metrics: baseMetrics } = scan(store, base.id);
  const { items: candItems, passes: candPass, metrics: candMetrics } = scan(store, candidate.id);
  const shared = [...baseItems.keys()].filter((k) => candItems.has(k));
  if (shared.length === 0) throw new ConfigError(refusal(base, baseItems, candidate, candItems));

  const warnings: string[] = [];
  if (shared.length < baseItems.size || shared.length < candItems.size) {
    warnings.push(
      `the runs have different item sets: comparing the ${shared.length} items both have ` +
        `(${baseItems.size - shared.length} of base ${base.id}'s ${baseItems.size} are not in the candidate, ` +
        `${candItems.size - shared.length} of candidate ${candidate.id}'s ${candItems.size} are not in the base)`,
    );
  }
  for (const [role, run] of [['base', base], ['candidate', candidate]] as const) {
    if (run.status !== 'completed') warnings.push(`${role} run ${run.id} is ${run.status}: only its scored items are compared`);
  }
  const multiEpoch = shared.some((k) => baseItems.get(k)!.epoch > 0);
  if (multiEpoch) warnings.push('the runs have several epochs: each epoch is paired as its own item (valid for these items; see results/README.md, Statistics)');
  // What was sent and what verdicts used must match for a like-with-like comparison; say so when they do not.
  const setup = (r: RunRecord) => r.params as { reference?: string; system_is_developer?: boolean };
  if (base.role_profile !== candidate.role_profile) warnings.push(`the runs differ in role profile (base ${base.role_profile}, candidate ${candidate.role_profile}): the messages were sent at different roles`);
  if (base.api !== candidate.api) warnings.push(`the runs differ in API (base ${base.api}, candidate ${candidate.api})`);
  if ((setup(base).reference ?? null) !== (setup(candidate).reference ?? null)) {
    warnings.push(`the runs differ in reference document (base ${setup(base).reference ?? 'default'}, candidate ${setup(candidate).reference ?? 'default'}): their verdicts compare with different figures`);
  }
  const rank: Record<Comparability, number> = { comparable: 0, approximate: 1, 'not-comparable': 2 };
  const comparabilityFor = (evalId: string, variant: string) => {
    const pair = options.privileges?.(evalId, variant);
    const [b, c] = [base, candidate].map((r) => comparabilityOf(pair, { roleProfile: r.role_profile, systemIsDeveloper: !!setup(r).system_is_developer }));
    return rank[c.comparability] > rank[b.comparability] ? c : b;
  };

  // Rows in the base run's order: every metric either run scored on a shared item.
  const groups = new Map<string, { eval: string; variant: string; metric: string; pairs: Pair[]; unpaired: number }>();
  const metricsOf = new Map(baseMetrics);
  for (const [ev, metrics] of candMetrics) metricsOf.set(ev, new Set([...(metricsOf.get(ev) ?? []), ...metrics]));
  for (const key of shared) {
    const item = baseItems.get(key)!;
    const bothScored = item.status === 'scored' && candItems.get(key)!.status === 'scored';
    for (const metric of metricsOf.get(`${item.eval}\u0000${item.variant}`) ?? []) {
      const b = basePass.get(`${key}\u0000${metric}`);
      const c = candPass.get(`${key}\u0000${metric}`);
      // Scored in both runs with no score on this metric: the metric does not apply to the sample.
      if (b === undefined && c === undefined && bothScored) continue;
      const gk = `${item.eval}\u0000${item.variant}\u0000${metric}`;
      if (!groups.has(gk)) groups.set(gk, { eval: item.eval, variant: item.variant, metric, pairs: [], unpaired: 0 });
      const g = groups.get(gk)!;
      if (b !== undefined && c !== undefined) g.pairs.push({ label: multiEpoch ? `${item.sample_id}#${item.epoch}` : item.sample_id, base: b, candidate: c });
      else g.unpaired++;
    }
  }

  const rows = [...groups.values()].map((g) => pairedRow(g, options.isHeadline(g.eval, g.metric), comparabilityFor(g.eval, g.variant)));
  for (const g of groups.values()) {
    if (g.unpaired > 0) warnings.push(`${g.eval}:${g.variant} ${g.metric}: ${g.unpaired} shared items were not scored on it in both runs (an error, unfinished, or scored in one run only) and are left out`);
  }
  // The gate: headline rows that measure the card's row in both runs; a not-comparable row is shown, never gated.
  const gated = rows.filter((r) => r.headline && r.comparability !== 'not-comparable');
  holm(gated.map((r) => r.p_value)).forEach((p, i) => (gated[i].p_holm = p));
  for (const r of rows) {
    if (r.comparability === 'not-comparable') {
      r.change = 'not-comparable';
      continue;
    }
    const p = r.p_holm ?? r.p_value;
    const significant = p < options.alpha;
    const diff = r.difference ?? 0;
    r.regression = r.headline && significant && diff < 0 && -diff > options.maxDrop;
    const lower = significant && diff < 0;
    r.change = r.regression ? 'regression' : lower ? (r.headline ? 'within-max-drop' : 'lower') : significant && diff > 0 ? 'improved' : 'unchanged';
  }
  return {
    base: summary(base),
    candidate: summary(candidate),
    alpha: options.alpha,
    max_drop: options.maxDrop,
    items: { base: baseItems.size, candidate: candItems.size, shared: shared.length },
    warnings,
    regressions: rows.filter((r) => r.regression).length,
    results: rows,
  };
}

function pairedRow(
  g: { eval: string; variant: string; metric: string; pairs: Pair[]; unpaired: number },
  headline: boolean,
  { comparability, comparability_reason }: { comparability: Comparability; comparability_reason: string },
): CompareRow {
  let a = 0; // both pass
  let d = 0; // neither
  const passToFail: string[] = [];
  const failToPass: string[] = [];
  for (const p of g.pairs) {
    if (p.base && p.candidate) a++;
    else if (!p.base && !p.candidate) d++;
    else (p.base ? passToFail : failToPass).push(p.label);
  }
  const b = passToFail.length;
  const c = failToPass.length;
  const n = g.pairs.length;
  return {
    eval: g.eval,
    variant: g.variant,
    metric: g.metric,
    headline,
    comparability,
    comparability_reason,
    n,
    unpaired: g.unpaired,
    base_passed: a + b,
    candidate_passed: a + c,
    base_score: n ? (a + b) / n : null,
    base_ci95: n ? wilson(a + b, n) : null,
    candidate_score: n ? (a + c) / n : null,
    candidate_ci95: n ? wilson(a + c, n) : null,
    difference: n ? (c - b) / n : null,
    difference_ci95: n ? pairedDifferenceCI(a, b, c, d) : null,
    pass_to_fail: b,
    fail_to_pass: c,
    p_value: mcnemarExact(b, c),
    p_holm: null,
    regression: false,
    change: 'unchanged',
    flipped: { pass_to_fail: passToFail, fail_to_pass: failToPass },
  };
}

type ItemInfo = Pick<ScoreRow, 'eval' | 'variant' | 'sample_id' | 'epoch' | 'status'>;

/**
 * One run's score rows, read one at a time (a 100,000-item run is never held as rows): its items by key; pass per
 * `key \0 metric` for scored items only (errors are never counted as passes or failures, and an answer with no content
 * is neither: it stays unpaired, like an error); and the metrics scored per `eval \0 variant`, in the run's order.
 */
function scan(store: Store, runId: string): { items: Map<string, ItemInfo>; passes: Map<string, boolean>; metrics: Map<string, Set<string>> } {
  const items = new Map<string, ItemInfo>();
  const passes = new Map<string, boolean>();
  const metrics = new Map<string, Set<string>>();
  for (const r of store.eachScoreRow(runId)) {
    if (!items.has(r.key)) items.set(r.key, { eval: r.eval, variant: r.variant, sample_id: r.sample_id, epoch: r.epoch, status: r.status });
    if (r.metric === null) continue;
    const ev = `${r.eval}\u0000${r.variant}`;
    if (!metrics.has(ev)) metrics.set(ev, new Set());
    metrics.get(ev)!.add(r.metric);
    if (r.status === 'scored' && r.grader_version !== NO_ANSWER_GRADER && r.grader_version !== JUDGE_ERROR_GRADER) passes.set(`${r.key}\u0000${r.metric}`, r.pass === 1);
  }
  return { items, passes, metrics };
}

function refusal(base: RunRecord, baseItems: Map<string, ItemInfo>, candidate: RunRecord, candItems: Map<string, ItemInfo>): string {
  const variants = (items: Map<string, ItemInfo>) => [...new Set([...items.values()].map((i) => `${i.eval}:${i.variant}`))];
  const bv = variants(baseItems);
  const cv = variants(candItems);
  const head = `cannot compare: base run ${base.id} (${baseItems.size} items) and candidate run ${candidate.id} (${candItems.size} items) share no item`;
  if (!bv.some((v) => cv.includes(v))) {
    return `${head}; they ran different evals (base: ${bv.join(', ') || 'none'}; candidate: ${cv.join(', ') || 'none'})`;
  }
  return `${head} although both ran ${bv.filter((v) => cv.includes(v)).join(', ')}: were they started with different --limit, --seed or --epochs?`;
}

/** `eval:variant metric`, how every format names a row. */
export const rowName = (r: Pick<CompareRow, 'eval' | 'variant' | 'metric'>) => `${r.eval}:${r.variant} ${r.metric}`;

const changeLabels: Record<Change, string> = {
  regression: 'REGRESSION',
  'within-max-drop': 'lower, within max drop',
  lower: 'significantly lower',
  improved: 'improved',
  unchanged: 'no significant change',
  'not-comparable': 'not comparable (not gated)',
};

export function changeLabel(r: Pick<CompareRow, 'change' | 'headline'>): string {
  return r.headline || r.change === 'not-comparable' ? changeLabels[r.change] : `${changeLabels[r.change]} (not gated)`;
}

/** One sentence: the gate's verdict and how it was reached. */
export function verdictLine(cmp: Comparison): string {
  const gated = cmp.results.filter((r) => r.headline && r.comparability !== 'not-comparable').length;
  const how = `${gated} headline rows gated: exact McNemar, Holm-adjusted, alpha ${cmp.alpha}, max drop ${cmp.max_drop}`;
  if (cmp.regressions === 0) return `no regression (${how})`;
  return `REGRESSION in ${cmp.regressions} of ${gated} rows (${how})`;
}
