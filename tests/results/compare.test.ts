import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../results/store.js';
import { compareRuns, gateExitCode, verdictLine, type CompareOptions } from '../../results/compare.js';
import type { MetricRole } from '../../core/define.js';
import { ConfigError } from '../../core/errors.js';
import { renderComparisonTable } from '../../results/formats/compare-table.js';
import { pairedOutcomes, seedRun, type Outcome } from './formats/runs.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-compare-'));
  store = new Store(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const role = (_e: string, m: string): MetricRole => ({ headline: m === 'accuracy', higherIsBetter: m !== 'overrefusal' && m !== 'no_answer', gated: m !== 'no_leak' });
const options = (o: Partial<CompareOptions> = {}): CompareOptions => ({ maxDrop: 0, alpha: 0.05, role, ...o });

/*
 * Expected values from this independent python3 script (brute force over every pool's Binomial(c, ½) count), run when
 * this test was written; rows are 2×2 tables: a both pass, b pass→fail, c fail→pass, d both fail.
 *   from itertools import product; from math import comb
 *   def tails(groups, delta):  # groups: (sum, size, count); P(W <= T), P(W >= T)
 *       w = [s - delta * n for s, n, c in groups]; t = sum(wi * c for wi, (s, n, c) in zip(w, groups)); lo = hi = 0.0
 *       eps = 1e-9 * (1 + abs(sum(s * c for s, n, c in groups)) + sum(n * c for s, n, c in groups))
 *       for xs in product(*[range(c + 1) for s, n, c in groups]):
 *           p = 1.0; W = 0.0
 *           for x, wi, (s, n, c) in zip(xs, w, groups): p *= comb(c, x) / 2 ** c; W += wi * (2 * x - c)
 *           lo += p * (W <= t + eps); hi += p * (W >= t - eps)
 *       return lo, hi
 *   def holm(ps): step-down, running max of min(1, (k - rank)·p)
 *   def bounds(groups, level): bisection, 50 steps, of tails()[1] rising to level and tails()[0] falling to it
 *   row = lambda a, b, c, d: [(-1, 1, b), (1, 1, c), (0, 1, a + d)]
 *   e1 = row(20, 8, 1, 1); e2 = row(25, 3, 2, 0); e3 = row(10, 10, 0, 0)
 * Output:
 *   p_regression m=0 {'e1': 0.01953125, 'e2': 0.5, 'e3': 0.0009765625}; holm {'e1': 0.0390625, 'e2': 0.5, 'e3': 0.0029296875}
 *   e3 m=0.5 lower/upper (0.5880985260009766, 0.5880985260009766); e3 bounds 0.05 (-0.70000000155, -0.29999999845)
 *   m=0.2 p_regression {'e1': 0.38712, 'e2': 0.98705, 'e3': 0.01146697998046875}; holm e3 0.03440093994140625
 *   improvement a5 b0 c12 d3 upper(0) 0.000244140625
 *   equivalent 380/5/5/26 m=0.05 upper 3.36e-31, m=0.02 upper 0.0032171011119555082, bounds (-0.013574661576921443, 0.013574661576921443)
 *   overrefusal 0->1 on 30 (direction-adjusted: thirty -1), m=0.02: 9.313225746154785e-10
 *   epochs: 4 of 40 samples fail every epoch: two-sided 0.125, p_regression m=0.02 0.0625
 */
function threeRows(): { base: Outcome[]; candidate: Outcome[] } {
  const rows = [pairedOutcomes('e1', 'v', { a: 20, b: 8, c: 1, d: 1 }), pairedOutcomes('e2', 'v', { a: 25, b: 3, c: 2, d: 0 }), pairedOutcomes('e3', 'v', { a: 10, b: 10, c: 0, d: 0 })];
  return { base: rows.flatMap((r) => r.base), candidate: rows.flatMap((r) => r.candidate) };
}

let seeded = 0;
function compareThree(o: Partial<CompareOptions> = {}) {
  const { base, candidate } = threeRows();
  seeded++;
  return compareRuns(store, seedRun(store, `base${seeded}`, base), seedRun(store, `cand${seeded}`, candidate, { model: 'mock-obedient' }), options(o));
}

const row = (cmp: ReturnType<typeof compareThree>, evalId: string, metric = 'accuracy') => cmp.results.find((r) => r.eval === evalId && r.metric === metric)!;

describe('compareRuns statistics', () => {
  it('gives exact McNemar p-values with one epoch and one sample per cluster', () => {
    const cmp = compareThree();
    expect(row(cmp, 'e1').p_value).toBeCloseTo(0.0390625, 12);
    expect(row(cmp, 'e2').p_value).toBeCloseTo(1, 12);
    expect(row(cmp, 'e3').p_value).toBeCloseTo(0.001953125, 12);
    expect(row(cmp, 'e1').test_method).toBe('exact');
  });

  it('Holm-adjusts the one-sided regression p-values across the gated rows', () => {
    const cmp = compareThree();
    expect(row(cmp, 'e1').p_regression).toBeCloseTo(0.01953125, 12);
    expect(row(cmp, 'e3').p_holm).toBeCloseTo(0.0029296875, 12);
    expect(row(cmp, 'e1').p_holm).toBeCloseTo(0.0390625, 12);
    expect(row(cmp, 'e2').p_holm).toBeCloseTo(0.5, 12);
  });

  it('gives Wilson intervals of both runs matching the quadratic roots', () => {
    const e1 = row(compareThree(), 'e1');
    expect(e1.base_score).toBeCloseTo(28 / 30, 12);
    expect(e1.base_ci95![0]).toBeCloseTo(0.786765, 6);
    expect(e1.base_ci95![1]).toBeCloseTo(0.981523, 6);
    expect(e1.candidate_score).toBeCloseTo(21 / 30, 12);
    expect(e1.candidate_ci95![0]).toBeCloseTo(0.521242, 6);
    expect(e1.candidate_ci95![1]).toBeCloseTo(0.833353, 6);
  });

  it('gives the paired difference with the one-sided bounds of the test inverted', () => {
    const e3 = row(compareThree(), 'e3');
    expect(e3.difference).toBeCloseTo(-0.5, 12);
    expect(e3.difference_bounds![0]).toBeCloseTo(-0.7, 6);
    expect(e3.difference_bounds![1]).toBeCloseTo(-0.3, 6);
    expect(e3.difference_ci95![0]).toBeLessThan(-0.7);
    expect(e3.difference_ci95![1]).toBeGreaterThan(-0.3);
  });

  it('counts the samples that fell and rose and names them', () => {
    const e1 = row(compareThree(), 'e1');
    expect([e1.n, e1.pass_to_fail, e1.fail_to_pass]).toEqual([30, 8, 1]);
    expect(e1.flipped.pass_to_fail).toEqual(['s-20', 's-21', 's-22', 's-23', 's-24', 's-25', 's-26', 's-27']);
    expect(e1.flipped.fail_to_pass).toEqual(['s-28']);
  });
});

describe('compareRuns gate', () => {
  it('flags the rows significant after Holm, and a row significant only before Holm is inconclusive', () => {
    const cmp = compareThree();
    expect(cmp.results.filter((r) => r.regression).map((r) => r.eval)).toEqual(['e1', 'e3']);
    expect(gateExitCode(cmp)).toBe(1);
    // At alpha 0.03, e1's 0.0195 is below it alone but its Holm 0.039 is not.
    const strict = compareThree({ alpha: 0.03 });
    expect(row(strict, 'e1').outcome).toBe('inconclusive');
    expect(row(strict, 'e3').outcome).toBe('regression');
  });

  it('is a tolerance test: a drop not shown to exceed --max-drop is inconclusive, one shown to is a regression', () => {
    const loose = compareThree({ maxDrop: 0.5 });
    expect(row(loose, 'e3').p_regression).toBeCloseTo(0.5880985260009766, 10);
    expect(row(loose, 'e3').outcome).toBe('inconclusive');
    expect(row(loose, 'e3').samples_to_decide).toBeNull(); // the mean sits on the margin
    const tight = compareThree({ maxDrop: 0.2 });
    expect(row(tight, 'e3').p_regression).toBeCloseTo(0.01146697998046875, 10);
    expect(row(tight, 'e3').p_holm).toBeCloseTo(0.03440093994140625, 10);
    expect(row(tight, 'e3').outcome).toBe('regression');
  });

  it('calls a row equivalent when its lower bound is above −max-drop, inconclusive with the samples that would decide otherwise', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 380, b: 5, c: 5, d: 26 });
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate), options({ maxDrop: 0.02 }));
    expect(cmp.results[0].outcome).toBe('equivalent');
    expect(cmp.results[0].difference_bounds![0]).toBeCloseTo(-0.013574661576921443, 6);
    const tight = compareRuns(store, seedRun(store, 'b2', base), seedRun(store, 'c2', candidate), options({ maxDrop: 0.01 }));
    expect(tight.results[0].outcome).toBe('inconclusive');
    // Half-width 0.01357 at n 416, 0.01 from the margin: 416 · 1.357² ≈ 767.
    expect(tight.results[0].samples_to_decide).toBe(767);
    expect(gateExitCode(tight)).toBe(0);
    expect(gateExitCode(tight, true)).toBe(1);
  });

  it('calls a row shown better an improvement, never a regression', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 5, b: 0, c: 12, d: 3 });
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate), options());
    expect(cmp.results[0].outcome).toBe('improvement');
    expect(cmp.regressions).toBe(0);
  });

  it('reads a lower-is-better metric in its direction: over-refusal 0 → 1 is a gated regression', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 30, b: 0, c: 0, d: 0 });
    const refusing = (outs: Outcome[], refused: boolean) => outs.map((o) => ({ ...o, metrics: { overrefusal: refused } }));
    const cmp = compareRuns(store, seedRun(store, 'b', refusing(base, false)), seedRun(store, 'c', refusing(candidate, true)), options({ maxDrop: 0.02 }));
    const over = row(cmp, 'e1', 'overrefusal');
    expect([over.base_score, over.candidate_score, over.difference, over.higher_is_better]).toEqual([0, 1, 1, false]);
    expect(over.p_regression).toBeCloseTo(9.313225746154785e-10, 15);
    expect([over.gated, over.outcome, over.regression]).toEqual([true, 'regression', true]);
    expect(gateExitCode(cmp)).toBe(1);
  });

  it('shows a metric that is not gated without gating it or counting it in the Holm family', () => {
    const { base, candidate } = threeRows();
    const withLeak = (outs: Outcome[], pass: boolean) => outs.map((o) => (o.eval === 'e2' ? { ...o, metrics: { no_leak: pass } } : o));
    const cmp = compareRuns(store, seedRun(store, 'b', withLeak(base, true)), seedRun(store, 'c', withLeak(candidate, false)), options());
    const leak = row(cmp, 'e2', 'no_leak');
    expect(leak.p_value).toBeLessThan(1e-8);
    expect([leak.gated, leak.p_holm, leak.regression, leak.outcome]).toEqual([false, null, false, 'regression']);
    expect(row(cmp, 'e1').p_holm).toBeCloseTo(0.0390625, 12);
  });

  it('calls two identical runs unchanged, and a run compared with itself says so', () => {
    const { base } = threeRows();
    const b = seedRun(store, 'b', base);
    const cmp = compareRuns(store, b, seedRun(store, 'c', base), options());
    expect(cmp.regressions).toBe(0);
    expect(cmp.results.every((r) => r.p_value === 1 && r.difference === 0 && r.outcome === 'unchanged')).toBe(true);
    expect(cmp.warnings.filter((w) => !/stored no samples/.test(w))).toEqual([]);
    const self = compareRuns(store, b, b, options());
    expect(self.warnings).toContain('run b is compared with itself: every pair is identical by construction, so nothing can regress');
  });
});

