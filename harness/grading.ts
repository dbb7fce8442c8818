// Grading outside a run: `cardeval grade` (JSONL in, JSONL out) and `cardeval rescore` (stored responses).
import { existsSync } from 'node:fs';
import { DatasetError, ConfigError } from '../core/errors.js';
import { jsonlLines, schemaError } from '../core/jsonl.js';
import { displayPath, loadDataset, readUtf8File } from './datasets.js';
import { checkGrade, scoresFor } from './run.js';
import { decidedByJudge, type JudgeQuestion } from './judge.js';
import { noAnswerReason, noAnswerScores } from './no-answer.js';
import type { Registry } from './registry.js';
import { evalRecordOf } from '../core/eval-record.js';
import type { AnyEval, ChatResponse, Grade, Transcript } from '../core/types.js';
import type { ItemResult, Store } from '../results/store.js';

/** A response as a grader sees it when only its text is known. */
export function textResponse(content: string): ChatResponse {
  return {
    content,
    tool_calls: [],
    finish_reason: 'stop',
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    model: 'offline',
    latency_ms: 0,
    raw: null,
  };
}

/** The grade of one response known only by its text, for a sample already validated by the eval's schema. */
export function gradeText(def: AnyEval, variant: string, sample: unknown, content: string): Grade {
  const response = textResponse(content);
  const messages = def.conversation(sample, variant);
  return checkGrade(def.grade(sample, { messages, response, turns: [response] }, variant), def.id);
}

/** One graded line of `cardeval grade`'s input. */
interface GradedLine {
  row: Record<string, unknown>;
  sample: unknown;
  response: string;
  grade: Grade;
}

/** Grades every line `{"sample": {...}, "response": "..."}`; a bad line is an error naming file, line and field. */
function gradeLines(def: AnyEval, variant: string, file: string): GradedLine[] {
  const shown = displayPath(file);
  if (!existsSync(file)) throw new ConfigError(`--input ${shown}: no such file`);
  const text = readUtf8File(file, shown); // invalid UTF-8 is an error naming its line, never a silent U+FFFD
  const out: GradedLine[] = [];
  for (const { line: lineNo, value } of jsonlLines(text, shown)) {
    const row = value as { sample?: unknown; response?: unknown } | null;
    if (typeof row?.response !== 'string') throw new DatasetError(shown, lineNo, 'response', 'must be a string');
    const parsed = def.sampleSchema.safeParse(row.sample);
    if (!parsed.success) throw schemaError(shown, lineNo, parsed.error, ['sample']);
    out.push({ row: row as Record<string, unknown>, sample: parsed.data, response: row.response, grade: gradeText(def, variant, parsed.data, row.response) });
  }
  return out;
}

// `uncertain`: the rule could not decide and `pass` is its best guess (always written, so a script can count them).
const lineOut = ({ row, grade }: GradedLine) =>
  JSON.stringify({ ...row, pass: grade.pass, uncertain: !!grade.uncertain, reason: grade.reason, ...(grade.evidence ? { evidence: grade.evidence } : {}) });

/** Grades every line `{"sample": {...}, "response": "..."}` and returns each line with pass and reason added. */
export function gradeJsonl(def: AnyEval, variant: string, file: string): string[] {
  return gradeLines(def, variant, file).map(lineOut);
}

/** What `cardeval grade --judge-model` asks: the judge's verdict on a response (undefined when it gave none). */
export type AskJudge = (question: JudgeQuestion, response: string) => Promise<boolean | undefined>;

/**
 * `gradeJsonl`, with every uncertain grade sent to the judge, whose verdict decides it (`judge` is added to those lines:
 * PASS, FAIL, or none when the call failed or wrote no verdict line; the grade then stays uncertain).
 */
export async function gradeJsonlJudged(def: AnyEval, variant: string, file: string, judgeModel: string, ask: AskJudge): Promise<string[]> {
  const lines = gradeLines(def, variant, file); // every line is checked before the first call
  const out: string[] = [];
  for (const line of lines) {
    const question = line.grade.uncertain ? def.judge?.(line.sample, variant) : undefined;
    if (!question) {
      out.push(lineOut(line));
      continue;
    }
    const verdict = await ask(question, line.response).catch(() => undefined);
    const decided = { ...line, grade: decidedByJudge(line.grade, verdict, judgeModel) };
    out.push(JSON.stringify({ ...JSON.parse(lineOut(decided)), judge: verdict === undefined ? 'none' : verdict ? 'PASS' : 'FAIL' }));
  }
  return out;
}

/**
 * Re-grades every scored item of a run from its stored response, with the graders as they are now. All or nothing (one
 * transaction), read and written a page at a time: a 100,000-item run is never held whole.
 */
export function rescoreRun(store: Store, registry: Registry, runId: string): { rescored: number; changed: number } {
  const run = store.getRun(runId);
  if (!run) throw new ConfigError(`no run "${runId}" in ${store.path}`);
  const before = new Map<string, number>();
  for (const r of store.eachScoreRow(runId)) if (r.metric !== null && r.pass !== null) before.set(`${r.key}\u0000${r.metric}`, r.pass);
  const datasets = new Map<string, Map<string, any>>();
  let rescored = 0;
  let changed = 0;
  store.db.transaction(() => {
    for (let page = store.scoredPage(runId, -1, 500); page.length > 0; page = store.scoredPage(runId, page.at(-1)!.seq, 500)) {
      const results: ItemResult[] = [];
      for (const item of page) {
        if (!item.transcript) continue;
        const def = registry.get(item.eval);
        // The sample the run used, as it stored it; a run made before samples were stored reads its dataset.
        const cacheKey = `${item.eval}:${item.variant}`;
        if (item.sample === null && !datasets.has(cacheKey)) {
          datasets.set(cacheKey, new Map(loadDataset(def, item.variant).samples.map((s) => [s.id, s])));
        }
        const sample = item.sample === null ? datasets.get(cacheKey)!.get(item.sample_id) : JSON.parse(item.sample);
        if (!sample) continue;
        // Stored whole or by reference to the answering completion: written back as it was stored.
        const kept = JSON.parse(item.transcript);
        const completion = item.completion_hash ? store.getCompletion(item.completion_hash) : undefined;
        const conversation = store.transcriptOf(item, completion);
        const response: ChatResponse = completion ? { ...textResponse(''), ...JSON.parse(completion.response) } : textResponse(conversation?.response ?? '');
        const transcript: Transcript = { messages: conversation?.logical_messages ?? conversation?.messages ?? [], response, turns: [response] };
        const missing = noAnswerReason(response);
        const scores = missing ? noAnswerScores(def, sample, missing) : scoresFor(def, sample, checkGrade(def.grade(sample, transcript, item.variant), def.id), response.finish_reason === 'length');
        for (const score of scores) {
          const was = before.get(`${item.key}\u0000${score.metric}`);
          if (was !== undefined && was !== (score.pass ? 1 : 0)) changed++;
        }
        results.push({ run_id: runId, key: item.key, status: 'scored', completions: [], transcript: kept, scores });
      }
      store.recordResults(results);
      rescored += results.length;
    }
    // A run that describes its evals gets the description of the graders that scored it now (version, metrics).
    const described = store.runEvals(runId).map((r) => r.id);
    if (described.length > 0) store.setRunEvals(runId, described.filter((id) => registry.has(id)).map((id) => evalRecordOf(registry.get(id))));
  }).immediate();
  return { rescored, changed };
}
