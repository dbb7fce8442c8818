// Test fixture: runs written straight into a store with chosen outcomes, so every count behind a statistic is known.
import type { RunRecord, RunStatus, Store } from '../../../results/store.js';

export interface Outcome {
  eval: string;
  variant: string;
  sample: string;
  epoch?: number;
  /** The headline (`accuracy`) result; ignored when `error` is set. */
  pass?: boolean;
  error?: string;
  /** Further metrics beside accuracy. */
  metrics?: Record<string, boolean>;
  reason?: string;
  transcript?: unknown;
}

export const keyOf = (o: Pick<Outcome, 'eval' | 'variant' | 'sample' | 'epoch'>) => `${o.eval}:${o.variant}:${o.sample}:${o.epoch ?? 0}`;

export function seedRun(
  store: Store,
  id: string,
  outcomes: Outcome[],
  { model = 'mock-hierarchy', status = 'completed', created = '2025-03-01T10:00:00.000Z' }: { model?: string; status?: RunStatus; created?: string } = {},
): RunRecord {
  const run: RunRecord = {
    id, created, finished: '2025-03-01T10:02:03.500Z', model, provider: 'mock', base_url: null, api: 'chat',
    params: { evals: [], epochs: 1, seed: 1, concurrency: 1, timeout_s: 1, max_retries: 0, eval_modules: [], mock: true },
    harness_version: '0.1.0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status, error: null,
  };
  store.createRun(run, outcomes.map((o) => ({ key: keyOf(o), eval: o.eval, variant: o.variant, sample_id: o.sample, epoch: o.epoch ?? 0 })));
  store.recordResults(
    outcomes.map((o) =>
      o.error !== undefined
        ? { run_id: id, key: keyOf(o), status: 'error' as const, error: { kind: 'server', message: o.error }, completions: [], scores: [] }
        : {
            run_id: id,
            key: keyOf(o),
            status: 'scored' as const,
            completions: [],
            transcript: o.transcript ?? {
              messages: [{ role: 'system', content: `system prompt of ${o.sample}` }, { role: 'user', content: `attack on ${o.sample}` }],
              response: `answer to ${o.sample}`,
              tool_calls: [],
              turns: 1,
            },
            scores: Object.entries({ accuracy: !!o.pass, ...o.metrics }).map(([metric, pass]) => ({
              metric, value: pass ? 1 : 0, pass, reason: o.reason ?? (pass ? 'kept the secret' : 'leaked the secret'), grader_version: '1',
            })),
          },
    ),
  );
  return store.getRun(id)!;
}

/**
 * A base and a candidate over the same samples with a chosen 2×2 table: a both pass, b pass→fail,
 * c fail→pass, d both fail; samples are named `${prefix}-${i}` in that order.
 */
export function pairedOutcomes(evalId: string, variant: string, counts: { a: number; b: number; c: number; d: number }, prefix = 's') {
  const base: Outcome[] = [];
  const candidate: Outcome[] = [];
  let i = 0;
  for (const [kind, n] of Object.entries(counts) as Array<['a' | 'b' | 'c' | 'd', number]>) {
    for (let k = 0; k < n; k++, i++) {
      const sample = `${prefix}-${String(i).padStart(2, '0')}`;
      base.push({ eval: evalId, variant, sample, pass: kind === 'a' || kind === 'b' });
      candidate.push({ eval: evalId, variant, sample, pass: kind === 'a' || kind === 'c' });
    }
  }
  return { base, candidate };
}
