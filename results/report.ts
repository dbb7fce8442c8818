// Builds the report of one run (docs/report.schema.json) from the store: scores, cluster-robust intervals, breakdowns, comparability,
// the one published figure each verdict uses.
import { clusteredInterval } from '../core/stats.js';
import { comparabilityOf, type RowComparability } from '../core/comparability.js';
import { headlineMetric, isHeadlineMetric, metricRole } from '../core/define.js';
import type { AnyEval, PublishedFigure } from '../core/types.js';
import type { RunRecord, Store } from './store.js';
import type { z } from 'zod';
import type { breakdownRowSchema, publishedRefSchema, referenceSchema, reportSchema, resultRowSchema, verdictSchema } from './report-schema.js';

export type Verdict = z.infer<typeof verdictSchema>;

/** Fewer distinct samples than this (epochs not counted) and a verdict is `inconclusive`. */
export const MIN_VERDICT_SAMPLES = 30;
/** A 95% interval wider than this and a verdict is `inconclusive`. */
export const MAX_VERDICT_WIDTH = 0.2;

/** The grader_version of a score written for an answer with no content: neither pass nor fail (harness/no-answer.ts). */
export const NO_ANSWER_GRADER = 'no-answer';
/** The grader_version of a judge call that failed or wrote no verdict line: counted as a judge error, neither pass nor fail. */
export const JUDGE_ERROR_GRADER = 'judge-error';

// The report's types are the inference of its zod schema (results/report-schema.ts, published as docs/report.schema.json).
export type PublishedRef = z.infer<typeof publishedRefSchema>;
/** The one figure a verdict used. */
export type Reference = z.infer<typeof referenceSchema>;
export type BreakdownRow = z.infer<typeof breakdownRowSchema>;
export type ResultRow = z.infer<typeof resultRowSchema>;
export type Report = z.infer<typeof reportSchema>;

/** The document the o3-mini-system-card suite replicates: the default reference of every verdict. */
export const primaryDocument = 'OpenAI o3-mini System Card';

/** The models whose columns the o3-mini card's tables 5–7 print, in its order of interest. */
export const cardModels = ['o3-mini', 'o1', 'GPT-4o'] as const;

/** A row's figure from the o3-mini card for one of its models (a related test's figure is context: formats mark it). */
export function cardFigure(row: ResultRow, model: string): PublishedRef | undefined {
  return row.published.find((p) => p.document === primaryDocument && p.model === model);
}

/**
 * The verdict a report format shows: none for a row that no document publishes any figure for (a custom eval), which
 * has nothing to be compared with; `no-published` stays for a card row whose reference skipped this model. The JSON
 * report keeps the verdict as it is.
 */
export function shownVerdict(row: ResultRow): ResultRow['verdict'] | '' {
  return row.published.length === 0 && row.verdict === 'no-published' ? '' : row.verdict;
}

/** The closing words on what the verdicts compared with: the figures used, or why there are none. */
export function verdictsComparedWith(report: Report, refs: readonly string[]): string {
  if (refs.length) return `verdicts compare with ${refs.join('; ')}`;
  if (report.results.every((r) => r.published.length === 0)) return 'no document publishes a figure for these evals: no verdict';
  return `verdicts compare with ${report.run.reference_document}, which publishes no figure for ${report.run.model} (no-published)`;
}

/** A row's figure from the o3-mini card for one of its models. */
export function cardValue(row: ResultRow, model: string): number | undefined {
  return cardFigure(row, model)?.value;
}

/**
 * Figures of a related but different test shown beside a row as context: those of the o3-mini card and of the
 * reference document (the JSON and HTML reports list every figure with its test_match).
 */
export function contextFigures(row: ResultRow, referenceDocument: string): PublishedRef[] {
  return row.published.filter((p) => p.test_match === 'related' && (p.document === primaryDocument || p.document === referenceDocument));
}

/** The reasoning effort as printed beside a verdict. */
export function effortText(effort: string | null): string {
  return effort ?? 'not set (API default)';
}

/** A model id ending in a snapshot date (`gpt-4o-2024-08-06`). */
const datedSnapshot = /-\d{4}-\d{2}-\d{2}$/;

