// Paired comparison of two runs (docs/statistics.md): samples paired across runs, a sign-flip test per row, Holm across the
// gated rows, a tolerance test against --max-drop, and the gate's exit code.
import { ConfigError } from '../core/errors.js';
import { clusteredInterval, holm, signFlipTest, type PairedCluster, type SignFlipTest } from '../core/stats.js';
import { comparabilityOf, type Comparability } from '../core/comparability.js';
import { NO_ANSWER_METRIC, type MetricRole } from '../core/define.js';
import type { PrivilegePair } from '../core/types.js';
import { JUDGE_ERROR_GRADER, NO_ANSWER_GRADER } from './report.js';
import type { RunRecord, Store } from './store.js';
import type { z } from 'zod';
import type { compareRowSchema, comparisonSchema, outcomeSchema, runSummarySchema } from './compare-schema.js';

export interface CompareOptions {
  /** The drop (in the metric's good direction) a gated row may show and still be `equivalent`. */
  maxDrop: number;
  /** Family-wise error rate of the gate (Holm across the gated rows); also the level of each one-sided bound. */
  alpha: number;
  /** A metric's headline flag, direction and gating (core/define.ts metricRole). */
  role: (evalId: string, metric: string) => MetricRole;
  /** The privilege levels an eval variant pits against each other (EvalDefinition.privileges); undefined: none. */
  privileges?: (evalId: string, variant: string) => PrivilegePair | undefined;
  /** The cluster of a sample, from its stored JSON (EvalDefinition.cluster); undefined: each sample its own. */
  cluster?: (evalId: string, sample: unknown) => string | undefined;
}

/** The share of the items the base scored that the candidate may leave unscored (errors, unfinished) before exit 1. */
export const UNSCORED_LIMIT = 0.02;

export const defaultCompareOptions = { maxDrop: 0.02, alpha: 0.05 } as const;

// The comparison's types are the inference of its zod schema (results/compare-schema.ts, published as
// docs/compare.schema.json): `compare --format json` prints a Comparison as it is.
export type Outcome = z.infer<typeof outcomeSchema>;
export type CompareRow = z.infer<typeof compareRowSchema>;
export type RunSummary = z.infer<typeof runSummarySchema>;
export type Comparison = z.infer<typeof comparisonSchema>;

const summary = (r: RunRecord): RunSummary => ({ id: r.id, model: r.model, status: r.status, created: r.created });

interface ItemInfo {
  eval: string;
  variant: string;
  sample_id: string;
  epoch: number;
  status: string;
  noAnswer: boolean;
}

interface Group {
  eval: string;
  variant: string;
  metric: string;
  /** sample id → its outcomes (1 pass, 0 fail) over epochs in each run. */
  samples: Map<string, { base: number[]; candidate: number[] }>;
  unpaired: number;
}

const sampleKey = (i: Pick<ItemInfo, 'eval' | 'variant' | 'sample_id'>) => `${i.eval}\u0000${i.variant}\u0000${i.sample_id}`;

/**
 * Compares two stored runs. Throws ConfigError (exit 2) when no item pairs: none shared, every shared sample's content
 * changed, or nothing scored in both. Compares the shared items (and says so in `warnings`) when the item sets differ.
 */
