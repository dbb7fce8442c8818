// Statistics for reports and comparisons: Wilson intervals, cluster-robust intervals, Holm, the paired sign-flip test (exact McNemar in its simplest case).
import { createRng, type Rng } from './random.js';
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
  /** `wilson` when every cluster holds one item; else `cluster-robust-wilson` (see docs/statistics.md). */
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

/** One cluster of paired samples: the sum of its samples' differences (each sample's mean over its epochs) and its size. */
export interface PairedCluster {
  sum: number;
  size: number;
}

/** Above this many joint outcomes the sign-flip distribution is drawn by Monte Carlo instead of enumerated. */
export const SIGN_FLIP_EXACT_LIMIT = 1_000_000;
/** Monte-Carlo draws (seeded, so a comparison prints the same p-values every time). */
export const SIGN_FLIP_DRAWS = 20_000;

export interface SignFlipTest {
  method: 'exact' | 'monte-carlo';
  /** The mean paired difference over the samples. */
  mean: number;
  /** One-sided p-value for H0 "mean difference = delta" against "lower": P(W ≤ T) under random sign flips. */
  lower(delta: number): number;
  /** One-sided p-value against "higher": P(W ≥ T). */
  upper(delta: number): number;
  /** Two-sided p-value for "no difference": twice the smaller tail, at most 1 (exact McNemar in the 1-epoch case). */
  twoSided(): number;
  /** The one-sided (1 − level) bounds of the mean difference, by inverting the test: [lower bound, upper bound]. */
  bounds(level: number): [number, number];
}

/**
 * The sign-flip permutation test on per-cluster sums of paired differences (docs/statistics.md, "Comparing two runs").
 * Under H0 "mean difference = δ", each cluster's shifted sum w_k = S_k − δ·n_k is as likely positive as negative, so
 * the observed T = Σ w_k is compared with W = Σ ε_k w_k over independent random signs ε_k = ±1. Clusters with the same
 * (S_k, n_k) are pooled: their signs only matter through a Binomial(c, ½) count, so W = Σ_v w_v (2X_v − c_v). That
 * joint law is enumerated when it has at most SIGN_FLIP_EXACT_LIMIT outcomes (the largest pool summed through its
 * binomial CDF), else drawn SIGN_FLIP_DRAWS times with seed 0, p = (1 + hits) / (1 + draws). With one sample per
 * cluster and one epoch, S_k ∈ {−1, 0, 1}: at δ = 0 only the discordant pairs move, W = 2X − (b + c) with
 * X ~ Binomial(b + c, ½), and the two-sided p is exact McNemar's.
 */
export function signFlipTest(clusters: PairedCluster[]): SignFlipTest {
  const pools = new Map<string, { sum: number; size: number; count: number }>();
  let total = 0;
  let n = 0;
  for (const c of clusters) {
    if (c.size === 0) continue;
    const key = `${Math.round(c.sum * 1e9)}/${c.size}`;
    const pool = pools.get(key);
    if (pool) pool.count++;
    else pools.set(key, { sum: c.sum, size: c.size, count: 1 });
    total += c.sum;
    n += c.size;
  }
  const list = [...pools.values()].sort((a, b) => b.count - a.count);
  const mean = n === 0 ? 0 : total / n;
  // The largest pool goes through its CDF; the rest are enumerated.
  const outcomes = list.slice(1).reduce((a, p) => a * (p.count + 1), 1);
  const exact = outcomes <= SIGN_FLIP_EXACT_LIMIT;
  const cdfs = list.map((p) => binomialHalfCdf(p.count));

  let draws: { a: Float64Array; b: Float64Array } | undefined;
  const drawn = () => {
    if (draws) return draws;
    const rng = createRng(0);
    const a = new Float64Array(SIGN_FLIP_DRAWS);
    const b = new Float64Array(SIGN_FLIP_DRAWS);
    for (let r = 0; r < SIGN_FLIP_DRAWS; r++) {
      for (const p of list) {
        const signed = 2 * binomialHalfDraw(p.count, rng) - p.count;
        a[r] += p.sum * signed;
        b[r] += p.size * signed;
      }
    }
    return (draws = { a, b });
  };

  /** P(W ≤ T) (side −1) or P(W ≥ T) (side +1) under H0 mean = delta. */
  const tail = (delta: number, side: 1 | -1): number => {
    if (n === 0) return 1;
    const t = total - delta * n;
    const eps = 1e-9 * (1 + Math.abs(total) + n);
    if (!exact) {
      const { a, b } = drawn();
      let hits = 0;
      for (let r = 0; r < a.length; r++) {
        const w = a[r] - delta * b[r];
        if (side < 0 ? w <= t + eps : w >= t - eps) hits++;
      }
      return (1 + hits) / (1 + a.length);
    }
    const w = list.map((p) => p.sum - delta * p.size);
    const last = list.length - 1;
    let p = 0;
    // Enumerate pools 1..last; pool 0 (the largest) is summed through its CDF.
    const visit = (i: number, partial: number, prob: number) => {
      if (i > last) {
        p += prob * poolTail(w[0], list[0].count, cdfs[0], t - partial, side, eps);
        return;
      }
      const pmf = cdfs[i];
      const c = list[i].count;
      for (let x = 0; x <= c; x++) {
        const px = pmf[x] - (x > 0 ? pmf[x - 1] : 0);
        if (px > 0) visit(i + 1, partial + w[i] * (2 * x - c), prob * px);
      }
    };
    if (list.length > 0) visit(1, 0, 1);
    return Math.min(1, p);
  };

  const lower = (delta: number) => tail(delta, -1);
  const upper = (delta: number) => tail(delta, 1);
  return {
    method: exact ? 'exact' : 'monte-carlo',
    mean,
    lower,
    upper,
    twoSided: () => Math.min(1, 2 * Math.min(lower(0), upper(0))),
    bounds: (level) => {
      if (n === 0) return [-1, 1];
      if (!exact) return drawnBounds(drawn(), total, n, level, mean);
      // lower(δ) falls as δ grows, upper(δ) rises: bisect for where each crosses the level.
      const cross = (p: (d: number) => number, falling: boolean): number => {
        let lo = -1;
        let hi = 1;
        for (let i = 0; i < 40; i++) {
          const mid = (lo + hi) / 2;
          if ((p(mid) >= level) === falling) lo = mid;
          else hi = mid;
        }
        return falling ? lo : hi;
      };
      return [Math.min(mean, cross(upper, false)), Math.max(mean, cross(lower, true))];
    },
  };
}

