// The typed configuration of a run (stored in runs.params): one zod schema, checked when a run is made and when it is read back.
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** setTimeout's ceiling (2^31 − 1 ms): a longer delay fires at once, so no time option may exceed it. */
export const MAX_TIMER_MS = 2_147_483_647;
/** The longest --timeout Node can honour, in whole seconds. */
export const MAX_TIMEOUT_S = Math.floor(MAX_TIMER_MS / 1000);
/** The seeded RNG keeps 32 bits of its seed; a larger seed would silently wrap onto a smaller one. */
export const MAX_SEED = 0xffff_ffff;

/** The default of `--max-concurrency`. */
export const DEFAULT_MAX_CONCURRENCY = 256;

const count = (max = Number.MAX_SAFE_INTEGER) => z.number().int().min(1).max(max);

export const runConfigSchema = z.object({
  /** `--eval` values as given (`ID` or `ID:VARIANT`). */
  evals: z.array(z.string()).default([]),
  /** `--suite`; run together with `evals` when both are given. */
  suite: z.string().optional(),
  limit: count().optional(),
  epochs: count(1000).default(1),
  seed: z.number().int().min(0).max(MAX_SEED).default(1),
  /**
   * `--concurrency`: requests in flight, as given. Absent: adaptive (start at ADAPTIVE_START, grow up to
   * max_concurrency while the server shows headroom). Runs made before adaptive concurrency stored 8 here.
   */
  concurrency: count(10_000).optional(),
  /** `--max-concurrency`: the most requests in flight adaptive concurrency may reach. */
  max_concurrency: count(10_000).default(DEFAULT_MAX_CONCURRENCY),
  timeout_s: count(MAX_TIMEOUT_S).default(120),
  max_retries: z.number().int().min(0).max(100).default(4),
  reasoning_effort: z.enum(['low', 'medium', 'high']).optional(),
  role_profile: z.enum(['native', 'developer-as-system', 'merged']).optional(),
  eval_modules: z.array(z.string()).default([]),
  sandbox: z.enum(['docker', 'local']).optional(),
  api: z.enum(['chat', 'responses']).default('chat'),
  rpm: count().optional(),
  tpm: count().optional(),
  cache: z.enum(['on', 'off', 'record', 'replay']).default('on'),
  fixtures: z.string().optional(),
  batch: z.boolean().default(false),
  shard: z
    .object({ index: count(), count: count() })
    .refine((s) => s.index <= s.count, 'shard index must be at most the shard count')
    .optional(),
  max_cost: z.number().positive().finite().optional(),
  /** `--max-pause`: the longest rate-limit pause a server may impose, in seconds. */
  max_pause_s: count(MAX_TIMEOUT_S).default(180),
  /**
   * The output cap (`max_completion_tokens`) sent with each model's requests, by model id: set with `--max-cost`, so
   * every request's reservation is real. Part of each request, so of its cache key.
   */
  output_caps: z.record(z.string(), z.number().int().positive()).optional(),
  /** `--max-answer-bytes`: an answer past it ends its item as an `answer_too_large` error, unread. */
  max_answer_bytes: count().default(4 * 1024 * 1024),
  judge_model: z.string().optional(),
  /** The run talks to the built-in, in-process mock server. */
  mock: z.boolean().default(false),
  /** Which server answers (provider and base URL without credentials, or the mock): part of every cache key. */
  endpoint: z.string().optional(),
  /** The SDK's `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` when set: who was billed (not secrets, not part of the cache key). */
  openai_organization: z.string().optional(),
  openai_project: z.string().optional(),
  /** The published document whose figures verdicts use (`--reference`); default: the one the suite replicates. */
  reference: z.string().optional(),
  /** The provider treats a caller's `system` message as developer-level (OpenAI's o-series API). */
  system_is_developer: z.boolean().optional(),
  /**
   * `--fail-under`: floors of headline scores (every row, and rows named `EVAL` or `EVAL:VARIANT`), and `bound` (the
   * lower end of the 95% interval is compared instead of the score). A row under its floor fails the run (exit 1).
   */
  fail_under: z
    .object({ all: z.number().min(0).max(1).optional(), rows: z.record(z.string(), z.number().min(0).max(1)).default({}), bound: z.boolean().default(false) })
    .optional(),
  /** Eval variants left out because their privilege levels collapse as sent (`ID:VARIANT`). */
  not_comparable_skipped: z.array(z.string()).optional(),
});

/** What a run was asked to do. No secrets here: it is stored and printed in reports. */
export type RunConfig = z.output<typeof runConfigSchema>;
/** A RunConfig before defaults are filled in. */
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** The options `cardeval resume` may change between attempts, by their config field. */
export const resumableFields = ['timeout_s', 'concurrency', 'max_concurrency', 'rpm', 'tpm', 'max_retries', 'max_cost', 'max_pause_s', 'max_answer_bytes'] as const;
/** Where adaptive concurrency starts (and stays, when the server sends no rate-limit headers). */
export const ADAPTIVE_START = 8;
export type ResumeOverrides = Partial<Pick<RunConfig, (typeof resumableFields)[number]>>;

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
}

/** Validates a config being created; a failure is bad usage (exit 2). */
export function makeRunConfig(input: RunConfigInput): RunConfig {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`invalid run configuration: ${describe(parsed.error)}`);
  return parsed.data;
}

/** Reads a stored config back (resume, report, rescore, compare); one that no longer validates is named with its run. */
export function readRunConfig(runId: string, stored: unknown): RunConfig {
  const parsed = runConfigSchema.safeParse(stored);
  if (!parsed.success) throw new ConfigError(`run ${runId}: its stored configuration is not valid: ${describe(parsed.error)}`);
  return parsed.data;
}
