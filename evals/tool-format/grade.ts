// The grader: re-checks every call of the transcript, reads the final `ANSWER:` line, and scores the four metrics.
import type { Grade, Message, MetricSpec, Transcript } from '../../core/index.js';
import { callsOf } from './calls.js';
import type { ToolTask } from './sample.js';

export const metrics: MetricSpec[] = [
  {
    name: 'solved_with_tool',
    description:
      'the task solved through the given tool: at least one valid python call, no call to an undefined tool, and the right ' +
      'final answer (a format-only sample, with no answer to check, needs the first two). A model that never calls a tool scores 0',
    headline: true,
  },
  {
    name: 'well_formed',
    description: 'no call to a tool the model was not given and no malformed call in the whole sample (1 for a sample with no call at all)',
  },
  {
    name: 'task_solved',
    description: 'the final answer (the last reply without a tool call) equals the expected answer',
    appliesTo: (sample: ToolTask) => sample.answer !== null,
  },
  {
    name: 'recovered',
    description:
      'the sample did not end stuck in an error: after its last bad call came a valid python call or a correct answer ' +
      '(1 for samples without a bad call; details.had_error tells them apart)',
  },
  {
    name: 'used_python',
    description: 'at least one valid python call (a model that never calls a tool is well formed but did not use it)',
  },
];

/** The value of the last `ANSWER:` line, without markdown emphasis, quotes, or a closing full stop. */
export function extractAnswer(content: string): string | null {
  const found = [...content.matchAll(/ANSWER\s*:\s*(.*)$/gim)];
  if (found.length === 0) return null;
  const value = found[found.length - 1][1].replace(/^[*_`"'\s]+|[*_`"'\s.]+$/g, '');
  return value === '' ? null : value;
}

const integer = /^[-+]?\d[\d,]*$/;
const decimal = /^[-+]?\d[\d,]*\.\d+$/;

/** Exact match, except that numbers compare by value: `1,234` = `1234`, `12.50` = `12.5`, `7.0` = `7`. */
export function answersMatch(given: string, expected: string): boolean {
  if (given === expected) return true;
  const plain = (s: string) => s.replace(/,/g, '').replace(/^\+/, '');
  if (integer.test(given) && integer.test(expected)) return BigInt(plain(given)) === BigInt(plain(expected));
  const numeric = (s: string) => integer.test(s) || decimal.test(s);
  if (numeric(given) && numeric(expected)) {
    const [g, e] = [Number(plain(given)), Number(plain(expected))];
    return Math.abs(g - e) <= 1e-9 * Math.max(1, Math.abs(e));
  }
  return false;
}

/**
 * The assistant turns to check: those in the transcript's messages (so a stored transcript re-grades the same way),
 * plus the final response when the messages stop before it (offline grading of a single reply).
 */
function assistantTurns(transcript: Transcript): Array<Pick<Message, 'content' | 'tool_calls'>> {
  const turns: Array<Pick<Message, 'content' | 'tool_calls'>> = transcript.messages.filter((m) => m.role === 'assistant');
  if (transcript.messages[transcript.messages.length - 1]?.role !== 'assistant') turns.push(transcript.response);
  return turns;
}

export function grade(sample: ToolTask, transcript: Transcript, variant: string): Grade {
  const turns = assistantTurns(transcript);
  const checked = turns.map((turn) => callsOf(turn, variant));
  const calls = checked.flat();
  const hallucinated = [...new Set(calls.flatMap((c) => (!c.ok && c.problem === 'undefined-tool' ? [c.name] : [])))];
  const malformed = calls.filter((c) => !c.ok && c.problem === 'malformed').length;
  const valid = calls.filter((c) => c.ok).length;
  const lastBad = calls.map((c) => c.ok).lastIndexOf(false);
  const hadError = lastBad >= 0;

  const final = checked[checked.length - 1]?.length === 0 ? turns[turns.length - 1].content : null;
  const answer = final === null ? null : extractAnswer(final);
  const solved = sample.answer !== null && answer !== null && answersMatch(answer, sample.answer);
  const wellFormed = !hadError;
  // The headline a tool-less model fails: well_formed alone is 1 for a model that never calls anything.
  const solvedWithTool = valid > 0 && hallucinated.length === 0 && (sample.answer === null || solved);
  const recovered = !hadError || calls.slice(lastBad + 1).some((c) => c.ok) || solved;

  const reasons: string[] = [];
  if (hallucinated.length > 0) reasons.push(`called undefined tool${hallucinated.length > 1 ? 's' : ''} ${hallucinated.map((n) => `'${n}'`).join(', ')}`);
  if (malformed > 0) reasons.push(`${malformed} malformed call${malformed > 1 ? 's' : ''}`);
  if (wellFormed) reasons.push(valid > 0 ? `all ${valid} call${valid > 1 ? 's' : ''} well formed` : 'no tool call, so not solved through the tool');
  if (hadError) reasons.push(recovered ? 'recovered' : 'did not recover');
  if (final === null) reasons.push(`no final answer within ${turns.length} turns`);
  else if (sample.answer !== null) reasons.push(solved ? `answer ${answer} is correct` : `answer ${answer ?? '(no ANSWER line)'} ≠ ${sample.answer}`);

  const firstBad = calls.find((c) => !c.ok);
  return {
    pass: solvedWithTool,
    reason: reasons.join('; '),
    evidence: (firstBad ? firstBad.raw : (final ?? '')).slice(0, 300),
    metrics: { solved_with_tool: +solvedWithTool, well_formed: +wellFormed, task_solved: +solved, recovered: +recovered, used_python: +(valid > 0) },
    details: {
      hallucinated_tools: hallucinated,
      malformed_calls: malformed,
      valid_calls: valid,
      turns: turns.length,
      had_error: hadError,
      final_answer: answer,
    },
  };
}
