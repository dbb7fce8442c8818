// The command-line grammar (docs/cli.md) as a commander program: each command declares its own options, so an option
// of another command, an unknown option or a stray argument is refused before anything is opened or written.
import { Command, Option } from 'commander';
import { ConfigError, INTERNAL_ERROR_EXIT } from '../../core/errors.js';
import { packageVersion } from '../../core/root.js';
import { MAX_SEED, MAX_TIMEOUT_S } from '../../core/run-config.js';
import { defaultDbPath } from '../../results/store.js';
import { compareFormats, reportFormats } from '../../results/formats/index.js';
import { runCommand, resumeCommand } from './run.js';
import { reportCommand, runsCommand, evalsCommand, publishedCommand, gradeCommand, rescoreCommand } from './inspect.js';
import { mockServerCommand } from './mock-server.js';
import { doctorCommand } from './doctor.js';
import { mergeCommand } from './merge.js';
import { compareCommand } from './compare.js';
import { defaultCompareOptions } from '../../results/compare.js';
import { datasetKinds, datasetsCommand } from './datasets.js';
import { initCommand } from './init.js';
import { collect, decimal, evalSpec, floor, integer, milliseconds, shard } from './options.js';

export const exitCodes = `Exit codes:
  0   done (also: stdout's reader left early; Ctrl-C after the run ended)
  1   a gate failed (compare found a regression; run --fail-under: a row under its floor; doctor found a broken install)
  2   bad usage, bad input or a bad environment (unknown option, bad value, bad dataset row, unusable database path
      or file, another application's database, a run another process works on, merge --into an existing file,
      stdout cannot be written)
  3   the run ended incomplete (errors, Ctrl-C/SIGTERM/SIGHUP, --max-cost reached): cardeval resume RUN_ID
  ${INTERNAL_ERROR_EXIT}  internal error (a bug): one line; the stack with --debug or CARDEVAL_DEBUG=1
  128+n  a second signal quit a run at once (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP): cardeval resume RUN_ID`;

const RESUMABLE = ['timeout', 'concurrency', 'max-concurrency', 'rpm', 'tpm', 'max-retries', 'max-cost', 'max-pause', 'max-answer-bytes'] as const;

const dbOption = () => new Option('--db <path>', 'the results database (default: $CARDEVAL_DB or .cardeval/cardeval.sqlite)');
const db = (options: { db?: string }) => options.db ?? defaultDbPath();

/** The options of `run` that `resume` also takes (they may change between attempts). */
function resumableOptions(): Option[] {
  return [
    new Option('--timeout <seconds>', `per-request timeout (1–${MAX_TIMEOUT_S})`).argParser(integer(1, MAX_TIMEOUT_S)),
    new Option('--concurrency <n>', 'requests in flight, fixed (default: adaptive, from 8 up to --max-concurrency while the rate-limit headers show headroom)').argParser(integer(1, 10_000)),
    new Option('--max-concurrency <n>', 'the most requests in flight adaptive concurrency may reach (default 256)').argParser(integer(1, 10_000)),
    new Option('--rpm <n>', 'requests per minute at most').argParser(integer(1)),
    new Option('--tpm <n>', 'tokens per minute at most').argParser(integer(1)),
    new Option('--max-retries <n>', 'retries of a transient error (0–100)').argParser(integer(0, 100)),
    new Option('--max-cost <usd>', 'a budget: each request reserved before it is sent (prompt + output cap, sent as 25,000 tokens for reasoning models, 4,096 otherwise); an answer over its reservation stops the run').argParser(decimal(0, Infinity, { open: true, what: 'an amount of USD' })),
    new Option('--max-answer-bytes <n>', 'an answer larger than this ends its item as an error, unread (default 4194304, 4 MiB)').argParser(integer(1024)),
    new Option('--max-pause <seconds>', 'longest rate-limit pause a server may impose (retry-after, a far reset; default 180)').argParser(integer(1, MAX_TIMEOUT_S)),
  ];
}

