// `cardeval compare BASE CANDIDATE`: the paired comparison of two runs and the regression gate (exit 1 on a regression).
import { ConfigError } from '../../core/errors.js';
import { Store } from '../../results/store.js';
import { compareRuns, defaultCompareOptions, type Comparison } from '../../results/compare.js';
import { renderComparisonTable } from '../../results/formats/compare-table.js';
import { renderComparisonMarkdown } from '../../results/formats/markdown.js';
import { renderComparisonJunit } from '../../results/formats/junit.js';
import { loadRegistry } from './run.js';
import { writeOutput } from './output.js';
import type { RunParams } from '../run.js';

export interface CompareFlags {
  format?: string;
  'max-drop'?: string;
  alpha?: string;
  out?: string;
}

const formats = {
  table: renderComparisonTable,
  markdown: renderComparisonMarkdown,
  json: (c: Comparison) => JSON.stringify(c, null, 2) + '\n',
  junit: renderComparisonJunit,
} as const;

const usage = 'usage: cardeval compare BASE_RUN CANDIDATE_RUN [--max-drop X] [--alpha A] [--format table|markdown|json|junit] [--out FILE] [--db PATH]';

function proportion(name: string, value: string | undefined, fallback: number, { open }: { open: boolean }): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(x) && (open ? x > 0 && x < 1 : x >= 0 && x <= 1);
  if (!ok) throw new ConfigError(`--${name} must be a number ${open ? 'between 0 and 1 (exclusive)' : 'from 0 to 1'}, got "${value}"`);
  return x;
}

export async function compareCommand(baseId: string | undefined, candidateId: string | undefined, flags: CompareFlags, db: string): Promise<number> {
  if (!baseId || !candidateId) throw new ConfigError(usage);
  const format = (flags.format ?? 'table') as keyof typeof formats;
  if (!(format in formats)) throw new ConfigError(`--format must be one of ${Object.keys(formats).join(', ')}, got "${flags.format}"`);
  const maxDrop = proportion('max-drop', flags['max-drop'], defaultCompareOptions.maxDrop, { open: false });
  const alpha = proportion('alpha', flags.alpha, defaultCompareOptions.alpha, { open: true });
  const store = new Store(db);
  try {
    const find = (id: string, role: string) => {
      const run = id === 'latest' ? store.latestRun() : store.getRun(id);
      if (!run) throw new ConfigError(`no ${role} run "${id}" in ${db}; \`cardeval runs\` lists them`);
      return run;
    };
    const base = find(baseId, 'base');
    const candidate = find(candidateId, 'candidate');
    const modules = [...new Set([base, candidate].flatMap((r) => (r.params as RunParams).eval_modules ?? []))];
    const registry = new Map((await loadRegistry(modules)).all().map((e) => [e.id, e]));
    // An eval this cardeval no longer knows keeps the report's convention: `accuracy` is its headline.
    const isHeadline = (evalId: string, metric: string) => {
      const def = registry.get(evalId);
      return def ? def.metrics.find((m) => m.headline)?.name === metric : metric === 'accuracy';
    };
    const privileges = (evalId: string, variant: string) => registry.get(evalId)?.privileges?.(variant);
    const comparison = compareRuns(store, base, candidate, { maxDrop, alpha, isHeadline, privileges });
    for (const w of comparison.warnings) process.stderr.write(`warning: ${w}\n`);
    writeOutput(formats[format](comparison), flags.out);
    return comparison.regressions > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
