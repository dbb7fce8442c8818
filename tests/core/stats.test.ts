import { describe, it, expect } from 'vitest';
import { wilson, holm, clusteredInterval, signFlipTest, SIGN_FLIP_DRAWS, type PairedCluster } from '../../core/stats.js';

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

// Reference values from this independent python3 script (numpy, scipy 1.17), run when this test was written:
//   import itertools, numpy as np
//   from scipy.stats import binomtest
//   def tails(sums, sizes, delta):   # brute force over all 2^G sign vectors
//       w = np.array(sums) - delta * np.array(sizes); t = w.sum(); eps = 1e-9 * (1 + abs(sum(sums)) + sum(sizes)); lo = hi = 0
//       for signs in itertools.product([1, -1], repeat=len(w)):
//           s = float(np.dot(signs, w)); lo += s <= t + eps; hi += s >= t - eps
//       return lo / 2 ** len(w), hi / 2 ** len(w)
//   def bounds(sums, sizes, level):  # bisection on the brute-force tails, 60 steps
//       def cross(f, falling):
//           lo, hi = -1.0, 1.0
//           for _ in range(60):
//               mid = (lo + hi) / 2
//               if (f(mid) >= level) == falling: lo = mid
//               else: hi = mid
//           return lo if falling else hi
//       return cross(lambda d: tails(sums, sizes, d)[1], False), cross(lambda d: tails(sums, sizes, d)[0], True)
//   binomtest(min(b, c), b + c, 0.5).pvalue  -> (2,10) 0.03857421875; (4,0) 0.125; (400,500) 0.0009564441369189373; (20,21) 1.0
//   binomtest(c, b + c, 0.5, alternative='less').pvalue -> (4,0) 0.0625
//   sums = [-1, 0.5, -2/3, 0, 1/3, -1, 0, -0.5]; sizes = [2, 1, 3, 2, 1, 1, 1, 2]
//   -> mean -0.17948717948717946; delta 0: (0.109375, 0.921875); delta -0.05: (0.18359375, 0.8203125);
//      two-sided 0.21875; bounds(0.05) (-0.4000000016333334, 0.08333333537500004)
//   d = 416 samples cycling [-1, -2/3, -1/3, 0, 0, 0, 0, 0, 1/3, 2/3, 1]; 10^6 numpy draws of the signs:
//   -> delta -0.05: lower 0.961505, upper 0.038754
describe('signFlipTest', () => {
  const row = (b: number, c: number, same: number): PairedCluster[] => [
    ...Array.from({ length: b }, () => ({ sum: -1, size: 1 })),
    ...Array.from({ length: c }, () => ({ sum: 1, size: 1 })),
    ...Array.from({ length: same }, () => ({ sum: 0, size: 1 })),
  ];

  it('with one sample per cluster and one epoch, gives exact McNemar (scipy binomtest)', () => {
    for (const [b, c, p] of [[2, 10, 0.03857421875], [4, 0, 0.125], [400, 500, 0.0009564441369189373], [20, 21, 1]] as const) {
      const test = signFlipTest(row(b, c, 30));
      expect(test.method).toBe('exact');
      expect(test.twoSided()).toBeCloseTo(p, 10);
    }
    expect(signFlipTest(row(4, 0, 36)).lower(0)).toBeCloseTo(0.0625, 12);
  });

  it('matches brute force over every sign vector for clusters of different sizes and epoch means', () => {
    const test = signFlipTest([
      { sum: -1, size: 2 }, { sum: 0.5, size: 1 }, { sum: -2 / 3, size: 3 }, { sum: 0, size: 2 },
      { sum: 1 / 3, size: 1 }, { sum: -1, size: 1 }, { sum: 0, size: 1 }, { sum: -0.5, size: 2 },
    ]);
    expect(test.mean).toBeCloseTo(-0.17948717948717946, 12);
    expect(test.lower(0)).toBeCloseTo(0.109375, 12);
    expect(test.upper(0)).toBeCloseTo(0.921875, 12);
    expect(test.lower(-0.05)).toBeCloseTo(0.18359375, 12);
    expect(test.upper(-0.05)).toBeCloseTo(0.8203125, 12);
    expect(test.twoSided()).toBeCloseTo(0.21875, 12);
    const [lo, hi] = test.bounds(0.05);
    expect(lo).toBeCloseTo(-0.4, 8);
    expect(hi).toBeCloseTo(0.0833333, 6);
  });

  it('draws a large row by seeded Monte Carlo, within 3 standard errors of 10^6 numpy draws, the same every time', () => {
    const values = [-1, -2 / 3, -1 / 3, 0, 0, 0, 0, 0, 1 / 3, 2 / 3, 1];
    const clusters = Array.from({ length: 416 }, (_, i) => ({ sum: values[i % 11], size: 1 }));
    const test = signFlipTest(clusters);
    expect(test.method).toBe('monte-carlo');
    const se = (p: number) => Math.sqrt((p * (1 - p)) / SIGN_FLIP_DRAWS);
    expect(Math.abs(test.lower(-0.05) - 0.961505)).toBeLessThan(3 * se(0.96));
    expect(Math.abs(test.upper(-0.05) - 0.038754)).toBeLessThan(3 * se(0.04));
    expect(signFlipTest(clusters).upper(-0.05)).toBe(test.upper(-0.05));
    // Its bounds (order statistics of the draws) agree with its own tails on either side of each bound.
    const [lo, hi] = test.bounds(0.05);
    expect(lo).toBeLessThan(test.mean);
    expect(hi).toBeGreaterThan(test.mean);
    expect(test.lower(hi - 1e-6)).toBeGreaterThanOrEqual(0.05);
    expect(test.lower(hi + 1e-6)).toBeLessThan(0.05);
    expect(test.upper(lo + 1e-6)).toBeGreaterThanOrEqual(0.05);
    expect(test.upper(lo - 1e-6)).toBeLessThan(0.05);
  });

  it('has bounds that agree with its one-sided tests: the upper bound is below −m exactly when lower(−m) < level', () => {
    for (const [b, c] of [[4, 0], [12, 2], [30, 28], [60, 20]] as const) {
      const test = signFlipTest(row(b, c, 300));
      const [lo, hi] = test.bounds(0.05);
      for (const m of [0, 0.02, 0.05, 0.1]) {
        expect(hi < -m).toBe(test.lower(-m) < 0.05);
        expect(lo > -m).toBe(test.upper(-m) < 0.05);
      }
    }
  });
});
