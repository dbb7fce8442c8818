// Read-only commands: report, runs, evals, published. None of them sends a request.
import { ConfigError } from '../../core/errors.js';
import { loadDataset } from '../datasets.js';
import { Store } from '../../results/store.js';
import { buildReport } from '../../results/report.js';
import { renderJson } from '../../results/formats/json.js';
import { renderTable } from '../../results/formats/table.js';
import { renderMarkdown } from '../../results/formats/markdown.js';
import { renderJunit } from '../../results/formats/junit.js';
import { renderHtml } from '../../results/formats/html.js';
import { loadRegistry } from './run.js';
import { writeOutput } from './output.js';
import type { RunParams } from '../run.js';
import { gradeJsonl, rescoreRun } from '../grading.js';

// A format reads the report; the HTML one also reads the store, for the samples behind each row.
const formats = { table: renderTable, markdown: renderMarkdown, json: renderJson, junit: renderJunit, html: renderHtml } as const;

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

export async function reportCommand(which: string | undefined, flags: { format?: string; out?: string; 'all-samples'?: boolean }, db: string): Promise<number> {
  const format = (flags.format ?? 'table') as keyof typeof formats;
  if (!(format in formats)) throw new ConfigError(`--format must be one of ${Object.keys(formats).join(', ')}, got "${flags.format}"`);
  const store = new Store(db);
  try {
    const run = !which || which === 'latest' ? store.latestRun() : store.getRun(which);
    if (!run) throw new ConfigError(which && which !== 'latest' ? `no run "${which}" in ${db}` : `no runs in ${db} yet: start one with \`cardeval run\``);
    const registry = await loadRegistry((run.params as RunParams).eval_modules ?? []);
    const report = buildReport(store, run, new Map(registry.all().map((e) => [e.id, e])));
    // --all-samples: the HTML drill-downs list every passing sample, not a seeded sample of them per row.
    const render = formats[format] as (r: typeof report, s: Store) => string;
    writeOutput(format === 'html' ? renderHtml(report, store, { allSamples: flags['all-samples'] }) : render(report, store), flags.out);
    return 0;
  } finally {
    store.close();
  }
}

export async function runsCommand(db: string): Promise<number> {
  const store = new Store(db);
  try {
    const rows = store.listRuns().map((r) => [r.id, r.created.slice(0, 19), r.model, r.provider, r.status, `${r.scored}/${r.items}`, String(r.errors)]);
    process.stdout.write(columns([['run', 'created', 'model', 'provider', 'status', 'scored', 'errors'], ...rows]));
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

export async function publishedCommand(model: string | undefined, db: string): Promise<number> {
  const store = new Store(db);
  try {
    const rows = store.published({ model }).map((f) => [f.document, f.table.split(':')[0], f.eval, f.variant_as_published, f.model_as_published, f.metric, f.value.toFixed(3)]);
    if (rows.length === 0) throw new ConfigError(`no published figures for model "${model}"`);
    process.stdout.write(columns([['document', 'table', 'eval', 'variant', 'model', 'metric', 'value'], ...rows]));
    return 0;
  } finally {
    store.close();
  }
}

export async function gradeCommand(spec: string | undefined, input: string | undefined, modules: string[]): Promise<number> {
  if (!spec || !input) throw new ConfigError('usage: cardeval grade --eval ID[:VARIANT] --input FILE.jsonl');
  const registry = await loadRegistry(modules);
  const [id, variant] = spec.split(':');
  const def = registry.get(id);
  const chosen = variant ?? def.variants[0];
  if (!def.variants.includes(chosen)) throw new ConfigError(`eval "${id}" has no variant "${chosen}"; its variants: ${def.variants.join(', ')}`);
  // Everything is graded before anything is printed: a bad line leaves no half-written output.
  process.stdout.write(gradeJsonl(def, chosen, input).map((l) => l + '\n').join(''));
  return 0;
}

export async function rescoreCommand(runId: string | undefined, db: string): Promise<number> {
  if (!runId) throw new ConfigError('usage: cardeval rescore RUN_ID [--db PATH]');
  const store = new Store(db);
  try {
    const run = store.getRun(runId);
    if (!run) throw new ConfigError(`no run "${runId}" in ${db}`);
    const registry = await loadRegistry((run.params as RunParams).eval_modules ?? []);
    const { rescored, changed } = rescoreRun(store, registry, runId);
    process.stderr.write(`rescored ${rescored} items of ${runId}; ${changed} scores changed\n`);
    return 0;
  } finally {
    store.close();
  }
}
