import { describe, it, expect } from 'vitest';
import { wilson, mcnemarExact, holm, clusteredInterval, pairedDifferenceCI } from '../../core/stats.js';

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

// Reference values from /tmp/crw.py, an independent python3 computation run when this test was written:
//   sandwich (CR1, factor G/(G-1)) variance of an intercept-only least-squares fit; design effect = V / (p(1-p)/n),
//   clamped to [1, sum(m^2)/n] (all-pass/all-fail: the upper end); Wilson at n_eff = n / design effect, written out
//   as  d = 1 + z²/n;  centre = (p + z²/2n)/d;  half = z·sqrt(p(1-p)/n + z²/4n²)/d;  z = 1.959963984540054.
//   cr([[1,1,1],[1,0],[0,0,0,1],[1],[1,1]])   -> p 0.6667, deff 2.08333, n_eff 5.76, (0.2944432907235923, 0.9055263217963097)
//   cr([[1]*4,[0]*4,[1]*4,[1]*4,[0]*4,[1]*4])  -> deff 4.0 (capped; raw 4.8), n_eff 6.0, (0.299993315138392, 0.9032285888942195)
//   cr([[1]*3]*10)                             -> deff 3.0, n_eff 10.0, (0.7224672001371107, 1)
//   wilson(1, 30) = (0.8864866068260312, 1); wilson(1, 336) = (0.9886963208255265, 1); wilson(1, 82) = (0.9552493763098998, 1)
describe('clusteredInterval', () => {
  it('matches the independent computation for mixed clusters', () => {
    const r = clusteredInterval([[1, 1, 1], [1, 0], [0, 0, 0, 1], [1], [1, 1]]);
    expect(r.method).toBe('cluster-robust-wilson');
    expect(r.design_effect).toBeCloseTo(2.0833333333, 8);
    expect(r.n_effective).toBeCloseTo(5.76, 8);
    expect(r.ci95[0]).toBeCloseTo(0.2944432907235923, 10);
    expect(r.ci95[1]).toBeCloseTo(0.9055263217963097, 10);
  });
  it('caps the design effect at every cluster being one draw (sum m²/n)', () => {
    const r = clusteredInterval([[1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]]);
    expect(r.design_effect).toBeCloseTo(4, 10);
    expect(r.ci95[0]).toBeCloseTo(0.299993315138392, 10);
    expect(r.ci95[1]).toBeCloseTo(0.9032285888942195, 10);
  });
  it('never gives an all-pass row a zero-width interval: ten samples × three agreeing epochs is worth ten items', () => {
    const r = clusteredInterval(Array.from({ length: 10 }, () => [1, 1, 1]));
    expect(r.n_effective).toBeCloseTo(10, 10);
    expect(r.ci95[0]).toBeCloseTo(0.7224672001371107, 10);
    expect(r.ci95[1]).toBe(1);
  });
  it('is Wilson itself when every cluster holds one item', () => {
    const clusters = Array.from({ length: 30 }, () => [1]);
    const r = clusteredInterval(clusters);
    expect(r.method).toBe('wilson');
    expect(r.n_effective).toBe(30);
    expect(r.ci95[0]).toBeCloseTo(0.8864866068260312, 10);
  });
  it('widens an all-pass row of 336 items in 82 clusters to Wilson at 82', () => {
    const clusters = Array.from({ length: 82 }, (_, i) => Array(i < 8 ? 5 : 4).fill(1));
    const n = clusters.reduce((a, c) => a + c.length, 0);
    expect(n).toBe(336);
    const r = clusteredInterval(clusters);
    expect(r.ci95[0]).toBeLessThan(0.9886963208255265 - 0.005);
    expect(r.ci95[0]).toBeGreaterThan(0.9552493763098998 - 0.01); // Σm²/n = (8·25 + 74·16)/336 = 4.119: n_eff 81.6, near Wilson at 82
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