describe('compareRuns pairs samples, not epochs', () => {
  // Base passes 40 samples at every one of 5 epochs; the candidate fails 4 of them at every epoch.
  const epochs = (failing: number): Outcome[] =>
    Array.from({ length: 40 }, (_, s) => Array.from({ length: 5 }, (_, epoch) => ({ eval: 'e1', variant: 'v', sample: `q${s}`, epoch, pass: s >= failing }))).flat();

  it('counts 4 discordant samples, not 20 discordant epochs: p 0.125, not a regression', () => {
    const cmp = compareRuns(store, seedRun(store, 'b', epochs(0)), seedRun(store, 'c', epochs(4)), options({ maxDrop: 0.02 }));
    const r = cmp.results[0];
    expect([r.n, r.pass_to_fail, r.fail_to_pass]).toEqual([40, 4, 0]);
    expect(r.p_value).toBeCloseTo(0.125, 12);
    expect(r.p_regression).toBeCloseTo(0.0625, 12);
    expect(r.outcome).toBe('inconclusive');
    expect(gateExitCode(cmp)).toBe(0);
    expect(r.flipped.pass_to_fail).toEqual(['q0', 'q1', 'q2', 'q3']);
  });

  it('tests the sums of each cluster: samples of one cluster move together', () => {
    const cluster = (_e: string, sample: unknown) => (sample as { family: string }).family;
    const b = seedRun(store, 'b', epochs(0));
    const c = seedRun(store, 'c', epochs(4));
    // The 4 failing samples in one family: one discordant cluster, p = 1 (a single sign flip is as likely as not).
    for (const run of [b, c]) for (let s = 0; s < 40; s++) store.addSample(run.id, { eval: 'e1', variant: 'v', sample_id: `q${s}`, data: JSON.stringify({ id: `q${s}`, family: s < 4 ? 'f0' : `f${s}` }) });
    const r = compareRuns(store, b, c, options({ cluster })).results[0];
    expect([r.n, r.clusters, r.p_value]).toEqual([40, 37, 1]);
  });
});

