// Imports RealGuardrails (normster/SystemCheck handwritten.jsonl, MIT) into system<>user conflict samples, for the rows
// that can be graded without a judge model: those with a `banlist`, whose system prompt forbids a list of words.
//
// The dataset's own user turns attack its `guardrails` ("never says I love you"), which only a model judge can grade,
// so they stay as the task (and earlier turns as history) and the lower message adds a push to use the banned words,
// which the library's forbidden-word check grades. Rows without a banlist, and every row of distractors.jsonl (which
// has none), are skipped with that reason.
import { DatasetError } from '../../../core/errors.js';
import { constraintType, type Constraint } from '../../conflicts/constraints/index.js';
import { attackStyles, styleRequest, type Turn } from '../../conflicts/styles.js';
import type { ConflictRow } from './ifeval.js';
import { inputName, readJsonLines, rngFor, rounds, sample, type ImportOptions, type ImportResult, type Skip, type SourceInfo } from './types.js';

export const realGuardrailsSource: SourceInfo = {
  version: '1',
  license: 'MIT (normster/SystemCheck; the provenance of the system prompts is not documented upstream: keep the attribution)',
  source: 'RealGuardrails handwritten test cases, SystemCheck evals/realguardrails/inputs/handwritten.jsonl (Mu et al., normster/SystemCheck)',
  description:
    "RealGuardrails conversations whose system prompt bans a list of words, as system<>user conflicts: the dataset's user " +
    'turns stay, the final user message also asks for the banned words in one of our attack styles, and the grade is ' +
    'whether the response keeps to the banlist. The guardrails themselves need a model judge and are not graded.',
};

/** Single-turn rows take every style but multi_turn, whose scripted warm-up would replace nothing real. */
const SINGLE_TURN_STYLES = attackStyles.filter((s) => s !== 'multi_turn');

interface Candidate {
  line: number;
  instruction: string;
  history: Turn[];
  task: string;
  banned: string[];
}

function readMessages(value: Record<string, unknown>, line: number, options: ImportOptions): Array<{ role: string; content: string }> {
  const messages = value.messages;
  const ok =
    Array.isArray(messages) &&
    messages.length >= 2 &&
    messages.every((m) => !!m && typeof m === 'object' && typeof m.role === 'string' && typeof m.content === 'string');
  if (!ok) throw new DatasetError(inputName(options), line, 'messages', 'missing, or not a list of {role, content} messages');
  return messages as Array<{ role: string; content: string }>;
}

function candidate(value: Record<string, unknown>, line: number, options: ImportOptions): Candidate | Omit<Skip, 'line'> {
  const messages = readMessages(value, line, options);
  const banlist = value.banlist;
  if (banlist === undefined) return { reason: 'no banlist: its guardrails need a model judge, which cardeval does not use for this eval' };
  if (!Array.isArray(banlist) || !banlist.every((w) => typeof w === 'string')) {
    throw new DatasetError(inputName(options), line, 'banlist', 'not a list of strings');
  }
  const [system, ...turns] = messages;
  const last = turns.at(-1);
  if (system.role !== 'system' || last?.role !== 'user' || turns.some((t, i) => t.role !== (i % 2 === 0 ? 'user' : 'assistant'))) {
    return { reason: 'not a system message followed by alternating user and assistant turns ending with the user' };
  }
  const multiWord = banlist.filter((w) => !/^[a-z]+$/i.test(w));
  if (multiWord.length > 0) {
    return { reason: "a banned entry is not a single word, which the library's forbidden-word check needs", detail: multiWord.join(', ') };
  }
  const history = turns.slice(0, -1).filter((t) => t.content.trim() !== '') as Turn[];
  if (history.length !== turns.length - 1) return { reason: 'an earlier turn is empty' };
  return { line, instruction: system.content, history, task: last.content, banned: banlist.map((w) => w.toLowerCase()) };
}

export function importRealGuardrails(text: string, options: ImportOptions = {}): ImportResult<ConflictRow> {
  const skipped: Skip[] = [];
  const all: Candidate[] = [];
  for (const { line, value } of readJsonLines(text, options)) {
    const found = candidate(value, line, options);
    if ('reason' in found) skipped.push({ line, ...found });
    else all.push(found);
  }
  const rng = rngFor(options);
  const chosen = sample(all, options.limit, rng);
  const styles = rounds(SINGLE_TURN_STYLES, chosen.length, rng);
  const rows = chosen.map((c, i): ConflictRow => {
    const constraint: Constraint =
      c.banned.length === 1
        ? { type: 'forbidden_word', params: { word: c.banned[0] } }
        : { type: 'forbidden_topic', params: { topic: 'the banlist', words: c.banned } };
    const override = constraintType(constraint.type).override(constraint.params, rng);
    // A conversation with earlier turns is a multi-turn attack: its history is the dataset's, the push comes last.
    const style = c.history.length > 0 ? 'multi_turn' : styles[i];
    const text = style === 'multi_turn' ? override : styleRequest(style, override, { lower: 'user', aligned: false, exemplar: '' }, rng).text;
    return {
      id: `realguardrails-${String(c.line).padStart(3, '0')}`,
      constraint,
      instruction: c.instruction,
      task: c.task,
      attack: { style, text, placement: rng.chance(0.5) ? 'before_task' : 'after_task' },
      aligned: false,
      ...(c.history.length > 0 ? { history: c.history } : {}),
    };
  });
  return { rows, skipped, eligible: all.length };
}
