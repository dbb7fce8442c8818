// `cardeval compare BASE CANDIDATE`: the paired comparison of two runs and the regression gate (exit 1 when it fails).
import { ConfigError } from '../../core/errors.js';
import { Store } from '../../results/store.js';
import { compareRuns, defaultCompareOptions, gateExitCode } from '../../results/compare.js';
import { compareFormat } from '../../results/formats/index.js';
import { metricRole } from '../../core/define.js';
import { evalsOfRun } from './run.js';
import { writeOutput } from './output.js';
import { terminalWidth } from './terminal.js';

export interface CompareOptions {
  format: string;
  maxDrop?: number;
  alpha?: number;
  failOnInconclusive?: boolean;
  out?: string;
}

export async function compareCommand(baseId: string, candidateId: string, flags: CompareOptions, db: string): Promise<number> {
  const format = compareFormat(flags.format);
  const maxDrop = flags.maxDrop ?? defaultCompareOptions.maxDrop;
  const alpha = flags.alpha ?? defaultCompareOptions.alpha;
  const store = new Store(db, { create: false });
  try {
    const find = (id: string, role: string) => {
      const run = id === 'latest' ? store.latestRun() : store.getRun(id);
      if (!run) throw new ConfigError(`no ${role} run "${id}" in ${db}; \`cardeval runs\` lists them`);
      return run;
    };
    const base = find(baseId, 'base');
    const candidate = find(candidateId, 'candidate');
    // Each run's own description of its evals (no module loaded); a run made before they were described loads its modules.
    const registry = new Map([...(await evalsOfRun(store, base)), ...(await evalsOfRun(store, candidate))]);
    const comparison = compareRuns(store, base, candidate, {
      maxDrop,
      alpha,
      role: (evalId, metric) => metricRole(registry.get(evalId), metric),
      privileges: (evalId, variant) => registry.get(evalId)?.privileges?.(variant),
      cluster: (evalId, sample) => registry.get(evalId)?.cluster?.(sample),
    });
    for (const w of comparison.warnings) process.stderr.write(`warning: ${w}\n`);
    writeOutput(format(comparison, { drillDown: store, width: terminalWidth(flags.out) }), flags.out);
    return gateExitCode(comparison, flags.failOnInconclusive);
  } finally {
    store.close();
  }
}