describe('compareRuns item sets', () => {
  it('leaves out items that ended in an error, counts them, and warns', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 60, b: 0, c: 0, d: 0 });
    candidate[0] = { ...candidate[0], pass: undefined, error: 'HTTP 500' };
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate), options());
    expect([cmp.results[0].n, cmp.results[0].unpaired]).toEqual([59, 1]);
    expect(cmp.warnings.join('\n')).toMatch(/e1:v accuracy: 1 shared items were not scored on it in both runs/);
    // 1 of 60 (1.7%) is within the 2% the candidate may leave unscored.
    expect(cmp.unscored).toEqual({ base_scored: 60, candidate_unscored: 1, limit: 0.02, failed: false });
    expect(gateExitCode(cmp)).toBe(0);
  });

  it('runs no test on a row where nothing paired, and says so instead of printing a p-value', () => {
    const kept = pairedOutcomes('e1', 'v', { a: 60, b: 0, c: 0, d: 0 });
    const lost = pairedOutcomes('e2', 'v', { a: 1, b: 0, c: 0, d: 0 });
    const candidate = [...kept.candidate, ...lost.candidate.map((o) => ({ ...o, pass: undefined, error: 'HTTP 500' }))];
    const cmp = compareRuns(store, seedRun(store, 'b', [...kept.base, ...lost.base]), seedRun(store, 'c', candidate), options());
    const none = row(cmp, 'e2');
    expect([none.n, none.unpaired, none.test_method, none.outcome, none.p_holm]).toEqual([0, 1, 'none', 'inconclusive', null]);
    expect(row(cmp, 'e1').test_method).toBe('exact');
    const line = renderComparisonTable(cmp).split('\n').find((l) => l.includes('e2'))!;
    expect(line).not.toMatch(/\d\.\d{2}/); // no score, difference or p-value: nothing was measured
  });

  it('fails the gate when the candidate leaves more than 2% of the items the base scored unscored', () => {
    // The candidate errors exactly where it would have failed: the pairs left show no drop at all.
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 2, b: 38, c: 0, d: 0 });
    const erroring = candidate.map((o) => (o.pass ? o : { ...o, pass: undefined, error: 'HTTP 500' }));
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', erroring), options());
    expect(cmp.results[0].outcome).toBe('unchanged');
    expect(cmp.unscored).toMatchObject({ base_scored: 40, candidate_unscored: 38, failed: true });
    expect(gateExitCode(cmp)).toBe(1);
    expect(verdictLine(cmp)).toMatch(/^FAILED: the candidate left 38 of 40 items the base scored unscored \(over 2%\)/);
  });

  it('refuses (exit 2) a candidate whose every item errored: nothing pairs', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 10, b: 0, c: 0, d: 0 });
    const c = seedRun(store, 'c', candidate.map((o) => ({ ...o, pass: undefined, error: 'HTTP 500' })));
    const b = seedRun(store, 'b', base);
    const compare = () => compareRuns(store, b, c, options());
    expect(compare).toThrow(ConfigError);
    expect(compare).toThrow(/cannot compare: no item was scored in both runs \(of the 10 items they share, base b scored 10 and candidate c scored 0/);
  });

  it('compares the intersection of partly different item sets, with a warning naming the counts', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 10, b: 0, c: 0, d: 0 });
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate.slice(0, 6)), options());
    expect(cmp.items).toEqual({ base: 10, candidate: 6, shared: 6, data_changed: 0 });
    expect(cmp.results[0].n).toBe(6);
    expect(cmp.warnings.join('\n')).toMatch(/comparing the 6 items both have with the same content \(4 of base b's 10 are left out, 0 of candidate c's 6/);
  });

  it('leaves out and counts the samples whose content changed between the runs (the dataset changed)', () => {
    // 10 samples; the base passes all, the candidate fails s-06..s-09, whose content the dataset changed in between.
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 6, b: 4, c: 0, d: 0 }, 's');
    const b = seedRun(store, 'b', base);
    const c = seedRun(store, 'c', candidate);
    for (const o of base) {
      store.addSample(b.id, { eval: 'e1', variant: 'v', sample_id: o.sample, data: JSON.stringify({ id: o.sample, secret: 'old' }) });
      const changed = o.sample >= 's-06';
      store.addSample(c.id, { eval: 'e1', variant: 'v', sample_id: o.sample, data: JSON.stringify({ id: o.sample, secret: changed ? 'new' : 'old' }) });
    }
    const cmp = compareRuns(store, b, c, options());
    expect(cmp.changed_samples).toBe(4);
    expect(cmp.items).toEqual({ base: 10, candidate: 10, shared: 6, data_changed: 4 });
    expect([cmp.results[0].n, cmp.results[0].pass_to_fail, cmp.results[0].outcome]).toEqual([6, 0, 'unchanged']);
    expect(cmp.warnings[0]).toBe('4 samples (4 items) have different content in the two runs (the dataset changed between them) and are left out');
    // Every shared sample changed: nothing pairs, exit 2.
    for (const o of base.slice(0, 6)) store.db.prepare("UPDATE samples SET data = 'x' WHERE run_id = ? AND sample_id = ?").run(c.id, o.sample);
    expect(() => compareRuns(store, b, c, options())).toThrow(/the 10 samples base run b and candidate run c share all have different content/);
  });

  it('refuses runs of different evals with a message naming both', () => {
    const one = pairedOutcomes('e1', 'v', { a: 3, b: 0, c: 0, d: 0 }).base;
    const two = pairedOutcomes('e2', 'w', { a: 4, b: 0, c: 0, d: 0 }).base;
    const [b, c] = [seedRun(store, 'b', one), seedRun(store, 'c', two)];
    const compare = () => compareRuns(store, b, c, options());
    expect(compare).toThrow(ConfigError);
    expect(compare).toThrow(/base run b \(3 items\) and candidate run c \(4 items\) share no item; they ran different evals \(base: e1:v; candidate: e2:w\)/);
  });

  it('refuses runs of the same eval on disjoint samples, pointing at --limit and --seed', () => {
    const one = pairedOutcomes('e1', 'v', { a: 3, b: 0, c: 0, d: 0 }, 'x').base;
    const two = pairedOutcomes('e1', 'v', { a: 3, b: 0, c: 0, d: 0 }, 'y').base;
    expect(() => compareRuns(store, seedRun(store, 'b', one), seedRun(store, 'c', two), options())).toThrow(/share no item although both ran e1:v: .*--limit, --seed/);
  });
});