/** A document's id on the command line (`--reference`): its title in kebab-case, e.g. `openai-o3-mini-system-card`. */
export function documentId(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The document a `--reference` names (id or exact title), or undefined. */
export function findDocument(figures: PublishedFigure[], wanted: string): string | undefined {
  const titles = [...new Set(figures.map((f) => f.document))];
  return titles.find((t) => t === wanted || documentId(t) === documentId(wanted));
}

/**
 * API model ids → the name a document prints for the same model. Only names the documents themselves equate: the GPT-5
 * card calls the API's gpt-5 "gpt-5-thinking" and gpt-5-chat-latest "gpt-5-main".
 */
const modelAliases: Record<string, string[]> = {
  'gpt-5': ['gpt-5-thinking'],
  'gpt-5-mini': ['gpt-5-thinking-mini', 'gpt-5-mini'],
  'gpt-5-chat-latest': ['gpt-5-main'],
  'gpt-5-chat': ['gpt-5-main'],
};

/** The names a run's model may carry in a document: itself without a date suffix, and its aliases. */
export function publishedNames(model: string): string[] {
  const family = model.toLowerCase().replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return [family, ...(modelAliases[family] ?? [])];
}

interface SampleOutcomes {
  sample_id: string;
  outcomes: number[];
}

/** A graded outcome as kept per sample: 0 fail, 1 pass; +2 when the grader was uncertain (its pass a best guess). */
const UNCERTAIN = 2;

interface Group {
  eval: string;
  variant: string;
  metric: string;
  bySample: Map<string, number[]>;
  noAnswer: number;
  /** No-answers counted as passes: a lower-is-better metric counts the bad outcome, e.g. over-refusal. */
  noAnswerPassed: number;
  truncated: number;
  judgeErrors: number;
  uncertain: number;
}

export interface ReportOptions {
  /** `--reference`: the document whose figures verdicts use (id or title); default: the run's, else the primary one. */
  reference?: string;
}

export function buildReport(store: Store, run: RunRecord, evals: Map<string, AnyEval>, options: ReportOptions = {}): Report {
  const figures = store.published();
  const params = run.params as {
    reference?: string; system_is_developer?: boolean; not_comparable_skipped?: string[]; reasoning_effort?: string;
    fail_under?: { all?: number; rows?: Record<string, number>; bound?: boolean };
  };
  const wanted = options.reference ?? params.reference;
  const referenceDocument = wanted === undefined ? primaryDocument : (findDocument(figures, wanted) ?? wanted);
  const levels = { roleProfile: run.role_profile, systemIsDeveloper: !!params.system_is_developer };
  const effort = params.reasoning_effort ?? null;
  const samples = store.samplesOf(run.id);
  const parsed = new Map<string, unknown>();
  const sampleOf = (evalId: string, variant: string, sampleId: string): unknown => {
    const k = `${evalId}\u0000${variant}\u0000${sampleId}`;
    if (!parsed.has(k)) {
      const data = samples.get(k)?.data;
      parsed.set(k, data === undefined ? undefined : JSON.parse(data));
    }
    return parsed.get(k);
  };
  // The keys the run stored when it was made; a run made before they were asks the eval's module.
  const facetsOf = (evalId: string, variant: string, sampleId: string) => samples.get(`${evalId}\u0000${variant}\u0000${sampleId}`)?.facets;

  // Group: eval → variant → metric → sample → pass list (epochs); errors per eval/variant.
  const groups = new Map<string, Group>();
  const errors = new Map<string, number>();
  const order: string[] = [];
  for (const r of store.eachScoreRow(run.id)) {
    const ev = `${r.eval}\u0000${r.variant}`;
    if (r.status === 'error') errors.set(ev, (errors.get(ev) ?? 0) + 1);
    const def = evals.get(r.eval);
    // The eval's own metrics, then any other a run stored (a judge's, an older grader's).
    const metrics = [...(def ? def.metrics.map((m) => m.name) : []), ...(r.metric ? [r.metric] : [])];
    for (const m of metrics) {
      const k = `${ev}\u0000${m}`;
      if (!groups.has(k)) {
        groups.set(k, { eval: r.eval, variant: r.variant, metric: m, bySample: new Map(), noAnswer: 0, noAnswerPassed: 0, truncated: 0, judgeErrors: 0, uncertain: 0 });
        order.push(k);
      }
    }
    if (r.status !== 'scored' || r.metric === null) continue;
    const g = groups.get(`${ev}\u0000${r.metric}`);
    if (!g) continue;
    // An answer with no content is the metric's bad outcome: a row never improves by answering less (the README's `no_answer`).
    const noAnswer = r.grader_version === NO_ANSWER_GRADER;
    const pass = noAnswer ? !metricRole(def, r.metric).higherIsBetter : r.pass === 1;
    if (noAnswer) {
      g.noAnswer++;
      if (pass) g.noAnswerPassed++;
    }
    if (r.grader_version === JUDGE_ERROR_GRADER) {
      g.judgeErrors++;
      continue;
    }
    if (r.truncated) g.truncated++;
    if (r.uncertain) g.uncertain++;
    const list = g.bySample.get(r.sample_id) ?? [];
    list.push((pass ? 1 : 0) + (r.uncertain ? UNCERTAIN : 0));
    g.bySample.set(r.sample_id, list);
  }
  // Rows the run left out as not comparable (named with --eval they would have run): shown, with their reason.
  for (const spec of params.not_comparable_skipped ?? []) {
    const [evalId, variant] = spec.split(':');
    const def = evals.get(evalId);
    const metric = def ? headlineMetric(def) : 'accuracy';
    const k = `${evalId}\u0000${variant}\u0000${metric}`;
    if (!groups.has(k)) {
      groups.set(k, { eval: evalId, variant, metric, bySample: new Map(), noAnswer: 0, noAnswerPassed: 0, truncated: 0, judgeErrors: 0, uncertain: 0 });
      order.push(k);
    }
  }
  const skipped = new Set(params.not_comparable_skipped ?? []);

  const results = order.map((k): ResultRow => {
    const g = groups.get(k)!;
    const def = evals.get(g.eval);
    const headline = isHeadlineMetric(def, g.metric);
    // Each outcome as the grader's best guess, and with every uncertain one failed (low) or passed (high).
    const as = (read: (code: number) => number): SampleOutcomes[] => [...g.bySample].map(([sample_id, o]) => ({ sample_id, outcomes: o.map(read) }));
    const outcomes = as((c) => c & 1);
    const clusterOf = (sampleId: string): string => {
      const facets = facetsOf(g.eval, g.variant, sampleId);
      if (facets) return facets.cluster ?? `sample:${sampleId}`;
      const sample = def?.cluster ? sampleOf(g.eval, g.variant, sampleId) : undefined;
      return sample !== undefined ? def!.cluster!(sample) : `sample:${sampleId}`;
    };
    const stats = intervalOf(outcomes, clusterOf);
    const n = outcomes.reduce((a, s) => a + s.outcomes.length, 0);
    const passed = outcomes.reduce((a, s) => a + s.outcomes.reduce((x, y) => x + y, 0), 0);
    const uncertainPassed = [...g.bySample.values()].reduce((a, o) => a + o.filter((c) => c === UNCERTAIN + 1).length, 0);
    const context = def?.metrics.find((m) => m.name === g.metric)?.context;
    const published = headline
      ? publishedFor(figures, def?.publishedId ?? g.eval, g.variant)
      : context
        ? publishedFor(figures, context.eval, g.variant).filter((p) => p.metric === context.metric).map((p) => ({ ...p, test_match: 'related' as const }))
        : [];
    // The eval's own reference document (one outside the o3-mini card) unless the run named one.
    const rowDocument = wanted === undefined && def?.reference ? def.reference.document : referenceDocument;
    const setup = approximateBy(comparabilityOf(def?.privileges?.(g.variant), levels), headline ? def?.reference?.approximate : undefined);
    let { comparability, comparability_reason } = setup;
    // A verdict only compares like with like: the run's own model, in the reference document, the same test and metric.
    const ref = headline ? pickReference(published.filter((p) => p.metric === g.metric && p.test_match === 'same'), run.model, rowDocument) : undefined;
    // The reference document's figures for this row measure another test or metric: context, never a verdict.
    const other = headline && !ref ? published.find((p) => p.document === rowDocument && (p.test_match === 'related' || p.metric !== g.metric)) : undefined;
    let verdict: Verdict;
    let verdictReason: string | undefined;
    if (comparability === 'not-comparable') {
      verdict = 'not-comparable';
    } else if (other) {
      comparability = 'not-comparable';
      comparability_reason = otherTestReason(other, g.metric);
      verdict = 'not-comparable';
      verdictReason = comparability_reason;
    } else {
      verdict = verdictFor(stats?.ci95 ?? null, ref);
      if (ref) {
        const snapshot = snapshotReason(run.model, ref, published);
        if (snapshot) {
          comparability = 'approximate';
          comparability_reason = setup.comparability === 'approximate' ? `${comparability_reason}; ${snapshot}` : snapshot;
        }
        // The verdict with every uncertain grade failed, then passed: it must not hang on what the grader could not decide.
        const atBounds = g.uncertain > 0 ? [0, 1].map((u) => verdictFor(intervalOf(as((c) => (c >= UNCERTAIN ? u : c)), clusterOf)?.ci95 ?? null, ref)) : [];
        verdictReason = inconclusiveReason(g.bySample.size, stats?.ci95 ?? null, verdict, atBounds);
        if (verdictReason) verdict = 'inconclusive';
      }
    }
    const row: ResultRow = {
      eval: g.eval,
      variant: g.variant,
      metric: g.metric,
      headline,
      n,
      passed,
      errors: errors.get(`${g.eval}\u0000${g.variant}`) ?? 0,
      no_answer: g.noAnswer,
      score_answered: n - g.noAnswer === 0 ? null : (passed - g.noAnswerPassed) / (n - g.noAnswer),
      higher_is_better: metricRole(def, g.metric).higherIsBetter,
      truncated: g.truncated,
      score: n === 0 ? null : passed / n,
      ci95: stats?.ci95 ?? null,
      ci95_method: stats?.method ?? null,
      n_effective: stats ? Math.round(stats.n_effective * 10) / 10 : null,
      published,
      reference: ref ? { document: ref.document, table: ref.table, model: ref.model, value: ref.value } : null,
      verdict,
      ...(verdictReason ? { verdict_reason: verdictReason } : {}),
      reasoning_effort: effort,
      comparability,
      comparability_reason,
      uncertain: g.uncertain,
      score_bounds: n === 0 ? null : [(passed - uncertainPassed) / n, (passed + g.uncertain - uncertainPassed) / n],
    };
    if (skipped.has(`${g.eval}:${g.variant}`)) row.skipped = true;
    const floor = headline && !row.skipped ? floorOf(params.fail_under, g.eval, g.variant) : undefined;
    if (floor !== undefined) {
      const compared = params.fail_under?.bound ? 'ci95_lower' : 'score';
      const measured = compared === 'score' ? row.score : (row.ci95?.[0] ?? null);
      row.floor = { value: floor, compared };
      // Nothing scored is no evidence of meeting a floor.
      row.below_floor = measured === null || measured < floor;
    }
    if (g.judgeErrors > 0) row.judge_errors = g.judgeErrors;
    if (headline && def?.breakdowns) {
      const keyOf = (by: string, id: string): string | undefined => {
        const facets = facetsOf(g.eval, g.variant, id);
        if (facets) return facets.breakdowns?.[by];
        const sample = sampleOf(g.eval, g.variant, id);
        return sample === undefined ? undefined : def.breakdowns![by](sample);
      };
      row.breakdown = breakdownOf(def, outcomes, keyOf, clusterOf);
    }
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
      api: run.api,
      role_profile: run.role_profile,
      reference_document: referenceDocument,
      reasoning_effort: effort,
      harness_version: run.harness_version,
      params: run.params,
      dataset_hashes: run.dataset_hashes,
      cost: costOfRun(run),
    },
    results,
  };
}

/** A row whose figures compare only approximately whatever the setup (an eval's own reason): at best `approximate`. */
function approximateBy(setup: RowComparability, reason: string | undefined): RowComparability {
  if (reason === undefined || setup.comparability === 'not-comparable') return setup;
  if (setup.comparability === 'approximate') return { comparability: 'approximate', comparability_reason: `${setup.comparability_reason}; ${reason}` };
  return { comparability: 'approximate', comparability_reason: reason };
}

function costOfRun(run: RunRecord): Report['run']['cost'] {
  const cost: Report['run']['cost'] = { usd: run.cost_usd ?? 0, unpriced_calls: run.unpriced_calls ?? 0 };
  const max = (run.params as { max_cost?: unknown }).max_cost;
  if (typeof max === 'number') {
    cost.max_usd = max;
    if (cost.usd > max) cost.over_usd = cost.usd - max;
  }
  return cost;
}

/** The cluster-robust interval of a set of samples (epochs of a sample go into its cluster), or null with no data. */
function intervalOf(outcomes: SampleOutcomes[], clusterOf: (sampleId: string) => string) {
  if (outcomes.length === 0) return null;
  const clusters = new Map<string, number[]>();
  for (const s of outcomes) {
    const c = clusterOf(s.sample_id);
    const list = clusters.get(c);
    if (list) list.push(...s.outcomes);
    else clusters.set(c, [...s.outcomes]);
  }
  return clusteredInterval([...clusters.values()]);
}

/** One row per key of each breakdown dimension the eval declares, in key order. */
function breakdownOf(def: AnyEval, outcomes: SampleOutcomes[], keyOf: (by: string, id: string) => string | undefined, clusterOf: (id: string) => string): BreakdownRow[] {
  const out: BreakdownRow[] = [];
  for (const by of Object.keys(def.breakdowns ?? {})) {
    const byKey = new Map<string, SampleOutcomes[]>();
    for (const s of outcomes) {
      const key = keyOf(by, s.sample_id);
      if (key === undefined) continue;
      const list = byKey.get(key);
      if (list) list.push(s);
      else byKey.set(key, [s]);
    }
    for (const key of [...byKey.keys()].sort()) {
      const list = byKey.get(key)!;
      const n = list.reduce((a, s) => a + s.outcomes.length, 0);
      const passed = list.reduce((a, s) => a + s.outcomes.reduce((x, y) => x + y, 0), 0);
      out.push({ by, key, n, passed, score: n ? passed / n : null, ci95: intervalOf(list, clusterOf)?.ci95 ?? null });
    }
  }
  return out;
}

/** Decimal places of a printed figure. */
function decimalsOf(value: number): number {
  const text = String(value);
  return text.includes('.') ? text.split('.')[1].length : 0;
}

/** Published figures for one row, the o3-mini card's first. */
export function publishedFor(figures: PublishedFigure[], evalId: string, variant: string): PublishedRef[] {
  // A table prints its figures to one precision: a "1" among two-decimal figures is 1.00 rounded.
  const precision = new Map<string, number>();
  for (const f of figures) {
    const k = `${f.document}\u0000${f.table}`;
    precision.set(k, Math.max(precision.get(k) ?? 0, decimalsOf(f.value)));
  }
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
      decimals: precision.get(`${f.document}\u0000${f.table}`) ?? decimalsOf(f.value),
      test_match: f.test_match ?? 'same',
      ...(f.test_match_quote ? { test_match_quote: f.test_match_quote } : {}),
      ...(f.test_match_reason ? { test_match_reason: f.test_match_reason } : {}),
      ...(f.model_as_published !== f.model ? { model_as_published: f.model_as_published } : {}),
    }));
}

