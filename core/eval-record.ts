// What a run keeps about each eval and sample, so report, compare, merge and the HTML report need no eval module: the
// eval's data (id, title, variants, metrics, notes, published id and reference, grader version, privileges per variant) and each
// sample's cluster and breakdown keys, both written when the run is created.
import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { AnyEval, PrivilegePair } from './types.js';

const privilegePair = z.object({ higher: z.enum(['system', 'developer']), lower: z.enum(['developer', 'user']) });

export const evalRecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  variants: z.array(z.string()),
  /** Each metric's data fields (name, description, headline, direction, …); functions such as `appliesTo` are not kept. */
  metrics: z.array(z.looseObject({ name: z.string(), description: z.string(), headline: z.boolean().optional() })),
  published_id: z.string().optional(),
  /** The document whose figures verdicts use when the run names none, and why they compare only approximately. */
  reference: z.object({ document: z.string(), approximate: z.string().optional() }).optional(),
  grader_version: z.string(),
  notes: z.array(z.string()).optional(),
  /** variant → the levels it pits against each other; absent: the variant tests no hierarchy. */
  privileges: z.record(z.string(), privilegePair),
  /** The breakdown dimensions a headline row has (their keys are per sample, in SampleFacets). */
  breakdowns: z.array(z.string()),
  needs_sandbox: z.boolean().optional(),
});
export type EvalRecord = z.infer<typeof evalRecordSchema>;

/** A sample's cluster and breakdown keys, as its eval computed them when the run was created. */
export interface SampleFacets {
  cluster?: string;
  breakdowns?: Record<string, string>;
}

/** The record of an eval: its data fields, with what its functions say for each variant. */
export function evalRecordOf(def: AnyEval): EvalRecord {
  const privileges: Record<string, PrivilegePair> = {};
  for (const v of def.variants) {
    const pair = def.privileges?.(v);
    if (pair) privileges[v] = { higher: pair.higher, lower: pair.lower };
  }
  return {
    id: def.id,
    title: def.title,
    ...(def.description !== undefined ? { description: def.description } : {}),
    variants: [...def.variants],
    metrics: def.metrics.map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v !== 'function'))) as EvalRecord['metrics'],
    ...(def.publishedId !== undefined ? { published_id: def.publishedId } : {}),
    ...(def.reference ? { reference: { ...def.reference } } : {}),
    grader_version: def.graderVersion,
    ...(def.notes?.length ? { notes: [...def.notes] } : {}),
    privileges,
    breakdowns: Object.keys(def.breakdowns ?? {}),
    ...(def.needsSandbox ? { needs_sandbox: true } : {}),
  };
}

/** A sample's facets, or undefined when its eval declares neither clusters nor breakdowns. */
export function sampleFacetsOf(def: AnyEval, sample: unknown): SampleFacets | undefined {
  const facets: SampleFacets = {};
  if (def.cluster) facets.cluster = def.cluster(sample);
  for (const [by, keyOf] of Object.entries(def.breakdowns ?? {})) {
    const key = keyOf(sample);
    if (key !== undefined) (facets.breakdowns ??= {})[by] = key;
  }
  return facets.cluster === undefined && facets.breakdowns === undefined ? undefined : facets;
}

/**
 * An eval as a stored run describes it: every data field report and compare read; clusters and breakdown keys come
 * from the stored facets. Anything that would need the module (loading data, asking, grading) says so.
 */
export function evalFromRecord(record: EvalRecord): AnyEval {
  const needsModule = (): never => {
    throw new ConfigError(`eval ${record.id}: this needs its module (run, resume and rescore load it); the database alone serves report, compare and merge`);
  };
  return {
    id: record.id,
    title: record.title,
    description: record.description,
    variants: record.variants,
    sampleSchema: z.any(),
    dataset: needsModule,
    conversation: needsModule,
    grade: needsModule,
    graderVersion: record.grader_version,
    metrics: record.metrics,
    publishedId: record.published_id,
    reference: record.reference,
    needsSandbox: record.needs_sandbox,
    notes: record.notes,
    privileges: (variant) => record.privileges[variant],
    breakdowns: Object.fromEntries(record.breakdowns.map((by) => [by, () => undefined])),
  };
}
