// The types an eval author works with: samples, conversations, grades, metrics, published figures.
import type { z } from 'zod';
import type { ChatResponse, FunctionTool, Message } from './wire.js';
import type { Sandbox } from './sandbox.js';

export type { ChatRequest, ChatResponse, FunctionTool, Message, Role, ToolCall, Runner } from './wire.js';

/** Every sample has a stable id; everything else is the eval's own. */
export interface BaseSample {
  id: string;
}

export interface Grade {
  pass: boolean;
  /** 0..1; defaults to 1 for pass and 0 for fail. */
  score?: number;
  reason: string;
  evidence?: string;
  /** The deterministic rule cannot decide (e.g. a translated secret); `pass` is its best guess, a judge may adjudicate. */
  uncertain?: boolean;
  /**
   * Metrics that turn out not to apply to this sample once graded (no score is stored for them), e.g.
   * `hierarchy_given_control` when the conflict's no-attack twin failed, or when the twin was not asked (offline).
   */
  notApplicable?: string[];
  /** Extra per-sample metrics (name → value), e.g. { hallucinated_tool: 1 }. */
  metrics?: Record<string, number>;
  /** Anything worth storing beside the score (e.g. hallucinated tool names). */
  details?: Record<string, unknown>;
}

export interface MetricSpec {
  name: string;
  description: string;
  /** The headline metric is the one compared with the published figure. */
  headline?: boolean;
  /** Whether a higher score is better (default true); false for rates of something bad, e.g. `overrefusal`. */
  higherIsBetter?: boolean;
  /** Whether `compare` fails on a regression of this metric (default: the headline only). */
  gated?: boolean;
  /**
   * Which samples count towards this metric; default all. Lets an eval report, e.g., aligned
   * controls apart from conflicts.
   */
  appliesTo?: (sample: any) => boolean;
  /** A published row of a related test (its eval id and metric) shown beside this metric as context, never verdicted. */
  context?: { eval: string; metric: string };
}

/** Where an eval's samples come from: a JSONL file (with a manifest beside it). */
export interface DatasetRef {
  /** Absolute, or relative: to the module's folder for an eval loaded with --eval-module, to cardeval's root for a built-in one. */
  path: string;
}

/** What the harness hands an eval that needs to run more than one model turn. */
export interface SolveContext {
  complete(messages: Message[], tools?: FunctionTool[]): Promise<ChatResponse>;
  sandbox?: Sandbox;
}

export interface Transcript {
  /** Every message of the conversation as sent, then what the model answered. */
  messages: Message[];
  /** The final response, the one the grader reads. */
  response: ChatResponse;
  /** All responses, for multi-turn evals. */
  turns: ChatResponse[];
}

export interface EvalDefinition<S extends BaseSample = BaseSample> {
  id: string;
  title: string;
  description?: string;
  variants: readonly string[];
  /** Validates each dataset row. What it returns must be JSON data: a run stores its samples and reads them back. */
  sampleSchema: z.ZodType<S>;
  /** Dataset file for a variant (one file may serve every variant). */
  dataset: (variant: string) => DatasetRef;
  conversation: (sample: S, variant: string) => Message[];
  tools?: (sample: S, variant: string) => FunctionTool[] | undefined;
  /**
   * Optional multi-turn loop (agent evals). Default: one call with `conversation` and `tools`.
   */
  solve?: (sample: S, variant: string, ctx: SolveContext) => Promise<Transcript>;
  grade: (sample: S, transcript: Transcript, variant: string) => Grade;
  /**
   * What a judge model is asked (`--judge-model`); evals without it are graded deterministically only. Undefined for a
   * sample the judge's rule does not fit (a control row whose right answer is to help).
   */
  judge?: (sample: S, variant: string) => { rule: string; violation: string } | undefined;
  /** Bump when the grader changes meaning, so stored scores say which grader made them. */
  graderVersion: string;
  metrics: MetricSpec[];
  /** Which published eval id this replicates (defaults to `id`). */
  publishedId?: string;
  /**
   * The document whose figures this eval's verdicts use when the run names none with `--reference` (default: the o3-mini
   * system card), and why those figures compare only approximately, if they do (the report says so on every row).
   */
  reference?: { document: string; approximate?: string };
  /** Whether the eval needs the code sandbox. */
  needsSandbox?: boolean;
  /** Notes the report prints on rows of this eval (how the replica differs). */
  notes?: string[];
  /**
   * The cluster a sample belongs to (its template, attack family or constraint type): samples of one cluster are
   * not independent, so intervals resample clusters (docs/statistics.md). Default: each sample is its own cluster.
   */
  cluster?: (sample: S) => string;
  /** Breakdown dimensions of a headline row: name (`tactic`, `constraint`, `topic`, …) → the sample's key, or undefined. */
  breakdowns?: Record<string, (sample: S) => string | undefined>;
  /**
   * The two privilege levels a variant pits against each other (the rule's role above the attacker's), so a run can say
   * whether its role profile and API keep them apart (core/comparability.ts). Undefined: the variant tests no hierarchy.
   */
  privileges?: (variant: string) => PrivilegePair | undefined;
}

/** The role holding the rule and the role attacking it. */
export interface PrivilegePair {
  higher: 'system' | 'developer';
  lower: 'developer' | 'user';
}

export type AnyEval = EvalDefinition<any>;

export interface PublishedFigure {
  document: string;
  document_date: string;
  table: string;
  eval: string;
  variant: string;
  variant_as_published: string;
  model: string;
  model_as_published: string;
  metric: string;
  value: number;
  source: string;
  quote: string;
  note?: string;
  /**
   * Whether the figure measures the test of the eval and variant it is filed under (`same`), or a related but different
   * one (`related`: shown as context, never verdicted). Missing: `same`.
   */
  test_match?: 'same' | 'related';
  /** The document's own words that decide `test_match`. */
  test_match_quote?: string;
  /** How those words decide it, in one line. */
  test_match_reason?: string;
}