/** The run's own model in the reference document, or nothing: never another model's figure, never another document's. */
export function pickReference(published: PublishedRef[], model: string, document: string): PublishedRef | undefined {
  const names = publishedNames(model);
  return published.find(
    (p) => p.document === document && (names.includes(p.model.toLowerCase()) || (p.model_as_published !== undefined && names.includes(p.model_as_published.toLowerCase()))),
  );
}

/**
 * Whether our interval overlaps the published value taken with its rounding: a value printed to k decimals stands for
 * [value − 0.5·10^-k, value + 0.5·10^-k] (clipped to [0, 1]); docs/statistics.md says why overlap rather than a difference.
 */
export function verdictFor(ci95: [number, number] | null, ref: Pick<PublishedRef, 'value' | 'decimals'> | undefined): Verdict {
  if (ref === undefined || ci95 === null) return 'no-published';
  const half = 0.5 * 10 ** -ref.decimals;
  const lo = Math.max(0, ref.value - half);
  const hi = Math.min(1, ref.value + half);
  if (ci95[0] > hi) return 'higher';
  if (ci95[1] < lo) return 'lower';
  return 'consistent';
}

/** Why a verdict cannot be told from this row, or undefined when it can (the README: inconclusive verdicts). */
export function inconclusiveReason(samples: number, ci95: [number, number] | null, verdict: Verdict, atBounds: Verdict[] = []): string | undefined {
  if (verdict !== 'consistent' && verdict !== 'higher' && verdict !== 'lower') return undefined;
  if (samples < MIN_VERDICT_SAMPLES) return `${samples} distinct sample${samples === 1 ? '' : 's'} (epochs not counted), fewer than ${MIN_VERDICT_SAMPLES}`;
  if (ci95 && ci95[1] - ci95[0] > MAX_VERDICT_WIDTH) return `the 95% interval is ${(ci95[1] - ci95[0]).toFixed(2)} wide, wider than ${MAX_VERDICT_WIDTH}`;
  const changed = atBounds.find((v) => v !== verdict);
  if (changed) return `the verdict would be ${changed} at the other end of score_bounds (uncertain grades)`;
  return undefined;
}