/** The options of `run` that are fixed once a run exists. */
function fixedRunOptions(): Option[] {
  return [
    new Option('--suite <name>', 'a suite of evals (with --eval: the union of both)'),
    new Option('--eval <id[:variant]>', 'an eval, or one variant of it; repeatable (with --suite: added to it)').argParser(evalSpec),
    new Option('--model <id>', 'model to evaluate (default without a key: mock-hierarchy)'),
    new Option('--base-url <url>', 'an OpenAI-compatible endpoint (default: OPENAI_BASE_URL when set)'),
    new Option('--api <api>', 'which OpenAI API').choices(['chat', 'responses']),
    new Option('--limit <n>', 'samples per eval variant at most (a seeded choice)').argParser(integer(1)),
    new Option('--epochs <n>', 'times each sample is asked (1–1000)').argParser(integer(1, 1000)),
    new Option('--seed <n>', `seed of the --limit choice (0–${MAX_SEED})`).argParser(integer(0, MAX_SEED)),
    new Option('--reasoning-effort <level>').choices(['low', 'medium', 'high']),
    new Option('--role-profile <profile>', 'how system and developer messages reach the provider').choices(['native', 'developer-as-system', 'merged']),
    new Option('--cache <mode>', 'the response cache').choices(['on', 'off', 'record', 'replay']),
    new Option('--fixtures <file.jsonl>', 'recorded responses read before the cache (written with --cache record)'),
    new Option('--batch', 'send through the Batch API'),
    new Option('--shard <i/n>', 'run the I-th of N disjoint parts of the samples').argParser(shard),
    new Option('--sandbox <kind>', 'where model-written code runs').choices(['docker', 'local']),
    new Option('--judge-model <id>', 'a model asked whether each response kept its rule'),
    new Option('--eval-module <path>', 'load evals from a module; repeatable').argParser(collect),
    new Option('--dry-run', 'estimate requests, tokens and cost; send nothing'),
    new Option('--reference <document-id>', 'the document whose figures verdicts use (`cardeval published` lists the ids; default: the one the suite replicates)'),
    new Option('--fail-under <[eval[:variant]=]x>', 'exit 1 when a headline row scores under x (0–1): every row, or the rows named; repeatable; JUnit marks them failed').argParser(floor),
    new Option('--fail-under-bound', '--fail-under compares the lower bound of the 95% interval, not the score'),
  ];
}

