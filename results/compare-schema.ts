// The comparison's JSON (`compare --format json`) as a zod schema: the TypeScript types of results/compare.ts are its
// inference, and docs/compare.schema.json is generated from it (npm run docs:schema), so the three cannot drift.
import { z } from 'zod';
import { comparabilitySchema, intervalSchema } from './report-schema.js';

export const outcomeSchema = z
  .enum(['regression', 'equivalent', 'improvement', 'unchanged', 'inconclusive', 'not-comparable'])
  .describe(
    'The row\'s tolerance test (docs/statistics.md, "Comparing two runs"): regression, the drop is shown to exceed max_drop; ' +
      'equivalent, shown to be under it; improvement, the candidate is shown to be better; unchanged, every paired sample ' +
      'scored the same; inconclusive, none of these could be shown; not-comparable, the row is not comparable in one of the runs',
  );

export const compareRowSchema = z.object({
  eval: z.string(),
  variant: z.string(),
  metric: z.string(),
  headline: z.boolean(),
  gated: z.boolean().describe('Whether the gate reads this row (a not-comparable row never is)'),
  higher_is_better: z.boolean(),
  comparability: comparabilitySchema.describe('The worse of the two runs\' comparability for this row'),
  comparability_reason: z.string(),
  n: z.number().int().describe('Samples scored on this metric in both runs (each the mean of its epochs): the pairs'),
  clusters: z.number().int().describe('Clusters the pairs fall into (the test\'s unit of resampling)'),
  unpaired: z.number().int().describe('Shared items left out because one run ended them in an error or never scored them'),
  base_score: z.number().nullable(),
  base_ci95: intervalSchema.nullable(),
  candidate_score: z.number().nullable(),
  candidate_ci95: intervalSchema.nullable(),
  difference: z.number().nullable().describe('candidate − base over the paired samples, in the metric\'s own units (not direction-adjusted)'),
  difference_ci95: intervalSchema.nullable(),
  difference_bounds: intervalSchema.nullable().describe('The one-sided (1 − alpha) lower and upper bounds of the difference: what the tolerance test reads'),
  pass_to_fail: z.number().int().describe('Samples whose score fell (their mean over epochs)'),
  fail_to_pass: z.number().int().describe('Samples whose score rose (their mean over epochs)'),
  p_value: z.number().describe('Two-sided p-value of "no difference" (the sign-flip test; exact McNemar with one epoch and one sample per cluster)'),
  p_regression: z.number().describe('One-sided p-value of "the drop is at most max_drop"'),
  p_holm: z.number().nullable().describe('p_regression Holm-adjusted across the gated rows; null for rows outside the gate'),
  test_method: z
    .enum(['exact', 'monte-carlo', 'none'])
    .describe('How the p-values were computed; none when nothing paired (n 0): no test ran, the p-values stay 1 and the row is inconclusive'),
  outcome: outcomeSchema,
  samples_to_decide: z.number().int().nullable().describe('Inconclusive rows: about how many samples, at the observed differences, would make it regression or equivalent'),
  regression: z.boolean().describe('A gated row whose outcome is regression: what fails the gate'),
  flipped: z
    .object({ pass_to_fail: z.array(z.string()), fail_to_pass: z.array(z.string()) })
    .describe('Sample ids whose score fell / rose'),
});

export const runSummarySchema = z.object({ id: z.string(), model: z.string(), status: z.string(), created: z.string() });

export const comparisonSchema = z
  .object({
    base: runSummarySchema,
    candidate: runSummarySchema,
    alpha: z.number().describe('Family-wise error rate of the gate (Holm across the gated rows); also the level of each one-sided bound'),
    max_drop: z.number().describe('The drop (in the metric\'s good direction) a gated row may show and still be equivalent'),
    items: z
      .object({ base: z.number().int(), candidate: z.number().int(), shared: z.number().int(), data_changed: z.number().int() })
      .describe('Items of each run; those of both; those left out of shared because their sample\'s content differs between the runs'),
    changed_samples: z.number().int().describe('Samples left out because their content differs between the runs (the dataset changed)'),
    unscored: z
      .object({ base_scored: z.number().int(), candidate_unscored: z.number().int(), limit: z.number(), failed: z.boolean() })
      .describe('Items the base scored (shared, same content) that the candidate did not: over limit of them fails the gate'),
    warnings: z.array(z.string()).describe('The warnings also printed on stderr'),
    regressions: z.number().int().describe('Gated rows whose outcome is regression'),
    inconclusive: z.number().int().describe('Gated rows whose outcome is inconclusive (they fail the gate with --fail-on-inconclusive)'),
    results: z.array(compareRowSchema),
  })
  .describe('The paired comparison of two cardeval runs: `cardeval compare BASE CANDIDATE --format json` (printed only when something pairs: exit 0 or 1)');

/** The JSON Schema published as docs/compare.schema.json: a field the comparison gains and the schema lacks fails its test. */
export function compareJsonSchema(): Record<string, unknown> {
  return { title: 'cardeval comparison', ...z.toJSONSchema(comparisonSchema, { target: 'draft-2020-12', io: 'output' }) };
}
