// The JSON report (`report --format json`, `run --json`) as a zod schema: the TypeScript types of results/report.ts
// are its inference, and docs/report.schema.json is generated from it (npm run docs:schema), so the three cannot drift.
import { z } from 'zod';

export const intervalSchema = z.tuple([z.number(), z.number()]);

export const comparabilitySchema = z.enum(['comparable', 'approximate', 'not-comparable']);

export const publishedRefSchema = z.object({
  model: z.string(),
  value: z.number(),
  metric: z.string(),
  document: z.string(),
  table: z.string(),
  document_date: z.string(),
  source: z.string(),
  model_as_published: z.string().optional(),
  decimals: z.number().int().describe('Decimal places the document printed: the value stands for value ± 0.5·10^-decimals'),
  test_match: z.enum(['same', 'related']).describe('same: the figure measures this row\'s test; related: context, never verdicted'),
  test_match_quote: z.string().optional(),
  test_match_reason: z.string().optional(),
});

export const referenceSchema = z.object({ document: z.string(), table: z.string(), model: z.string(), value: z.number() }).describe('The one figure the verdict used');

export const breakdownRowSchema = z.object({
  by: z.string(),
  key: z.string(),
  n: z.number().int(),
  passed: z.number().int(),
  score: z.number().nullable(),
  ci95: intervalSchema.nullable(),
});

export const verdictSchema = z.enum(['consistent', 'higher', 'lower', 'inconclusive', 'not-comparable', 'no-published']);

export const resultRowSchema = z.object({
  eval: z.string(),
  variant: z.string(),
  metric: z.string(),
  headline: z.boolean(),
  n: z.number().int().describe('Items graded on this metric, no-answers included (as failures); errors counted apart'),
  passed: z.number().int(),
  errors: z.number().int(),
  no_answer: z.number().int().describe('Items whose answer had no content: in n, as failures'),
  score_answered: z.number().nullable().describe('The score among answered items only'),
  higher_is_better: z.boolean().describe('The metric\'s direction (false for rates of something bad, e.g. overrefusal)'),
  truncated: z.number().int(),
  score: z.number().nullable(),
  ci95: intervalSchema.nullable(),
  ci95_method: z.string().nullable(),
  n_effective: z.number().nullable(),
  published: z.array(publishedRefSchema),
  reference: referenceSchema.nullable(),
  verdict: verdictSchema,
  verdict_reason: z.string().optional().describe('Why a verdict is inconclusive or not-comparable'),
  reasoning_effort: z.string().nullable(),
  comparability: comparabilitySchema,
  comparability_reason: z.string(),
  uncertain: z.number().int().describe('Items whose grade the deterministic rule could not decide'),
  score_bounds: intervalSchema.nullable().describe('The score with every uncertain item failed, and with every one passed'),
  skipped: z.boolean().optional().describe('Not run: not comparable (run it by naming it with --eval)'),
  floor: z.object({ value: z.number(), compared: z.enum(['score', 'ci95_lower']) }).optional(),
  below_floor: z.boolean().optional(),
  breakdown: z.array(breakdownRowSchema).optional(),
  notes: z.array(z.string()).optional(),
  judge_errors: z.number().int().optional(),
});

export const reportSchema = z
  .object({
    run: z.object({
      id: z.string(),
      model: z.string(),
      status: z.string(),
      created: z.string(),
      finished: z.string().nullable(),
      provider: z.string(),
      base_url: z.string().nullable(),
      api: z.string(),
      role_profile: z.string(),
      reference_document: z.string().describe('The document whose figures the verdicts use'),
      reasoning_effort: z.string().nullable(),
      harness_version: z.string(),
      params: z.record(z.string(), z.unknown()),
      dataset_hashes: z.record(z.string(), z.string()),
      cost: z.object({ usd: z.number(), unpriced_calls: z.number().int(), max_usd: z.number().optional(), over_usd: z.number().optional() }),
    }),
    results: z.array(resultRowSchema),
  })
  .describe('The cardeval JSON report of one run: `cardeval report --format json`, `cardeval run --json`');

/** The JSON Schema published as docs/report.schema.json: a field the report gains and the schema lacks fails its test. */
export function reportJsonSchema(): Record<string, unknown> {
  return { title: 'cardeval report', ...z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'output' }) };
}