/**
 * The Monte-Carlo bounds without bisection. A draw r (sums A_r = Σ ε S, B_r = Σ ε n) counts towards lower(δ) when
 * A_r − δ·B_r ≤ S − δ·N, that is when δ ≤ δ_r = (S − A_r) / (N − B_r), the mean difference of the clusters whose sign
 * it flipped (a draw flipping none always counts). So lower(δ) = (1 + always + #{δ_r ≥ δ}) / (1 + draws), and the
 * upper bound is the largest δ where that is still ≥ level: an order statistic of the δ_r; the lower bound likewise.
 */
function drawnBounds({ a, b }: { a: Float64Array; b: Float64Array }, total: number, n: number, level: number, mean: number): [number, number] {
  const deltas: number[] = [];
  let always = 0;
  for (let r = 0; r < a.length; r++) {
    if (n - b[r] < 1e-9) always++;
    else deltas.push((total - a[r]) / (n - b[r]));
  }
  deltas.sort((x, y) => x - y);
  // The k-th largest δ_r keeps lower(δ) ≥ level: 1 + always + k ≥ level · (1 + draws).
  const k = Math.ceil(level * (1 + a.length) - 1 - always);
  const upper = k <= 0 ? 1 : k > deltas.length ? -1 : deltas[deltas.length - k];
  const lower = k <= 0 ? -1 : k > deltas.length ? 1 : deltas[k - 1];
  return [Math.max(-1, Math.min(mean, lower)), Math.min(1, Math.max(mean, upper))];
}

/** P(w·(2X − c) ≤ r) or P(w·(2X − c) ≥ r) for X ~ Binomial(c, ½), from its CDF. */
function poolTail(w: number, c: number, cdf: Float64Array, r: number, side: 1 | -1, eps: number): number {
  const at = (x: number) => (x < 0 ? 0 : x >= c ? 1 : cdf[x]);
  if (Math.abs(w) < 1e-15) return (side < 0 ? 0 <= r + eps : 0 >= r - eps) ? 1 : 0;
  // w·(2X − c) ≤ r  ⇔  X ≤ (r/w + c)/2 for w > 0, X ≥ (r/w + c)/2 for w < 0 (and the reverse for ≥).
  const x = (r / w + c) / 2;
  const below = side < 0 === w > 0; // the event is X ≤ bound
  const tol = eps / Math.abs(w);
  return below ? at(Math.floor(x + tol)) : 1 - at(Math.ceil(x - tol) - 1);
}

/** The CDF of Binomial(c, ½) at 0..c, computed in log space so large c stays exact enough. */
function binomialHalfCdf(c: number): Float64Array {
  const cdf = new Float64Array(c + 1);
  let log = -c * Math.LN2;
  let acc = 0;
  for (let x = 0; x <= c; x++) {
    if (x > 0) log += Math.log((c - x + 1) / x);
    acc += Math.exp(log);
    cdf[x] = Math.min(1, acc);
  }
  return cdf;
}

/** A Binomial(c, ½) draw: the set bits among c random bits. */
function binomialHalfDraw(c: number, rng: Rng): number {
  let x = 0;
  for (let left = c; left > 0; left -= 30) {
    let v = Math.floor(rng.next() * 0x40000000) & (left >= 30 ? 0x3fffffff : (1 << left) - 1);
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    x += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return x;
}