/** The program, and the exit code its command's action returned (commander itself ignores what an action returns). */
export function buildProgram(): { program: Command; exit: { code: number } } {
  const exit = { code: 0 };
  const done = async (code: Promise<number>) => {
    exit.code = await code;
  };
  const program = new Command('cardeval')
    .description('instruction-hierarchy evals of the OpenAI system cards')
    .version(packageVersion, '-V, --version', 'print the cardeval version')
    .option('--debug', 'print the stack of an internal error (also CARDEVAL_DEBUG=1)')
    .addHelpText('after', `\nWith no OPENAI_API_KEY, no --base-url and no OPENAI_BASE_URL, \`run\` uses the built-in mock OpenAI server (model mock-hierarchy).\n\n${exitCodes}\n`)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true });
  const command = (name: string, description: string) => program.command(name).description(description).exitOverride().showHelpAfterError(`(cardeval ${name.split(' ')[0]} --help shows its options)`);

  const run = command('run', 'run a suite or evals and print the report (exit 3 if the run ended incomplete)');
  for (const o of [...fixedRunOptions(), ...resumableOptions()]) run.addOption(o);
  run.addOption(dbOption()).option('--json', 'print the JSON report (docs/report.schema.json) to stdout');
  run.option('--yes', 'create a run past 10 million items');
  run.action((options) => done(runCommand(options, db(options))));

  const resume = command('resume <run-id>', `finish an incomplete run; takes only --${RESUMABLE.join(', --')}, which replace the stored values`);
  for (const o of resumableOptions()) resume.addOption(o);
  // Named, not unknown, so the refusal can say why: these are fixed by the run being resumed.
  for (const o of fixedRunOptions()) resume.addOption(o.hideHelp());
  resume.addOption(dbOption()).option('--json', 'print the JSON report to stdout');
  resume.action((runId: string, options: Record<string, unknown>) => {
    const fixed = fixedRunOptions()
      .map((o) => o.attributeName())
      .filter((name) => options[name] !== undefined);
    if (fixed.length > 0) {
      const flag = fixedRunOptions().find((o) => o.attributeName() === fixed[0])!.long;
      throw new ConfigError(`resume: ${flag} is fixed by the run; resume takes only --${RESUMABLE.join(', --')} (start a new run to change the rest)`);
    }
    return done(resumeCommand(runId, options, db(options)));
  });

  command('report [run-id]', 'print the report of a run (default: the latest)')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(reportFormats)).default('table'))
    .option('--by <dimension>', 'the headline rows broken down by tactic, constraint or topic, as a table')
    .option('--all-samples', 'html: every passing sample in the drill-downs, not a seeded 20 per row')
    .option('--reference <document-id>', 'compare with this document\'s figures instead of the run\'s reference')
    .option('--out <file>', 'write to a file instead of stdout (atomically; a symlink is written through, a device or FIFO into)')
    .addOption(dbOption())
    .action((runId: string | undefined, options) => done(reportCommand(runId, options, db(options))));

  command('compare <base-run> <candidate-run>', 'paired comparison of two runs on the same samples (exit 1: a gated regression, or the candidate left over 2% of the items the base scored unscored; exit 2: nothing pairs)')
    .addOption(new Option('--max-drop <x>', `largest tolerated drop of a gated score (0–1, default ${defaultCompareOptions.maxDrop})`).argParser(decimal(0, 1)))
    .addOption(new Option('--alpha <a>', `level of the gate: Holm across gated rows, one-sided bounds (0–1 exclusive, default ${defaultCompareOptions.alpha})`).argParser(decimal(0, 1, { open: true })))
    .option('--fail-on-inconclusive', 'exit 1 when a gated row is inconclusive (neither shown equivalent nor a regression)')
    .addOption(new Option('--format <format>', 'output format; json follows docs/compare.schema.json').choices(Object.keys(compareFormats)).default('table'))
    .option('--out <file>', 'write to a file instead of stdout (atomically; a symlink is written through, a device or FIFO into)')
    .addOption(dbOption())
    .action((base: string, candidate: string, options) => done(compareCommand(base, candidate, options, db(options))));

  command('grade', 'grade responses offline: JSONL in (--input), JSONL out with pass and reason')
    .requiredOption('--eval <id[:variant]>', 'the eval (and variant) whose grader to use', (v: string) => evalSpec(v)[0])
    .requiredOption('--input <file.jsonl>', 'lines {"sample": {...}, "response": "..."}')
    .addOption(new Option('--eval-module <path>', 'load evals from a module; repeatable').argParser(collect))
    .addOption(new Option('--judge-model <id>', 'a model that decides the grades the rules leave uncertain (adds "judge" to those lines)'))
    .addOption(new Option('--base-url <url>', "the judge's OpenAI-compatible endpoint (default: OPENAI_BASE_URL when set)"))
    .action((options) => done(gradeCommand(options.eval, options.input, options.evalModule ?? [], { judgeModel: options.judgeModel, baseUrl: options.baseUrl })));

  command('rescore <run-id>', 're-grade the stored responses of a run')
    .addOption(dbOption())
    .action((runId: string, options) => done(rescoreCommand(runId, db(options))));

  command('runs', 'list the runs in the database')
    .addOption(dbOption())
    .action((options) => done(runsCommand(db(options))));

  command('evals', 'list the evals, their variants and sample counts')
    .addOption(new Option('--eval-module <path>', 'load evals from a module; repeatable').argParser(collect))
    .action((options) => done(evalsCommand(options.evalModule ?? [])));

  command('published', 'list the figures the system cards published')
    .option('--model <m>', 'only this model (as named by cardeval or by the card)')
    .option('--eval <id>', 'only this eval')
    .addOption(dbOption())
    .action((options) => done(publishedCommand(options, db(options))));

  command('doctor', 'check what this machine can run (exit 1 if something required is broken)')
    .option('--json', 'machine-readable checks')
    .addOption(dbOption())
    .action((options) => done(doctorCommand(db(options), !!options.json)));

  command('merge <db...>', 'combine shard databases into one run (exit 3 if a run is still missing shards)')
    .requiredOption('--into <db>', 'the database to write (a new file: one that exists is refused)')
    .action((sources: string[], options) => done(mergeCommand(sources, options.into)));

  command('mock-server', 'serve the mock OpenAI API until Ctrl-C')
    .addOption(new Option('--port <n>', 'port (0: any free one)').argParser(integer(0, 65535)).default(8787))
    .addOption(new Option('--latency-ms <n>', 'added latency per request').argParser(milliseconds))
    .addOption(new Option('--fail-rate <x>', 'share of requests answered with a 5xx').argParser(decimal(0, 1)))
    .addOption(new Option('--rate-429 <x>', 'share of requests answered with a 429').argParser(decimal(0, 1)))
    .addOption(new Option('--drop-rate <x>', 'share of connections dropped').argParser(decimal(0, 1)))
    .addOption(new Option('--hang-rate <x>', 'share of requests never answered').argParser(decimal(0, 1)))
    .addOption(new Option('--rpm <n>', 'requests per minute before 429s').argParser(integer(1)))
    .addOption(new Option('--limit-window-ms <n>', 'enforce --rpm/--tpm over fixed windows of this length, as quantizing limiters do').argParser(milliseconds))
    .addOption(new Option('--tpm <n>', 'tokens per minute before 429s').argParser(integer(1)))
    .option('--require-key <key>', 'answer 401 without this bearer key')
    .addOption(new Option('--seed <n>', 'seed of the injected faults').argParser(integer(0, MAX_SEED)))
    .action((options) => done(mockServerCommand(options)));

  command('init', 'scaffold new work: `cardeval init eval NAME`')
    .command('eval <name>')
    .description('scaffold an eval module: its definition, grader, a small JSONL dataset with its manifest, and a vitest test')
    .exitOverride()
    .option('--out <dir>', 'where to write it (default: ./NAME)')
    .action(async (name: string, options) => done(Promise.resolve(initCommand(['eval', name], options))));

  const datasets = command('datasets', 'import public data sets (a local file you name) for the evals of evals/imported/');
  datasets
    .command('import')
    .description('run an importer on your copy of a public data set')
    .exitOverride()
    .argument('<kind>', `one of: ${datasetKinds.join(', ')}`)
    .requiredOption('--from <file>', 'your copy of the data set')
    .option('--out <dir>', 'where the samples go, in DIR/KIND, replaced only when it holds nothing else (default: $CARDEVAL_IMPORTED_DIR or .cardeval/datasets)')
    .addOption(new Option('--limit <n>', 'rows at most').argParser(integer(1)))
    .addOption(new Option('--seed <n>', 'seed of the --limit choice').argParser(integer(0, MAX_SEED)))
    .addOption(new Option('--task <task>', 'tensortrust: which benchmark the file is, when its name does not say').choices(['hijacking', 'extraction']))
    .action((kind: string, options) => done(datasetsCommand(kind, options)));

  return { program, exit };
}