export function compareRuns(store: Store, base: RunRecord, candidate: RunRecord, options: CompareOptions): Comparison {
  const baseScan = scan(store, base.id, options.role);
  const candScan = scan(store, candidate.id, options.role);
  const { items: baseItems } = baseScan;
  const { items: candItems } = candScan;
  const sharedKeys = [...baseItems.keys()].filter((k) => candItems.has(k));
  if (sharedKeys.length === 0) throw new ConfigError(refusal(base, baseItems, candidate, candItems));

  const warnings: string[] = [];
  if (base.id === candidate.id) warnings.push(`run ${base.id} is compared with itself: every pair is identical by construction, so nothing can regress`);
  // A sample whose content changed is another question under the same id: it is never paired.
  const changed = store.changedSamples(base.id, candidate.id);
  const shared = sharedKeys.filter((k) => !changed.has(sampleKey(baseItems.get(k)!)));
  const dataChanged = sharedKeys.length - shared.length;
  if (changed.size > 0) {
    warnings.push(`${count(changed.size, 'sample')} (${count(dataChanged, 'item')}) ${changed.size === 1 ? 'has' : 'have'} different content in the two runs (the dataset changed between them) and are left out`);
  }
  for (const [role, run] of [['base', base], ['candidate', candidate]] as const) {
    if (!store.hasSamples(run.id)) warnings.push(`${role} run ${run.id} stored no samples (made by an older cardeval): whether its data changed cannot be checked`);
  }
  if (shared.length === 0) {
    throw new ConfigError(`cannot compare: the ${changed.size} samples base run ${base.id} and candidate run ${candidate.id} share all have different content (the dataset changed between the runs)`);
  }
  if (shared.length < baseItems.size || shared.length < candItems.size) {
    warnings.push(
      `the runs have different item sets: comparing the ${shared.length} items both have with the same content ` +
        `(${baseItems.size - shared.length} of base ${base.id}'s ${baseItems.size} are left out, ` +
        `${candItems.size - shared.length} of candidate ${candidate.id}'s ${candItems.size})`,
    );
  }
  for (const [role, run] of [['base', base], ['candidate', candidate]] as const) {
    if (run.status !== 'completed') warnings.push(`${role} run ${run.id} is ${run.status}: only its scored items are compared`);
  }
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

  // Rows in the base run's order: every metric either run scored on a shared item, then each variant's no_answer row.
  const groups = new Map<string, Group>();
  const group = (item: ItemInfo, metric: string) => {
    const gk = `${item.eval}\u0000${item.variant}\u0000${metric}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { eval: item.eval, variant: item.variant, metric, samples: new Map(), unpaired: 0 }));
    return g;
  };
  const metricsOf = new Map(baseScan.metrics);
  for (const [ev, metrics] of candScan.metrics) metricsOf.set(ev, new Set([...(metricsOf.get(ev) ?? []), ...metrics]));
  const dodging = new Set<string>();
  let baseScored = 0;
  let candidateUnscored = 0;
  for (const key of shared) {
    const item = baseItems.get(key)!;
    const cand = candItems.get(key)!;
    if (item.status === 'scored') {
      baseScored++;
      if (cand.status !== 'scored') candidateUnscored++;
    }
    const bothScored = item.status === 'scored' && cand.status === 'scored';
    if (item.noAnswer || cand.noAnswer) dodging.add(`${item.eval}\u0000${item.variant}`);
    for (const metric of metricsOf.get(`${item.eval}\u0000${item.variant}`) ?? []) {
      const b = baseScan.passes.get(`${key}\u0000${metric}`);
      const c = candScan.passes.get(`${key}\u0000${metric}`);
      // Scored in both runs with no score on this metric: the metric does not apply to the sample.
      if (b === undefined && c === undefined && bothScored) continue;
      const g = group(item, metric);
      if (b === undefined || c === undefined) {
        g.unpaired++;
        continue;
      }
      const s = g.samples.get(item.sample_id) ?? { base: [], candidate: [] };
      s.base.push(b ? 1 : 0);
      s.candidate.push(c ? 1 : 0);
      g.samples.set(item.sample_id, s);
    }
  }
  // The no_answer row of each variant where either run left an answer empty: an item scores 1 when it had no answer.
  for (const key of shared) {
    const item = baseItems.get(key)!;
    const cand = candItems.get(key)!;
    if (!dodging.has(`${item.eval}\u0000${item.variant}`)) continue;
    const g = group(item, NO_ANSWER_METRIC);
    if (item.status !== 'scored' || cand.status !== 'scored') {
      g.unpaired++;
      continue;
    }
    const s = g.samples.get(item.sample_id) ?? { base: [], candidate: [] };
    s.base.push(item.noAnswer ? 1 : 0);
    s.candidate.push(cand.noAnswer ? 1 : 0);
    g.samples.set(item.sample_id, s);
  }
  if ([...groups.values()].every((g) => g.samples.size === 0)) {
    throw new ConfigError(
      `cannot compare: no item was scored in both runs (of the ${shared.length} items they share, base ${base.id} scored ${countScored(baseItems, shared)} ` +
        `and candidate ${candidate.id} scored ${countScored(candItems, shared)}; the rest ended in errors or are unfinished)`,
    );
  }

  const samples = options.cluster ? store.samplesOf(base.id) : undefined;
  const clusters = new Map<string, string>(); // each sample's cluster, parsed once for all its rows
  const clusterOf = (g: Group, sampleId: string): string => {
    const key = `${g.eval}\u0000${g.variant}\u0000${sampleId}`;
    let cluster = clusters.get(key);
    if (cluster === undefined) {
      const stored = samples?.get(key);
      // The cluster the run stored when it was made; a run made before that asks the eval's module.
      if (stored?.facets) cluster = stored.facets.cluster ?? `sample:${sampleId}`;
      else cluster = (stored !== undefined ? options.cluster!(g.eval, JSON.parse(stored.data)) : undefined) ?? `sample:${sampleId}`;
      clusters.set(key, cluster);
    }
    return cluster;
  };
  const rows = [...groups.values()].map((g) => {
    const role = options.role(g.eval, g.metric);
    const comparability = comparabilityFor(g.eval, g.variant);
    return pairedRow(g, role, comparability, (id) => clusterOf(g, id), options);
  });
  for (const r of rows) {
    if (r.unpaired > 0) warnings.push(`${rowName(r)}: ${r.unpaired} shared items were not scored on it in both runs (an error, unfinished, or scored in one run only) and are left out`);
  }

  // The gate: Holm across every gated row with pairs, on the one-sided test of "the drop is at most max-drop".
  const gated = rows.filter((r) => r.gated && r.n > 0);
  holm(gated.map((r) => r.p_regression)).forEach((p, i) => (gated[i].p_holm = p));
  for (const r of gated) {
    if (r.outcome !== 'unchanged' && r.p_holm! < options.alpha) r.outcome = 'regression';
    else if (r.outcome === 'regression') r.outcome = 'inconclusive'; // significant alone, not after Holm
    r.regression = r.outcome === 'regression';
  }
  for (const r of rows) r.samples_to_decide = r.outcome === 'inconclusive' ? r.samples_to_decide : null;

  const unscoredFailed = baseScored > 0 && candidateUnscored / baseScored > UNSCORED_LIMIT;
  if (candidateUnscored > 0) {
    warnings.push(`candidate ${candidate.id} left ${candidateUnscored} of the ${baseScored} items the base scored unscored (errors or unfinished)` + (unscoredFailed ? `: more than ${UNSCORED_LIMIT * 100}%, the gate fails` : ''));
  }
  return {
    base: summary(base),
    candidate: summary(candidate),
    alpha: options.alpha,
    max_drop: options.maxDrop,
    items: { base: baseItems.size, candidate: candItems.size, shared: shared.length, data_changed: dataChanged },
    changed_samples: changed.size,
    unscored: { base_scored: baseScored, candidate_unscored: candidateUnscored, limit: UNSCORED_LIMIT, failed: unscoredFailed },
    warnings,
    regressions: rows.filter((r) => r.regression).length,
    inconclusive: rows.filter((r) => r.gated && r.outcome === 'inconclusive').length,
    results: rows,
  };
}

/** The exit code of a comparison (exit 2, nothing pairs, is thrown before): 1 when the gate fails, else 0. */
export function gateExitCode(cmp: Comparison, failOnInconclusive = false): 0 | 1 {
  if (cmp.regressions > 0 || cmp.unscored.failed) return 1;
  return failOnInconclusive && cmp.inconclusive > 0 ? 1 : 0;
}

/** "1 sample", "3 samples". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const countScored = (items: Map<string, ItemInfo>, keys: string[]) => keys.filter((k) => items.get(k)!.status === 'scored').length;
const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

function pairedRow(
  g: Group,
  role: MetricRole,
  { comparability, comparability_reason }: { comparability: Comparability; comparability_reason: string },
  clusterOf: (sampleId: string) => string,
  options: Pick<CompareOptions, 'alpha' | 'maxDrop'>,
): CompareRow {
  const sign = role.higherIsBetter ? 1 : -1;
  const clusters = new Map<string, PairedCluster>();
  const baseClusters = new Map<string, number[]>();
  const candClusters = new Map<string, number[]>();
  const fell: string[] = [];
  const rose: string[] = [];
  let baseSum = 0;
  let candSum = 0;
  let n = 0;
  for (const [id, s] of g.samples) {
    const b = mean(s.base);
    const c = mean(s.candidate);
    baseSum += b;
    candSum += c;
    n++;
    if (c < b) fell.push(id);
    else if (c > b) rose.push(id);
    const k = clusterOf(id);
    const cl = clusters.get(k) ?? { sum: 0, size: 0 };
    cl.sum += sign * (c - b); // the test reads differences in the good direction
    cl.size++;
    clusters.set(k, cl);
    for (const [byCluster, outcomes] of [[baseClusters, s.base], [candClusters, s.candidate]] as const) {
      const list = byCluster.get(k);
      if (list) list.push(...outcomes);
      else byCluster.set(k, [...outcomes]);
    }
  }
  const gated = role.gated && comparability !== 'not-comparable';
  const row: CompareRow = {
    eval: g.eval,
    variant: g.variant,
    metric: g.metric,
    headline: role.headline,
    gated,
    higher_is_better: role.higherIsBetter,
    comparability,
    comparability_reason,
    n,
    clusters: clusters.size,
    unpaired: g.unpaired,
    base_score: n ? baseSum / n : null,
    base_ci95: n ? clusteredInterval([...baseClusters.values()]).ci95 : null,
    candidate_score: n ? candSum / n : null,
    candidate_ci95: n ? clusteredInterval([...candClusters.values()]).ci95 : null,
    difference: n ? (candSum - baseSum) / n : null,
    difference_ci95: null,
    difference_bounds: null,
    pass_to_fail: fell.length,
    fail_to_pass: rose.length,
    p_value: 1,
    p_regression: 1,
    p_holm: null,
    test_method: 'none', // until a pair is found: nothing paired, nothing tested
    outcome: 'inconclusive',
    samples_to_decide: null,
    regression: false,
    flipped: { pass_to_fail: fell, fail_to_pass: rose },
  };
  if (n === 0) return row;
  const test = signFlipTest([...clusters.values()]);
  const m = options.maxDrop;
  const raw = ([lo, hi]: [number, number]): [number, number] => (sign > 0 ? [lo, hi] : [-hi, -lo]);
  const bounds = test.bounds(options.alpha);
  row.difference_ci95 = raw(test.bounds(0.025));
  row.difference_bounds = raw(bounds);
  row.p_value = test.twoSided();
  row.p_regression = test.lower(-m);
  row.test_method = test.method;
  // Gated rows are read again after Holm.
  row.outcome = fell.length === 0 && rose.length === 0 ? 'unchanged' : toleranceOutcome(test, options);
  row.samples_to_decide = samplesToDecide(test.mean, bounds, n, m); // kept for rows that end inconclusive
  if (comparability === 'not-comparable') row.outcome = 'not-comparable';
  return row;
}

/**
 * The tolerance test of one row whose pairs are not all identical, before any multiplicity adjustment: `regression`
 * when "the drop is at most maxDrop" is rejected at alpha (its one-sided upper bound is below −maxDrop), else
 * `improvement` when "no difference" is rejected upwards, else `equivalent` when "the drop is at least maxDrop" is
 * rejected (the one-sided lower bound is above −maxDrop), else `inconclusive`.
 */
export function toleranceOutcome(test: SignFlipTest, { alpha, maxDrop }: Pick<CompareOptions, 'alpha' | 'maxDrop'>): Outcome {
  if (test.lower(-maxDrop) < alpha) return 'regression';
  if (test.upper(0) < alpha) return 'improvement';
  if (test.upper(-maxDrop) < alpha) return 'equivalent';
  return 'inconclusive';
}

/**
 * About how many samples would decide an inconclusive row if its mean difference and spread stayed as observed: the
 * bounds narrow as 1/√n, so n·(half-width / distance to the margin)². Null when the mean sits on the margin.
 */
function samplesToDecide(meanDiff: number, [lo, hi]: [number, number], n: number, maxDrop: number): number | null {
  const distance = Math.abs(meanDiff + maxDrop);
  const half = (hi - lo) / 2;
  if (distance < 1e-12 || half <= 0) return null;
  return Math.max(n + 1, Math.ceil(n * (half / distance) ** 2));
}

/**
 * One run's score rows, read one at a time (a 100,000-item run is never held as rows): its items by key; pass per
 * `key \0 metric` for scored items only (an error is never a pass or a failure); and the metrics scored per
 * `eval \0 variant`, in the run's order. An answer with no content counts as the metric's bad outcome.
 */
function scan(store: Store, runId: string, role: CompareOptions['role']) {
  const items = new Map<string, ItemInfo>();
  const passes = new Map<string, boolean>();
  const metrics = new Map<string, Set<string>>();
  for (const r of store.eachScoreRow(runId)) {
    let item = items.get(r.key);
    if (!item) items.set(r.key, (item = { eval: r.eval, variant: r.variant, sample_id: r.sample_id, epoch: r.epoch, status: r.status, noAnswer: false }));
    if (r.metric === null) continue;
    const ev = `${r.eval}\u0000${r.variant}`;
    if (!metrics.has(ev)) metrics.set(ev, new Set());
    metrics.get(ev)!.add(r.metric);
    // A judge's failed call is neither pass nor fail: left unpaired, like an error.
    if (r.status !== 'scored' || r.grader_version === JUDGE_ERROR_GRADER) continue;
    if (r.grader_version === NO_ANSWER_GRADER) {
      item.noAnswer = true;
      passes.set(`${r.key}\u0000${r.metric}`, !role(r.eval, r.metric).higherIsBetter);
    } else {
      passes.set(`${r.key}\u0000${r.metric}`, r.pass === 1);
    }
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

const outcomeLabels: Record<Outcome, string> = {
  regression: 'REGRESSION',
  equivalent: 'equivalent',
  improvement: 'improvement',
  unchanged: 'unchanged',
  inconclusive: 'inconclusive',
  'not-comparable': 'not comparable',
};

/** The outcome as every format prints it: `inconclusive` with the samples that would decide it, `(not gated)` where so. */
export function outcomeLabel(r: Pick<CompareRow, 'outcome' | 'gated' | 'samples_to_decide'>): string {
  let label = outcomeLabels[r.outcome];
  if (r.outcome === 'inconclusive') label += r.samples_to_decide ? ` (~${r.samples_to_decide} samples would decide)` : ' (no sample count would decide it)';
  return r.gated ? label : `${label} (not gated)`;
}

/** One sentence: the gate's verdict and how it was reached. */
export function verdictLine(cmp: Comparison): string {
  const gated = cmp.results.filter((r) => r.gated).length;
  const how = `${gated} gated rows: sign-flip test on samples, Holm-adjusted, alpha ${cmp.alpha}, max drop ${cmp.max_drop}`;
  const unscored = cmp.unscored.failed
    ? `; the candidate left ${cmp.unscored.candidate_unscored} of ${cmp.unscored.base_scored} items the base scored unscored (over ${cmp.unscored.limit * 100}%)`
    : '';
  if (cmp.regressions > 0) return `REGRESSION in ${cmp.regressions} of ${gated} rows (${how})${unscored}`;
  if (cmp.unscored.failed) return `FAILED: ${unscored.slice(2)} (${how})`;
  const inconclusive = cmp.inconclusive > 0 ? `, ${cmp.inconclusive} inconclusive` : '';
  return `no regression${inconclusive} (${how})`;
}
