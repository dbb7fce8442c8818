// defineEval: the one way to declare an eval. Checks the definition's shape once, at definition time.
import type { AnyEval, BaseSample, EvalDefinition } from './types.js';
import { ConfigError } from './errors.js';

/**
 * @example
 * export default defineEval({
 *   id: 'my-eval', title: 'My eval', variants: ['default'], sampleSchema: z.object({ id: z.string() }),
 *   dataset: () => ({ path: 'datasets/my-eval/default.jsonl' }),
 *   conversation: (s) => [{ role: 'user', content: 'Hi' }],
 *   grade: (s, t) => ({ pass: t.response.content.length > 0, reason: 'answered' }),
 *   graderVersion: '1', metrics: [{ name: 'accuracy', description: 'share passed', headline: true }],
 * });
 */
export function defineEval<S extends BaseSample>(definition: EvalDefinition<S>): EvalDefinition<S> {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(definition.id)) problems.push(`id "${definition.id}" must be kebab-case`);
  if (definition.variants.length === 0) problems.push('needs at least one variant');
  if (new Set(definition.variants).size !== definition.variants.length) problems.push('variants repeat');
  if (definition.metrics.filter((m) => m.headline).length !== 1) problems.push('needs exactly one headline metric');
  if (definition.metrics.some((m) => m.name === NO_ANSWER_METRIC)) problems.push(`metric "${NO_ANSWER_METRIC}" is cardeval's own (the share of items with no answer)`);
  if (problems.length > 0) throw new ConfigError(`eval ${definition.id}: ${problems.join('; ')}`);
  return definition;
}

export function headlineMetric(e: AnyEval): string {
  return e.metrics.find((m) => m.headline)!.name;
}

/** The headline rule, for report and compare alike: the eval's headline metric; for an eval this cardeval no longer knows, `accuracy`. */
export function isHeadlineMetric(e: AnyEval | undefined, metric: string): boolean {
  return (e ? headlineMetric(e) : 'accuracy') === metric;
}

/**
 * The row `compare` and the reports add for every eval variant: the share of items answered with no content (empty, cut
 * off or filtered before any text, refused by the API). Lower is better, and it is gated: a model must not pass by
 * answering less.
 */
export const NO_ANSWER_METRIC = 'no_answer';

export interface MetricRole {
  headline: boolean;
  higherIsBetter: boolean;
  gated: boolean;
}

/** How a metric is read: headline or not, its direction, and whether compare gates it (an unknown eval: as `accuracy`). */
export function metricRole(e: AnyEval | undefined, metric: string): MetricRole {
  if (metric === NO_ANSWER_METRIC) return { headline: false, higherIsBetter: false, gated: true };
  const headline = isHeadlineMetric(e, metric);
  const spec = e?.metrics.find((m) => m.name === metric);
  return { headline, higherIsBetter: spec?.higherIsBetter ?? true, gated: spec?.gated ?? headline };
}