describe('renderComparisonTable', () => {
  it('prints a row per metric, caps the list of changed samples and names each regression last', () => {
    const text = renderComparisonTable(compareThree());
    expect(text).toMatch(/^e3\s+v\s+accuracy\s+higher\s+20\s+1\.00\s+0\.50\s+−0\.50 .* REGRESSION$/m);
    expect(text).toMatch(/e3:v accuracy fell: s-10, s-11, s-12, s-13, s-14 \(\+5 more\)/);
    expect(text.trimEnd().split('\n').slice(-4)).toEqual([
      'REGRESSION in 2 of 3 rows (3 gated rows: sign-flip test on samples, Holm-adjusted, alpha 0.05, max drop 0)',
      '  regression: e1:v accuracy  0.93 → 0.70 (p holm 0.039)',
      '  regression: e3:v accuracy  1.00 → 0.50 (p holm 0.003)',
      '  inconclusive: e2:v accuracy  0.93 → 0.90: inconclusive (~422 samples would decide)',
    ]);
  });
});

describe('compare under the comparability rules', () => {
  it('never gates a row that is not comparable in either run, and Holm runs over the others only', () => {
    const { base, candidate } = threeRows();
    const b = seedRun(store, 'nc-base', base);
    const c = seedRun(store, 'nc-cand', candidate, { model: 'mock-obedient' });
    store.db.prepare("UPDATE runs SET role_profile = 'developer-as-system' WHERE id = ?").run(c.id);
    // e3 (the clear drop, p = 0.001953125) pits system against developer: collapsed in the candidate.
    const privileges = (e: string) => (e === 'e3' ? ({ higher: 'system', lower: 'developer' } as const) : undefined);
    const cmp = compareRuns(store, b, store.getRun(c.id)!, options({ privileges }));
    const e3 = cmp.results.find((r) => r.eval === 'e3')!;
    expect(e3).toMatchObject({ comparability: 'not-comparable', gated: false, regression: false, outcome: 'not-comparable', p_holm: null });
    // Holm over e1 and e2 alone: e1 2·0.01953125 = 0.0390625, e2 0.5.
    expect(cmp.results.find((r) => r.eval === 'e1')!.p_holm).toBeCloseTo(0.0390625, 12);
    expect(cmp.regressions).toBe(1);
    expect(cmp.warnings.some((w) => /differ in role profile \(base native, candidate developer-as-system\)/.test(w))).toBe(true);
  });

  it('counts an answer with no content as a failure, and adds a gated no_answer row (lower is better)', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 40, b: 0, c: 0, d: 0 });
    const b = seedRun(store, 'na-base', base);
    const c = seedRun(store, 'na-cand', candidate);
    // The candidate answers nothing on s-00..s-09, where the base kept the rule.
    store.db.prepare("UPDATE scores SET pass = 0, value = 0, grader_version = 'no-answer' WHERE run_id = ? AND item_key LIKE 'e1:v:s-0%'").run(c.id);
    const cmp = compareRuns(store, b, store.getRun(c.id)!, options({ maxDrop: 0.02 }));
    const accuracy = row(cmp, 'e1');
    expect([accuracy.n, accuracy.unpaired, accuracy.pass_to_fail, accuracy.candidate_score, accuracy.outcome]).toEqual([40, 0, 10, 0.75, 'regression']);
    const noAnswer = row(cmp, 'e1', 'no_answer');
    expect([noAnswer.base_score, noAnswer.candidate_score, noAnswer.higher_is_better, noAnswer.gated, noAnswer.outcome]).toEqual([0, 0.25, false, true, 'regression']);
    expect(cmp.unscored.candidate_unscored).toBe(0);
  });
});
