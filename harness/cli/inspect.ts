// Read-only commands: report, runs, evals, published. None of them sends a request.
import { existsSync } from 'node:fs';
import { ConfigError, redact } from '../../core/errors.js';
import { formatTable } from '../../core/format.js';
import { loadDataset } from '../datasets.js';
import { Store } from '../../results/store.js';
import { buildReport, documentId } from '../../results/report.js';
import { reportFormat } from '../../results/formats/index.js';
import { renderBreakdownTable } from '../../results/formats/table.js';
import { referenceDocument } from './run.js';
import { readRunConfig } from '../../core/run-config.js';
import { evalsOfRun, loadRegistry } from './run.js';
import { writeOutput } from './output.js';
import { printable, terminalWidth } from './terminal.js';
import { gradeJsonl, gradeJsonlJudged, rescoreRun } from '../grading.js';
import { judgePrompt, parseVerdict, type JudgeQuestion } from '../judge.js';
import { checkBaseUrl, checkMockModel, OPENAI_BASE_URL, resolveBaseUrl } from './connect.js';
import { openaiChatRunner } from '../../runners/openai-chat.js';
import { startMockServer } from '../../runners/mock/server.js';
import { capabilitiesFor, defaultRoleProfile } from '../../runners/capabilities.js';
import type { Runner } from '../../core/wire.js';

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
    const report = buildReport(store, run, await evalsOfRun(store, run), { reference });
    // The format gets the samples behind each row through a reader, never the store itself.
    const width = terminalWidth(flags.out);
    const text = flags.by !== undefined ? redact(renderBreakdownTable(report, flags.by, { width })) : format(report, { drillDown: store, allSamples: flags.allSamples, width });
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

export interface GradeJudgeOptions {
  /** `--judge-model`: decides the grades the rules leave uncertain. */
  judgeModel?: string;
  /** `--base-url`: the judge's OpenAI-compatible endpoint. */
  baseUrl?: string;
}

export async function gradeCommand(spec: string, input: string, modules: string[], judge: GradeJudgeOptions = {}): Promise<number> {
  const registry = await loadRegistry(modules);
  const [id, variant] = spec.split(':');
  const def = registry.get(id);
  const chosen = variant ?? def.variants[0];
  if (!def.variants.includes(chosen)) throw new ConfigError(`eval "${id}" has no variant "${chosen}"; its variants: ${def.variants.join(', ')}`);
  if (judge.judgeModel === undefined) {
    // Everything is graded before anything is printed: a bad line leaves no half-written output.
    process.stdout.write(gradeJsonl(def, chosen, input).map((l) => l + '\n').join(''));
    return 0;
  }
  const connection = await judgeConnection(judge.judgeModel, judge.baseUrl);
  try {
    const ask = async (question: JudgeQuestion, response: string) => {
      const answer = await connection.runner.complete({ model: judge.judgeModel!, messages: [{ role: 'user', content: judgePrompt(question, response) }] });
      return parseVerdict(answer.content);
    };
    process.stdout.write((await gradeJsonlJudged(def, chosen, input, judge.judgeModel, ask)).map((l) => l + '\n').join(''));
  } finally {
    await connection.close();
  }
  return 0;
}

/** The judge's endpoint, as `run` chooses one: --base-url or OPENAI_BASE_URL, OpenAI with a key, else the built-in mock. */
async function judgeConnection(model: string, baseUrlFlag: string | undefined): Promise<{ runner: Runner; close: () => Promise<void> }> {
  const base = resolveBaseUrl(baseUrlFlag);
  if (base) checkBaseUrl(base.url, base.from);
  const key = process.env.OPENAI_API_KEY;
  const common = { timeoutMs: 120_000, maxRetries: 2, roleProfile: defaultRoleProfile(capabilitiesFor(model)) };
  if (!key && !base) {
    checkMockModel(model);
    process.stderr.write(`no OPENAI_API_KEY, no --base-url and no OPENAI_BASE_URL: the judge is the built-in mock OpenAI server's ${model}\n`);
    const server = await startMockServer({ port: 0 });
    return { runner: openaiChatRunner({ ...common, apiKey: 'mock-key', baseURL: server.url }), close: () => server.close() };
  }
  return { runner: openaiChatRunner({ ...common, apiKey: key || 'no-key', baseURL: base?.url ?? OPENAI_BASE_URL }), close: async () => {} };
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