/** The reason a row's figure in the reference document is no verdict: another test, or another metric. */
function otherTestReason(p: PublishedRef, metric: string): string {
  if (p.test_match === 'related') {
    const why = [p.test_match_reason, p.test_match_quote && `the document: ${p.test_match_quote}`].filter(Boolean).join('; ');
    return `the ${p.document} figure filed under this row (${p.table}) is a related but different test${why ? ` (${why})` : ''}: context, never a verdict`;
  }
  return `the ${p.document} figure for this row (${p.table}) is ${p.metric}, not this row's ${metric}; it is context, never a verdict`;
}

/**
 * A dated snapshot (gpt-4o-2024-08-06) against a column whose model the document does not date: which snapshot the
 * figure measured is unknown. Says what the same row reads for that model in other documents, where they differ.
 */
function snapshotReason(model: string, ref: PublishedRef, published: PublishedRef[]): string | undefined {
  const printed = ref.model_as_published ?? ref.model;
  if (!datedSnapshot.test(model) || datedSnapshot.test(printed)) return undefined;
  const elsewhere = published.filter((p) => p.model === ref.model && p.document !== ref.document && p.test_match === 'same' && p.value !== ref.value);
  const others = elsewhere.map((p) => `${p.value} in the ${p.document}`).join(', ');
  return `${model} is a dated snapshot; the ${ref.document} names its column "${printed}" with no snapshot date` + (others ? ` (the same row reads ${others})` : '');
}

/** The floor `run --fail-under` set for a row: its own (`EVAL:VARIANT`), its eval's (`EVAL`), or every row's. */
function floorOf(floors: { all?: number; rows?: Record<string, number> } | undefined, evalId: string, variant: string): number | undefined {
  return floors?.rows?.[`${evalId}:${variant}`] ?? floors?.rows?.[evalId] ?? floors?.all;
}

/** A row's floor as a line says it, e.g. "score 0.00 is under the floor 0.50 (--fail-under)". */
export function floorText(r: ResultRow): string {
  if (!r.floor) return '';
  const what = r.floor.compared === 'score' ? 'score' : 'lower bound of the 95% interval';
  const measured = r.floor.compared === 'score' ? r.score : (r.ci95?.[0] ?? null);
  const shown = measured === null ? 'nothing scored' : `${what} ${measured.toFixed(2)}`;
  return `${shown} is ${r.below_floor ? 'under' : 'at or above'} the floor ${r.floor.value.toFixed(2)} (--fail-under${r.floor.compared === 'score' ? '' : ' --fail-under-bound'})`;
}
