// An answer with nothing to grade (empty, cut off or filtered before any text, refused by the API) is not a pass.
import type { AnyEval, BaseSample, ChatResponse } from '../core/types.js';
import { NO_ANSWER_GRADER } from '../results/report.js';
import type { ScoreRecord } from '../results/store.js';

/** The API's refusal field, on either wire: Chat Completions `message.refusal`, Responses `output[].content[].refusal`. */
function refusalOf(raw: unknown): string | undefined {
  const r = raw as { choices?: Array<{ message?: { refusal?: unknown } }>; output?: Array<{ content?: Array<{ type?: string; refusal?: unknown }> }> } | null;
  const chat = r?.choices?.[0]?.message?.refusal;
  if (typeof chat === 'string' && chat) return chat;
  for (const item of r?.output ?? []) {
    for (const part of item.content ?? []) if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  }
  return undefined;
}

/** Why a response has no answer to grade, or undefined when it has one (text, or tool calls). */
export function noAnswerReason(response: ChatResponse): string | undefined {
  if (response.content.trim() !== '' || response.tool_calls.length > 0) return undefined;
  const refusal = refusalOf(response.raw);
  if (refusal) return `refused by the API instead of answering: ${refusal.slice(0, 200)}`;
  if (response.finish_reason === 'length') return 'cut off by the token limit (finish_reason "length") before any text';
  if (response.finish_reason === 'content_filter') return 'filtered (finish_reason "content_filter") before any text';
  return `empty answer (finish_reason "${response.finish_reason}")`;
}

/** One no-answer score per metric that applies to the sample: neither pass nor fail, counted apart by the report. */
export function noAnswerScores(def: AnyEval, sample: BaseSample, reason: string): ScoreRecord[] {
  return def.metrics
    .filter((m) => !m.appliesTo || m.appliesTo(sample))
    .map((m) => ({ metric: m.name, value: 0, pass: false, reason: `no answer: ${reason}`, details: { no_answer: reason }, grader_version: NO_ANSWER_GRADER }));
}
