// Statistics for reports and comparisons: Wilson intervals, clustered bootstrap, exact McNemar, Holm.
import { createRng } from './random.js';

const Z95 = 1.959963984540054;

/** Wilson score interval for a proportion; [0, 1] when n is 0. */
export function wilson(passed: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = passed / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  // The bounds are exactly 0 and 1 at the ends; floating point would leave 1 − ε.
  return [passed === 0 ? 0 : Math.max(0, centre - half), passed === n ? 1 : Math.min(1, centre + half)];
}

/**
 * 95% percentile-bootstrap interval of the mean pass rate, resampling samples (clusters) rather than
 * epochs, because epochs of one sample are not independent.
 */
export function clusteredBootstrap(clusters: number[][], { resamples = 2000, seed = 1 } = {}): [number, number] {
  const sizes = clusters.map((c) => c.length);
  const sums = clusters.map((c) => c.reduce((a, b) => a + b, 0));
  if (clusters.length === 0) return [0, 1];
  const rng = createRng(seed);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    let n = 0;
    for (let i = 0; i < clusters.length; i++) {
      const j = rng.int(0, clusters.length - 1);
      s += sums[j];
      n += sizes[j];
    }
    means.push(n === 0 ? 0 : s / n);
  }
  means.sort((a, b) => a - b);
  return [means[Math.floor(0.025 * (resamples - 1))], means[Math.ceil(0.975 * (resamples - 1))]];
}

/** Exact two-sided McNemar test on the discordant pairs (b: pass→fail, c: fail→pass). */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space to stay exact enough for large n.
  let logTerm = -n * Math.LN2; // log C(n,0) / 2^n
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}

/** Holm step-down adjustment of p-values; returns them in the input order. */
export function holm(pValues: number[]): number[] {
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * 95% interval of a paired difference in proportions (candidate − base), Newcombe's method 10 for
 * paired data, from the 2×2 table: a both pass, b base only, c candidate only, d neither.
 */
export function pairedDifferenceCI(a: number, b: number, c: number, d: number): [number, number] {
  const n = a + b + c + d;
  if (n === 0) return [-1, 1];
  const [l1, u1] = wilson(a + c, n); // candidate
  const [l2, u2] = wilson(a + b, n); // base
  const p1 = (a + c) / n;
  const p2 = (a + b) / n;
  const diff = p1 - p2;
  const denom = Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
  let phi = denom === 0 ? 0 : (a * d - b * c) / denom;
  if (a * d - b * c > 0) phi = Math.max(0, (a * d - b * c - n / 2) / denom);
  const dl = Math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2);
  const du = Math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2);
  return [Math.max(-1, diff - dl), Math.min(1, diff + du)];
}
