import { describe, it, expect } from 'vitest';
import { wilson, mcnemarExact, holm, clusteredBootstrap, pairedDifferenceCI } from '../../core/stats.js';

describe('wilson', () => {
  // Reference values: the roots of (p̂ − p)² = z²p(1 − p)/n, solved as a quadratic (not the closed form under test).
  it('matches the reference for 190/200', () => {
    const [lo, hi] = wilson(190, 200);
    expect(lo).toBeCloseTo(0.9104, 4);
    expect(hi).toBeCloseTo(0.9726, 4);
  });
  it('matches the reference for 0/30 and 30/30', () => {
    expect(wilson(0, 30)[0]).toBe(0);
    expect(wilson(0, 30)[1]).toBeCloseTo(0.1135, 4);
    expect(wilson(30, 30)[0]).toBeCloseTo(0.8865, 4);
    expect(wilson(30, 30)[1]).toBeCloseTo(1, 12);
  });
  it('is the whole range with no observations', () => {
    expect(wilson(0, 0)).toEqual([0, 1]);
  });
});

describe('mcnemarExact', () => {
  // Reference: 2 · Σ_{i≤min(b,c)} C(n, i) / 2ⁿ computed with exact integers.
  it('matches binomtest for b=2, c=10', () => {
    expect(mcnemarExact(2, 10)).toBeCloseTo(0.0385742, 6);
  });
  it('is symmetric and 1 for equal discordance', () => {
    expect(mcnemarExact(10, 2)).toBeCloseTo(mcnemarExact(2, 10), 12);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });
  it('stays finite for large counts', () => {
    expect(mcnemarExact(400, 500)).toBeCloseTo(0.00095644, 7);
  });
});

describe('holm', () => {
  it('matches the step-down adjustment (statsmodels multipletests method=holm)', () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted[3]).toBeCloseTo(0.02, 12);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12); // monotone: never below the previous step
  });
});

describe('clusteredBootstrap', () => {
  it('is wider when epochs of a sample agree than a Wilson interval that treats them as independent', () => {
    const clusters = Array.from({ length: 40 }, (_, i) => Array(5).fill(i % 4 === 0 ? 0 : 1));
    const [lo, hi] = clusteredBootstrap(clusters);
    const [wlo, whi] = wilson(150, 200);
    expect(hi - lo).toBeGreaterThan(whi - wlo);
    expect(lo).toBeLessThan(0.75);
    expect(hi).toBeGreaterThan(0.75);
  });
  it('is reproducible for a seed', () => {
    const clusters = [[1, 0], [1, 1], [0, 0], [1, 1]];
    expect(clusteredBootstrap(clusters, { seed: 7 })).toEqual(clusteredBootstrap(clusters, { seed: 7 }));
  });
});

describe('pairedDifferenceCI', () => {
  it('contains the observed difference and excludes 0 for a clear drop', () => {
    const [lo, hi] = pairedDifferenceCI(50, 40, 2, 8); // base 90%, candidate 52%
    expect(lo).toBeLessThan(-0.38);
    expect(hi).toBeGreaterThan(-0.38);
    expect(hi).toBeLessThan(0);
  });
});
