// The gate simulation (`npm run bench -- --case gate`): how often compare's tolerance test says each outcome when
// the true drop is known. Pure computation, no server: simulated samples go through the same test compare runs.
//
// n = 416 samples, each its own cluster, base pass rate 0.7. One epoch: a base-passing sample fails in the candidate
// with probability (0.05 + drop) / 0.7 and a base-failing one passes with probability 0.05 / 0.3, so the discordance
// is 10% at a drop of 0 and the expected drop is `drop`. Three epochs: each sample has a latent outcome per run (base
// pass rate 0.75, the same flips with the drop scaled by 1/0.8) and each epoch shows it flipped with probability 0.1,
// independently per epoch and run: expected pass rates 0.7 and 0.7 − drop again, epochs of a sample correlated.
// One row, so Holm changes nothing; a real comparison gates several rows and is a little more conservative.
import { createRng, type Rng } from '../core/random.js';
import { signFlipTest, type PairedCluster } from '../core/stats.js';
import { toleranceOutcome, type Outcome } from '../results/compare.js';
import { formatTable } from '../core/format.js';

const N = 416;
const PAIRS = 1000;
const DROPS = [0, 0.03, 0.05, 0.08, 0.15];
const OUTCOMES: Outcome[] = ['regression', 'equivalent', 'improvement', 'unchanged', 'inconclusive'];

/** One simulated pair of runs: each sample's difference (candidate − base, mean over epochs), one cluster each. */
function simulate(rng: Rng, drop: number, epochs: number): PairedCluster[] {
  const noisy = epochs > 1;
  const baseRate = noisy ? 0.75 : 0.7;
  const latentDrop = noisy ? drop / 0.8 : drop;
  const clusters: PairedCluster[] = [];
  for (let i = 0; i < N; i++) {
    const base = rng.chance(baseRate);
    const candidate = base ? !rng.chance((0.05 + latentDrop) / baseRate) : rng.chance(0.05 / (1 - baseRate));
    let sum = 0;
    for (let e = 0; e < epochs; e++) {
      const seen = (latent: boolean) => (noisy && rng.chance(0.1) ? !latent : latent);
      sum += Number(seen(candidate)) - Number(seen(base));
    }
    clusters.push({ sum: sum / epochs, size: 1 });
  }
  return clusters;
}

export function gateBench(maxDrops = [0.05, 0.02], alpha = 0.05): void {
  const header = ['max drop', 'epochs', 'true drop', ...OUTCOMES.map((o) => `% ${o}`), 'test', 's'];
  const lines: string[][] = [header];
  for (const maxDrop of maxDrops) {
    for (const epochs of [1, 3]) {
      for (const drop of DROPS) {
        const rng = createRng(1000 * epochs + Math.round(drop * 100));
        const counts = new Map<Outcome, number>();
        const methods = new Set<string>();
        const started = performance.now();
        for (let p = 0; p < PAIRS; p++) {
          const clusters = simulate(rng, drop, epochs);
          const test = signFlipTest(clusters);
          const outcome = clusters.every((c) => c.sum === 0) ? 'unchanged' : toleranceOutcome(test, { alpha, maxDrop });
          methods.add(test.method);
          counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        lines.push([String(maxDrop), String(epochs), drop.toFixed(2), ...OUTCOMES.map((o) => (((counts.get(o) ?? 0) * 100) / PAIRS).toFixed(1)), [...methods].join('+'), seconds]);
        process.stderr.write(`max drop ${maxDrop}, ${epochs} epoch(s), true drop ${drop}: done in ${seconds} s\n`);
      }
    }
  }
  console.log(`gate simulation: n ${N} samples, ${PAIRS} pairs per line, alpha ${alpha}, base pass rate 0.7, 10% discordance at a drop of 0`);
  console.log(formatTable(lines, { rule: true, right: (i) => i >= 1 && i < header.length - 1 }).join('\n'));
}
