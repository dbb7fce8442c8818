// The cardeval command line (DESIGN §8): parses arguments, dispatches, turns errors into one line and an exit code.
import { parseArgs } from 'node:util';
import { CardevalError, ConfigError, redact } from '../../core/errors.js';
import { defaultDbPath } from '../../results/store.js';
import { runCommand, resumeCommand } from './run.js';
import { reportCommand, runsCommand, evalsCommand, publishedCommand, gradeCommand, rescoreCommand } from './inspect.js';
import { mockServerCommand } from './mock-server.js';
import { doctorCommand } from './doctor.js';
import { mergeCommand } from './merge.js';
import { compareCommand } from './compare.js';
import { datasetsCommand } from './datasets.js';

const usage = `cardeval — instruction-hierarchy evals of the OpenAI system cards

usage:
  cardeval run      [--suite NAME | --eval ID[:VARIANT] ...] [--model ID] [--base-url URL] [--api chat|responses]
                    [--concurrency N] [--timeout SECONDS] [--max-retries N] [--limit N] [--epochs N] [--seed N]
                    [--reasoning-effort low|medium|high] [--role-profile native|developer-as-system|merged]
                    [--rpm N] [--tpm N] [--cache on|off|record|replay] [--fixtures FILE.jsonl] [--batch]
                    [--shard I/N] [--max-cost USD] [--dry-run] [--judge-model ID]
                    [--sandbox docker|local] [--eval-module PATH] [--db PATH] [--json]
  cardeval resume   RUN_ID [--db PATH] [--json]
  cardeval report   [RUN_ID|latest] [--format table|markdown|json|junit|html] [--out FILE] [--all-samples] [--db PATH]
  cardeval compare  BASE_RUN CANDIDATE_RUN [--max-drop X] [--alpha A] [--format table|markdown|json|junit]
                    [--out FILE] [--db PATH]             (exit 1 on a regression)
  cardeval datasets import KIND --from FILE [--out DIR] [--limit N] [--seed N]
                    (KIND: gsm8k, math, ifeval, realguardrails, cyberseceval; run them with --eval-module evals/imported/index.ts)
  cardeval grade    --eval ID[:VARIANT] --input FILE.jsonl     (offline grading, JSONL out)
  cardeval rescore  RUN_ID [--db PATH]                         (re-grade stored responses)
  cardeval runs     [--db PATH]
  cardeval merge    DB... --into DB                             (combine shard databases into one run)
  cardeval evals    [--eval-module PATH]
  cardeval published [--model M]
  cardeval doctor   [--json]
  cardeval mock-server [--port N] [--latency-ms N] [--fail-rate X] [--rate-429 X] [--drop-rate X] [--hang-rate X]
                    [--rpm N] [--tpm N] [--limit-window-ms N] [--require-key KEY] [--seed N]

With no OPENAI_API_KEY and no --base-url, \`run\` uses the built-in mock OpenAI server (model mock-hierarchy).
Results go to .cardeval/cardeval.sqlite (or --db, or CARDEVAL_DB).
Exit codes: 0 done, 1 a gate failed, 2 bad usage or input, 3 the run ended incomplete.
`;

const options = {
  help: { type: 'boolean', short: 'h' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  suite: { type: 'string' },
  eval: { type: 'string', multiple: true },
  'eval-module': { type: 'string', multiple: true },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  api: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-retries': { type: 'string' },
  limit: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  'reasoning-effort': { type: 'string' },
  'role-profile': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  input: { type: 'string' },
  from: { type: 'string' },
  port: { type: 'string' },
  'latency-ms': { type: 'string' },
  'fail-rate': { type: 'string' },
  'rate-429': { type: 'string' },
  'drop-rate': { type: 'string' },
  'hang-rate': { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  'limit-window-ms': { type: 'string' },
  'require-key': { type: 'string' },
  sandbox: { type: 'string' },
  cache: { type: 'string' },
  fixtures: { type: 'string' },
  batch: { type: 'boolean' },
  shard: { type: 'string' },
  'max-cost': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'all-samples': { type: 'boolean' },
  'judge-model': { type: 'string' },
  into: { type: 'string' },
  'max-drop': { type: 'string' },
  alpha: { type: 'string' },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const db = values.db ?? defaultDbPath();
  switch (command) {
    case 'run':
      return runCommand(values, db);
    case 'resume':
      return resumeCommand(rest[0], values, db);
    case 'report':
      return reportCommand(rest[0], values, db);
    case 'compare':
      return compareCommand(rest[0], rest[1], values, db);
    case 'runs':
      return runsCommand(db);
    case 'evals':
      return evalsCommand(values['eval-module'] ?? []);
    case 'published':
      return publishedCommand(values.model, db);
    case 'grade':
      return gradeCommand(values.eval?.[0], values.input, values['eval-module'] ?? []);
    case 'rescore':
      return rescoreCommand(rest[0], db);
    case 'datasets':
      return datasetsCommand(rest, values);
    case 'merge':
      return mergeCommand(rest, values.into);
    case 'doctor':
      return doctorCommand(db, !!values.json);
    case 'mock-server':
      return mockServerCommand(values);
    default:
      throw new ConfigError(`unknown command "${command}"\n\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const key = process.env.OPENAI_API_KEY;
    if (error instanceof CardevalError) {
      process.stderr.write(`error: ${redact(error.message, [key])}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`internal error: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error), [key])}\n`);
      process.exitCode = 1;
    }
  },
);
