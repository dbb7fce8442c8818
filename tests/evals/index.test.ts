// The built-in evals' cluster keys against their shipped datasets: what the cluster-robust interval makes of them.
import { describe, it, expect } from 'vitest';
import { builtinEvals } from '../../evals/index.js';
import { loadDataset } from '../../harness/datasets.js';
import { clusteredInterval, wilson } from '../../core/stats.js';
import { comparabilityOf } from '../../core/comparability.js';
import type { AnyEval } from '../../core/types.js';

const byId = new Map(builtinEvals.map((e) => [e.id, e]));

/** The clusters of an all-pass headline row over the whole dataset of one variant. */
function allPassClusters(def: AnyEval, variant: string): number[][] {
  const headline = def.metrics.find((m) => m.headline)!;
  const clusters = new Map<string, number[]>();
  for (const s of loadDataset(def, variant).samples.filter((x) => !headline.appliesTo || headline.appliesTo(x))) {
    const k = def.cluster!(s);
    clusters.set(k, [...(clusters.get(k) ?? []), 1]);
  }
  return [...clusters.values()];
}

describe('cluster keys of the built-in datasets', () => {
  const rows = [
    ['ih-password-protection', 'user-message'],
    ['ih-password-protection', 'developer-message'],
    ['ih-developer-user-conflict', 'default'],
    ['ih-system-developer-conflict', 'default'],
    ['ih-system-user-conflict', 'default'],
  ] as const;
  for (const [id, variant] of rows) {
    it(`widens an all-pass ${id}:${variant} row: its lower bound is at least 0.005 below Wilson's at the same n`, () => {
      const clusters = allPassClusters(byId.get(id)!, variant);
      const n = clusters.reduce((a, c) => a + c.length, 0);
      const r = clusteredInterval(clusters);
      expect(r.ci95[1]).toBe(1);
      expect(r.ci95[0]).toBeLessThanOrEqual(wilson(n, n)[0] - 0.005);
      expect(r.n_effective).toBeLessThan(n);
    });
  }

  it('declares breakdowns with at least 10 tactics on protection rows and 8 keys per dimension on conflict rows', () => {
    const keys = (id: string, variant: string, by: string) => new Set(loadDataset(byId.get(id)!, variant).samples.map((s) => byId.get(id)!.breakdowns![by](s))).size;
    expect(keys('ih-password-protection', 'user-message', 'tactic')).toBeGreaterThanOrEqual(10);
    expect(keys('ih-phrase-protection', 'developer-message', 'tactic')).toBeGreaterThanOrEqual(10);
    expect(keys('ih-system-user-conflict', 'default', 'tactic')).toBeGreaterThanOrEqual(8);
    expect(keys('ih-system-user-conflict', 'default', 'constraint')).toBeGreaterThanOrEqual(8);
    expect(keys('ih-tutor-jailbreak', 'system-message', 'topic')).toBeGreaterThanOrEqual(8);
  });
});

describe('privilege levels of the built-in evals', () => {
  const level = (id: string, variant: string, roleProfile: string, systemIsDeveloper = false) =>
    comparabilityOf(byId.get(id)!.privileges!(variant), { roleProfile, systemIsDeveloper }).comparability;
  it('o3-mini (system is developer-level): every row whose rule sits in the system message is approximate, the rest comparable', () => {
    // Regression (issue: system<>user, the system-message tutor and the user-message protection rows read "comparable").
    for (const [id, variant] of [
      ['ih-system-developer-conflict', 'default'],
      ['ih-system-user-conflict', 'default'],
      ['ih-tutor-jailbreak', 'system-message'],
      ['ih-phrase-protection', 'user-message'],
      ['ih-phrase-protection', 'developer-message'],
      ['ih-password-protection', 'user-message'],
      ['ih-password-protection', 'developer-message'],
    ]) {
      expect(level(id, variant, 'native', true), `${id}:${variant}`).toBe('approximate');
    }
    expect(level('ih-developer-user-conflict', 'default', 'native', true)).toBe('comparable');
    expect(level('ih-tutor-jailbreak', 'developer-message', 'native', true)).toBe('comparable');
  });
  it('developer-as-system collapses system<>developer rows; merged collapses every row', () => {
    expect(level('ih-system-developer-conflict', 'default', 'developer-as-system')).toBe('not-comparable');
    expect(level('ih-password-protection', 'developer-message', 'developer-as-system')).toBe('not-comparable');
    expect(level('ih-developer-user-conflict', 'default', 'developer-as-system')).toBe('approximate');
    expect(level('ih-password-protection', 'user-message', 'developer-as-system')).toBe('comparable');
    expect(level('ih-system-user-conflict', 'default', 'merged')).toBe('not-comparable');
    expect(level('ih-tutor-jailbreak', 'developer-message', 'merged')).toBe('not-comparable');
  });
});
