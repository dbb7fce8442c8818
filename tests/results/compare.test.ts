import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../results/store.js';
import { compareRuns, type CompareOptions } from '../../results/compare.js';
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

const options = (o: Partial<CompareOptions> = {}): CompareOptions => ({ maxDrop: 0, alpha: 0.05, isHeadline: (_e, m) => m === 'accuracy', ...o });

/**
 * Three headline rows with hand-computed statistics (exact binomial sums with integers):
 *   e1  a=20 b=8 c=1 d=1   McNemar p = 2·(1+9)/2⁹ = 0.0390625
 *   e2  a=25 b=3 c=2 d=0   p = 2·(1+5+10)/2⁵ = 1 (capped)
 *   e3  a=10 b=10 c=0 d=0  p = 2/2¹⁰ = 0.001953125
 * Holm over three: e3 3·0.001953125 = 0.005859375; e1 max(that, 2·0.0390625) = 0.078125; e2 1.
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
  it('gives exact McNemar p-values computed by hand', () => {
    const cmp = compareThree();
    expect(row(cmp, 'e1').p_value).toBeCloseTo(0.0390625, 12);
    expect(row(cmp, 'e2').p_value).toBeCloseTo(1, 12);
    expect(row(cmp, 'e3').p_value).toBeCloseTo(0.001953125, 12);
  });

  it('Holm-adjusts across the rows as computed by hand', () => {
    const cmp = compareThree();
    expect(row(cmp, 'e3').p_holm).toBeCloseTo(0.005859375, 12);
    expect(row(cmp, 'e1').p_holm).toBeCloseTo(0.078125, 12);
    expect(row(cmp, 'e2').p_holm).toBeCloseTo(1, 12);
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

  it('gives the paired difference (candidate − base) with an interval around it', () => {
    const e3 = row(compareThree(), 'e3');
    expect(e3.difference).toBeCloseTo(-0.5, 12);
    expect(e3.difference_ci95![0]).toBeLessThan(-0.5);
    expect(e3.difference_ci95![1]).toBeGreaterThan(-0.5);
    expect(e3.difference_ci95![1]).toBeLessThan(0);
  });

  it('counts the discordant pairs and names the samples that flipped', () => {
    const e1 = row(compareThree(), 'e1');
    expect([e1.n, e1.pass_to_fail, e1.fail_to_pass]).toEqual([30, 8, 1]);
    expect(e1.flipped.pass_to_fail).toEqual(['s-20', 's-21', 's-22', 's-23', 's-24', 's-25', 's-26', 's-27']);
    expect(e1.flipped.fail_to_pass).toEqual(['s-28']);
  });
});

describe('compareRuns gate', () => {
  it('flags only the row significant after Holm, not one significant before it', () => {
    const cmp = compareThree();
    expect(cmp.results.filter((r) => r.regression).map((r) => r.eval)).toEqual(['e3']);
    expect(row(cmp, 'e1').change).toBe('unchanged');
    expect(cmp.regressions).toBe(1);
  });

  it('tolerates a significant drop no larger than --max-drop, and flags one larger', () => {
    expect(row(compareThree({ maxDrop: 0.5 }), 'e3').change).toBe('within-max-drop');
    expect(row(compareThree({ maxDrop: 0.4 }), 'e3').regression).toBe(true);
  });

  it('uses --alpha as the threshold for the Holm-adjusted p-value', () => {
    expect(row(compareThree({ alpha: 0.005 }), 'e3').regression).toBe(false);
    expect(row(compareThree({ alpha: 0.1 }), 'e1').regression).toBe(true);
  });

  it('never flags a significant improvement', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 5, b: 0, c: 12, d: 3 });
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate), options());
    expect(cmp.results[0].change).toBe('improved');
    expect(cmp.regressions).toBe(0);
  });

  it('reports a secondary metric without gating it or counting it in the Holm family', () => {
    const { base, candidate } = threeRows();
    const withLeak = (outs: Outcome[], pass: boolean) => outs.map((o) => (o.eval === 'e2' ? { ...o, metrics: { no_leak: pass } } : o));
    const cmp = compareRuns(store, seedRun(store, 'b', withLeak(base, true)), seedRun(store, 'c', withLeak(candidate, false)), options());
    const leak = row(cmp, 'e2', 'no_leak');
    expect(leak.p_value).toBeLessThan(1e-8);
    expect([leak.headline, leak.p_holm, leak.regression, leak.change]).toEqual([false, null, false, 'lower']);
    expect(row(cmp, 'e1').p_holm).toBeCloseTo(0.078125, 12);
  });

  it('finds no regression between two identical runs', () => {
    const { base } = threeRows();
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', base), options());
    expect(cmp.regressions).toBe(0);
    expect(cmp.results.every((r) => r.p_value === 1 && r.difference === 0)).toBe(true);
    expect(cmp.warnings).toEqual([]);
  });
});

describe('compareRuns item sets', () => {
  it('leaves out items that ended in an error, counts them, and warns', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 10, b: 0, c: 0, d: 0 });
    candidate[0] = { ...candidate[0], pass: undefined, error: 'HTTP 500' };
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate), options());
    expect([cmp.results[0].n, cmp.results[0].unpaired]).toEqual([9, 1]);
    expect(cmp.warnings.join('\n')).toMatch(/e1:v accuracy: 1 shared items were not scored on it in both runs/);
  });

  it('compares the intersection of partly different item sets, with a warning naming the counts', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 10, b: 0, c: 0, d: 0 });
    const cmp = compareRuns(store, seedRun(store, 'b', base), seedRun(store, 'c', candidate.slice(0, 6)), options());
    expect(cmp.items).toEqual({ base: 10, candidate: 6, shared: 6 });
    expect(cmp.results[0].n).toBe(6);
    expect(cmp.warnings[0]).toMatch(/comparing the 6 items both have \(4 of base b's 10 are not in the candidate, 0 of candidate c's 6/);
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

  it('pairs epochs as items and labels their flips with the epoch', () => {
    const outs = (pass: boolean[]): Outcome[] => pass.map((p, i) => ({ eval: 'e1', variant: 'v', sample: 'q', epoch: i, pass: p }));
    const cmp = compareRuns(store, seedRun(store, 'b', outs([true, true])), seedRun(store, 'c', outs([true, false])), options());
    expect(cmp.results[0].flipped.pass_to_fail).toEqual(['q#1']);
    expect(cmp.warnings.join('\n')).toMatch(/several epochs/);
  });
});

describe('renderComparisonTable', () => {
  it('prints a row per metric, caps the flipped list and names each regression last', () => {
    const text = renderComparisonTable(compareThree());
    expect(text).toMatch(/^e3\s+v\s+accuracy\s+20\s+1\.00\s+0\.50\s+−0\.50 .* REGRESSION$/m);
    expect(text).toMatch(/e3:v accuracy pass→fail: s-10, s-11, s-12, s-13, s-14 \(\+5 more\)/);
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      'REGRESSION in 1 of 3 rows (3 headline rows gated: exact McNemar, Holm-adjusted, alpha 0.05, max drop 0)',
      '  regression: e3:v accuracy  1.00 → 0.50 (p holm 0.006)',
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
    expect(e3).toMatchObject({ comparability: 'not-comparable', regression: false, change: 'not-comparable', p_holm: null });
    // Holm over e1 and e2 alone: e1 2·0.0390625 = 0.078125, e2 1.
    expect(cmp.results.find((r) => r.eval === 'e1')!.p_holm).toBeCloseTo(0.078125, 12);
    expect(cmp.regressions).toBe(0);
    expect(cmp.warnings.some((w) => /differ in role profile \(base native, candidate developer-as-system\)/.test(w))).toBe(true);
  });

  it('leaves an answer with no content unpaired, like an error, rather than a failure', () => {
    const { base, candidate } = pairedOutcomes('e1', 'v', { a: 10, b: 0, c: 0, d: 0 });
    const b = seedRun(store, 'na-base', base);
    const c = seedRun(store, 'na-cand', candidate);
    store.db.prepare("UPDATE scores SET pass = 0, value = 0, grader_version = 'no-answer' WHERE run_id = ? AND item_key LIKE 'e1:v:s-0%'").run(c.id);
    const row = compareRuns(store, b, store.getRun(c.id)!, options()).results[0];
    expect(row.n).toBe(0);
    expect(row.unpaired).toBe(10);
    expect(row.pass_to_fail).toBe(0);
  });
});
