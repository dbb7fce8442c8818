// Statistics for reports and comparisons: Wilson intervals, cluster-robust intervals, exact McNemar, Holm.
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

/** A Wilson interval for a real-valued n (an effective sample size); equals `wilson` at whole numbers. */
export function wilsonReal(p: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [p === 0 ? 0 : Math.max(0, centre - half), p === 1 ? 1 : Math.min(1, centre + half)];
}

export interface ClusteredInterval {
  ci95: [number, number];
  /** `wilson` when every cluster holds one item; else `cluster-robust-wilson` (see results/README.md, Statistics). */
  method: 'wilson' | 'cluster-robust-wilson';
  /** n divided by the design effect: how many independent items the row is worth. */
  n_effective: number;
  /** The design effect used (1 = no clustering). */
  design_effect: number;
}

/**
 * The 95% interval of a pass rate whose items cluster (samples of one template or attack; epochs of one sample).
 * `clusters` holds each cluster's outcomes (1 pass, 0 fail). The design effect is the cluster-robust (CR1, small-sample
 * factor G/(G−1)) variance of the ratio estimator over the binomial variance, kept within [1, Σm²/n] (no clustering …
 * every cluster a single draw); an all-pass or all-fail row has no variance to estimate it from and takes the upper
 * end, Σm²/n. The interval is Wilson's at n_eff = n / design effect, so it is never zero-width and, with one item per
 * cluster, is Wilson's own.
 */
export function clusteredInterval(clusters: number[][]): ClusteredInterval {
  const live = clusters.filter((c) => c.length > 0);
  const n = live.reduce((a, c) => a + c.length, 0);
  if (n === 0) return { ci95: [0, 1], method: 'wilson', n_effective: 0, design_effect: 1 };
  const passed = live.reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0);
  if (live.every((c) => c.length === 1)) return { ci95: wilson(passed, n), method: 'wilson', n_effective: n, design_effect: 1 };
  const p = passed / n;
  const g = live.length;
  const maxDeff = live.reduce((a, c) => a + c.length * c.length, 0) / n;
  let deff = maxDeff;
  if (p > 0 && p < 1 && g > 1) {
    let ss = 0;
    for (const c of live) {
      const s = c.reduce((x, y) => x + y, 0);
      ss += (s - p * c.length) ** 2;
    }
    const robust = ((g / (g - 1)) * ss) / (n * n);
    deff = Math.min(maxDeff, Math.max(1, robust / ((p * (1 - p)) / n)));
  }
  const nEff = n / deff;
  return { ci95: wilsonReal(p, nEff), method: 'cluster-robust-wilson', n_effective: nEff, design_effect: deff };
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
