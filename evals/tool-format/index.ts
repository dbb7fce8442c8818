// The tool-format eval: does the model call only the `python` tool it was given, in the right format, and recover
// when told it erred? Replicates the failure behind the o3-mini card's "OpenAI PRs" score (a hallucinated `bash` tool).
import { defineEval, type AnyEval, type EvalDefinition } from '../../core/index.js';
import { grade, metrics } from './grade.js';
import { conversation, MAX_TURNS, tools, variants } from './prompts.js';
import { toolTaskSchema, type ToolTask } from './sample.js';
import { solve } from './solve.js';

export interface ToolFormatOptions {
  id?: string;
  title?: string;
  /** JSONL of tool-format samples, relative to the project root or absolute (e.g. an importer's output). */
  dataset?: string;
  maxTurns?: number;
}

const notes = [
  "The card's figure is pass@1 on OpenAI PRs (real pull-request tasks): o3-mini scored 0% because it kept calling a " +
    'hallucinated `bash` tool. This row\'s headline, `solved_with_tool`, is the share of short synthetic tasks solved through ' +
    'the given `python` tool with no undefined tool called: another test and metric, so the row is not-comparable and the ' +
    'published value is context, never a verdict.',
  "o3-mini's 0% is in the card's text; o1 (0.12), GPT-4o (0.06) and the others are a third party's reading of the " +
    "card's bar chart.",
  "The card does not publish its tool setup; `text-protocol` (a tool described in the system prompt) approximates a " +
    'non-native one, `native-tools` uses the API\'s function tools.',
];

/**
 * @example
 *   // an --eval-module over samples an importer wrote:
 *   export default toolFormatEval({ id: 'tool-format-nl2bash', dataset: '/tmp/nl2bash.jsonl' });
 */
export function toolFormatEval(options: ToolFormatOptions = {}): EvalDefinition<ToolTask> {
  const maxTurns = options.maxTurns ?? MAX_TURNS;
  return defineEval<ToolTask>({
    id: options.id ?? 'tool-format',
    title: options.title ?? 'Tool format: solved through the python tool, no undefined tool',
    description: 'Tasks that need code; one `python` tool; counts calls to undefined tools and malformed calls.',
    variants,
    sampleSchema: toolTaskSchema,
    dataset: () => ({ path: options.dataset ?? 'datasets/tool-format/tasks.jsonl' }),
    conversation,
    tools,
    solve: (sample, variant, ctx) => solve(sample, variant, ctx, maxTurns),
    grade,
    graderVersion: '1',
    metrics,
    publishedId: 'openai-prs',
    needsSandbox: true,
    notes,
  });
}

export const toolFormatEvals: AnyEval[] = [toolFormatEval()];
