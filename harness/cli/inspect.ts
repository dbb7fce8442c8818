// Read-only commands: report, runs, evals, published. None of them sends a request.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';
import { formatTable } from '../../core/format.js';
import { loadDataset } from '../datasets.js';
import { Store } from '../../results/store.js';
import { buildReport, documentId } from '../../results/report.js';
import { reportFormat } from '../../results/formats/index.js';
import { renderBreakdownTable } from '../../results/formats/table.js';
import { referenceDocument } from './run.js';
import { readRunConfig } from '../../core/run-config.js';
import { loadRegistry } from './run.js';
import { writeOutput } from './output.js';
import { printable } from './terminal.js';
import { gradeJsonl, rescoreRun } from '../grading.js';

const columns = (rows: string[][]): string => formatTable(rows).join('\n') + '\n';

export async function reportCommand(
  which: string | undefined,
  flags: { format: string; out?: string; by?: string; reference?: string; allSamples?: boolean },
  db: string,
): Promise<number> {
  if (flags.by !== undefined && flags.format !== 'table') throw new ConfigError('--by prints a table: use it without --format, or with --format table');
  const format = reportFormat(flags.format);
  const reference = flags.reference === undefined ? undefined : referenceDocument(flags.reference);
  const store = new Store(db, { create: false });
  try {
    const run = !which || which === 'latest' ? store.latestRun() : store.getRun(which);
    if (!run) throw new ConfigError(which && which !== 'latest' ? `no run "${which}" in ${db}` : `no runs in ${db} yet: start one with \`cardeval run\``);
    const registry = await loadRegistry(readRunConfig(run.id, run.params).eval_modules, true);
    const report = buildReport(store, run, new Map(registry.all().map((e) => [e.id, e])), { reference });
    // The format gets the samples behind each row through a reader, never the store itself.
    const text = flags.by !== undefined ? renderBreakdownTable(report, flags.by) : format(report, { drillDown: store, allSamples: flags.allSamples });
    // Sample ids and reasons come from datasets and servers: on a terminal, their control characters are shown, not obeyed.
    writeOutput(!flags.out && (flags.by !== undefined || flags.format === 'table' || flags.format === 'markdown') ? printable(text) : text, flags.out);
    return 0;
  } finally {
    store.close();
  }
}

export async function runsCommand(db: string): Promise<number> {
  const store = new Store(db, { create: false });
  try {
    const rows = store.listRuns().map((r) => [r.id, r.created.slice(0, 19), r.model, r.provider, r.status, `${r.scored}/${r.items}`, String(r.errors)]);
    process.stdout.write(printable(columns([['run', 'created', 'model', 'provider', 'status', 'scored', 'errors'], ...rows])));
    return 0;
  } finally {
    store.close();
  }
}

export async function evalsCommand(modules: string[]): Promise<number> {
  const registry = await loadRegistry(modules);
  const rows: string[][] = [['eval', 'variant', 'samples', 'title']];
  for (const e of registry.all()) {
    for (const v of e.variants) rows.push([e.id, v, String(loadDataset(e, v).samples.length), e.title]);
  }
  process.stdout.write(columns(rows));
  return 0;
}

export async function publishedCommand(filter: { model?: string; eval?: string }, db: string): Promise<number> {
  // The figures ship with cardeval: without a database they are read into memory, and no file is created.
  const store = new Store(existsSync(db) ? db : ':memory:', { create: false });
  try {
    // The first column is the id `--reference` takes; values as the documents printed them.
    // `test`: same (the figure measures the test it is filed under) or related (another test: context, never a verdict).
    const rows = store.published(filter).map((f) => [documentId(f.document), f.table.split(':')[0], f.eval, f.variant_as_published, f.model_as_published, f.metric, String(f.value), f.test_match ?? 'same']);
    if (rows.length === 0) {
      const asked = [filter.eval && `eval "${filter.eval}"`, filter.model && `model "${filter.model}"`].filter(Boolean).join(' and ');
      throw new ConfigError(`no published figures${asked ? ` for ${asked}` : ''}`);
    }
    process.stdout.write(columns([['document', 'table', 'eval', 'variant', 'model', 'metric', 'value', 'test'], ...rows]));
    return 0;
  } finally {
    store.close();
  }
}

export async function gradeCommand(spec: string, input: string, modules: string[]): Promise<number> {
  const registry = await loadRegistry(modules);
  const [id, variant] = spec.split(':');
  const def = registry.get(id);
  const chosen = variant ?? def.variants[0];
  if (!def.variants.includes(chosen)) throw new ConfigError(`eval "${id}" has no variant "${chosen}"; its variants: ${def.variants.join(', ')}`);
  // Everything is graded before anything is printed: a bad line leaves no half-written output.
  process.stdout.write(gradeJsonl(def, chosen, input).map((l) => l + '\n').join(''));
  return 0;
}

export async function rescoreCommand(runId: string, db: string): Promise<number> {
  const store = new Store(db, { create: false });
  try {
    const run = store.getRun(runId);
    if (!run) throw new ConfigError(`no run "${runId}" in ${db}`);
    const registry = await loadRegistry(readRunConfig(run.id, run.params).eval_modules, true);
    store.acquireLease(runId); // a run being worked on is refused, naming its process, as resume does
    try {
      const { rescored, changed } = rescoreRun(store, registry, runId);
      process.stderr.write(`rescored ${rescored} items of ${runId}; ${changed} scores changed\n`);
    } finally {
      store.releaseLease(runId);
    }
    return 0;
  } finally {
    store.close();
  }
}
